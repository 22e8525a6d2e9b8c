//! Matching a cohort too large for one machine, in blocks: each mentee partition is scored against
//! the full mentor table exactly as [`crate::problem::Problem::new`] scores it, into top-k
//! candidates and reduced-cost violators; one central sparse solve joins them (column generation).
//!
//! The pieces, in the order a cluster runs them (`mentorpair.dask` drives them from Python):
//!
//! 1. [`PartitionSummary::of`] on every partition: its ids, `mentors_wanted`, manager links and
//!    first-seen vocabulary. [`MenteeContext::merge`] joins them in partition order into what
//!    every partition must agree on: scores must not depend on which partition a mentee is in.
//!    Goal tags and languages are interned in the order the whole cohort would intern them (the
//!    order fixes floating-point summation order, so scores are bit-identical), and reporting
//!    lines follow manager chains through mentees of other partitions.
//! 2. [`BlockScorer::new`] per partition; [`BlockScorer::top_k`] streams the partition × mentors
//!    scores one row at a time (never a dense block) into each mentee's `k` best mentors and the
//!    partition's `k′` best mentees per mentor.
//! 3. [`CentralSolve`] gathers them (merging the per-mentor lists to the global top `k′`), resolves
//!    and checks pins, and runs [`crate::lsap::solve_sparse`] on the candidate graph.
//! 4. [`BlockScorer::check`] per partition: every pair's reduced cost against the duals
//!    ([`crate::lsap::certify`]); [`CentralSolve::add_violations`] adds the violators and resumes
//!    from the duals, until none violate or the round budget ends ([`CentralSolve::certificate`]).

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::cohort::{Cohort, Goal, Person, Table};
use crate::constraints::{self, Exclusion, UnknownPair};
use crate::features::Features;
use crate::lsap::{
    certify, solve_sparse, solve_sparse_from, Budget, CandidateGraph, CapacitatedOptions,
    Certificate, Matching,
};
use crate::problem::{MatchConfig, MatchError};
use crate::score::{self, affinity::SharedBackground};
use crate::wishes::{WishError, Wishes, DECLINED_MENTEES};

/// Mentors per mentee kept as candidates when the caller does not say.
pub const DEFAULT_K_MENTEE: usize = 8;
/// Mentees per mentor kept as candidates when the caller does not say.
pub const DEFAULT_K_MENTOR: usize = 4;

/// Inconsistent partitions or calls out of order: named as the blockwise match's input.
fn config_error(message: String) -> MatchError {
    MatchError::Config(crate::options::ConfigError::about("partitions", message))
}

fn push_new(seen: &mut HashSet<String>, out: &mut Vec<String>, name: &str) {
    if !seen.contains(name) {
        seen.insert(name.to_string());
        out.push(name.to_string());
    }
}

/// `mentors` with every `declined_mentees` list cut to the ids `keep` accepts (the mentees of one
/// partition), so the mentor table reads against that partition alone.
fn restrict_declined(mentors: &Table, keep: &HashSet<&str>) -> Table {
    let mut out = mentors.clone();
    for p in &mut out.people {
        if let Some(v) = p.column_value(DECLINED_MENTEES) {
            let kept: Vec<&str> = v
                .split([';', ','])
                .map(str::trim)
                .filter(|s| !s.is_empty() && keep.contains(s))
                .collect();
            let joined = kept.join(";");
            p.extra.insert(
                DECLINED_MENTEES.to_string(),
                serde_json::Value::String(joined),
            );
        }
    }
    out
}

/// What one mentee partition contributes to the [`MenteeContext`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PartitionSummary {
    /// Mentee ids, in table order.
    pub ids: Vec<String>,
    /// `mentors_wanted` per mentee.
    pub capacity: Vec<u32>,
    /// `(id, manager_id)` of every mentee with a manager.
    pub managers: Vec<(String, String)>,
    /// Goal tags and skill names in first-seen order (per mentee: goals, then skills).
    pub tags: Vec<String>,
    /// Skill names of `target_skills`, in first-seen order.
    pub target_tags: Vec<String>,
    /// Languages in first-seen order.
    pub languages: Vec<String>,
}

impl PartitionSummary {
    /// Summarise a mentee partition; its wishes are read against `mentors` (so a bad
    /// `preferred_mentors` or `target_skills` entry is reported here).
    ///
    /// # Errors
    /// [`MatchError::Wish`] for a wish that cannot be honoured.
    pub fn of(partition: &Table, mentors: &Table) -> Result<Self, MatchError> {
        let ids: HashSet<&str> = partition.people.iter().map(|p| p.id.as_str()).collect();
        let cohort = Cohort {
            mentees: partition.clone(),
            mentors: restrict_declined(mentors, &ids),
        };
        let wishes = Wishes::read(&cohort)?;
        let mut s = PartitionSummary::default();
        let (mut tags, mut targets, mut langs) = (HashSet::new(), HashSet::new(), HashSet::new());
        for p in &partition.people {
            s.ids.push(p.id.clone());
            s.capacity.push(p.capacity);
            if let Some(m) = &p.manager_id {
                s.managers.push((p.id.clone(), m.clone()));
            }
            for g in &p.goals {
                push_new(&mut tags, &mut s.tags, &g.tag);
            }
            for k in &p.skills {
                push_new(&mut tags, &mut s.tags, &k.name);
            }
            for l in &p.languages {
                push_new(&mut langs, &mut s.languages, l);
            }
        }
        for row in &wishes.target_skills {
            for (name, _) in row {
                push_new(&mut targets, &mut s.target_tags, name);
            }
        }
        Ok(s)
    }
}

