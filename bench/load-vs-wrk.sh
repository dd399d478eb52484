#!/usr/bin/env bash
# Benchmark: the gate's load engine against wrk on the same endpoint, in the same run.
#
#   bench/load-vs-wrk.sh            # ~60 s: builds, starts the reference platform, measures
#   DURATION=10 USERS=64 ROUNDS=2 bench/load-vs-wrk.sh
#
# Starts a throwaway PostgreSQL cluster and Redis on 127.0.0.1 and the reference platform on
# 127.0.0.2, then for HTTPS and plain HTTP (X-Forwarded-Proto: https, so the plain port answers
# instead of redirecting) runs: a short wrk warm-up, the engine (closed model, USERS users, no
# think time, DURATION s) and `wrk -t2 -c64 -dDURATIONs`. Prints both rates and the ratio;
# exits 1 when the engine reaches less than MIN_RATIO (0.6) of wrk. ROUNDS=n (default 1) repeats the
# pair, alternating which tool goes first, and compares the means (less bias on a busy machine).
# A third row runs the engine over HTTP/2 (`gate-load bench --http 2`) against wrk's HTTP/1.1: for
# information only (wrk cannot speak HTTP/2, so it is not like for like and does not gate).
# If the platform cannot start, falls back to a trivial Kestrel endpoint (gate-load serve, HTTP).
# Load goes to loopback only. Do not run it while others on the machine are measuring.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DURATION="${DURATION:-10}"
USERS="${USERS:-64}"
MIN_RATIO="${MIN_RATIO:-0.6}"
ROUNDS="${ROUNDS:-1}"
PGBIN="${PGBIN:-/usr/lib/postgresql/15/bin}"
STATE="$(mktemp -d /tmp/load-bench.XXXXXX)"
chmod 755 "$STATE"
PIDS=()

cleanup() {
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
  [ -f "$STATE/redis.pid" ] && kill "$(cat "$STATE/redis.pid")" 2>/dev/null || true
  [ -d "$STATE/pg" ] && runuser -u postgres -- "$PGBIN/pg_ctl" -D "$STATE/pg" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$STATE"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_for() { # file pattern seconds
  for _ in $(seq 1 $(( $3 * 10 ))); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done; return 1
}

echo "== build (Release)"
dotnet build -c Release "$ROOT/tools/Gate.LoadCli" -nologo -v q -clp:ErrorsOnly >/dev/null
dotnet build -c Release "$ROOT/target/TheBot.Reference" -nologo -v q -clp:ErrorsOnly >/dev/null
ENGINE="$ROOT/artifacts/bin/Gate.LoadCli/release/gate-load"
PLATFORM="$ROOT/artifacts/bin/TheBot.Reference/release/TheBot.Reference.dll"

start_platform() {
  local pgport redisport
  pgport=$(free_port); redisport=$(free_port); HTTPS_PORT=$(free_port); HTTP_PORT=$(free_port)
  [ -x "$PGBIN/initdb" ] || { echo "no PostgreSQL at $PGBIN"; return 1; }
  command -v redis-server >/dev/null || { echo "no redis-server"; return 1; }
  mkdir -p "$STATE/pg" "$STATE/sock" && chown postgres "$STATE/pg" "$STATE/sock"
  runuser -u postgres -- "$PGBIN/initdb" -D "$STATE/pg" -U postgres --auth=trust >"$STATE/initdb.log" 2>&1
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$STATE/pg" -l "$STATE/sock/pg.log" -w \
    -o "-p $pgport -k $STATE/sock -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
  runuser -u postgres -- "$PGBIN/createdb" -h 127.0.0.1 -p "$pgport" -U postgres thebot_prod
  redis-server --port "$redisport" --bind 127.0.0.1 --daemonize yes --pidfile "$STATE/redis.pid" \
    --dir "$STATE" --save "" --appendonly no --logfile "$STATE/redis.log"
  THEBOT_BIND=127.0.0.2 THEBOT_HTTPS_PORT=$HTTPS_PORT THEBOT_HTTP_PORT=$HTTP_PORT \
  THEBOT_DATABASE="Host=127.0.0.1;Port=$pgport;Username=postgres;Database=thebot_prod" \
  THEBOT_REDIS="127.0.0.1:$redisport" THEBOT_STATE_DIR="$STATE/platform" \
    dotnet "$PLATFORM" >"$STATE/platform.log" 2>&1 &
  PIDS+=($!)
  wait_for "$STATE/platform.log" "THEBOT READY" 60
}

