//! `testscope serve` over real HTTP, against a fake Slack Web API (wiremock).
//!
//! One test binary (`cargo test --test api`) so the crate is linked once.
//! Every test starts its own server on 127.0.0.1:0 with its own SQLite file
//! and its own mock Slack, so they run in parallel without sharing anything.
//!
//! Conventions:
//! - Arrange / Act / Assert, and failure messages say what a Slack user would
//!   have seen (or not seen).
//! - Mocks whose call count matters carry `.expect(n)`; wiremock checks them
//!   when the `MockServer` is dropped at the end of the test.
//! - Background replies are asynchronous: positive checks poll with
//!   `wait_for_requests`; negative checks ("no reply was posted") first stop
//!   the server gracefully, which waits for every background task, so a late
//!   reply cannot slip in after the assertion.
//! - Retry delays are milliseconds; the only real multi-second wait is the
//!   single `Retry-After: 1` test.

#[path = "../common/logs.rs"]
mod logs;

mod commands;
mod delivery;
mod events;
mod helpers;
mod interactions;
mod lifecycle;
mod quiz_changes;
mod resilience;
mod security;
mod signature;
mod socket;