/// What every partition must agree on, from the whole mentee table: ids (to resolve `forbid`,
/// `pin` and `declined_mentees`), `mentors_wanted`, manager links and the vocabulary order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MenteeContext {
    /// Every mentee id, in table order (empty in a [`MenteeContext::worker_view`]).
    pub ids: Vec<String>,
    /// `mentors_wanted` per mentee (empty in a worker view).
    pub capacity: Vec<u32>,
    /// First row of each partition, and the total at the end.
    pub offsets: Vec<usize>,
    /// `(id, manager_id)` of every mentee with a manager.
    pub managers: Vec<(String, String)>,
    /// Mentee goal tags and skill names, first-seen order over the whole table.
    pub tags: Vec<String>,
    /// `target_skills` names, first-seen order over the whole table.
    pub target_tags: Vec<String>,
    /// Mentee languages, first-seen order over the whole table.
    pub languages: Vec<String>,
}

impl MenteeContext {
    /// Join partition summaries in partition order.
    ///
    /// # Errors
    /// [`MatchError::Config`] when a mentee id appears twice (naming both rows).
    pub fn merge(parts: &[PartitionSummary]) -> Result<Self, MatchError> {
        let mut c = MenteeContext {
            offsets: vec![0],
            ..MenteeContext::default()
        };
        let (mut tags, mut targets, mut langs) = (HashSet::new(), HashSet::new(), HashSet::new());
        let mut rows: HashMap<&str, usize> = HashMap::new();
        for p in parts {
            for id in &p.ids {
                let row = rows.len();
                if let Some(first) = rows.insert(id.as_str(), row) {
                    return Err(config_error(format!(
                        "mentees rows {} and {} (id {id:?}): the id appears twice; ids must be unique across all partitions",
                        first + 1,
                        row + 1
                    )));
                }
            }
            c.ids.extend(p.ids.iter().cloned());
            c.capacity.extend(&p.capacity);
            c.managers.extend(p.managers.iter().cloned());
            for t in &p.tags {
                push_new(&mut tags, &mut c.tags, t);
            }
            for t in &p.target_tags {
                push_new(&mut targets, &mut c.target_tags, t);
            }
            for l in &p.languages {
                push_new(&mut langs, &mut c.languages, l);
            }
            c.offsets.push(c.ids.len());
        }
        Ok(c)
    }

    /// The context without ids and capacities: what a [`BlockScorer`] needs.
    pub fn worker_view(&self) -> MenteeContext {
        MenteeContext {
            ids: Vec::new(),
            capacity: Vec::new(),
            ..self.clone()
        }
    }
}

/// One mentee partition prepared against the full mentor table: features, extra components and
/// the hard-constraint mask, as [`crate::problem::Problem::new`] builds them for the whole
/// cohort. Scores are computed on demand, one mentee row at a time.
pub struct BlockScorer {
    offset: usize,
    cohort: Cohort,
    config: MatchConfig,
    features: Features,
    extras: Vec<score::Weighted>,
    mask: constraints::Mask,
    /// Pinned mentor columns per local row, sorted: not candidates of the residual solve.
    pinned: Vec<Vec<u32>>,
    /// The partition's pins as `(global row, column, score)`, in configuration order.
    pins: Vec<(usize, usize, f64)>,
    row_scale: Vec<f64>,
}

/// Every manager chain starting at `start` (not `start` itself unless in a cycle).
fn chain<'a>(start: &'a str, managers: &HashMap<&'a str, Vec<&'a str>>) -> Vec<&'a str> {
    let mut seen: HashSet<&str> = HashSet::new();
    let mut stack: Vec<&str> = managers.get(start).cloned().unwrap_or_default();
    let mut out = Vec::new();
    while let Some(m) = stack.pop() {
        if seen.insert(m) {
            out.push(m);
            if let Some(next) = managers.get(m) {
                stack.extend(next.iter().copied());
            }
        }
    }
    out
}

