//! The rematch plan: previous pairs located or dissolved, frozen pairs fixed, still-valid pairs
//! fitted into the current capacities, and the reduced instance handed to a solver.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use ndarray::CowArray;

use super::{DissolveReason, Labels, PairId, RematchError, RematchOptions};
use crate::lsap::Instance;

/// A previous pair: its cell while it is still valid, or why it was dissolved.
pub(super) struct Previous {
    pub(super) pair: PairId,
    pub(super) cell: Option<(usize, usize)>,
    pub(super) dissolved: Option<DissolveReason>,
}

pub(super) struct Plan {
    pub(super) rows: HashMap<String, usize>,
    pub(super) cols: HashMap<String, usize>,
    pub(super) frozen: Vec<(usize, usize)>,
    /// Still-valid previous pairs (frozen included).
    pub(super) valid: Vec<(usize, usize)>,
    /// Previous pairs in input order.
    pub(super) previous: Vec<Previous>,
    pub(super) input: Instance<'static>,
}

fn index_ids(ids: &[String], table: &'static str) -> Result<HashMap<String, usize>, RematchError> {
    let mut map = HashMap::with_capacity(ids.len());
    for (i, id) in ids.iter().enumerate() {
        if map.insert(id.clone(), i).is_some() {
            return Err(RematchError::DuplicateId {
                table,
                id: id.clone(),
            });
        }
    }
    Ok(map)
}

fn check_unique(pairs: &[PairId], list: &'static str) -> Result<(), RematchError> {
    let mut seen = HashSet::with_capacity(pairs.len());
    for p in pairs {
        if !seen.insert(p) {
            return Err(RematchError::DuplicatePair {
                list,
                pair: p.clone(),
            });
        }
    }
    Ok(())
}

