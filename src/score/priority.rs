//! Priority: mentees left unmatched in earlier rounds (from the programme's history) get a
//! component of value 1 with every mentor alike, so their scores move towards 1 by
//! `weight / (Σ weights + weight)` of the way and the solve favours them when mentors are
//! scarce. The evidence says in how many rounds. Applies only to those mentees; everyone else
//! is scored exactly as without a history.

use super::{Component, Evidence, PairComponent};

/// The name of the priority component.
pub const PRIORITY: &str = "priority";

/// The priority component over the earlier rounds each mentee was left unmatched in.
pub struct Priority {
    /// Per mentee row: earlier rounds without a mentor.
    pub unmatched_rounds: Vec<u32>,
}

impl Priority {
    fn rounds(&self, mentee: usize) -> u32 {
        self.unmatched_rounds.get(mentee).copied().unwrap_or(0)
    }
}

impl PairComponent for Priority {
    fn component(&self) -> Component {
        Component::Custom(PRIORITY.to_string())
    }
    fn applies(&self, mentee: usize) -> bool {
        self.rounds(mentee) > 0
    }
    fn value(&self, mentee: usize, _mentor: usize) -> Option<f64> {
        Some(if self.rounds(mentee) > 0 { 1.0 } else { 0.0 })
    }
    /// The value itself: it depends on the mentee only.
    fn upper_bound(&self, mentee: usize, mentor: usize, neutral: f64) -> f64 {
        self.value(mentee, mentor).unwrap_or(neutral)
    }
    fn evidence(&self, mentee: usize, _mentor: usize) -> Evidence {
        let n = self.rounds(mentee);
        Evidence::Other {
            detail: serde_json::json!({
                "unmatched_rounds": n,
                "note": format!(
                    "left unmatched in {n} earlier round{}",
                    if n == 1 { "" } else { "s" }
                ),
            }),
        }
    }
}
