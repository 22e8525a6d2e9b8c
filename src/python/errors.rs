//! Python exception classes for mentorpair and the one mapping from Rust errors to them.
//! Every class subclasses `MentorpairError`, a `ValueError`, so code written against scipy keeps
//! catching them. Structured errors carry their fields as attributes (`InputError.row`,
//! `ConfigError.option`, `TooLargeError.needed_bytes`, ...).

use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use crate::fairness::FairnessError;
use crate::io::{InputError as CoreInputError, PairsError};
use crate::lsap::LsapError;
use crate::options::ConfigError as CoreConfigError;
use crate::problem::MatchError;
use crate::rematch::{CohortRematchError, RematchError};

create_exception!(
    mentorpair,
    MentorpairError,
    PyValueError,
    "Base class of every error mentorpair raises about its inputs (a subclass of ValueError)."
);
create_exception!(
    mentorpair,
    InputError,
    MentorpairError,
    "A table (or a list of pairs) holds something that cannot be used; `.table`, `.row` (1-based \
     data row or None), `.id`, `.column` and `.value` say where and what."
);
create_exception!(
    mentorpair,
    ConfigError,
    MentorpairError,
    "An option is out of range, of the wrong type or unknown; `.option` names it, `.value` is \
     the value given and `.allowed` what it may be."
);
create_exception!(
    mentorpair,
    TooLargeError,
    MentorpairError,
    "The problem does not fit the memory limit; `.needed_bytes` and `.limit_bytes` say by how \
     much."
);
create_exception!(
    mentorpair,
    InvalidEntryError,
    MentorpairError,
    "A matrix holds NaN, or an infinity of the sign that cannot mean a forbidden pair."
);
create_exception!(
    mentorpair,
    InfeasibleError,
    MentorpairError,
    "No complete assignment avoids the forbidden pairs, or a pinned or frozen pair breaks a hard \
     constraint."
);
create_exception!(
    mentorpair,
    ShapeError,
    MentorpairError,
    "Inputs whose shapes do not fit together."
);
create_exception!(
    mentorpair,
    CapacityError,
    MentorpairError,
    "A capacity is invalid (negative, too large, or of the wrong length)."
);

/// Where a table problem is.
#[derive(Default)]
struct Place {
    table: Option<String>,
    row: Option<usize>,
    id: Option<String>,
    column: Option<String>,
    value: Option<String>,
}

