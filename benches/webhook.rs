//! `cargo bench --bench webhook`: the in-process work of one slash command
//! before the reply is looked up: checking Slack's signature over the raw
//! body, and decoding the form into a command. The load benchmark
//! (`deploy/bench/load.sh`) measures the whole HTTP path around these.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use testscope::slack::payload::parse_command;
use testscope::slack::signature::{SigningSecrets, verify};

/// The body the load benchmark sends: a real slash command as Slack encodes it.
const BODY: &[u8] = b"token=x&team_id=T0001&team_domain=example&channel_id=C2147483705&\
channel_name=ml-review&user_id=U2147483697&user_name=steve&command=%2Ftestscope&\
text=we+bumped+max_depth+from+6+to+8+and+switched+the+pyfunc+wrapper+to+log+the+model+with+a+new+\
signature%3B+the+feature+pipeline+did+not+change.+Plan+is+to+promote+to+prod+on+Thursday.&\
response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2F1234%2F5678&\
trigger_id=13345224609.738474920.8088930838d88f008e0&api_app_id=A123456";

fn bench(c: &mut Criterion) {
    let secrets = SigningSecrets::parse("bench-signing-secret").expect("a secret");
    let now = 1_700_000_000;
    let signature = secrets.sign(now, BODY);
    let timestamp = now.to_string();

    let mut group = c.benchmark_group("webhook");
    group.bench_function("verify_signature", |b| {
        b.iter(|| {
            verify(
                &secrets,
                Some(timestamp.as_bytes()),
                Some(signature.as_bytes()),
                black_box(BODY),
                now,
            )
        });
    });
    group.bench_function("parse_command", |b| {
        b.iter(|| parse_command(black_box(BODY)));
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
