//! Solving a prepared problem: the pins fixed, the rest handed to the capacitated solver (or the
//! fairness-aware solve driving it), pairs and duals back.

use std::borrow::Cow;
use std::time::Instant;

use ndarray::CowArray;
use serde::{Deserialize, Serialize};

use super::{ms, MatchConfig, MatchError, Objective, Problem};
use crate::fairness::{self, Fairness, FairnessReport};
use crate::lsap::{
    certify_bounded_against, solve_certified_with, Budget, CandidateGraph, CapacitatedOptions,
    Instance, Next,
};

/// What [`Problem::solve_with`] optimises. [`Problem::solve`] takes them from the configuration.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SolveOptions {
    /// What the solver maximises (default coverage).
    pub objective: Objective,
    /// A fairness-aware solve instead of the plain one (default none).
    pub fairness: Option<Fairness>,
}

impl SolveOptions {
    /// The objective and fairness mode of a match configuration.
    pub fn from_config(config: &MatchConfig) -> Self {
        SolveOptions {
            objective: config.objective,
            fairness: config.fairness.clone(),
        }
    }
}

/// Dual potentials of the plain capacitated solve over the capacities left after the pins (see
/// [`crate::lsap::Matching`] for what they certify).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Duals {
    /// Row (mentee) duals, score part.
    pub row: Vec<f64>,
    /// Column (mentor) duals, score part.
    pub col: Vec<f64>,
    /// Row duals, coverage part (all zero for the score objective).
    pub row_count: Vec<i64>,
    /// Column duals, coverage part.
    pub col_count: Vec<i64>,
}

/// How the matching of a sparse solve compares with the optimum over **every** pair (see
/// docs/matching.md, "Certificate"): `certified` when no pair's reduced cost against the duals
/// says it could improve the matching; otherwise `(coverage_gap, gap)` bounds, lexicographically,
/// how much better the optimum can be.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Certificate {
    /// The matching is optimal for the full problem, not only for the candidates.
    pub certified: bool,
    /// Solve-and-check rounds run (column generation).
    pub rounds: usize,
    /// Pair checks against the duals, over all rounds: every pair not in the matching, scored
    /// or ruled out by an upper bound on its score (see docs/matching.md, "Certificate").
    pub pairs_checked: u64,
    /// Pairs scored exactly by the checks, over all rounds (the others were ruled out by a
    /// bound).
    #[serde(default)]
    pub pairs_scored: u64,
    /// Upper bound on (optimum − total score); 0 when certified.
    pub gap: f64,
    /// Upper bound on the pairs the optimum could add (coverage objective); 0 when certified.
    pub coverage_gap: i64,
    /// Candidate pairs the last round was solved on (the initial ones plus those added).
    pub candidates: u64,
}

/// A solution of a prepared problem, in row and column indices.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Solution {
    /// Matched `(mentee row, mentor column)` pairs, pins included, sorted.
    pub pairs: Vec<(usize, usize)>,
    /// The plain solve's duals; `None` after a fairness-aware solve or when a side is empty.
    pub duals: Option<Duals>,
    /// What was optimised.
    pub options: SolveOptions,
    /// The fairness-aware solve's report, when one ran.
    pub fairness: Option<FairnessReport>,
    /// Wall-clock time of the solve, in milliseconds.
    pub solve_ms: f64,
    /// Of `solve_ms`, the full checks of the certificate (0 for the dense solver).
    #[serde(default)]
    pub certify_ms: f64,
    /// The certificate of a sparse solve (`None` for the dense solver).
    #[serde(default)]
    pub certificate: Option<Certificate>,
    /// Mentors left below their minimum load (only with `min_load_shortfall = "report"`;
    /// empty when every minimum load is met or none is set).
    #[serde(default)]
    pub load_shortfall: Vec<super::MentorShortfall>,
}

