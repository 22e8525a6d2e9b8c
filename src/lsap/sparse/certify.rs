//! Certificate of optimality for the full problem: stream every pair's score from a block oracle,
//! check its reduced cost against the sparse solve's duals, and add the violators to the
//! candidates until none remain (column generation). See docs/matching.md, "Certificate".

use super::{solve_sparse, solve_sparse_from, CandidateGraph};
use crate::lsap::{CapacitatedOptions, LsapError, Matching, Objective};
use rayon::prelude::*;
use std::ops::Range;
use std::time::{Duration, Instant};

/// Relative tolerance under which a positive reduced cost counts as rounding, not a violation.
pub const TOLERANCE: f64 = 1e-9;

/// A pair whose reduced cost says the matching could improve by using it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Violation {
    /// Row of the pair.
    pub row: usize,
    /// Column of the pair.
    pub col: usize,
    /// Its score, as the oracle gave it.
    pub score: f64,
    /// Coverage part of the violation (pairs; 0 for [`Objective::Score`]).
    pub coverage: i64,
    /// Score part of the violation (in the objective's sense, so positive means "better").
    pub amount: f64,
}

/// What [`certify`] found.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Check {
    /// The worst violators of each row (at most `per_row` of them), by row then amount.
    pub violations: Vec<Violation>,
    /// Number of violating pairs in all (also those not kept).
    pub violating: u64,
    /// Pairs whose reduced cost was checked (every allowed pair not in the matching); for
    /// [`certify_bounded`], every pair not in the matching, scored or ruled out by a bound.
    pub pairs_checked: u64,
    /// Pairs scored exactly (all the checked ones for [`certify`]).
    pub pairs_scored: u64,
    /// Each row's next pairs (at most `per_row`, or the [`Next::per_row`] of [`certify_against`],
    /// by row then column), among the pairs scored exactly and not candidates: the violators
    /// beyond `per_row` first, then the best of the pairs that do not violate, the pairs most
    /// likely to violate after the next solve moves the duals. [`solve_certified_with`] prices
    /// them again after each solve, so fewer rounds (each a pass over every pair) are needed.
    /// `amount` is their reduced cost (non-positive for those that do not violate).
    pub near: Vec<Violation>,
    /// Sum of the violations, coverage part: the lexicographic bound is `(coverage_gap, gap)`.
    pub coverage_gap: i64,
    /// Sum of the violations, score part.
    pub gap: f64,
}

/// What [`certify_against`] and [`certify_bounded_against`] keep in [`Check::near`].
#[derive(Debug, Clone, Copy)]
pub struct Next<'g> {
    /// Pairs kept per row.
    pub per_row: usize,
    /// Pairs already candidates, left out.
    pub candidates: Option<&'g CandidateGraph>,
}

impl Next<'_> {
    /// Keep `per_row` pairs a row, leaving none out.
    pub fn keep(per_row: usize) -> Self {
        Next {
            per_row,
            candidates: None,
        }
    }
}

/// Stopping rules for [`solve_certified`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Budget {
    /// Solve-and-check rounds at most (at least 1).
    pub max_rounds: usize,
    /// Stop after the round that ends past this much time since the start.
    pub time_limit: Option<Duration>,
    /// Violators added per row per round (the worst ones).
    pub per_row: usize,
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            max_rounds: 20,
            time_limit: None,
            per_row: 16,
        }
    }
}

/// How far a matching is from the optimum of the full problem.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Certificate {
    /// No pair violates its reduced-cost condition: the matching is optimal for all pairs.
    pub certified: bool,
    /// Solve-and-check rounds run.
    pub rounds: usize,
    /// Pair checks over all rounds.
    pub pairs_checked: u64,
    /// Upper bound on (optimum − total) in score (see docs/matching.md); 0 when certified.
    pub gap: f64,
    /// Upper bound on the pairs a matching of the full problem could add (coverage objective;
    /// 0 for score); the bound is lexicographic, `(coverage_gap, gap)`.
    pub coverage_gap: i64,
}

/// The result of [`solve_certified`].
#[derive(Debug, Clone, PartialEq)]
pub struct Certified {
    /// The matching of the last round.
    pub matching: Matching,
    /// Its certificate.
    pub certificate: Certificate,
    /// The candidates it was solved on (the initial ones plus every violator added).
    pub candidates: CandidateGraph,
    /// Pairs scored exactly over all rounds (at most `certificate.pairs_checked`).
    pub pairs_scored: u64,
}

/// Rows per oracle call: about 4 MiB of scores per block.
pub(super) fn block_rows(cols: usize) -> usize {
    ((1 << 19) / cols.max(1)).clamp(1, 4096)
}

