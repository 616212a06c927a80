//! Hostile-input property tests for everything that reads untrusted bytes:
//! the signature check with form parsing, Events API JSON, interaction
//! payloads, slash-command and quiz-command text, and the advisor.
//!
//! CI runs a few hundred cases per target. For a longer run:
//!
//! ```sh
//! TESTSCOPE_FUZZ_CASES=100000 cargo test --release --test fuzz
//! ```

use std::sync::LazyLock;

use proptest::prelude::*;
use testscope::quiz::schedule::Schedule;
use testscope::slack::{payload, signature};
use testscope::{KnowledgeBase, advise};

static KB: LazyLock<KnowledgeBase> = LazyLock::new(|| KnowledgeBase::embedded().unwrap());

fn cases() -> u32 {
    std::env::var("TESTSCOPE_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256)
}

/// Bytes that look like what Slack sends, so mutations reach deep code.
fn slackish() -> impl Strategy<Value = Vec<u8>> {
    let seeds = prop_oneof![
        Just(&b"token=x&team_id=T1&channel_id=C1&user_id=U1&command=%2Ftestscope&text=bumped+lr&response_url=https%3A%2F%2Fh"[..]),
        Just(&br#"{"type":"event_callback","event_id":"Ev1","event":{"type":"app_mention","user":"U1","text":"<@U2> lr","ts":"1.2","channel":"C1"}}"#[..]),
        Just(&br#"{"type":"url_verification","challenge":"abc"}"#[..]),
        Just(&b"payload=%7B%22type%22%3A%22block_actions%22%2C%22user%22%3A%7B%22id%22%3A%22U1%22%7D%2C%22actions%22%3A%5B%5D%7D"[..]),
        Just(&b"ssl_check=1&token=x"[..]),
    ];
    (
        seeds,
        proptest::collection::vec((any::<usize>(), any::<u8>()), 0..8),
    )
        .prop_map(|(seed, edits)| {
            let mut bytes = seed.to_vec();
            for (at, byte) in edits {
                if bytes.is_empty() {
                    bytes.push(byte);
                } else {
                    let i = at % bytes.len();
                    bytes[i] = byte;
                }
            }
            bytes
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn signature_then_parsing_never_panics(
        body in prop_oneof![slackish(), proptest::collection::vec(any::<u8>(), 0..4096)],
        ts in proptest::option::of(proptest::collection::vec(any::<u8>(), 0..16)),
        sig in proptest::option::of(proptest::collection::vec(any::<u8>(), 0..80)),
    ) {
        let secrets = signature::SigningSecrets::parse("fuzz-secret").unwrap();
        let _ = signature::verify(&secrets, ts.as_deref(), sig.as_deref(), &body, 1_700_000_000);
        // A correctly signed body goes on to the parsers.
        let good = signature::sign("fuzz-secret", 1_700_000_000, &body).unwrap();
        prop_assert!(signature::verify(&secrets, Some(b"1700000000"), Some(good.as_bytes()), &body, 1_700_000_000).is_ok());
        let _ = payload::parse_command(&body);
        let _ = payload::parse_event(&body);
        let _ = payload::parse_interaction(&body);
    }

    #[test]
    fn command_text_and_schedules_never_panic(text in "\\PC{0,300}") {
        let _ = Schedule::parse(&text);
        let advice = advise(&KB, &text);
        let _ = testscope::render::advice_reply(&KB, &advice, &text);
    }

    #[test]
    fn advisor_never_panics_on_markup_heavy_text(
        parts in proptest::collection::vec(prop_oneof![
            Just("<@U1>".to_owned()), Just("<#C1|x>".to_owned()), Just("<https://x|y>".to_owned()),
            Just("*".to_owned()), Just("`".to_owned()), Just("&amp;".to_owned()), Just("n't".to_owned()),
            Just("\n".to_owned()), Just("src/a/b.py".to_owned()), Just("..".to_owned()),
            "[a-z]{1,12}", "\\PC{1,4}",
        ], 0..200)
    ) {
        let text = parts.join(" ");
        let advice = advise(&KB, &text);
        prop_assert_eq!(advice.confident, advice.primary_scope.is_some());
    }
}
