//! Binding for blockwise matching (`mentorpair.dask`): partition summaries as JSON, the block
//! scorer and the central solve as frozen classes, candidates and duals as numpy arrays.
//! Conversions only; all logic is in `crate::distributed`. The GIL is released around real work.

use std::sync::Mutex;

use numpy::{IntoPyArray, PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;

use super::errors::{CoreError, MentorpairError};
use super::matching::Source;
use super::threads::run_detached;
use crate::cohort::{Role, Table};
use crate::distributed::{
    default_budget, BlockCandidates, BlockCheck, BlockScorer, CentralSolve, MenteeContext,
    PartitionSummary, Triples, DEFAULT_K_MENTEE, DEFAULT_K_MENTOR,
};
use crate::problem::MatchConfig;

/// A message of the binding's own (a malformed array or summary): the base class.
fn err(e: impl std::fmt::Display) -> PyErr {
    MentorpairError::new_err(e.to_string())
}

/// A core error as its typed exception (`InputError`, `ConfigError`, ...), as everywhere else.
fn typed(e: impl Into<CoreError>) -> PyErr {
    PyErr::from(e.into())
}

fn read_table(role: Role, source: &Source, protected: &[String]) -> Result<Table, CoreError> {
    Ok(super::tables::load(role, source, protected)?)
}

fn read_pair(
    mentees: &Source,
    mentors: &Source,
    protected: &[String],
) -> Result<(Table, Table), CoreError> {
    let cohort = super::matching::read_cohort(mentees, mentors, protected)?;
    Ok((cohort.mentees, cohort.mentors))
}

type Arrays<'py> = (
    Bound<'py, PyArray1<u64>>,
    Bound<'py, PyArray1<u32>>,
    Bound<'py, PyArray1<f64>>,
);

fn arrays(py: Python<'_>, t: Triples) -> Arrays<'_> {
    (
        t.rows.into_pyarray(py),
        t.cols.into_pyarray(py),
        t.scores.into_pyarray(py),
    )
}

type ArraysIn<'py> = (
    PyReadonlyArray1<'py, u64>,
    PyReadonlyArray1<'py, u32>,
    PyReadonlyArray1<'py, f64>,
);

fn triples(t: &ArraysIn<'_>) -> PyResult<Triples> {
    let (r, c, s) = (t.0.as_slice()?, t.1.as_slice()?, t.2.as_slice()?);
    if r.len() != c.len() || r.len() != s.len() {
        return Err(err(format!(
            "candidate arrays have {}, {} and {} entries; rows, columns and scores must agree",
            r.len(),
            c.len(),
            s.len()
        )));
    }
    Ok(Triples {
        rows: r.to_vec(),
        cols: c.to_vec(),
        scores: s.to_vec(),
    })
}

/// Summarise one mentee partition (JSON), reading its wishes against the mentor table.
#[pyfunction]
fn dask_summary(
    py: Python<'_>,
    mentees: Source,
    mentors: Source,
    protected: Vec<String>,
) -> PyResult<String> {
    run_detached(py, move || {
        let (a, b) = read_pair(&mentees, &mentors, &protected)?;
        let s = PartitionSummary::of(&a, &b)?;
        serde_json::to_string(&s).map_err(|e| CoreError::Other(e.to_string()))
    })?
    .map_err(typed)
}

/// Defaults of the blockwise match: `(k_mentee, k_mentor, max_rounds, per_row)`.
#[pyfunction]
fn dask_defaults() -> (usize, usize, usize, usize) {
    let b = default_budget();
    (DEFAULT_K_MENTEE, DEFAULT_K_MENTOR, b.max_rounds, b.per_row)
}

/// One mentee partition prepared against the full mentor table.
#[pyclass(frozen, name = "DaskBlock", module = "mentorpair._core")]
struct PyDaskBlock {
    inner: BlockScorer,
}

#[pymethods]
impl PyDaskBlock {
    /// Read the partition (first global row `offset`) and the mentors, and prepare them with
    /// the cohort-wide context (JSON from `DaskCentral.worker_context`).
    #[new]
    fn new(
        py: Python<'_>,
        mentees: Source,
        mentors: Source,
        config_json: &str,
        protected: Vec<String>,
        context_json: &str,
        offset: usize,
    ) -> PyResult<Self> {
        let inner = run_detached(py, || {
            let config = MatchConfig::from_options_json(config_json)?;
            let ctx: MenteeContext = serde_json::from_str(context_json)
                .map_err(|e| CoreError::Other(format!("invalid context: {e}")))?;
            let (a, b) = read_pair(&mentees, &mentors, &protected)?;
            Ok::<_, CoreError>(BlockScorer::new(a, &b, config, &ctx, offset)?)
        })?
        .map_err(typed)?;
        Ok(PyDaskBlock { inner })
    }

