//! Hard constraints: the mask applied to the score matrix before solving, and an independent
//! audit that re-checks a finished matching from the raw cohort (no code shared with scoring
//! or with the mask).

use crate::cohort::{Cohort, Person};
use ndarray::{Array2, Axis};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Why a pair is not allowed. Every kind but [`Exclusion::BelowMinScore`] is decided before any
/// score is looked at ([`Mask`]); the prepared problem's mask adds the minimum score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Exclusion {
    /// The same id is in both tables: nobody mentors themself.
    SamePerson,
    /// One manages the other, directly or up the chain.
    ReportingLine,
    /// Both in the same department (only with `exclude_same_department`).
    SameDepartment,
    /// Listed in `forbid`.
    Forbidden,
    /// The mentor's capacity is 0.
    NoCapacity,
    /// The pair passes every constraint above but scores below `min_score`. Only the prepared
    /// problem's mask reports it ([`Mask`] looks at no score).
    BelowMinScore,
    /// The mentee listed the mentor in `avoid_mentors`.
    MenteeDeclined,
    /// The mentor listed the mentee in `declined_mentees`.
    MentorDeclined,
    /// `preferences = "must"` and the mentor is not on the mentee's `preferred_mentors`.
    NotPreferred,
    /// The pair breaks a programme rule (a criterion with `rule = "must"`).
    ProgrammeRule,
    /// The two were paired in an earlier round (the programme's history) and repeat pairs are
    /// not allowed (`allow_repeat_pairs`).
    PairedBefore,
}

impl Exclusion {
    /// Words for messages.
    pub fn describe(self) -> &'static str {
        match self {
            Exclusion::SamePerson => "same person in both tables",
            Exclusion::ReportingLine => "in each other's reporting line",
            Exclusion::SameDepartment => "same department",
            Exclusion::Forbidden => "forbidden pair",
            Exclusion::NoCapacity => "mentor capacity is 0",
            Exclusion::BelowMinScore => "score below min_score",
            Exclusion::MenteeDeclined => "the mentee would rather not (avoid_mentors)",
            Exclusion::MentorDeclined => "the mentor declined the mentee (declined_mentees)",
            Exclusion::NotPreferred => "not on the mentee's preferred_mentors (preferences = must)",
            Exclusion::ProgrammeRule => "breaks a programme rule (criteria with rule = must)",
            Exclusion::PairedBefore => {
                "paired in an earlier round (history); set allow_repeat_pairs to allow it"
            }
        }
    }
}

/// A (mentee id, mentor id) pair named in `forbid` or `pin` that is not in the cohort.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{list} pair ({mentee_id:?}, {mentor_id:?}): {problem}; pairs are (mentee id, mentor id) of people in the tables")]
pub struct UnknownPair {
    /// `forbid` or `pin`.
    pub list: &'static str,
    /// Mentee id as given.
    pub mentee_id: String,
    /// Mentor id as given.
    pub mentor_id: String,
    /// Which id is unknown.
    pub problem: String,
}

/// Index of ids of a table.
fn index(people: &[Person]) -> HashMap<&str, usize> {
    people
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.as_str(), i))
        .collect()
}

/// Resolve `(mentee id, mentor id)` pairs to `(row, column)`.
pub fn resolve_pairs(
    cohort: &Cohort,
    list: &'static str,
    pairs: &[(String, String)],
) -> Result<Vec<(usize, usize)>, UnknownPair> {
    let (rows, cols) = (index(&cohort.mentees.people), index(&cohort.mentors.people));
    pairs
        .iter()
        .map(
            |(a, b)| match (rows.get(a.as_str()), cols.get(b.as_str())) {
                (Some(&i), Some(&j)) => Ok((i, j)),
                (ra, _) => Err(UnknownPair::new(list, a, b, ra.is_none())),
            },
        )
        .collect()
}

impl UnknownPair {
    /// The error for a `list` pair whose mentee id (`mentee_missing`) or else mentor id is not
    /// in its table.
    pub fn new(list: &'static str, mentee_id: &str, mentor_id: &str, mentee_missing: bool) -> Self {
        UnknownPair {
            list,
            mentee_id: mentee_id.to_string(),
            mentor_id: mentor_id.to_string(),
            problem: if mentee_missing {
                format!("no mentee has id {mentee_id:?}")
            } else {
                format!("no mentor has id {mentor_id:?}")
            },
        }
    }
}

