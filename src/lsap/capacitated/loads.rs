//! Minimum loads (lower bounds on columns) and load spreading (a convex cost per extra unit) in
//! the capacitated solver.
//!
//! # Method
//! Both are convex costs on a column's load, so they live on the column → sink edge of the
//! min-cost flow (see the parent module): column `j`'s unit number `L + 1` costs `e_j(L)`, made of
//! - a *minimum-load bonus* while `L < min_load[j]`: an exact lexicographic tier above coverage and
//!   score (`−K` in the integer part, where `K` exceeds the largest possible number of pairs, so
//!   one more filled minimum-load slot outweighs any number of pairs and any score);
//! - a *spreading penalty* `spread · L` in score units: a column's `k`-th unit costs
//!   `spread · (k − 1)`, so of two equally scored pairings the one over more columns wins.
//!
//! `e_j` is non-decreasing in `L`, so unit-capacity slot edges of increasing cost fill in order
//! and the successive-shortest-path searches stay exact: a search leaves through a spare column
//! at the column's label plus the reduced cost `e_j(L) + π_j ≥ 0` of its next slot. No big-M
//! constant meets the scores: the tiers are integers.
//!
//! A minimum load that cannot be met is not an error here: the result fills as many
//! minimum-load slots as any matching can (the first tier), and [`LoadMatching::shortfall`] says
//! which columns stay below their minimum and by how much. Which columns carry an unavoidable
//! shortfall is not unique; its total is.
//!
//! The load solve starts cold (no bids, no warm start) and never transposes the problem: the
//! searches start from the rows and the load terms sit on the columns.

use super::cost::{Cost, Lex, Tier};
use super::problem::{validate, Problem};
use super::solver::{Loads, Solver};
use super::CapacitatedOptions;
use super::{memory, LsapError, Matching, Objective};
use ndarray::ArrayView2;
use serde::{Deserialize, Serialize};

/// Per-column load terms for [`solve_capacitated_loads`].
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ColumnLoads {
    /// Minimum number of rows per column (length = columns, or empty for none).
    pub min_load: Vec<u32>,
    /// Cost of every extra unit on a column, in score units (`≥ 0`): a column's `k`-th unit costs
    /// `spread · (k − 1)`. Zero (default) adds nothing.
    pub spread: f64,
}

/// An optimal matching under load terms, with what is left of the minimum loads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoadMatching {
    /// The matching; `objective` is the plain sum of the matched weights (no load terms), and the
    /// duals certify optimality of the load problem (see [`solve_capacitated_loads`]).
    pub matching: Matching,
    /// Per column, how many rows short of its minimum load it stays (`min_load − load`, or 0).
    pub shortfall: Vec<u32>,
    /// The total spreading penalty, `Σ_j spread · L_j (L_j − 1) / 2`, in score units.
    pub spread_penalty: f64,
    /// Integer weight of one filled minimum-load slot in the count part of the duals (the tier
    /// `K`; for [`Objective::Score`] it is 1 and pairs carry no count).
    pub min_slot_weight: i64,
}

impl LoadMatching {
    /// Columns below their minimum load, as `(column, shortfall)`.
    pub fn short_columns(&self) -> Vec<(usize, u32)> {
        self.shortfall
            .iter()
            .enumerate()
            .filter(|(_, &s)| s > 0)
            .map(|(j, &s)| (j, s))
            .collect()
    }
}

