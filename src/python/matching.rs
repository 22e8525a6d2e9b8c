//! Binding for the tables and the match configuration: the one place that reads both tables as
//! Python hands them over (column by column, see `tables`), and the JSON config. Conversions
//! only; all logic is in `crate::io`.

use super::tables::load;
pub(super) use super::tables::Source;
use crate::cohort::{Cohort, Role};
use crate::io::{self, InputError};
use crate::matching::MatchConfig;

/// Read both tables of a cohort (for callers that want the message as text).
pub(super) fn load_cohort(
    mentees: &Source,
    mentors: &Source,
    protected: &[String],
) -> Result<Cohort, String> {
    read_cohort(mentees, mentors, protected).map_err(|e| e.to_string())
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

/// The match configuration from its JSON form.
pub(super) fn parse_config(config_json: &str) -> Result<MatchConfig, String> {
    serde_json::from_str(config_json).map_err(|e| format!("invalid match options: {e}"))
}
