//! `cargo bench --bench advise`: the advisor on a short, a typical and a
//! maximal (Slack's 40,000-character message limit) input, plus a size sweep
//! that shows the cost grows linearly with input length.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
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

    c.bench_function("load_embedded_knowledge_base", |b| {
        b.iter(|| KnowledgeBase::embedded().expect("loads"));
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(50).measurement_time(std::time::Duration::from_secs(3));
    targets = bench
}
criterion_main!(benches);