pub(super) fn plan(
    instance: &Instance<'_>,
    labels: &Labels<'_>,
    previous: &[PairId],
    options: &RematchOptions,
    why_forbidden: &dyn Fn(usize, usize) -> String,
) -> Result<Plan, RematchError> {
    let (nr, nc) = instance.scores.dim();
    if labels.mentee_ids.len() != nr
        || instance.row_capacity.len() != nr
        || labels.mentor_ids.len() != nc
        || instance.col_capacity.len() != nc
    {
        return Err(RematchError::Shape(format!(
            "scores are {nr} x {nc}, but there are {} mentee ids, {} mentee capacities, {} mentor ids and {} mentor capacities",
            labels.mentee_ids.len(),
            instance.row_capacity.len(),
            labels.mentor_ids.len(),
            instance.col_capacity.len()
        )));
    }
    if !(options.keep_bonus.is_finite() && options.keep_bonus >= 0.0) {
        return Err(RematchError::KeepBonus(options.keep_bonus));
    }
    for ((r, c), &x) in instance.scores.indexed_iter() {
        if x.is_infinite() {
            return Err(RematchError::InvalidScore {
                mentee_id: labels.mentee_ids[r].clone(),
                mentor_id: labels.mentor_ids[c].clone(),
                value: x,
            });
        }
    }
    let rows = index_ids(labels.mentee_ids, "mentees")?;
    let cols = index_ids(labels.mentor_ids, "mentors")?;
    check_unique(previous, "previous")?;
    check_unique(&options.freeze, "freeze")?;

    let locate = |p: &PairId| -> Result<(usize, usize), DissolveReason> {
        let r = rows.get(&p.mentee_id).ok_or(DissolveReason::MenteeLeft)?;
        let c = cols.get(&p.mentor_id).ok_or(DissolveReason::MentorLeft)?;
        if instance.scores[[*r, *c]].is_nan() {
            return Err(DissolveReason::Forbidden {
                constraint: why_forbidden(*r, *c),
            });
        }
        Ok((*r, *c))
    };

    let mut row_left: Vec<u32> = instance.row_capacity.to_vec();
    let mut col_left: Vec<u32> = instance.col_capacity.to_vec();
    let mut frozen = Vec::with_capacity(options.freeze.len());
    for p in &options.freeze {
        let (r, c) = locate(p).map_err(|reason| RematchError::FrozenInvalid {
            pair: p.clone(),
            reason: reason.to_string(),
        })?;
        if row_left[r] == 0 {
            return Err(RematchError::FrozenInvalid {
                pair: p.clone(),
                reason: format!(
                    "the mentee wants {} mentor(s) and more frozen pairs than that name them",
                    instance.row_capacity[r]
                ),
            });
        }
        if col_left[c] == 0 {
            return Err(RematchError::FrozenInvalid {
                pair: p.clone(),
                reason: format!(
                    "the mentor's capacity is {} and more frozen pairs than that name them",
                    instance.col_capacity[c]
                ),
            });
        }
        row_left[r] -= 1;
        col_left[c] -= 1;
        frozen.push((r, c));
    }
    let frozen_set: HashSet<(usize, usize)> = frozen.iter().copied().collect();

    // Previous pairs: locate, then fit the still-valid ones into the current capacities, best
    // score first (ties by row, then column), frozen ones already placed.
    let mut located: Vec<Previous> = previous
        .iter()
        .map(|p| {
            let (cell, dissolved) = match locate(p) {
                Ok(rc) => (Some(rc), None),
                Err(reason) => (None, Some(reason)),
            };
            Previous {
                pair: p.clone(),
                cell,
                dissolved,
            }
        })
        .collect();
    let mut order: Vec<usize> = (0..located.len())
        .filter(|&k| matches!(located[k].cell, Some(rc) if !frozen_set.contains(&rc)))
        .collect();
    let cell = |k: usize| located[k].cell.unwrap_or_default();
    order.sort_by(|&a, &b| {
        let (ra, ca) = cell(a);
        let (rb, cb) = cell(b);
        instance.scores[[rb, cb]]
            .total_cmp(&instance.scores[[ra, ca]])
            .then((ra, ca).cmp(&(rb, cb)))
    });
    let mut valid: Vec<(usize, usize)> = frozen
        .iter()
        .copied()
        .filter(|rc| located.iter().any(|l| l.cell == Some(*rc)))
        .collect();
    let mut fit_rows = row_left.clone();
    let mut fit_cols = col_left.clone();
    let mut capacity_dropped = Vec::new();
    for k in order {
        let (r, c) = cell(k);
        if fit_rows[r] == 0 {
            capacity_dropped.push((
                k,
                DissolveReason::MenteeCapacity {
                    wanted: instance.row_capacity[r],
                },
            ));
        } else if fit_cols[c] == 0 {
            capacity_dropped.push((
                k,
                DissolveReason::MentorCapacity {
                    capacity: instance.col_capacity[c],
                },
            ));
        } else {
            fit_rows[r] -= 1;
            fit_cols[c] -= 1;
            valid.push((r, c));
        }
    }
    for (k, reason) in capacity_dropped {
        located[k].cell = None;
        located[k].dissolved = Some(reason);
    }

    let mut weights = instance.scores.to_owned();
    for &(r, c) in &valid {
        weights[[r, c]] += options.keep_bonus;
    }
    // Dissolved pairs are never re-formed; frozen pairs are fixed outside the solve.
    for prev in &located {
        if prev.dissolved.is_some() {
            let p = &prev.pair;
            if let (Some(&r), Some(&c)) = (rows.get(&p.mentee_id), cols.get(&p.mentor_id)) {
                weights[[r, c]] = f64::NAN;
            }
        }
    }
    for &(r, c) in &frozen {
        weights[[r, c]] = f64::NAN;
    }
    valid.sort_unstable();
    Ok(Plan {
        rows,
        cols,
        frozen,
        valid,
        previous: located,
        input: Instance {
            scores: CowArray::from(weights),
            row_capacity: Cow::Owned(row_left),
            col_capacity: Cow::Owned(col_left),
        },
    })
}

pub(super) fn check_solution(
    input: &Instance<'_>,
    pairs: &[(usize, usize)],
    labels: &Labels<'_>,
) -> Result<(), RematchError> {
    let (nr, nc) = input.dims();
    let mut rows = vec![0u32; nr];
    let mut cols = vec![0u32; nc];
    let mut seen = HashSet::with_capacity(pairs.len());
    for &(r, c) in pairs {
        let name = |r: usize, c: usize| match (labels.mentee_ids.get(r), labels.mentor_ids.get(c)) {
            (Some(a), Some(b)) => PairId::new(a.clone(), b.clone()).to_string(),
            _ => format!("out-of-range pair ({r}, {c})"),
        };
        if r >= nr || c >= nc || input.scores[[r, c]].is_nan() || !seen.insert((r, c)) {
            return Err(RematchError::SolverViolation(name(r, c)));
        }
        rows[r] += 1;
        cols[c] += 1;
        if rows[r] > input.row_capacity[r] || cols[c] > input.col_capacity[c] {
            return Err(RematchError::SolverViolation(name(r, c)));
        }
    }
    Ok(())
}