/// Each row's matched columns, sorted (what both certificates skip), after checking that the
/// matching's duals fit the shape.
fn used_columns(rows: usize, cols: usize, m: &Matching) -> Result<Vec<Vec<u32>>, LsapError> {
    if m.row_duals.len() != rows || m.col_duals.len() != cols {
        return Err(LsapError::Shape(format!(
            "the matching has {} row and {} column duals for a {rows} x {cols} problem",
            m.row_duals.len(),
            m.col_duals.len()
        )));
    }
    let mut used: Vec<Vec<u32>> = vec![Vec::new(); rows];
    for &(r, c) in &m.pairs {
        if r < rows && c < cols {
            used[r].push(c as u32);
        }
    }
    used.iter_mut().for_each(|u| u.sort_unstable());
    Ok(used)
}

/// The reduced cost of pair `(i, j)` scoring `w` against the duals of `m`, in the objective's
/// sense (so positive means "better"): `(coverage part, score part, violates)`. A pair violates
/// when its reduced cost is lexicographically positive beyond [`TOLERANCE`] (relative to the
/// magnitudes involved). `i` and `j` must be in range of the duals.
fn reduced(
    m: &Matching,
    opts: &CapacitatedOptions,
    i: usize,
    j: usize,
    w: f64,
) -> (i64, f64, bool) {
    let (s, ks): (f64, i64) = if opts.maximize { (1.0, 1) } else { (-1.0, -1) };
    let (ui, vj) = (m.row_duals[i], m.col_duals[j]);
    let k = if opts.objective == Objective::Coverage {
        let ki = m.row_count_duals.get(i).copied().unwrap_or(0);
        let kj = m.col_count_duals.get(j).copied().unwrap_or(0);
        1 - ks * (ki + kj)
    } else {
        0
    };
    let f = s * (w - ui - vj);
    let tol = TOLERANCE * (1.0 + w.abs() + ui.abs() + vj.abs());
    (k, f, k > 0 || (k == 0 && f > tol))
}

/// Whether `(i, j)` is among `candidates`.
fn is_candidate(candidates: Option<&CandidateGraph>, i: usize, j: usize) -> bool {
    candidates.is_some_and(|g| g.row(i).0.binary_search(&(j as u32)).is_ok())
}

/// The worst first: coverage part, then amount, both decreasing, then lowest column.
fn worst_first(a: &Violation, c: &Violation) -> std::cmp::Ordering {
    c.coverage
        .cmp(&a.coverage)
        .then(c.amount.total_cmp(&a.amount))
        .then(a.col.cmp(&c.col))
}

impl Check {
    /// Add the findings of `other` (the next rows) to these.
    fn absorb(&mut self, other: Check) {
        self.violations.extend(other.violations);
        self.near.extend(other.near);
        self.violating += other.violating;
        self.pairs_checked += other.pairs_checked;
        self.pairs_scored += other.pairs_scored;
        self.coverage_gap += other.coverage_gap;
        self.gap += other.gap;
    }
}

/// One row's findings of a certificate, against fixed duals: the rule both certificates apply
/// to each pair they score, and what they keep of the row. The counts and the gap are summed
/// over the row in column order, then added to the check's in row order: the same sums whatever
/// order the columns of different rows are checked in.
struct Row<'a> {
    m: &'a Matching,
    opts: &'a CapacitatedOptions,
    next: Next<'a>,
    per_row: usize,
    mine: Vec<Violation>,
    near: Vec<Violation>,
    violating: u64,
    coverage_gap: i64,
    gap: f64,
}

impl<'a> Row<'a> {
    fn new(m: &'a Matching, opts: &'a CapacitatedOptions, per_row: usize, next: Next<'a>) -> Self {
        Row {
            m,
            opts,
            next,
            per_row,
            mine: Vec::new(),
            near: Vec::new(),
            violating: 0,
            coverage_gap: 0,
            gap: 0.0,
        }
    }

    /// Pair `(i, j)` scoring `w` (the row's columns in increasing order): a violator counts and
    /// is kept for the row; otherwise, with no coverage part and not a candidate yet, it is kept
    /// as a near pair.
    fn offer(&mut self, i: usize, j: usize, w: f64) {
        let (k, f, violates) = reduced(self.m, self.opts, i, j, w);
        let v = Violation {
            row: i,
            col: j,
            score: w,
            coverage: k,
            amount: f,
        };
        if violates {
            self.violating += 1;
            self.coverage_gap += k;
            self.gap += f;
            self.mine.push(v);
        } else if k == 0 && !is_candidate(self.next.candidates, i, j) {
            self.near.push(v);
        }
    }

