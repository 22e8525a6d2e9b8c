//! Maximin: keep the coverage of the plain objective, maximise the lowest matched score, then the
//! total. A binary search over the distinct weights, each step one solve with lower pairs forbidden.

use super::{is_forbidden, total_of, FairnessError, MatrixSolver, Solved};
use ndarray::ArrayView2;
use serde::{Deserialize, Serialize};

/// The result of [`maximin`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MaximinResult {
    /// The chosen matching's pairs, sorted.
    pub pairs: Vec<(usize, usize)>,
    /// Its lowest pair weight (`None` when nothing can be matched).
    pub min_score: Option<f64>,
    /// Its total weight.
    pub total: f64,
    /// The plain optimum's lowest pair weight.
    pub plain_min_score: Option<f64>,
    /// The plain optimum's total weight.
    pub plain_total: f64,
    /// Pairs of the plain optimum, kept by the chosen matching.
    pub coverage: usize,
    /// `plain_total − total`: the score given up to lift the lowest pair (≥ 0 up to rounding).
    pub price_of_fairness: f64,
    /// Solver calls, the plain solve included.
    pub solves: usize,
}

fn min_weight(weights: ArrayView2<'_, f64>, pairs: &[(usize, usize)]) -> Option<f64> {
    pairs
        .iter()
        .filter_map(|&(r, c)| weights.get((r, c)).copied())
        .reduce(f64::min)
}

/// Keep as many pairs as the plain optimum, maximise the lowest pair weight, then the total.
///
/// `solver` must maximise coverage first (the `Coverage` objective: most pairs, then the highest
/// total) and keep the plain problem's capacities and pinned pairs. NaN / `-inf` in `weights`
/// forbid a pair. The threshold τ is searched over the distinct finite weights: the check for τ
/// is one solve with every pair below τ forbidden, feasible when it still matches as many pairs
/// as the plain optimum. The solve at the highest feasible τ is the answer: at least that many
/// pairs, lowest weight τ, and the best total among such matchings.
pub fn maximin<S: MatrixSolver + ?Sized>(
    weights: ArrayView2<'_, f64>,
    solver: &mut S,
) -> Result<MaximinResult, FairnessError> {
    let plain = solver.solve(weights, None)?;
    let mut solves = 1;
    let bad =
        || FairnessError::Solver("the solver returned a forbidden or out-of-range pair".into());
    let plain_total = total_of(weights, &plain.pairs).ok_or_else(bad)?;
    let plain_min = min_weight(weights, &plain.pairs);
    let coverage = plain.pairs.len();
    let Some(start) = plain_min else {
        return Ok(MaximinResult {
            pairs: plain.pairs,
            min_score: None,
            total: plain_total,
            plain_min_score: None,
            plain_total,
            coverage,
            price_of_fairness: 0.0,
            solves,
        });
    };
    let mut values: Vec<f64> = weights
        .iter()
        .copied()
        .filter(|w| w.is_finite() && *w >= start)
        .collect();
    values.sort_by(f64::total_cmp);
    values.dedup();
    // values[0] == start is feasible (the plain optimum); find the last feasible index.
    let mut best: Solved = plain;
    let (mut lo, mut hi) = (0usize, values.len().saturating_sub(1));
    while lo < hi {
        let mid = lo + (hi - lo).div_ceil(2);
        let tau = values[mid];
        let masked = weights.mapv(|w| {
            if is_forbidden(w) || w < tau {
                f64::NAN
            } else {
                w
            }
        });
        let sol = solver.solve(masked.view(), None)?;
        solves += 1;
        if sol.pairs.len() >= coverage {
            best = sol;
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    // When no higher threshold is feasible the plain optimum stays: with nothing forbidden it
    // already had the best total among matchings of that coverage whose lowest pair is `start`.
    let total = total_of(weights, &best.pairs).ok_or_else(bad)?;
    Ok(MaximinResult {
        min_score: min_weight(weights, &best.pairs),
        total,
        plain_min_score: plain_min,
        plain_total,
        coverage,
        price_of_fairness: (plain_total - total).max(0.0),
        pairs: best.pairs,
        solves,
    })
}
