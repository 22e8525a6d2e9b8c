//! Two components from mentoring practice, on plain tag lists:
//! - **open doors**: the areas, functions or organisations a mentor can introduce people to
//!   (`network`) against the areas a mentee wants to reach (`target_areas`);
//! - **two-way learning**: what the mentor wants to learn (`learning_goals`) against the mentee's
//!   skills, for reciprocal and reverse-mentoring programmes (default weight 0).
//!
//! Both are coverage shares in [0, 1] with the same partial credit for related tags as goals get
//! from a [`Taxonomy`]; an empty list on either side is no information (`None`).

use serde::{Deserialize, Serialize};

use super::taxonomy::Taxonomy;
use crate::cohort::{Person, Skill};

/// Default weight of the open-doors component.
pub const DEFAULT_OPEN_DOORS_WEIGHT: f64 = 0.10;
/// Default weight of two-way learning: 0, so it changes nothing unless a programme asks for it
/// (reciprocal mentoring: e.g. 0.1; reverse mentoring, where the junior teaches: e.g. 0.3).
pub const DEFAULT_TWO_WAY_WEIGHT: f64 = 0.0;
/// A mentee skill counts as something she can teach from this level (of 1–5) up.
pub const DEFAULT_TEACH_LEVEL: u8 = 3;

/// The list columns read by these components (carried-through columns, `;`-separated).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkColumns {
    /// Mentors: whom they can introduce people to.
    pub network: Vec<String>,
    /// Mentees: areas they want to reach.
    pub target_areas: Vec<String>,
    /// Mentors: what they want to learn themselves.
    pub learning_goals: Vec<String>,
}

/// A list column of a person: a `;`-separated text (CSV) or a list of texts (JSON, Python),
/// each entry normalised like a tag, blanks dropped, duplicates kept once (first position).
pub fn list(person: &Person, column: &str) -> Vec<String> {
    let raw: Vec<String> = match person.extra.get(column) {
        Some(serde_json::Value::String(s)) => s.split(';').map(str::to_string).collect(),
        Some(serde_json::Value::Array(items)) => items
            .iter()
            .map(|v| match v {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Null => String::new(),
                other => other.to_string(),
            })
            .collect(),
        _ => Vec::new(),
    };
    let mut v: Vec<String> = Vec::with_capacity(raw.len());
    for t in raw {
        let t = crate::cohort::normalise_label(&t);
        if !t.is_empty() && !v.contains(&t) {
            v.push(t);
        }
    }
    v
}

/// Read `network`, `target_areas` and `learning_goals` from a person's carried-through columns
/// (`;`-separated lists, trimmed, lower case; a missing column is an empty list).
pub fn columns(person: &Person) -> NetworkColumns {
    NetworkColumns {
        network: list(person, "network"),
        target_areas: list(person, "target_areas"),
        learning_goals: list(person, "learning_goals"),
    }
}

/// Whom the mentor can introduce the mentee to.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OpenDoorsEvidence {
    /// `(mentee target area, mentor network entry that reaches it, credit)`.
    pub introductions: Vec<(String, String, f64)>,
    /// Target areas the mentor's network does not reach.
    pub not_reached: Vec<String>,
}

/// What the mentor can learn from the mentee.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TwoWayEvidence {
    /// `(mentor learning goal, mentee skill that serves it, credit)`.
    pub learns: Vec<(String, String, f64)>,
}

/// `(wanted, offered, credit)` per wanted tag that is met.
type Hits = Vec<(String, String, f64)>;

fn coverage<S: AsRef<str>>(
    wanted: &[S],
    offered: &[S],
    taxonomy: &Taxonomy,
) -> Option<(f64, Hits, Vec<String>)> {
    if wanted.is_empty() || offered.is_empty() {
        return None;
    }
    let (mut sum, mut hits, mut misses) = (0.0, Vec::new(), Vec::new());
    for w in wanted {
        let c = taxonomy.credit(w.as_ref(), offered);
        sum += c.credit;
        match c.via {
            Some(via) => hits.push((w.as_ref().to_string(), via, c.credit)),
            None => misses.push(w.as_ref().to_string()),
        }
    }
    Some((sum / wanted.len() as f64, hits, misses))
}

/// Open doors: the mean credit of the mentee's target areas against the mentor's network
/// (1 same area, the group credit for a related one, 0 none); `None` when either list is empty.
pub fn open_doors<S: AsRef<str>>(
    target_areas: &[S],
    network: &[S],
    taxonomy: &Taxonomy,
) -> Option<(f64, OpenDoorsEvidence)> {
    coverage(target_areas, network, taxonomy).map(|(v, introductions, not_reached)| {
        (
            v,
            OpenDoorsEvidence {
                introductions,
                not_reached,
            },
        )
    })
}

/// Two-way learning: the mean credit of the mentor's learning goals against the mentee's skills
/// at `teach_level` or above; `None` when either side is empty.
pub fn two_way<S: AsRef<str>>(
    learning_goals: &[S],
    mentee_skills: &[Skill],
    teach_level: u8,
    taxonomy: &Taxonomy,
) -> Option<(f64, TwoWayEvidence)> {
    let teachable: Vec<&str> = mentee_skills
        .iter()
        .filter(|s| s.level >= teach_level)
        .map(|s| s.name.as_str())
        .collect();
    if mentee_skills.is_empty() || learning_goals.is_empty() {
        return None;
    }
    let wanted: Vec<&str> = learning_goals.iter().map(AsRef::as_ref).collect();
    if teachable.is_empty() {
        return Some((0.0, TwoWayEvidence::default()));
    }
    coverage(&wanted, &teachable, taxonomy).map(|(v, learns, _)| (v, TwoWayEvidence { learns }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_doors_names_introductions() {
        let t = Taxonomy::parse_lines("finance ~ banking", 0.5).unwrap();
        let (v, e) = open_doors(&["finance", "legal"], &["banking", "hr"], &t).unwrap();
        assert_eq!(v, 0.25);
        assert_eq!(
            e.introductions,
            vec![("finance".into(), "banking".into(), 0.5)]
        );
        assert_eq!(e.not_reached, vec!["legal".to_string()]);
        assert!(open_doors::<&str>(&[], &["hr"], &t).is_none());
    }
}