    /// The row's result into `out`: its counts and gap, its `per_row` worst violators into
    /// [`Check::violations`], and the `next.per_row` worst of the rest (the violators beyond
    /// `per_row` first, then the best of the near pairs) into [`Check::near`], each by column.
    /// Leaves the row empty.
    fn finish(&mut self, out: &mut Check) {
        out.violating += std::mem::take(&mut self.violating);
        out.coverage_gap += std::mem::take(&mut self.coverage_gap);
        out.gap += std::mem::take(&mut self.gap);
        let (mut mine, mut near) = (
            std::mem::take(&mut self.mine),
            std::mem::take(&mut self.near),
        );
        if mine.len() > self.per_row {
            mine.sort_by(worst_first);
            near.extend(mine.drain(self.per_row..));
        }
        mine.sort_by_key(|v| v.col);
        out.violations.extend(mine);
        let keep = self.next.per_row;
        if near.len() > keep {
            if keep == 0 {
                return;
            }
            near.select_nth_unstable_by(keep - 1, worst_first);
            near.truncate(keep);
        }
        near.sort_by_key(|v| v.col);
        out.near.extend(near);
    }
}

/// Check every pair of a `rows × cols` problem against the duals of `m`.
///
/// `oracle(range, out)` writes the scores of rows `range` into `out` (row-major, `range.len() ×
/// cols`), NaN (or the forbidden infinity) for a forbidden pair; it is called from rayon threads
/// on disjoint row blocks. Pairs used by `m` are skipped. A pair violates when its reduced cost
/// in the objective's sense, `(value − row dual − column dual)`, is lexicographically positive
/// beyond [`TOLERANCE`] (relative to the magnitudes involved).
///
/// # Errors
/// [`LsapError::Shape`] when `m` does not fit the shape, [`LsapError::InvalidEntry`] for a NaN-free
/// wrong infinity, [`LsapError::Interrupted`] when the current token is cancelled.
pub fn certify<F>(
    rows: usize,
    cols: usize,
    oracle: &F,
    m: &Matching,
    opts: &CapacitatedOptions,
    per_row: usize,
) -> Result<Check, LsapError>
where
    F: Fn(Range<usize>, &mut [f64]) + Sync,
{
    certify_against(rows, cols, oracle, m, opts, per_row, Next::keep(per_row))
}

/// [`certify`], keeping `next.per_row` pairs per row in [`Check::near`], none of them among
/// `next.candidates` (the candidates `m` was solved on).
///
/// # Errors
/// As [`certify`].
pub fn certify_against<F>(
    rows: usize,
    cols: usize,
    oracle: &F,
    m: &Matching,
    opts: &CapacitatedOptions,
    per_row: usize,
    next: Next<'_>,
) -> Result<Check, LsapError>
where
    F: Fn(Range<usize>, &mut [f64]) + Sync,
{
    let used = used_columns(rows, cols, m)?;
    let bad = if opts.maximize {
        f64::INFINITY
    } else {
        f64::NEG_INFINITY
    };
    let cancel = crate::cancel::current();
    let br = block_rows(cols);
    let blocks: Vec<Result<Check, LsapError>> = (0..rows.div_ceil(br))
        .into_par_iter()
        .map(|b| {
            cancel.check()?;
            let range = b * br..((b + 1) * br).min(rows);
            let mut buf = vec![f64::NAN; range.len() * cols];
            oracle(range.clone(), &mut buf);
            let mut out = Check::default();
            let mut found = Row::new(m, opts, per_row, next);
            for (di, row) in buf.chunks_exact(cols.max(1)).enumerate() {
                let i = range.start + di;
                for (j, &w) in row.iter().enumerate() {
                    if w == bad {
                        return Err(LsapError::InvalidEntry {
                            row: i,
                            col: j,
                            value: w,
                        });
                    }
                    if !w.is_finite() || used[i].binary_search(&(j as u32)).is_ok() {
                        continue;
                    }
                    out.pairs_checked += 1;
                    out.pairs_scored += 1;
                    found.offer(i, j, w);
                }
                found.finish(&mut out);
            }
            Ok(out)
        })
        .collect();
    let mut total = Check::default();
    for block in blocks {
        total.absorb(block?);
    }
    Ok(total)
}

