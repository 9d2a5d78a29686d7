// Sign-in when the leader has authentication on: a form, then a session cookie the API and event stream accept.
import { api } from './api.js';
import { h } from './format.js';

let open = null;

/** Shows the sign-in form (once) and resolves when signed in. */
export function signIn() {
  if (open) return open;
  open = new Promise((resolve) => {
    const user = h('input', { id: 'signin-user', name: 'username', autocomplete: 'username', required: true });
    const pass = h('input', { id: 'signin-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
    const error = h('p', { class: 'feedback error', 'aria-live': 'assertive' });
    const form = h('form', { method: 'dialog' },
      h('p', {}, 'This leader asks you to sign in.'),
      h('label', { for: 'signin-user' }, 'Username'), user,
      h('label', { for: 'signin-password' }, 'Password'), pass,
      error,
      h('div', { class: 'dialog-buttons' }, h('button', { type: 'submit', class: 'primary' }, 'Sign in')));
    const dialog = h('dialog', { class: 'signin', 'aria-labelledby': 'signin-title' }, h('h2', { id: 'signin-title' }, 'Sign in'), form);
    // A sign-in that cannot be dismissed: nothing on the page works without it.
    dialog.addEventListener('cancel', (e) => e.preventDefault());
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      error.textContent = 'Signing in…';
      try {
        await api.signIn(user.value, pass.value);
        dialog.close();
        dialog.remove();
        open = null;
        resolve();
      } catch (err) {
        error.textContent = err.status === 401 ? 'Wrong username or password.' : `Failed: ${err.describe ? err.describe() : err.message}`;
        pass.select();
      }
    });
    document.body.append(dialog);
    dialog.showModal();
    user.focus();
  });
  return open;
}
