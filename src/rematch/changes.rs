//! The rematch report: every previous and new pair with its status and reason, every mentee's
//! before and after, and the score gained.

use std::collections::{BTreeMap, HashSet};

use super::plan::{Plan, Previous};
use super::{
    Labels, MenteeChange, MenteeStatus, PairChange, PairStatus, Rematch, RematchCounts, RematchPair,
};
use crate::lsap::Instance;

/// What became of every previous pair and every mentee, once the solver chose `solved`.
pub(super) fn finish(
    instance: &Instance<'_>,
    labels: &Labels<'_>,
    plan: Plan,
    solved: Vec<(usize, usize)>,
    keep_bonus: f64,
) -> Rematch {
    let score = |r: usize, c: usize| instance.scores[[r, c]];
    let mut new_pairs: Vec<(usize, usize)> = solved;
    new_pairs.extend(plan.frozen.iter().copied());
    new_pairs.sort_unstable();
    let new_set: HashSet<(usize, usize)> = new_pairs.iter().copied().collect();
    let frozen_set: HashSet<(usize, usize)> = plan.frozen.iter().copied().collect();
    let valid_set: HashSet<(usize, usize)> = plan.valid.iter().copied().collect();

    let pairs: Vec<RematchPair> = new_pairs
        .iter()
        .map(|&(r, c)| RematchPair {
            mentee: r,
            mentor: c,
            mentee_id: labels.mentee_ids[r].clone(),
            mentor_id: labels.mentor_ids[c].clone(),
            score: score(r, c),
            kept: valid_set.contains(&(r, c)),
            frozen: frozen_set.contains(&(r, c)),
        })
        .collect();

    let mut changes = Vec::with_capacity(plan.previous.len() + pairs.len());
    let mut previous_cells = HashSet::new();
    // Mentee id -> (previous mentors, dissolve reasons); BTreeMap keeps departed mentees sorted.
    let mut before: BTreeMap<&str, (Vec<String>, Vec<String>)> = BTreeMap::new();
    for Previous {
        pair: p,
        cell: rc,
        dissolved: reason,
    } in &plan.previous
    {
        let cell = match (plan.rows.get(&p.mentee_id), plan.cols.get(&p.mentor_id)) {
            (Some(&r), Some(&c)) => Some((r, c)),
            _ => None,
        };
        if let Some(rc) = cell {
            previous_cells.insert(rc);
        }
        let entry = before.entry(p.mentee_id.as_str()).or_default();
        entry.0.push(p.mentor_id.clone());
        let frozen = rc.is_some_and(|rc| frozen_set.contains(&rc));
        let (status, text) = match (rc, reason) {
            (_, Some(reason)) => {
                entry
                    .1
                    .push(format!("pair with {:?} dissolved: {reason}", p.mentor_id));
                (PairStatus::Dissolved, reason.to_string())
            }
            (Some(_), None) if frozen => (PairStatus::Kept, "frozen".to_string()),
            (Some(rc), None) if new_set.contains(rc) => {
                (PairStatus::Kept, "still valid, kept".to_string())
            }
            _ => (
                PairStatus::Released,
                format!("still valid, but released for a better overall matching (more mentees matched, or a higher total even after the keep bonus {keep_bonus})"),
            ),
        };
        changes.push(PairChange {
            mentee_id: p.mentee_id.clone(),
            mentor_id: p.mentor_id.clone(),
            status,
            frozen,
            score: cell.map(|(r, c)| score(r, c)).filter(|s| !s.is_nan()),
            dissolved: reason.clone(),
            reason: text,
        });
    }
    for p in &pairs {
        if !previous_cells.contains(&(p.mentee, p.mentor)) {
            changes.push(PairChange {
                mentee_id: p.mentee_id.clone(),
                mentor_id: p.mentor_id.clone(),
                status: PairStatus::New,
                frozen: p.frozen,
                score: Some(p.score),
                dissolved: None,
                reason: if p.frozen {
                    "frozen (pinned) new pair".to_string()
                } else {
                    "new pair".to_string()
                },
            });
        }
    }

    let mut now: Vec<Vec<usize>> = vec![Vec::new(); labels.mentee_ids.len()];
    for p in &pairs {
        now[p.mentee].push(p.mentor);
    }
    let describe = |cols: &[usize], r: usize| -> String {
        cols.iter()
            .map(|&c| format!("{:?} ({:.3})", labels.mentor_ids[c], score(r, c)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut mentees = Vec::with_capacity(labels.mentee_ids.len());
    let mut counts = RematchCounts::default();
    for (r, id) in labels.mentee_ids.iter().enumerate() {
        let (previous_mentors, dissolved) = before.remove(id.as_str()).unwrap_or_default();
        let mentors: Vec<String> = now[r]
            .iter()
            .map(|&c| labels.mentor_ids[c].clone())
            .collect();
        let released: Vec<usize> = previous_mentors
            .iter()
            .filter_map(|m| plan.cols.get(m).copied())
            .filter(|&c| !new_set.contains(&(r, c)))
            .collect();
        let added: Vec<usize> = now[r]
            .iter()
            .copied()
            .filter(|&c| !previous_mentors.contains(&labels.mentor_ids[c]))
            .collect();
        let (status, reason) = if !dissolved.is_empty() {
            let mut reason = dissolved.join("; ");
            if mentors.is_empty() {
                reason.push_str("; no mentor now");
            } else {
                reason.push_str(&format!("; now with {}", describe(&now[r], r)));
            }
            (MenteeStatus::Dissolved, reason)
        } else if previous_mentors.is_empty() && mentors.is_empty() {
            (
                MenteeStatus::Unmatched,
                "no mentor before or after".to_string(),
            )
        } else if previous_mentors.is_empty() {
            (
                MenteeStatus::New,
                format!("newly matched with {}", describe(&now[r], r)),
            )
        } else if released.is_empty() {
            let mut reason = "still valid, kept".to_string();
            if !added.is_empty() {
                reason.push_str(&format!("; also matched with {}", describe(&added, r)));
            }
            (MenteeStatus::Kept, reason)
        } else {
            let to = if mentors.is_empty() {
                "now unmatched: the mentor went to a better overall matching".to_string()
            } else {
                format!("now with {}", describe(&now[r], r))
            };
            (
                MenteeStatus::Moved,
                format!(
                    "released from {} for a better overall matching (keep bonus {keep_bonus}); {to}",
                    describe(&released, r)
                ),
            )
        };
        match status {
            MenteeStatus::Kept => counts.kept += 1,
            MenteeStatus::Moved => counts.moved += 1,
            MenteeStatus::New => counts.new += 1,
            MenteeStatus::Dissolved => counts.dissolved += 1,
            MenteeStatus::Unmatched => counts.unmatched += 1,
        }
        mentees.push(MenteeChange {
            mentee_id: id.clone(),
            status,
            previous_mentors,
            mentors,
            reason,
        });
    }
    // Whoever is left in `before` is a mentee who left the cohort.
    for (id, (previous_mentors, dissolved)) in before {
        counts.dissolved += 1;
        mentees.push(MenteeChange {
            mentee_id: id.to_string(),
            status: MenteeStatus::Dissolved,
            previous_mentors,
            mentors: Vec::new(),
            reason: dissolved.join("; "),
        });
    }

    let total_score: f64 = pairs.iter().map(|p| p.score).sum();
    let baseline_score: f64 = plan.valid.iter().map(|&(r, c)| score(r, c)).sum();
    Rematch {
        pairs,
        changes,
        mentees,
        counts,
        total_score,
        baseline_score,
        score_gained: total_score - baseline_score,
        keep_bonus,
    }
}