impl Problem {
    /// The capacities left after the pins, and the scores with the pinned pairs taken out (a
    /// copy only when there are pins).
    pub(crate) fn residual(&self) -> Instance<'_> {
        let mut row = self.mentee_capacity.clone();
        let mut col = self.mentor_capacity.clone();
        for p in &self.pins {
            row[p.mentee] -= 1;
            col[p.mentor] -= 1;
        }
        let full = self.instance();
        let scores = if self.pins.is_empty() {
            full.scores
        } else {
            let mut owned = full.scores.into_owned();
            for p in &self.pins {
                owned[[p.mentee, p.mentor]] = f64::NAN;
            }
            CowArray::from(owned)
        };
        Instance {
            scores,
            row_capacity: Cow::Owned(row),
            col_capacity: Cow::Owned(col),
        }
    }

    /// Solve with the configuration's objective and fairness mode.
    ///
    /// # Errors
    /// As [`Problem::solve_with`].
    pub fn solve(&self) -> Result<Solution, MatchError> {
        self.solve_with(&SolveOptions::from_config(&self.config))
    }

    /// The optimal pairing under every hard constraint with these options: the pins plus the
    /// capacitated solve (or the fairness-aware one) of the rest.
    ///
    /// # Errors
    /// [`MatchError::Fairness`] when the fairness mode cannot be applied (an unknown protected
    /// column, a bad tolerance); [`MatchError::Solver`] should not happen on a prepared problem.
    pub fn solve_with(&self, options: &SolveOptions) -> Result<Solution, MatchError> {
        if self.scores.sparse().is_some() {
            if options.fairness.is_some() {
                self.require_dense("a fairness-aware solve")?;
            }
            if self.residual_loads().is_some() {
                self.require_dense("min_load or spread")?;
            }
            return self.solve_sparse(options);
        }
        let t = Instant::now();
        let (rows, cols) = self.dims();
        let mut duals = None;
        let mut fairness_report = None;
        let mut pairs: Vec<(usize, usize)> =
            self.pins.iter().map(|p| (p.mentee, p.mentor)).collect();
        if rows > 0 && cols > 0 {
            let residual = self.residual();
            let objective = options.objective.solver();
            let loads = self.residual_loads();
            if let (Some(_), Some(f)) = (&loads, &options.fairness) {
                return Err(MatchError::Config(crate::options::ConfigError::new(
                    "fairness",
                    match f {
                        Fairness::GroupFloor { .. } => "group_floor",
                        Fairness::Maximin => "maximin",
                    },
                    "no fairness mode together with min_load or spread (its solver has no load bounds); drop the fairness option, or set min_load = 0 and spread = 0",
                )));
            }
            if let Some(loads) = &loads {
                let opts = crate::lsap::CapacitatedOptions {
                    objective,
                    ..Default::default()
                };
                let r = crate::lsap::solve_capacitated_loads(
                    residual.scores(),
                    &residual.row_capacity,
                    &residual.col_capacity,
                    &opts,
                    loads,
                )?;
                let m = r.matching;
                pairs.extend_from_slice(&m.pairs);
                duals = Some(Duals {
                    row: m.row_duals,
                    col: m.col_duals,
                    row_count: m.row_count_duals,
                    col_count: m.col_count_duals,
                });
            } else if let Some(f) = &options.fairness {
                let report =
                    fairness::solve_fair(&residual, &self.cohort.mentees.protected, objective, f)?;
                pairs.extend_from_slice(report.pairs());
                fairness_report = Some(report);
            } else {
                let m = residual.solve(objective)?;
                pairs.extend_from_slice(&m.pairs);
                duals = Some(Duals {
                    row: m.row_duals,
                    col: m.col_duals,
                    row_count: m.row_count_duals,
                    col_count: m.col_count_duals,
                });
            }
        }
        pairs.sort_unstable();
        let load_shortfall = self.shortfall(&pairs);
        if !load_shortfall.is_empty()
            && self.config.min_load_shortfall == super::ShortfallPolicy::Error
        {
            let total = load_shortfall.iter().map(|s| u64::from(s.shortfall)).sum();
            return Err(MatchError::LoadShortfall(Box::new(
                super::LoadShortfallError {
                    short: load_shortfall,
                    total,
                },
            )));
        }
        Ok(Solution {
            pairs,
            duals,
            options: options.clone(),
            fairness: fairness_report,
            solve_ms: ms(t),
            certify_ms: 0.0,
            load_shortfall,
            certificate: None,
        })
    }

    /// The sparse path: the stored candidates without the pins, the sparse solver, then the
    /// certificate against every allowed pair, streamed in row blocks from the features (column
    /// generation until certified or the configured budget ends).
    fn solve_sparse(&self, options: &SolveOptions) -> Result<Solution, MatchError> {
        let t = Instant::now();
        let (rows, cols) = self.dims();
        let mut pairs: Vec<(usize, usize)> =
            self.pins.iter().map(|p| (p.mentee, p.mentor)).collect();
        let mut duals = None;
        let mut certificate = None;
        let certify_ms = std::cell::Cell::new(0.0);
        if let (Some(graph), true) = (self.scores.sparse(), rows > 0 && cols > 0) {
            let mut row = self.mentee_capacity.clone();
            let mut col = self.mentor_capacity.clone();
            let mut pinned: Vec<Vec<u32>> = vec![Vec::new(); rows];
            for p in &self.pins {
                row[p.mentee] -= 1;
                col[p.mentor] -= 1;
                pinned[p.mentee].push(p.mentor as u32);
            }
            pinned.iter_mut().for_each(|v| v.sort_unstable());
            let graph = if self.pins.is_empty() {
                graph.clone()
            } else {
                let mut triplets = Vec::with_capacity(graph.nnz());
                for (i, pins) in pinned.iter().enumerate() {
                    let (cs, ss) = graph.row(i);
                    for (&j, &s) in cs.iter().zip(ss) {
                        if pins.binary_search(&j).is_err() {
                            triplets.push((i, j as usize, s));
                        }
                    }
                }
                CandidateGraph::from_triplets(rows, cols, &triplets)?
            };
            let model = self.model();
            let min_score = self.config.min_score;
            let keep = |i: usize, j: usize, s: f64| {
                s >= min_score
                    && self.mask.constraint(i, j).is_none()
                    && pinned[i].binary_search(&(j as u32)).is_err()
            };
            let bounds = crate::candidates::ScoreBounds::new(&model);
            let scores = crate::candidates::Certifier {
                bounds: &bounds,
                keep,
                min_score,
            };
            let opts = CapacitatedOptions {
                maximize: true,
                objective: options.objective.solver(),
            };
            let budget = Budget {
                max_rounds: self.config.sparse_max_rounds.max(1),
                time_limit: self
                    .config
                    .sparse_time_limit_s
                    .map(std::time::Duration::from_secs_f64),
                ..Budget::default()
            };
            let check = |m: &crate::lsap::Matching, next: Next<'_>, per_row: usize| {
                let t = Instant::now();
                let c = certify_bounded_against(rows, cols, &scores, m, &opts, per_row, next);
                certify_ms.set(certify_ms.get() + ms(t));
                c
            };
            let c = solve_certified_with(&check, graph, &row, &col, &opts, &budget)?;
            pairs.extend_from_slice(&c.matching.pairs);
            duals = Some(Duals {
                row: c.matching.row_duals,
                col: c.matching.col_duals,
                row_count: c.matching.row_count_duals,
                col_count: c.matching.col_count_duals,
            });
            certificate = Some(Certificate {
                certified: c.certificate.certified,
                rounds: c.certificate.rounds,
                pairs_checked: c.certificate.pairs_checked,
                pairs_scored: c.pairs_scored,
                gap: c.certificate.gap,
                coverage_gap: c.certificate.coverage_gap,
                candidates: c.candidates.nnz() as u64,
            });
        }
        pairs.sort_unstable();
        Ok(Solution {
            pairs,
            duals,
            options: options.clone(),
            fairness: None,
            solve_ms: ms(t),
            certify_ms: certify_ms.get(),
            certificate,
            load_shortfall: Vec::new(),
        })
    }
}
