#!/bin/sh
# One-off container: bring the schema up to date (Alembic, through `lgnet2 demo` on an empty
# database only when LGNET2_LOAD_DEMO=true; otherwise the migrations alone).
set -eu
if [ "${LGNET2_LOAD_DEMO:-false}" = true ]; then
  lgnet2 demo || true   # refuses (exit 2) to overwrite existing data: that is fine here
else
  python -c "from data_access.config import make_engine, resolve_url; from data_access.db import upgrade; upgrade(make_engine(resolve_url()))"
fi
