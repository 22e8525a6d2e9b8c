//! Criteria and rules a programme defines on any column: soft criteria become scoring
//! components, hard rules (`rule = "must"`) become exclusions in the constraint mask.
//!
//! This module holds the declaration, its validation against the cohort and the column values
//! read once per person; scoring (`score::criteria`) and the mask (`constraints`) use them.

use crate::cohort::{Cohort, Person, Role, Table};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Default weight of a soft criterion.
pub const DEFAULT_CRITERION_WEIGHT: f64 = 0.1;

/// The kinds a criterion may have.
pub const KINDS: [&str; 5] = ["same", "different", "closeness", "overlap", "ahead"];

/// Soft (scored) or hard (a constraint).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Rule {
    /// A scoring component with a weight (default).
    #[default]
    Prefer,
    /// A hard constraint: pairs that break it are excluded.
    Must,
}

/// One programme-defined criterion, as declared in Python, TOML or Rust.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    /// The column both tables share (a carried-through column, or `department` / `level` /
    /// `timezone`).
    pub column: String,
    /// `same`, `different`, `closeness` (numbers, with `scale`), `overlap` (`;`-separated sets,
    /// Jaccard) or `ahead` (the mentor ahead by `by`, numbers or the ranks of `order`).
    pub kind: String,
    /// Weight of a soft criterion (default 0.1); ignored by a `must` rule.
    #[serde(default)]
    pub weight: Option<f64>,
    /// `prefer` (default, scored) or `must` (hard).
    #[serde(default)]
    pub rule: Rule,
    /// `closeness`: the difference at which the value falls to 0 (soft), or the largest allowed
    /// difference (must). Default 1.
    #[serde(default)]
    pub scale: Option<f64>,
    /// `ahead`: how far the mentor should be ahead (default 1).
    #[serde(default)]
    pub by: Option<f64>,
    /// `ahead`: the values in increasing order when the column is text (`["junior", "senior"]`).
    #[serde(default)]
    pub order: Option<Vec<String>>,
    /// Component name in results (default: the column name).
    #[serde(default)]
    pub name: Option<String>,
}

impl Criterion {
    /// A soft criterion of `kind` on `column` with `weight`.
    pub fn prefer(column: &str, kind: &str, weight: f64) -> Self {
        Criterion {
            column: column.into(),
            kind: kind.into(),
            weight: Some(weight),
            rule: Rule::Prefer,
            scale: None,
            by: None,
            order: None,
            name: None,
        }
    }

    /// A hard rule of `kind` on `column`.
    pub fn must(column: &str, kind: &str) -> Self {
        Criterion {
            rule: Rule::Must,
            weight: None,
            ..Criterion::prefer(column, kind, 0.0)
        }
    }

    /// The component name.
    pub fn label(&self) -> String {
        self.name.clone().unwrap_or_else(|| self.column.clone())
    }

    /// The soft weight (default [`DEFAULT_CRITERION_WEIGHT`]).
    pub fn weight(&self) -> f64 {
        self.weight.unwrap_or(DEFAULT_CRITERION_WEIGHT)
    }

    /// `scale`, default 1.
    pub fn scale(&self) -> f64 {
        self.scale.unwrap_or(1.0)
    }

    /// `by`, default 1.
    pub fn by(&self) -> f64 {
        self.by.unwrap_or(1.0)
    }

    fn numeric(&self) -> bool {
        matches!(self.kind.as_str(), "closeness" | "ahead")
    }
}

/// A criterion that cannot be applied.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CriterionError {
    /// The declaration itself is wrong.
    #[error("criteria[{index}] on column `{column}`: {problem}; {fix}")]
    Declaration {
        /// Position in the list.
        index: usize,
        /// Its column.
        column: String,
        /// What is wrong.
        problem: String,
        /// How to fix it.
        fix: String,
    },
    /// A value in a table does not fit the criterion.
    #[error(transparent)]
    Value(Box<BadCriterionValue>),
}

