//! Group floor: maximise the total score subject to every protected group's mean matched score
//! being at least (1 − ε) × the overall mean, by Lagrangian re-weighting and repeated solves.
//!
//! Relaxing group g's constraint `Σ_{g's pairs} (w − t) ≥ 0` (t = the floor) with a multiplier
//! λ_g ≥ 0 turns its finite weights into `w + λ_g (w − t)`: pairs above the floor become more
//! valuable to the group, pairs below it less. Left alone, that would also lift a group's mean by
//! un-matching its weakest mentees, trading matched mentees of the disadvantaged group for a
//! better average. So a second multiplier μ_g (a constant added to the group's weights) holds the
//! count side: without rate parity, no group may end with fewer matched mentees than in the plain
//! optimum; with rate parity, every group's match rate must reach (1 − ε) × the overall rate.
//! Multipliers follow projected subgradient steps, each group's step halved whenever its constraint
//! flips between violated and met (a bisection on the multiplier). The solver keeps every hard
//! constraint, so every iterate is a valid matching; the best feasible iterate is returned, and when
//! none is feasible the least violating one, flagged.

use super::{is_forbidden, total_of, FairnessError, MatrixSolver, Solved};
use ndarray::{Array2, ArrayView2};
use serde::{Deserialize, Serialize};

/// Once a feasible matching is known, stop after this many solves without a better one.
const STALL_LIMIT: usize = 12;

/// Options of [`group_floor`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupFloorOptions {
    /// ε in `[0, 1)`: every group's mean must reach `(1 − ε)` × the overall mean. Default 0.05.
    pub tolerance: f64,
    /// Also require every group's match rate (mentees with a mentor / mentees) to reach
    /// `(1 − ε)` × the overall match rate. Default false.
    pub rate_parity: bool,
    /// Solver calls after the plain solve, at most. Default 60.
    pub max_iterations: usize,
    /// Warm-start each solve from the previous duals. Default true.
    pub warm_start: bool,
}

impl Default for GroupFloorOptions {
    fn default() -> Self {
        GroupFloorOptions {
            tolerance: 0.05,
            rate_parity: false,
            max_iterations: 60,
            warm_start: true,
        }
    }
}

/// How one group fares in the returned matching.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupFloorReport {
    /// Group id (index given by the caller's `row_groups`).
    pub group: usize,
    /// Rows (mentees) in the group.
    pub rows: usize,
    /// Rows of the group with at least one pair.
    pub matched: usize,
    /// Pairs of the group.
    pub pairs: usize,
    /// Mean weight of the group's pairs; `None` without pairs.
    pub mean_score: Option<f64>,
    /// `mean_score >= floor` (true for a group without pairs: nothing to compare).
    pub score_met: bool,
    /// `matched / rows`.
    pub match_rate: f64,
    /// Matched rows in the plain optimum.
    pub plain_matched: usize,
    /// The count side holds: with rate parity `match_rate >= rate_floor`; without it,
    /// `matched >= plain_matched` (the group lost no matched mentees).
    pub rate_met: bool,
    /// Final score multiplier λ_g.
    pub multiplier: f64,
    /// Final match-rate multiplier μ_g (0 when rate parity is off).
    pub rate_multiplier: f64,
}

/// The result of [`group_floor`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupFloorResult {
    /// The chosen matching's pairs, sorted.
    pub pairs: Vec<(usize, usize)>,
    /// Its total weight (original weights).
    pub total: f64,
    /// Total of the plain (unconstrained) optimum.
    pub unconstrained_total: f64,
    /// `unconstrained_total − total`: the score given up for fairness (≥ 0).
    pub price_of_fairness: f64,
    /// Pairs in the plain optimum; the chosen matching has at least as many.
    pub coverage: usize,
    /// Overall mean score of the chosen matching.
    pub overall_mean: Option<f64>,
    /// `(1 − ε)` × `overall_mean`: the floor each group's mean is held to.
    pub floor: Option<f64>,
    /// `(1 − ε)` × the overall match rate (when rate parity is on).
    pub rate_floor: Option<f64>,
    /// Per-group figures.
    pub groups: Vec<GroupFloorReport>,
    /// Every group meets its floor(s) in the returned matching.
    pub all_met: bool,
    /// The plain optimum already met every floor (then it is returned, price 0).
    pub plain_met: bool,
    /// Solver calls after the plain solve.
    pub iterations: usize,
}

/// Figures of one matching, per group.
#[derive(Clone)]
struct Evaluation {
    total: f64,
    overall_mean: Option<f64>,
    floor: Option<f64>,
    rate_floor: Option<f64>,
    groups: Vec<GroupFloorReport>,
    /// Relative shortfall of the worst group (0 when all met).
    violation: f64,
}

impl Evaluation {
    fn feasible(&self) -> bool {
        self.groups.iter().all(|g| g.score_met && g.rate_met)
    }
}

