//! The capacitated assignment solver as the fairness layer drives it: capacities and objective fixed,
//! weights changing from call to call, duals passed back as warm starts.

use super::{FairnessError, MatrixSolver, Solved};
use crate::lsap::{solve_capacitated_warm, CapacitatedOptions, Instance, Objective};
use ndarray::ArrayView2;

/// [`MatrixSolver`] over [`solve_capacitated_warm`] (maximising) with fixed capacities.
#[derive(Debug, Clone)]
pub struct CapacitatedSolver<'a> {
    /// How many columns each row takes at most (mentees: `mentors_wanted`).
    pub row_capacity: &'a [u32],
    /// How many rows each column takes at most (mentors: `capacity`).
    pub col_capacity: &'a [u32],
    /// Coverage first (the default of `match`) or score alone.
    pub objective: Objective,
    /// Solver calls made so far.
    pub calls: usize,
}

impl<'a> CapacitatedSolver<'a> {
    /// A solver for these capacities and objective.
    pub fn new(row_capacity: &'a [u32], col_capacity: &'a [u32], objective: Objective) -> Self {
        CapacitatedSolver {
            row_capacity,
            col_capacity,
            objective,
            calls: 0,
        }
    }

    /// A solver for the capacities of `instance` (its scores are what the fairness layer varies).
    pub fn for_instance(instance: &'a Instance<'_>, objective: Objective) -> Self {
        Self::new(&instance.row_capacity, &instance.col_capacity, objective)
    }
}

impl MatrixSolver for CapacitatedSolver<'_> {
    fn solve(
        &mut self,
        weights: ArrayView2<'_, f64>,
        warm: Option<(&[f64], &[f64])>,
    ) -> Result<Solved, FairnessError> {
        let opts = CapacitatedOptions {
            maximize: true,
            objective: self.objective,
        };
        self.calls += 1;
        let m = solve_capacitated_warm(weights, self.row_capacity, self.col_capacity, &opts, warm)
            .map_err(|e| FairnessError::Solver(e.to_string()))?;
        Ok(Solved {
            pairs: m.pairs,
            row_duals: m.row_duals,
            col_duals: m.col_duals,
        })
    }
}
