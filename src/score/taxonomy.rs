//! Related tags get partial credit: a synonym/taxonomy table the programme supplies puts tags
//! into groups (`public speaking ~ presenting`), and a related (not identical) tag earns the
//! group's credit.
//!
//! The table is a list of groups, the same shape from every edge:
//! - Rust: `vec![TaxonomyGroup { tags: vec!["public speaking".into(), "presenting".into()], credit: 0.5 }]`;
//! - TOML: `[[taxonomy]]` tables with `tags = [...]` and an optional `credit`;
//! - Python / JSON: `[{"tags": ["public speaking", "presenting"], "credit": 0.5}]`;
//! - one group per line: `public speaking ~ presenting ~ presentations` ([`Taxonomy::parse_lines`]).
//!
//! Tags are normalised like the cohort's tags (trimmed, lower case). A tag may belong to one
//! group only: a tag named in two groups is an error naming both.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::features::{has_bit, Features, PersonFeatures};

/// Credit of a related tag when a group does not give one.
pub const DEFAULT_RELATED_CREDIT: f64 = 0.5;

fn default_credit() -> f64 {
    DEFAULT_RELATED_CREDIT
}

/// One group of related tags.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaxonomyGroup {
    /// At least two distinct tags.
    pub tags: Vec<String>,
    /// Credit in [0, 1] a tag earns against another tag of the group (default 0.5).
    #[serde(default = "default_credit")]
    pub credit: f64,
}

/// A taxonomy table that cannot be used; every message names the group (1-based) and tag.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TaxonomyError {
    /// The same tag in two groups.
    #[error(
        "taxonomy: tag `{tag}` is in group {first} and in group {second}; a tag may belong to one \
         group only: merge the two groups or remove the tag from one"
    )]
    ConflictingGroups {
        /// The normalised tag.
        tag: String,
        /// The first group naming it (1-based).
        first: usize,
        /// The second group naming it (1-based).
        second: usize,
    },
    /// A credit outside [0, 1] or not finite.
    #[error("taxonomy: group {group} has credit {credit}; use a value in [0, 1], e.g. 0.5")]
    Credit {
        /// The group (1-based).
        group: usize,
        /// Its credit.
        credit: f64,
    },
    /// The same tag given two different groups in the tag → group form.
    #[error(
        "taxonomy: tag `{tag}` is in group `{first_group}` (row {first_row}) and in group \
         `{second_group}` (row {second_row}); a tag may belong to one group only: keep one of the rows"
    )]
    ConflictingRows {
        /// The normalised tag.
        tag: String,
        /// Its first group.
        first_group: String,
        /// The row naming it first (1-based).
        first_row: usize,
        /// Its second group.
        second_group: String,
        /// The row naming it second (1-based).
        second_row: usize,
    },
    /// One group given two different credits in the tag → group form.
    #[error(
        "taxonomy: group `{group}` has credit {first} (row {first_row}) and {second} (row \
         {second_row}); give a group one credit"
    )]
    ConflictingCredit {
        /// The group name.
        group: String,
        /// The first credit.
        first: f64,
        /// Its row (1-based).
        first_row: usize,
        /// The second credit.
        second: f64,
        /// Its row (1-based).
        second_row: usize,
    },
    /// Fewer than two distinct tags.
    #[error(
        "taxonomy: group {group} has {tags} distinct tag(s); a group relates two or more tags"
    )]
    TooSmall {
        /// The group (1-based).
        group: usize,
        /// Its number of distinct non-empty tags.
        tags: usize,
    },
}

/// One row of the tag → group form of a taxonomy (a mapping or a table with columns `tag`,
/// `group` and optionally `credit`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaxonomyRow {
    /// The tag.
    pub tag: String,
    /// The name of its group.
    pub group: String,
    /// The group's credit (default 0.5; every row of a group must agree).
    #[serde(default)]
    pub credit: Option<f64>,
}