/// Interned department ids of (mentees, mentors); `None` = no department given.
type Departments = (Vec<Option<u32>>, Vec<Option<u32>>);

/// The hard-constraint mask: sparse exclusions per mentee row plus department ids.
#[derive(Debug, Clone)]
pub struct Mask {
    /// Per mentee row, excluded mentor columns with the reason, sorted by column.
    sparse: Vec<Vec<(u32, Exclusion)>>,
    /// Department ids (mentees, mentors) when same-department pairs are excluded.
    departments: Option<Departments>,
    /// Mentor columns with capacity 0.
    no_capacity: Vec<bool>,
    /// Programme rules (criteria with `rule = "must"`), checked pair by pair.
    rules: Vec<crate::criteria::Prepared>,
    /// Per mentee row: the only mentor columns allowed, sorted (empty = no restriction).
    only: Vec<Vec<u32>>,
}

/// Every id reachable up the manager chain from `start` (not `start` itself unless in a cycle).
/// Terminates on cycles.
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

impl Mask {
    /// Build the mask for a cohort.
    pub fn build(
        cohort: &Cohort,
        exclude_same_department: bool,
        forbid: &[(usize, usize)],
    ) -> Mask {
        let (mentees, mentors) = (&cohort.mentees.people, &cohort.mentors.people);
        let (rows, cols) = (index(mentees), index(mentors));
        let mut sparse: Vec<Vec<(u32, Exclusion)>> = vec![Vec::new(); mentees.len()];
        let mut managers: HashMap<&str, Vec<&str>> = HashMap::new();
        for p in mentees.iter().chain(mentors) {
            if let Some(m) = &p.manager_id {
                let list = managers.entry(p.id.as_str()).or_default();
                if !list.contains(&m.as_str()) {
                    list.push(m.as_str());
                }
            }
        }
        for (i, p) in mentees.iter().enumerate() {
            if let Some(&j) = cols.get(p.id.as_str()) {
                sparse[i].push((j as u32, Exclusion::SamePerson));
            }
            for boss in chain(&p.id, &managers) {
                if let Some(&j) = cols.get(boss) {
                    sparse[i].push((j as u32, Exclusion::ReportingLine));
                }
            }
        }
        for (j, p) in mentors.iter().enumerate() {
            for boss in chain(&p.id, &managers) {
                if let Some(&i) = rows.get(boss) {
                    sparse[i].push((j as u32, Exclusion::ReportingLine));
                }
            }
        }
        for &(i, j) in forbid {
            if let Some(row) = sparse.get_mut(i) {
                row.push((j as u32, Exclusion::Forbidden));
            }
        }
        for row in &mut sparse {
            // Keep the first reason per column in Exclusion order.
            row.sort_unstable();
            row.dedup_by_key(|e| e.0);
        }
        let departments = exclude_same_department.then(|| {
            let mut ids: HashMap<String, u32> = HashMap::new();
            let mut intern = |p: &Person| {
                p.department_key().map(|d| {
                    let n = ids.len() as u32;
                    *ids.entry(d).or_insert(n)
                })
            };
            let a: Vec<Option<u32>> = mentees.iter().map(&mut intern).collect();
            let b: Vec<Option<u32>> = mentors.iter().map(&mut intern).collect();
            (a, b)
        });
        Mask {
            sparse,
            departments,
            no_capacity: mentors.iter().map(|p| p.capacity == 0).collect(),
            rules: Vec::new(),
            only: Vec::new(),
        }
    }

    /// Allow mentee row `i` only the mentor columns in `allowed[i]` (an empty list = no
    /// restriction); the others are excluded as [`Exclusion::NotPreferred`].
    pub fn restrict_to(&mut self, allowed: &[Vec<usize>]) {
        self.only = allowed
            .iter()
            .map(|a| {
                let mut v: Vec<u32> = a.iter().map(|&j| j as u32).collect();
                v.sort_unstable();
                v
            })
            .collect();
    }

    /// Exclude further `(row, column, reason)` pairs (the participants' own wishes); a pair keeps
    /// the first reason in [`Exclusion`] order.
    pub fn add_exclusions(&mut self, pairs: impl IntoIterator<Item = (usize, usize, Exclusion)>) {
        for (i, j, e) in pairs {
            if let Some(row) = self.sparse.get_mut(i) {
                row.push((j as u32, e));
            }
        }
        for row in &mut self.sparse {
            row.sort_unstable();
            row.dedup_by_key(|e| e.0);
        }
    }

