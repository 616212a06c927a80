#!/usr/bin/env bash
# Load benchmark for the webhook path, side by side with a floor.
#
#   deploy/bench/load.sh            # 32 connections, 3 rounds of 10 s runs (about 5 min)
#   CONNECTIONS=64 DURATION=20 ROUNDS=5 deploy/bench/load.sh
#   POLICIES=default deploy/bench/load.sh   # only wrk's ordinary scheduling
#
# Builds the release binary and the floor (examples/floor.rs: an axum handler
# that returns the same reply bytes, rendered once, with no verification,
# parsing or advice per request), starts both on loopback,
# drives each with wrk using a realistic, correctly signed /testscope request,
# and prints requests/s, p50, p99, peak RSS and start-to-ready time, plus
# testscope's ratios to the floor. Traffic goes to 127.0.0.1 only.
#
# The two servers take turns, ROUNDS times, and which goes first alternates,
# so a noisy neighbour or a drifting clock speed hits both alike; the summary
# is the median of the per-round ratios.
#
# Two workloads: a new question on every request (600 distinct signed
# commands in rotation: what users send, and what the targets are set for),
# and the same question over and over. testscope keeps no reply cache, so
# both pay for verifying, parsing, advising and rendering every time.
#
# Each workload runs under two scheduling policies for wrk (POLICIES):
#   default  wrk as an ordinary process. On two shared cores, each reply that
#            wakes a wrk thread can preempt the server mid-request, and the
#            more CPU a server spends per request the more often that
#            happens, so the heavier server is penalised twice.
#   batch    wrk under `chrt --batch 0`. The server is not preempted when a
#            wrk thread wakes, much as if the load came from another machine.
#            The floor's throughput barely changes.
# Both are printed; see README.md (Benchmarks) for which one the targets use
# and why.
set -euo pipefail
cd "$(dirname "$0")/../.."

CONNECTIONS=${CONNECTIONS:-32}
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-3}
THREADS=${THREADS:-2}
POLICIES=${POLICIES:-default batch}
SERVE_ADDR=127.0.0.1:3100
FLOOR_ADDR=127.0.0.1:3101
SECRET=bench-signing-secret
WORK=$(mktemp -d)
trap 'kill $(cat "$WORK"/*.pid 2>/dev/null) 2>/dev/null || true; [ -n "${KEEP:-}" ] || rm -rf "$WORK"' EXIT

if ! command -v wrk >/dev/null; then
  echo "installing wrk (Debian package)" >&2
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq wrk >/dev/null
  else sudo apt-get update -qq && sudo apt-get install -y -qq wrk >/dev/null; fi
fi

if [[ " $POLICIES " == *" batch "* ]] && ! command -v chrt >/dev/null; then
  echo "chrt (util-linux) is needed for POLICIES=batch; or run with POLICIES=default" >&2
  exit 1
fi

cargo build --release --quiet --bin testscope --example floor
BIN=${CARGO_TARGET_DIR:-target}/release/testscope
FLOOR=${CARGO_TARGET_DIR:-target}/release/examples/floor

# BODY, the questions and the wrk script that sends them.
# shellcheck source=deploy/bench/requests.sh
source deploy/bench/requests.sh

# A signature stays valid for 300 s, so each round signs afresh.
sign_request() {
  local headers ts sig
  headers=$("$BIN" sign --secret "$SECRET" "$BODY")
  ts=$(echo "$headers" | sed -n 's/^X-Slack-Request-Timestamp: //p')
  sig=$(echo "$headers" | sed -n 's/^X-Slack-Signature: //p')
  cat > "$WORK/same.lua" <<LUA
wrk.method = "POST"
wrk.body = "$BODY"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["X-Slack-Request-Timestamp"] = "$ts"
wrk.headers["X-Slack-Signature"] = "$sig"
LUA
  new_question_lua "$ts" "$WORK/new.lua"
}

now_ms() { date +%s%3N; }

# Starts a server, waits until it answers, and prints the milliseconds it took.
start() {
  local name=$1 url=$2; shift 2
  local t0; t0=$(now_ms)
  "$@" >"$WORK/$name.log" 2>&1 &
  echo $! >"$WORK/$name.pid"
  until curl -s -o /dev/null "$url" 2>/dev/null; do sleep 0.002; done
  echo $(( $(now_ms) - t0 ))
}

peak_rss_mb() { awk '/VmHWM/ {printf "%.1f", $2/1024}' "/proc/$(cat "$WORK/$1.pid")/status"; }

# run_wrk URL NAME SCRIPT POLICY
run_wrk() {
  local sched=()
  if [ "$4" = batch ]; then sched=(chrt --batch 0); fi
  "${sched[@]}" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$WORK/$3.lua" "$1" >"$WORK/$2.wrk"
  if grep -q "Socket errors" "$WORK/$2.wrk"; then echo "socket errors from $2:" >&2; grep "Socket errors" "$WORK/$2.wrk" >&2; fi
  # A wrong signature would give 401s; make sure every response was a 200.
  if grep -q "Non-2xx" "$WORK/$2.wrk"; then echo "non-2xx responses from $2:" >&2; cat "$WORK/$2.wrk" >&2; exit 1; fi
}