fn evaluate(
    weights: ArrayView2<'_, f64>,
    pairs: &[(usize, usize)],
    row_groups: &[usize],
    n_groups: usize,
    opts: &GroupFloorOptions,
    multipliers: (&[f64], &[f64]),
    plain_matched: Option<&[usize]>,
) -> Result<Evaluation, FairnessError> {
    let total = total_of(weights, pairs).ok_or_else(|| {
        FairnessError::Solver("the solver returned a forbidden or out-of-range pair".into())
    })?;
    let n_rows = row_groups.len();
    let mut rows = vec![0usize; n_groups];
    for &g in row_groups {
        rows[g] += 1;
    }
    let mut sums = vec![0.0; n_groups];
    let mut counts = vec![0usize; n_groups];
    let mut row_matched = vec![false; n_rows];
    for &(r, c) in pairs {
        let g = row_groups[r];
        sums[g] += weights[(r, c)];
        counts[g] += 1;
        row_matched[r] = true;
    }
    let mut matched = vec![0usize; n_groups];
    for (r, &m) in row_matched.iter().enumerate() {
        if m {
            matched[row_groups[r]] += 1;
        }
    }
    let keep = 1.0 - opts.tolerance;
    let overall_mean = (!pairs.is_empty()).then(|| total / pairs.len() as f64);
    let floor = overall_mean.map(|m| keep * m);
    let total_matched: usize = matched.iter().sum();
    let rate_floor =
        (opts.rate_parity && n_rows > 0).then(|| keep * total_matched as f64 / n_rows as f64);
    let scale = floor.map_or(1.0, |f| f.abs().max(f64::EPSILON));
    let mut violation: f64 = 0.0;
    let groups = (0..n_groups)
        .filter(|&g| rows[g] > 0)
        .map(|g| {
            let mean_score = (counts[g] > 0).then(|| sums[g] / counts[g] as f64);
            let score_met = match (mean_score, floor) {
                (Some(m), Some(f)) => {
                    violation = violation.max((f - m) / scale);
                    m >= f - 1e-12 * scale
                }
                _ => true,
            };
            let match_rate = matched[g] as f64 / rows[g] as f64;
            let baseline = plain_matched.map_or(matched[g], |p| p[g]);
            let rate_met = match rate_floor {
                Some(f) => {
                    violation = violation.max(f - match_rate);
                    match_rate >= f - 1e-12
                }
                None => {
                    violation =
                        violation.max((baseline as f64 - matched[g] as f64) / rows[g] as f64);
                    matched[g] >= baseline
                }
            };
            GroupFloorReport {
                group: g,
                rows: rows[g],
                matched: matched[g],
                pairs: counts[g],
                mean_score,
                score_met,
                match_rate,
                plain_matched: baseline,
                rate_met,
                multiplier: multipliers.0[g],
                rate_multiplier: multipliers.1[g],
            }
        })
        .collect();
    Ok(Evaluation {
        total,
        overall_mean,
        floor,
        rate_floor,
        groups,
        violation: violation.max(0.0),
    })
}

/// Smallest increase of a multiplier whose constraint is violated, so that a group just below its
/// floor is not approached in ever smaller steps that never cross it.
const MIN_MOVE: f64 = 0.005;

/// One projected subgradient step on a multiplier: down when the constraint has slack, up when
/// violated (by at least [`MIN_MOVE`]); the step halves whenever the constraint flips.
fn subgradient_step(value: f64, slack: f64, met: bool, step: &mut f64, last_sign: &mut i8) -> f64 {
    let sign = if met { 1 } else { -1 };
    if *last_sign != 0 && sign != *last_sign {
        *step *= 0.5;
    }
    *last_sign = sign;
    let delta = *step * slack.clamp(-1.0, 1.0);
    let delta = if met { delta } else { delta.min(-MIN_MOVE) };
    (value - delta).max(0.0)
}

/// Weights of the relaxation: group g's finite entries become `w + λ_g (w − t) + μ_g·range`.
fn adjusted(
    weights: ArrayView2<'_, f64>,
    row_groups: &[usize],
    (lambda, mu): (&[f64], &[f64]),
    floor: f64,
    range: f64,
) -> Array2<f64> {
    let mut out = weights.to_owned();
    for (r, mut row) in out.outer_iter_mut().enumerate() {
        let g = row_groups[r];
        let (a, b) = (1.0 + lambda[g], mu[g] * range - lambda[g] * floor);
        for w in row.iter_mut() {
            if !is_forbidden(*w) {
                *w = a * *w + b;
            }
        }
    }
    out
}

