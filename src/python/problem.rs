//! Binding for the prepared problem: a frozen `Problem` class holding the Rust problem in an
//! `Arc`, built once from the two tables, then solved, explained, audited and rematched without
//! the tables crossing again. Results stay in Rust (`MatchOutcome`) until Python asks for JSON.
//! Conversions only; the GIL is released around every piece of real work.

use std::sync::Arc;

use numpy::{IntoPyArray, PyArray2, PyArrayMethods, PyReadonlyArray2};
use pyo3::prelude::*;
use pyo3::types::PyList;
use serde_json::Value;

use super::errors::CoreError;
use super::matching::{read_cohort, Source};
use super::options::options_value;
use super::threads::run_detached;
use crate::fairness::AuditOptions;
use crate::problem::{MatchConfig, MatchResult, Problem, SolveOptions};
use crate::rematch::{PairId, RematchOptions};

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, CoreError> {
    serde_json::to_string(value).map_err(|e| CoreError::Other(e.to_string()))
}

/// The problem's own solve options with the flat options the user set on top.
fn solve_options(problem: &Problem, options: serde_json::Value) -> Result<SolveOptions, CoreError> {
    let base = SolveOptions::from_config(problem.config());
    Ok(SolveOptions::from_options(options, &base)?)
}

fn pair_ids(pairs: Vec<(String, String)>) -> Vec<PairId> {
    pairs.into_iter().map(|(a, b)| PairId::new(a, b)).collect()
}

/// An embedding matrix as numpy hands it over: float64 or float32, read in place.
#[derive(FromPyObject)]
pub(super) enum Matrix<'py> {
    F64(PyReadonlyArray2<'py, f64>),
    F32(PyReadonlyArray2<'py, f32>),
}

impl Matrix<'_> {
    pub(super) fn view(&self) -> crate::score::beyond::EmbeddingView<'_> {
        use crate::score::beyond::EmbeddingView;
        match self {
            Matrix::F64(m) => EmbeddingView::F64(m.as_array()),
            Matrix::F32(m) => EmbeddingView::F32(m.as_array()),
        }
    }
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
        Ok(run_detached(py, move || to_json(&*inner))??)
    }

    /// Everything but the pairs as JSON: summary, timings, config, fairness, certificate,
    /// unmatched and violations (small, whatever the cohort's size).
    fn head_json(&self, py: Python<'_>) -> PyResult<String> {
        let inner = Arc::clone(&self.inner);
        Ok(run_detached(py, move || {
            let r = &*inner;
            to_json(&serde_json::json!({
                "summary": r.summary,
                "timings": r.timings,
                "config": r.config,
                "fairness": r.fairness,
                "certificate": r.certificate,
                "unmatched": r.unmatched,
                "violations": r.violations,
            }))
        })??)
    }

    /// The pairs column by column, in the order of `MatchResult.pairs`: `(names, columns)`
    /// with ids as lists of str, scores and component values as float64 arrays (NaN where a
    /// pair has no such component), `pinned` as bool and `match_percent` as int64 arrays, and
    /// the extra input columns (`mentee_<name>`, `mentor_<name>`) as lists of Python values.
    fn pair_columns<'py>(&self, py: Python<'py>) -> PyResult<(Vec<String>, Bound<'py, PyList>)> {
        let pairs = &self.inner.pairs;
        let mut names: Vec<String> = vec!["mentee_id".into(), "mentor_id".into(), "score".into()];
        let out = PyList::empty(py);
        out.append(
            pairs
                .iter()
                .map(|p| p.mentee_id.as_str())
                .collect::<Vec<_>>(),
        )?;
        out.append(
            pairs
                .iter()
                .map(|p| p.mentor_id.as_str())
                .collect::<Vec<_>>(),
        )?;
        out.append(
            pairs
                .iter()
                .map(|p| p.score)
                .collect::<Vec<_>>()
                .into_pyarray(py),
        )?;
        // The built-in components always, in their order; then any other component a pair has.
        let mut components: Vec<crate::score::Component> = crate::score::Component::ALL.to_vec();
        let mut others = std::collections::BTreeSet::new();
        for p in pairs {
            others.extend(
                p.components
                    .keys()
                    .filter(|c| !components.contains(c))
                    .cloned(),
            );
        }
        components.extend(others);
        for c in &components {
            names.push(c.name().to_string());
            let values: Vec<f64> = pairs
                .iter()
                .map(|p| p.components.get(c).copied().unwrap_or(f64::NAN))
                .collect();
            out.append(values.into_pyarray(py))?;
        }
        names.push("pinned".into());
        out.append(
            pairs
                .iter()
                .map(|p| p.pinned)
                .collect::<Vec<_>>()
                .into_pyarray(py),
        )?;
        names.push("match_percent".into());
        out.append(
            pairs
                .iter()
                .map(|p| i64::from(p.match_percent))
                .collect::<Vec<_>>()
                .into_pyarray(py),
        )?;
        for (prefix, side) in [("mentee_", 0u8), ("mentor_", 1)] {
            fn extra(p: &crate::problem::MatchedPair, side: u8) -> &crate::cohort::Extra {
                if side == 0 {
                    &p.mentee_extra
                } else {
                    &p.mentor_extra
                }
            }
            let keys: std::collections::BTreeSet<&String> =
                pairs.iter().flat_map(|p| extra(p, side).keys()).collect();
            for key in keys {
                names.push(format!("{prefix}{key}"));
                let column = PyList::empty(py);
                for p in pairs {
                    match extra(p, side).get(key) {
                        Some(v) => column.append(json_to_py(py, v)?)?,
                        None => column.append(py.None())?,
                    }
                }
                out.append(column)?;
            }
        }
        Ok((names, out))
    }
}

