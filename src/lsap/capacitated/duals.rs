//! LP duals from the final network potentials.

use super::cost::{min_cost, Cost, Lex};
use super::problem::Problem;

pub(super) struct RunResult {
    pub(super) pairs: Vec<(usize, usize)>,
    pub(super) duals: Duals,
}

/// LP duals in minimisation form (`u, v ≤ 0`, reduced cost `c' − u − v`), lexicographic.
pub(in crate::lsap) struct Duals {
    pub(in crate::lsap) u: Vec<Lex>,
    pub(in crate::lsap) v: Vec<Lex>,
    pub(in crate::lsap) coverage: bool,
}

impl Duals {
    /// From network potentials (`u = −π_row`, `v = π_col`) to LP duals of the caller's capacities:
    /// a row or column below its capacity gets dual 0 (valid: such a row has either no unused
    /// allowed pair left or dual 0 already); one with capacity 0 gets the largest feasible value.
    pub(super) fn finish(
        &mut self,
        p: &Problem<'_>,
        row_capacity: &[u32],
        col_capacity: &[u32],
        pairs: &[(usize, usize)],
    ) {
        let mut deg_r = vec![0u32; p.n];
        let mut deg_c = vec![0u32; p.m];
        for &(r, c) in pairs {
            deg_r[r] += 1;
            deg_c[c] += 1;
        }
        let zero = Lex { k: 0, f: 0.0 };
        let pair = |sw: f64| -> Option<Lex> {
            if self.coverage {
                Lex::pair(sw)
            } else {
                f64::pair(sw).map(Cost::lex)
            }
        };
        for (j, v) in self.v.iter_mut().enumerate() {
            if deg_c[j] < col_capacity[j] {
                *v = zero;
            }
        }
        let zero_rows: Vec<usize> = (0..p.n)
            .filter(|&i| row_capacity[i] == 0 && deg_r[i] == 0)
            .collect();
        for (i, u) in self.u.iter_mut().enumerate() {
            if deg_r[i] < row_capacity[i] {
                *u = zero;
            }
        }
        for &i in &zero_rows {
            let row = p.row(i);
            let mut best = zero;
            for (j, &w) in row.iter().enumerate() {
                if let Some(c) = pair(p.sign * w) {
                    best = min_cost(best, c - self.v[j]);
                }
            }
            self.u[i] = best;
        }
        for (j, _) in col_capacity.iter().enumerate().filter(|(_, &c)| c == 0) {
            {
                let mut best = zero;
                for i in 0..p.n {
                    if let Some(c) = pair(p.sign * p.w[i * p.m + j]) {
                        best = min_cost(best, c - self.u[i]);
                    }
                }
                self.v[j] = best;
            }
        }
    }
}
