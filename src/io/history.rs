//! The history of earlier rounds, one reader for every front end: a table of past pairs with
//! `mentee_id`, `mentor_id` (empty = the mentee took part but got no mentor), `round` (an
//! integer) or `date` (`YYYY-MM-DD`), and an optional numeric `outcome`. Other columns are
//! ignored. The cells arrive as text from a CSV file or from a DataFrame.

use super::safe_csv::restore;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::io::Read;
use std::path::Path;

/// One row of the history: a past pair, or a mentee left unmatched in a round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PastPair {
    /// The mentee.
    pub mentee_id: String,
    /// The mentor; `None` when the mentee took part in the round and got no mentor.
    #[serde(default)]
    pub mentor_id: Option<String>,
    /// The round number, when the history has a `round` column.
    #[serde(default)]
    pub round: Option<i64>,
    /// The round's date (`YYYY-MM-DD`), when the history has a `date` column.
    #[serde(default)]
    pub date: Option<NaiveDate>,
    /// How the pair went (any number, e.g. 0/1 or a 1–5 rating), when given.
    #[serde(default)]
    pub outcome: Option<f64>,
}

impl PastPair {
    /// The round this row belongs to, as a sortable key: the round number, else the date, else
    /// the row itself (`row`, 1-based) when the history has neither.
    pub fn round_key(&self, row: usize) -> (u8, i64) {
        match (self.round, self.date) {
            (Some(r), _) => (0, r),
            (None, Some(d)) => (1, i64::from(d.num_days_from_ce())),
            (None, None) => (2, row as i64),
        }
    }
}

/// A problem with a history table. Every message names the table (file), the row, the column
/// and the value, and says what to do.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum HistoryError {
    /// Not readable, not UTF-8, or not well-formed CSV.
    #[error("{source_name}: {message}")]
    Malformed {
        /// The file (or `history`).
        source_name: String,
        /// What is wrong, with the row when known.
        message: String,
    },
    /// `mentee_id` or `mentor_id` is missing from the header.
    #[error("{source_name}: missing column `{column}`; a history needs mentee_id and mentor_id, and round or date (columns found: {seen})")]
    MissingColumn {
        /// The file.
        source_name: String,
        /// The missing column.
        column: String,
        /// The header as read.
        seen: String,
    },
    /// A further column a reader asked for is missing from the header.
    #[error("{source_name}: missing column `{column}` (columns found: {seen}); add the column or do not ask for it")]
    MissingValueColumn {
        /// The file.
        source_name: String,
        /// The missing column.
        column: String,
        /// The header as read.
        seen: String,
    },
    /// A cell that cannot be read.
    #[error("{source_name} row {row}, column `{column}`: {value:?} {problem}")]
    BadCell {
        /// The file.
        source_name: String,
        /// 1-based data row.
        row: usize,
        /// The column.
        column: String,
        /// The cell as given.
        value: String,
        /// What is wrong and the fix.
        problem: String,
    },
    /// An id that is in neither the mentees nor the mentors table.
    #[error("{source_name} row {row}, column `{column}`: no {table} has id {id:?}; history may only name people in this round's tables (drop the rows of people who left)")]
    UnknownId {
        /// The file.
        source_name: String,
        /// 1-based data row.
        row: usize,
        /// `mentee_id` or `mentor_id`.
        column: String,
        /// `mentee` or `mentor`.
        table: String,
        /// The id.
        id: String,
    },
}