/// A mentee that carries the whole vocabulary in the cohort's interning order; prepended to a
/// partition while its features are built, so ids (and with them summation order) are global.
fn vocabulary_person(ctx: &MenteeContext, mentors: &Table) -> Person {
    let (mut seen, mut tags) = (HashSet::new(), Vec::new());
    for t in &ctx.tags {
        push_new(&mut seen, &mut tags, t);
    }
    for p in &mentors.people {
        for g in &p.goals {
            push_new(&mut seen, &mut tags, &g.tag);
        }
        for k in &p.skills {
            push_new(&mut seen, &mut tags, &k.name);
        }
    }
    for t in &ctx.target_tags {
        push_new(&mut seen, &mut tags, t);
    }
    let (mut seen, mut languages) = (HashSet::new(), Vec::new());
    for l in ctx
        .languages
        .iter()
        .chain(mentors.people.iter().flat_map(|p| &p.languages))
    {
        push_new(&mut seen, &mut languages, l);
    }
    Person {
        id: String::new(),
        goals: tags
            .into_iter()
            .map(|tag| Goal { tag, weight: 1.0 })
            .collect(),
        skills: Vec::new(),
        availability: Vec::new(),
        timezone: None,
        languages,
        level: None,
        department: None,
        manager_id: None,
        min_load: None,
        capacity: 0,
        shared_background: Vec::new(),
        extra: crate::cohort::Extra::new(),
    }
}

/// Best `k` of `(score, index)` offers: highest score, then lowest index (a total order, so the
/// kept set does not depend on the offer order).
#[derive(Clone, Debug)]
struct Best {
    k: usize,
    items: Vec<(f64, u32)>,
    /// Index of the worst kept item once `items` is full.
    worst: usize,
}

impl Best {
    fn new(k: usize) -> Self {
        Best {
            k,
            items: Vec::new(),
            worst: 0,
        }
    }

    fn above(a: (f64, u32), b: (f64, u32)) -> bool {
        a.0 > b.0 || (a.0 == b.0 && a.1 < b.1)
    }

    fn find_worst(&mut self) {
        let mut w = 0;
        for t in 1..self.items.len() {
            if Self::above(self.items[w], self.items[t]) {
                w = t;
            }
        }
        self.worst = w;
    }

    #[inline]
    fn offer(&mut self, s: f64, i: u32) {
        if self.items.len() < self.k {
            self.items.push((s, i));
            if self.items.len() == self.k {
                self.find_worst();
            }
        } else if self.k > 0 && Self::above((s, i), self.items[self.worst]) {
            self.items[self.worst] = (s, i);
            self.find_worst();
        }
    }
}

/// Candidate triples `(global mentee row, mentor column, score)` as three columns.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Triples {
    /// Global mentee rows.
    pub rows: Vec<u64>,
    /// Mentor columns.
    pub cols: Vec<u32>,
    /// Scores.
    pub scores: Vec<f64>,
}

impl Triples {
    fn push(&mut self, r: usize, c: usize, s: f64) {
        self.rows.push(r as u64);
        self.cols.push(c as u32);
        self.scores.push(s);
    }

    /// Number of triples.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

/// What [`BlockScorer::top_k`] found in one partition.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BlockCandidates {
    /// Each mentee's best `k` mentors.
    pub mentee_side: Triples,
    /// Each mentor's best `k′` mentees of this partition (to merge across partitions).
    pub mentor_side: Triples,
    /// The partition's pins with their scores.
    pub pins: Triples,
}

/// What [`BlockScorer::check`] found in one partition.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BlockCheck {
    /// The worst violators per mentee (at most `per_row`), global rows.
    pub violations: Triples,
    /// Violating pairs in all.
    pub violating: u64,
    /// Pairs checked.
    pub pairs_checked: u64,
    /// Sum of violations, coverage part.
    pub coverage_gap: i64,
    /// Sum of violations, score part.
    pub gap: f64,
}

