#!/usr/bin/env bash
# Yishi's scale-out mode on one machine: PostgreSQL, Redis (Socket.IO message queue), several
# gevent workers of `yishi run` and nginx in front with sticky sessions.
#
#   scripts/cluster.sh run     start everything, print the URLs, stop everything on Ctrl-C
#   scripts/cluster.sh start   start everything in the background (state in $CLUSTER_DIR)
#   scripts/cluster.sh stop    stop what `start` started (by the process ids it wrote down)
#   scripts/cluster.sh status  what is running
#   scripts/cluster.sh install the system packages and the Python extra it needs
#   scripts/cluster.sh yishi ARGS...   a `yishi` command on the cluster's database
#   scripts/cluster.sh python ARGS...  Python with the workers' environment
#
# Settings (environment): CLUSTER_DIR (default: instance-cluster), WORKERS (2), PORT (nginx,
# 8080), WORKER_PORT (first worker's port, 5101), PG_PORT (5433), REDIS_PORT (6380),
# CLUSTER_NGINX (1: put nginx in front; 0: workers only). Debian's postgresql, redis-server and nginx
# are installed when missing (needs root or sudo). Every daemon listens on 127.0.0.1 except
# nginx, which serves the hall's network on $PORT.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

CLUSTER_DIR=${CLUSTER_DIR:-$ROOT/instance-cluster}
WORKERS=${WORKERS:-2}
PORT=${PORT:-8080}
WORKER_PORT=${WORKER_PORT:-5101}
PG_PORT=${PG_PORT:-5433}
REDIS_PORT=${REDIS_PORT:-6380}
CLUSTER_NGINX=${CLUSTER_NGINX:-1}
VENV=${VENV:-$ROOT/.venv}

mkdir -p "$CLUSTER_DIR"
CLUSTER_DIR=$(cd "$CLUSTER_DIR" && pwd)
RUN=$CLUSTER_DIR/run   # pid files
LOGS=$CLUSTER_DIR/logs

say() { printf '[cluster] %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    say "error: need root (or sudo) for: $*"; exit 1; fi
}

# PostgreSQL refuses to run as root: its files belong to the postgres user when we are root.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$dir" ] || { say "error: PostgreSQL's programs are not installed"; exit 1; }
  echo "$dir"
}

install_missing() {
  local missing=()
  ls -d /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
  command -v redis-server >/dev/null || missing+=(redis-server)
  if [ "$CLUSTER_NGINX" = 1 ]; then command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx-light); fi
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing system packages: ${missing[*]}"
    as_root apt-get update -qq
    # Debian starts packaged services on install where it can; ours run on their own ports.
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends \
      "${missing[@]}" >/dev/null
  fi
  if [ ! -x "$VENV/bin/yishi" ]; then scripts/setup.sh; fi
  if ! "$VENV/bin/python" -c "import psycopg, redis" 2>/dev/null; then
    say "installing the cluster extra (psycopg, redis)"
    "$VENV/bin/python" -m pip install --quiet -e '.[test,cluster]' 2>&1 \
      | grep -v "^WARNING: Location" || true
  fi
}

secret() { # a random secret kept (0600) in the cluster folder
  local file=$CLUSTER_DIR/$1
  if [ ! -s "$file" ]; then (umask 077; "$VENV/bin/python" -c "import secrets; print(secrets.token_hex(24))" >"$file"); fi
  cat "$file"
}

database_url() {
  echo "postgresql+psycopg://yishi:$(secret pg_password)@127.0.0.1:$PG_PORT/yishi"
}

http_up() { # whether a server answers HTTP at URL (any status; no curl on a fresh Debian)
  "$VENV/bin/python" - "$1" <<'PY'
import sys
import urllib.error
import urllib.request

try:
    urllib.request.urlopen(sys.argv[1], timeout=5)
except urllib.error.HTTPError:
    pass  # it answered
PY
}