/// The history from a table of text cells: `columns` names each cell of every row (`None` = an
/// empty cell). `round` must be an integer, `date` a `YYYY-MM-DD` date, `outcome` a finite
/// number; `mentee_id` must not be empty.
///
/// # Errors
/// [`HistoryError::MissingColumn`] or [`HistoryError::BadCell`], naming `source_name`, the row
/// and the column.
pub fn history_from_cells(
    columns: &[String],
    rows: &[Vec<Option<String>>],
    source_name: &str,
) -> Result<Vec<PastPair>, HistoryError> {
    let find = |name: &str| columns.iter().position(|c| c.trim() == name);
    let need = |name: &str| {
        find(name).ok_or_else(|| HistoryError::MissingColumn {
            source_name: source_name.to_string(),
            column: name.to_string(),
            seen: columns.join(", "),
        })
    };
    let (ce, cm) = (need("mentee_id")?, need("mentor_id")?);
    let (cr, cd, co) = (find("round"), find("date"), find("outcome"));
    let mut out = Vec::with_capacity(rows.len());
    for (k, cells) in rows.iter().enumerate() {
        let row = k + 1;
        let cell = |c: usize| -> Option<&str> {
            cells
                .get(c)
                .and_then(|v| v.as_deref())
                .map(str::trim)
                .filter(|s| !s.is_empty())
        };
        let bad = |c: usize, value: &str, problem: &str| HistoryError::BadCell {
            source_name: source_name.to_string(),
            row,
            column: columns[c].trim().to_string(),
            value: value.to_string(),
            problem: problem.to_string(),
        };
        let mentee_id = cell(ce)
            .ok_or_else(|| bad(ce, "", "is empty; every history row names its mentee"))?
            .to_string();
        let round =
            match cr.and_then(|c| cell(c).map(|v| (c, v))) {
                None => None,
                Some((c, v)) => Some(parse_round(v).ok_or_else(|| {
                    bad(c, v, "is not a round number; use a whole number such as 3")
                })?),
            };
        let date = match cd.and_then(|c| cell(c).map(|v| (c, v))) {
            None => None,
            Some((c, v)) => Some(
                NaiveDate::parse_from_str(v, "%Y-%m-%d")
                    .map_err(|_| bad(c, v, "is not a date; write it as YYYY-MM-DD"))?,
            ),
        };
        let outcome = match co.and_then(|c| cell(c).map(|v| (c, v))) {
            None => None,
            Some((c, v)) => Some(
                v.parse::<f64>()
                    .ok()
                    .filter(|x| x.is_finite())
                    .ok_or_else(|| bad(c, v, "is not a number; use e.g. 0/1 or a 1-5 rating"))?,
            ),
        };
        out.push(PastPair {
            mentee_id,
            mentor_id: cell(cm).map(str::to_string),
            round,
            date,
            outcome,
        });
    }
    Ok(out)
}

/// A round number: an integer, also when written as `3.0` (pandas writes integer columns with
/// missing values as floats).
fn parse_round(v: &str) -> Option<i64> {
    if let Ok(r) = v.parse::<i64>() {
        return Some(r);
    }
    let x = v.parse::<f64>().ok()?;
    (x.is_finite() && x.fract() == 0.0 && x.abs() < 9.0e15).then_some(x as i64)
}

/// A history table as text cells: the header and every row, read by the one CSV reader of
/// histories. Readers that need more than [`PastPair`] (the component columns of
/// `fit-weights`) take their columns from here with [`HistoryCells::numbers`].
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryCells {
    /// The file (or `history`), as errors name it.
    pub source_name: String,
    /// The header, trimmed.
    pub columns: Vec<String>,
    /// One entry per cell of every data row.
    pub rows: Vec<Vec<Option<String>>>,
}

impl HistoryCells {
    /// Read the cells of CSV text (well-formed, every row as wide as the header).
    ///
    /// # Errors
    /// [`HistoryError::Malformed`].
    pub fn from_csv<R: Read>(reader: R, source_name: &str) -> Result<HistoryCells, HistoryError> {
        let malformed = |message: String| HistoryError::Malformed {
            source_name: source_name.to_string(),
            message,
        };
        let mut rdr = csv::ReaderBuilder::new()
            .flexible(false)
            .trim(csv::Trim::All)
            .from_reader(reader);
        let columns = rdr
            .headers()
            .map_err(|e| malformed(format!("cannot read the header: {e}")))?
            .iter()
            .map(|h| restore(h.trim_start_matches('\u{feff}').trim()).to_string())
            .collect::<Vec<_>>();
        let mut rows = Vec::new();
        for (k, record) in rdr.records().enumerate() {
            let record = record.map_err(|e| malformed(format!("row {}: {e}", k + 1)))?;
            rows.push(
                record
                    .iter()
                    .map(|s| Some(restore(s).to_string()))
                    .collect(),
            );
        }
        Ok(HistoryCells {
            source_name: source_name.to_string(),
            columns,
            rows,
        })
    }

    /// Read the cells of a CSV file.
    ///
    /// # Errors
    /// [`HistoryError::Malformed`], also for an unreadable file.
    pub fn from_path(path: &Path) -> Result<HistoryCells, HistoryError> {
        let name = path.display().to_string();
        let file = std::fs::File::open(path).map_err(|e| HistoryError::Malformed {
            source_name: name.clone(),
            message: format!("cannot read: {e}; check the path"),
        })?;
        HistoryCells::from_csv(std::io::BufReader::new(file), &name)
    }

    /// The past pairs ([`history_from_cells`]).
    ///
    /// # Errors
    /// As [`history_from_cells`].
    pub fn pairs(&self) -> Result<Vec<PastPair>, HistoryError> {
        history_from_cells(&self.columns, &self.rows, &self.source_name)
    }

