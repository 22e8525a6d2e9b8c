//! Capacitated assignment on a sparse candidate graph (CSR): the same problem, objectives, duals
//! and warm starts as [`super::solve_capacitated`], with only the listed pairs allowed.
//!
//! The method is the dense solver's (see its module docs): successive shortest paths on the
//! bipartite flow network with an unmatched edge per row, one potential per row and per column,
//! an exact bidding initialisation and a repair pass, then one Dijkstra search per row unit on
//! reduced costs. Rows are scanned through their adjacency lists, so a search costs
//! O(edges reached · log) instead of O(rows · cols); memory is O(rows + cols + candidates).
//! Searches start from the side with fewer capacity units, as in the dense solver (the graph is
//! transposed in O(candidates) when that side is the columns).

mod certify;
mod solver;
mod topk;

pub use certify::{
    certify, certify_against, certify_bounded, certify_bounded_against, solve_certified,
    solve_certified_with, BoundedScores, Budget, Certificate, Certified, Check, Cut, Next,
    Violation, POOL_PER_ROW,
};
pub use topk::top_candidates;

use super::capacitated::cost::{Cost, Lex};
use super::memory;
use super::{CapacitatedOptions, LsapError, Matching, Objective};
use ndarray::ArrayView2;
use solver::{run, Graph, Warm};

/// Allowed pairs as a compressed sparse row graph: row `i`'s candidates are the columns
/// `col_idx[row_ptr[i]..row_ptr[i + 1]]` (strictly increasing) with their scores.
#[derive(Debug, Clone, PartialEq)]
pub struct CandidateGraph {
    rows: usize,
    cols: usize,
    row_ptr: Vec<usize>,
    col_idx: Vec<u32>,
    scores: Vec<f64>,
}

impl CandidateGraph {
    /// A graph from its CSR arrays.
    ///
    /// # Errors
    /// [`LsapError::Shape`] when `row_ptr` does not have `rows + 1` non-decreasing entries ending
    /// at the number of candidates, when a row's columns are out of range or not strictly
    /// increasing, or when `cols` exceeds `u32::MAX`; [`LsapError::InvalidEntry`] for a
    /// non-finite score (leave a forbidden pair out instead).
    pub fn new(
        rows: usize,
        cols: usize,
        row_ptr: Vec<usize>,
        col_idx: Vec<u32>,
        scores: Vec<f64>,
    ) -> Result<Self, LsapError> {
        let shape = |msg: String| Err(LsapError::Shape(msg));
        if cols.max(rows) >= u32::MAX as usize {
            return shape(format!(
                "{rows} x {cols}: a candidate graph indexes at most {} rows and columns",
                u32::MAX - 1
            ));
        }
        if row_ptr.len() != rows + 1 || row_ptr.first() != Some(&0) {
            return shape(format!(
                "row_ptr has {} entries for {rows} rows (give rows + 1 offsets starting at 0)",
                row_ptr.len()
            ));
        }
        if col_idx.len() != scores.len() || row_ptr[rows] != col_idx.len() {
            return shape(format!(
                "row_ptr ends at {} but there are {} column indices and {} scores (all three must agree)",
                row_ptr[rows],
                col_idx.len(),
                scores.len()
            ));
        }
        for i in 0..rows {
            let (a, b) = (row_ptr[i], row_ptr[i + 1]);
            if a > b {
                return shape(format!(
                    "row_ptr decreases at row {i} ({a} then {b}); offsets must not decrease"
                ));
            }
            let row = &col_idx[a..b];
            if let Some(&j) = row.iter().find(|&&j| j as usize >= cols) {
                return shape(format!(
                    "row {i} lists column {j} but the graph has {cols} columns"
                ));
            }
            if let Some(w) = row.windows(2).find(|w| w[0] >= w[1]) {
                return shape(format!(
                    "row {i} lists column {} after column {} (columns must be strictly increasing; merge duplicates)",
                    w[1], w[0]
                ));
            }
            if let Some(t) = (a..b).find(|&t| !scores[t].is_finite()) {
                return Err(LsapError::InvalidEntry {
                    row: i,
                    col: col_idx[t] as usize,
                    value: scores[t],
                });
            }
        }
        Ok(CandidateGraph {
            rows,
            cols,
            row_ptr,
            col_idx,
            scores,
        })
    }

    /// A graph from `(row, col, score)` triplets in any order; a pair listed twice keeps its
    /// first score.
    ///
    /// # Errors
    /// As [`CandidateGraph::new`] (indices out of range, non-finite scores).
    pub fn from_triplets(
        rows: usize,
        cols: usize,
        triplets: &[(usize, usize, f64)],
    ) -> Result<Self, LsapError> {
        if let Some(&(r, c, _)) = triplets.iter().find(|t| t.0 >= rows || t.1 >= cols) {
            return Err(LsapError::Shape(format!(
                "pair ({r}, {c}) is outside the {rows} x {cols} graph"
            )));
        }
        let mut order: Vec<usize> = (0..triplets.len()).collect();
        order.sort_by_key(|&t| (triplets[t].0, triplets[t].1, t));
        order.dedup_by_key(|t| (triplets[*t].0, triplets[*t].1));
        let mut row_ptr = vec![0usize; rows + 1];
        for &t in &order {
            row_ptr[triplets[t].0 + 1] += 1;
        }
        for i in 0..rows {
            row_ptr[i + 1] += row_ptr[i];
        }
        let col_idx = order.iter().map(|&t| triplets[t].1 as u32).collect();
        let scores = order.iter().map(|&t| triplets[t].2).collect();
        Self::new(rows, cols, row_ptr, col_idx, scores)
    }

