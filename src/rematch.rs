//! Rematching a running programme when goals change or people join and leave: still-valid pairs get a
//! bonus for staying, pairs that now break a hard constraint are dissolved, frozen pairs stay put.
//!
//! The core here works on a score matrix (NaN = a pair some hard constraint forbids) and ids, so it
//! serves any caller; [`rematch_scores`] solves with the capacitated assignment solver and
//! [`rematch_scores_with`] accepts another solver (a fairness-aware one, for example).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

use ndarray::{Array2, ArrayView2};
use serde::{Deserialize, Serialize};

use crate::cohort::Cohort;
use crate::constraints::{self, Mask};
use crate::fairness::solve_fair;
use crate::lsap::{solve_capacitated, CapacitatedOptions, Objective};
use crate::matching::{
    match_cohort, score_matrix, MatchConfig, MatchError, MatchResult, Objective as MatchObjective,
};

/// A (mentee id, mentor id) pair as a programme keeps it between runs.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PairId {
    /// The mentee's id.
    pub mentee_id: String,
    /// The mentor's id.
    pub mentor_id: String,
}

impl PairId {
    /// A pair from the two ids.
    pub fn new(mentee_id: impl Into<String>, mentor_id: impl Into<String>) -> Self {
        PairId {
            mentee_id: mentee_id.into(),
            mentor_id: mentor_id.into(),
        }
    }
}

impl fmt::Display for PairId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "(mentee {:?}, mentor {:?})",
            self.mentee_id, self.mentor_id
        )
    }
}

/// The current state of the programme that a rematch solves against.
#[derive(Debug, Clone, Copy)]
pub struct RematchProblem<'a> {
    /// Current scores, one row per mentee and one column per mentor; NaN marks a pair that a hard
    /// constraint forbids. Every other entry must be finite.
    pub scores: ArrayView2<'a, f64>,
    /// Mentee ids, one per row, unique.
    pub mentee_ids: &'a [String],
    /// Mentor ids, one per column, unique.
    pub mentor_ids: &'a [String],
    /// How many mentors each mentee wants (one per row).
    pub mentee_capacity: &'a [u32],
    /// How many mentees each mentor takes (one per column).
    pub mentor_capacity: &'a [u32],
}

/// Why a previous pair was dissolved before re-solving. A dissolved pair is never re-formed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DissolveReason {
    /// The mentee is no longer in the cohort.
    MenteeLeft,
    /// The mentor is no longer in the cohort.
    MentorLeft,
    /// A hard constraint now forbids the pair.
    Forbidden {
        /// Which constraint, in words.
        constraint: String,
    },
    /// The mentor's capacity dropped below their number of still-valid previous pairs; the
    /// better-scoring ones (frozen first) were kept.
    MentorCapacity {
        /// The mentor's current capacity.
        capacity: u32,
    },
    /// The mentee now wants fewer mentors than they had; the better-scoring pairs were kept.
    MenteeCapacity {
        /// How many mentors the mentee wants now.
        wanted: u32,
    },
}

impl fmt::Display for DissolveReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DissolveReason::MenteeLeft => write!(f, "the mentee is no longer in the cohort"),
            DissolveReason::MentorLeft => write!(f, "the mentor is no longer in the cohort"),
            DissolveReason::Forbidden { constraint } => write!(f, "now forbidden: {constraint}"),
            DissolveReason::MentorCapacity { capacity } => write!(
                f,
                "the mentor's capacity is now {capacity}; better-scoring pairs were kept"
            ),
            DissolveReason::MenteeCapacity { wanted } => write!(
                f,
                "the mentee now wants {wanted} mentor(s); better-scoring pairs were kept"
            ),
        }
    }
}

/// What happened to one pair that existed before or exists now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PairStatus {
    /// A previous pair that is still in the new matching.
    Kept,
    /// A still-valid previous pair that the re-solve let go for a better overall matching.
    Released,
    /// A previous pair that broke a hard constraint (or lost a person) and was dissolved.
    Dissolved,
    /// A pair that did not exist before.
    New,
}

