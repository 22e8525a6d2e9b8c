//! Component values of past pairs computed from the cohort tables of that time, with the
//! built-in scoring over features built once.

use std::collections::HashMap;

use ndarray::Array2;

use super::{HistoryFrame, LearnError};
use crate::cohort::Cohort;
use crate::features::Features;
use crate::score::{self, Component, ScoreConfig};

/// One [`HistoryFrame`] row per past pair: the ids and outcome as given, the built-in components
/// scored from `cohort`.
///
/// # Errors
/// [`LearnError::Shape`] for columns of different lengths, [`LearnError::UnknownId`] naming the
/// row for an id that is not in its table.
pub fn component_frame(
    cohort: &Cohort,
    mentee_ids: &[String],
    mentor_ids: &[String],
    outcomes: &[f64],
    cfg: &ScoreConfig,
) -> Result<HistoryFrame, LearnError> {
    let rows = outcomes.len();
    for (column, len) in [
        ("mentee_id", mentee_ids.len()),
        ("mentor_id", mentor_ids.len()),
    ] {
        if len != rows {
            return Err(LearnError::Shape {
                column: column.into(),
                len,
                rows,
            });
        }
    }
    let index = |people: &[crate::cohort::Person]| -> HashMap<String, usize> {
        people
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.clone(), i))
            .collect()
    };
    let (e_idx, m_idx) = (index(&cohort.mentees.people), index(&cohort.mentors.people));
    let mut pairs = Vec::with_capacity(rows);
    for r in 0..rows {
        let look = |map: &HashMap<String, usize>, id: &String, column, table| {
            map.get(id).copied().ok_or_else(|| LearnError::UnknownId {
                row: r + 1,
                column,
                table,
                id: id.clone(),
            })
        };
        pairs.push((
            look(&e_idx, &mentee_ids[r], "mentee_id", "mentees")?,
            look(&m_idx, &mentor_ids[r], "mentor_id", "mentors")?,
        ));
    }
    let features = Features::build(&cohort.mentees.people, &cohort.mentors.people, cfg.date());
    let names: Vec<String> = Component::ALL
        .iter()
        .map(|c| c.name().to_string())
        .collect();
    let mut values = Array2::<f64>::zeros((rows, names.len()));
    for (r, &(i, j)) in pairs.iter().enumerate() {
        let v = score::components(&features.mentees[i], &features.mentors[j], cfg);
        for (c, x) in v.iter().enumerate() {
            values[[r, c]] = *x;
        }
    }
    Ok(HistoryFrame {
        components: names,
        mentee_ids: mentee_ids.to_vec(),
        mentor_ids: mentor_ids.to_vec(),
        outcomes: outcomes.to_vec(),
        values,
    })
}
