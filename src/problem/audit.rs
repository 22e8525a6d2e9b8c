//! The audit of a [`MatchResult`] against its cohort: group labels from the protected columns,
//! pairs mapped back to table rows, component values in scoring order.

use super::MatchResult;
use crate::cohort::{Cohort, Table};
use crate::fairness::audit::{audit, AuditOptions, AuditReport, GroupLabels, MatchedPair};
use crate::fairness::FairnessError;
use crate::score::Component;
use std::collections::HashMap;

fn rows_by_id(t: &Table) -> HashMap<&str, usize> {
    t.people
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.as_str(), i))
        .collect()
}

/// Audit `result` by the protected columns `by` of `cohort` (the cohort it was matched from).
///
/// The mentee side is always audited (every column of `by` must be protected in the mentee
/// table); the mentor side when the mentor table carries every column of `by` as well. Component
/// means are over the component values before weighting, in scoring order.
pub fn audit_match(
    cohort: &Cohort,
    result: &MatchResult,
    by: &[String],
    opts: &AuditOptions,
) -> Result<AuditReport, FairnessError> {
    let mentees = GroupLabels::from_protected(&cohort.mentees.protected, by, "mentees")?;
    if mentees.len() != cohort.mentees.people.len() {
        return Err(FairnessError::Shape(format!(
            "{} mentees but {} rows of protected values",
            cohort.mentees.people.len(),
            mentees.len()
        )));
    }
    let mentors = if GroupLabels::available(&cohort.mentors.protected, by) {
        let m = GroupLabels::from_protected(&cohort.mentors.protected, by, "mentors")?;
        (m.len() == cohort.mentors.people.len()).then_some(m)
    } else {
        None
    };
    let (mentee_rows, mentor_rows) = (rows_by_id(&cohort.mentees), rows_by_id(&cohort.mentors));
    // Component order: scoring order, then affinity when some pair carries it.
    let mut order: Vec<Component> = Component::ALL.to_vec();
    if result
        .pairs
        .iter()
        .any(|p| p.components.contains_key(&Component::Affinity))
    {
        order.push(Component::Affinity);
    }
    let components: Vec<String> = order.iter().map(|c| c.name().to_string()).collect();
    let mut pairs = Vec::with_capacity(result.pairs.len());
    for p in &result.pairs {
        let unknown = |table: &'static str, id: &str| FairnessError::UnknownId {
            table,
            id: id.to_string(),
        };
        let mentee = *mentee_rows
            .get(p.mentee_id.as_str())
            .ok_or_else(|| unknown("mentees", &p.mentee_id))?;
        let mentor = *mentor_rows
            .get(p.mentor_id.as_str())
            .ok_or_else(|| unknown("mentors", &p.mentor_id))?;
        pairs.push(MatchedPair {
            mentee,
            mentor,
            score: p.score,
            components: order
                .iter()
                .map(|c| p.components.get(c).copied().unwrap_or(f64::NAN))
                .collect(),
        });
    }
    let capacity: Vec<u32> = cohort.mentors.people.iter().map(|p| p.capacity).collect();
    let mut report = audit(
        &mentees,
        mentors.as_ref(),
        &capacity,
        &pairs,
        &components,
        opts,
    )?;
    let ids: Vec<String> = cohort.mentors.people.iter().map(|p| p.id.clone()).collect();
    let min_load = super::loads::min_loads(cohort, &result.config);
    report.mentor_loads = Some(crate::fairness::mentor_loads(
        &ids, &capacity, &min_load, &pairs,
    ));
    Ok(report)
}