    /// Add programme rules (criteria with `rule = "must"`; others are ignored).
    pub fn add_rules(&mut self, rules: impl IntoIterator<Item = crate::criteria::Prepared>) {
        self.rules.extend(
            rules
                .into_iter()
                .filter(|r| r.criterion.rule == crate::criteria::Rule::Must),
        );
    }

    /// Why mentee row `i` and mentor column `j` may not be paired, if they may not.
    pub fn excluded(&self, i: usize, j: usize) -> Option<Exclusion> {
        if let Some(row) = self.sparse.get(i) {
            if let Ok(k) = row.binary_search_by_key(&(j as u32), |e| e.0) {
                return Some(row[k].1);
            }
        }
        if let Some((a, b)) = &self.departments {
            if let (Some(Some(x)), Some(Some(y))) = (a.get(i), b.get(j)) {
                if x == y {
                    return Some(Exclusion::SameDepartment);
                }
            }
        }
        if let Some(only) = self.only.get(i) {
            if !only.is_empty() && only.binary_search(&(j as u32)).is_err() {
                return Some(Exclusion::NotPreferred);
            }
        }
        if self.rules.iter().any(|r| !r.allows(i, j)) {
            return Some(Exclusion::ProgrammeRule);
        }
        if self.no_capacity.get(j).copied().unwrap_or(false) {
            return Some(Exclusion::NoCapacity);
        }
        None
    }

    /// Set excluded pairs and pairs scoring below `min_score` to NaN, in parallel over rows.
    pub fn apply(&self, scores: &mut Array2<f64>, min_score: f64) {
        scores
            .axis_iter_mut(Axis(0))
            .into_par_iter()
            .enumerate()
            .for_each(|(i, mut row)| {
                for (j, cell) in row.iter_mut().enumerate() {
                    if *cell < min_score || self.excluded(i, j).is_some() {
                        *cell = f64::NAN;
                    }
                }
            });
    }
}

/// What [`Mask::excluded`] says of each mentor of a row, counted from the mask's structure
/// (the row's listed exclusions, the department counts, the mentors without capacity) instead
/// of a test per pair: O(listed exclusions) per row. Mentors no constraint excludes are counted
/// by a class the caller gives each mentor (for instance "at capacity" or "with room").
#[derive(Debug, Clone)]
pub struct Tally<'m> {
    mask: &'m Mask,
    classes: usize,
    /// Per mentor: its slot (0: no capacity, `1 + class` otherwise).
    slot: Vec<u8>,
    /// Per department id: mentors per slot.
    by_department: Vec<Vec<usize>>,
    /// Mentors per slot.
    total: Vec<usize>,
}

/// A row of a [`Tally`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RowTally {
    /// Mentors excluded, by the reason [`Mask::excluded`] gives.
    pub excluded: BTreeMap<Exclusion, usize>,
    /// Mentors no constraint excludes, by class.
    pub classes: Vec<usize>,
}

impl Mask {
    /// A [`Tally`] of this mask, with `class[j] < classes` the class of mentor `j`.
    ///
    /// # Panics
    /// Never: a class out of range, or more than 254 classes, counts in the last class.
    pub fn tally(&self, class: &[u8], classes: usize) -> Tally<'_> {
        let classes = classes.clamp(1, 254);
        let cols = self.no_capacity.len();
        let slot: Vec<u8> = (0..cols)
            .map(|j| {
                if self.no_capacity[j] {
                    0
                } else {
                    1 + class.get(j).copied().unwrap_or(0).min(classes as u8 - 1)
                }
            })
            .collect();
        let mut total = vec![0usize; classes + 1];
        let mut by_department: Vec<Vec<usize>> = Vec::new();
        for (j, &k) in slot.iter().enumerate() {
            total[k as usize] += 1;
            if let Some(d) = self
                .departments
                .as_ref()
                .and_then(|(_, b)| b.get(j).copied().flatten())
            {
                let d = d as usize;
                if by_department.len() <= d {
                    by_department.resize(d + 1, vec![0; classes + 1]);
                }
                by_department[d][k as usize] += 1;
            }
        }
        Tally {
            mask: self,
            classes,
            slot,
            by_department,
            total,
        }
    }
}

