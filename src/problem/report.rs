//! The report of a pairing on a prepared problem: explanations from the features, unmatched
//! reasons read from the mask, and the independent audit of every hard constraint.

use std::collections::{BTreeMap, HashSet};
use std::time::Instant;

use rayon::prelude::*;

use super::{ms, MatchError, MatchResult, MatchedPair, Problem, Solution, Summary, Timings};
use super::{Unmatched, UnmatchedReason};
use crate::constraints::{self, AuditRules, Exclusion, Violation};
use crate::score;

impl Problem {
    /// Solve with the configuration's options and report: what `matching::match_cohort` returns.
    ///
    /// # Errors
    /// As [`Problem::solve`].
    pub fn match_result(&self) -> Result<MatchResult, MatchError> {
        let solution = self.solve()?;
        Ok(self.result(&solution))
    }

    /// The report of a solution of this problem: [`Problem::report`] of its pairs, with the
    /// solve's options in `config`, its fairness report and its time.
    pub fn result(&self, solution: &Solution) -> MatchResult {
        let mut result = self.report(&solution.pairs);
        result.config.objective = solution.options.objective;
        result.config.fairness = solution.options.fairness.clone();
        result.fairness = solution.fairness.clone();
        result.certificate = solution.certificate;
        result.timings.solve_ms = solution.solve_ms;
        result.timings.certify_ms = solution.certify_ms;
        result.timings.total_ms += solution.solve_ms;
        result
    }

    /// Report any pairing of this problem's rows and columns (a solution, or pairs from
    /// elsewhere to check): every pair explained and marked pinned when it is a pin, the
    /// mentees short of mentors with the reason read from the mask, and the independent audit
    /// of every hard constraint from the raw cohort (`violations`; pairs out of range are
    /// reported there as `unknown_id`). Scores are the stored ones, or computed from the
    /// features for pairs that are not candidates.
    pub fn report(&self, pairs: &[(usize, usize)]) -> MatchResult {
        let t = Instant::now();
        let (mentees, mentors) = (&self.cohort.mentees.people, &self.cohort.mentors.people);
        let (rows, cols) = self.dims();
        let mut sorted: Vec<(usize, usize)> = Vec::with_capacity(pairs.len());
        let mut out_of_range = Vec::new();
        for &(i, j) in pairs {
            if i < rows && j < cols {
                sorted.push((i, j));
            } else {
                out_of_range.push(Violation {
                    mentee_id: mentees.get(i).map(|p| p.id.clone()).unwrap_or_default(),
                    mentor_id: mentors.get(j).map(|p| p.id.clone()).unwrap_or_default(),
                    constraint: "unknown_id".into(),
                    detail: format!(
                        "pair (row {i}, column {j}) is outside the {rows} x {cols} problem"
                    ),
                });
            }
        }
        sorted.sort();
        let pins: HashSet<(usize, usize)> =
            self.pins.iter().map(|p| (p.mentee, p.mentor)).collect();
        let matched: Vec<MatchedPair> = sorted
            .par_iter()
            .filter_map(|&(i, j)| {
                let explanation = self.explanation(i, j)?;
                let (a, b) = (&mentees[i], &mentors[j]);
                let score = self.score(i, j);
                Some(MatchedPair {
                    mentee_id: a.id.clone(),
                    mentor_id: b.id.clone(),
                    score,
                    components: explanation
                        .components
                        .iter()
                        .map(|c| (c.component.clone(), c.value))
                        .collect(),
                    pinned: pins.contains(&(i, j)),
                    match_percent: score::match_percent(score),
                    explanation,
                    mentee_extra: a.extra.clone(),
                    mentor_extra: b.extra.clone(),
                })
            })
            .collect();

        let mut got = vec![0u32; rows];
        let mut load = vec![0u32; cols];
        let mut partner = vec![Vec::new(); rows];
        for &(i, j) in &sorted {
            got[i] += 1;
            load[j] += 1;
            partner[i].push(j);
        }
        // Each reason reads the whole mentor list: in parallel, in mentee order.
        let short: Vec<usize> = (0..rows)
            .filter(|&i| got[i] < mentees[i].capacity)
            .collect();
        // Without a minimum score no pair is below it, and the constraints' structure counts
        // the rest (mentors at capacity: class 1).
        let full: Vec<u8> = self
            .cohort
            .mentors
            .people
            .iter()
            .zip(&load)
            .map(|(m, &l)| u8::from(l >= m.capacity))
            .collect();
        let tally = (!self.min_score_excludes()).then(|| self.mask.constraints().tally(&full, 2));
        let unmatched: Vec<Unmatched> = short
            .par_iter()
            .map(|&i| {
                let counts = tally.as_ref().and_then(|t| t.row(i, &partner[i]));
                let (reason, detail) = self.unmatched_reason(i, &partner[i], &load, counts);
                Unmatched {
                    mentee_id: mentees[i].id.clone(),
                    wanted: mentees[i].capacity,
                    matched: got[i],
                    reason,
                    detail,
                }
            })
            .collect();

        let mut violations = self.audit_named(
            &matched
                .iter()
                .map(|p| (p.mentee_id.clone(), p.mentor_id.clone(), p.score))
                .collect::<Vec<_>>(),
        );
        violations.extend(out_of_range);
        let total_score: f64 = matched.iter().fold(0.0, |s, p| s + p.score);
        let mut unmatched_by_reason = BTreeMap::new();
        for u in &unmatched {
            *unmatched_by_reason.entry(u.reason).or_insert(0) += 1;
        }
        let summary = Summary {
            mentees: mentees.len(),
            mentors: mentors.len(),
            pairs: matched.len(),
            matched_mentees: got.iter().filter(|&&g| g > 0).count(),
            demand: mentees.iter().map(|p| p.capacity as u64).sum(),
            capacity: mentors.iter().map(|p| p.capacity as u64).sum(),
            total_score,
            mean_score: if matched.is_empty() {
                0.0
            } else {
                total_score / matched.len() as f64
            },
            min_pair_score: matched.iter().map(|p| p.score).reduce(f64::min),
            excluded_pairs: self.excluded_count(),
            unmatched_by_reason,
            reference_date: self.features.reference_date,
        };
        let report_ms = ms(t);
        MatchResult {
            pairs: matched,
            unmatched,
            violations,
            summary,
            timings: Timings {
                solve_ms: 0.0,
                report_ms,
                total_ms: self.timings.total_ms + report_ms,
                ..self.timings.clone()
            },
            config: self.config.clone(),
            fairness: None,
            certificate: None,
        }
    }

