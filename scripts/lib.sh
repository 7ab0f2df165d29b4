# Shared by scripts/start.sh and scripts/test.sh. Source it; it defines functions only.

# Django 6.1 needs Python >= 3.12. Debian 12's python3 is 3.11, so look for a newer one:
# pyenv's interpreters by full path (the bare python3.12 shim fails without PYENV_VERSION),
# then whatever is on PATH.
pick_python() {
  local root=${PYENV_ROOT:-$HOME/.pyenv} c
  for c in "$root"/versions/3.13*/bin/python3.13 "$root"/versions/3.12*/bin/python3.12 \
           python3.14 python3.13 python3.12 python3; do
    if "$c" -c 'import sys, venv, ensurepip; raise SystemExit(sys.version_info < (3, 12))' \
         >/dev/null 2>&1; then
      echo "$c"; return 0
    fi
  done
  cat >&2 <<'MSG'
Newsroom needs Python 3.12 or newer (with venv and pip), and none was found.
Install one, then run this command again:
  Debian 13 / Ubuntu 24.04:  sudo apt-get install python3 python3-venv
  Debian 12:                 install Python 3.12+ with pyenv (https://github.com/pyenv/pyenv)
MSG
  return 1
}

# Create .venv if needed and install the pinned requirements file given as $1.
ensure_venv() {
  local requirements=$1 python
  if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; raise SystemExit(sys.version_info < (3, 12))' 2>/dev/null; then
    python=$(pick_python) || exit 1
    echo "Creating .venv with $("$python" --version)"
    rm -rf .venv
    "$python" -m venv .venv
  fi
  # shellcheck disable=SC1091
  . .venv/bin/activate
  # Playwright's pip package never downloads a browser; this keeps it that way.
  export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
  echo "Installing $requirements"
  python -m pip install -q --disable-pip-version-check -r "$requirements" 2>&1 \
    | grep -v 'is ignored: it is neither' || true
  python -c 'import django' || { echo "pip install failed" >&2; exit 1; }
}

# Install Debian packages that are missing (only when running as root with apt).
apt_install() {
  local missing=() p
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    echo "Missing system packages: ${missing[*]} (install them with apt-get)" >&2
    return 1
  fi
  if [ -z "${_APT_UPDATED:-}" ]; then apt-get update -qq; _APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# Start the local PostgreSQL cluster if it is not running, and make sure a role exists
# that may create test databases. Exports DATABASE_URL.
start_postgres() {
  local user=${PG_USER:-newsroom} pass=${PG_PASSWORD:-newsroom} db=${PG_DB:-newsroom}
  command -v pg_lsclusters >/dev/null || apt_install postgresql
  local ver port
  ver=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -1)
  if [ -z "$ver" ]; then
    ver=$(ls /usr/lib/postgresql | sort -V | tail -1)
    pg_createcluster "$ver" main >/dev/null
  fi
  port=$(pg_lsclusters -h | awk -v v="$ver" '$1==v && $2=="main"{print $3}')
  if ! pg_isready -q -h 127.0.0.1 -p "$port"; then
    # Exit code 2 means "already running"; a stale pid file after a crash is handled by it.
    pg_ctlcluster --skip-systemctl-redirect "$ver" main start 2>/dev/null || true
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p "$port" && break; sleep 1; done
  fi
  pg_isready -q -h 127.0.0.1 -p "$port" || {
    echo "PostgreSQL did not start" >&2
    tail -20 "/var/log/postgresql/postgresql-$ver-main.log" >&2
    return 1
  }
  local psql=(psql -h 127.0.0.1 -p "$port" -U postgres -v ON_ERROR_STOP=1 -qtA)
  if ! "${psql[@]}" -c 'SELECT 1' >/dev/null 2>&1; then
    psql=(runuser -u postgres -- psql -p "$port" -v ON_ERROR_STOP=1 -qtA)
  fi
  "${psql[@]}" -c "SELECT 1 FROM pg_roles WHERE rolname='$user'" | grep -q 1 \
    || "${psql[@]}" -c "CREATE ROLE \"$user\" LOGIN PASSWORD '$pass' CREATEDB"
  "${psql[@]}" -c "SELECT 1 FROM pg_database WHERE datname='$db'" | grep -q 1 \
    || "${psql[@]}" -c "CREATE DATABASE \"$db\" OWNER \"$user\""
  export DATABASE_URL="postgres://$user:$pass@127.0.0.1:$port/$db"
}
