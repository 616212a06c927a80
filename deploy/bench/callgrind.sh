#!/usr/bin/env bash
# Instructions per request on the webhook path, under callgrind.
#
#   deploy/bench/callgrind.sh                 # 20 s of wrk -c4, a new question per request
#   DURATION=30 OUT=/tmp/cg.out deploy/bench/callgrind.sh
#   BIN=path/to/testscope deploy/bench/callgrind.sh   # an already built binary
#
# Starts the release `testscope serve` under `valgrind --tool=callgrind
# --instr-atstart=no`, warms it up, switches instrumentation on
# (`callgrind_control -i on`) for DURATION seconds of `wrk -c4` sending the
# same 600 signed questions as load.sh's "new question" workload, switches it
# off, and prints instructions per request and an inclusive split by part of
# the path. Counting is deterministic, so unlike load.sh it needs no quiet
# machine and no floor beside it; it says where instructions go, not how fast.
set -euo pipefail
cd "$(dirname "$0")/../.."

DURATION=${DURATION:-20}
WARMUP=${WARMUP:-3}
ADDR=127.0.0.1:3110
SECRET=bench-signing-secret
WORK=$(mktemp -d)
OUT=${OUT:-$WORK/callgrind.out}
trap 'kill $(cat "$WORK"/*.pid 2>/dev/null) 2>/dev/null || true; [ -n "${KEEP:-}" ] || rm -rf "$WORK"' EXIT

for tool in valgrind callgrind_control callgrind_annotate wrk; do
  command -v "$tool" >/dev/null || { echo "$tool is needed (Debian: valgrind, wrk)" >&2; exit 1; }
done

if [ -z "${BIN:-}" ]; then
  cargo build --release --quiet --bin testscope
  BIN=${CARGO_TARGET_DIR:-target}/release/testscope
fi

# The body, questions and wrk script of load.sh's "new question" workload.
# shellcheck source=deploy/bench/requests.sh
source deploy/bench/requests.sh

ts=$("$BIN" sign --secret "$SECRET" "$BODY" | sed -n 's/^X-Slack-Request-Timestamp: //p')
new_question_lua "$ts" "$WORK/new.lua"

env SLACK_SIGNING_SECRET="$SECRET" TESTSCOPE_ADDR="$ADDR" \
  TESTSCOPE_DATABASE_URL="sqlite://$WORK/bench.db" RUST_LOG=testscope=warn \
  valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$OUT" "$BIN" serve \
  >"$WORK/serve.log" 2>&1 &
echo $! >"$WORK/serve.pid"
until curl -s -o /dev/null "http://$ADDR/healthz" 2>/dev/null; do sleep 0.2; done

URL="http://$ADDR/slack/commands"
wrk -t1 -c4 -d"${WARMUP}s" -s "$WORK/new.lua" "$URL" >/dev/null
callgrind_control -i on "$(cat "$WORK/serve.pid")" >/dev/null
wrk -t1 -c4 -d"${DURATION}s" -s "$WORK/new.lua" "$URL" >"$WORK/wrk.out"
callgrind_control -i off "$(cat "$WORK/serve.pid")" >/dev/null
if grep -q "Non-2xx" "$WORK/wrk.out"; then echo "non-2xx responses:" >&2; cat "$WORK/wrk.out" >&2; exit 1; fi
kill -INT "$(cat "$WORK/serve.pid")"
wait "$(cat "$WORK/serve.pid")" 2>/dev/null || true
rm "$WORK/serve.pid"

REQUESTS=$(awk '/requests in/ {print $1}' "$WORK/wrk.out")
TOTAL=$(callgrind_annotate "$OUT" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
echo "requests: $REQUESTS; instructions: $TOTAL; per request: $((TOTAL / REQUESTS))"

# Inclusive instructions per request of each part: the first (largest)
# entry of callgrind_annotate's inclusive listing for a function whose name
# matches, as a symbol of its own (`name [binary]`). A function inlined into
# its caller has no entry and prints nothing; its cost is in the caller's.
ANNOTATED=$WORK/annotated.txt
callgrind_annotate --inclusive=yes --threshold=100 "$OUT" 2>/dev/null >"$ANNOTATED"
part() {
  grep -E "$2 \[" "$ANNOTATED" | head -1 |
    awk -v n="$REQUESTS" -v name="$1" '{gsub(",", "", $1); printf "  %-44s %8d\n", name, $1 / n}' || true
}
echo
echo "inclusive instructions per request, by part:"
part "body read and signature check" 'Verified as axum_core::extract::FromRequest<.*>>::from_request::\{\{closure\}\}'
part "  signature check (HMAC-SHA-256)" ':testscope::slack::signature::verify'
part "form parsing" ':testscope::slack::payload::parse_command'
part "the answer (advise, render, record)" ':testscope::server::shown::recorded_reply'
part "  advise" ':testscope::advisor::advise'
part "  reply built (first screen, id, buttons)" ':testscope::render::private::private_reply'
part "    first screen" ':testscope::render::blocks::advice_message'
part "    answer id (serialise + SHA-256)" ':testscope::render::private::advice_id'
part "  record queued" ':testscope::server::shown::ShownLog::push'
part "reply serialised (Ack)" ':<testscope::server::ack::Ack as axum_core::response::into_response::IntoResponse>::into_response'
part "blocking tasks: the store's writes (off the reply)" ':<tokio::runtime::blocking::task::BlockingTask<T> as core::future::future::Future>::poll'
part "all SHA-256 (software under valgrind)" ':sha2::sha256::compress256'
part "metrics (http_request)" ':testscope::telemetry::http_request'
echo "  (the rest: hyper, axum, tokio, the edge middleware; a part with no line was inlined into its caller)"
