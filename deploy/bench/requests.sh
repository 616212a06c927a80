# Sourced by load.sh and callgrind.sh: the signed /testscope requests both
# send, so their "new question" workloads are the same 600 questions.
# Needs BIN (the testscope binary) and SECRET (the signing secret) set.

# The body of one realistic slash command, form-encoded.
BODY='token=x&team_id=T0001&team_domain=example&channel_id=C2147483705&channel_name=ml-review&user_id=U2147483697&user_name=steve&command=%2Ftestscope&text=we+bumped+max_depth+from+6+to+8+and+switched+the+pyfunc+wrapper+to+log+the+model+with+a+new+signature%3B+the+feature+pipeline+did+not+change.+Plan+is+to+promote+to+prod+on+Thursday.&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2F1234%2F5678&trigger_id=13345224609.738474920.8088930838d88f008e0&api_app_id=A123456'

# Distinct questions, one per line.
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

# A question as a form-encoded `text`.
form_text() { sed -e 's/%/%25/g; s/ /+/g; s/;/%3B/g; s/,/%2C/g; s#/#%2F#g; s/?/%3F/g'; }

# new_question_lua TIMESTAMP FILE: a wrk script that sends every question,
# each signed for TIMESTAMP, in rotation from a random start per thread.
new_question_lua() {
  local ts=$1 text body sig
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
  } > "$2"
}
