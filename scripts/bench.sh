#!/usr/bin/env bash
# Install what the benchmark needs (the virtualenv, Debian's wrk), then run bench/run.py with
# the arguments given, e.g. `./scripts/bench.sh --articles 2000 --duration 3` for a quick look.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

ensure_venv requirements-dev.txt  # gunicorn, and matplotlib for bench/chart.py
command -v wrk >/dev/null || apt_install wrk
exec python bench/run.py "$@"