impl Tally<'_> {
    /// Row `i`'s counts over every mentor but those in `skip` (distinct columns); `None` when a
    /// per-pair test is needed (programme rules, or an allow list for the row), or `i` is out
    /// of range.
    pub fn row(&self, i: usize, skip: &[usize]) -> Option<RowTally> {
        let mask = self.mask;
        if !mask.rules.is_empty()
            || mask.only.get(i).is_some_and(|o| !o.is_empty())
            || i >= mask.sparse.len()
        {
            return None;
        }
        let dept = mask
            .departments
            .as_ref()
            .and_then(|(a, _)| a.get(i).copied().flatten());
        let same = |j: usize| {
            dept.is_some()
                && mask
                    .departments
                    .as_ref()
                    .is_some_and(|(_, b)| b.get(j).copied().flatten() == dept)
        };
        let mut slots = self.total.clone();
        let mut same_department = 0usize;
        if let Some(row) = dept.and_then(|d| self.by_department.get(d as usize)) {
            for (n, m) in slots.iter_mut().zip(row) {
                *n -= m;
                same_department += m;
            }
        }
        let mut excluded: BTreeMap<Exclusion, usize> = BTreeMap::new();
        let listed = &mask.sparse[i];
        // Take mentor `j` out of the count of mentors no listed exclusion takes.
        let mut unlist = |j: usize| {
            if same(j) {
                same_department -= 1;
            } else if let Some(&k) = self.slot.get(j) {
                slots[k as usize] -= 1;
            }
        };
        for &(j, e) in listed {
            if (j as usize) < self.slot.len() {
                unlist(j as usize);
                *excluded.entry(e).or_insert(0) += 1;
            }
        }
        for &j in skip {
            if j >= self.slot.len() {
                continue;
            }
            match listed.binary_search_by_key(&(j as u32), |e| e.0) {
                Ok(k) => {
                    if let Some(n) = excluded.get_mut(&listed[k].1) {
                        *n -= 1;
                    }
                }
                Err(_) => unlist(j),
            }
        }
        excluded.retain(|_, n| *n > 0);
        if same_department > 0 {
            excluded.insert(Exclusion::SameDepartment, same_department);
        }
        if slots[0] > 0 {
            *excluded.entry(Exclusion::NoCapacity).or_insert(0) += slots[0];
        }
        Some(RowTally {
            excluded,
            classes: slots[1..=self.classes].to_vec(),
        })
    }
}

// ----------------------------------------------------------------------------------------------
// The independent audit. It reads the raw cohort and the finished pairs only.

/// A broken hard constraint found by [`audit`]. A correct matching has none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Violation {
    /// Mentee id (empty for table-wide checks).
    pub mentee_id: String,
    /// Mentor id (empty for table-wide checks).
    pub mentor_id: String,
    /// Which constraint: `unknown_id`, `same_person`, `reporting_line`, `same_department`,
    /// `forbidden`, `min_score`, `capacity`, `mentors_wanted`, `duplicate_pair`, `pin_missing`,
    /// `score_not_finite`.
    pub constraint: String,
    /// What exactly is wrong.
    pub detail: String,
}

/// What the audit needs to know about the configuration.
#[derive(Debug, Clone, Copy)]
pub struct AuditRules<'a> {
    /// Same-department pairs are not allowed.
    pub exclude_same_department: bool,
    /// Forbidden (mentee id, mentor id) pairs.
    pub forbid: &'a [(String, String)],
    /// Pinned pairs that must be present.
    pub pin: &'a [(String, String)],
    /// Lowest allowed score.
    pub min_score: f64,
}

/// Does `target` appear up the manager chain of `from`? Walks with a visited set, so cycles end.
fn reports_to(from: &str, target: &str, manager_of: &HashMap<&str, Vec<&str>>) -> bool {
    let mut visited: HashSet<&str> = HashSet::new();
    let mut frontier: Vec<&str> = vec![from];
    while let Some(cur) = frontier.pop() {
        for &m in manager_of.get(cur).map(Vec::as_slice).unwrap_or(&[]) {
            if m == target {
                return true;
            }
            if visited.insert(m) {
                frontier.push(m);
            }
        }
    }
    false
}