/// A table value that does not fit a criterion: where it is, what is wrong, how to fix it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{table} row {row} (id {id:?}): column `{column}` has invalid value {value:?} for criteria[{index}] ({kind}): {problem}; {fix}")]
pub struct BadCriterionValue {
    /// Position in the list.
    pub index: usize,
    /// The kind.
    pub kind: String,
    /// `mentees` or `mentors`.
    pub table: &'static str,
    /// 1-based data row.
    pub row: usize,
    /// The person's id.
    pub id: String,
    /// The column.
    pub column: String,
    /// The value.
    pub value: String,
    /// What is wrong.
    pub problem: String,
    /// How to fix it.
    pub fix: String,
}

/// One side's values of a criterion's column.
#[derive(Debug, Clone, PartialEq)]
pub enum Values {
    /// Interned text (`same`, `different`); ids are shared by both tables.
    Text(Vec<Option<u32>>),
    /// Numbers (`closeness`, `ahead`).
    Number(Vec<Option<f64>>),
    /// Sorted interned sets (`overlap`).
    Set(Vec<Vec<u32>>),
}

/// A criterion with both tables' values read.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    /// The declaration.
    pub criterion: Criterion,
    /// Mentee values, row-aligned.
    pub mentees: Values,
    /// Mentor values, row-aligned.
    pub mentors: Values,
    /// Interned text values by id (lower case), for explanations.
    pub names: Vec<String>,
}

fn decl(index: usize, c: &Criterion, problem: String, fix: &str) -> CriterionError {
    CriterionError::Declaration {
        index,
        column: c.column.clone(),
        problem,
        fix: fix.to_string(),
    }
}

fn has_column(t: &Table, column: &str) -> bool {
    t.people.iter().any(|p| p.column_value(column).is_some())
}

/// Check every criterion against the cohort and read its values.
///
/// # Errors
/// An unknown kind, a negative or non-finite weight / scale / `by`, a `must` rule of a kind that
/// has no hard form, a protected column or one neither table has, and a value that is not a
/// number (or not in `order`) where the kind compares numerically.
/// `reserved` says which component names are taken by other components.
pub fn prepare(
    cohort: &Cohort,
    criteria: &[Criterion],
    reserved: impl Fn(&str) -> bool,
) -> Result<Vec<Prepared>, CriterionError> {
    let mut out = Vec::with_capacity(criteria.len());
    let mut names: Vec<String> = Vec::new();
    for (index, c) in criteria.iter().enumerate() {
        if !KINDS.contains(&c.kind.as_str()) {
            return Err(decl(
                index,
                c,
                format!("unknown kind `{}`", c.kind),
                "use same, different, closeness, overlap or ahead",
            ));
        }
        for (what, v) in [("weight", c.weight), ("scale", c.scale), ("by", c.by)] {
            if let Some(v) = v {
                let ok = v.is_finite() && v >= 0.0 && (what == "weight" || v > 0.0);
                if !ok {
                    return Err(decl(
                        index,
                        c,
                        format!("{what} is {v}"),
                        "use a finite, non-negative number (scale and by above 0)",
                    ));
                }
            }
        }
        if c.rule == Rule::Must && c.kind == "overlap" {
            return Err(decl(
                index,
                c,
                "`overlap` has no hard form".into(),
                "use same, different, closeness or ahead with rule = \"must\", or make it a soft criterion",
            ));
        }
        let protected = [&cohort.mentees, &cohort.mentors]
            .iter()
            .any(|t| t.protected.columns.iter().any(|p| p == &c.column));
        if protected {
            return Err(decl(
                index,
                c,
                "the column is protected".into(),
                "protected attributes never reach a score or a rule; a mentee may ask for a shared background instead",
            ));
        }
        if !has_column(&cohort.mentees, &c.column) && !has_column(&cohort.mentors, &c.column) {
            return Err(decl(
                index,
                c,
                "neither table has a value in this column".into(),
                "name a column of both tables (spelling and case must match)",
            ));
        }
        let label = c.label();
        if names.contains(&label) || reserved(&label) {
            return Err(decl(
                index,
                c,
                format!("component name `{label}` is already used"),
                "give the criterion its own `name`",
            ));
        }
        names.push(label);
        let mut interner: HashMap<String, u32> = HashMap::new();
        let mentees = read_values(index, c, &cohort.mentees, &mut interner)?;
        let mentors = read_values(index, c, &cohort.mentors, &mut interner)?;
        let mut names = vec![String::new(); interner.len()];
        for (name, id) in interner {
            names[id as usize] = name;
        }
        out.push(Prepared {
            criterion: c.clone(),
            mentees,
            mentors,
            names,
        });
    }
    Ok(out)
}

