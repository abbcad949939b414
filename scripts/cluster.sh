#!/usr/bin/env bash
# The production topology on one machine, as plain processes on 127.0.0.1 (tests, benchmarks):
#   PostgreSQL primary + streaming read replica (pg_basebackup), N `lgnet2 run` replicas,
#   nginx in front with sticky sessions (cookie `lgnet2_backend`: the replica that served).
#
#   scripts/cluster.sh up [--replicas N]   start what is not running (installs nginx if missing)
#   scripts/cluster.sh status              exit 0 only when every part answers
#   scripts/cluster.sh down [--keep-data]  stop exactly what `up` started (PID files), then
#                                          remove the state directory unless --keep-data
#
# Settings (environment): LGNET2_CLUSTER_PORT (balancer, 8080), LGNET2_CLUSTER_DIR (state,
# .cluster/), LGNET2_CLUSTER_PG_PORT (primary, 55432; the replica takes the next port),
# LGNET2_CLUSTER_APP_PORT (first dashboard replica, 8601; the others follow).
# The machine's own PostgreSQL (5432) is never touched: these are separate instances.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DIR=${LGNET2_CLUSTER_DIR:-$ROOT/.cluster}
PGBIN=${LGNET2_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}

cmd=${1:-status}; shift || true
replicas=2; keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --replicas) replicas=$2; shift 2 ;;
    --replicas=*) replicas=${1#*=}; shift ;;
    --keep-data) keep=1; shift ;;
    *) echo "cluster.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

log() { echo "cluster: $*" >&2; }
# A PID file's process runs (a killed process whose parent has not reaped it is a zombie: gone).
alive() {
  [ -f "$1" ] || return 1
  local pid; pid=$(head -n 1 "$1")
  kill -0 "$pid" 2>/dev/null || return 1
  [ "$(sed -E 's/.*\) ([A-Za-z]).*/\1/' "/proc/$pid/stat" 2>/dev/null)" != Z ]
}

# Ports: fixed by the first `up` (saved in $DIR/ports), so status and down use the same ones.
load_ports() {
  if [ -f "$DIR/ports" ]; then
    # shellcheck disable=SC1091
    . "$DIR/ports"
  else
    BAL_PORT=${LGNET2_CLUSTER_PORT:-8080}
    PG_PORT=${LGNET2_CLUSTER_PG_PORT:-55432}
    PG_REPLICA_PORT=$((PG_PORT + 1))
    APP_PORT=${LGNET2_CLUSTER_APP_PORT:-8601}
    REPLICAS=$replicas
  fi
  PRIMARY_URL="postgresql+psycopg://postgres@127.0.0.1:$PG_PORT/lgnet2"
  READ_URL="postgresql+psycopg://postgres@127.0.0.1:$PG_REPLICA_PORT/lgnet2"
}

# PostgreSQL refuses to run as root: run its tools as the `postgres` system user then.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

