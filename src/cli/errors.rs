//! The one mapping from the library's error enums to the command line's exit codes (see the
//! module documentation of `cli`): options and usage 2, tables and files 3, infeasible 4.

use super::CliError;
use crate::fairness::FairnessError;
use crate::io::{InputError, PairsError};
use crate::options::ConfigError;
use crate::problem::MatchError;
use crate::quality::QualityError;
use crate::rematch::{CohortRematchError, RematchError};

impl From<ConfigError> for CliError {
    fn from(e: ConfigError) -> Self {
        CliError::Usage(e.to_string())
    }
}

impl From<InputError> for CliError {
    fn from(e: InputError) -> Self {
        CliError::Input(e.to_string())
    }
}

impl From<PairsError> for CliError {
    fn from(e: PairsError) -> Self {
        CliError::Input(e.to_string())
    }
}

impl From<MatchError> for CliError {
    fn from(e: MatchError) -> Self {
        match e {
            MatchError::Config(_) | MatchError::UnknownPair(_) | MatchError::NeedsDense { .. } => {
                CliError::Usage(e.to_string())
            }
            MatchError::PinViolates { .. }
            | MatchError::TooLarge { .. }
            | MatchError::LoadShortfall(_)
            | MatchError::Solver(crate::lsap::LsapError::TooLarge { .. }) => {
                CliError::Infeasible(e.to_string())
            }
            // A shared_background request naming an undeclared column is a problem of the tables.
            MatchError::Fairness(FairnessError::Affinity(_)) => CliError::Input(e.to_string()),
            MatchError::Fairness(_) => CliError::Usage(e.to_string()),
            MatchError::Wish(_)
            | MatchError::Criterion(_)
            | MatchError::History(_)
            | MatchError::Beyond(_) => CliError::Input(e.to_string()),
            MatchError::Solver(crate::lsap::LsapError::Infeasible { .. }) => {
                CliError::Infeasible(e.to_string())
            }
            MatchError::WrongRole(_) | MatchError::Solver(_) => CliError::Internal(e.to_string()),
        }
    }
}

impl From<CohortRematchError> for CliError {
    fn from(e: CohortRematchError) -> Self {
        match e {
            CohortRematchError::Match(e) => e.into(),
            CohortRematchError::Rematch(
                e @ (RematchError::FrozenInvalid { .. } | RematchError::DuplicatePair { .. }),
            ) => CliError::Infeasible(e.to_string()),
            CohortRematchError::Rematch(e @ RematchError::KeepBonus(_)) => {
                CliError::Usage(format!("--keep-bonus: {e}"))
            }
            e => CliError::Internal(e.to_string()),
        }
    }
}

impl From<QualityError> for CliError {
    fn from(e: QualityError) -> Self {
        match e {
            QualityError::UnknownStrategy(_) => CliError::Usage(format!("--strategies: {e}")),
            QualityError::Match(e) => e.into(),
            e => CliError::Internal(e.to_string()),
        }
    }
}