impl BlockScorer {
    /// Prepare the partition whose first row is `offset` in the whole mentee table.
    ///
    /// `config` is the whole cohort's configuration: `forbid` and `pin` pairs of mentees in other
    /// partitions are left to them (their ids are checked by [`CentralSolve::new`]).
    ///
    /// # Errors
    /// As [`crate::problem::Problem::new`]: options out of range, wishes or criteria that
    /// cannot be honoured, a mentor id in `forbid` or `pin` that is not in the table, a pin that
    /// breaks a hard constraint or scores below `min_score`.
    pub fn new(
        partition: Table,
        mentors: &Table,
        config: MatchConfig,
        ctx: &MenteeContext,
        offset: usize,
    ) -> Result<Self, MatchError> {
        config.weights.validate().map_err(MatchError::Config)?;
        config.scoring.validate().map_err(MatchError::Config)?;
        if !config.min_score.is_finite() {
            return Err(MatchError::Config(crate::options::ConfigError::new(
                "min_score",
                config.min_score,
                "a finite number such as 0 or 0.3",
            )));
        }
        let ids: HashSet<&str> = partition.people.iter().map(|p| p.id.as_str()).collect();
        let mine = |pairs: &[(String, String)]| -> Vec<(String, String)> {
            pairs
                .iter()
                .filter(|(a, _)| ids.contains(a.as_str()))
                .cloned()
                .collect()
        };
        let (forbid_pairs, pin_pairs) = (mine(&config.forbid), mine(&config.pin));
        let cohort = Cohort {
            mentors: restrict_declined(mentors, &ids),
            mentees: partition,
        };
        // From here on, the same steps as `Problem::new`, on the partition.
        let forbid = constraints::resolve_pairs(&cohort, "forbid", &forbid_pairs)?;
        let wishes = Wishes::read(&cohort)?;
        let criteria = crate::criteria::prepare(&cohort, &config.criteria, score::builtin_name)?;
        let mut people = Vec::with_capacity(cohort.mentees.people.len() + 1);
        people.push(vocabulary_person(ctx, &cohort.mentors));
        people.extend(cohort.mentees.people.iter().cloned());
        let mut features = Features::build(&people, &cohort.mentors.people, config.scoring.date());
        drop(people);
        features.mentees.remove(0);
        score::prepare_features(&mut features, &config.scoring, &wishes.target_skills);
        let affinity = SharedBackground::new(&cohort.mentees, &cohort.mentors)?;
        let mut extras: Vec<score::Weighted> = Vec::new();
        let mut push = |part: Box<dyn score::PairComponent>, weight: f64| {
            if weight > 0.0 {
                extras.push(score::Weighted { part, weight });
            }
        };
        if affinity.any() {
            push(Box::new(affinity), config.weights.affinity);
        }
        if wishes.preferred.iter().any(|p| !p.is_empty()) {
            push(
                Box::new(score::preference::Preferences {
                    ranked: wishes.preferred.clone(),
                }),
                config.weights.preference,
            );
        }
        for c in criteria
            .iter()
            .filter(|c| c.criterion.rule == crate::criteria::Rule::Prefer)
        {
            let weight = c.criterion.weight();
            push(
                Box::new(score::criteria::CriterionComponent::new(c.clone())),
                weight,
            );
        }
        let mut mask = constraints::Mask::build(&cohort, config.exclude_same_department, &forbid);
        mask.add_exclusions(Self::reporting_lines(&cohort, ctx));
        let avoided = wishes.avoid.iter().enumerate().flat_map(|(i, js)| {
            js.iter()
                .map(move |&j| (i, j, constraints::Exclusion::MenteeDeclined))
        });
        let declined = wishes.declined.iter().enumerate().flat_map(|(j, is)| {
            is.iter()
                .map(move |&i| (i, j, constraints::Exclusion::MentorDeclined))
        });
        mask.add_exclusions(avoided.chain(declined));
        if config.preferences == crate::wishes::PreferenceMode::Must {
            mask.restrict_to(&wishes.preferred);
        }
        mask.add_rules(criteria);
        let rows = cohort.mentees.people.len();
        let mut scorer = BlockScorer {
            offset,
            cohort,
            config,
            features,
            extras,
            mask,
            pinned: vec![Vec::new(); rows],
            pins: Vec::new(),
            row_scale: Vec::new(),
        };
        let model = scorer.model();
        scorer.row_scale = (0..rows).map(|i| 1.0 / model.row_weight(i)).collect();
        scorer.check_pins(&pin_pairs)?;
        Ok(scorer)
    }

