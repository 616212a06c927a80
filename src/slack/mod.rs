//! Everything that speaks Slack's protocol.

pub mod api;
pub mod signature;
