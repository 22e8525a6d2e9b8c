//! Checking a stored result before it is trusted: against itself (scores equal to the sum of
//! their contributions, counts and totals) and against the cohort it names (known ids, no pair
//! twice, every mentor within capacity and every mentee within `mentors_wanted`).

use super::MatchResult;
use crate::cohort::{Cohort, Table};
use std::collections::{HashMap, HashSet};

/// Why a stored result cannot be trusted: what is inconsistent, naming the pair or id.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("inconsistent result: {problem}; the file was edited or damaged, re-create it with `mentorpair match --json` (or `rematch --json`)")]
pub struct InconsistentResult {
    /// What is wrong.
    pub problem: String,
}

fn bad(problem: String) -> InconsistentResult {
    InconsistentResult { problem }
}

/// Relative tolerance for sums recomputed from rounded, stored numbers.
const TOLERANCE: f64 = 1e-6;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= TOLERANCE * a.abs().max(b.abs()).max(1.0)
}

/// Rows by id, rejecting a repeated or empty id and protected values not aligned with the rows.
fn index(table: &Table) -> Result<HashMap<&str, usize>, InconsistentResult> {
    let name = table.role.table();
    if !table.protected.values.is_empty() && table.protected.values.len() != table.people.len() {
        return Err(bad(format!(
            "the {name} table has {} people but {} rows of protected values",
            table.people.len(),
            table.protected.values.len()
        )));
    }
    if let Some(k) = table
        .protected
        .values
        .iter()
        .position(|row| row.len() != table.protected.columns.len())
    {
        return Err(bad(format!(
            "{name} row {}: {} protected values for {} protected columns",
            k + 1,
            table.protected.values[k].len(),
            table.protected.columns.len()
        )));
    }
    let mut ids = HashMap::with_capacity(table.people.len());
    for (i, p) in table.people.iter().enumerate() {
        if ids.insert(p.id.as_str(), i).is_some() {
            return Err(bad(format!("{name} id {:?} appears twice", p.id)));
        }
    }
    Ok(ids)
}

/// Check `result` against itself and against `cohort`.
///
/// # Errors
/// [`InconsistentResult`] naming the first problem found.
pub fn check_result(result: &MatchResult, cohort: &Cohort) -> Result<(), InconsistentResult> {
    let mentees = index(&cohort.mentees)?;
    let mentors = index(&cohort.mentors)?;
    let mut seen = HashSet::with_capacity(result.pairs.len());
    let mut mentee_load = vec![0u64; cohort.mentees.people.len()];
    let mut mentor_load = vec![0u64; cohort.mentors.people.len()];
    let mut total = 0.0;
    for p in &result.pairs {
        let pair = format!("({:?}, {:?})", p.mentee_id, p.mentor_id);
        let i = *mentees.get(p.mentee_id.as_str()).ok_or_else(|| {
            bad(format!(
                "pair {pair} names mentee {:?}, who is not in the cohort",
                p.mentee_id
            ))
        })?;
        let j = *mentors.get(p.mentor_id.as_str()).ok_or_else(|| {
            bad(format!(
                "pair {pair} names mentor {:?}, who is not in the cohort",
                p.mentor_id
            ))
        })?;
        if !seen.insert((i, j)) {
            return Err(bad(format!("pair {pair} is listed twice")));
        }
        mentee_load[i] += 1;
        mentor_load[j] += 1;
        let e = &p.explanation;
        if e.mentee_id != p.mentee_id || e.mentor_id != p.mentor_id {
            return Err(bad(format!(
                "pair {pair} carries the explanation of ({:?}, {:?})",
                e.mentee_id, e.mentor_id
            )));
        }
        if !p.score.is_finite() || !close(p.score, e.score) {
            return Err(bad(format!(
                "pair {pair} has score {} but its explanation says {}",
                p.score, e.score
            )));
        }
        // Totals are normalised: each contribution is value x weight / total_weight, and the
        // contributions add up to the score.
        let norm = e.total_weight;
        if !e.components.is_empty() && (!norm.is_finite() || norm <= 0.0) {
            return Err(bad(format!(
                "pair {pair} has total weight {norm}; it must be a positive number"
            )));
        }
        let mut sum = 0.0;
        for c in &e.components {
            let name = c.component.name();
            if ![c.value, c.weight, c.contribution]
                .iter()
                .all(|x| x.is_finite())
                || !close(c.value * c.weight / norm, c.contribution)
            {
                return Err(bad(format!(
                    "pair {pair}: component {name} has value {} x weight {} / total weight {norm} but contribution {}",
                    c.value, c.weight, c.contribution
                )));
            }
            if let Some(v) = p.components.get(&c.component) {
                if !close(*v, c.value) {
                    return Err(bad(format!(
                        "pair {pair}: component {name} is {v} but its explanation says {}",
                        c.value
                    )));
                }
            }
            sum += c.contribution;
        }
        if !e.components.is_empty() && !close(sum, p.score) {
            return Err(bad(format!(
                "pair {pair} has score {} but its contributions add up to {sum}",
                p.score
            )));
        }
        total += p.score;
    }
    for (j, load) in mentor_load.iter().enumerate() {
        let m = &cohort.mentors.people[j];
        if *load > u64::from(m.capacity) {
            return Err(bad(format!(
                "mentor {:?} has {load} mentees but capacity {}",
                m.id, m.capacity
            )));
        }
    }
    for (i, load) in mentee_load.iter().enumerate() {
        let m = &cohort.mentees.people[i];
        if *load > u64::from(m.capacity) {
            return Err(bad(format!(
                "mentee {:?} has {load} mentors but wants {}",
                m.id, m.capacity
            )));
        }
    }
    for u in &result.unmatched {
        if !mentees.contains_key(u.mentee_id.as_str()) {
            return Err(bad(format!(
                "unmatched mentee {:?} is not in the cohort",
                u.mentee_id
            )));
        }
    }
    let s = &result.summary;
    if s.pairs != result.pairs.len()
        || s.mentees != cohort.mentees.people.len()
        || s.mentors != cohort.mentors.people.len()
    {
        return Err(bad(format!(
            "the summary counts {} pairs, {} mentees and {} mentors, the file holds {}, {} and {}",
            s.pairs,
            s.mentees,
            s.mentors,
            result.pairs.len(),
            cohort.mentees.people.len(),
            cohort.mentors.people.len()
        )));
    }
    if !close(s.total_score, total) {
        return Err(bad(format!(
            "the summary's total score is {} but the pairs add up to {total}",
            s.total_score
        )));
    }
    Ok(())
}
