#!/bin/bash
# The read replica: on first start, copy the primary with pg_basebackup (-R writes the standby
# settings), then run as a hot standby that streams the primary's WAL.
set -euo pipefail
PGDATA=${PGDATA:-/var/lib/postgresql/data}
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  mkdir -p "$PGDATA" && chown postgres: "$PGDATA" && chmod 700 "$PGDATA"
  export PGPASSWORD="$REPLICATION_PASSWORD"
  until gosu postgres pg_basebackup -h db-primary -U replicator -D "$PGDATA" -R -X stream -c fast; do
    echo "replica: waiting for the primary"; rm -rf "${PGDATA:?}"/*; sleep 2
  done
fi
exec gosu postgres postgres -c hot_standby=on