impl fmt::Display for PairStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PairStatus::Kept => "kept",
            PairStatus::Released => "released",
            PairStatus::Dissolved => "dissolved",
            PairStatus::New => "new",
        })
    }
}

/// One pair of the old or the new matching and what became of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairChange {
    /// The mentee's id.
    pub mentee_id: String,
    /// The mentor's id.
    pub mentor_id: String,
    /// Kept, released, dissolved or new.
    pub status: PairStatus,
    /// Whether the pair was frozen (pinned) by the caller.
    pub frozen: bool,
    /// The pair's current score, without any keep bonus; `None` when a person left or the pair is
    /// now forbidden.
    pub score: Option<f64>,
    /// Set for dissolved pairs.
    pub dissolved: Option<DissolveReason>,
    /// What happened and why, in words.
    pub reason: String,
}

/// What happened to one mentee, summarising their pairs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MenteeStatus {
    /// Every previous pair kept (new ones may have been added when the mentee wants several).
    Kept,
    /// Had only still-valid pairs, and the re-solve released at least one of them.
    Moved,
    /// Had no mentor before and has one now.
    New,
    /// At least one previous pair was dissolved (see the reason); the mentee may have been
    /// rematched.
    Dissolved,
    /// Had no mentor before and has none now.
    Unmatched,
}

impl fmt::Display for MenteeStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            MenteeStatus::Kept => "kept",
            MenteeStatus::Moved => "moved",
            MenteeStatus::New => "new",
            MenteeStatus::Dissolved => "dissolved",
            MenteeStatus::Unmatched => "unmatched",
        })
    }
}

/// One mentee's before and after.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MenteeChange {
    /// The mentee's id.
    pub mentee_id: String,
    /// Kept, moved, new, dissolved or unmatched.
    pub status: MenteeStatus,
    /// Mentors before, in the order the previous pairs listed them.
    pub previous_mentors: Vec<String>,
    /// Mentors now, in column order.
    pub mentors: Vec<String>,
    /// The reason in words.
    pub reason: String,
}

/// Counts of mentees by [`MenteeStatus`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RematchCounts {
    /// Mentees who kept every previous pair.
    pub kept: usize,
    /// Mentees whose still-valid pairs were changed by the re-solve.
    pub moved: usize,
    /// Mentees matched now who had no mentor before.
    pub new: usize,
    /// Mentees who lost at least one pair to a hard constraint or a departure.
    pub dissolved: usize,
    /// Mentees without a mentor before and after.
    pub unmatched: usize,
}

/// A matched pair of the new matching, by index into the problem and by id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RematchPair {
    /// Row of the mentee in the score matrix.
    pub mentee: usize,
    /// Column of the mentor in the score matrix.
    pub mentor: usize,
    /// The mentee's id.
    pub mentee_id: String,
    /// The mentor's id.
    pub mentor_id: String,
    /// Current score (no keep bonus).
    pub score: f64,
    /// Whether this pair existed before.
    pub kept: bool,
    /// Whether the caller froze it.
    pub frozen: bool,
}

/// The outcome of a rematch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rematch {
    /// The new matching, sorted by (mentee row, mentor column).
    pub pairs: Vec<RematchPair>,
    /// Every pair of the old and the new matching with its status: previous pairs in the order
    /// given, then new pairs.
    pub changes: Vec<PairChange>,
    /// One entry per mentee of the cohort (row order), then mentees of previous pairs who left.
    pub mentees: Vec<MenteeChange>,
    /// Mentees by status.
    pub counts: RematchCounts,
    /// Sum of the current scores of the new pairs (no keep bonus).
    pub total_score: f64,
    /// Sum of the current scores of the still-valid previous pairs: what keeping them would give.
    pub baseline_score: f64,
    /// `total_score - baseline_score`.
    pub score_gained: f64,
    /// The keep bonus used.
    pub keep_bonus: f64,
}