/// Solve on `candidates`, then certify against every pair of the oracle; add the violators and
/// resume from the duals (column generation) until none violate or `budget` ends.
///
/// When it stops early, `certificate.certified` is false and `(coverage_gap, gap)` bounds, in the
/// lexicographic order of the objective, how much better the optimum of the full problem can be.
///
/// # Errors
/// As [`solve_sparse`] and [`certify`].
pub fn solve_certified<F>(
    oracle: &F,
    candidates: CandidateGraph,
    row_capacity: &[u32],
    col_capacity: &[u32],
    opts: &CapacitatedOptions,
    budget: &Budget,
) -> Result<Certified, LsapError>
where
    F: Fn(Range<usize>, &mut [f64]) + Sync,
{
    let (rows, cols) = (candidates.rows(), candidates.cols());
    let check = |m: &Matching, next: Next<'_>, per_row: usize| {
        certify_against(rows, cols, oracle, m, opts, per_row, next)
    };
    solve_certified_with(&check, candidates, row_capacity, col_capacity, opts, budget)
}

/// Pairs per row [`solve_certified_with`] keeps from each full check to price again.
pub const POOL_PER_ROW: usize = 48;

/// [`solve_certified`] with the check of each round given: `check(matching, next, per_row)`
/// returns what [`certify_against`] (or [`certify_bounded_against`]) finds for the matching of
/// the round, solved on `next.candidates`.
///
/// Each round is a full check. Its violators join the candidates and the solve resumes from the
/// duals; then the *pool*, the next pairs of the check ([`Check::near`]: its violators beyond
/// `per_row`, then its best non-violating pairs, up to [`POOL_PER_ROW`] a row), is priced against the new duals: the pool pairs that violate now
/// join the candidates, the solve resumes, and so on until no pool pair violates. Only then does
/// the next round check every pair again. Pricing the pool costs a few operations per pair;
/// a full check scores every pair the bounds cannot rule out.
///
/// # Errors
/// As [`solve_sparse`] and `check`.
pub fn solve_certified_with<C>(
    check: &C,
    candidates: CandidateGraph,
    row_capacity: &[u32],
    col_capacity: &[u32],
    opts: &CapacitatedOptions,
    budget: &Budget,
) -> Result<Certified, LsapError>
where
    C: Fn(&Matching, Next<'_>, usize) -> Result<Check, LsapError>,
{
    let start = Instant::now();
    let mut graph = candidates;
    let mut matching = solve_sparse(&graph, row_capacity, col_capacity, opts)?;
    let mut rounds = 0;
    let mut pairs_checked = 0;
    let mut pairs_scored = 0;
    let per_row = budget.per_row.max(1);
    let out_of_time = || budget.time_limit.is_some_and(|t| start.elapsed() >= t);
    let triplet = |v: &Violation| (v.row, v.col, v.score);
    loop {
        rounds += 1;
        let next = Next {
            per_row: POOL_PER_ROW.max(per_row),
            candidates: Some(&graph),
        };
        let check = check(&matching, next, per_row)?;
        pairs_checked += check.pairs_checked;
        pairs_scored += check.pairs_scored;
        let out_of_budget = rounds >= budget.max_rounds.max(1) || out_of_time();
        if check.violations.is_empty() || out_of_budget {
            let certified = check.violations.is_empty();
            return Ok(Certified {
                matching,
                certificate: Certificate {
                    certified,
                    rounds,
                    pairs_checked,
                    gap: if certified { 0.0 } else { check.gap },
                    coverage_gap: if certified { 0 } else { check.coverage_gap },
                },
                candidates: graph,
                pairs_scored,
            });
        }
        let extra: Vec<(usize, usize, f64)> = check.violations.iter().map(triplet).collect();
        graph = graph.with_pairs(&extra)?;
        matching = solve_sparse_from(&graph, row_capacity, col_capacity, opts, &matching)?;
        let mut pool = check.near;
        while !pool.is_empty() && !out_of_time() {
            let (hot, cold): (Vec<Violation>, Vec<Violation>) = pool
                .into_iter()
                .partition(|v| reduced(&matching, opts, v.row, v.col, v.score).2);
            if hot.is_empty() {
                break;
            }
            let extra: Vec<(usize, usize, f64)> = hot.iter().map(triplet).collect();
            graph = graph.with_pairs(&extra)?;
            matching = solve_sparse_from(&graph, row_capacity, col_capacity, opts, &matching)?;
            pool = cold;
        }
    }
}

/// Stands for a column dual where the coverage part of a pair is positive (the pair is kept
/// whatever its score bound) or negative (the pair is ruled out): finite, so that the reduced cost
/// and the tolerance stay finite, and far beyond any score or dual.
const SENTINEL: f64 = 1e300;

/// What rules the pairs of one row out of [`certify_bounded`] given an upper bound on a pair's
/// score: the duals of the matching being checked, with the coverage parts folded into the
/// column duals.
#[derive(Debug, Clone, Copy)]
pub struct Cut<'a> {
    /// The row's dual `u_i`.
    pub row_dual: f64,
    /// Per column `j`, its dual `v_j` when the coverage part `1 − k_i − k_j` of the pair is 0
    /// (always, for the score objective), `-1e300` when it is positive (the pair is kept unless
    /// forbidden), `1e300` when it is negative (the pair is ruled out).
    pub col_duals: &'a [f64],
    /// Every pair scoring below this is forbidden (`f64::NEG_INFINITY` when none need be).
    pub min_score: f64,
}

