#!/usr/bin/env bash
# Install everything, load the demo newsroom into SQLite and serve it at http://127.0.0.1:8000/
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

ensure_venv requirements.txt
python manage.py migrate --noinput -v0
python manage.py load_demo --articles "${DEMO_ARTICLES:-300}"
echo
url="http://${HOST:-127.0.0.1}:${PORT:-8000}"
echo "Newsroom is at $url/ and the editor admin at $url/admin/"
echo "(log in with one of the demo accounts above; Ctrl+C stops the server)"
exec python manage.py runserver "${HOST:-127.0.0.1}:${PORT:-8000}"
