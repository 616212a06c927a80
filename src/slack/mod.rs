//! Everything that speaks Slack's protocol.

pub mod signature;
