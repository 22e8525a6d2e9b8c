//! Binding for the tables and the match configuration: the one place that reads both tables as
//! Python hands them over, and the JSON config. Conversions only; all logic is in `crate::io`.

use crate::cohort::{Cohort, Role, Table};
use crate::io::{self, InputError};

/// A table as handed over by `mentorpair._match._source`: `("path", "file.csv")` or
/// `("records", "[{...}, ...]")` (JSON array of row objects).
pub(super) type Source = (String, String);

fn load(role: Role, source: &Source, protected: &[String]) -> Result<Table, InputError> {
    let (kind, payload) = source;
    match kind.as_str() {
        "path" => io::read_path(role, std::path::Path::new(payload), protected),
        _ => io::read_json(role, payload.as_bytes(), protected),
    }
}

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
