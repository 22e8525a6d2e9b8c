//! mentorpair: a mentor–mentee matching engine.
//!
//! The Rust core scores every mentor–mentee pair, applies hard bias-avoidance constraints and
//! solves the assignment optimally. Python bindings live behind the `python` feature.
//!
//! Most programs need only the [`prelude`]: read two tables, prepare a [`problem::Problem`] once,
//! then solve, explain and rematch it. Options come from [`problem::MatchConfig`] (Rust) or from
//! flat, named options ([`problem::MatchConfig::from_options`]) with errors naming the option.
//!
//! ```
//! use mentorpair::prelude::*;
//!
//! let mentees = "id,goals,languages,manager_id\nana,sql;leadership:2,en,bo\nbo,rust,en;de,\n";
//! let mentors = "id,goals,languages,capacity\nbo,leadership;sql,en,1\ncy,rust,de,1\n";
//! let cohort = Cohort {
//!     mentees: read_csv(Role::Mentee, mentees.as_bytes(), &[]).unwrap(),
//!     mentors: read_csv(Role::Mentor, mentors.as_bytes(), &[]).unwrap(),
//! };
//! let mut config = MatchConfig::default();
//! config.exclude_same_department = true;
//! let problem = Problem::new(cohort, config).unwrap();
//! let result = problem.match_result().unwrap();
//! // ana reports to bo, so she is matched with cy; the mask says why bo is excluded.
//! assert_eq!(result.pairs[0].mentor_id, "cy");
//! assert!(problem.explain("ana", "bo").unwrap().exclusion.is_some());
//!
//! // A bad option names itself, with what it allows.
//! let e = MatchConfig::from_options_json(r#"{"meeting_minutes": 0}"#).unwrap_err();
//! assert_eq!(e.option, "meeting_minutes");
//! ```

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
pub mod distributed;
pub mod features;
pub mod io;
pub mod learn;
pub mod matching;
pub mod options;
pub mod prelude;
pub mod problem;
#[cfg(feature = "python")]
mod python;
pub mod report;
pub mod schedule;
pub mod score;
pub mod wishes;
