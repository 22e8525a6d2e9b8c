//! The rematch on any instance: plan, hand the reduced instance to a solver (the capacitated one,
//! or the caller's), check what it returns, report.

use super::changes::finish;
use super::plan::{check_solution, plan};
use super::{Labels, PairId, Rematch, RematchError, RematchOptions};
use crate::lsap::{Instance, Objective};

/// Rematch with a solver of the caller's choice.
///
/// `instance` holds the current scores (NaN marks a pair some hard constraint forbids; every other
/// entry must be finite) and capacities; `labels` the ids of its rows and columns. `solve`
/// receives the reduced instance (frozen pairs already fixed and removed from the capacities,
/// dissolved pairs forbidden, the keep bonus added) and returns the pairs it picks as (row,
/// column) indices; their scores must not be NaN and capacities must hold, which is checked.
/// `why_forbidden(row, col)` names the constraint behind a NaN score, for the report.
pub fn rematch_scores_with<S>(
    instance: &Instance<'_>,
    labels: &Labels<'_>,
    previous: &[PairId],
    options: &RematchOptions,
    why_forbidden: &dyn Fn(usize, usize) -> String,
    solve: S,
) -> Result<Rematch, RematchError>
where
    S: FnOnce(&Instance<'_>) -> Result<Vec<(usize, usize)>, RematchError>,
{
    let plan = plan(instance, labels, previous, options, why_forbidden)?;
    let solved = solve(&plan.input)?;
    check_solution(&plan.input, &solved, labels)?;
    Ok(finish(instance, labels, plan, solved, options.keep_bonus))
}

/// Rematch with the capacitated assignment solver ([`crate::lsap::solve_capacitated`]).
///
/// `objective` is the solver's: [`Objective::Coverage`] matches as many pairs as the constraints
/// allow and then maximises score plus keep bonus (so a kept pair never costs a mentee their
/// match), [`Objective::Score`] maximises score plus keep bonus alone (then a large enough bonus keeps
/// every still-valid pair).
///
/// ```
/// use ndarray::array;
/// use mentorpair::lsap::{Instance, Objective};
/// use mentorpair::rematch::{rematch_scores, Labels, PairId, PairStatus, RematchOptions};
///
/// let scores = array![[0.5, 0.9], [0.4, f64::NAN]];
/// let ids = |p: &str, n: usize| (0..n).map(|i| format!("{p}{i}")).collect::<Vec<_>>();
/// let (mentees, mentors) = (ids("e", 2), ids("m", 2));
/// let instance = Instance::new(scores.view(), &[1, 1], &[1, 1]).unwrap();
/// let labels = Labels { mentee_ids: &mentees, mentor_ids: &mentors };
/// // Last round e0 had m0 and e1 had m1; a constraint now forbids e1–m1.
/// let previous = [PairId::new("e0", "m0"), PairId::new("e1", "m1")];
/// let options = RematchOptions::new(Some(0.2), Vec::new()).unwrap();
/// let why = |_: usize, _: usize| "same department".to_string();
/// let out = rematch_scores(&instance, &labels, &previous, &options, &why, Objective::Coverage)
///     .unwrap();
/// assert_eq!(out.changes[1].status, PairStatus::Dissolved);
/// // e1 can only take m0 now, so e0 moves to m1 (coverage first): 0.4 + 0.9 instead of 0.5.
/// assert_eq!(out.changes[0].status, PairStatus::Released);
/// assert!((out.score_gained - 0.8).abs() < 1e-12);
/// ```
pub fn rematch_scores(
    instance: &Instance<'_>,
    labels: &Labels<'_>,
    previous: &[PairId],
    options: &RematchOptions,
    why_forbidden: &dyn Fn(usize, usize) -> String,
    objective: Objective,
) -> Result<Rematch, RematchError> {
    rematch_scores_with(
        instance,
        labels,
        previous,
        options,
        why_forbidden,
        |input| {
            input
                .solve(objective)
                .map(|m| m.pairs)
                .map_err(|e| RematchError::Solver(e.to_string()))
        },
    )
}