    /// The column `name` as a finite number in every row, with the same rules and messages as
    /// `outcome`.
    ///
    /// # Errors
    /// [`HistoryError::MissingValueColumn`] when there is no such column, [`HistoryError::BadCell`]
    /// for an empty cell or one that is not a finite number.
    pub fn numbers(&self, name: &str) -> Result<Vec<f64>, HistoryError> {
        let c = self
            .columns
            .iter()
            .position(|h| h.trim() == name)
            .ok_or_else(|| HistoryError::MissingValueColumn {
                source_name: self.source_name.clone(),
                column: name.to_string(),
                seen: self.columns.join(", "),
            })?;
        self.rows
            .iter()
            .enumerate()
            .map(|(k, cells)| {
                let v = cells
                    .get(c)
                    .and_then(|v| v.as_deref())
                    .map(str::trim)
                    .unwrap_or("");
                v.parse::<f64>()
                    .ok()
                    .filter(|x| x.is_finite())
                    .ok_or_else(|| HistoryError::BadCell {
                        source_name: self.source_name.clone(),
                        row: k + 1,
                        column: name.to_string(),
                        value: v.to_string(),
                        problem: "is not a number; every row needs a finite number here".into(),
                    })
            })
            .collect()
    }
}

/// Read a history from CSV text.
///
/// # Errors
/// See [`HistoryError`].
pub fn read_history_csv<R: Read>(
    reader: R,
    source_name: &str,
) -> Result<Vec<PastPair>, HistoryError> {
    HistoryCells::from_csv(reader, source_name)?.pairs()
}

/// Read a history from a CSV file.
///
/// # Errors
/// See [`HistoryError`]; an unreadable file is [`HistoryError::Malformed`].
pub fn read_history_path(path: &Path) -> Result<Vec<PastPair>, HistoryError> {
    HistoryCells::from_path(path)?.pairs()
}

/// A history resolved against this round's tables: which pairs met before and in how many
/// earlier rounds each mentee was left without a mentor.
///
/// A mentee counts as *unmatched in a round* when the history has a row for them in that round
/// with an empty `mentor_id` and no row pairing them with a mentor in the same round. Rounds are
/// told apart by `round`, else by `date`; a history with neither counts each such row as a
/// round of its own. A mentee absent from a round is not counted: the history cannot tell
/// whether they took part.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rounds {
    /// `(mentee row, mentor column)` of every past pair, sorted, without repeats.
    pub paired_before: Vec<(usize, usize)>,
    /// Per mentee row: earlier rounds in which the mentee was left unmatched.
    pub unmatched_rounds: Vec<u32>,
}

impl Rounds {
    /// Resolve `history` against the mentee and mentor ids of this round (`mentee_row` and
    /// `mentor_col` look an id up). `source_name` names the history in errors.
    ///
    /// # Errors
    /// [`HistoryError::UnknownId`] for an id in neither table, naming the row and column.
    pub fn resolve(
        history: &[PastPair],
        mentees: usize,
        mentee_row: impl Fn(&str) -> Option<usize>,
        mentor_col: impl Fn(&str) -> Option<usize>,
        source_name: &str,
    ) -> Result<Rounds, HistoryError> {
        use std::collections::{BTreeMap, BTreeSet};
        let unknown = |row: usize, column: &str, table: &str, id: &str| HistoryError::UnknownId {
            source_name: source_name.to_string(),
            row,
            column: column.to_string(),
            table: table.to_string(),
            id: id.to_string(),
        };
        let mut paired = BTreeSet::new();
        // Per (mentee, round): whether the mentee had a mentor in that round.
        let mut took_part: BTreeMap<(usize, (u8, i64)), bool> = BTreeMap::new();
        for (k, p) in history.iter().enumerate() {
            let row = k + 1;
            let i = mentee_row(&p.mentee_id)
                .ok_or_else(|| unknown(row, "mentee_id", "mentee", &p.mentee_id))?;
            let matched = match &p.mentor_id {
                Some(m) => {
                    let j = mentor_col(m).ok_or_else(|| unknown(row, "mentor_id", "mentor", m))?;
                    paired.insert((i, j));
                    true
                }
                None => false,
            };
            *took_part.entry((i, p.round_key(row))).or_insert(false) |= matched;
        }
        let mut unmatched_rounds = vec![0u32; mentees];
        for ((i, _), matched) in took_part {
            if !matched {
                unmatched_rounds[i] += 1;
            }
        }
        Ok(Rounds {
            paired_before: paired.into_iter().collect(),
            unmatched_rounds,
        })
    }
}