/// Errors from a rematch. Each names the pair or value to fix.
#[derive(Debug, thiserror::Error)]
pub enum RematchError {
    /// The problem's pieces do not fit together.
    #[error("rematch input: {0}")]
    Shape(String),
    /// A score is neither finite nor NaN (NaN marks a forbidden pair).
    #[error("score at mentee {mentee_id:?}, mentor {mentor_id:?} is {value}; scores must be finite (NaN marks a forbidden pair)")]
    InvalidScore {
        /// The mentee's id.
        mentee_id: String,
        /// The mentor's id.
        mentor_id: String,
        /// The bad value.
        value: f64,
    },
    /// The keep bonus is negative or not finite.
    #[error("keep_bonus must be a finite number >= 0, got {0}")]
    KeepBonus(f64),
    /// The same id appears twice in a table.
    #[error("duplicate {table} id {id:?}: ids must be unique")]
    DuplicateId {
        /// `mentees` or `mentors`.
        table: &'static str,
        /// The repeated id.
        id: String,
    },
    /// The same pair is listed twice among the previous or frozen pairs.
    #[error("{list} pairs list {pair} more than once; remove the duplicate")]
    DuplicatePair {
        /// `previous` or `freeze`.
        list: &'static str,
        /// The repeated pair.
        pair: PairId,
    },
    /// A frozen pair cannot be kept without breaking a hard constraint.
    #[error("frozen pair {pair} cannot be kept: {reason}; unfreeze it or fix the input")]
    FrozenInvalid {
        /// The frozen pair.
        pair: PairId,
        /// What it breaks.
        reason: String,
    },
    /// The assignment solver failed.
    #[error("solver failed: {0}")]
    Solver(String),
    /// The solver returned a pair that breaks a constraint (a bug in the solver plugged in).
    #[error("internal error: the solver returned {0}, which breaks a hard constraint")]
    SolverViolation(String),
}

/// Options of a rematch besides the solver's own.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RematchOptions {
    /// Added to the score of every still-valid previous pair while solving (the reported scores never
    /// include it). 0 = a fresh optimal solve; larger values keep more pairs. In score units:
    /// scores lie in [0, 1], so 0.05–0.2 keeps pairs unless moving gains clearly more.
    pub keep_bonus: f64,
    /// Pairs that must stay matched. A frozen pair need not be a previous one (then it is a new,
    /// pinned pair).
    pub freeze: Vec<PairId>,
}

/// The reduced problem handed to a solver, in matrix indices.
#[derive(Debug, Clone)]
pub struct SolverInput {
    /// Scores plus the keep bonus on still-valid, unfrozen previous pairs; NaN = not allowed
    /// (forbidden, dissolved, or frozen and already fixed).
    pub weights: Array2<f64>,
    /// Remaining mentors wanted per mentee after the frozen pairs.
    pub mentee_capacity: Vec<u32>,
    /// Remaining capacity per mentor after the frozen pairs.
    pub mentor_capacity: Vec<u32>,
}

/// A previous pair: its cell while it is still valid, or why it was dissolved.
struct Previous {
    pair: PairId,
    cell: Option<(usize, usize)>,
    dissolved: Option<DissolveReason>,
}