/// The capacitated matching ([`super::solve_capacitated`]) with minimum loads and spreading on
/// the columns.
///
/// Priority, exact and lexicographic: first as many minimum-load slots filled as possible, then
/// the objective of `opts` (coverage then score, or score alone) minus the spreading penalty.
/// Meeting minimum loads never costs coverage in a bipartite matching (a matching that fills the
/// most minimum-load slots and one with the most pairs combine into one that does both), so under
/// [`Objective::Coverage`] the minimum loads only restrict which of the largest matchings is chosen.
///
/// Duals, in the caller's sense (maximising; flip every inequality when minimising) with pair value
/// `(1, w_ij)` for coverage or `(0, w_ij)` for score, and the column gain of the unit raising load
/// `L` to `L + 1`, `g_j(L) = (K·[L < min_j], −spread·L)`: `u_i ≥ 0`, positive only on full rows;
/// `w_ij − u_i − v_j ≤ 0` on unused allowed pairs and `≥ 0` on used ones; `g_j(L_j) + v_j ≤ 0` when
/// column `j` has room (its next slot does not pay for the column's price) and
/// `g_j(L_j − 1) + v_j ≥ 0` when it holds anything (its last slot does). Then no matching is
/// better (LP duality on the slot formulation). Count parts are in `row_count_duals` and
/// `col_count_duals`; without load terms these are the plain solver's conditions (`v_j ≥ 0`,
/// zero on columns with room).
///
/// Errors as [`super::solve_capacitated`], plus [`LsapError::Shape`] when `min_load` has the wrong
/// length and [`LsapError::Capacity`] when `spread` is negative or not finite.
///
/// ```
/// use ndarray::array;
/// use mentorpair::lsap::{solve_capacitated_loads, CapacitatedOptions, ColumnLoads};
/// // Column 0 is everyone's favourite; column 1 must take at least one row.
/// let w = array![[0.9, 0.2], [0.8, 0.3], [0.7, f64::NAN]];
/// let mut loads = ColumnLoads::default();
/// loads.min_load = vec![0, 1];
/// let m = solve_capacitated_loads(w.view(), &[1; 3], &[3, 3], &CapacitatedOptions::default(), &loads)
///     .unwrap();
/// assert_eq!(m.matching.pairs, vec![(0, 0), (1, 1), (2, 0)]);
/// assert_eq!(m.shortfall, vec![0, 0]);
/// ```
pub fn solve_capacitated_loads(
    weights: ArrayView2<f64>,
    row_capacity: &[u32],
    col_capacity: &[u32],
    opts: &CapacitatedOptions,
    loads: &ColumnLoads,
) -> Result<LoadMatching, LsapError> {
    let (nr, nc) = weights.dim();
    if row_capacity.len() != nr {
        return Err(LsapError::Shape(format!(
            "row_capacity has {} entries but the matrix has {nr} rows (give one capacity per row)",
            row_capacity.len()
        )));
    }
    if col_capacity.len() != nc {
        return Err(LsapError::Shape(format!(
            "col_capacity has {} entries but the matrix has {nc} columns (give one capacity per column)",
            col_capacity.len()
        )));
    }
    let min_load: Vec<u32> = if loads.min_load.is_empty() {
        vec![0; nc]
    } else if loads.min_load.len() != nc {
        return Err(LsapError::Shape(format!(
            "min_load has {} entries but the matrix has {nc} columns (give one minimum per column, or none)",
            loads.min_load.len()
        )));
    } else {
        loads.min_load.clone()
    };
    if !(loads.spread.is_finite() && loads.spread >= 0.0) {
        return Err(LsapError::Capacity(format!(
            "spread is {}; use a finite number >= 0 (0 turns spreading off)",
            loads.spread
        )));
    }
    let sign = if opts.maximize { -1.0 } else { 1.0 };
    let owned: Vec<f64>;
    let data: &[f64] = match weights.as_slice() {
        Some(s) => s,
        None => {
            let mut copy = memory::try_with_capacity(nr.saturating_mul(nc))?;
            copy.extend(weights.iter());
            owned = copy;
            &owned
        }
    };
    memory::check_big(memory::capacitated_bytes(
        nr,
        nc,
        weights.is_standard_layout(),
        false,
    ))?;
    let (row_allowed, col_allowed) = validate(data, nr, nc, opts.maximize)?;
    let cap = |c: &[u32], allowed: &[u32]| -> Vec<u32> {
        c.iter().zip(allowed).map(|(&c, &a)| c.min(a)).collect()
    };
    let problem = Problem {
        w: data,
        n: nr,
        m: nc,
        sign,
        row_cap: cap(row_capacity, &row_allowed),
        col_cap: cap(col_capacity, &col_allowed),
    };
    let units = |c: &[u32]| c.iter().map(|&x| u64::from(x)).sum::<u64>();
    let pairs_max = units(&problem.row_cap).min(units(&problem.col_cap));
    let any_min = min_load.iter().any(|&x| x > 0);
    let (state, k) = match (opts.objective, any_min) {
        (Objective::Score, false) => (run(&problem, &min_load, 0.0, loads.spread)?, 0),
        (Objective::Score, true) => {
            let s = run(
                &problem,
                &min_load,
                Tier(Lex { k: -1, f: 0.0 }),
                loads.spread,
            )?;
            (s, 1)
        }
        (Objective::Coverage, _) => {
            let k = i64::try_from(pairs_max).unwrap_or(i64::MAX / 4) + 1;
            let s = run(&problem, &min_load, Lex { k: -k, f: 0.0 }, loads.spread)?;
            (s, if any_min { k } else { 0 })
        }
    };
    let State { pairs, u, v } = finish(
        &problem,
        row_capacity,
        col_capacity,
        &min_load,
        k,
        loads.spread,
        state,
        opts.objective,
    );
    let mut load = vec![0u32; nc];
    for &(_, c) in &pairs {
        load[c] += 1;
    }
    let shortfall = min_load
        .iter()
        .zip(&load)
        .map(|(&m, &l)| m.saturating_sub(l))
        .collect();
    let spread_penalty = load
        .iter()
        .map(|&l| loads.spread * f64::from(l) * (f64::from(l) - 1.0) / 2.0)
        .sum();
    let objective = pairs.iter().map(|&(r, c)| data[r * nc + c]).sum();
    let split = |v: &[Lex]| -> (Vec<f64>, Vec<i64>) {
        v.iter()
            .map(|x| (sign * x.f + 0.0, if opts.maximize { -x.k } else { x.k }))
            .unzip()
    };
    let (row_duals, row_count_duals) = split(&u);
    let (col_duals, col_count_duals) = split(&v);
    Ok(LoadMatching {
        matching: Matching {
            pairs,
            objective,
            row_duals,
            col_duals,
            row_count_duals,
            col_count_duals,
        },
        shortfall,
        spread_penalty,
        min_slot_weight: k,
    })
}

