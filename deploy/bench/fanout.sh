#!/usr/bin/env bash
# Quiz fan-out benchmark: CHANNELS subscribed channels (default 5,000) whose
# quiz is due at the same minute, posted by `testscope serve` against a fake
# Slack (examples/fake_slack.rs) that takes DELAY_MS (default 50) per post.
#
#   deploy/bench/fanout.sh            # SQLite (one instance), then PostgreSQL (two replicas)
#   deploy/bench/fanout.sh sqlite     # one of them
#   deploy/bench/fanout.sh postgres
#
# The channels are subscribed the way an operator would, through
# TESTSCOPE_QUIZ_CHANNELS, for the next minute that leaves time to start.
# PostgreSQL runs use a fresh schema in TEST_DATABASE_URL (default
# postgres://postgres@127.0.0.1:5432/test), dropped at the end.
#
# Printed per run: seconds from the due minute to the first and to the last
# post, posts, channels posted more than once (must be 0), channels without
# a post (must be 0), posts the fake refused for coming too soon after
# another in the same channel, each replica's share, and each process's
# peak RSS (VmHWM) when ready and at the end.
#
# Other knobs: THROTTLE_EVERY=N (the fake answers every Nth post with a 429
# and Retry-After: 1), TESTSCOPE_QUIZ_CONCURRENCY, TESTSCOPE_QUIZ_TICK_SECS
# (default 20, the product's own), TIMEOUT (seconds after the due minute).
set -euo pipefail

CHANNELS=${CHANNELS:-5000}
DELAY_MS=${DELAY_MS:-50}
THROTTLE_EVERY=${THROTTLE_EVERY:-0}
TIMEOUT=${TIMEOUT:-300}
PG_BASE=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}
FAKE_PORT=${FAKE_PORT:-3301}
SERVE_PORT=${SERVE_PORT:-3311}
RUNS=${1:-all}

cd "$(dirname "$0")/../.."
target=${CARGO_TARGET_DIR:-target}
cargo build --release --quiet --bin testscope --example fake_slack
bin="$target/release/testscope"
fake_bin="$target/release/examples/fake_slack"

work=$(mktemp -d)
pids=()
schema=""
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    if [ -n "$schema" ]; then
        psql -q "$PG_BASE" -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

now_ms() { date +%s%3N; }
peak_rss_mb() { awk '/VmHWM/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }

wait_ready() { # port
    for _ in $(seq 1 300); do
        curl -fs "http://127.0.0.1:$1/readyz" >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    echo "testscope on port $1 never became ready; log:" >&2
    cat "$work"/serve-*.log >&2
    exit 1
}

# One benchmark run: $1 names it, $2 is the database URL, $3 the number of
# `serve` processes sharing it.
run() {
    local name=$1 db=$2 replicas=$3
    pids=()
    "$fake_bin" --addr "127.0.0.1:$FAKE_PORT" --delay-ms "$DELAY_MS" \
        --throttle-every "$THROTTLE_EVERY" 2>"$work/fake.log" &
    pids+=($!)
    for _ in $(seq 1 100); do
        curl -fs "http://127.0.0.1:$FAKE_PORT/stats" >/dev/null 2>&1 && break
        sleep 0.05
    done

    # The due minute: the next one at least 40 s away, to start in.
    local due=$(( ($(date +%s) + 40 + 59) / 60 * 60 ))
    local hhmm
    hhmm=$(date -u -d "@$due" +%H:%M)
    local spec
    spec=$(seq -f "C%05g=$hhmm daily" 1 "$CHANNELS" | paste -sd ';')

    local serve_pids=()
    for i in $(seq 1 "$replicas"); do
        TESTSCOPE_ADDR="127.0.0.1:$((SERVE_PORT + i))" \
        SLACK_SIGNING_SECRET=bench-secret \
        SLACK_BOT_TOKEN="xoxb-replica-$i" \
        SLACK_API_URL="http://127.0.0.1:$FAKE_PORT" \
        TESTSCOPE_DATABASE_URL="$db" \
        TESTSCOPE_QUIZ_CHANNELS="$spec" \
        RUST_LOG=${RUST_LOG:-testscope=info} \
            "$bin" serve >"$work/serve-$i.log" 2>&1 &
        pids+=($!)
        serve_pids+=($!)
    done
    for i in $(seq 1 "$replicas"); do wait_ready $((SERVE_PORT + i)); done
    local ready_rss=()
    for pid in "${serve_pids[@]}"; do ready_rss+=("$(peak_rss_mb "$pid")"); done
    if [ "$(date +%s)" -ge "$due" ]; then
        echo "$name: started after the due minute; rerun" >&2
        exit 1
    fi

    local stats posts=0
    while :; do
        stats=$(curl -fs "http://127.0.0.1:$FAKE_PORT/stats")
        posts=$(jq .posts <<<"$stats")
        [ "$posts" -ge "$CHANNELS" ] && break
        if [ "$(now_ms)" -gt $(( (due + TIMEOUT) * 1000 )) ]; then
            echo "$name: only $posts of $CHANNELS posted ${TIMEOUT}s after the due minute" >&2
            break
        fi
        sleep 0.5
    done
    # A late duplicate would come within a tick or two.
    sleep "${SETTLE_SECS:-5}"
    stats=$(curl -fs "http://127.0.0.1:$FAKE_PORT/stats")
    local end_rss=()
    for pid in "${serve_pids[@]}"; do end_rss+=("$(peak_rss_mb "$pid")"); done

    jq -r --arg name "$name" --argjson due "$due" --argjson channels "$CHANNELS" \
        --arg ready "${ready_rss[*]}" --arg peak "${end_rss[*]}" '
        "\($name): \(.posts) posts to \(.channels) of \($channels) channels",
        "  due -> first post  \((.first_post_ms - $due * 1000) / 1000) s",
        "  due -> last post   \((.last_post_ms - $due * 1000) / 1000) s",
        "  first -> last      \((.last_post_ms - .first_post_ms) / 1000) s",
        "  channels posted more than once: \(.channels_posted_more_than_once), without a post: \($channels - .channels)",
        "  refused: \(.refused_too_soon) too soon in a channel, \(.refused_throttled) by --throttle-every",
        "  posts by replica: \(.posts_by_token | to_entries | map("\(.key)=\(.value)") | join(" "))",
        "  peak RSS MB (ready -> end): \($ready) -> \($peak)"' <<<"$stats"

    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    pids=()
}

if [ "$RUNS" = all ] || [ "$RUNS" = sqlite ]; then
    run "SQLite, 1 instance" "sqlite://$work/fanout.db" 1
fi
if [ "$RUNS" = all ] || [ "$RUNS" = postgres ]; then
    schema="fanout_$(date +%s)_$$"
    psql -q "$PG_BASE" -c "CREATE SCHEMA $schema" >/dev/null
    sep='?'; [[ $PG_BASE == *\?* ]] && sep='&'
    run "PostgreSQL, 2 replicas" "${PG_BASE}${sep}options=-csearch_path%3D$schema" 2
fi