    /// The independent audit of `(mentee row, mentor column)` pairs: every hard constraint
    /// re-checked from the raw cohort ([`constraints::audit`]), with the pairs' scores (stored,
    /// or computed for pairs that are not candidates). Pairs out of range are left out.
    pub fn violations(&self, pairs: &[(usize, usize)]) -> Vec<Violation> {
        let (mentees, mentors) = (&self.cohort.mentees.people, &self.cohort.mentors.people);
        let named: Vec<(String, String, f64)> = pairs
            .iter()
            .filter_map(|&(i, j)| {
                Some((
                    mentees.get(i)?.id.clone(),
                    mentors.get(j)?.id.clone(),
                    self.score(i, j),
                ))
            })
            .collect();
        self.audit_named(&named)
    }

    fn audit_named(&self, pairs: &[(String, String, f64)]) -> Vec<Violation> {
        let cfg = &self.config;
        let mut violations = constraints::audit(
            &self.cohort,
            AuditRules {
                exclude_same_department: cfg.exclude_same_department,
                forbid: &cfg.forbid,
                pin: &cfg.pin,
                min_score: cfg.min_score,
            },
            pairs,
        );
        violations.extend(constraints::audit_wishes(
            &self.cohort,
            constraints::WishRules {
                criteria: &cfg.criteria,
                preferred_only: cfg.preferences == crate::wishes::PreferenceMode::Must,
            },
            pairs,
        ));
        violations.extend(constraints::audit_history(
            &cfg.history,
            cfg.allow_repeat_pairs,
            pairs,
        ));
        violations
    }

    /// Why mentee row `i` has fewer mentors than wanted, from the mask and the mentors' loads
    /// (or from `counts`, the row's [`crate::constraints::Tally`] with the mentors at capacity
    /// as class 1, when there is one).
    fn unmatched_reason(
        &self,
        i: usize,
        partners: &[usize],
        load: &[u32],
        counts: Option<crate::constraints::RowTally>,
    ) -> (UnmatchedReason, String) {
        let mentors = &self.cohort.mentors.people;
        if mentors.is_empty() {
            return (
                UnmatchedReason::NoMentors,
                "the mentor table is empty".into(),
            );
        }
        let mut excluded: BTreeMap<Exclusion, usize> = BTreeMap::new();
        let (mut below, mut full, mut open) = (0usize, 0usize, 0usize);
        if let Some(t) = counts {
            excluded = t.excluded;
            open = t.classes[0];
            full = t.classes[1];
        } else {
            for (j, m) in mentors.iter().enumerate() {
                if partners.contains(&j) {
                    continue;
                }
                match self.reason(i, j) {
                    Some(Exclusion::BelowMinScore) => below += 1,
                    Some(e) => *excluded.entry(e).or_insert(0) += 1,
                    None if load[j] >= m.capacity => full += 1,
                    None => open += 1,
                }
            }
        }
        let excl: Vec<String> = excluded
            .iter()
            .map(|(e, n)| format!("{} x{n}", e.describe()))
            .collect();
        let excl = if excl.is_empty() {
            "none excluded".to_string()
        } else {
            format!("excluded: {}", excl.join(", "))
        };
        if open > 0 {
            (
                UnmatchedReason::NotSelected,
                format!("{open} allowed mentors had room, but the score objective gains nothing from these pairs ({excl})"),
            )
        } else if full > 0 {
            (
                UnmatchedReason::CapacityTaken,
                format!("all {full} allowed mentors are at capacity with other pairs the objective preferred ({excl})"),
            )
        } else if below > 0 {
            (
                UnmatchedReason::BelowMinScore,
                format!(
                    "{below} mentors pass the constraints but score below min_score {} ({excl})",
                    self.config.min_score
                ),
            )
        } else {
            (
                UnmatchedReason::AllExcluded,
                format!("every remaining mentor is excluded by a hard constraint ({excl})"),
            )
        }
    }
}
