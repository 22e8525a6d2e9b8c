//! Programme-defined soft criteria as scoring components. `same` is 1 when both values are equal,
//! `different` when they differ; `closeness` falls linearly from 1 (equal) to 0 at a difference of
//! `scale`; `overlap` is the Jaccard index of two `;`-separated sets; `ahead` rises linearly from 0
//! (mentor not ahead) to 1 (mentor ahead by `by` or more). A missing value gives the neutral value.

use super::{Component, Evidence, PairComponent};
use crate::criteria::{Prepared, Values};
use serde::{Deserialize, Serialize};

/// Evidence behind a criterion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriterionEvidence {
    /// The column.
    pub column: String,
    /// The criterion's kind.
    pub criterion: String,
    /// The mentee's value, in words.
    pub mentee_value: Option<String>,
    /// The mentor's value, in words.
    pub mentor_value: Option<String>,
}

/// A soft criterion as a component.
pub struct CriterionComponent {
    /// The prepared criterion (declaration and values).
    pub prepared: Prepared,
    /// `kind == "same"`, read once rather than compared per pair.
    same: bool,
    /// `kind == "closeness"`.
    closeness: bool,
    /// `scale()` and `by()` of the declaration.
    scale: f64,
    by: f64,
}

impl CriterionComponent {
    /// Wrap a prepared criterion.
    pub fn new(prepared: Prepared) -> Self {
        let c = &prepared.criterion;
        CriterionComponent {
            same: c.kind == "same",
            closeness: c.kind == "closeness",
            scale: c.scale(),
            by: c.by(),
            prepared,
        }
    }

    fn describe(&self, v: &Values, k: usize) -> Option<String> {
        let name = |id: &u32| {
            self.prepared
                .names
                .get(*id as usize)
                .cloned()
                .unwrap_or_default()
        };
        match v {
            Values::Text(x) => x.get(k)?.as_ref().map(name),
            Values::Number(x) => x.get(k)?.map(|n| n.to_string()),
            Values::Set(x) => {
                let s = x.get(k)?;
                (!s.is_empty()).then(|| s.iter().map(name).collect::<Vec<_>>().join(";"))
            }
        }
    }
}

fn jaccard(a: &[u32], b: &[u32]) -> f64 {
    let (mut i, mut j, mut both) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                both += 1;
                i += 1;
                j += 1;
            }
        }
    }
    both as f64 / (a.len() + b.len() - both) as f64
}

impl PairComponent for CriterionComponent {
    fn component(&self) -> Component {
        Component::Custom(self.prepared.criterion.label())
    }
    fn value(&self, mentee: usize, mentor: usize) -> Option<f64> {
        match (&self.prepared.mentees, &self.prepared.mentors) {
            (Values::Text(a), Values::Text(b)) => {
                let (x, y) = ((*a.get(mentee)?)?, (*b.get(mentor)?)?);
                Some(if (x == y) == self.same { 1.0 } else { 0.0 })
            }
            (Values::Number(a), Values::Number(b)) => {
                let (x, y) = ((*a.get(mentee)?)?, (*b.get(mentor)?)?);
                Some(if self.closeness {
                    (1.0 - (x - y).abs() / self.scale).clamp(0.0, 1.0)
                } else {
                    ((y - x) / self.by).clamp(0.0, 1.0)
                })
            }
            (Values::Set(a), Values::Set(b)) => {
                let (x, y) = (a.get(mentee)?, b.get(mentor)?);
                (!x.is_empty() && !y.is_empty()).then(|| jaccard(x, y))
            }
            _ => None,
        }
    }
    fn evidence(&self, mentee: usize, mentor: usize) -> Evidence {
        let c = &self.prepared.criterion;
        Evidence::Criterion(CriterionEvidence {
            column: c.column.clone(),
            criterion: c.kind.clone(),
            mentee_value: self.describe(&self.prepared.mentees, mentee),
            mentor_value: self.describe(&self.prepared.mentors, mentor),
        })
    }
    fn missing(&self, mentee: usize, mentor: usize) -> String {
        let a = self.describe(&self.prepared.mentees, mentee).is_none();
        let b = self.describe(&self.prepared.mentors, mentor).is_none();
        let who = match (a, b) {
            (true, true) => "mentee and mentor have",
            (true, false) => "mentee has",
            _ => "mentor has",
        };
        format!("{who} no value in `{}`", self.prepared.criterion.column)
    }
}