impl Cut<'_> {
    /// The column duals of [`Cut::col_duals`] for the rows with count dual `row_count`.
    pub fn effective_duals(m: &Matching, coverage: bool, row_count: i64, cols: usize) -> Vec<f64> {
        (0..cols)
            .map(|j| {
                let v = m.col_duals.get(j).copied().unwrap_or(0.0);
                if !coverage {
                    return v;
                }
                let kj = m.col_count_duals.get(j).copied().unwrap_or(0);
                match (1 - row_count.saturating_add(kj)).signum() {
                    0 => v,
                    1 => -SENTINEL,
                    _ => SENTINEL,
                }
            })
            .collect()
    }

    /// Whether a pair of this row with effective column dual `vj` ([`Cut::col_duals`]), scoring
    /// at most `bound`, can be left out of a maximising check: it is forbidden (`bound` below
    /// `min_score`), its coverage part is negative, or that part is 0 and `(bound − u_i) − v_j`
    /// is within the tolerance of [`certify`] without its `|score|` term. Rounding is monotone,
    /// so the reduced cost computed from the score is no larger, and [`certify`] would not flag
    /// the pair.
    #[inline]
    pub fn rules_out_with(&self, bound: f64, vj: f64) -> bool {
        let ui = self.row_dual;
        let tol0 = TOLERANCE * (1.0 + ui.abs() + vj.abs());
        // Without short-circuits, so that a loop over the columns has no branch to mispredict.
        (bound < self.min_score) | ((bound - ui) - vj <= tol0)
    }

    /// [`Cut::rules_out_with`] for column `j` (a column out of range is ruled out).
    #[inline]
    pub fn rules_out(&self, j: usize, bound: f64) -> bool {
        match self.col_duals.get(j) {
            Some(&vj) => self.rules_out_with(bound, vj),
            None => true,
        }
    }
}

/// Scores with upper bounds, for [`certify_bounded`]: the certificate then scores only the pairs
/// the bounds cannot rule out (see docs/matching.md, "Certificate").
pub trait BoundedScores: Sync {
    /// Per-thread working memory.
    type Scratch: Send;
    /// Fresh working memory.
    fn scratch(&self) -> Self::Scratch;
    /// Row `i` over the columns `cols`: append to `out`, in increasing column order, each
    /// column `j` of `cols` whose pair `cut` does not rule out ([`Cut::rules_out`]) by a quick
    /// upper bound on its score, with that bound. Every column of `cols` left out must be ruled
    /// out by `cut` for some upper bound on its score.
    fn row(
        &self,
        i: usize,
        cols: Range<usize>,
        cut: &Cut<'_>,
        scratch: &mut Self::Scratch,
        out: &mut Vec<(u32, f64)>,
    );
    /// A tighter (slower) upper bound on the score of `(i, j)`, for any column `j` of the
    /// columns of the last [`BoundedScores::row`] call, for this `i` with this scratch.
    fn refine(&self, i: usize, j: usize, scratch: &Self::Scratch) -> f64;
    /// The exact score of `(i, j)` as the oracle of [`certify`] would give it; `None` when the
    /// pair is forbidden.
    fn score(&self, i: usize, j: usize) -> Option<f64>;
    /// Every pair scoring below this is forbidden (`f64::NEG_INFINITY` when none need be).
    fn min_score(&self) -> f64;
}

/// Rows per task of [`certify_bounded`].
const BOUNDED_ROWS: usize = 64;

/// [`certify`] for a maximising problem, scoring only the pairs that upper bounds cannot rule
/// out; the verdict is the one [`certify`] gives on the same scores (same violators, same
/// `gap`), only `pairs_scored` differs.
///
/// A pair is ruled out by [`Cut::rules_out`] on an upper bound `b` of its score: `b` is below
/// [`BoundedScores::min_score`] (the pair is forbidden), or its reduced cost computed from `b`,
/// `(b − u_i) − v_j`, is at most the tolerance of [`certify`] without its `|score|` term (and its
/// coverage part is not positive): rounding is monotone, so the reduced cost computed from the
/// score is no larger, and [`certify`] would not flag it. [`BoundedScores::row`] lists the
/// columns its quick bound cannot rule out; [`BoundedScores::refine`] tries again on each, and
/// the rest are scored. A minimising problem gets no use of upper bounds: every pair is scored.
///
/// # Errors
/// As [`certify`].
pub fn certify_bounded<B>(
    rows: usize,
    cols: usize,
    b: &B,
    m: &Matching,
    opts: &CapacitatedOptions,
    per_row: usize,
) -> Result<Check, LsapError>
where
    B: BoundedScores + ?Sized,
{
    certify_bounded_against(rows, cols, b, m, opts, per_row, Next::keep(per_row))
}

