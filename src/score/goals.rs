//! Goals: the weighted share of the mentee's goals the mentor can help with (mentee-first: the
//! mentor's own weights do not count).

use crate::features::{has_bit, Features, PersonFeatures};
use serde::{Deserialize, Serialize};

/// Evidence behind the goals component.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoalsEvidence {
    /// Mentee goals the mentor covers, with the mentee's weight.
    pub shared: Vec<(String, f64)>,
    /// Mentee goals the mentor does not list.
    pub not_covered: Vec<String>,
    /// Sum of the weights of `shared`.
    pub covered_weight: f64,
    /// Sum of all the mentee's goal weights.
    pub total_weight: f64,
    /// Mentee goals met by a related mentor goal (taxonomy): `(goal, mentor tag, credit)`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<(String, String, f64)>,
}

/// Covered weight / total weight, or `None` when either side lists no goals.
pub fn value(mentee: &PersonFeatures, mentor: &PersonFeatures) -> Option<f64> {
    if mentee.goals.is_empty() || mentor.goals.is_empty() || mentee.goal_weight <= 0.0 {
        return None;
    }
    let mut covered = 0.0;
    for &(tag, w) in &mentee.goals {
        if has_bit(&mentor.goal_bits, tag) {
            covered += w;
        } else if !mentor.related_goals.is_empty() {
            covered += w * super::taxonomy::related(mentor, tag).map_or(0.0, |r| r.0);
        }
    }
    Some((covered / mentee.goal_weight).clamp(0.0, 1.0))
}

/// The shared and uncovered goals, by name.
pub fn evidence(mentee: &PersonFeatures, mentor: &PersonFeatures, f: &Features) -> GoalsEvidence {
    let mut ev = GoalsEvidence {
        shared: Vec::new(),
        not_covered: Vec::new(),
        covered_weight: 0.0,
        total_weight: mentee.goal_weight,
        related: Vec::new(),
    };
    for &(tag, w) in &mentee.goals {
        let name = f.tags.name(tag).to_string();
        if has_bit(&mentor.goal_bits, tag) {
            ev.covered_weight += w;
            ev.shared.push((name, w));
        } else if let Some((credit, via)) = super::taxonomy::related(mentor, tag) {
            ev.covered_weight += w * credit;
            ev.related
                .push((name, f.tags.name(via).to_string(), credit));
        } else {
            ev.not_covered.push(name);
        }
    }
    ev
}