/// Maximise the total weight subject to every group's mean matched weight being at least
/// `(1 − tolerance)` × the overall mean (and, with `rate_parity`, the same for match rates).
///
/// * `weights`: rows × cols, maximised; NaN / `-inf` forbid a pair (kept forbidden throughout);
/// * `row_groups`: the group id of each row (ids `0..G`, e.g. from
///   [`GroupLabels::group_ids`](super::GroupLabels::group_ids));
/// * `solver`: the plain problem's solver (capacities, objective, pinned pairs).
///
/// Every iterate is a solution of `solver`, so every hard constraint holds; an iterate only
/// counts as feasible when it also has at least as many pairs as the plain optimum. The result
/// reports per group whether its floor is met, the iterations, and the price of fairness.
pub fn group_floor<S: MatrixSolver + ?Sized>(
    weights: ArrayView2<'_, f64>,
    row_groups: &[usize],
    solver: &mut S,
    opts: &GroupFloorOptions,
) -> Result<GroupFloorResult, FairnessError> {
    if !(0.0..1.0).contains(&opts.tolerance) {
        return Err(FairnessError::InvalidOption {
            name: "tolerance",
            value: opts.tolerance.to_string(),
            hint: "use a number in [0, 1), e.g. 0.05",
        });
    }
    let (n_rows, _) = weights.dim();
    if row_groups.len() != n_rows {
        return Err(FairnessError::Shape(format!(
            "{} row group ids for a matrix with {} rows",
            row_groups.len(),
            n_rows
        )));
    }
    let n_groups = row_groups.iter().max().map_or(0, |&g| g + 1);
    let zeros = vec![0.0; n_groups];
    let plain = solver.solve(weights, None)?;
    let plain_eval = evaluate(
        weights,
        &plain.pairs,
        row_groups,
        n_groups,
        opts,
        (&zeros, &zeros),
        None,
    )?;
    let mut plain_matched = vec![0usize; n_groups];
    for g in &plain_eval.groups {
        plain_matched[g.group] = g.matched;
    }
    let coverage = plain.pairs.len();
    let unconstrained_total = plain_eval.total;
    let finish =
        |sol: Solved, ev: Evaluation, plain_met: bool, iterations: usize| GroupFloorResult {
            all_met: ev.feasible(),
            price_of_fairness: (unconstrained_total - ev.total).max(0.0),
            pairs: sol.pairs,
            total: ev.total,
            unconstrained_total,
            coverage,
            overall_mean: ev.overall_mean,
            floor: ev.floor,
            rate_floor: ev.rate_floor,
            groups: ev.groups,
            plain_met,
            iterations,
        };
    if plain_eval.feasible() {
        return Ok(finish(plain, plain_eval, true, 0));
    }

    let (lo, hi) = weights
        .iter()
        .filter(|w| w.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &w| {
            (lo.min(w), hi.max(w))
        });
    let range = if hi > lo { hi - lo } else { 1.0 };
    let mut lambda = vec![0.0; n_groups];
    let mut mu = vec![0.0; n_groups];
    let mut step = vec![2.0; n_groups];
    let mut rate_step = vec![2.0; n_groups];
    let mut last_sign = vec![0i8; n_groups];
    let mut last_rate_sign = vec![0i8; n_groups];
    let mut current = plain.clone();
    let mut current_eval = plain_eval;
    let mut best_feasible: Option<(Solved, Evaluation)> = None;
    let mut least_violating: (Solved, Evaluation) = (plain, current_eval.clone());
    let mut iterations = 0;
    let mut since_improvement = 0;

    while iterations < opts.max_iterations {
        // Projected subgradient step on each group's relative shortfall.
        let mut moved = false;
        for gr in &current_eval.groups {
            let g = gr.group;
            if let (Some(m), Some(f)) = (gr.mean_score, current_eval.floor) {
                let slack = (m - f) / f.abs().max(f64::EPSILON);
                let next = subgradient_step(
                    lambda[g],
                    slack,
                    gr.score_met,
                    &mut step[g],
                    &mut last_sign[g],
                );
                moved |= (next - lambda[g]).abs() > 1e-9;
                lambda[g] = next;
            }
            let count_slack = match current_eval.rate_floor {
                Some(f) => gr.match_rate - f,
                None => (gr.matched as f64 - plain_matched[g] as f64) / gr.rows as f64,
            };
            let next = subgradient_step(
                mu[g],
                count_slack,
                gr.rate_met,
                &mut rate_step[g],
                &mut last_rate_sign[g],
            );
            moved |= (next - mu[g]).abs() > 1e-9;
            mu[g] = next;
        }
        if !moved {
            break;
        }
        let floor = current_eval.floor.unwrap_or(0.0);
        let w = adjusted(weights, row_groups, (&lambda, &mu), floor, range);
        let warm = opts
            .warm_start
            .then_some((current.row_duals.as_slice(), current.col_duals.as_slice()));
        let sol = solver.solve(w.view(), warm)?;
        iterations += 1;
        let ev = evaluate(
            weights,
            &sol.pairs,
            row_groups,
            n_groups,
            opts,
            (&lambda, &mu),
            Some(&plain_matched),
        )?;
        let covers = sol.pairs.len() >= coverage;
        since_improvement += 1;
        if covers && ev.feasible() {
            if best_feasible
                .as_ref()
                .map_or(true, |(_, b)| ev.total > b.total)
            {
                best_feasible = Some((sol.clone(), ev.clone()));
                since_improvement = 0;
            }
        } else if covers && ev.violation < least_violating.1.violation {
            least_violating = (sol.clone(), ev.clone());
        }
        current = sol;
        current_eval = ev;
        if best_feasible.is_some() && since_improvement >= STALL_LIMIT {
            break;
        }
    }
    Ok(match best_feasible {
        Some((sol, ev)) => finish(sol, ev, false, iterations),
        None => finish(least_violating.0, least_violating.1, false, iterations),
    })
}
