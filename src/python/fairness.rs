//! Binding for the fairness layer: plain Python lists in, the audit report out as JSON text
//! (turned into pandas frames by `mentorpair._fairness`). Conversions only.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use crate::fairness::{self, AuditOptions, FairnessError, GroupLabels, MatchedPair};

pub(super) fn fairness_err(e: FairnessError) -> PyErr {
    let msg = e.to_string();
    match e {
        FairnessError::Shape(_) | FairnessError::PairOutOfRange { .. } => {
            super::errors::ShapeError::new_err(msg)
        }
        _ => super::errors::MentorpairError::new_err(msg),
    }
}

type Keys = Vec<Vec<Option<String>>>;

/// Audit a matching by protected group. `pairs` are `(mentee_row, mentor_row, score,
/// component_values)`; keys hold one value (or None) per column of `by`. Returns the
/// `AuditReport` as JSON text.
#[pyfunction]
#[pyo3(signature = (by, mentee_keys, pairs, components, mentor_keys=None, mentor_capacity=None, min_group_size=5))]
#[allow(clippy::too_many_arguments)]
fn fairness_audit(
    py: Python<'_>,
    by: Vec<String>,
    mentee_keys: Keys,
    pairs: Vec<(usize, usize, f64, Vec<f64>)>,
    components: Vec<String>,
    mentor_keys: Option<Keys>,
    mentor_capacity: Option<Vec<u32>>,
    min_group_size: usize,
) -> PyResult<String> {
    let mentees = GroupLabels {
        columns: by.clone(),
        keys: mentee_keys,
    };
    let mentors = mentor_keys.map(|keys| GroupLabels { columns: by, keys });
    let capacity = mentor_capacity.unwrap_or_default();
    let pairs: Vec<MatchedPair> = pairs
        .into_iter()
        .map(|(mentee, mentor, score, components)| MatchedPair {
            mentee,
            mentor,
            score,
            components,
        })
        .collect();
    let opts = AuditOptions { min_group_size };
    let report = py
        .detach(|| {
            fairness::audit(
                &mentees,
                mentors.as_ref(),
                &capacity,
                &pairs,
                &components,
                &opts,
            )
        })
        .map_err(fairness_err)?;
    serde_json::to_string(&report).map_err(|e| PyValueError::new_err(e.to_string()))
}

pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(fairness_audit, m)?)?;
    Ok(())
}