    /// Reporting-line exclusions through manager links of mentees outside the partition (the
    /// partition's own links are already in [`constraints::Mask::build`]).
    fn reporting_lines(cohort: &Cohort, ctx: &MenteeContext) -> Vec<(usize, usize, Exclusion)> {
        let mut managers: HashMap<&str, Vec<&str>> = HashMap::new();
        let own = cohort
            .mentees
            .people
            .iter()
            .chain(&cohort.mentors.people)
            .filter_map(|p| p.manager_id.as_deref().map(|m| (p.id.as_str(), m)));
        let others = ctx.managers.iter().map(|(a, b)| (a.as_str(), b.as_str()));
        for (id, m) in own.chain(others) {
            let list = managers.entry(id).or_default();
            if !list.contains(&m) {
                list.push(m);
            }
        }
        let rows: HashMap<&str, usize> = cohort
            .mentees
            .people
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.as_str(), i))
            .collect();
        let cols: HashMap<&str, usize> = cohort
            .mentors
            .people
            .iter()
            .enumerate()
            .map(|(j, p)| (p.id.as_str(), j))
            .collect();
        let mut out = Vec::new();
        for (i, p) in cohort.mentees.people.iter().enumerate() {
            for boss in chain(&p.id, &managers) {
                if let Some(&j) = cols.get(boss) {
                    out.push((i, j, Exclusion::ReportingLine));
                }
            }
        }
        for (j, p) in cohort.mentors.people.iter().enumerate() {
            for boss in chain(&p.id, &managers) {
                if let Some(&i) = rows.get(boss) {
                    out.push((i, j, Exclusion::ReportingLine));
                }
            }
        }
        out
    }

    fn check_pins(&mut self, pin_pairs: &[(String, String)]) -> Result<(), MatchError> {
        let resolved = constraints::resolve_pairs(&self.cohort, "pin", pin_pairs)?;
        for (k, &(i, j)) in resolved.iter().enumerate() {
            let fail = |problem: String| MatchError::PinViolates {
                mentee_id: pin_pairs[k].0.clone(),
                mentor_id: pin_pairs[k].1.clone(),
                problem,
            };
            if let Some(e) = self.mask.excluded(i, j) {
                return Err(fail(e.describe().to_string()));
            }
            let s = self.raw(i, j);
            if s < self.config.min_score {
                return Err(fail(format!(
                    "score {s} is below min_score {}",
                    self.config.min_score
                )));
            }
            self.pinned[i].push(j as u32);
            self.pins.push((self.offset + i, j, s));
        }
        self.pinned.iter_mut().for_each(|p| p.sort_unstable());
        Ok(())
    }

    fn model(&self) -> score::ScoreModel<'_> {
        score::ScoreModel::new(
            &self.features,
            &self.config.weights,
            &self.config.scoring,
            &self.extras,
        )
    }

    /// The score of local row `i` with mentor `j`, with the arithmetic of the dense fill
    /// ([`score::ScoreModel::fill`]): built-in total, extras added in order, times the row's
    /// inverse weight — so every score is bit-identical to the single-machine one.
    fn raw(&self, i: usize, j: usize) -> f64 {
        let (a, b) = (&self.features.mentees[i], &self.features.mentors[j]);
        let cfg = &self.config.scoring;
        let mut cell = score::total(
            &score::components(a, b, cfg),
            &self.config.weights.as_array(),
        );
        for e in &self.extras {
            if e.part.applies(i) {
                cell += e.weight * e.part.value(i, j).unwrap_or(cfg.neutral);
            }
        }
        cell * self.row_scale[i]
    }

    /// Row `i`'s scores for the residual solve into `out` (one per mentor): NaN for a pair that
    /// breaks a hard constraint, scores below `min_score` or is pinned.
    pub fn score_row(&self, i: usize, out: &mut [f64]) {
        for (j, cell) in out.iter_mut().enumerate() {
            *cell = if self.mask.excluded(i, j).is_some() {
                f64::NAN
            } else {
                let s = self.raw(i, j);
                if s < self.config.min_score {
                    f64::NAN
                } else {
                    s
                }
            };
        }
        for &j in &self.pinned[i] {
            out[j as usize] = f64::NAN;
        }
    }

    /// Mentees in the partition.
    pub fn rows(&self) -> usize {
        self.cohort.mentees.people.len()
    }

    /// Mentors.
    pub fn cols(&self) -> usize {
        self.cohort.mentors.people.len()
    }

    /// The partition's first global row.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// Each mentee's `k_mentee` best mentors, this partition's `k_mentor` best mentees per mentor
    /// and the pins. Scores stream one row at a time (O(mentors) memory per thread).
    ///
    /// # Errors
    /// [`MatchError::Solver`] (interrupted) when the current [`crate::cancel`] token is cancelled.
    pub fn top_k(&self, k_mentee: usize, k_mentor: usize) -> Result<BlockCandidates, MatchError> {
        let (rows, cols) = (self.rows(), self.cols());
        let cancel = crate::cancel::current();
        let chunk = 64;
        type Acc = (Triples, Vec<Best>);
        let (mentee_side, per_col) = (0..rows.div_ceil(chunk))
            .into_par_iter()
            .try_fold(
                || -> Acc { (Triples::default(), vec![Best::new(k_mentor); cols]) },
                |(mut trip, mut colbest), b| {
                    cancel.check()?;
                    let mut buf = vec![f64::NAN; cols];
                    for i in b * chunk..((b + 1) * chunk).min(rows) {
                        self.score_row(i, &mut buf);
                        let mut best = Best::new(k_mentee);
                        for (j, &s) in buf.iter().enumerate() {
                            if !s.is_nan() {
                                best.offer(s, j as u32);
                                colbest[j].offer(s, i as u32);
                            }
                        }
                        best.items.sort_by_key(|x| x.1);
                        for (s, j) in best.items {
                            trip.push(self.offset + i, j as usize, s);
                        }
                    }
                    Ok::<Acc, crate::lsap::LsapError>((trip, colbest))
                },
            )
            .try_reduce(
                || (Triples::default(), vec![Best::new(k_mentor); cols]),
                |(mut ta, mut ca), (tb, cb)| {
                    ta.rows.extend(tb.rows);
                    ta.cols.extend(tb.cols);
                    ta.scores.extend(tb.scores);
                    for (a, b) in ca.iter_mut().zip(cb) {
                        for (s, i) in b.items {
                            a.offer(s, i);
                        }
                    }
                    Ok((ta, ca))
                },
            )?;
        let mut mentor_side = Triples::default();
        for (j, mut best) in per_col.into_iter().enumerate() {
            best.items.sort_by_key(|x| x.1);
            for (s, i) in best.items {
                mentor_side.push(self.offset + i as usize, j, s);
            }
        }
        let mut pins = Triples::default();
        for &(r, c, s) in &self.pins {
            pins.push(r, c, s);
        }
        Ok(BlockCandidates {
            mentee_side,
            mentor_side,
            pins,
        })
    }

    /// Check every pair of the partition against the duals of the central solve: `row_duals`
    /// and `row_count_duals` for this partition's mentees, `col_duals` / `col_count_duals` for
    /// every mentor, `used` the matched `(global row, column)` pairs of this partition. Keeps the
    /// worst `per_row` violators of each mentee ([`crate::lsap::certify`]).
    ///
    /// # Errors
    /// [`MatchError::Solver`] when the duals do not fit the partition, or when interrupted.
    #[allow(clippy::too_many_arguments)]
    pub fn check(
        &self,
        row_duals: &[f64],
        row_count_duals: &[i64],
        col_duals: &[f64],
        col_count_duals: &[i64],
        used: &[(usize, usize)],
        per_row: usize,
    ) -> Result<BlockCheck, MatchError> {
        let (rows, cols) = (self.rows(), self.cols());
        let local = |r: usize| r.checked_sub(self.offset).filter(|&r| r < rows);
        let mut pairs = Vec::with_capacity(used.len());
        for &(r, c) in used {
            match local(r) {
                Some(i) if c < cols => pairs.push((i, c)),
                _ => {
                    return Err(config_error(format!(
                        "pair ({r}, {c}) is outside the partition of rows {}..{} x {cols} mentors",
                        self.offset,
                        self.offset + rows
                    )))
                }
            }
        }
        let m = Matching {
            pairs,
            objective: 0.0,
            row_duals: row_duals.to_vec(),
            col_duals: col_duals.to_vec(),
            row_count_duals: row_count_duals.to_vec(),
            col_count_duals: col_count_duals.to_vec(),
        };
        let opts = CapacitatedOptions {
            maximize: true,
            objective: self.config.objective.solver(),
        };
        let oracle = |range: Range<usize>, out: &mut [f64]| {
            for (t, i) in range.enumerate() {
                self.score_row(i, &mut out[t * cols..(t + 1) * cols]);
            }
        };
        let c = certify(rows, cols, &oracle, &m, &opts, per_row.max(1))?;
        let mut violations = Triples::default();
        for v in &c.violations {
            violations.push(self.offset + v.row, v.col, v.score);
        }
        Ok(BlockCheck {
            violations,
            violating: c.violating,
            pairs_checked: c.pairs_checked,
            coverage_gap: c.coverage_gap,
            gap: c.gap,
        })
    }
}

