//! testscope: which tests does this ML change need, and in which stage?
//!
//! The crate is a library with a thin binary (`src/main.rs`). Modules:
//! - [`kb`]: the knowledge base in `responses/`, loaded and validated once and
//!   compiled into the advisor's [`advisor::model::Engine`];
//! - [`advisor`]: the pure decision engine, free text in, [`advisor::Advice`]
//!   out; it owns its types and never reads the knowledge base;
//! - [`feedback`]: "Not quite" reports listed, or exported as `eval` examples;
//! - [`eval`]: `testscope eval`, the advisor scored against labelled examples;
//! - [`command`]: the grammar of `/testscope`, parsed once, and its help;
//! - [`render`]: advice as terminal text, JSON or a Slack Block Kit message;
//! - [`slack`]: the Slack side (request signatures, Web API client).

pub mod advisor;
pub mod cli;
pub mod clock;
pub mod command;
pub mod eval;
pub mod feedback;
pub mod kb;
pub mod quiz;
pub mod render;
pub mod server;
pub mod slack;
pub mod store;
pub mod telemetry;

pub use advisor::{Advice, Reading};
pub use kb::KnowledgeBase;

/// Advice for a message from a knowledge base: the advisor runs on the
/// engine the knowledge base compiled. Never panics.
pub fn advise(kb: &KnowledgeBase, input: &str) -> Advice {
    advisor::advise(&kb.engine, input)
}