/// Columns per tile of [`certify_bounded_against`]: what the quick bound reads of 4,096
/// mentors (about 40 bytes each, and a row's accumulators) stays in a core's L2 cache while
/// the 64 rows of a task go over them.
const COL_TILE: usize = 4096;

/// [`certify_bounded`], keeping `next.per_row` pairs per row in [`Check::near`], none of them
/// among `next.candidates` (the candidates `m` was solved on).
///
/// # Errors
/// As [`certify`].
pub fn certify_bounded_against<B>(
    rows: usize,
    cols: usize,
    b: &B,
    m: &Matching,
    opts: &CapacitatedOptions,
    per_row: usize,
    next: Next<'_>,
) -> Result<Check, LsapError>
where
    B: BoundedScores + ?Sized,
{
    let used = used_columns(rows, cols, m)?;
    let coverage = opts.objective == Objective::Coverage;
    // The effective column duals of each row count dual (a few distinct values: 0 and 1 for
    // coverage, none for score); past EFFECTIVE_KEPT of them, a row computes its own.
    const EFFECTIVE_KEPT: usize = 8;
    let mut effective: Vec<(i64, Vec<f64>)> = Vec::new();
    for i in 0..rows {
        let ki = if coverage {
            m.row_count_duals.get(i).copied().unwrap_or(0)
        } else {
            0
        };
        if effective.len() < EFFECTIVE_KEPT && !effective.iter().any(|e| e.0 == ki) {
            effective.push((ki, Cut::effective_duals(m, coverage, ki, cols)));
        }
    }
    let block = Block {
        b,
        m,
        opts,
        per_row,
        next,
        used: &used,
        effective: &effective,
        cols,
        rows,
        min_score: b.min_score(),
    };
    let cancel = crate::cancel::current();
    let blocks: Vec<Result<Check, LsapError>> = (0..rows.div_ceil(BOUNDED_ROWS))
        .into_par_iter()
        .map_init(
            || Work {
                list: Vec::new(),
                scratch: b.scratch(),
            },
            |work, blk| {
                cancel.check()?;
                block.run(blk, work)
            },
        )
        .collect();
    let mut total = Check::default();
    for block in blocks {
        total.absorb(block?);
    }
    Ok(total)
}

/// One worker's buffers for [`Block::run`], reused from block to block.
struct Work<S> {
    /// The mentors a row's quick bound keeps, with that bound.
    list: Vec<(u32, f64)>,
    scratch: S,
}

/// What one task of [`certify_bounded_against`] reads.
struct Block<'a, B: BoundedScores + ?Sized> {
    b: &'a B,
    m: &'a Matching,
    opts: &'a CapacitatedOptions,
    per_row: usize,
    next: Next<'a>,
    used: &'a [Vec<u32>],
    effective: &'a [(i64, Vec<f64>)],
    cols: usize,
    rows: usize,
    min_score: f64,
}