    /// Top-k candidates: (mentee-side rows, cols, scores, mentor-side rows, cols, scores, pin
    /// rows, cols, scores).
    #[allow(clippy::type_complexity)]
    fn top_k<'py>(
        &self,
        py: Python<'py>,
        k_mentee: usize,
        k_mentor: usize,
    ) -> PyResult<(Arrays<'py>, Arrays<'py>, Arrays<'py>)> {
        let c = run_detached(py, || self.inner.top_k(k_mentee, k_mentor))?.map_err(typed)?;
        Ok((
            arrays(py, c.mentee_side),
            arrays(py, c.mentor_side),
            arrays(py, c.pins),
        ))
    }

    /// Reduced-cost check against the duals: (violator rows, cols, scores), violating,
    /// pairs_checked, coverage_gap, gap.
    #[allow(clippy::too_many_arguments, clippy::type_complexity)]
    fn check<'py>(
        &self,
        py: Python<'py>,
        row_duals: PyReadonlyArray1<'py, f64>,
        row_count_duals: PyReadonlyArray1<'py, i64>,
        col_duals: PyReadonlyArray1<'py, f64>,
        col_count_duals: PyReadonlyArray1<'py, i64>,
        used_rows: PyReadonlyArray1<'py, u64>,
        used_cols: PyReadonlyArray1<'py, u32>,
        per_row: usize,
    ) -> PyResult<(Arrays<'py>, u64, u64, i64, f64)> {
        let (u, ku, v, kv) = (
            row_duals.as_slice()?,
            row_count_duals.as_slice()?,
            col_duals.as_slice()?,
            col_count_duals.as_slice()?,
        );
        let used: Vec<(usize, usize)> = used_rows
            .as_slice()?
            .iter()
            .zip(used_cols.as_slice()?)
            .map(|(&r, &c)| (r as usize, c as usize))
            .collect();
        let c =
            run_detached(py, || self.inner.check(u, ku, v, kv, &used, per_row))?.map_err(typed)?;
        Ok((
            arrays(py, c.violations),
            c.violating,
            c.pairs_checked,
            c.coverage_gap,
            c.gap,
        ))
    }
}

/// The central step: candidates gathered, pins checked, the sparse solve resumed per round.
#[pyclass(frozen, name = "DaskCentral", module = "mentorpair._core")]
struct PyDaskCentral {
    ctx: MenteeContext,
    mentor_ids: Vec<String>,
    inner: Mutex<CentralSolve>,
}

impl PyDaskCentral {
    fn lock(&self) -> PyResult<std::sync::MutexGuard<'_, CentralSolve>> {
        self.inner
            .lock()
            .map_err(|_| err("the central solve failed in another thread"))
    }
}

