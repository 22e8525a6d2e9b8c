//! The participants' own wishes, read from their columns: a mentee's ranked `preferred_mentors`,
//! `avoid_mentors` and per-skill `target_skills`, and a mentor's `declined_mentees`. Ids only:
//! nothing here can name a protected attribute, so no input can express "no mentees of group X".

use crate::cohort::{Cohort, Person, Role};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Mentee column: mentor ids in order of preference, `;`-separated (`m12;m3`).
pub const PREFERRED_MENTORS: &str = "preferred_mentors";
/// Mentee column: mentor ids the mentee does not want, `;`-separated.
pub const AVOID_MENTORS: &str = "avoid_mentors";
/// Mentor column: mentee ids the mentor declines, `;`-separated.
pub const DECLINED_MENTEES: &str = "declined_mentees";
/// Mentee column: the level the mentee aims for per skill, `python:4;sql:3` (levels 1 to 5).
pub const TARGET_SKILLS: &str = "target_skills";

/// How a mentee's `preferred_mentors` list is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PreferenceMode {
    /// A listed mentor earns the `preference` component, more for a higher rank (default).
    #[default]
    Bonus,
    /// A mentee with a list may only be matched with a mentor on it (and the bonus still
    /// orders them by rank); a mentee without a list is unaffected.
    Must,
}

/// A wish that names something that cannot be honoured; names table, row, id, column, value.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{table} row {row} (id {id:?}): column `{column}` has invalid value {value:?}: {problem}; {fix}")]
pub struct WishError {
    /// `mentees` or `mentors`.
    pub table: &'static str,
    /// 1-based data row.
    pub row: usize,
    /// The person's id.
    pub id: String,
    /// The column.
    pub column: &'static str,
    /// The offending entry.
    pub value: String,
    /// What is wrong.
    pub problem: String,
    /// What to write instead.
    pub fix: String,
}

/// Every wish, resolved to row / column indices.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Wishes {
    /// Per mentee: preferred mentor columns, best first.
    pub preferred: Vec<Vec<usize>>,
    /// Per mentee: avoided mentor columns.
    pub avoid: Vec<Vec<usize>>,
    /// Per mentor: declined mentee rows.
    pub declined: Vec<Vec<usize>>,
    /// Per mentee: `(skill, target level)`, in the order given.
    pub target_skills: Vec<Vec<(String, u8)>>,
}

