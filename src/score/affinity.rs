//! Mentee-first affinity: a mentee may ask (`shared_background`) for a mentor who shares some of
//! their protected attributes. The only place where a protected value can reach a score.
//!
//! The request belongs to the mentee alone: mentors cannot express such preferences (a mentor with a
//! `shared_background` value is an error). The component is 1 when the mentor shares every requested
//! attribute (both values present and equal), else 0; it is 0 for every pair of a mentee who asked
//! for nothing, so without requests protected values never influence a score.

use super::{Component, Evidence, PairComponent};
use crate::cohort::Table;
use serde::{Deserialize, Serialize};

/// The name of the affinity component in scores, explanations and audits.
pub const AFFINITY: &str = "affinity";

/// A shared-background request that cannot be honoured, written for the person preparing the tables.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AffinityError {
    /// A mentee asks to share an attribute that is not a protected column of both tables.
    #[error("mentee '{id}' asks for shared_background '{attribute}', which is not a protected column of both tables (mentees: [{mentee_columns}]; mentors: [{mentor_columns}]); declare it with protected=[...] in both tables or fix the request")]
    UnknownBackground {
        /// The mentee's id.
        id: String,
        /// The attribute asked for.
        attribute: String,
        /// Protected columns of the mentee table.
        mentee_columns: String,
        /// Protected columns of the mentor table.
        mentor_columns: String,
    },
    /// A mentor carries a `shared_background` value: only mentees may ask for affinity.
    #[error("mentor '{id}' has a shared_background value, but only mentees may ask for a shared background; remove it from the mentor table")]
    MentorPreference {
        /// The mentor's id.
        id: String,
    },
}

/// Every mentee's shared-background request, resolved to protected column indices.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SharedBackground {
    /// Per mentee: `(attribute, mentee value, column index in the mentor table)` per request.
    requests: Vec<Vec<Request>>,
    /// Per mentor: the protected values, row-aligned with the mentor table.
    mentor_values: Vec<Vec<Option<String>>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Request {
    attribute: String,
    value: Option<String>,
    mentor_column: usize,
}

/// Why a pair does or does not earn the affinity component.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AffinityEvidence {
    /// Attributes the mentee asked to share.
    pub requested: Vec<String>,
    /// Of those, the ones the mentor shares.
    pub shared: Vec<String>,
}

impl SharedBackground {
    /// Resolve every mentee's requests against both tables' protected columns.
    ///
    /// Errors name the person and the attribute: a request for an attribute that is not a
    /// protected column of both tables, or a mentor with a `shared_background` value.
    pub fn new(mentees: &Table, mentors: &Table) -> Result<Self, AffinityError> {
        if let Some(p) = mentors
            .people
            .iter()
            .find(|p| !p.shared_background.is_empty())
        {
            return Err(AffinityError::MentorPreference { id: p.id.clone() });
        }
        let mut requests = Vec::with_capacity(mentees.people.len());
        for (row, person) in mentees.people.iter().enumerate() {
            let mut mine = Vec::with_capacity(person.shared_background.len());
            for attribute in &person.shared_background {
                let column_of = |t: &Table| t.protected.columns.iter().position(|c| c == attribute);
                let (Some(own), Some(mentor_column)) = (column_of(mentees), column_of(mentors))
                else {
                    return Err(AffinityError::UnknownBackground {
                        id: person.id.clone(),
                        attribute: attribute.clone(),
                        mentee_columns: mentees.protected.columns.join(", "),
                        mentor_columns: mentors.protected.columns.join(", "),
                    });
                };
                let value = mentees
                    .protected
                    .values
                    .get(row)
                    .and_then(|v| v.get(own))
                    .cloned()
                    .flatten();
                mine.push(Request {
                    attribute: attribute.clone(),
                    value,
                    mentor_column,
                });
            }
            requests.push(mine);
        }
        Ok(SharedBackground {
            requests,
            mentor_values: mentors.protected.values.clone(),
        })
    }

    /// `true` when at least one mentee asked for a shared background.
    pub fn any(&self) -> bool {
        self.requests.iter().any(|r| !r.is_empty())
    }

    /// `true` when mentee `mentee` asked for a shared background.
    pub fn requested(&self, mentee: usize) -> bool {
        self.requests.get(mentee).is_some_and(|r| !r.is_empty())
    }

    fn shares(&self, r: &Request, mentor: usize) -> bool {
        let theirs = self
            .mentor_values
            .get(mentor)
            .and_then(|v| v.get(r.mentor_column))
            .and_then(|v| v.as_deref());
        matches!((r.value.as_deref(), theirs), (Some(a), Some(b)) if a == b)
    }

    /// The component value in `[0, 1]`: 1 when the mentee asked and the mentor shares every
    /// requested attribute, else 0 (also 0 for out-of-range indices).
    pub fn value(&self, mentee: usize, mentor: usize) -> f64 {
        match self.requests.get(mentee) {
            Some(reqs) if !reqs.is_empty() && reqs.iter().all(|r| self.shares(r, mentor)) => 1.0,
            _ => 0.0,
        }
    }

    /// What the mentee asked for and what the mentor shares, for explanations.
    pub fn evidence(&self, mentee: usize, mentor: usize) -> AffinityEvidence {
        let reqs = self.requests.get(mentee).map_or(&[][..], Vec::as_slice);
        AffinityEvidence {
            requested: reqs.iter().map(|r| r.attribute.clone()).collect(),
            shared: reqs
                .iter()
                .filter(|r| self.shares(r, mentor))
                .map(|r| r.attribute.clone())
                .collect(),
        }
    }
}

impl PairComponent for SharedBackground {
    fn component(&self) -> Component {
        Component::Affinity
    }
    fn applies(&self, mentee: usize) -> bool {
        self.requested(mentee)
    }
    fn value(&self, mentee: usize, mentor: usize) -> Option<f64> {
        Some(SharedBackground::value(self, mentee, mentor))
    }
    fn evidence(&self, mentee: usize, mentor: usize) -> Evidence {
        Evidence::Affinity(SharedBackground::evidence(self, mentee, mentor))
    }
    /// The value itself: a comparison of a few protected values.
    fn upper_bound(&self, mentee: usize, mentor: usize, _neutral: f64) -> f64 {
        SharedBackground::value(self, mentee, mentor)
    }
}
