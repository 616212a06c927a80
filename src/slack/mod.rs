//! Everything that speaks Slack's protocol.

pub mod api;
pub mod payload;
pub mod signature;