/// Re-check every pair `(mentee id, mentor id, score)` against every hard constraint.
pub fn audit(
    cohort: &Cohort,
    rules: AuditRules,
    pairs: &[(String, String, f64)],
) -> Vec<Violation> {
    let mut out = Vec::new();
    let mut flag = |a: &str, b: &str, c: &str, d: String| {
        out.push(Violation {
            mentee_id: a.to_string(),
            mentor_id: b.to_string(),
            constraint: c.to_string(),
            detail: d,
        })
    };
    let mentee: HashMap<&str, &Person> = cohort
        .mentees
        .people
        .iter()
        .map(|p| (p.id.as_str(), p))
        .collect();
    let mentor: HashMap<&str, &Person> = cohort
        .mentors
        .people
        .iter()
        .map(|p| (p.id.as_str(), p))
        .collect();
    let mut manager_of: HashMap<&str, Vec<&str>> = HashMap::new();
    for p in cohort.mentees.people.iter().chain(&cohort.mentors.people) {
        if let Some(m) = p.manager_id.as_deref() {
            manager_of.entry(p.id.as_str()).or_default().push(m);
        }
    }
    let forbidden: HashSet<(&str, &str)> = rules
        .forbid
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let mut load: BTreeMap<&str, u32> = BTreeMap::new();
    let mut taken: BTreeMap<&str, u32> = BTreeMap::new();
    let mut seen: HashSet<(&str, &str)> = HashSet::new();
    for (a, b, score) in pairs {
        let (a, b) = (a.as_str(), b.as_str());
        let (Some(pa), Some(pb)) = (mentee.get(a), mentor.get(b)) else {
            flag(
                a,
                b,
                "unknown_id",
                "the pair names someone who is not in the tables".into(),
            );
            continue;
        };
        if !seen.insert((a, b)) {
            flag(
                a,
                b,
                "duplicate_pair",
                "the same mentor is assigned twice".into(),
            );
        }
        if a == b {
            flag(
                a,
                b,
                "same_person",
                "a person is matched with themself".into(),
            );
        }
        if reports_to(a, b, &manager_of) {
            flag(
                a,
                b,
                "reporting_line",
                format!("{b} is in {a}'s management chain"),
            );
        }
        if reports_to(b, a, &manager_of) {
            flag(
                a,
                b,
                "reporting_line",
                format!("{a} is in {b}'s management chain"),
            );
        }
        if rules.exclude_same_department {
            if let (Some(x), Some(y)) = (&pa.department, &pb.department) {
                if pa.department_key() == pb.department_key() {
                    flag(
                        a,
                        b,
                        "same_department",
                        format!("both in department {x:?} / {y:?}"),
                    );
                }
            }
        }
        if forbidden.contains(&(a, b)) {
            flag(a, b, "forbidden", "the pair is listed in forbid".into());
        }
        if !score.is_finite() {
            flag(a, b, "score_not_finite", format!("score is {score}"));
        } else if *score < rules.min_score {
            flag(
                a,
                b,
                "min_score",
                format!("score {score} is below min_score {}", rules.min_score),
            );
        }
        *load.entry(b).or_default() += 1;
        *taken.entry(a).or_default() += 1;
    }
    for (b, n) in &load {
        let cap = mentor.get(b).map_or(0, |p| p.capacity);
        if *n > cap {
            flag(
                "",
                b,
                "capacity",
                format!("mentor has {n} mentees but capacity {cap}"),
            );
        }
    }
    for (a, n) in &taken {
        let want = mentee.get(a).map_or(0, |p| p.capacity);
        if *n > want {
            flag(
                a,
                "",
                "mentors_wanted",
                format!("mentee has {n} mentors but wants {want}"),
            );
        }
    }
    for (a, b) in rules.pin {
        if !seen.contains(&(a.as_str(), b.as_str())) {
            flag(
                a,
                b,
                "pin_missing",
                "a pinned pair is not in the result".into(),
            );
        }
    }
    out
}

/// The participants' wishes and the programme rules the audit re-checks.
#[derive(Debug, Clone, Copy)]
pub struct WishRules<'a> {
    /// Programme criteria; those with `rule = "must"` are checked.
    pub criteria: &'a [crate::criteria::Criterion],
    /// A mentee with `preferred_mentors` may only have mentors from that list.
    pub preferred_only: bool,
}

fn listed(p: &Person, column: &str, id: &str) -> bool {
    p.column_value(column)
        .is_some_and(|v| v.split([';', ',']).map(str::trim).any(|x| x == id))
}

