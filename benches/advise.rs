//! `cargo bench --bench advise`: the advisor on a short, a typical and a
//! maximal (Slack's 40,000-character message limit) input, a size sweep
//! that shows the cost grows linearly with input length, and the whole
//! private reply (advise, render, serialise) for the typical message.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use testscope::kb::FILES;
use testscope::{KnowledgeBase, advise};

const SHORT: &str = "we changed max_depth and the learning rate, retrain?";

const TYPICAL: &str = "<@U024BE7LH> quick one for this PR: we bumped *max_depth* from 6 to 8 and \
switched the pyfunc wrapper to log the model with a new signature. The feature pipeline did not \
change and the transformation functions are untouched. Unit tests pass locally. Plan is to merge \
to main today and promote to prod on Thursday if staging looks good. Files: train.py, \
src/models/wrapper.py, conf/params.yaml. Anything else we should test?";

/// A long review thread: varied paragraphs repeated up to `len` bytes.
fn long_message(len: usize) -> String {
    let paragraphs = [
        TYPICAL,
        "Follow-up: the upstream vendor changed how they fill nulls in the transactions table, \
         same schema though. We also renamed user_id to customer_id in the input schema.",
        "Ops note: num_workers goes from 4 to 8 on the training cluster and the endpoint \
         workload size moves to medium; traffic split stays 90/10 for now.",
        "Reviewer: I am not sure the decision threshold change is safe for the credit use case, \
         can we check slices before the champion alias moves?",
        "Also fixed a typo in README.md and added tests in tests/test_features.py.",
    ];
    let mut out = String::with_capacity(len + 512);
    let mut i = 0;
    while out.len() < len {
        out.push_str(paragraphs[i % paragraphs.len()]);
        out.push('\n');
        i += 1;
    }
    out.truncate(len);
    out
}

/// A copy of `responses/` with every rule repeated `times` times. Each copy
/// speaks its own vocabulary (every word of its phrases gets a suffix), as a
/// team's new rules would, so the matcher holds `times` as many signals and
/// path patterns while typical messages still match only the original ones.
fn grown_knowledge_base(times: usize) -> tempfile::TempDir {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("responses");
    let dir = tempfile::tempdir().expect("temp dir");
    for name in FILES {
        let text = std::fs::read_to_string(src.join(name)).expect("read responses");
        let text = if name == "rules.toml" {
            grow_rules(&text, times)
        } else {
            text
        };
        std::fs::write(dir.path().join(name), text).expect("write copy");
    }
    dir
}

fn grow_rules(text: &str, times: usize) -> String {
    let first = text.find("[[rule]]").expect("rules.toml has rules");
    let mut out = text.to_owned();
    let blocks: Vec<&str> = text[first..].split("[[rule]]").skip(1).collect();
    for k in 1..times {
        for block in &blocks {
            out.push_str("\n[[rule]]");
            out.push_str(&copy_rule(block, k));
        }
    }
    out
}

/// One rule under a new id and vocabulary. A copy is never the function or
/// setting rule (there is one of each).
fn copy_rule(block: &str, k: usize) -> String {
    let mut out = String::with_capacity(block.len() * 2);
    let mut in_phrases = false;
    for line in block.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("subject =") {
            continue;
        }
        if let Some(id) = trimmed.strip_prefix("id = \"") {
            out.push_str(&format!("id = \"{}-copy{k}\"\n", id.trim_end_matches('"')));
            continue;
        }
        let opens = ["signals", "about", "places", "paths"]
            .iter()
            .any(|f| trimmed.starts_with(&format!("{f} = [")));
        in_phrases |= opens;
        if trimmed.starts_with("paths = [") {
            // Path patterns of the copies live in their own directories.
            out.push_str(
                &line
                    .replace("[\"", &format!("[\"zq{k}/"))
                    .replace(", \"", &format!(", \"zq{k}/")),
            );
        } else if in_phrases {
            out.push_str(&suffix_quoted(line, k));
        } else {
            out.push_str(line);
        }
        out.push('\n');
        if in_phrases && line.trim_end().ends_with(']') {
            in_phrases = false;
        }
    }
    out
}

/// `"promote .. @prod"` → `"promotezq3 .. @prod"`: words get a suffix;
/// gaps and concepts stay.
fn suffix_quoted(line: &str, k: usize) -> String {
    let mut out = String::new();
    for (i, part) in line.split('"').enumerate() {
        if i > 0 {
            out.push('"');
        }
        if i % 2 == 0 {
            out.push_str(part);
            continue;
        }
        let mut words: Vec<String> = part
            .split(' ')
            .map(|w| {
                if w == ".." || w.trim_start_matches('?').starts_with('@') || w.is_empty() {
                    w.to_owned()
                } else {
                    format!("{w}zq{k}")
                }
            })
            .collect();
        // A phrase of concepts alone ("?@ship") gets a word of its own, so a
        // copy never fires where the original does.
        if !words.iter().any(|w| w.ends_with(&format!("zq{k}"))) {
            words.push(format!("zq{k}"));
        }
        out.push_str(&words.join(" "));
    }
    out
}

fn bench(c: &mut Criterion) {
    let kb = KnowledgeBase::embedded().expect("knowledge base loads");
    let maximal = long_message(40_000);

    let mut group = c.benchmark_group("advise");
    for (name, text) in [
        ("short", SHORT),
        ("typical", TYPICAL),
        ("maximal_40k", maximal.as_str()),
    ] {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(name), text, |b, t| {
            b.iter(|| advise(&kb, black_box(t)));
        });
    }
    group.finish();

    let mut sweep = c.benchmark_group("advise_by_length");
    for len in [2_500, 5_000, 10_000, 20_000, 40_000] {
        let text = long_message(len);
        sweep.throughput(Throughput::Bytes(len as u64));
        sweep.bench_with_input(BenchmarkId::from_parameter(len), &text, |b, t| {
            b.iter(|| advise(&kb, black_box(t)));
        });
    }
    sweep.finish();

    // What a slash command costs in-process beyond the HTTP layer: advise,
    // render the private reply with its buttons, and serialise it.
    c.bench_function("private_reply_typical", |b| {
        b.iter(|| {
            let advice = advise(&kb, black_box(TYPICAL));
            let (reply, _) = testscope::render::private_reply(&kb, TYPICAL, &advice);
            reply.to_json()
        })
    });

    c.bench_function("load_embedded_knowledge_base", |b| {
        b.iter(|| KnowledgeBase::embedded().expect("loads"));
    });

    // Ten times the rules, signals and path patterns: the cost per message
    // and the load time as a knowledge base grows.
    let grown = grown_knowledge_base(10);
    let big = KnowledgeBase::from_dir(grown.path()).expect("the grown knowledge base loads");
    assert_eq!(big.rules().len(), kb.rules().len() * 10);
    assert_eq!(advise(&big, TYPICAL).scopes, advise(&kb, TYPICAL).scopes);
    let mut growth = c.benchmark_group("knowledge_base_x10");
    growth.bench_function("advise_typical", |b| {
        b.iter(|| advise(&big, black_box(TYPICAL)))
    });
    growth.bench_function("load", |b| {
        b.iter(|| KnowledgeBase::from_dir(grown.path()).expect("loads"))
    });
    growth.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(50).measurement_time(std::time::Duration::from_secs(3));
    targets = bench
}
criterion_main!(benches);
