//! Binding for the prepared problem: a frozen `Problem` class holding the Rust problem in an
//! `Arc`, built once from the two tables, then solved, explained, audited and rematched without
//! the tables crossing again. Results stay in Rust (`MatchOutcome`) until Python asks for JSON.
//! Conversions only; the GIL is released around every piece of real work.

use std::sync::Arc;

use numpy::{IntoPyArray, PyArray2, PyArrayMethods};
use pyo3::prelude::*;

use super::errors::MentorpairError;
use super::matching::{parse_config, read_cohort, Source};
use super::threads::run_detached;
use crate::fairness::AuditOptions;
use crate::problem::{MatchResult, Problem, SolveOptions};
use crate::rematch::{PairId, RematchOptions};

fn value_error(e: impl std::fmt::Display) -> PyErr {
    MentorpairError::new_err(e.to_string())
}

fn to_json<T: serde::Serialize>(value: &T) -> PyResult<String> {
    serde_json::to_string(value).map_err(value_error)
}

fn solve_options(problem: &Problem, options_json: Option<&str>) -> Result<SolveOptions, String> {
    match options_json {
        None => Ok(SolveOptions::from_config(problem.config())),
        Some(text) => serde_json::from_str(text).map_err(|e| format!("invalid solve options: {e}")),
    }
}

fn pair_ids(pairs: Vec<(String, String)>) -> Vec<PairId> {
    pairs.into_iter().map(|(a, b)| PairId::new(a, b)).collect()
}

/// A match result kept in Rust: `to_json()` hands it to Python, `Problem.audit` reads it as is.
#[pyclass(frozen, module = "mentorpair._core")]
pub(super) struct MatchOutcome {
    inner: Arc<MatchResult>,
}

#[pymethods]
impl MatchOutcome {
    /// The MatchResult as JSON.
    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        let inner = Arc::clone(&self.inner);
        run_detached(py, move || to_json(&*inner))?
    }
}

/// A cohort prepared once (features, scores, mask, pins): solve, explain, audit and rematch it.
#[pyclass(frozen, name = "Problem", module = "mentorpair._core")]
pub(super) struct PyProblem {
    pub(super) inner: Arc<Problem>,
}

#[pymethods]
impl PyProblem {
    /// Read both tables, validate the JSON MatchConfig and prepare the problem.
    #[new]
    fn new(
        py: Python<'_>,
        mentees: Source,
        mentors: Source,
        config_json: &str,
        protected: Vec<String>,
    ) -> PyResult<Self> {
        let problem = run_detached(py, || {
            let config = parse_config(config_json)?;
            let cohort = read_cohort(&mentees, &mentors, &protected).map_err(|e| e.to_string())?;
            Problem::new(cohort, config).map_err(|e| e.to_string())
        })?
        .map_err(value_error)?;
        Ok(PyProblem {
            inner: Arc::new(problem),
        })
    }

    /// Solve and report; `options_json` is a JSON SolveOptions (None = the configuration's).
    #[pyo3(signature = (options_json=None))]
    fn solve(&self, py: Python<'_>, options_json: Option<&str>) -> PyResult<MatchOutcome> {
        let problem = Arc::clone(&self.inner);
        let result = run_detached(py, move || {
            let options = solve_options(&problem, options_json)?;
            let solution = problem.solve_with(&options).map_err(|e| e.to_string())?;
            Ok::<_, String>(problem.result(&solution))
        })?
        .map_err(value_error)?;
        Ok(MatchOutcome {
            inner: Arc::new(result),
        })
    }

    /// Explain one pair by ids, matched or not; returns the PairReport as JSON.
    fn explain(&self, py: Python<'_>, mentee_id: &str, mentor_id: &str) -> PyResult<String> {
        let problem = Arc::clone(&self.inner);
        run_detached(py, move || {
            problem
                .explain(mentee_id, mentor_id)
                .map_err(value_error)
                .and_then(|report| to_json(&report))
        })?
    }

