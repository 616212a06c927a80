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

# The questions and the body of load.sh's "new question" workload.
BODY='token=x&team_id=T0001&team_domain=example&channel_id=C2147483705&channel_name=ml-review&user_id=U2147483697&user_name=steve&command=%2Ftestscope&text=we+bumped+max_depth+from+6+to+8+and+switched+the+pyfunc+wrapper+to+log+the+model+with+a+new+signature%3B+the+feature+pipeline+did+not+change.+Plan+is+to+promote+to+prod+on+Thursday.&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2F1234%2F5678&trigger_id=13345224609.738474920.8088930838d88f008e0&api_app_id=A123456'
questions() {
  local i
  for i in $(seq 1 100); do
    echo "we bumped max_depth from $((i % 9 + 2)) to $((i % 9 + 4)) and switched the pyfunc wrapper to log the model with a new signature; the feature pipeline did not change. Plan is to promote to prod on day $i."
    echo "renamed column user_id to customer_id_$i in the feature table; the training job and the serving endpoint both read it"
    echo "changed the learning rate to 0.00$i in conf/params.yaml, should we retrain and compare against the champion before release $i?"
    echo "the upstream vendor changed null handling in transactions table v$i, same schema, our features depend on it"
    echo "fixed a typo in README section $i and added a unit test in tests/test_features_$i.py"
    echo "endpoint workload size moves to medium and the traffic split becomes $i/$((100 - i)) for the challenger model"
  done
}
form_text() { sed -e 's/%/%25/g; s/ /+/g; s/;/%3B/g; s/,/%2C/g; s#/#%2F#g; s/?/%3F/g'; }

ts=$("$BIN" sign --secret "$SECRET" "$BODY" | sed -n 's/^X-Slack-Request-Timestamp: //p')
{
  echo 'local bodies = {}'
  while read -r text; do
    body="${BODY%%&text=*}&text=$(form_text <<<"$text")&${BODY#*&text=*&}"
    sig=$("$BIN" sign --secret "$SECRET" --timestamp "$ts" "$body" | sed -n 's/^X-Slack-Signature: //p')
    echo "bodies[#bodies + 1] = { \"$body\", \"$sig\" }"
  done < <(questions)
  cat <<LUA
local i = 0
function init(args) i = math.random(#bodies) end
function request()
  i = i % #bodies + 1
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["X-Slack-Request-Timestamp"] = "$ts",
    ["X-Slack-Signature"] = bodies[i][2],
  }, bodies[i][1])
end
LUA
} > "$WORK/new.lua"

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
part "  ... through axum::Json" ':<axum::json::Json<T> as axum_core::response::into_response::IntoResponse>::into_response'
part "blocking tasks: the store's writes (off the reply)" ':<tokio::runtime::blocking::task::BlockingTask<T> as core::future::future::Future>::poll'
part "all SHA-256 (software under valgrind)" ':sha2::sha256::compress256'
part "metrics (http_request)" ':testscope::telemetry::http_request'
echo "  (the rest: hyper, axum, tokio, the edge middleware; a part with no line was inlined into its caller)"
