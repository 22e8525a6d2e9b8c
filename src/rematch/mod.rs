//! Rematching a running programme when goals change or people join and leave: still-valid pairs get a
//! bonus for staying, pairs that now break a hard constraint are dissolved, frozen pairs stay put.
//!
//! The core works on an [`Instance`](crate::lsap::Instance) (scores with NaN for a pair some hard
//! constraint forbids, capacities on both sides) and the [`Labels`] of its rows and columns, so
//! it serves any caller: [`rematch_scores`] solves with the capacitated assignment solver,
//! [`rematch_scores_with`] accepts another solver (a fairness-aware one, for example). On a
//! cohort, [`Problem::rematch`](crate::problem::Problem::rematch) runs it on the prepared
//! problem's scores and mask and reports the new matching with
//! [`Problem::report`](crate::problem::Problem::report); [`rematch_cohort`] prepares and
//! rematches in one call.
//!
//! - `types`: pairs by id, statuses, options, errors;
//! - `plan`: locate, dissolve, freeze, fit, and the reduced instance;
//! - `changes`: what became of every pair and mentee;
//! - `solve`: the two entry points on an instance;
//! - `cohort`: the prepared cohort's rematch.

mod changes;
mod cohort;
mod plan;
mod solve;
mod types;

pub use cohort::{rematch_cohort, CohortRematch, CohortRematchError};
pub use solve::{rematch_scores, rematch_scores_with};
pub use types::{
    DissolveReason, Labels, MenteeChange, MenteeStatus, PairChange, PairId, PairStatus, Rematch,
    RematchCounts, RematchError, RematchOptions, RematchPair, DEFAULT_KEEP_BONUS,
};
