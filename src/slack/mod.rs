//! Everything that speaks Slack's protocol.

pub mod api;
mod form;
pub mod payload;
pub mod signature;
