//! Python exception classes for mentorpair and the one mapping from Rust errors to them.
//! Every class subclasses `ValueError`, so code written against scipy keeps catching them.

use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use crate::lsap::LsapError;

create_exception!(
    mentorpair,
    MentorpairError,
    PyValueError,
    "Base class of every error mentorpair raises about its inputs (a subclass of ValueError)."
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
    "No complete assignment of the smaller side avoids the forbidden pairs."
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

impl From<LsapError> for PyErr {
    fn from(e: LsapError) -> PyErr {
        let msg = e.to_string();
        match e {
            LsapError::InvalidEntry { .. } => InvalidEntryError::new_err(msg),
            LsapError::Infeasible { .. } => InfeasibleError::new_err(msg),
            LsapError::Shape(_) | LsapError::WarmStart(_) => ShapeError::new_err(msg),
            LsapError::Capacity(_) => CapacityError::new_err(msg),
            LsapError::TooLarge { .. } => MentorpairError::new_err(msg),
            LsapError::Interrupted => pyo3::exceptions::PyKeyboardInterrupt::new_err(msg),
        }
    }
}

pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("MentorpairError", py.get_type::<MentorpairError>())?;
    m.add("InvalidEntryError", py.get_type::<InvalidEntryError>())?;
    m.add("InfeasibleError", py.get_type::<InfeasibleError>())?;
    m.add("ShapeError", py.get_type::<ShapeError>())?;
    m.add("CapacityError", py.get_type::<CapacityError>())?;
    Ok(())
}