impl<B: BoundedScores + ?Sized> Block<'_, B> {
    /// Check rows block `blk`, compiled for the processor's wider instructions when it has
    /// them ([`crate::lsap::cpu::fast`]): the bounds compare whole rows of mentors and count
    /// common buckets.
    fn run(&self, blk: usize, work: &mut Work<B::Scratch>) -> Result<Check, LsapError> {
        crate::lsap::cpu::fast(
            #[inline(always)]
            || self.run_any(blk, work),
        )
    }

    /// The rows of the block tile by tile: every row over the columns of one tile, then the
    /// next tile, so that what the bounds read of a tile's columns stays in the core's cache
    /// across the rows. Each row's columns are still offered in increasing order, so the
    /// findings are those of a row-by-row check.
    #[inline(always)]
    fn run_any(&self, blk: usize, work: &mut Work<B::Scratch>) -> Result<Check, LsapError> {
        let Work { list, scratch } = work;
        let (b, m, cols) = (self.b, self.m, self.cols);
        let coverage = self.opts.objective == Objective::Coverage;
        let maximize = self.opts.maximize;
        let mut out = Check::default();
        let rows = blk * BOUNDED_ROWS..((blk + 1) * BOUNDED_ROWS).min(self.rows);
        // Each row's effective column duals: a kept vector, or its own when its count dual is
        // not among the kept ones.
        let mut own: Vec<Vec<f64>> = Vec::new();
        let mut which: Vec<Result<usize, usize>> = Vec::with_capacity(rows.len());
        for i in rows.clone() {
            let ki = if coverage {
                m.row_count_duals.get(i).copied().unwrap_or(0)
            } else {
                0
            };
            match self.effective.iter().position(|e| e.0 == ki) {
                Some(p) => which.push(Ok(p)),
                None => {
                    own.push(Cut::effective_duals(m, coverage, ki, cols));
                    which.push(Err(own.len() - 1));
                }
            }
        }
        let cuts: Vec<Cut<'_>> = rows
            .clone()
            .zip(&which)
            .map(|(i, w)| Cut {
                row_dual: m.row_duals[i],
                col_duals: match *w {
                    Ok(p) => &self.effective[p].1,
                    Err(p) => &own[p],
                },
                min_score: self.min_score,
            })
            .collect();
        let mut found: Vec<Row<'_>> = rows
            .clone()
            .map(|_| Row::new(m, self.opts, self.per_row, self.next))
            .collect();
        for i in rows.clone() {
            out.pairs_checked += (cols - self.used[i].len()) as u64;
        }
        for lo in (0..cols).step_by(COL_TILE) {
            let tile = lo..(lo + COL_TILE).min(cols);
            for (r, i) in rows.clone().enumerate() {
                let (cut, used_i) = (&cuts[r], &self.used[i]);
                list.clear();
                if maximize {
                    b.row(i, tile.clone(), cut, scratch, list);
                } else {
                    list.extend((tile.start as u32..tile.end as u32).map(|j| (j, f64::INFINITY)));
                }
                for &(j, _) in list.iter() {
                    let jj = j as usize;
                    if !tile.contains(&jj) || used_i.binary_search(&j).is_ok() {
                        continue;
                    }
                    if maximize && cut.rules_out(jj, b.refine(i, jj, scratch)) {
                        continue;
                    }
                    let Some(w) = b.score(i, jj) else { continue };
                    out.pairs_scored += 1;
                    if !w.is_finite() {
                        return Err(LsapError::InvalidEntry {
                            row: i,
                            col: jj,
                            value: w,
                        });
                    }
                    found[r].offer(i, jj, w);
                }
            }
        }
        for f in &mut found {
            f.finish(&mut out);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// Scores from a matrix, with bounds `score + slack` (quick) and `score + slack / 2`
    /// (refined), a NaN for a forbidden pair.
    struct Matrix {
        cols: usize,
        w: Vec<f64>,
        slack: f64,
        min_score: f64,
    }

    impl BoundedScores for Matrix {
        type Scratch = ();
        fn scratch(&self) {}
        fn row(
            &self,
            i: usize,
            cols: Range<usize>,
            cut: &Cut<'_>,
            _: &mut (),
            out: &mut Vec<(u32, f64)>,
        ) {
            for j in cols {
                let b = self.w[i * self.cols + j] + self.slack;
                if b.is_nan() || !cut.rules_out(j, b) {
                    out.push((j as u32, b));
                }
            }
        }
        fn refine(&self, i: usize, j: usize, _: &()) -> f64 {
            self.w[i * self.cols + j] + self.slack / 2.0
        }
        fn score(&self, i: usize, j: usize) -> Option<f64> {
            let w = self.w[i * self.cols + j];
            (!w.is_nan() && w >= self.min_score).then_some(w)
        }
        fn min_score(&self) -> f64 {
            self.min_score
        }
    }

    /// The bounded check gives the verdict of the full one for any duals, also with more
    /// distinct row count duals than it keeps effective column duals for, count duals of both
    /// signs (coverage parts positive, zero and negative) and forbidden pairs.
    #[test]
    fn bounded_check_matches_the_full_one_for_any_duals() {
        let (rows, cols) = (40, 25);
        let mut checked = 0;
        for seed in 0..24u64 {
            let mut r = ChaCha8Rng::seed_from_u64(seed);
            let w: Vec<f64> = (0..rows * cols)
                .map(|_| {
                    if r.random_bool(0.1) {
                        f64::NAN
                    } else {
                        r.random_range(0.0..1.0)
                    }
                })
                .collect();
            let min_score = if seed % 2 == 0 {
                f64::NEG_INFINITY
            } else {
                0.2
            };
            let b = Matrix {
                cols,
                w: w.clone(),
                slack: 0.05,
                min_score,
            };
            let m = Matching {
                pairs: (0..rows.min(cols)).map(|k| (k, (k * 7) % cols)).collect(),
                objective: 0.0,
                row_duals: (0..rows).map(|_| r.random_range(-0.2..0.8)).collect(),
                col_duals: (0..cols).map(|_| r.random_range(-0.2..0.6)).collect(),
                row_count_duals: (0..rows).map(|_| r.random_range(-6..7)).collect(),
                col_count_duals: (0..cols).map(|_| r.random_range(-6..7)).collect(),
            };
            for objective in [Objective::Coverage, Objective::Score] {
                let opts = CapacitatedOptions {
                    maximize: true,
                    objective,
                };
                let oracle = |range: Range<usize>, out: &mut [f64]| {
                    for (k, i) in range.enumerate() {
                        for j in 0..cols {
                            let x = w[i * cols + j];
                            out[k * cols + j] = if x >= min_score { x } else { f64::NAN };
                        }
                    }
                };
                let full = certify(rows, cols, &oracle, &m, &opts, 1000).unwrap();
                let fast = certify_bounded(rows, cols, &b, &m, &opts, 1000).unwrap();
                let key = |c: &Check| -> Vec<(usize, usize, i64, u64)> {
                    c.violations
                        .iter()
                        .map(|v| (v.row, v.col, v.coverage, v.amount.to_bits()))
                        .collect()
                };
                assert_eq!(key(&full), key(&fast), "seed {seed}, {objective:?}");
                assert_eq!(full.violating, fast.violating);
                assert_eq!(full.coverage_gap, fast.coverage_gap);
                assert!((full.gap - fast.gap).abs() <= 1e-12 * full.gap.abs().max(1.0));
                // The bounded check counts every pair not in the matching, the full one only
                // the allowed ones.
                assert_eq!(fast.pairs_checked, (rows * cols - m.pairs.len()) as u64);
                assert!(full.pairs_checked < fast.pairs_checked);
                assert!(
                    fast.pairs_scored < full.pairs_scored,
                    "seed {seed}: nothing ruled out"
                );
                checked += usize::from(full.violating > 0);
            }
        }
        assert!(checked >= 24, "{checked}");
    }

    /// Wider than a column tile (three tiles, the last one short): the bounded check still
    /// finds the violators of the full one, in the same order, with the same gap.
    #[test]
    fn bounded_check_over_several_tiles_matches_the_full_one() {
        let (rows, cols) = (6, 2 * COL_TILE + 321);
        let mut r = ChaCha8Rng::seed_from_u64(5);
        let w: Vec<f64> = (0..rows * cols).map(|_| r.random_range(0.0..1.0)).collect();
        let b = Matrix {
            cols,
            w: w.clone(),
            slack: 0.05,
            min_score: f64::NEG_INFINITY,
        };
        let m = Matching {
            pairs: vec![(0, 3), (1, COL_TILE + 1)],
            objective: 0.0,
            row_duals: (0..rows).map(|_| r.random_range(0.3..0.6)).collect(),
            col_duals: (0..cols).map(|_| r.random_range(0.2..0.5)).collect(),
            row_count_duals: vec![0; rows],
            col_count_duals: vec![0; cols],
        };
        let opts = CapacitatedOptions {
            maximize: true,
            objective: Objective::Score,
        };
        let oracle = |range: Range<usize>, out: &mut [f64]| {
            for (k, i) in range.enumerate() {
                out[k * cols..(k + 1) * cols].copy_from_slice(&w[i * cols..(i + 1) * cols]);
            }
        };
        let full = certify(rows, cols, &oracle, &m, &opts, 5000).unwrap();
        let fast = certify_bounded(rows, cols, &b, &m, &opts, 5000).unwrap();
        let key = |c: &Check| -> Vec<(usize, usize, u64)> {
            c.violations
                .iter()
                .map(|v| (v.row, v.col, v.amount.to_bits()))
                .collect()
        };
        assert_eq!(key(&full), key(&fast));
        // Violators in every tile.
        for t in 0..3 {
            let tile = t * COL_TILE..((t + 1) * COL_TILE).min(cols);
            assert!(
                fast.violations.iter().any(|v| tile.contains(&v.col)),
                "tile {t}"
            );
        }
        assert_eq!(full.violating, fast.violating);
        assert!((full.gap - fast.gap).abs() <= 1e-12 * full.gap.abs().max(1.0));
        assert_eq!(fast.pairs_checked, (rows * cols - 2) as u64);
        assert!(fast.pairs_scored < full.pairs_scored);
    }
}