/// Turn tag → group rows into groups, in order of first appearance.
///
/// # Errors
/// [`TaxonomyError::ConflictingRows`] when a tag is given two different groups, or
/// [`TaxonomyError::ConflictingCredit`] when a group is given two different credits.
pub fn groups_from_rows(rows: &[TaxonomyRow]) -> Result<Vec<TaxonomyGroup>, TaxonomyError> {
    let mut group_of: HashMap<String, (String, usize)> = HashMap::new();
    let mut names: Vec<String> = Vec::new();
    let mut groups: Vec<TaxonomyGroup> = Vec::new();
    let mut credit_set: Vec<Option<(f64, usize)>> = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        let tag = normalise(&row.tag);
        if tag.is_empty() {
            continue;
        }
        let g = match names.iter().position(|n| *n == row.group) {
            Some(g) => g,
            None => {
                names.push(row.group.clone());
                groups.push(TaxonomyGroup {
                    tags: Vec::new(),
                    credit: DEFAULT_RELATED_CREDIT,
                });
                credit_set.push(None);
                names.len() - 1
            }
        };
        if let Some((other, first)) = group_of.get(&tag) {
            if *other != row.group {
                return Err(TaxonomyError::ConflictingRows {
                    tag,
                    first_group: other.clone(),
                    first_row: first + 1,
                    second_group: row.group.clone(),
                    second_row: r + 1,
                });
            }
            continue;
        }
        group_of.insert(tag.clone(), (row.group.clone(), r));
        if let Some(c) = row.credit {
            match credit_set[g] {
                Some((prev, first)) if prev != c => {
                    return Err(TaxonomyError::ConflictingCredit {
                        group: row.group.clone(),
                        first: prev,
                        first_row: first + 1,
                        second: c,
                        second_row: r + 1,
                    })
                }
                Some(_) => {}
                None => {
                    credit_set[g] = Some((c, r));
                    groups[g].credit = c;
                }
            }
        }
        groups[g].tags.push(tag);
    }
    Ok(groups)
}

/// Groups from one group per line, tags separated by `~` (blank lines and `#` comments ignored),
/// every group with credit `credit`; validated as [`Taxonomy::new`] does.
///
/// # Errors
/// As [`Taxonomy::new`].
pub fn groups_from_lines(text: &str, credit: f64) -> Result<Vec<TaxonomyGroup>, TaxonomyError> {
    let groups: Vec<TaxonomyGroup> = text
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .map(|l| TaxonomyGroup {
            tags: l.split('~').map(str::to_string).collect(),
            credit,
        })
        .collect();
    Taxonomy::new(&groups)?;
    Ok(groups)
}

/// A validated taxonomy: tag → group, and each group's credit.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Taxonomy {
    group_of: HashMap<String, usize>,
    credits: Vec<f64>,
}

fn normalise(tag: &str) -> String {
    crate::cohort::normalise_label(tag)
}

/// How a mentee's tag is met by a mentor's tags.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TagCredit {
    /// The credit: 1 for the same tag, the group's credit for a related one, 0 for none.
    pub credit: f64,
    /// The mentor tag that earned it (`None` when the credit is 0).
    pub via: Option<String>,
}

impl Taxonomy {
    /// Validate `groups`.
    ///
    /// # Errors
    /// [`TaxonomyError`] for a tag in two groups, a credit outside [0, 1] or a group of fewer than
    /// two tags.
    pub fn new(groups: &[TaxonomyGroup]) -> Result<Taxonomy, TaxonomyError> {
        let mut group_of: HashMap<String, usize> = HashMap::new();
        let mut credits = Vec::with_capacity(groups.len());
        for (g, group) in groups.iter().enumerate() {
            if !(group.credit.is_finite() && (0.0..=1.0).contains(&group.credit)) {
                return Err(TaxonomyError::Credit {
                    group: g + 1,
                    credit: group.credit,
                });
            }
            let mut tags: Vec<String> = group
                .tags
                .iter()
                .map(|t| normalise(t))
                .filter(|t| !t.is_empty())
                .collect();
            tags.sort();
            tags.dedup();
            if tags.len() < 2 {
                return Err(TaxonomyError::TooSmall {
                    group: g + 1,
                    tags: tags.len(),
                });
            }
            for tag in tags {
                if let Some(&first) = group_of.get(&tag) {
                    return Err(TaxonomyError::ConflictingGroups {
                        tag,
                        first: first + 1,
                        second: g + 1,
                    });
                }
                group_of.insert(tag, g);
            }
            credits.push(group.credit);
        }
        Ok(Taxonomy { group_of, credits })
    }

    /// Parse one group per line, tags separated by `~` (blank lines and `#` comments ignored),
    /// every group with credit `credit`.
    ///
    /// # Errors
    /// As [`Taxonomy::new`].
    pub fn parse_lines(text: &str, credit: f64) -> Result<Taxonomy, TaxonomyError> {
        Taxonomy::new(&groups_from_lines(text, credit)?)
    }