wait_for() { # wait_for SECONDS DESCRIPTION COMMAND...
  local seconds=$1 what=$2; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if [ $SECONDS -ge $deadline ]; then say "error: $what did not come up in ${seconds}s"; return 1; fi
    sleep 0.2
  done
}

start_postgres() {
  local bin data=$CLUSTER_DIR/pg
  bin=$(pg_bin)
  if [ ! -s "$data/PG_VERSION" ]; then
    say "creating the PostgreSQL cluster in $data"
    mkdir -p "$data"
    local pwfile=$CLUSTER_DIR/pg_pwfile
    (umask 077; secret pg_password >"$pwfile")
    if [ "$(id -u)" -eq 0 ]; then chown -R postgres: "$data" "$pwfile"; fi
    chmod 700 "$data"
    as_pg "$bin/initdb" -D "$data" -U yishi --pwfile="$pwfile" -E UTF8 --locale=C.UTF-8 \
      --auth-local=scram-sha-256 --auth-host=scram-sha-256 >"$LOGS/initdb.log" 2>&1
    rm -f "$pwfile"
  fi
  local sockets=$CLUSTER_DIR/pg-socket
  mkdir -p "$sockets"
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$sockets" "$LOGS"; fi
  if ! as_pg "$bin/pg_ctl" -D "$data" -l "$LOGS/postgresql.log" -w -t 60 start \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $sockets -c max_connections=200 -c fsync=on" \
    >/dev/null; then
    tail -n 5 "$LOGS/postgresql.log" >&2
    return 1
  fi
  PGPASSWORD=$(secret pg_password) wait_for 30 "PostgreSQL" \
    "$bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U yishi -d postgres -c "select 1"
  if ! PGPASSWORD=$(secret pg_password) "$bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U yishi -d postgres \
      -tAc "select 1 from pg_database where datname = 'yishi'" | grep -q 1; then
    PGPASSWORD=$(secret pg_password) "$bin/createdb" -h 127.0.0.1 -p "$PG_PORT" -U yishi yishi
  fi
  say "PostgreSQL on 127.0.0.1:$PG_PORT (database yishi)"
}

start_redis() {
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes \
    --pidfile "$RUN/redis.pid" --logfile "$LOGS/redis.log" --dir "$CLUSTER_DIR" \
    --save "" --appendonly no
  wait_for 15 "Redis" redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping
  say "Redis on 127.0.0.1:$REDIS_PORT"
}

worker_env() {
  export YISHI_INSTANCE=$CLUSTER_DIR/instance
  YISHI_DATABASE_URL=$(database_url)
  export YISHI_DATABASE_URL
  export YISHI_SOCKETIO_MESSAGE_QUEUE=redis://127.0.0.1:$REDIS_PORT/0
  if [ -z "${YISHI_PUBLIC_BASE_URL:-}" ]; then
    if [ "$CLUSTER_NGINX" = 1 ]; then
      YISHI_PUBLIC_BASE_URL=http://$(lan_address):$PORT
    else
      YISHI_PUBLIC_BASE_URL=http://127.0.0.1:$WORKER_PORT
    fi
  fi
  export YISHI_PUBLIC_BASE_URL
}

lan_address() {
  "$VENV/bin/python" -c "from meeting_room.web.netinfo import lan_address; print(lan_address())" \
    2>/dev/null || echo 127.0.0.1
}

prepare_database() {
  # Migrate and load the demo once, before the workers start (they would race to do it),
  # which also makes the instance folder's shared secret and the demo staff accounts.
  (worker_env; "$VENV/bin/python" - <<'PY'
from pathlib import Path

from meeting_room.app import create_app
from meeting_room.ops.demo_commands import ensure_demo_accounts, load_demo
from meeting_room.store.migrate import upgrade

app = create_app()
with app.app_context():
    upgrade(app.config["DATABASE_URL"])
    print(f"database migrated; {load_demo(sign_in=0)}")
    made = ensure_demo_accounts(Path(app.instance_path))  # here once: two workers would race
    if made:
        print(f"demo staff accounts: passwords in {made}")
PY
  ) | sed 's/^/[cluster] /' >&2
}