    /// Every finite entry of a dense matrix as a candidate (NaN and infinities are left out).
    ///
    /// # Errors
    /// [`LsapError::Shape`] when the matrix has `u32::MAX` columns or more.
    pub fn from_dense(w: ArrayView2<f64>) -> Result<Self, LsapError> {
        let (rows, cols) = w.dim();
        let mut row_ptr = Vec::with_capacity(rows + 1);
        row_ptr.push(0);
        let (mut col_idx, mut scores) = (Vec::new(), Vec::new());
        for row in w.rows() {
            for (j, &x) in row.iter().enumerate() {
                if x.is_finite() {
                    col_idx.push(j as u32);
                    scores.push(x);
                }
            }
            row_ptr.push(col_idx.len());
        }
        Self::new(rows, cols, row_ptr, col_idx, scores)
    }

    /// This graph with `extra` pairs added (pairs already present keep their score).
    ///
    /// # Errors
    /// As [`CandidateGraph::from_triplets`].
    pub fn with_pairs(&self, extra: &[(usize, usize, f64)]) -> Result<Self, LsapError> {
        let mut all: Vec<(usize, usize, f64)> = Vec::with_capacity(self.nnz() + extra.len());
        for i in 0..self.rows {
            let (cols, scores) = self.row(i);
            all.extend(cols.iter().zip(scores).map(|(&j, &s)| (i, j as usize, s)));
        }
        all.extend_from_slice(extra);
        Self::from_triplets(self.rows, self.cols, &all)
    }

    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Number of columns.
    pub fn cols(&self) -> usize {
        self.cols
    }

    /// Number of candidate pairs.
    pub fn nnz(&self) -> usize {
        self.col_idx.len()
    }

    /// Row `i`'s candidate columns (increasing) and their scores; empty when `i` is out of range.
    pub fn row(&self, i: usize) -> (&[u32], &[f64]) {
        match (self.row_ptr.get(i), self.row_ptr.get(i + 1)) {
            (Some(&a), Some(&b)) => (&self.col_idx[a..b], &self.scores[a..b]),
            _ => (&[], &[]),
        }
    }

    /// The score of pair `(i, j)` when it is a candidate.
    pub fn score(&self, i: usize, j: usize) -> Option<f64> {
        let (cols, scores) = self.row(i);
        let j = u32::try_from(j).ok()?;
        cols.binary_search(&j).ok().map(|t| scores[t])
    }

    /// Bytes the graph's arrays take.
    pub fn bytes(&self) -> u64 {
        memory::bytes_of::<usize>(self.row_ptr.len())
            + memory::bytes_of::<u32>(self.col_idx.len())
            + memory::bytes_of::<f64>(self.scores.len())
    }
}

/// Solve the capacitated assignment on the candidate graph `g`: row `i` takes at most
/// `row_capacity[i]` of its candidate columns, column `j` at most `col_capacity[j]` rows.
///
/// Same objectives, options and [`Matching`] (with duals in the same definition) as
/// [`super::solve_capacitated`]; pairs missing from the graph are forbidden. On a graph built
/// with [`CandidateGraph::from_dense`] both solvers reach the same optimum.
///
/// ```
/// use mentorpair::lsap::{solve_sparse, CandidateGraph, CapacitatedOptions};
/// let g = CandidateGraph::from_triplets(2, 2, &[(0, 0, 0.9), (0, 1, 0.8), (1, 0, 0.7)]).unwrap();
/// let m = solve_sparse(&g, &[1, 1], &[1, 1], &CapacitatedOptions::default()).unwrap();
/// assert_eq!(m.pairs, vec![(0, 1), (1, 0)]);
/// ```
///
/// # Errors
/// [`LsapError::Shape`] for capacity slices of the wrong length, [`LsapError::TooLarge`] when
/// the working buffers do not fit in memory, [`LsapError::Interrupted`] when the current
/// [`crate::cancel`] token is cancelled.
pub fn solve_sparse(
    g: &CandidateGraph,
    row_capacity: &[u32],
    col_capacity: &[u32],
    opts: &CapacitatedOptions,
) -> Result<Matching, LsapError> {
    solve_impl(g, row_capacity, col_capacity, opts, None)
}

/// [`solve_sparse`] restarted from an earlier result (for example on fewer candidates, or before
/// a small change of scores or capacities): its pairs and duals are reused wherever they are still
/// consistent, and only the rest is searched. Pairs of `previous` that are no longer candidates
/// are dropped. The result is optimal whatever `previous` holds.
///
/// # Errors
/// As [`solve_sparse`], and [`LsapError::WarmStart`] when `previous` has duals of another shape
/// or pairs outside the graph.
pub fn solve_sparse_from(
    g: &CandidateGraph,
    row_capacity: &[u32],
    col_capacity: &[u32],
    opts: &CapacitatedOptions,
    previous: &Matching,
) -> Result<Matching, LsapError> {
    solve_impl(g, row_capacity, col_capacity, opts, Some(previous))
}