/// Pairs and final potentials (`u` = negated row potentials, `v` = column potentials), as
/// lexicographic minimisation-sense values.
struct State {
    pairs: Vec<(usize, usize)>,
    u: Vec<Lex>,
    v: Vec<Lex>,
}

fn run<C: Cost>(
    p: &Problem<'_>,
    min_load: &[u32],
    bonus: C,
    spread: f64,
) -> Result<State, LsapError> {
    let mut s = Solver::<C>::new(p);
    let loads = Loads {
        min: min_load.to_vec(),
        bonus,
        spread,
    };
    // No flow yet: the only conditions are on the first slot of every column, `e_j(0) + π_j ≥ 0`.
    for j in 0..p.m {
        let e = loads.marginal(j, 0);
        if e < C::ZERO {
            s.pot_c[j] = C::ZERO - e;
        }
    }
    s.loads = Some(loads);
    s.cand = super::candidates::Candidates::build(p, &s.pot_c, &s.flags)?;
    let cancel = crate::cancel::current();
    for i in 0..p.n {
        cancel.check()?;
        for _ in 0..p.row_cap[i] {
            s.search(i);
        }
    }
    let mut pairs: Vec<(usize, usize)> = s
        .row_cols
        .iter()
        .enumerate()
        .flat_map(|(i, cols)| cols.iter().map(move |&j| (i, j as usize)))
        .collect();
    pairs.sort_unstable();
    Ok(State {
        pairs,
        u: s.pot_r.iter().map(|&x| (C::ZERO - x).lex()).collect(),
        v: s.pot_c.iter().map(|&x| x.lex()).collect(),
    })
}

/// LP duals of the caller's capacities from the final potentials (see the parent module's
/// `Duals::finish` for the plain case): rows below capacity get 0; columns that stopped at their
/// allowed pairs below the caller's capacity are raised to their next slot's value; rows and
/// columns of capacity 0 get the largest feasible value.
#[allow(clippy::too_many_arguments)]
fn finish(
    p: &Problem<'_>,
    row_capacity: &[u32],
    col_capacity: &[u32],
    min_load: &[u32],
    k: i64,
    spread: f64,
    state: State,
    objective: Objective,
) -> State {
    let State {
        pairs,
        mut u,
        mut v,
    } = state;
    let mut deg_r = vec![0u32; p.n];
    let mut deg_c = vec![0u32; p.m];
    for &(r, c) in &pairs {
        deg_r[r] += 1;
        deg_c[c] += 1;
    }
    let pair = |sw: f64| -> Option<Lex> {
        match objective {
            Objective::Coverage => Lex::pair(sw),
            Objective::Score => Tier::pair(sw).map(Cost::lex),
        }
    };
    let marginal = |j: usize, load: u32| -> Lex {
        let kk = if load < min_load[j] { -k } else { 0 };
        Lex {
            k: kk,
            f: spread * f64::from(load),
        }
    };
    let zero = Lex::ZERO;
    for (i, ui) in u.iter_mut().enumerate() {
        if deg_r[i] < row_capacity[i] {
            *ui = zero;
        }
    }
    for (j, vj) in v.iter_mut().enumerate() {
        if deg_c[j] < col_capacity[j] && deg_c[j] >= p.col_cap[j] {
            let need = zero - marginal(j, deg_c[j]);
            if *vj < need {
                *vj = need;
            }
        }
    }
    for i in (0..p.n).filter(|&i| row_capacity[i] == 0) {
        let mut best = zero;
        for (j, &w) in p.row(i).iter().enumerate() {
            if let Some(c) = pair(p.sign * w) {
                let r = c - v[j];
                if r < best {
                    best = r;
                }
            }
        }
        u[i] = best;
    }
    for j in (0..p.m).filter(|&j| col_capacity[j] == 0) {
        let mut best = Lex::INF;
        for (i, &ui) in u.iter().enumerate() {
            if let Some(c) = pair(p.sign * p.w[i * p.m + j]) {
                let r = c - ui;
                if r < best {
                    best = r;
                }
            }
        }
        v[j] = if best == Lex::INF { zero } else { best };
    }
    State { pairs, u, v }
}