    /// The group index of `tag` (normalised), if it is in one.
    pub fn group_of(&self, tag: &str) -> Option<usize> {
        self.group_of.get(&normalise(tag)).copied()
    }

    /// The credit of group `g` (0 for an unknown group).
    pub fn group_credit(&self, g: usize) -> f64 {
        self.credits.get(g).copied().unwrap_or(0.0)
    }

    /// Number of groups.
    pub fn len(&self) -> usize {
        self.credits.len()
    }

    /// True when the table has no group.
    pub fn is_empty(&self) -> bool {
        self.credits.is_empty()
    }

    /// The credit of one mentee tag against a mentor's tags: 1 when the mentor has the same tag,
    /// else the group's credit when the mentor has a related tag (the first such tag is named),
    /// else 0.
    pub fn credit<S: AsRef<str>>(&self, mentee_tag: &str, mentor_tags: &[S]) -> TagCredit {
        let tag = normalise(mentee_tag);
        if mentor_tags.iter().any(|t| normalise(t.as_ref()) == tag) {
            return TagCredit {
                credit: 1.0,
                via: Some(tag),
            };
        }
        let Some(&g) = self.group_of.get(&tag) else {
            return TagCredit {
                credit: 0.0,
                via: None,
            };
        };
        match mentor_tags
            .iter()
            .map(|t| normalise(t.as_ref()))
            .find(|t| self.group_of.get(t) == Some(&g))
        {
            Some(via) if self.credits[g] > 0.0 => TagCredit {
                credit: self.credits[g],
                via: Some(via),
            },
            _ => TagCredit {
                credit: 0.0,
                via: None,
            },
        }
    }
}

/// The credit a mentor earns on goal tag `tag` through a related tag of theirs, and that tag:
/// `(credit, via tag id)` from [`PersonFeatures::related_goals`].
pub fn related(mentor: &PersonFeatures, tag: u32) -> Option<(f64, u32)> {
    let r = &mentor.related_goals;
    r.binary_search_by_key(&tag, |x| x.0)
        .ok()
        .map(|k| (r[k].1, r[k].2))
}

/// Give every mentor partial credit on the tags related to their goals: for each tag of the
/// cohort in the same group as one of the mentor's goals (and not a goal of theirs), the group's
/// credit. Goals then count such a tag as `credit` times covered.
pub fn apply(features: &mut Features, taxonomy: &Taxonomy) {
    if taxonomy.is_empty() {
        return;
    }
    // Group of every interned tag, and the tags of each group present in the cohort.
    let n = features.tags.len();
    let group: Vec<Option<usize>> = (0..n as u32)
        .map(|t| taxonomy.group_of(features.tags.name(t)))
        .collect();
    let mut members: Vec<Vec<u32>> = vec![Vec::new(); taxonomy.len()];
    for (t, g) in group.iter().enumerate() {
        if let Some(g) = g {
            members[*g].push(t as u32);
        }
    }
    for m in features.mentors.iter_mut() {
        let mut related: Vec<(u32, f64, u32)> = Vec::new();
        for &(via, _) in &m.goals {
            let Some(g) = group.get(via as usize).copied().flatten() else {
                continue;
            };
            let credit = taxonomy.group_credit(g);
            if credit <= 0.0 {
                continue;
            }
            for &t in &members[g] {
                if !has_bit(&m.goal_bits, t) {
                    related.push((t, credit, via));
                }
            }
        }
        // One entry per tag: the first mentor goal (by tag id) that reaches it.
        related.sort_by_key(|r| (r.0, r.2));
        related.dedup_by_key(|r| r.0);
        m.related_goals = related;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn related_tag_earns_group_credit() {
        let t = Taxonomy::parse_lines("Public Speaking ~ presenting\n# c\n\nsql ~ databases", 0.6)
            .unwrap();
        assert_eq!(
            t.credit("public speaking", &["x", "presenting"]).credit,
            0.6
        );
        assert_eq!(t.credit("presenting", &["presenting"]).credit, 1.0);
        assert_eq!(t.credit("presenting", &["sql"]).credit, 0.0);
        assert_eq!(t.credit("cooking", &["cooking"]).credit, 1.0);
    }

    #[test]
    fn conflicting_groups_named() {
        let e = Taxonomy::parse_lines("a ~ b\nc ~ B", 0.5).unwrap_err();
        assert_eq!(
            e,
            TaxonomyError::ConflictingGroups {
                tag: "b".into(),
                first: 1,
                second: 2
            }
        );
    }
}
