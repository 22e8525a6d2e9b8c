//! Binding for the tables and the match configuration: the one place that reads both tables as
//! Python hands them over (column by column, see `tables`), and the JSON config. Conversions
//! only; all logic is in `crate::io`.

use super::tables::load;
pub(super) use super::tables::Source;
use crate::cohort::{Cohort, Role};
use crate::io::{self, InputError};

/// Read both tables: every table that crosses from Python is read here, once per `Problem`.
pub(super) fn read_cohort(
    mentees: &Source,
    mentors: &Source,
    protected: &[String],
) -> Result<Cohort, InputError> {
    let cohort = Cohort {
        mentees: load(Role::Mentee, mentees, protected)?,
        mentors: load(Role::Mentor, mentors, protected)?,
    };
    io::check_protected(&cohort, protected)?;
    Ok(cohort)
}
