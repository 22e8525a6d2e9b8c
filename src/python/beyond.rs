//! Binding for the "beyond exact tags" parts: embedding and text similarity matrices, weight
//! learning and synthetic outcome histories. Conversions only; GIL released around the work.

use numpy::{IntoPyArray, PyArray1, PyArray2, PyReadonlyArray1, PyReadonlyArray2};
use pyo3::prelude::*;

use super::errors::{CoreError, MentorpairError};
use super::matching::{read_cohort, Source};
use super::options::options_value;
use super::problem::Matrix;
use super::threads::run_detached;

use crate::learn::{self, FitOptions, HistoryFrame};
use crate::problem::MatchConfig;
use crate::score::embedding;
use crate::score::text::{TextConfig, TextIndex};
use crate::synthetic::history::{self, HistorySpec};

fn value_error(e: impl std::fmt::Display) -> PyErr {
    MentorpairError::new_err(e.to_string())
}

/// What each fit, history and scoring option allows (for messages naming the option).
const OPTIONS: crate::options::AllowedTable = &[
    (
        "scale",
        "\"binary\" or \"rating\" (or none to tell from the outcomes)",
    ),
    ("lambda", "a finite number of 0 or more, e.g. 1.0"),
    ("holdout", "a share in [0, 1), e.g. 0.2"),
    ("seed", "a whole number from 0"),
    ("max_iters", "a whole number from 1, e.g. 500"),
];

/// Options from JSON (empty = the defaults); an error is a `ConfigError` naming the option.
fn parse<T: serde::de::DeserializeOwned + Default>(json: &str, _what: &str) -> PyResult<T> {
    if json.trim().is_empty() {
        return Ok(T::default());
    }
    let mut allowed: Vec<(&str, &str)> = OPTIONS.to_vec();
    allowed.extend_from_slice(crate::problem::MATCH_OPTIONS);
    crate::options::from_json(json, &[], &allowed).map_err(|e| CoreError::from(e).into())
}

/// A history frame as Python receives it: (components, mentee ids, mentor ids, outcomes, values).
type FrameOut<'py> = (
    Vec<String>,
    Vec<String>,
    Vec<String>,
    Bound<'py, PyArray1<f64>>,
    Bound<'py, PyArray2<f64>>,
);

fn frame_out(py: Python<'_>, f: HistoryFrame) -> FrameOut<'_> {
    (
        f.components,
        f.mentee_ids,
        f.mentor_ids,
        f.outcomes.into_pyarray(py),
        f.values.into_pyarray(py),
    )
}

/// `max(0, cos)` of every mentee row against every mentor row (float64 matrices read in place);
/// returns (values, zero mentee rows, zero mentor rows).
#[pyfunction]
#[pyo3(signature = (mentees, mentors, neutral=0.5))]
#[allow(clippy::type_complexity)]
fn embedding_similarity<'py>(
    py: Python<'py>,
    mentees: PyReadonlyArray2<'py, f64>,
    mentors: PyReadonlyArray2<'py, f64>,
    neutral: f64,
) -> PyResult<(Bound<'py, PyArray2<f64>>, Vec<usize>, Vec<usize>)> {
    let (a, b) = (mentees.as_array(), mentors.as_array());
    let s = run_detached(py, || embedding::cosine_scores(a, b, neutral))?.map_err(value_error)?;
    Ok((s.values.into_pyarray(py), s.zero_mentees, s.zero_mentors))
}

/// BM25 text similarity of every mentee text against every mentor text (`None` = no text).
#[pyfunction]
#[pyo3(signature = (mentee_texts, mentor_texts, config_json="", neutral=0.5))]
fn text_similarity<'py>(
    py: Python<'py>,
    mentee_texts: Vec<Option<String>>,
    mentor_texts: Vec<Option<String>>,
    config_json: &str,
    neutral: f64,
) -> PyResult<Bound<'py, PyArray2<f64>>> {
    let cfg: TextConfig = parse(config_json, "text options")?;
    let m = run_detached(py, || {
        TextIndex::build(&mentee_texts, &mentor_texts, &cfg).map(|i| i.matrix(neutral))
    })?
    .map_err(value_error)?;
    Ok(m.into_pyarray(py))
}

/// Shared terms of one mentee text and one mentor text, most informative first, with the value.
#[pyfunction]
#[pyo3(signature = (mentee_texts, mentor_texts, i, j, config_json=""))]
fn text_evidence(
    mentee_texts: Vec<Option<String>>,
    mentor_texts: Vec<Option<String>>,
    i: usize,
    j: usize,
    config_json: &str,
) -> PyResult<(Option<f64>, Vec<String>)> {
    let cfg: TextConfig = parse(config_json, "text options")?;
    let idx = TextIndex::build(&mentee_texts, &mentor_texts, &cfg).map_err(value_error)?;
    Ok((idx.value(i, j), idx.evidence(i, j).shared))
}

