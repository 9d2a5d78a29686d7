# Shared by leader/setup and worker/setup (installed beside each package's setup, /usr/lib/pioreactor-leader/ and /usr/lib/pioreactor-worker/). Sourced, not run.
# Every step is idempotent: setting up again (an upgrade) keeps configs and credentials.
# ROOT: where the system is: "/" normally; the dpkg --root of a scratch install ($DPKG_ROOT, set by dpkg for
# maintainer scripts run with --force-script-chrootless) in tests. Nothing outside ROOT is touched then:
# no users, no ownership changes, no systemctl.

ROOT="${DPKG_ROOT:-/}"
[ -n "$ROOT" ] || ROOT=/

say() { printf '%s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Paths under ROOT.
p() { printf '%s%s' "${ROOT%/}" "$1"; }

live_system() { [ "$ROOT" = / ]; }
systemd_running() { live_system && [ -d /run/systemd/system ]; }

# A random password: 24 characters from [A-Za-z0-9], never from user input.
new_password() { LC_ALL=C tr -dc 'A-Za-z0-9' < /dev/urandom | head -c 24 || true; }

valid_unit() { case "$1" in ''|*[!A-Za-z0-9_-]*) return 1;; esac; }

ensure_user() {
  live_system || return 0
  getent group pioreactor > /dev/null || addgroup --system --quiet pioreactor
  id pioreactor > /dev/null 2>&1 || adduser --system --quiet --ingroup pioreactor --home /var/lib/pioreactor \
    --no-create-home --shell /usr/sbin/nologin pioreactor
  for g in gpio i2c; do getent group "$g" > /dev/null && adduser --quiet pioreactor "$g" > /dev/null || true; done
}

# Files an earlier scripts/install-* put where the package's own now live (units in /etc/systemd/system override the
# package's, commands in /usr/local/bin come first on PATH): removed, once, when they are ours.
remove_script_install() {
  local f
  for f in "$@"; do
    if [ -f "$(p "$f")" ] && grep -q 'scripts/install-\|io.pioreactor' "$(p "$f")"; then
      rm -f "$(p "$f")"
      say "  removed $f (from an install by script; the package's own is used now)"
    fi
  done
}

# start_units UNIT...: enabled and (re)started on a live systemd; otherwise said.
start_units() {
  if systemd_running; then
    systemctl daemon-reload
    local u
    for u in "$@"; do
      systemctl enable "$u" > /dev/null 2>&1
      systemctl restart "$u"
      say "  $u started (journalctl -u ${u%.*} -f)"
    done
  else
    say "  not started here (no running systemd$(live_system || printf " in %s" "$ROOT")): $*"
  fi
}

# install_chrony_dropin FILE: checks it with chronyd's parser (when chrony is here), installs it as
# /etc/chrony/conf.d/pioreactor.conf and restarts chrony (it reads conf.d only at start).
install_chrony_dropin() {
  if command -v chronyd > /dev/null; then
    chronyd -p -f "$1" > /dev/null 2>&1 || die "the chrony drop-in did not parse (chronyd -p -f): $(chronyd -p -f "$1" 2>&1 | tail -1)"
  fi
  local dest; dest="$(p /etc/chrony/conf.d/pioreactor.conf)"
  if [ -f "$dest" ] && cmp -s "$1" "$dest"; then return; fi
  mkdir -p "$(dirname "$dest")"
  install -m 0644 "$1" "$dest"
  say "  wrote /etc/chrony/conf.d/pioreactor.conf"
  if systemd_running; then
    systemctl restart chrony 2> /dev/null && say "  chrony restarted (chronyc sources: what it follows)" \
      || say "  note: chrony did not restart: systemctl status chrony"
  fi
}

# Debian's chrony.conf sets its own makestep after it reads conf.d (the last one wins): the worker sets it aside
# for its own and puts it back when removed.
MAKESTEP_ASIDE='#(pioreactor: see conf.d/pioreactor.conf) makestep '
