//! Preference: the mentee's own ranked `preferred_mentors`. The mentor ranked `r` (1 = first
//! choice) scores `1 / r`; a mentor not on the list scores 0. Applies only to mentees who list
//! someone, so a mentee without a list is scored exactly as before.

use super::{Component, Evidence, PairComponent};
use serde::{Deserialize, Serialize};

/// The name of the preference component.
pub const PREFERENCE: &str = "preference";

/// Evidence behind the preference component.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PreferenceEvidence {
    /// The mentor's rank on the mentee's list (1 = first choice), if listed.
    pub rank: Option<usize>,
    /// How many mentors the mentee listed.
    pub listed: usize,
    /// In words: "your 2nd choice".
    pub note: String,
}

/// "1st", "2nd", "3rd", "4th", ...
pub fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (1, r) if r != 11 => "st",
        (2, r) if r != 12 => "nd",
        (3, r) if r != 13 => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// The preference component over resolved ranked lists (per mentee, mentor columns best first).
pub struct Preferences {
    /// Per mentee: mentor columns, best first.
    pub ranked: Vec<Vec<usize>>,
}

impl Preferences {
    fn rank(&self, i: usize, j: usize) -> Option<usize> {
        self.ranked.get(i)?.iter().position(|&x| x == j)
    }
}

impl PairComponent for Preferences {
    fn component(&self) -> Component {
        Component::Preference
    }
    fn applies(&self, mentee: usize) -> bool {
        self.ranked.get(mentee).is_some_and(|r| !r.is_empty())
    }
    fn value(&self, mentee: usize, mentor: usize) -> Option<f64> {
        Some(
            self.rank(mentee, mentor)
                .map_or(0.0, |r| 1.0 / (r + 1) as f64),
        )
    }
    /// The value itself: a search of the mentee's short list.
    fn upper_bound(&self, mentee: usize, mentor: usize, neutral: f64) -> f64 {
        self.value(mentee, mentor).unwrap_or(neutral)
    }
    fn evidence(&self, mentee: usize, mentor: usize) -> Evidence {
        let rank = self.rank(mentee, mentor).map(|r| r + 1);
        Evidence::Preference(PreferenceEvidence {
            rank,
            listed: self.ranked.get(mentee).map_or(0, Vec::len),
            note: match rank {
                Some(r) => format!("your {} choice", ordinal(r)),
                None => "not on your list of preferred mentors".into(),
            },
        })
    }
}