fn entries(p: &Person, column: &str) -> Vec<String> {
    p.column_value(column)
        .map(|v| {
            v.split([';', ','])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

impl Wishes {
    /// True when nobody expressed any wish.
    pub fn is_empty(&self) -> bool {
        self.preferred.iter().all(Vec::is_empty)
            && self.avoid.iter().all(Vec::is_empty)
            && self.declined.iter().all(Vec::is_empty)
            && self.target_skills.iter().all(Vec::is_empty)
    }

    /// The 0-based rank of mentor `j` in mentee `i`'s preferred list.
    pub fn rank(&self, i: usize, j: usize) -> Option<usize> {
        self.preferred.get(i)?.iter().position(|&x| x == j)
    }

    /// Read and check every wish column of both tables.
    ///
    /// # Errors
    /// An unknown id, the person themself, a mentor both preferred and avoided, a repeated id, a
    /// mentee-only column in the mentor table (or the reverse), or a bad target level.
    pub fn read(cohort: &Cohort) -> Result<Wishes, Box<WishError>> {
        Self::read_unboxed(cohort).map_err(Box::new)
    }

    #[allow(clippy::result_large_err)]
    fn read_unboxed(cohort: &Cohort) -> Result<Wishes, WishError> {
        let (mentees, mentors) = (&cohort.mentees.people, &cohort.mentors.people);
        let index = |ps: &[Person]| -> HashMap<String, usize> {
            ps.iter()
                .enumerate()
                .map(|(i, p)| (p.id.clone(), i))
                .collect()
        };
        let (rows, cols) = (index(mentees), index(mentors));
        let mut w = Wishes::default();
        fn err(
            role: Role,
            row: usize,
            p: &Person,
            column: &'static str,
            value: &str,
        ) -> impl Fn(String, &str) -> WishError {
            let (table, id, value) = (role.table(), p.id.clone(), value.to_string());
            move |problem: String, fix: &str| WishError {
                table,
                row: row + 1,
                id: id.clone(),
                column,
                value: value.clone(),
                problem,
                fix: fix.to_string(),
            }
        }
        for (i, p) in mentees.iter().enumerate() {
            if let Some(v) = p.column_value(DECLINED_MENTEES) {
                return Err(err(Role::Mentee, i, p, DECLINED_MENTEES, &v)(
                    "declined_mentees belongs to the mentor table".into(),
                    "move it to the mentors table, or use avoid_mentors for a mentee's wish",
                ));
            }
            let mut lists: [Vec<usize>; 2] = [Vec::new(), Vec::new()];
            for (k, column) in [PREFERRED_MENTORS, AVOID_MENTORS].into_iter().enumerate() {
                for id in entries(p, column) {
                    let e = err(Role::Mentee, i, p, column, &id);
                    if id == p.id {
                        return Err(e(
                            "a person cannot choose themself".into(),
                            "remove the mentee's own id",
                        ));
                    }
                    let Some(&j) = cols.get(&id) else {
                        return Err(e(
                            format!("no mentor has id {id:?}"),
                            "list ids of the mentors table, separated by `;`",
                        ));
                    };
                    if lists[k].contains(&j) {
                        return Err(e(
                            "the same mentor is listed twice".into(),
                            "list each mentor once",
                        ));
                    }
                    if k == 1 && lists[0].contains(&j) {
                        return Err(e(
                            "the mentor is both preferred and avoided".into(),
                            "keep the mentor in one of preferred_mentors and avoid_mentors",
                        ));
                    }
                    lists[k].push(j);
                }
            }
            let [preferred, avoid] = lists;
            w.preferred.push(preferred);
            w.avoid.push(avoid);
            let mut targets: Vec<(String, u8)> = Vec::new();
            for item in entries(p, TARGET_SKILLS) {
                let e = err(Role::Mentee, i, p, TARGET_SKILLS, &item);
                let fix = "write skill:level pairs with levels 1 to 5, e.g. python:4;sql:3";
                let Some((name, level)) = item.rsplit_once(':') else {
                    return Err(e("no target level".into(), fix));
                };
                let name = name.trim().to_lowercase();
                let level = match level.trim().parse::<u8>() {
                    Ok(l @ 1..=5) if !name.is_empty() => l,
                    _ => return Err(e("not a skill with a level from 1 to 5".into(), fix)),
                };
                if targets.iter().any(|t| t.0 == name) {
                    return Err(e("the same skill is listed twice".into(), fix));
                }
                targets.push((name, level));
            }
            w.target_skills.push(targets);
        }
        for (j, p) in mentors.iter().enumerate() {
            for column in [PREFERRED_MENTORS, AVOID_MENTORS, TARGET_SKILLS] {
                if let Some(v) = p.column_value(column) {
                    return Err(err(Role::Mentor, j, p, column, &v)(
                        format!("{column} belongs to the mentee table"),
                        "move it to the mentees table; a mentor declines mentees with declined_mentees",
                    ));
                }
            }
            let mut declined = Vec::new();
            for id in entries(p, DECLINED_MENTEES) {
                let e = err(Role::Mentor, j, p, DECLINED_MENTEES, &id);
                if id == p.id {
                    return Err(e(
                        "a person cannot decline themself".into(),
                        "remove the mentor's own id",
                    ));
                }
                let Some(&i) = rows.get(&id) else {
                    return Err(e(
                        format!("no mentee has id {id:?}"),
                        "list ids of the mentees table, separated by `;` (mentees are declined by id only)",
                    ));
                };
                if declined.contains(&i) {
                    return Err(e(
                        "the same mentee is listed twice".into(),
                        "list each mentee once",
                    ));
                }
                declined.push(i);
            }
            w.declined.push(declined);
        }
        Ok(w)
    }
}