struct Plan {
    rows: HashMap<String, usize>,
    cols: HashMap<String, usize>,
    frozen: Vec<(usize, usize)>,
    /// Still-valid previous pairs (frozen included).
    valid: Vec<(usize, usize)>,
    /// Previous pairs in input order.
    previous: Vec<Previous>,
    input: SolverInput,
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

fn plan(
    problem: &RematchProblem<'_>,
    previous: &[PairId],
    options: &RematchOptions,
    why_forbidden: &dyn Fn(usize, usize) -> String,
) -> Result<Plan, RematchError> {
    let (nr, nc) = problem.scores.dim();
    if problem.mentee_ids.len() != nr
        || problem.mentee_capacity.len() != nr
        || problem.mentor_ids.len() != nc
        || problem.mentor_capacity.len() != nc
    {
        return Err(RematchError::Shape(format!(
            "scores are {nr} x {nc}, but there are {} mentee ids, {} mentee capacities, {} mentor ids and {} mentor capacities",
            problem.mentee_ids.len(),
            problem.mentee_capacity.len(),
            problem.mentor_ids.len(),
            problem.mentor_capacity.len()
        )));
    }
    if !(options.keep_bonus.is_finite() && options.keep_bonus >= 0.0) {
        return Err(RematchError::KeepBonus(options.keep_bonus));
    }
    for ((r, c), &x) in problem.scores.indexed_iter() {
        if x.is_infinite() {
            return Err(RematchError::InvalidScore {
                mentee_id: problem.mentee_ids[r].clone(),
                mentor_id: problem.mentor_ids[c].clone(),
                value: x,
            });
        }
    }
    let rows = index_ids(problem.mentee_ids, "mentees")?;
    let cols = index_ids(problem.mentor_ids, "mentors")?;
    check_unique(previous, "previous")?;
    check_unique(&options.freeze, "freeze")?;

    let locate = |p: &PairId| -> Result<(usize, usize), DissolveReason> {
        let r = rows.get(&p.mentee_id).ok_or(DissolveReason::MenteeLeft)?;
        let c = cols.get(&p.mentor_id).ok_or(DissolveReason::MentorLeft)?;
        if problem.scores[[*r, *c]].is_nan() {
            return Err(DissolveReason::Forbidden {
                constraint: why_forbidden(*r, *c),
            });
        }
        Ok((*r, *c))
    };

    let mut row_left: Vec<u32> = problem.mentee_capacity.to_vec();
    let mut col_left: Vec<u32> = problem.mentor_capacity.to_vec();
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
                    problem.mentee_capacity[r]
                ),
            });
        }
        if col_left[c] == 0 {
            return Err(RematchError::FrozenInvalid {
                pair: p.clone(),
                reason: format!(
                    "the mentor's capacity is {} and more frozen pairs than that name them",
                    problem.mentor_capacity[c]
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
        problem.scores[[rb, cb]]
            .total_cmp(&problem.scores[[ra, ca]])
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
                    wanted: problem.mentee_capacity[r],
                },
            ));
        } else if fit_cols[c] == 0 {
            capacity_dropped.push((
                k,
                DissolveReason::MentorCapacity {
                    capacity: problem.mentor_capacity[c],
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

    let mut weights = problem.scores.to_owned();
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
        input: SolverInput {
            weights,
            mentee_capacity: row_left,
            mentor_capacity: col_left,
        },
    })
}

fn check_solution(
    input: &SolverInput,
    pairs: &[(usize, usize)],
    problem: &RematchProblem<'_>,
) -> Result<(), RematchError> {
    let (nr, nc) = input.weights.dim();
    let mut rows = vec![0u32; nr];
    let mut cols = vec![0u32; nc];
    let mut seen = HashSet::with_capacity(pairs.len());
    for &(r, c) in pairs {
        let name = |r: usize, c: usize| match (problem.mentee_ids.get(r), problem.mentor_ids.get(c))
        {
            (Some(a), Some(b)) => PairId::new(a.clone(), b.clone()).to_string(),
            _ => format!("out-of-range pair ({r}, {c})"),
        };
        if r >= nr || c >= nc || input.weights[[r, c]].is_nan() || !seen.insert((r, c)) {
            return Err(RematchError::SolverViolation(name(r, c)));
        }
        rows[r] += 1;
        cols[c] += 1;
        if rows[r] > input.mentee_capacity[r] || cols[c] > input.mentor_capacity[c] {
            return Err(RematchError::SolverViolation(name(r, c)));
        }
    }
    Ok(())
}

fn finish(
    problem: &RematchProblem<'_>,
    plan: Plan,
    solved: Vec<(usize, usize)>,
    keep_bonus: f64,
) -> Rematch {
    let score = |r: usize, c: usize| problem.scores[[r, c]];
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
            mentee_id: problem.mentee_ids[r].clone(),
            mentor_id: problem.mentor_ids[c].clone(),
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

    let mut now: Vec<Vec<usize>> = vec![Vec::new(); problem.mentee_ids.len()];
    for p in &pairs {
        now[p.mentee].push(p.mentor);
    }
    let describe = |cols: &[usize], r: usize| -> String {
        cols.iter()
            .map(|&c| format!("{:?} ({:.3})", problem.mentor_ids[c], score(r, c)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut mentees = Vec::with_capacity(problem.mentee_ids.len());
    let mut counts = RematchCounts::default();
    for (r, id) in problem.mentee_ids.iter().enumerate() {
        let (previous_mentors, dissolved) = before.remove(id.as_str()).unwrap_or_default();
        let mentors: Vec<String> = now[r]
            .iter()
            .map(|&c| problem.mentor_ids[c].clone())
            .collect();
        let released: Vec<usize> = previous_mentors
            .iter()
            .filter_map(|m| plan.cols.get(m).copied())
            .filter(|&c| !new_set.contains(&(r, c)))
            .collect();
        let added: Vec<usize> = now[r]
            .iter()
            .copied()
            .filter(|&c| !previous_mentors.contains(&problem.mentor_ids[c]))
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

/// Rematch with a solver of the caller's choice.
///
/// `solve` receives the reduced problem (frozen pairs already fixed and removed from the
/// capacities, dissolved pairs forbidden, the keep bonus added) and returns the pairs it picks as
/// (row, column) indices; their scores must not be NaN and capacities must hold, which is checked.
/// `why_forbidden(row, col)` names the constraint behind a NaN score, for the report.
pub fn rematch_scores_with<S>(
    problem: &RematchProblem<'_>,
    previous: &[PairId],
    options: &RematchOptions,
    why_forbidden: &dyn Fn(usize, usize) -> String,
    solve: S,
) -> Result<Rematch, RematchError>
where
    S: FnOnce(&SolverInput) -> Result<Vec<(usize, usize)>, RematchError>,
{
    let plan = plan(problem, previous, options, why_forbidden)?;
    let solved = solve(&plan.input)?;
    check_solution(&plan.input, &solved, problem)?;
    Ok(finish(problem, plan, solved, options.keep_bonus))
}

/// Rematch with the capacitated assignment solver ([`crate::lsap::solve_capacitated`]).
///
/// `objective` is the solver's: [`Objective::Coverage`] matches as many pairs as the constraints
/// allow and then maximises score plus keep bonus (so a kept pair never costs a mentee their
/// match), [`Objective::Score`] maximises score plus keep bonus alone (then a large enough bonus keeps
/// every still-valid pair).
///
/// ```
/// use ndarray::array;
/// use mentorpair::lsap::Objective;
/// use mentorpair::rematch::{rematch_scores, PairId, PairStatus, RematchOptions, RematchProblem};
///
/// let scores = array![[0.5, 0.9], [0.4, f64::NAN]];
/// let ids = |p: &str, n: usize| (0..n).map(|i| format!("{p}{i}")).collect::<Vec<_>>();
/// let (mentees, mentors) = (ids("e", 2), ids("m", 2));
/// let problem = RematchProblem {
///     scores: scores.view(),
///     mentee_ids: &mentees,
///     mentor_ids: &mentors,
///     mentee_capacity: &[1, 1],
///     mentor_capacity: &[1, 1],
/// };
/// // Last round e0 had m0 and e1 had m1; a constraint now forbids e1–m1.
/// let previous = [PairId::new("e0", "m0"), PairId::new("e1", "m1")];
/// let options = RematchOptions { keep_bonus: 0.2, ..Default::default() };
/// let out = rematch_scores(&problem, &previous, &options, &|_, _| "same department".into(), Objective::Coverage)
///     .unwrap();
/// assert_eq!(out.changes[1].status, PairStatus::Dissolved);
/// // e1 can only take m0 now, so e0 moves to m1 (coverage first): 0.4 + 0.9 instead of 0.5.
/// assert_eq!(out.changes[0].status, PairStatus::Released);
/// assert!((out.score_gained - 0.8).abs() < 1e-12);
/// ```
pub fn rematch_scores(
    problem: &RematchProblem<'_>,
    previous: &[PairId],
    options: &RematchOptions,
    why_forbidden: &dyn Fn(usize, usize) -> String,
    objective: Objective,
) -> Result<Rematch, RematchError> {
    rematch_scores_with(problem, previous, options, why_forbidden, |input| {
        let opts = CapacitatedOptions {
            maximize: true,
            objective,
        };
        solve_capacitated(
            input.weights.view(),
            &input.mentee_capacity,
            &input.mentor_capacity,
            &opts,
        )
        .map(|m| m.pairs)
        .map_err(|e| RematchError::Solver(e.to_string()))
    })
}

/// A rematch of a cohort: what changed, and the new matching as a full [`MatchResult`] (scores
/// explained, unmatched reasons, the independent constraint audit).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CohortRematch {
    /// Kept / released / dissolved / new pairs, per-mentee status and the score gained.
    pub rematch: Rematch,
    /// The new matching, built by the matching pipeline with every chosen pair fixed; `pinned` marks
    /// the frozen pairs and `config` is the caller's, with the frozen pairs as `pin`.
    pub result: MatchResult,
}

/// Errors of [`rematch_cohort`].
#[derive(Debug, thiserror::Error)]
pub enum CohortRematchError {
    /// Scoring or matching refused the cohort or the configuration.
    #[error(transparent)]
    Match(#[from] MatchError),
    /// The rematch itself failed (a frozen pair breaking a constraint, a bad keep bonus, ...).
    #[error(transparent)]
    Rematch(#[from] RematchError),
    /// The matching rebuilt from the rematch's pairs differs from them (a bug).
    #[error(
        "internal error: the explained matching has {got} pairs where the rematch chose {want}"
    )]
    Inconsistent {
        /// Pairs chosen by the rematch.
        want: usize,
        /// Pairs in the rebuilt matching.
        got: usize,
    },
}

/// Rematch a cohort after goals, people or constraints changed.
///
/// `previous` are last round's pairs by id; `config` is the match configuration for this round
/// (its `pin` pairs are frozen too, its objective is the solver's); `options` gives the keep bonus
/// and the frozen pairs. Pairs that now break a hard constraint (reporting line, department,
/// `forbid`, minimum score, a mentor with capacity 0) or lost a person are dissolved; frozen pairs
/// stay or the call fails naming them; the rest is re-solved with the bonus on still-valid pairs.
pub fn rematch_cohort(
    cohort: &Cohort,
    config: &MatchConfig,
    previous: &[PairId],
    options: &RematchOptions,
) -> Result<CohortRematch, CohortRematchError> {
    let matrix = score_matrix(cohort, config)?;
    let forbid =
        constraints::resolve_pairs(cohort, "forbid", &config.forbid).map_err(MatchError::from)?;
    let mask = Mask::build(cohort, config.exclude_same_department, &forbid);
    let why = |r: usize, c: usize| match mask.excluded(r, c) {
        Some(e) => e.describe().to_string(),
        None => format!("the score is below min_score {}", config.min_score),
    };
    let mentee_capacity: Vec<u32> = cohort.mentees.people.iter().map(|p| p.capacity).collect();
    let mentor_capacity: Vec<u32> = cohort.mentors.people.iter().map(|p| p.capacity).collect();
    let problem = RematchProblem {
        scores: matrix.scores.view(),
        mentee_ids: &matrix.mentee_ids,
        mentor_ids: &matrix.mentor_ids,
        mentee_capacity: &mentee_capacity,
        mentor_capacity: &mentor_capacity,
    };
    let mut options = options.clone();
    for (a, b) in &config.pin {
        let pin = PairId::new(a.clone(), b.clone());
        if !options.freeze.contains(&pin) {
            options.freeze.push(pin);
        }
    }
    let objective = match config.objective {
        MatchObjective::Coverage => Objective::Coverage,
        MatchObjective::Score => Objective::Score,
    };
    // With a fairness mode configured, the re-solve is the fairness-aware one (on the weights with
    // the keep bonus), and its report goes with the result.
    let mut fair_report = None;
    let rematch = match &config.fairness {
        None => rematch_scores(&problem, previous, &options, &why, objective)?,
        Some(fairness) => rematch_scores_with(&problem, previous, &options, &why, |input| {
            let report = solve_fair(
                input.weights.view(),
                &cohort.mentees.protected,
                &input.mentee_capacity,
                &input.mentor_capacity,
                objective,
                fairness,
            )
            .map_err(|e| RematchError::Solver(e.to_string()))?;
            let pairs = report.pairs().to_vec();
            fair_report = Some(report);
            Ok(pairs)
        })?,
    };

    // The new matching, explained and audited by the matching pipeline itself: every chosen pair
    // pinned, dissolved pairs forbidden so nothing else can be added.
    let mut fixed = config.clone();
    fixed.fairness = None;
    fixed.pin = rematch
        .pairs
        .iter()
        .map(|p| (p.mentee_id.clone(), p.mentor_id.clone()))
        .collect();
    // The score matrix is not needed any more: free it before the matching pipeline scores again.
    drop(matrix);
    let (rows, cols): (HashSet<&str>, HashSet<&str>) = (
        cohort
            .mentees
            .people
            .iter()
            .map(|p| p.id.as_str())
            .collect(),
        cohort
            .mentors
            .people
            .iter()
            .map(|p| p.id.as_str())
            .collect(),
    );
    for ch in &rematch.changes {
        let pair = (ch.mentee_id.clone(), ch.mentor_id.clone());
        if ch.status == PairStatus::Dissolved
            && rows.contains(ch.mentee_id.as_str())
            && cols.contains(ch.mentor_id.as_str())
            && !fixed.forbid.contains(&pair)
        {
            fixed.forbid.push(pair);
        }
    }
    let mut result = match_cohort(cohort, &fixed)?;
    let chosen: HashSet<(&str, &str)> = rematch
        .pairs
        .iter()
        .map(|p| (p.mentee_id.as_str(), p.mentor_id.as_str()))
        .collect();
    if result.pairs.len() != rematch.pairs.len()
        || result
            .pairs
            .iter()
            .any(|p| !chosen.contains(&(p.mentee_id.as_str(), p.mentor_id.as_str())))
    {
        return Err(CohortRematchError::Inconsistent {
            want: rematch.pairs.len(),
            got: result.pairs.len(),
        });
    }
    // Report the caller's pins and frozen pairs as pinned, not the rematch's own fixing.
    let frozen: HashSet<(&str, &str)> = rematch
        .pairs
        .iter()
        .filter(|p| p.frozen)
        .map(|p| (p.mentee_id.as_str(), p.mentor_id.as_str()))
        .collect();
    for p in &mut result.pairs {
        p.pinned = frozen.contains(&(p.mentee_id.as_str(), p.mentor_id.as_str()));
    }
    result.config = config.clone();
    result.fairness = fair_report;
    result.config.pin = options
        .freeze
        .iter()
        .map(|p| (p.mentee_id.clone(), p.mentor_id.clone()))
        .collect();
    Ok(CohortRematch { rematch, result })
}
