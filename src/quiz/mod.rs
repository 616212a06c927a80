//! The daily quiz: schedules, the question bank, posting and answers.

pub mod admins;
pub mod commands;
pub mod message;
pub mod runner;
pub mod schedule;
pub mod stats;