/// The number behind a value: its rank in `order`, else the value parsed as a number.
pub fn number(c: &Criterion, value: &str) -> Option<f64> {
    match &c.order {
        Some(order) => order
            .iter()
            .position(|o| o.trim().eq_ignore_ascii_case(value.trim()))
            .map(|k| k as f64),
        None => value.trim().parse::<f64>().ok().filter(|x| x.is_finite()),
    }
}

fn read_values(
    index: usize,
    c: &Criterion,
    t: &Table,
    interner: &mut HashMap<String, u32>,
) -> Result<Values, CriterionError> {
    let mut intern = |s: &str| {
        let n = interner.len() as u32;
        *interner.entry(s.trim().to_lowercase()).or_insert(n)
    };
    fn cell<'p>(p: &'p Person, c: &Criterion) -> Option<std::borrow::Cow<'p, str>> {
        p.column_value(&c.column)
    }
    Ok(match c.kind.as_str() {
        "same" | "different" => Values::Text(
            t.people
                .iter()
                .map(|p| cell(p, c).map(|v| intern(&v)))
                .collect(),
        ),
        "overlap" => Values::Set(
            t.people
                .iter()
                .map(|p| {
                    let mut s: Vec<u32> = cell(p, c)
                        .map(|v| {
                            v.split(';')
                                .filter(|x| !x.trim().is_empty())
                                .map(&mut intern)
                                .collect()
                        })
                        .unwrap_or_default();
                    s.sort_unstable();
                    s.dedup();
                    s
                })
                .collect(),
        ),
        _ => {
            debug_assert!(c.numeric());
            let mut out = Vec::with_capacity(t.people.len());
            for (row, p) in t.people.iter().enumerate() {
                let v = cell(p, c);
                let x = match &v {
                    None => None,
                    Some(v) => Some(number(c, v).ok_or_else(|| CriterionError::Value(Box::new(BadCriterionValue {
                        index,
                        kind: c.kind.clone(),
                        table: Role::table(t.role),
                        row: row + 1,
                        id: p.id.clone(),
                        column: c.column.clone(),
                        value: v.to_string(),
                        problem: match &c.order {
                            Some(_) => "not one of the values in `order`".into(),
                            None => "the kind compares numbers, and this is not a number".into(),
                        },
                        fix: "give a number, list the text values in increasing order with `order`, or use kind same/different".into(),
                    })))?),
                };
                out.push(x);
            }
            Values::Number(out)
        }
    })
}

impl Prepared {
    /// Does the pair (mentee `i`, mentor `j`) satisfy this criterion as a hard rule? A missing
    /// value never satisfies a rule.
    pub fn allows(&self, i: usize, j: usize) -> bool {
        let c = &self.criterion;
        match (&self.mentees, &self.mentors) {
            (Values::Text(a), Values::Text(b)) => match (a.get(i), b.get(j)) {
                (Some(Some(x)), Some(Some(y))) => (x == y) == (c.kind == "same"),
                _ => false,
            },
            (Values::Number(a), Values::Number(b)) => match (a.get(i), b.get(j)) {
                (Some(Some(x)), Some(Some(y))) => match c.kind.as_str() {
                    "closeness" => (x - y).abs() <= c.scale(),
                    _ => y - x >= c.by(),
                },
                _ => false,
            },
            _ => true,
        }
    }
}
