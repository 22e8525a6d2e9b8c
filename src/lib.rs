//! mentorpair: a mentor–mentee matching engine.
//!
//! The Rust core scores every mentor–mentee pair, applies hard bias-avoidance constraints and
//! solves the assignment optimally. Python bindings live behind the `python` feature.

#![warn(missing_docs)]

pub mod cancel;
pub mod candidates;
pub mod cohort;
pub mod fairness;
pub mod lsap;
pub mod rematch;

#[cfg(feature = "cli")]
pub mod cli;
pub mod quality;
pub mod synthetic;

pub mod constraints;
pub mod criteria;
pub mod features;
pub mod io;
pub mod learn;
pub mod matching;
pub mod problem;
#[cfg(feature = "python")]
mod python;
pub mod report;
pub mod schedule;
pub mod score;
pub mod wishes;
