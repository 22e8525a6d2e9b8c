//! The few types most programs need: `use mentorpair::prelude::*;`.

pub use crate::cohort::{Cohort, Role, Table};
pub use crate::io::{read_csv, read_path, InputError};
pub use crate::options::ConfigError;
pub use crate::problem::{MatchConfig, MatchError, MatchResult, Objective, Problem, SolveOptions};
pub use crate::rematch::{PairId, RematchOptions};
