# Shared by scripts/install-leader and scripts/install-worker. Sourced, not run.
# Every step is idempotent: running an install again upgrades the jar and units and keeps configs and credentials.

ROOT=/ APT=yes SYSTEMCTL=yes UNINSTALL=no PURGE=no
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

say() { printf '%s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Paths under the install root (/ normally; a scratch directory in tests).
p() { printf '%s%s' "${ROOT%/}" "$1"; }

need_root() {
  if [ "$ROOT" = / ] && [ "$(id -u)" != 0 ]; then die "run as root (sudo $0 …), or with --root DIR to install into a scratch directory"; fi
}

apt_install() {
  [ "$APT" = yes ] || { say "skipping packages (--no-apt): $*"; return; }
  command -v apt-get > /dev/null || die "apt-get not found: install $* by hand, then run again with --no-apt"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" > /dev/null
}

# A random password: 24 characters from [A-Za-z0-9], never from user input.
new_password() { LC_ALL=C tr -dc 'A-Za-z0-9' < /dev/urandom | head -c 24 || true; }

ensure_user() {
  if [ "$ROOT" != / ]; then return; fi
  getent group pioreactor > /dev/null || groupadd --system pioreactor
  id pioreactor > /dev/null 2>&1 || useradd --system --gid pioreactor --home-dir /var/lib/pioreactor --shell /usr/sbin/nologin pioreactor
  for g in gpio i2c; do getent group "$g" > /dev/null && usermod -aG "$g" pioreactor || true; done
}

# install_file SRC DEST MODE: copies only when different, so a re-run changes nothing it need not.
install_file() {
  mkdir -p "$(dirname "$2")"
  if [ ! -f "$2" ] || ! cmp -s "$1" "$2"; then install -m "$3" "$1" "$2"; say "  wrote ${2#"${ROOT%/}"}"; fi
}

jar() {
  local module=$1 jar="$repo/$1/target/$1.jar"
  if [ ! -f "$jar" ]; then
    command -v mvn > /dev/null || die "$jar is missing and Maven is not installed: build it (mvn -DskipTests package) first"
    (cd "$repo" && mvn -q -B -ntp -DskipTests package -pl "$module" -am)
  fi
  printf '%s' "$jar"
}

install_cli() {
  install_file "$(jar leader-daemon)" "$(p /opt/pioreactor/leader-daemon.jar)" 0644
  install_file "$repo/README.md" "$(p /opt/pioreactor/README.md)" 0644
  local tmp; tmp="$(mktemp)"
  printf '#!/bin/sh\nexec java -XX:TieredStopAtLevel=1 -cp /opt/pioreactor/leader-daemon.jar io.pioreactor.leader.cli.PioCli "$@"\n' > "$tmp"
  install_file "$tmp" "$(p /usr/local/bin/pio)" 0755
  printf '#!/bin/sh\nexec java -XX:TieredStopAtLevel=1 -cp /opt/pioreactor/leader-daemon.jar io.pioreactor.leader.cli.PioCli pios "$@"\n' > "$tmp"
  install_file "$tmp" "$(p /usr/local/bin/pios)" 0755
  rm -f "$tmp"
}

enable_unit() {
  local unit_file="$repo/conf/systemd/$1.service" tmp=""
  # systemd refuses to start a unit whose supplementary groups do not exist (a machine without a HAT has no
  # gpio or i2c group): keep only the groups this machine has.
  if grep -q '^SupplementaryGroups=' "$unit_file"; then
    local groups="" g
    for g in $(sed -n 's/^SupplementaryGroups=//p' "$unit_file"); do
      if [ "$ROOT" != / ] || getent group "$g" > /dev/null; then groups="$groups $g"; fi
    done
    tmp="$(mktemp)"
    if [ -n "$groups" ]; then sed "s/^SupplementaryGroups=.*/SupplementaryGroups=${groups# }/" "$unit_file" > "$tmp"
    else grep -v '^SupplementaryGroups=' "$unit_file" > "$tmp"; fi
    unit_file="$tmp"
  fi
  install_file "$unit_file" "$(p /etc/systemd/system/$1.service)" 0644
  [ -n "$tmp" ] && rm -f "$tmp"
  if [ "$SYSTEMCTL" = yes ] && [ "$ROOT" = / ]; then
    systemctl daemon-reload
    systemctl enable "$1" > /dev/null 2>&1
    systemctl restart "$1"
    say "  $1 started (journalctl -u $1 -f)"
  fi
}

remove_unit() {
  if [ "$SYSTEMCTL" = yes ] && [ "$ROOT" = / ]; then systemctl disable --now "$1" > /dev/null 2>&1 || true; fi
  rm -f "$(p /etc/systemd/system/$1.service)"
  if [ "$SYSTEMCTL" = yes ] && [ "$ROOT" = / ]; then systemctl daemon-reload; fi
}

common_flag() {
  case "$1" in
    --root) ROOT="$2"; return 2 ;;
    --no-apt) APT=no; return 1 ;;
    --no-systemctl) SYSTEMCTL=no; return 1 ;;
    --uninstall) UNINSTALL=yes; return 1 ;;
    --purge) UNINSTALL=yes; PURGE=yes; return 1 ;;
  esac
  return 0
}

# install_chrony_dropin TMPFILE: checks it with chronyd's parser (when chrony is here), installs it as
# /etc/chrony/conf.d/pioreactor.conf and restarts chrony (it reads conf.d only at start).
install_chrony_dropin() {
  if command -v chronyd > /dev/null; then
    chronyd -p -f "$1" > /dev/null 2>&1 || die "the chrony drop-in did not parse (chronyd -p -f): $(chronyd -p -f "$1" 2>&1 | tail -1)"
  fi
  local dest; dest="$(p /etc/chrony/conf.d/pioreactor.conf)"
  if [ -f "$dest" ] && cmp -s "$1" "$dest"; then return; fi
  install_file "$1" "$dest" 0644
  if [ "$SYSTEMCTL" = yes ] && [ "$ROOT" = / ]; then
    systemctl restart chrony 2> /dev/null && say "  chrony restarted (chronyc sources: what it follows)" \
      || say "  note: chrony did not restart: systemctl status chrony"
  fi
}

remove_chrony_dropin() {
  local dest; dest="$(p /etc/chrony/conf.d/pioreactor.conf)"
  [ -f "$dest" ] && grep -q "^# Installed by scripts/$1" "$dest" || return 0
  rm -f "$dest"
  if [ "$SYSTEMCTL" = yes ] && [ "$ROOT" = / ]; then systemctl restart chrony 2> /dev/null || true; fi
}