install_missing() {
  local need=()
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx)
  [ -x "$PGBIN/initdb" ] || need+=(postgresql)
  if [ ${#need[@]} -gt 0 ]; then
    log "installing Debian packages: ${need[*]}"
    local SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
    PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
  [ -x .venv/bin/lgnet2 ] || scripts/setup.sh
}

pg_ready() { "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$1" 2>/dev/null; }
psql_at() { "$PGBIN/psql" -h 127.0.0.1 -p "$1" -U postgres -d "${2:-postgres}" -Atqc "$3"; }

start_primary() {
  local data=$DIR/pg/primary
  if [ ! -f "$data/PG_VERSION" ]; then
    log "initdb primary on 127.0.0.1:$PG_PORT"
    as_pg "$PGBIN/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    cat >>"$data/postgresql.conf" <<EOF
# lgnet2 cluster.sh
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$DIR/pg/run'
wal_level = replica
max_wal_senders = 5
wal_keep_size = 256MB
hot_standby = on
shared_buffers = 64MB
max_connections = 200
EOF
  fi
  if ! pg_ready "$PG_PORT"; then
    as_pg "$PGBIN/pg_ctl" -D "$data" -l "$DIR/pg/log/primary.log" -w -t 60 start >/dev/null
  fi
  if [ "$(psql_at "$PG_PORT" postgres "select 1 from pg_database where datname='lgnet2'")" != 1 ]; then
    psql_at "$PG_PORT" postgres "create database lgnet2" >/dev/null
    log "loading the demo data into the primary"
    .venv/bin/lgnet2 demo --db "$PRIMARY_URL" >/dev/null
  fi
}

start_replica() {
  local data=$DIR/pg/replica
  if [ ! -f "$data/PG_VERSION" ]; then
    log "pg_basebackup: streaming replica on 127.0.0.1:$PG_REPLICA_PORT"
    as_pg "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "$PG_PORT" -U postgres -D "$data" -R -X stream -c fast
    echo "port = $PG_REPLICA_PORT" | as_pg tee -a "$data/postgresql.conf" >/dev/null
  fi
  if ! pg_ready "$PG_REPLICA_PORT"; then
    as_pg "$PGBIN/pg_ctl" -D "$data" -l "$DIR/pg/log/replica.log" -w -t 60 start >/dev/null
  fi
}

start_app() {
  local i=$1 port=$((APP_PORT + $1 - 1))
  local pidf=$DIR/run/app-$i.pid
  alive "$pidf" && return 0
  # `lgnet2 run` execs `streamlit run`: the PID is the server's, so a SIGTERM stops it.
  LGNET2_DATABASE_URL=$PRIMARY_URL LGNET2_READ_DATABASE_URL=$READ_URL \
    STREAMLIT_SERVER_COOKIE_SECRET=$(cat "$DIR/cookie_secret") LGNET2_REPLICA_NAME="app-$i" \
    nohup .venv/bin/lgnet2 run --port "$port" >>"$DIR/log/app-$i.log" 2>&1 </dev/null &
  echo $! >"$pidf"
}

write_nginx_conf() {
  # Sticky by the replica that actually served the browser (not by a hash of a cookie): the
  # response sets lgnet2_backend=<replica number>; that browser's requests go to that replica,
  # or, when it is down, to the others (backup). After a failover the cookie names the replica
  # that now holds the session, so a recovered replica does not take back half of a session
  # (its websocket on one replica, its uploads on another).
  local i j port pools="" served="" upstreams="" all=""
  for i in $(seq 1 "$REPLICAS"); do
    port=$((APP_PORT + i - 1))
    pools+="    $i app_$i;"$'\n'
    served+="    \"~127\\.0\\.0\\.1:$port\$\" $i;"$'\n'
    all+="    server 127.0.0.1:$port max_fails=1 fail_timeout=5s;"$'\n'
    upstreams+="  upstream app_$i {"$'\n'"    server 127.0.0.1:$port max_fails=1 fail_timeout=5s;"$'\n'
    for j in $(seq 1 "$REPLICAS"); do
      [ "$j" = "$i" ] || upstreams+="    server 127.0.0.1:$((APP_PORT + j - 1)) backup;"$'\n'
    done
    upstreams+="  }"$'\n'
  done
  mkdir -p "$DIR/nginx/tmp"
  cat >"$DIR/nginx/nginx.conf" <<EOF
# Generated by scripts/cluster.sh (same shape as deploy/nginx.conf).
worker_processes 1;
daemon on;
pid $DIR/run/nginx.pid;
error_log $DIR/log/nginx-error.log warn;
events { worker_connections 2048; }
http {
  access_log off;
  client_body_temp_path $DIR/nginx/tmp/body;
  proxy_temp_path $DIR/nginx/tmp/proxy;
  fastcgi_temp_path $DIR/nginx/tmp/fastcgi;
  uwsgi_temp_path $DIR/nginx/tmp/uwsgi;
  scgi_temp_path $DIR/nginx/tmp/scgi;
  client_max_body_size 12m;
  map \$http_upgrade \$connection_upgrade { default upgrade; '' close; }
  map \$cookie_lgnet2_backend \$lgnet2_pool {
    default lgnet2_any;
$pools  }
  map \$upstream_addr \$lgnet2_served {
    default "";
$served  }
  upstream lgnet2_any {
$all  }
$upstreams
  server {
    listen 127.0.0.1:$BAL_PORT;
    location / {
      proxy_pass http://\$lgnet2_pool;
      proxy_http_version 1.1;
      proxy_set_header Upgrade \$http_upgrade;
      proxy_set_header Connection \$connection_upgrade;
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_read_timeout 1h;
      proxy_next_upstream error timeout http_502 http_503;
      proxy_connect_timeout 2s;
      add_header Set-Cookie "lgnet2_backend=\$lgnet2_served; Path=/; HttpOnly; SameSite=Lax" always;
    }
  }
}
EOF
}

wait_for() {  # wait_for SECONDS DESCRIPTION COMMAND...
  local secs=$1 what=$2; shift 2
  local end=$((SECONDS + secs))
  until "$@"; do
    if [ $SECONDS -ge $end ]; then log "$what did not answer within ${secs}s"; return 1; fi
    sleep 0.2
  done
}

http_ok() { curl -fsS -o /dev/null --max-time 3 "$1" 2>/dev/null; }

do_up() {
  install_missing
  mkdir -p "$DIR/run" "$DIR/log" "$DIR/nginx" "$DIR/pg/log" "$DIR/pg/run"
  load_ports
  [ -f "$DIR/ports" ] || cat >"$DIR/ports" <<EOF
BAL_PORT=$BAL_PORT
PG_PORT=$PG_PORT
PG_REPLICA_PORT=$PG_REPLICA_PORT
APP_PORT=$APP_PORT
REPLICAS=$REPLICAS
EOF
  [ -f "$DIR/cookie_secret" ] || (umask 077; head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$DIR/cookie_secret")
  if [ "$(id -u)" -eq 0 ]; then chown -R postgres: "$DIR/pg"; fi
  chmod 700 "$DIR/pg"
  start_primary
  start_replica
  local i
  for i in $(seq 1 "$REPLICAS"); do start_app "$i"; done
  write_nginx_conf
  if ! alive "$DIR/run/nginx.pid"; then
    /usr/sbin/nginx -c "$DIR/nginx/nginx.conf" -p "$DIR/nginx" 2>>"$DIR/log/nginx-error.log"
  fi
  for i in $(seq 1 "$REPLICAS"); do
    wait_for 90 "dashboard replica $i" http_ok "http://127.0.0.1:$((APP_PORT + i - 1))/_stcore/health"
  done
  wait_for 20 "balancer" http_ok "http://127.0.0.1:$BAL_PORT/_stcore/health"
  log "up: http://127.0.0.1:$BAL_PORT ($REPLICAS replicas, primary :$PG_PORT, read replica :$PG_REPLICA_PORT)"
}

do_status() {
  if [ ! -f "$DIR/ports" ]; then echo "cluster: not up ($DIR has no state)"; return 1; fi
  load_ports
  local bad=0 i port
  row() { printf '%-22s %-28s %s\n' "$1" "$2" "$3"; }
  if pg_ready "$PG_PORT" && [ "$(psql_at "$PG_PORT" postgres 'select pg_is_in_recovery()')" = f ]; then
    row primary "127.0.0.1:$PG_PORT" ok
  else row primary "127.0.0.1:$PG_PORT" DOWN; bad=1; fi
  if pg_ready "$PG_REPLICA_PORT" && [ "$(psql_at "$PG_REPLICA_PORT" postgres 'select pg_is_in_recovery()')" = t ] \
    && [ "$(psql_at "$PG_PORT" postgres "select count(*) from pg_stat_replication where state='streaming'" 2>/dev/null)" -ge 1 ] 2>/dev/null; then
    row "read replica" "127.0.0.1:$PG_REPLICA_PORT" "ok (streaming)"
  else row "read replica" "127.0.0.1:$PG_REPLICA_PORT" DOWN; bad=1; fi
  for i in $(seq 1 "$REPLICAS"); do
    port=$((APP_PORT + i - 1))
    if alive "$DIR/run/app-$i.pid" && http_ok "http://127.0.0.1:$port/_stcore/health"; then
      row "dashboard app-$i" "127.0.0.1:$port" ok
    else row "dashboard app-$i" "127.0.0.1:$port" DOWN; bad=1; fi
  done
  if alive "$DIR/run/nginx.pid" && http_ok "http://127.0.0.1:$BAL_PORT/_stcore/health"; then
    row balancer "127.0.0.1:$BAL_PORT" ok
  else row balancer "127.0.0.1:$BAL_PORT" DOWN; bad=1; fi
  return $bad
}

stop_pid() {  # stop_pid PIDFILE: SIGTERM, wait up to 15 s, then SIGKILL
  local f=$1 pid
  [ -f "$f" ] || return 0
  pid=$(head -n 1 "$f")
  if alive "$f"; then
    kill -TERM "$pid" 2>/dev/null || true
    local end=$((SECONDS + 15))
    while alive "$f" && [ $SECONDS -lt $end ]; do sleep 0.1; done
    alive "$f" && kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$f"
}

do_down() {
  if [ ! -d "$DIR" ]; then log "nothing to stop ($DIR does not exist)"; return 0; fi
  local f
  stop_pid "$DIR/run/nginx.pid"
  for f in "$DIR"/run/app-*.pid; do [ -e "$f" ] && stop_pid "$f"; done
  local node
  for node in replica primary; do
    if [ -f "$DIR/pg/$node/postmaster.pid" ]; then
      as_pg "$PGBIN/pg_ctl" -D "$DIR/pg/$node" -m fast -w -t 60 stop >/dev/null 2>&1 || true
    fi
  done
  if [ "$keep" = 0 ]; then rm -rf "$DIR"; log "down: stopped and removed $DIR"; else log "down: stopped (data kept in $DIR)"; fi
}

case "$cmd" in
  up) do_up ;;
  status) do_status ;;
  down) do_down ;;
  *) echo "usage: scripts/cluster.sh up [--replicas N] | status | down [--keep-data]" >&2; exit 2 ;;
esac
