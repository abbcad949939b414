#!/usr/bin/env bash
# One command: install what is missing (packages, Chromium, PostgreSQL) and run every check:
# lint, format, import contracts, types, then the whole test suite (unit/integration in
# parallel, the cluster fault tests, browser tests serially).
# Fails when any step fails, including pytest's exit 5 (no test collected).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
export PYTHONHASHSEED=0
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/lint-imports   # layers and no import cycles ([tool.importlinter] in pyproject.toml)
.venv/bin/mypy
mkdir -p artifacts
.venv/bin/pytest -m "not browser and not cluster" -n 2 -q -p no:cacheprovider "$@"
# Faults on the local production topology (scripts/cluster.sh: nginx, PostgreSQL primary and
# streaming replica on their own ports, two replicas): one process, one topology, ~3-4 min.
.venv/bin/pytest -m cluster -q -p no:cacheprovider tests/serving "$@"
# Each browser suite drives its own Playwright instance: one pytest process per folder.
for suite in tests/browser tests/geo tests/privacy; do
  .venv/bin/pytest -m browser -q -p no:cacheprovider "$suite" "$@"
done
