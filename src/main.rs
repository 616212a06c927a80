//! The `testscope` binary. Everything lives in the library so tests and
//! benchmarks use exactly the code users run.

fn main() -> std::process::ExitCode {
    testscope::cli::run()
}