ms() { # wrk latency ("1.23ms", "850.00us", "1.02s") -> milliseconds
  awk -v v="$1" 'BEGIN { n=v+0; if (v ~ /us$/) n/=1000; else if (v ~ /ms$/) n=n; else if (v ~ /s$/) n*=1000; printf "%.3f", n }'
}

QUESTION='we bumped max_depth from 6 to 8 and switched the pyfunc wrapper to log the model with a new signature; the feature pipeline did not change. Plan is to promote to prod on Thursday.'
FLOOR_READY=$(start floor "http://$FLOOR_ADDR/" "$FLOOR" "$FLOOR_ADDR" "$QUESTION")
SERVE_READY=$(start serve "http://$SERVE_ADDR/healthz" env SLACK_SIGNING_SECRET="$SECRET" \
  TESTSCOPE_ADDR="$SERVE_ADDR" TESTSCOPE_DATABASE_URL="sqlite://$WORK/bench.db" RUST_LOG=testscope=warn "$BIN" serve)

# run_floor ROUND LOAD POLICY
run_floor() { run_wrk "http://$FLOOR_ADDR/slack/commands" "floor.$1.$2.$3" "$2" "$3"; }
run_serve() { run_wrk "http://$SERVE_ADDR/slack/commands" "serve.$1.$2.$3" "$2" "$3"; }

# "rps p50 p99" of one wrk report.
summary() {
  local f=$WORK/$1.wrk
  echo "$(awk '/Requests\/sec/ {print $2}' "$f")" \
    "$(ms "$(awk '$1=="50%" {print $2}' "$f")")" \
    "$(ms "$(awk '$1=="99%" {print $2}' "$f")")"
}

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

printf '\nwrk -t%s -c%s -d%ss, signed /testscope slash commands (%s bytes), loopback, %s cores, %s rounds\n' \
  "$THREADS" "$CONNECTIONS" "$DURATION" "${#BODY}" "$(nproc)" "$ROUNDS"
for round in $(seq 1 "$ROUNDS"); do
  sign_request
  for policy in $POLICIES; do
    for load in new same; do
      if (( round % 2 )); then run_floor "$round" "$load" "$policy"; run_serve "$round" "$load" "$policy"
      else run_serve "$round" "$load" "$policy"; run_floor "$round" "$load" "$policy"; fi
      read -r F_RPS F_P50 F_P99 <<<"$(summary "floor.$round.$load.$policy")"
      read -r S_RPS S_P50 S_P99 <<<"$(summary "serve.$round.$load.$policy")"
      echo "$F_RPS $F_P50 $F_P99 $S_RPS $S_P50 $S_P99" >>"$WORK/results.$load.$policy"
    done
  done
done

col() { awk -v c="$2" '{ print $c }' "$WORK/results.$1" | median; }
ratio() { awk -v a="$2" -v b="$3" '{ print $a / $b }' "$WORK/results.$1" | median; }
F_RSS=$(peak_rss_mb floor)
S_RSS=$(peak_rss_mb serve)

for policy in $POLICIES; do
for load in new same; do
  if [ "$load" = new ]; then
    printf '\n### A new question every time (the targets), wrk scheduling: %s\n\n' "$policy"
  else
    printf '\n### The same question every time, wrk scheduling: %s\n\n' "$policy"
  fi
  load=$load.$policy
  printf '| round | floor req/s | serve req/s | throughput ratio | floor p99 ms | serve p99 ms | p99 ratio |\n'
  printf '| --- | --- | --- | --- | --- | --- | --- |\n'
  awk '{ printf "| %d | %.0f | %.0f | %.2f | %s | %s | %.2f |\n", NR, $1, $4, $4/$1, $3, $6, $6/$3 }' "$WORK/results.$load"
  printf '\n| server | requests/s | p50 ms | p99 ms |\n'
  printf '| --- | --- | --- | --- |\n'
  printf '| floor (fixed body) | %.0f | %s | %s |\n' "$(col "$load" 1)" "$(col "$load" 2)" "$(col "$load" 3)"
  printf '| testscope serve | %.0f | %s | %s |\n' "$(col "$load" 4)" "$(col "$load" 5)" "$(col "$load" 6)"
  printf '\nthroughput: %.2fx the floor; p99: %.2fx the floor (medians of per-round ratios)\n' \
    "$(ratio "$load" 4 1)" "$(ratio "$load" 6 3)"
done
done

printf '\n| server | peak RSS MB | start to ready ms |\n| --- | --- | --- |\n'
printf '| floor (fixed body) | %s | %s |\n| testscope serve | %s | %s |\n' "$F_RSS" "$FLOOR_READY" "$S_RSS" "$SERVE_READY"
