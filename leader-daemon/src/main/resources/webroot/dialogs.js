// A confirmation dialog that names exactly what will happen. Resolves true when confirmed.
import { h } from './format.js';

export function confirmAction(title, message, confirmLabel) {
  return confirmWith(title, h('p', {}, message), confirmLabel);
}

/**
 * The same with any content (`body`, a Node: a diff, a text), a wider dialog with `wide`, and `kind` the confirm
 * button's look ('danger' for what cannot be taken back, 'primary' otherwise).
 */
export function confirmWith(title, body, confirmLabel, { wide = false, kind = 'danger', cancelLabel = 'Cancel' } = {}) {
  return new Promise((resolve) => {
    const dialog = h('dialog', { class: `confirm${wide ? ' wide' : ''}`, 'aria-labelledby': 'confirm-title' },
      h('h2', { id: 'confirm-title' }, title),
      body,
      h('div', { class: 'dialog-buttons' },
        h('button', { type: 'button', class: 'secondary', onclick: () => dialog.close('cancel') }, cancelLabel),
        confirmLabel ? h('button', { type: 'button', class: kind, 'data-confirm': true, onclick: () => dialog.close('ok') }, confirmLabel) : null));
    dialog.addEventListener('close', () => {
      resolve(dialog.returnValue === 'ok');
      dialog.remove();
    });
    document.body.append(dialog);
    dialog.showModal();
    (dialog.querySelector('[data-confirm]') || dialog.querySelector('button')).focus();
  });
}