#[pymethods]
impl PyDaskCentral {
    /// Merge the partitions' summaries (JSON, in partition order) and resolve the options
    /// against the whole cohort.
    #[new]
    fn new(
        py: Python<'_>,
        summaries: Vec<String>,
        mentors: Source,
        config_json: &str,
        protected: Vec<String>,
    ) -> PyResult<Self> {
        let (ctx, ids, central) = run_detached(py, || {
            let config = MatchConfig::from_options_json(config_json)?;
            let parts = summaries
                .iter()
                .map(|s| serde_json::from_str::<PartitionSummary>(s))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| CoreError::Other(format!("invalid summary: {e}")))?;
            let ctx = MenteeContext::merge(&parts)?;
            let b = read_table(Role::Mentor, &mentors, &protected)?;
            let central = CentralSolve::new(&ctx, &b, &config)?;
            let ids: Vec<String> = b.people.into_iter().map(|p| p.id).collect();
            Ok::<_, CoreError>((ctx, ids, central))
        })?
        .map_err(typed)?;
        Ok(PyDaskCentral {
            ctx,
            mentor_ids: ids,
            inner: Mutex::new(central),
        })
    }

    /// The context every partition needs (JSON).
    fn worker_context(&self, py: Python<'_>) -> PyResult<String> {
        run_detached(py, || serde_json::to_string(&self.ctx.worker_view()))?.map_err(err)
    }

    /// First global row of each partition, and the total at the end.
    fn offsets(&self) -> Vec<usize> {
        self.ctx.offsets.clone()
    }

    /// Mentee ids in global row order.
    fn mentee_ids(&self) -> Vec<String> {
        self.ctx.ids.clone()
    }

    /// `mentors_wanted` in global row order.
    fn mentee_wanted<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<u32>> {
        self.ctx.capacity.clone().into_pyarray(py)
    }

    /// Mentor ids in column order.
    fn mentor_ids(&self) -> Vec<String> {
        self.mentor_ids.clone()
    }

    /// Gather every partition's `top_k` arrays and solve once.
    fn start(
        &self,
        py: Python<'_>,
        parts: Vec<(ArraysIn<'_>, ArraysIn<'_>, ArraysIn<'_>)>,
        k_mentor: usize,
    ) -> PyResult<()> {
        let parts = parts
            .iter()
            .map(|(a, b, c)| {
                Ok(BlockCandidates {
                    mentee_side: triples(a)?,
                    mentor_side: triples(b)?,
                    pins: triples(c)?,
                })
            })
            .collect::<PyResult<Vec<_>>>()?;
        let mut guard = self.lock()?;
        let central: &mut CentralSolve = &mut guard;
        run_detached(py, || central.start(&parts, k_mentor))?.map_err(typed)
    }

    /// Duals and matched pairs for the partition of global rows `offset..offset + len`:
    /// (u, ku, v, kv, used rows, used cols).
    #[allow(clippy::type_complexity)]
    fn duals<'py>(
        &self,
        py: Python<'py>,
        offset: usize,
        len: usize,
    ) -> PyResult<(
        Bound<'py, PyArray1<f64>>,
        Bound<'py, PyArray1<i64>>,
        Bound<'py, PyArray1<f64>>,
        Bound<'py, PyArray1<i64>>,
        Bound<'py, PyArray1<u64>>,
        Bound<'py, PyArray1<u32>>,
    )> {
        let central = self.lock()?;
        let m = central
            .matching()
            .ok_or_else(|| err("duals before start"))?;
        let end = offset.saturating_add(len);
        if end > m.row_duals.len() {
            return Err(err(format!(
                "rows {offset}..{end} outside the {} mentees",
                m.row_duals.len()
            )));
        }
        let (rows, cols): (Vec<u64>, Vec<u32>) = m
            .pairs
            .iter()
            .filter(|p| (offset..end).contains(&p.0))
            .map(|&(r, c)| (r as u64, c as u32))
            .unzip();
        Ok((
            m.row_duals[offset..end].to_vec().into_pyarray(py),
            m.row_count_duals[offset..end].to_vec().into_pyarray(py),
            m.col_duals.clone().into_pyarray(py),
            m.col_count_duals.clone().into_pyarray(py),
            rows.into_pyarray(py),
            cols.into_pyarray(py),
        ))
    }

    /// Record a round of partition checks; unless certified and when `resume`, add the
    /// violators and resume the solve from its duals. Returns whether it is certified.
    fn record(
        &self,
        py: Python<'_>,
        checks: Vec<(ArraysIn<'_>, u64, u64, i64, f64)>,
        resume: bool,
    ) -> PyResult<bool> {
        let checks = checks
            .iter()
            .map(|(t, violating, pairs_checked, coverage_gap, gap)| {
                Ok(BlockCheck {
                    violations: triples(t)?,
                    violating: *violating,
                    pairs_checked: *pairs_checked,
                    coverage_gap: *coverage_gap,
                    gap: *gap,
                })
            })
            .collect::<PyResult<Vec<_>>>()?;
        let mut guard = self.lock()?;
        let central: &mut CentralSolve = &mut guard;
        run_detached(py, || {
            let certified = central.record(&checks);
            if !certified && resume {
                central.add_violations(&checks)?;
            }
            Ok::<_, crate::problem::MatchError>(certified)
        })?
        .map_err(typed)
    }

    /// `(certified, rounds, pairs_checked, gap, coverage_gap, candidates)`.
    fn certificate(&self) -> PyResult<(bool, usize, u64, f64, i64, usize)> {
        let central = self.lock()?;
        let c = central.certificate();
        Ok((
            c.certified,
            c.rounds,
            c.pairs_checked,
            c.gap,
            c.coverage_gap,
            central.candidates(),
        ))
    }

    /// The pairs, pins included: (rows, cols, scores, pinned).
    #[allow(clippy::type_complexity)]
    fn pairs<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(
        Bound<'py, PyArray1<u64>>,
        Bound<'py, PyArray1<u32>>,
        Bound<'py, PyArray1<f64>>,
        Bound<'py, PyArray1<bool>>,
    )> {
        let central = self.lock()?;
        let p = central.pairs();
        Ok((
            p.iter()
                .map(|x| x.0 as u64)
                .collect::<Vec<_>>()
                .into_pyarray(py),
            p.iter()
                .map(|x| x.1 as u32)
                .collect::<Vec<_>>()
                .into_pyarray(py),
            p.iter().map(|x| x.2).collect::<Vec<_>>().into_pyarray(py),
            p.iter().map(|x| x.3).collect::<Vec<_>>().into_pyarray(py),
        ))
    }
}

pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(dask_summary, m)?)?;
    m.add_function(wrap_pyfunction!(dask_defaults, m)?)?;
    m.add_class::<PyDaskBlock>()?;
    m.add_class::<PyDaskCentral>()?;
    Ok(())
}