fn solve_impl(
    g: &CandidateGraph,
    row_capacity: &[u32],
    col_capacity: &[u32],
    opts: &CapacitatedOptions,
    previous: Option<&Matching>,
) -> Result<Matching, LsapError> {
    let (nr, nc) = (g.rows, g.cols);
    for (caps, len, side) in [(row_capacity, nr, "row"), (col_capacity, nc, "column")] {
        if caps.len() != len {
            return Err(LsapError::Shape(format!(
                "{side} capacities have {} entries but the graph has {len} {side}s (give one capacity per {side})",
                caps.len()
            )));
        }
    }
    if let Some(prev) = previous {
        super::capacitated::check_previous(prev, nr, nc)?;
    }
    let sign = if opts.maximize { -1.0 } else { 1.0 };
    let degree_cap = |caps: &[u32], deg: &[u32]| -> Vec<u32> {
        caps.iter().zip(deg).map(|(&c, &d)| c.min(d)).collect()
    };
    let mut col_deg = vec![0u32; nc];
    for &j in &g.col_idx {
        col_deg[j as usize] += 1;
    }
    let row_deg: Vec<u32> = g.row_ptr.windows(2).map(|w| (w[1] - w[0]) as u32).collect();
    let row_cap = degree_cap(row_capacity, &row_deg);
    let col_cap = degree_cap(col_capacity, &col_deg);
    let units = |c: &[u32]| c.iter().map(|&x| u64::from(x)).sum::<u64>();
    let transpose = units(&col_cap) < units(&row_cap);
    memory::check_big(
        g.bytes()
            .saturating_mul(2)
            .saturating_add((nr as u64 + nc as u64).saturating_mul(160)),
    )?;
    let graph = if transpose {
        Graph::build(nc, nr, &g.transposed(), sign, col_cap, row_cap)?
    } else {
        Graph::build(nr, nc, g, sign, row_cap, col_cap)?
    };
    let warm = match previous {
        None => Warm::Cold,
        Some(prev) => {
            let (prices, row_prices, pairs) =
                super::capacitated::previous_start(prev, transpose, opts.maximize);
            Warm::Previous(prices, row_prices, pairs)
        }
    };
    let (int_rc, int_cc) = if transpose {
        (col_capacity, row_capacity)
    } else {
        (row_capacity, col_capacity)
    };
    let (mut pairs, mut u, mut v) = match opts.objective {
        Objective::Score => run::<f64>(&graph, &warm, int_rc, int_cc)?,
        Objective::Coverage => run::<Lex>(&graph, &warm, int_rc, int_cc)?,
    };
    if transpose {
        pairs.iter_mut().for_each(|p| *p = (p.1, p.0));
        std::mem::swap(&mut u, &mut v);
    }
    pairs.sort_unstable();
    let objective = pairs
        .iter()
        .map(|&(r, c)| g.score(r, c).unwrap_or(0.0))
        .sum();
    let split = |v: &[Lex]| -> (Vec<f64>, Vec<i64>) {
        v.iter()
            .map(|x| (sign * x.f + 0.0, if opts.maximize { -x.k } else { x.k }))
            .unzip()
    };
    let (row_duals, row_count_duals) = split(&u);
    let (col_duals, col_count_duals) = split(&v);
    Ok(Matching {
        pairs,
        objective,
        row_duals,
        col_duals,
        row_count_duals,
        col_count_duals,
    })
}

impl CandidateGraph {
    /// The same pairs indexed by column (a `cols × rows` graph), in O(candidates).
    fn transposed(&self) -> CandidateGraph {
        let mut ptr = vec![0usize; self.cols + 1];
        for &j in &self.col_idx {
            ptr[j as usize + 1] += 1;
        }
        for j in 0..self.cols {
            ptr[j + 1] += ptr[j];
        }
        let mut fill = ptr.clone();
        let mut idx = vec![0u32; self.nnz()];
        let mut sc = vec![0.0; self.nnz()];
        for i in 0..self.rows {
            let (cols, scores) = self.row(i);
            for (&j, &s) in cols.iter().zip(scores) {
                let t = fill[j as usize];
                idx[t] = i as u32;
                sc[t] = s;
                fill[j as usize] += 1;
            }
        }
        CandidateGraph {
            rows: self.cols,
            cols: self.rows,
            row_ptr: ptr,
            col_idx: idx,
            scores: sc,
        }
    }
}

/// Cost of the pair with signed weight `sw` as the dense solver's `Cost` sees it; used to keep
/// the lexicographic duals of both solvers in one form.
fn pair_lex(coverage: bool, sw: f64) -> Option<Lex> {
    if coverage {
        Lex::pair(sw)
    } else {
        f64::pair(sw).map(Cost::lex)
    }
}