start_workers() {
  local i port
  for ((i = 0; i < WORKERS; i++)); do
    port=$((WORKER_PORT + i))
    (
      worker_env
      export YISHI_WORKER_NAME="worker-$((i + 1))"
      export PYTHONUNBUFFERED=1
      exec "$VENV/bin/yishi" run --host 127.0.0.1 --port "$port"
    ) >"$LOGS/worker-$((i + 1)).log" 2>&1 &
    echo $! >"$RUN/worker-$((i + 1)).pid"
  done
  for ((i = 0; i < WORKERS; i++)); do
    port=$((WORKER_PORT + i))
    if ! wait_for 90 "worker $((i + 1)) on port $port" \
        http_up "http://127.0.0.1:$port/kiosk"; then
      tail -n 30 "$LOGS/worker-$((i + 1)).log" >&2 || true
      return 1
    fi
  done
  say "$WORKERS workers on 127.0.0.1:$WORKER_PORT..$((WORKER_PORT + WORKERS - 1))"
}

start_nginx() {
  local conf=$CLUSTER_DIR/nginx/nginx.conf servers="" i
  mkdir -p "$CLUSTER_DIR/nginx/tmp"
  chmod 1777 "$CLUSTER_DIR/nginx/tmp"
  for ((i = 0; i < WORKERS; i++)); do
    servers+="        server 127.0.0.1:$((WORKER_PORT + i)) max_fails=0;"$'\n'
  done
  local user_line=""   # as root, nginx's workers drop to nobody
  if [ "$(id -u)" -eq 0 ]; then
    if getent group nogroup >/dev/null; then user_line="user nobody nogroup;"; else user_line="user nobody;"; fi
  fi
  sed -e "s|@USER@|$user_line|" -e "s|@DIR@|$CLUSTER_DIR/nginx|g" -e "s|@PORT@|$PORT|" \
    -e "s|@ROOT@|$ROOT|g" deploy/nginx.conf.template \
    | awk -v servers="$servers" '{ if ($0 ~ /@SERVERS@/) printf "%s", servers; else print }' >"$conf"
  /usr/sbin/nginx -t -q -e "$LOGS/nginx-error.log" -c "$conf" -p "$CLUSTER_DIR/nginx"
  /usr/sbin/nginx -e "$LOGS/nginx-error.log" -c "$conf" -p "$CLUSTER_DIR/nginx"
  wait_for 15 "nginx" http_up "http://127.0.0.1:$PORT/kiosk"
  say "nginx on 0.0.0.0:$PORT (sticky by the yishi_route cookie)"
}

stop_pidfile() { # stop_pidfile NAME: TERM the process named by run/NAME.pid, KILL if it stays
  local file=$RUN/$1.pid pid
  [ -s "$file" ] || return 0
  pid=$(cat "$file")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}

stop_all() {
  local file
  if [ -s "$CLUSTER_DIR/nginx/nginx.pid" ]; then
    cp "$CLUSTER_DIR/nginx/nginx.pid" "$RUN/nginx.pid"
    stop_pidfile nginx
  fi
  for file in "$RUN"/worker-*.pid; do
    [ -e "$file" ] || continue
    stop_pidfile "$(basename "$file" .pid)"
  done
  if [ -s "$RUN/redis.pid" ]; then stop_pidfile redis; fi
  if [ -s "$CLUSTER_DIR/pg/postmaster.pid" ]; then
    as_pg "$(pg_bin)/pg_ctl" -D "$CLUSTER_DIR/pg" -m fast -w -t 30 stop >/dev/null 2>&1 || true
  fi
  say "stopped"
}

port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