    /// Fairness audit of a result of this problem by protected columns; returns AuditReport JSON.
    #[pyo3(signature = (result, by, min_group_size=5))]
    fn audit(
        &self,
        py: Python<'_>,
        result: &MatchOutcome,
        by: Vec<String>,
        min_group_size: usize,
    ) -> PyResult<String> {
        let (problem, result) = (Arc::clone(&self.inner), Arc::clone(&result.inner));
        run_detached(py, move || {
            let opts = AuditOptions { min_group_size };
            problem
                .audit(&result, &by, &opts)
                .map_err(value_error)
                .and_then(|report| to_json(&report))
        })?
    }

    /// Rematch against previous pairs; returns (the Rematch as JSON, the new matching).
    #[pyo3(signature = (previous, freeze, keep_bonus, options_json=None))]
    fn rematch(
        &self,
        py: Python<'_>,
        previous: Vec<(String, String)>,
        freeze: Vec<(String, String)>,
        keep_bonus: f64,
        options_json: Option<&str>,
    ) -> PyResult<(String, MatchOutcome)> {
        let problem = Arc::clone(&self.inner);
        let (rematch, result) = run_detached(py, move || {
            let solve = solve_options(&problem, options_json)?;
            let options = RematchOptions {
                keep_bonus,
                freeze: pair_ids(freeze),
            };
            let out = problem
                .rematch_with(&pair_ids(previous), &options, &solve)
                .map_err(|e| e.to_string())?;
            let json = serde_json::to_string(&out.rematch).map_err(|e| e.to_string())?;
            Ok::<_, String>((json, out.result))
        })?
        .map_err(value_error)?;
        Ok((
            rematch,
            MatchOutcome {
                inner: Arc::new(result),
            },
        ))
    }

    /// The scores, mentees x mentors, NaN where a pair is excluded: a read-only view of the
    /// problem's own matrix (no copy), kept alive by this object. A sparse problem scores every
    /// pair into a new matrix (an error when it does not fit in memory).
    fn score_matrix<'py>(slf: Bound<'py, Self>) -> PyResult<Bound<'py, PyArray2<f64>>> {
        let py = slf.py();
        let problem = Arc::clone(&slf.get().inner);
        match problem.scores().dense() {
            Some(view) => {
                // SAFETY: the matrix lives in the `Arc<Problem>` this frozen object holds; a
                // `Problem` is never mutated, so the memory stays valid and in place while the
                // array's base (this object) is alive.
                let array = unsafe { PyArray2::borrow_from_array(&view, slf.into_any()) };
                array.readwrite().make_nonwriteable();
                Ok(array)
            }
            None => {
                let problem = Arc::clone(&problem);
                let full = run_detached(py, move || {
                    problem.try_score_matrix().map_err(|e| e.to_string())
                })?
                .map_err(value_error)?;
                Ok(full.scores.into_pyarray(py))
            }
        }
    }

    /// The storage and solver in use: "dense" or "sparse" (`solver="auto"` resolved).
    #[getter]
    fn solver(&self) -> &'static str {
        self.inner.solver().name()
    }

    /// Mentee ids, in row order.
    #[getter]
    fn mentee_ids(&self) -> Vec<String> {
        self.inner.mentee_ids().map(str::to_string).collect()
    }

    /// Mentor ids, in column order.
    #[getter]
    fn mentor_ids(&self) -> Vec<String> {
        self.inner.mentor_ids().map(str::to_string).collect()
    }

    /// (mentees, mentors).
    #[getter]
    fn shape(&self) -> (usize, usize) {
        self.inner.dims()
    }

    /// Pairs excluded by a hard constraint or the minimum score.
    #[getter]
    fn excluded_pairs(&self) -> u64 {
        self.inner.excluded_count()
    }
}

pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyProblem>()?;
    m.add_class::<MatchOutcome>()?;
    Ok(())
}