/// A JSON value as the Python value `json.loads` would give.
fn json_to_py<'py>(py: Python<'py>, v: &serde_json::Value) -> PyResult<Bound<'py, PyAny>> {
    use pyo3::types::PyDict;
    use pyo3::IntoPyObjectExt;
    Ok(match v {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => b.into_bound_py_any(py)?,
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => i.into_bound_py_any(py)?,
            (None, Some(u)) => u.into_bound_py_any(py)?,
            _ => n.as_f64().unwrap_or(f64::NAN).into_bound_py_any(py)?,
        },
        Value::String(s) => s.into_bound_py_any(py)?,
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(json_to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, item) in map {
                dict.set_item(k, json_to_py(py, item)?)?;
            }
            dict.into_any()
        }
    })
}

/// A cohort prepared once (features, scores, mask, pins): solve, explain, audit and rematch it.
#[pyclass(frozen, name = "Problem", module = "mentorpair._core")]
pub(super) struct PyProblem {
    pub(super) inner: Arc<Problem>,
}

#[pymethods]
impl PyProblem {
    /// Read both tables, check the options the user set (a dict; the core's defaults apply to
    /// the rest) and prepare the problem.
    #[new]
    #[pyo3(signature = (mentees, mentors, options=None, protected=Vec::new(), embeddings=None))]
    fn new(
        py: Python<'_>,
        mentees: Source,
        mentors: Source,
        options: Option<&Bound<'_, PyAny>>,
        protected: Vec<String>,
        embeddings: Option<(Matrix<'_>, Matrix<'_>)>,
    ) -> PyResult<Self> {
        let options = options_value(options)?;
        let input = embeddings
            .as_ref()
            .map(|(a, b)| crate::score::beyond::EmbeddingInput {
                mentees: a.view(),
                mentors: b.view(),
            });
        let problem = run_detached(py, || {
            let config = MatchConfig::from_options(options)?;
            let cohort = read_cohort(&mentees, &mentors, &protected)?;
            Ok::<_, CoreError>(Problem::with_embeddings(cohort, config, input)?)
        })??;
        Ok(PyProblem {
            inner: Arc::new(problem),
        })
    }

    /// Solve and report; `options` are the solve options the user set (`objective`, `fairness`,
    /// `by`, `tolerance`, `rate_parity`); the rest are the problem's own.
    #[pyo3(signature = (options=None))]
    fn solve(&self, py: Python<'_>, options: Option<&Bound<'_, PyAny>>) -> PyResult<MatchOutcome> {
        let options = options_value(options)?;
        let problem = Arc::clone(&self.inner);
        let result = run_detached(py, move || {
            let options = solve_options(&problem, options)?;
            let solution = problem.solve_with(&options)?;
            Ok::<_, CoreError>(problem.result(&solution))
        })??;
        Ok(MatchOutcome {
            inner: Arc::new(result),
        })
    }

    /// Explain one pair by ids, matched or not; returns the PairReport as JSON.
    fn explain(&self, py: Python<'_>, mentee_id: &str, mentor_id: &str) -> PyResult<String> {
        let problem = Arc::clone(&self.inner);
        Ok(run_detached(py, move || {
            to_json(&problem.explain(mentee_id, mentor_id)?)
        })??)
    }

    /// Fairness audit of a result of this problem by protected columns; returns AuditReport JSON.
    /// `min_group_size=None` is the core's default.
    #[pyo3(signature = (result, by, min_group_size=None))]
    fn audit(
        &self,
        py: Python<'_>,
        result: &MatchOutcome,
        by: Vec<String>,
        min_group_size: Option<usize>,
    ) -> PyResult<String> {
        let (problem, result) = (Arc::clone(&self.inner), Arc::clone(&result.inner));
        Ok(run_detached(py, move || {
            let mut opts = AuditOptions::default();
            if let Some(m) = min_group_size {
                opts.min_group_size = m;
            }
            to_json(&problem.audit(&result, &by, &opts)?)
        })??)
    }

    /// Rematch against previous pairs; returns (the Rematch as JSON, the new matching).
    /// `keep_bonus=None` is the core's default; `options` are solve options as for `solve`.
    #[pyo3(signature = (previous, freeze, keep_bonus=None, options=None))]
    fn rematch(
        &self,
        py: Python<'_>,
        previous: Vec<(String, String)>,
        freeze: Vec<(String, String)>,
        keep_bonus: Option<f64>,
        options: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<(String, MatchOutcome)> {
        let options = options_value(options)?;
        let problem = Arc::clone(&self.inner);
        let (rematch, result) = run_detached(py, move || {
            let solve = solve_options(&problem, options)?;
            let options = RematchOptions::new(keep_bonus, pair_ids(freeze))?;
            let out = problem.rematch_with(&pair_ids(previous), &options, &solve)?;
            let json = to_json(&out.rematch)?;
            Ok::<_, CoreError>((json, out.result))
        })??;
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
                    problem.try_score_matrix().map_err(CoreError::from)
                })??;
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