preflight() { # before anything starts (and before a failure would stop what runs)
  mkdir -p "$RUN" "$LOGS"
  if compgen -G "$RUN/*.pid" >/dev/null; then
    say "error: a cluster seems to run from $CLUSTER_DIR (scripts/cluster.sh stop first)"
    exit 1
  fi
  local port ports=("$PG_PORT" "$REDIS_PORT") i
  for ((i = 0; i < WORKERS; i++)); do ports+=($((WORKER_PORT + i))); done
  if [ "$CLUSTER_NGINX" = 1 ]; then ports+=("$PORT"); fi
  for port in "${ports[@]}"; do
    if port_taken "$port"; then say "error: port $port is in use (see the settings above)"; exit 1; fi
  done
}

start_all() {
  install_missing
  start_postgres
  start_redis
  prepare_database
  start_workers
  if [ "$CLUSTER_NGINX" = 1 ]; then start_nginx; fi
  write_env
}

write_env() { # what a test or a benchmark needs to reach the cluster (no secrets)
  local urls="" i
  for ((i = 0; i < WORKERS; i++)); do urls+="http://127.0.0.1:$((WORKER_PORT + i)) "; done
  {
    echo "CLUSTER_WORKER_URLS='${urls% }'"
    if [ "$CLUSTER_NGINX" = 1 ]; then echo "CLUSTER_URL=http://127.0.0.1:$PORT"; fi
    echo "CLUSTER_INSTANCE=$CLUSTER_DIR/instance"
  } >"$CLUSTER_DIR/cluster.env"
}

print_urls() {
  local base
  base=${YISHI_PUBLIC_BASE_URL:-}
  [ -n "$base" ] || base=http://$(lan_address):$PORT
  [ "$CLUSTER_NGINX" = 1 ] || base=http://127.0.0.1:$WORKER_PORT
  cat <<EOF

Yishi 议事 (cluster: $WORKERS workers, PostgreSQL, Redis$([ "$CLUSTER_NGINX" = 1 ] && echo ", nginx")) is serving:
  签到机 kiosk          $base/kiosk
  投影 projector        $base/projector
  主持人 moderator      $base/moderator
  记录员 clerk          $base/clerk
  API                  $base/api/v1/openapi.json
  staff login          $base/login (demo accounts' passwords: $CLUSTER_DIR/instance/demo-accounts.txt)
  new account          scripts/cluster.sh yishi create-user NAME --role admin|moderator|clerk
  logs                 $LOGS
Press Ctrl-C to stop everything.
EOF
}

case ${1:-run} in
  run)
    preflight
    trap 'stop_all' EXIT
    trap 'exit 130' INT TERM
    start_all
    print_urls
    # Wait while every worker lives; a worker that dies ends the cluster (and is reported).
    while true; do
      for file in "$RUN"/worker-*.pid; do
        if ! kill -0 "$(cat "$file")" 2>/dev/null; then
          say "error: $(basename "$file" .pid) stopped; see $LOGS"; exit 1
        fi
      done
      sleep 1
    done
    ;;
  start)
    preflight
    trap 'stop_all' EXIT   # a failed (or interrupted) start leaves nothing running
    trap 'exit 143' INT TERM
    start_all
    trap - EXIT
    ;;
  install) install_missing ;;
  stop) stop_all ;;
  database-url) # the PostgreSQL URL (with its password: for the environment, not for logs)
    database_url
    ;;
  python) # the venv's Python with the workers' environment (YISHI_DATABASE_URL, ...)
    shift
    worker_env
    exec "$VENV/bin/python" "$@"
    ;;
  yishi) # a yishi command against the cluster's database: scripts/cluster.sh yishi verify
    shift
    worker_env
    exec "$VENV/bin/yishi" "$@"
    ;;
  status)
    for file in "$RUN"/*.pid; do
      [ -e "$file" ] || continue
      if kill -0 "$(cat "$file")" 2>/dev/null; then echo "$(basename "$file" .pid): running"; fi
    done
    ;;
  *) echo "usage: $0 run|start|stop|status|install|yishi ARGS..." >&2; exit 2 ;;
esac