/// The one central step: the gathered candidates, the pins checked against capacities, the
/// sparse solve and its warm-started resumptions, and the certificate's bookkeeping.
#[derive(Debug, Clone)]
pub struct CentralSolve {
    rows: usize,
    cols: usize,
    row_left: Vec<u32>,
    col_left: Vec<u32>,
    pins: Vec<(usize, usize, f64)>,
    opts: CapacitatedOptions,
    graph: Option<CandidateGraph>,
    matching: Option<Matching>,
    certificate: Certificate,
}

impl CentralSolve {
    /// Resolve the configuration's `forbid`, `pin` and the mentors' `declined_mentees` against
    /// the whole cohort (ids only; the partitions check the rest) and take the capacities.
    ///
    /// # Errors
    /// [`MatchError::UnknownPair`] for a `forbid` or `pin` pair naming nobody,
    /// [`MatchError::Wish`] for a declined id that is no mentee, [`MatchError::PinViolates`] for
    /// a pair pinned twice or more pins than a capacity allows.
    pub fn new(
        ctx: &MenteeContext,
        mentors: &Table,
        config: &MatchConfig,
    ) -> Result<Self, MatchError> {
        let rows_of: HashMap<&str, usize> = ctx
            .ids
            .iter()
            .enumerate()
            .map(|(i, id)| (id.as_str(), i))
            .collect();
        let cols_of: HashMap<&str, usize> = mentors
            .people
            .iter()
            .enumerate()
            .map(|(j, p)| (p.id.as_str(), j))
            .collect();
        let resolve = |list: &'static str, pairs: &[(String, String)]| {
            pairs
                .iter()
                .map(
                    |(a, b)| match (rows_of.get(a.as_str()), cols_of.get(b.as_str())) {
                        (Some(&i), Some(&j)) => Ok((i, j)),
                        (ra, _) => Err(UnknownPair::new(list, a, b, ra.is_none())),
                    },
                )
                .collect::<Result<Vec<_>, _>>()
        };
        resolve("forbid", &config.forbid)?;
        let pins = resolve("pin", &config.pin)?;
        for (j, p) in mentors.people.iter().enumerate() {
            let Some(v) = p.column_value(DECLINED_MENTEES) else {
                continue;
            };
            for id in v.split([';', ',']).map(str::trim).filter(|s| !s.is_empty()) {
                if id != p.id && !rows_of.contains_key(id) {
                    return Err(MatchError::Wish(Box::new(WishError {
                        table: "mentors",
                        row: j + 1,
                        id: p.id.clone(),
                        column: DECLINED_MENTEES,
                        value: id.to_string(),
                        problem: format!("no mentee has id {id:?}"),
                        fix: "list ids of the mentees table, separated by `;` (mentees are declined by id only)".into(),
                    })));
                }
            }
        }
        let mut row_left = ctx.capacity.clone();
        let mut col_left: Vec<u32> = mentors.people.iter().map(|p| p.capacity).collect();
        for (k, &(i, j)) in pins.iter().enumerate() {
            let fail = |problem: &str| MatchError::PinViolates {
                mentee_id: config.pin[k].0.clone(),
                mentor_id: config.pin[k].1.clone(),
                problem: problem.to_string(),
            };
            if pins[..k].contains(&(i, j)) {
                return Err(fail("pinned twice (never the same mentor twice)"));
            }
            if col_left[j] == 0 {
                return Err(fail("more pins than the mentor's capacity"));
            }
            if row_left[i] == 0 {
                return Err(fail("more pins than the mentee's mentors_wanted"));
            }
            col_left[j] -= 1;
            row_left[i] -= 1;
        }
        Ok(CentralSolve {
            rows: ctx.ids.len(),
            cols: mentors.people.len(),
            row_left,
            col_left,
            pins: Vec::new(),
            opts: CapacitatedOptions {
                maximize: true,
                objective: config.objective.solver(),
            },
            graph: None,
            matching: None,
            certificate: Certificate {
                certified: false,
                rounds: 0,
                pairs_checked: 0,
                gap: 0.0,
                coverage_gap: 0,
            },
        })
    }

    /// Gather the partitions' candidates: every mentee-side triple, the mentor-side triples cut
    /// to each mentor's best `k_mentor` over all partitions (highest score, then lowest row), and
    /// the pins with their scores. Solves once.
    ///
    /// # Errors
    /// [`MatchError::Solver`] for triples outside the problem or a solver failure.
    pub fn start(&mut self, parts: &[BlockCandidates], k_mentor: usize) -> Result<(), MatchError> {
        let mut per_col = vec![Best::new(k_mentor); self.cols];
        let mut triplets: Vec<(usize, usize, f64)> = Vec::new();
        for p in parts {
            let t = &p.mentee_side;
            for k in 0..t.len() {
                triplets.push((t.rows[k] as usize, t.cols[k] as usize, t.scores[k]));
            }
            let m = &p.mentor_side;
            for k in 0..m.len() {
                let (r, c) = (m.rows[k] as usize, m.cols[k] as usize);
                if let (Some(best), Ok(r32)) = (per_col.get_mut(c), u32::try_from(r)) {
                    best.offer(m.scores[k], r32);
                } else {
                    return Err(config_error(format!(
                        "candidate ({r}, {c}) is outside the {} x {} problem",
                        self.rows, self.cols
                    )));
                }
            }
            let q = &p.pins;
            for k in 0..q.len() {
                self.pins
                    .push((q.rows[k] as usize, q.cols[k] as usize, q.scores[k]));
            }
        }
        for (j, best) in per_col.into_iter().enumerate() {
            triplets.extend(best.items.into_iter().map(|(s, i)| (i as usize, j, s)));
        }
        self.pins.sort_by_key(|p| (p.0, p.1));
        let graph = CandidateGraph::from_triplets(self.rows, self.cols, &triplets)?;
        let m = solve_sparse(&graph, &self.row_left, &self.col_left, &self.opts)?;
        self.graph = Some(graph);
        self.matching = Some(m);
        Ok(())
    }

    /// Record one round of checks; `true` when the matching is certified (nothing violates).
    pub fn record(&mut self, checks: &[BlockCheck]) -> bool {
        let c = &mut self.certificate;
        c.rounds += 1;
        let violating: u64 = checks.iter().map(|b| b.violating).sum();
        c.pairs_checked += checks.iter().map(|b| b.pairs_checked).sum::<u64>();
        c.certified = violating == 0;
        c.gap = if c.certified {
            0.0
        } else {
            checks.iter().map(|b| b.gap).sum()
        };
        c.coverage_gap = if c.certified {
            0
        } else {
            checks.iter().map(|b| b.coverage_gap).sum()
        };
        c.certified
    }

    /// Add the violators of the last round and resume the solve from its duals.
    ///
    /// # Errors
    /// [`MatchError::Config`] before [`CentralSolve::start`]; [`MatchError::Solver`] as
    /// [`crate::lsap::solve_sparse_from`].
    pub fn add_violations(&mut self, checks: &[BlockCheck]) -> Result<(), MatchError> {
        let (Some(graph), Some(prev)) = (&self.graph, &self.matching) else {
            return Err(config_error("add_violations before start".into()));
        };
        let mut extra = Vec::new();
        for b in checks {
            let t = &b.violations;
            for k in 0..t.len() {
                extra.push((t.rows[k] as usize, t.cols[k] as usize, t.scores[k]));
            }
        }
        let graph = graph.with_pairs(&extra)?;
        let m = solve_sparse_from(&graph, &self.row_left, &self.col_left, &self.opts, prev)?;
        self.graph = Some(graph);
        self.matching = Some(m);
        Ok(())
    }

    /// The current matching (`None` before [`CentralSolve::start`]).
    pub fn matching(&self) -> Option<&Matching> {
        self.matching.as_ref()
    }

    /// The certificate so far.
    pub fn certificate(&self) -> Certificate {
        self.certificate
    }

    /// Candidate pairs in the graph.
    pub fn candidates(&self) -> usize {
        self.graph.as_ref().map_or(0, CandidateGraph::nnz)
    }

    /// The final pairs, pins included, sorted: `(row, column, score, pinned)`.
    pub fn pairs(&self) -> Vec<(usize, usize, f64, bool)> {
        let mut out: Vec<(usize, usize, f64, bool)> =
            self.pins.iter().map(|&(r, c, s)| (r, c, s, true)).collect();
        if let (Some(g), Some(m)) = (&self.graph, &self.matching) {
            out.extend(
                m.pairs
                    .iter()
                    .map(|&(r, c)| (r, c, g.score(r, c).unwrap_or(f64::NAN), false)),
            );
        }
        out.sort_by_key(|p| (p.0, p.1));
        out
    }

    /// Mentees and mentors.
    pub fn dims(&self) -> (usize, usize) {
        (self.rows, self.cols)
    }
}

