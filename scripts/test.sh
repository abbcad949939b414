#!/usr/bin/env bash
# One command: install what is missing (packages, Chromium, PostgreSQL) and run every check:
# lint, format, import contracts, types, then the whole test suite (unit/integration in
# parallel, browser tests serially).
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
.venv/bin/pytest -m "not browser" -n 2 -q -p no:cacheprovider "$@"
# Each browser suite drives its own Playwright instance: one pytest process per folder.
for suite in tests/browser tests/geo tests/privacy; do
  .venv/bin/pytest -m browser -q -p no:cacheprovider "$suite" "$@"
done
