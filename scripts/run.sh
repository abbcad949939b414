#!/usr/bin/env bash
# One command: install what is missing and start the dashboard on the embedded default (an
# SQLite file with demo data, created on first run) at http://127.0.0.1:8501.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/lgnet2 run "$@"