/// The default round budget of the column generation ([`Budget::default`]'s rounds and
/// violators per row).
pub fn default_budget() -> Budget {
    Budget::default()
}

/// Rows `range` of a table (people and their protected values).
pub fn table_rows(table: &Table, range: Range<usize>) -> Table {
    let mut protected = table.protected.clone();
    protected.values = protected
        .values
        .get(range.clone())
        .map(<[_]>::to_vec)
        .unwrap_or_default();
    Table {
        role: table.role,
        people: table.people[range].to_vec(),
        protected,
    }
}

/// What [`solve_in_blocks`] returns.
#[derive(Debug, Clone, PartialEq)]
pub struct BlockedMatch {
    /// `(mentee row, mentor column, score, pinned)`, sorted.
    pub pairs: Vec<(usize, usize, f64, bool)>,
    /// The column generation's certificate.
    pub certificate: Certificate,
    /// Candidate pairs in the final graph.
    pub candidates: usize,
}

/// The whole blockwise match in this process: partitions of `partition_rows` mentees, scored
/// one after the other, then the central solve and the check rounds of `budget` (its
/// `max_rounds` and `per_row`). What a cluster runs, without one; the same result.
///
/// # Errors
/// As [`BlockScorer::new`] and [`CentralSolve::new`].
pub fn solve_in_blocks(
    cohort: &Cohort,
    config: &MatchConfig,
    partition_rows: usize,
    k_mentee: usize,
    k_mentor: usize,
    budget: &Budget,
) -> Result<BlockedMatch, MatchError> {
    let n = cohort.mentees.people.len();
    let step = partition_rows.max(1);
    let ranges: Vec<Range<usize>> = (0..n.div_ceil(step))
        .map(|b| b * step..((b + 1) * step).min(n))
        .collect();
    let parts: Vec<Table> = ranges
        .iter()
        .map(|r| table_rows(&cohort.mentees, r.clone()))
        .collect();
    let summaries = parts
        .iter()
        .map(|p| PartitionSummary::of(p, &cohort.mentors))
        .collect::<Result<Vec<_>, _>>()?;
    let ctx = MenteeContext::merge(&summaries)?;
    let mut central = CentralSolve::new(&ctx, &cohort.mentors, config)?;
    let view = ctx.worker_view();
    let blocks = parts
        .into_iter()
        .zip(&ranges)
        .map(|(p, r)| BlockScorer::new(p, &cohort.mentors, config.clone(), &view, r.start))
        .collect::<Result<Vec<_>, _>>()?;
    let found = blocks
        .iter()
        .map(|b| b.top_k(k_mentee, k_mentor))
        .collect::<Result<Vec<_>, _>>()?;
    central.start(&found, k_mentor)?;
    for round in 1..=budget.max_rounds.max(1) {
        let m = central
            .matching()
            .ok_or_else(|| config_error("no matching after start".into()))?;
        let checks = blocks
            .iter()
            .zip(&ranges)
            .map(|(b, r)| {
                let used: Vec<(usize, usize)> = m
                    .pairs
                    .iter()
                    .copied()
                    .filter(|p| r.contains(&p.0))
                    .collect();
                b.check(
                    &m.row_duals[r.clone()],
                    &m.row_count_duals[r.clone()],
                    &m.col_duals,
                    &m.col_count_duals,
                    &used,
                    budget.per_row,
                )
            })
            .collect::<Result<Vec<_>, _>>()?;
        if central.record(&checks) || round == budget.max_rounds.max(1) {
            break;
        }
        central.add_violations(&checks)?;
    }
    Ok(BlockedMatch {
        pairs: central.pairs(),
        certificate: central.certificate(),
        candidates: central.candidates(),
    })
}
