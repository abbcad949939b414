#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers on 127.0.0.1:5432 for user postgres without password
# (the tests' default; override with LGNET2_TEST_PG_URL). Starts the Debian cluster if it is down.
set -euo pipefail
ready() { pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; }
if ! ready; then
  ver=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$ver" ]; then echo "start_postgres: no PostgreSQL cluster found" >&2; exit 1; fi
  if ! pg_lsclusters -h 2>/dev/null | grep -q "^$ver main"; then pg_createcluster "$ver" main >/dev/null; fi
  pg_ctlcluster --skip-systemctl-redirect "$ver" main start
  for _ in $(seq 1 60); do ready && break; sleep 0.5; done
fi
ready || { echo "start_postgres: PostgreSQL does not answer on 127.0.0.1:5432" >&2; exit 1; }
# A cluster installed by this script asks for a password on TCP: trust local loopback for tests.
if ! psql -h 127.0.0.1 -U postgres -d postgres -Atqc "select 1" >/dev/null 2>&1; then
  ver=$(ls /etc/postgresql | sort -V | tail -n 1)
  hba=/etc/postgresql/$ver/main/pg_hba.conf
  grep -q "lgnet2-tests" "$hba" || sed -i "1i host all postgres 127.0.0.1/32 trust # lgnet2-tests" "$hba"
  pg_ctlcluster --skip-systemctl-redirect "$ver" main reload
fi
psql -h 127.0.0.1 -U postgres -d postgres -Atqc "select 1" >/dev/null