/// Fit weights to a frame of component values; returns the `WeightFit` as JSON.
#[pyfunction]
#[pyo3(signature = (components, mentee_ids, mentor_ids, outcomes, values, options_json=""))]
fn fit_weights_frame(
    py: Python<'_>,
    components: Vec<String>,
    mentee_ids: Vec<String>,
    mentor_ids: Vec<String>,
    outcomes: PyReadonlyArray1<'_, f64>,
    values: PyReadonlyArray2<'_, f64>,
    options_json: &str,
) -> PyResult<String> {
    let options: FitOptions = parse(options_json, "fit options")?;
    let frame = HistoryFrame {
        components,
        mentee_ids,
        mentor_ids,
        outcomes: outcomes.as_array().to_vec(),
        values: values.as_array().to_owned(),
    };
    Ok(run_detached(py, || {
        let fit = learn::fit_weights(&frame, None, &options)?;
        serde_json::to_string(&fit).map_err(|e| CoreError::Other(e.to_string()))
    })??)
}

/// The component values of past pairs, scored from the cohort tables of that time under the
/// match options the user set (a dict, as `Problem` takes them) and optional embedding matrices.
#[pyfunction]
#[pyo3(signature = (mentees, mentors, mentee_ids, mentor_ids, outcomes, options=None, protected=Vec::new(), embeddings=None))]
#[allow(clippy::too_many_arguments)]
fn history_components<'py>(
    py: Python<'py>,
    mentees: Source,
    mentors: Source,
    mentee_ids: Vec<String>,
    mentor_ids: Vec<String>,
    outcomes: Vec<f64>,
    options: Option<&Bound<'py, PyAny>>,
    protected: Vec<String>,
    embeddings: Option<(Matrix<'py>, Matrix<'py>)>,
) -> PyResult<FrameOut<'py>> {
    let options = options_value(options)?;
    let input = embedding_input(&embeddings);
    let frame = run_detached(py, || {
        let config = MatchConfig::from_options(options)?;
        let cohort = read_cohort(&mentees, &mentors, &protected)?;
        Ok::<_, CoreError>(learn::frame::component_frame_with(
            &cohort,
            &mentee_ids,
            &mentor_ids,
            &outcomes,
            &config,
            input.as_ref(),
        )?)
    })??;
    Ok(frame_out(py, frame))
}

/// A seeded outcome history of the cohort under a `HistorySpec` (JSON), with the components
/// the match options (a dict) and optional embedding matrices give.
#[pyfunction]
#[pyo3(signature = (mentees, mentors, spec_json, options=None, protected=Vec::new(), embeddings=None))]
fn synthetic_history<'py>(
    py: Python<'py>,
    mentees: Source,
    mentors: Source,
    spec_json: &str,
    options: Option<&Bound<'py, PyAny>>,
    protected: Vec<String>,
    embeddings: Option<(Matrix<'py>, Matrix<'py>)>,
) -> PyResult<FrameOut<'py>> {
    let spec: HistorySpec = parse(spec_json, "history spec")?;
    let options = options_value(options)?;
    let input = embedding_input(&embeddings);
    let frame = run_detached(py, || {
        let config = MatchConfig::from_options(options)?;
        let cohort = read_cohort(&mentees, &mentors, &protected)?;
        history::history_with(&cohort, &spec, &config, input.as_ref())
            .map_err(|e| CoreError::Other(e.to_string()))
    })??;
    Ok(frame_out(py, frame))
}

fn embedding_input<'a>(
    m: &'a Option<(Matrix<'_>, Matrix<'_>)>,
) -> Option<crate::score::beyond::EmbeddingInput<'a>> {
    m.as_ref()
        .map(|(a, b)| crate::score::beyond::EmbeddingInput {
            mentees: a.view(),
            mentors: b.view(),
        })
}

/// Tag -> group rows (JSON list of `{"tag", "group", "credit"?}`) as taxonomy groups (JSON);
/// a tag given two groups is an error naming both rows.
#[pyfunction]
fn taxonomy_groups(rows_json: &str) -> PyResult<String> {
    let rows: Vec<crate::score::taxonomy::TaxonomyRow> = serde_json::from_str(rows_json)
        .map_err(|e| value_error(format!("invalid taxonomy: {e}")))?;
    let groups = crate::score::taxonomy::groups_from_rows(&rows).map_err(value_error)?;
    serde_json::to_string(&groups).map_err(value_error)
}

/// Address of the first element as `embedding_similarity` reads it (zero-copy test).
#[pyfunction]
fn _embedding_address(m: PyReadonlyArray2<'_, f64>) -> usize {
    m.as_array().as_ptr() as usize
}

pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(embedding_similarity, m)?)?;
    m.add_function(wrap_pyfunction!(text_similarity, m)?)?;
    m.add_function(wrap_pyfunction!(text_evidence, m)?)?;
    m.add_function(wrap_pyfunction!(fit_weights_frame, m)?)?;
    m.add_function(wrap_pyfunction!(history_components, m)?)?;
    m.add_function(wrap_pyfunction!(synthetic_history, m)?)?;
    m.add_function(wrap_pyfunction!(_embedding_address, m)?)?;
    m.add_function(wrap_pyfunction!(taxonomy_groups, m)?)?;
    Ok(())
}