/// An exception of class `T` with `attrs` set on it.
fn with_attrs<T: pyo3::PyTypeInfo>(
    msg: String,
    attrs: impl FnOnce(&Bound<'_, PyAny>) -> PyResult<()>,
) -> PyErr {
    Python::attach(|py| {
        let err = PyErr::from_type(py.get_type::<T>(), msg);
        let value = err.value(py).clone().into_any();
        match attrs(&value) {
            Ok(()) => err,
            Err(e) => e,
        }
    })
}

fn input_error(msg: String, p: Place) -> PyErr {
    with_attrs::<InputError>(msg, |v| {
        v.setattr("table", p.table)?;
        v.setattr("row", p.row)?;
        v.setattr("id", p.id)?;
        v.setattr("column", p.column)?;
        v.setattr("value", p.value)
    })
}

/// A `ConfigError` exception from the core's [`CoreConfigError`].
pub(super) fn config_error(e: CoreConfigError) -> PyErr {
    let msg = e.to_string();
    config_error_saying(msg, e)
}

/// A `ConfigError` with the attributes of `e` and the core's own message `msg`.
fn config_error_saying(msg: String, e: CoreConfigError) -> PyErr {
    with_attrs::<ConfigError>(msg, |v| {
        v.setattr("option", e.option)?;
        v.setattr("value", e.value)?;
        v.setattr("allowed", e.allowed)
    })
}

fn too_large(msg: String, needed_bytes: u64, limit_bytes: u64) -> PyErr {
    with_attrs::<TooLargeError>(msg, |v| {
        v.setattr("needed_bytes", needed_bytes)?;
        v.setattr("limit_bytes", limit_bytes)
    })
}

/// Every error of the core that crosses into Python, in one type: each binding returns it and
/// `?` converts it, so every error is classified here and nowhere else.
#[derive(Debug)]
pub(super) enum CoreError {
    Input(CoreInputError),
    Pairs(PairsError),
    Config(CoreConfigError),
    Match(MatchError),
    Rematch(CohortRematchError),
    Lsap(LsapError),
    Fairness(FairnessError),
    Schedule(crate::schedule::ScheduleError),
    Report(crate::report::ReportError),
    Learn(crate::learn::LearnError),
    Quality(crate::quality::QualityError),
    /// Anything else (an unreadable result, an unwritable file): the base class.
    Other(String),
}

macro_rules! core_from {
    ($($ty:ty => $variant:ident),* $(,)?) => {$(
        impl From<$ty> for CoreError {
            fn from(e: $ty) -> Self {
                CoreError::$variant(e)
            }
        }
    )*};
}

core_from!(
    CoreInputError => Input,
    PairsError => Pairs,
    CoreConfigError => Config,
    MatchError => Match,
    CohortRematchError => Rematch,
    LsapError => Lsap,
    FairnessError => Fairness,
    crate::schedule::ScheduleError => Schedule,
    crate::report::ReportError => Report,
    crate::learn::LearnError => Learn,
    crate::quality::QualityError => Quality,
    String => Other,
);

impl From<RematchError> for CoreError {
    fn from(e: RematchError) -> Self {
        CoreError::Rematch(e.into())
    }
}

impl From<CoreError> for PyErr {
    fn from(e: CoreError) -> PyErr {
        match e {
            CoreError::Input(e) => input(e),
            CoreError::Pairs(e) => pairs(e),
            CoreError::Config(e) => config_error(e),
            CoreError::Match(e) => matching(e),
            CoreError::Rematch(e) => rematch(e),
            CoreError::Lsap(e) => e.into(),
            CoreError::Fairness(e) => fairness(e),
            CoreError::Schedule(e) => schedule(e),
            CoreError::Report(crate::report::ReportError::Audit(e)) => fairness(e),
            CoreError::Learn(e) => learn(e),
            CoreError::Quality(e) => quality(e),
            CoreError::Other(msg) => MentorpairError::new_err(msg),
        }
    }
}

fn input(e: CoreInputError) -> PyErr {
    let msg = e.to_string();
    let place = match e {
        CoreInputError::MissingColumn { table, column, .. }
        | CoreInputError::DuplicateColumn { table, column }
        | CoreInputError::WrongTableColumn { table, column, .. }
        | CoreInputError::ProtectedSchemaColumn { table, column } => Place {
            table: Some(table),
            column: Some(column),
            ..Place::default()
        },
        CoreInputError::InvalidValue(b) => Place {
            table: Some(b.table),
            row: Some(b.row),
            id: b.id,
            column: Some(b.column),
            value: Some(b.value),
        },
        CoreInputError::DuplicateId { table, row, id, .. } => Place {
            table: Some(table),
            row: Some(row),
            id: Some(id.clone()),
            column: Some("id".into()),
            value: Some(id),
        },
        CoreInputError::Malformed { table, .. } => Place {
            table: Some(table),
            ..Place::default()
        },
    };
    input_error(msg, place)
}

fn pairs(e: PairsError) -> PyErr {
    let msg = e.to_string();
    let place = match e {
        PairsError::Malformed { source_name, .. } => Place {
            table: Some(source_name),
            ..Place::default()
        },
        PairsError::MissingColumn {
            source_name,
            column,
            ..
        } => Place {
            table: Some(source_name),
            column: Some(column),
            ..Place::default()
        },
        PairsError::EmptyId {
            source_name,
            row,
            column,
        } => Place {
            table: Some(source_name),
            row: Some(row),
            column: Some(column),
            value: Some(String::new()),
            ..Place::default()
        },
        PairsError::Duplicate {
            source_name,
            row,
            mentee_id,
            mentor_id,
            ..
        } => Place {
            table: Some(source_name),
            row: Some(row),
            id: Some(mentee_id),
            column: Some("mentor_id".into()),
            value: Some(mentor_id),
        },
    };
    input_error(msg, place)
}

fn matching(e: MatchError) -> PyErr {
    let msg = e.to_string();
    match e {
        MatchError::Config(c) => config_error(c),
        MatchError::UnknownPair(p) => {
            let option = p.list;
            let value = format!("({:?}, {:?})", p.mentee_id, p.mentor_id);
            config_error_saying(
                msg,
                CoreConfigError::new(
                    option,
                    value,
                    format!("pairs of ids in the tables ({})", p.problem),
                ),
            )
        }
        MatchError::PinViolates { .. } => InfeasibleError::new_err(msg),
        MatchError::TooLarge {
            needed_bytes,
            limit_bytes,
            ..
        } => too_large(msg, needed_bytes, limit_bytes),
        MatchError::Solver(e) => e.into(),
        MatchError::Fairness(e) => fairness(e),
        MatchError::Wish(w) => input_error(
            msg,
            Place {
                table: Some(w.table.into()),
                row: Some(w.row),
                id: Some(w.id),
                column: Some(w.column.into()),
                value: Some(w.value),
            },
        ),
        MatchError::Criterion(c) => match *c {
            crate::criteria::CriterionError::Value(b) => input_error(
                msg,
                Place {
                    table: Some(b.table.into()),
                    row: Some(b.row),
                    id: Some(b.id),
                    column: Some(b.column),
                    value: Some(b.value),
                },
            ),
            crate::criteria::CriterionError::Declaration { index, .. } => {
                with_attrs::<ConfigError>(msg, |v| {
                    v.setattr("option", "criteria")?;
                    v.setattr("value", format!("criteria[{index}]"))?;
                    v.setattr("allowed", "see docs/criteria.md")
                })
            }
        },
        MatchError::History(_) | MatchError::Beyond(_) => InputError::new_err(msg),
        _ => MentorpairError::new_err(msg),
    }
}

fn rematch(e: CohortRematchError) -> PyErr {
    match e {
        CohortRematchError::Match(e) => matching(e),
        CohortRematchError::Rematch(e) => {
            let msg = e.to_string();
            match e {
                RematchError::KeepBonus(v) => config_error(CoreConfigError::new(
                    "keep_bonus",
                    v,
                    "a finite number of 0 or more, e.g. 0.1",
                )),
                RematchError::FrozenInvalid { .. } => InfeasibleError::new_err(msg),
                RematchError::DuplicatePair { list, pair } => input_error(
                    msg,
                    Place {
                        table: Some(list.into()),
                        id: Some(pair.mentee_id.clone()),
                        column: Some("mentor_id".into()),
                        value: Some(pair.mentor_id.clone()),
                        ..Place::default()
                    },
                ),
                _ => MentorpairError::new_err(msg),
            }
        }
    }
}

fn fairness(e: FairnessError) -> PyErr {
    let msg = e.to_string();
    match e {
        FairnessError::Shape(_) | FairnessError::PairOutOfRange { .. } => ShapeError::new_err(msg),
        FairnessError::UnknownColumn {
            column, available, ..
        } => config_error_saying(
            msg,
            CoreConfigError::new(
                "by",
                format!("{column:?}"),
                format!(
                    "a protected column: one of [{available}] (declare it with protected=[...])"
                ),
            ),
        ),
        FairnessError::NoColumns => config_error_saying(
            msg,
            CoreConfigError::about("by", "at least one protected column, e.g. by=\"gender\""),
        ),
        FairnessError::InvalidOption { name, value, hint } => {
            config_error(CoreConfigError::new(name, value, hint))
        }
        _ => MentorpairError::new_err(msg),
    }
}

fn schedule(e: crate::schedule::ScheduleError) -> PyErr {
    use crate::schedule::ScheduleError;
    let msg = e.to_string();
    match e {
        ScheduleError::StartNotADate { value } => config_error_saying(
            msg,
            CoreConfigError::new(
                "start",
                format!("{value:?}"),
                "a date as YYYY-MM-DD, e.g. 2027-01-04",
            ),
        ),
        ScheduleError::OutOfRange {
            option,
            value,
            rule,
        } => config_error_saying(msg, CoreConfigError::new(option, value, rule)),
        _ => MentorpairError::new_err(msg),
    }
}

fn learn(e: crate::learn::LearnError) -> PyErr {
    use crate::learn::LearnError;
    let msg = e.to_string();
    match e {
        LearnError::Option { option, value, fix } => {
            config_error(CoreConfigError::new(option, value, fix))
        }
        LearnError::UnknownId {
            row,
            column,
            table,
            id,
        } => input_error(
            msg,
            Place {
                table: Some(format!("history ({table} ids)")),
                row: Some(row),
                id: Some(id.clone()),
                column: Some(column.into()),
                value: Some(id),
            },
        ),
        LearnError::Outcome { row, value, .. } => input_error(
            msg,
            Place {
                table: Some("history".into()),
                row: Some(row),
                column: Some("outcome".into()),
                value: Some(value.to_string()),
                ..Place::default()
            },
        ),
        LearnError::Value { row, column, value } => input_error(
            msg,
            Place {
                table: Some("history".into()),
                row: Some(row),
                column: Some(column),
                value: Some(value.to_string()),
                ..Place::default()
            },
        ),
        // The error matching reports for the same tables and options, with its class.
        LearnError::Cohort(e) => matching(*e),
        _ => MentorpairError::new_err(msg),
    }
}

fn quality(e: crate::quality::QualityError) -> PyErr {
    use crate::quality::QualityError;
    let msg = e.to_string();
    match e {
        QualityError::UnknownStrategy(name) => config_error_saying(
            msg,
            CoreConfigError::new(
                "strategies",
                format!("{name:?}"),
                "strategy names from optimal, greedy, random, stable, group_floor, maximin",
            ),
        ),
        QualityError::Match(e) => matching(e),
        QualityError::Solver(e) => e.into(),
        QualityError::Fairness(e) => fairness(e),
        e => MentorpairError::new_err(e.to_string()),
    }
}

impl From<LsapError> for PyErr {
    fn from(e: LsapError) -> PyErr {
        let msg = e.to_string();
        match e {
            LsapError::InvalidEntry { .. } => InvalidEntryError::new_err(msg),
            LsapError::Infeasible { .. } => InfeasibleError::new_err(msg),
            LsapError::Shape(_) | LsapError::WarmStart(_) => ShapeError::new_err(msg),
            LsapError::Capacity(_) => CapacityError::new_err(msg),
            LsapError::TooLarge {
                needed_bytes,
                limit_bytes,
            } => too_large(msg, needed_bytes, limit_bytes),
            LsapError::Interrupted => pyo3::exceptions::PyKeyboardInterrupt::new_err(msg),
        }
    }
}

/// `_core._config_error(option, value, allowed)`: the `ConfigError` the core raises, built for
/// the few checks only Python can make (Python types); the message is formatted here.
#[pyfunction]
#[pyo3(name = "_config_error", signature = (option, value, allowed))]
fn make_config_error(
    py: Python<'_>,
    option: String,
    value: Option<String>,
    allowed: String,
) -> Py<pyo3::exceptions::PyBaseException> {
    let mut e = CoreConfigError::about(option, allowed);
    e.value = value;
    config_error(e).into_value(py)
}

/// `_core._input_error(message, table, row=None, id=None, column=None, value=None)`: the
/// `InputError` the core raises, for a row Python cannot hand over (not a mapping).
#[pyfunction]
#[pyo3(name = "_input_error", signature = (message, table, row=None, id=None, column=None, value=None))]
fn make_input_error(
    py: Python<'_>,
    message: String,
    table: String,
    row: Option<usize>,
    id: Option<String>,
    column: Option<String>,
    value: Option<String>,
) -> Py<pyo3::exceptions::PyBaseException> {
    input_error(
        message,
        Place {
            table: Some(table),
            row,
            id,
            column,
            value,
        },
    )
    .into_value(py)
}

pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("MentorpairError", py.get_type::<MentorpairError>())?;
    m.add("InputError", py.get_type::<InputError>())?;
    m.add("ConfigError", py.get_type::<ConfigError>())?;
    m.add("TooLargeError", py.get_type::<TooLargeError>())?;
    m.add("InvalidEntryError", py.get_type::<InvalidEntryError>())?;
    m.add("InfeasibleError", py.get_type::<InfeasibleError>())?;
    m.add("ShapeError", py.get_type::<ShapeError>())?;
    m.add("CapacityError", py.get_type::<CapacityError>())?;
    m.add_function(wrap_pyfunction!(make_config_error, m)?)?;
    m.add_function(wrap_pyfunction!(make_input_error, m)?)?;
    Ok(())
}
