#!/usr/bin/env bash
# Install everything and run the whole test suite: lint, then pytest on SQLite, then on PostgreSQL.
# Extra arguments go to pytest, e.g. scripts/test.sh -k visibility
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

ensure_venv requirements-dev.txt
# Browser tests drive Debian's Chromium through Playwright; never a downloaded browser.
apt_install chromium fonts-liberation
# The current Nu HTML Checker (npm vnu-jar) runs on the machine's Java.
command -v java >/dev/null || apt_install default-jre-headless
command -v npm >/dev/null || apt_install npm
npm ci --no-audit --no-fund --loglevel=error

echo "== ruff"
ruff check .
ruff format --check .
echo "== django checks"
python manage.py check --fail-level WARNING
python manage.py makemigrations --check --dry-run >/dev/null \
  || { echo "Models changed without a migration: run manage.py makemigrations" >&2; exit 1; }
echo "== the committed promo model is what the committed corpus trains (bit for bit)"
python manage.py train_detector --check

status=0
echo "== pytest on SQLite"
env -u DATABASE_URL python -m pytest "$@" || status=1

echo "== pytest on PostgreSQL"
# A DATABASE_URL you set is used as is; otherwise the local cluster is started.
if [ -n "${DATABASE_URL:-}" ] || start_postgres; then
  python -m pytest "$@" || status=1
else
  status=1
fi
exit $status