declare -a ROWS
measure() { # label url [ca] [extra engine args...]
  local label=$1 url=$2 ca=${3:-} engine_out wrk_out engine_sum=0 wrk_sum=0 engine_rps wrk_rps ratio round
  local extra=("${@:4}")
  local caarg=() hdr="X-Forwarded-Proto: https"
  [ -n "$ca" ] && caarg=(--ca "$ca")
  echo "== $label: $url"
  wrk -t2 -c"$USERS" -d2s -H "$hdr" "$url" >/dev/null                  # warm the server up
  run_engine() {
    engine_out=$("$ENGINE" bench --url "$url" --users "$USERS" --duration "$DURATION" --header "$hdr" "${caarg[@]}" "${extra[@]}")
    echo "$engine_out" | grep -E "^bench:"
    engine_sum=$(( engine_sum + $(echo "$engine_out" | awk '/^ENGINE_RPS/ {print $2}') ))
  }
  run_wrk() {
    wrk_out=$(wrk -t2 -c64 -d"${DURATION}s" -H "$hdr" "$url")
    echo "$wrk_out" | grep -E "Requests/sec|Non-2xx|Socket errors" | sed 's/^/wrk: /'
    wrk_sum=$(( wrk_sum + $(echo "$wrk_out" | awk '/^Requests\/sec/ {printf "%.0f", $2}') ))
  }
  for round in $(seq 1 "$ROUNDS"); do
    if [ $(( round % 2 )) -eq 1 ]; then run_engine; run_wrk; else run_wrk; run_engine; fi
  done
  engine_rps=$(( engine_sum / ROUNDS )); wrk_rps=$(( wrk_sum / ROUNDS ))
  ratio=$(awk -v e="$engine_rps" -v w="$wrk_rps" 'BEGIN {printf "%.2f", e / w}')
  ROWS+=("$(printf '%-34s %10s %10s %7s' "$label" "$engine_rps" "$wrk_rps" "$ratio")")
}

if start_platform; then
  echo "== reference platform up on 127.0.0.2 (https $HTTPS_PORT, http $HTTP_PORT)"
  measure "platform liveness, HTTPS" "https://127.0.0.2:$HTTPS_PORT/api/system/health/live/" "$STATE/platform/tls/ca.pem"
  measure "platform liveness, HTTP" "http://127.0.0.2:$HTTP_PORT/api/system/health/live/"
  measure "liveness, HTTPS, engine on HTTP/2 *" "https://127.0.0.2:$HTTPS_PORT/api/system/health/live/" "$STATE/platform/tls/ca.pem" --http 2
else
  echo "== reference platform did not start (see below); falling back to a trivial Kestrel endpoint"
  tail -5 "$STATE/platform.log" 2>/dev/null || true
  PORT=$(free_port)
  "$ENGINE" serve --port "$PORT" >"$STATE/serve.log" 2>&1 &
  PIDS+=($!)
  wait_for "$STATE/serve.log" "SERVE READY" 20
  measure "trivial Kestrel endpoint, HTTP" "http://127.0.0.1:$PORT/"
fi

echo
echo "engine: closed model, $USERS users, no think time, ${DURATION}s; wrk: -t2 -c64 -d${DURATION}s; rounds: $ROUNDS; $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-34s %10s %10s %7s\n' "endpoint" "engine/s" "wrk/s" "ratio"
status=0
for row in "${ROWS[@]}"; do
  echo "$row"
  [[ "$row" == *"*"* ]] && continue   # information only: not like for like
  awk -v r="$(echo "$row" | awk '{print $NF}')" -v m="$MIN_RATIO" 'BEGIN {exit !(r < m)}' && status=1
done
echo "* engine over HTTP/2, wrk over HTTP/1.1: information only, not gated"
[ $status -eq 0 ] && echo "PASS: the engine reaches at least ${MIN_RATIO}x wrk" || echo "FAIL: the engine is below ${MIN_RATIO}x wrk"
exit $status
