# Shared by scripts/install-leader and scripts/install-worker: thin wrappers around the Debian packages
# (docs/packages.md). Sourced, not run.

ROOT=/ APT=yes UNINSTALL=no PURGE=no DEB=""
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

say() { printf '%s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

common_flag() {
  case "$1" in
    --root) ROOT="$2"; return 2 ;;
    --no-apt) APT=no; return 1 ;;
    --deb) DEB="$2"; return 2 ;;
    --uninstall) UNINSTALL=yes; return 1 ;;
    --purge) UNINSTALL=yes; PURGE=yes; return 1 ;;
  esac
  return 0
}

need_root() {
  if [ "$(id -u)" != 0 ]; then die "run as root (sudo $0 …); with --root DIR it installs into a scratch directory, as root too"; fi
}

# deb_file PACKAGE MODULE: --deb, else the one this checkout built (building it when missing).
deb_file() {
  if [ -n "$DEB" ]; then [ -f "$DEB" ] || die "--deb $DEB: no such file"; printf '%s' "$(readlink -f "$DEB")"; return; fi
  local found
  found="$(ls -t "$repo/$2/target/$1"_*_all.deb 2> /dev/null | head -1 || true)"
  if [ -z "$found" ]; then
    command -v mvn > /dev/null || die "no $1 package in $2/target and Maven is not installed: build it (mvn -DskipTests package) first"
    (cd "$repo" && mvn -q -B -ntp -DskipTests package -pl "$2" -am) >&2
    found="$(ls -t "$repo/$2/target/$1"_*_all.deb | head -1)"
  fi
  printf '%s' "$found"
}

# A scratch root gets a dpkg database of its own; its maintainer scripts run outside a chroot and act under
# $DPKG_ROOT (dependencies are the host's to have: not checked there).
dpkg_root() {
  mkdir -p "$ROOT/var/lib/dpkg/info" "$ROOT/var/lib/dpkg/updates" "$ROOT/var/lib/dpkg/triggers"
  [ -f "$ROOT/var/lib/dpkg/status" ] || : > "$ROOT/var/lib/dpkg/status"
  # Its complaints about dependencies the scratch root lacks are expected: shown only when dpkg fails.
  local err rc=0; err="$(mktemp)"
  dpkg --root="$ROOT" --force-script-chrootless --force-depends --log=/dev/null "$@" 2> "$err" || rc=$?
  [ "$rc" = 0 ] || cat "$err" >&2
  rm -f "$err"
  return "$rc"
}

# install_package PACKAGE MODULE: installs or upgrades it (environment PIOREACTOR_* passes on to its setup).
install_package() {
  local deb; deb="$(deb_file "$1" "$2")"
  if [ "$ROOT" != / ]; then dpkg_root --force-confold -i "$deb"
  elif [ "$APT" = yes ]; then
    command -v apt-get > /dev/null || die "apt-get not found: install the package's dependencies by hand, then run again with --no-apt"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends -o Dpkg::Options::=--force-confold "$deb"
  else dpkg --force-confold -i "$deb"
  fi
}

# remove_package PACKAGE: --uninstall keeps configs and data, --purge removes them.
remove_package() {
  local how=-r; [ "$PURGE" = yes ] && how=--purge
  if [ "$ROOT" != / ]; then dpkg_root "$how" "$1"; else dpkg "$how" "$1"; fi
}