/// The value of `column` as a number for a rule: its position in `order` when given, else the
/// text parsed as a number.
fn rule_number(value: &str, order: Option<&[String]>) -> Option<f64> {
    match order {
        Some(o) => o
            .iter()
            .position(|x| x.trim().to_lowercase() == value.trim().to_lowercase())
            .map(|k| k as f64),
        None => value.trim().parse().ok(),
    }
}

/// Re-check every pair against `avoid_mentors`, `declined_mentees`, `preferred_mentors` (when
/// only preferred mentors are allowed) and each programme rule, reading the raw columns.
pub fn audit_wishes(
    cohort: &Cohort,
    rules: WishRules,
    pairs: &[(String, String, f64)],
) -> Vec<Violation> {
    let mentee_ix: HashMap<&str, usize> = index(&cohort.mentees.people);
    let mentor_ix: HashMap<&str, usize> = index(&cohort.mentors.people);
    let mut out = Vec::new();
    for (a, b, _) in pairs {
        let (Some(&i), Some(&j)) = (mentee_ix.get(a.as_str()), mentor_ix.get(b.as_str())) else {
            continue;
        };
        let (pa, pb) = (&cohort.mentees.people[i], &cohort.mentors.people[j]);
        let mut flag = |constraint: &str, detail: String| {
            out.push(Violation {
                mentee_id: a.clone(),
                mentor_id: b.clone(),
                constraint: constraint.to_string(),
                detail,
            })
        };
        if listed(pa, "avoid_mentors", b) {
            flag(
                "mentee_declined",
                format!("{a} listed {b} in avoid_mentors"),
            );
        }
        if listed(pb, "declined_mentees", a) {
            flag(
                "mentor_declined",
                format!("{b} listed {a} in declined_mentees"),
            );
        }
        if rules.preferred_only
            && pa.column_value("preferred_mentors").is_some()
            && !listed(pa, "preferred_mentors", b)
        {
            flag(
                "not_preferred",
                format!("{b} is not on {a}'s preferred_mentors"),
            );
        }
        for c in rules.criteria {
            if c.rule != crate::criteria::Rule::Must {
                continue;
            }
            let (x, y) = (pa.column_value(&c.column), pb.column_value(&c.column));
            let ok = match (x.as_deref(), y.as_deref()) {
                (Some(x), Some(y)) => match c.kind.as_str() {
                    "same" => x.trim().to_lowercase() == y.trim().to_lowercase(),
                    "different" => x.trim().to_lowercase() != y.trim().to_lowercase(),
                    kind => match (
                        rule_number(x, c.order.as_deref()),
                        rule_number(y, c.order.as_deref()),
                    ) {
                        (Some(x), Some(y)) if kind == "closeness" => {
                            (x - y).abs() <= c.scale.unwrap_or(1.0)
                        }
                        (Some(x), Some(y)) => y - x >= c.by.unwrap_or(1.0),
                        _ => false,
                    },
                },
                _ => false,
            };
            if !ok {
                flag(
                    "programme_rule",
                    format!(
                        "`{}` must be {} ({:?} vs {:?})",
                        c.column,
                        c.kind,
                        x.as_deref().unwrap_or(""),
                        y.as_deref().unwrap_or("")
                    ),
                );
            }
        }
    }
    out
}

/// The history part of the independent audit: every matched pair that the history says met in
/// an earlier round is a `paired_before` violation, unless repeat pairs are allowed. Reads the
/// raw history ids, not the mask.
pub fn audit_history(
    history: &[crate::io::history::PastPair],
    allow_repeat_pairs: bool,
    pairs: &[(String, String, f64)],
) -> Vec<Violation> {
    if allow_repeat_pairs {
        return Vec::new();
    }
    let before: HashMap<(&str, &str), usize> = history
        .iter()
        .enumerate()
        .filter_map(|(k, p)| Some(((p.mentee_id.as_str(), p.mentor_id.as_deref()?), k + 1)))
        .collect();
    pairs
        .iter()
        .filter_map(|(a, b, _)| {
            let row = before.get(&(a.as_str(), b.as_str()))?;
            Some(Violation {
                mentee_id: a.clone(),
                mentor_id: b.clone(),
                constraint: "paired_before".into(),
                detail: format!("{a} and {b} were paired in an earlier round (history row {row})"),
            })
        })
        .collect()
}
