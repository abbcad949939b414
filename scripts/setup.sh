#!/usr/bin/env bash
# Installs what is missing, idempotently: Debian packages (Chromium for browser tests and PNG
# export, PostgreSQL for the PostgreSQL tests), a virtual environment in .venv, the project.
#   scripts/setup.sh            runtime only
#   scripts/setup.sh --test     plus test tools, Chromium and a running PostgreSQL
set -euo pipefail
cd "$(dirname "$0")/.."
want_test=0; [ "${1:-}" = "--test" ] && want_test=1
PY=${PYTHON:-python3}

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
fc-list 2>/dev/null | grep -qi dejavu || need_apt+=(fonts-dejavu-core)
if [ "$want_test" = 1 ]; then
  command -v pg_ctlcluster >/dev/null 2>&1 || need_apt+=(postgresql)
  command -v pdftoppm >/dev/null 2>&1 || need_apt+=(poppler-utils)
fi
if ! "$PY" -c 'import venv, ensurepip' >/dev/null 2>&1; then need_apt+=(python3-venv); fi
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.lgnet2-installed
extras=""; [ "$want_test" = 1 ] && extras="[test]"
current=$(cat "$stamp" 2>/dev/null || echo none)
if [ "$current" = none ] || [ pyproject.toml -nt "$stamp" ] || { [ "$want_test" = 1 ] && [ "$current" != "[test]" ]; }; then
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1
  .venv/bin/python -m pip install -q -e ".$extras" 2>&1 | grep -v -E "^\s*$|WARNING: Location" || true
  .venv/bin/python -c "import streamlit, folium, geopandas, sqlalchemy" # fail here if the install did not work
  [ "$current" = "[test]" ] && [ "$want_test" = 0 ] && extras="[test]"
  echo "$extras" > "$stamp"
fi

if [ "$want_test" = 1 ]; then
  scripts/start_postgres.sh
fi
