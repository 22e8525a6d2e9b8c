//! The components beyond exact tags, wired into matching: free-text goals (`goals_text`),
//! bring-your-own embeddings (`embedding`), open doors (`open_doors`) and two-way learning
//! (`two_way`), each a [`PairComponent`] with its weight in [`super::Weights`].
//!
//! # When a component is used
//! A component is added to a problem only when its inputs are in the cohort and its weight is
//! positive, so a cohort without these columns scores exactly as before:
//! - `goals_text`: some mentee *and* some mentor have a non-blank `goals_text`;
//! - `embedding`: an `embedding` list column on both tables, or matrices passed to
//!   `Problem::with_embeddings` in the prepared problem;
//! - `open_doors`: some mentor has a `network` and some mentee `target_areas`;
//! - `two_way`: some mentor has `learning_goals` and some mentee skills (default weight 0).
//!
//! Within a cohort that has the inputs, a person without them (blank text, no list, a zero
//! embedding vector) is *no information*: the pair gets the neutral value
//! ([`super::ScoreConfig::neutral`]) and the explanation says what was missing.

use ndarray::{s, Array2, ArrayView2, ArrayViewMut2, Axis};
use serde::{Deserialize, Serialize};

use super::network;
use super::taxonomy::Taxonomy;
use super::text::{Postings, TextConfig, TextIndex};
use super::{Component, Evidence, PairComponent, Weighted};
use crate::cohort::{Cohort, Person, Table};

/// Name of the free-text goals component.
pub const TEXT: &str = "goals_text";
/// Name of the embedding component.
pub const EMBEDDING: &str = "embedding";
/// Name of the open-doors component.
pub const OPEN_DOORS: &str = "open_doors";
/// Name of the two-way learning component.
pub const TWO_WAY: &str = "two_way";
/// Every component of this module, in summation order.
pub const NAMES: [&str; 4] = [TEXT, EMBEDDING, OPEN_DOORS, TWO_WAY];
/// Default weight of `goals_text`.
pub const DEFAULT_TEXT_WEIGHT: f64 = 0.25;
/// Default weight of `embedding`.
pub const DEFAULT_EMBEDDING_WEIGHT: f64 = 0.25;
/// The column holding a person's free-text goals.
pub const TEXT_COLUMN: &str = "goals_text";
/// The list column holding a person's embedding vector.
pub const EMBEDDING_COLUMN: &str = "embedding";

/// An input of these components that cannot be used; every message names the table, row, id
/// and column where one is at fault.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BeyondError {
    /// A taxonomy that cannot be used.
    #[error(transparent)]
    Taxonomy(#[from] super::taxonomy::TaxonomyError),
    /// Text options out of range.
    #[error(transparent)]
    Text(#[from] super::text::TextError),
    /// Embedding matrices that do not fit the tables.
    #[error(transparent)]
    Embedding(#[from] super::embedding::EmbeddingError),
    /// A NaN or infinite entry in an embedding.
    #[error(
        "{table} row {row} (id {id:?}), column `embedding`, entry {entry} is {value}; every entry \
         must be finite (recompute the embedding of that person)"
    )]
    NonFinite {
        /// `mentees` or `mentors`.
        table: &'static str,
        /// Row, 1-based.
        row: usize,
        /// The person's id.
        id: String,
        /// Position in the vector (0-based).
        entry: usize,
        /// The value.
        value: f64,
    },
    /// An embedding of another length than the others.
    #[error(
        "{table} row {row} (id {id:?}), column `embedding` has {len} entries but the first \
         embedding has {expected}; use one model (one dimension) for everybody"
    )]
    Dimension {
        /// `mentees` or `mentors`.
        table: &'static str,
        /// Row, 1-based.
        row: usize,
        /// The person's id.
        id: String,
        /// Its length.
        len: usize,
        /// The length of the first embedding seen.
        expected: usize,
    },
    /// An embedding cell that is not a list of numbers.
    #[error(
        "{table} row {row} (id {id:?}), column `embedding` is {value:?}; write a list of numbers \
         (JSON `[0.1, -0.3]` or `0.1;-0.3` in a CSV)"
    )]
    Cell {
        /// `mentees` or `mentors`.
        table: &'static str,
        /// Row, 1-based.
        row: usize,
        /// The person's id.
        id: String,
        /// The cell as read.
        value: String,
    },
    /// Embeddings on one table only.
    #[error(
        "the {with} table has an `embedding` column but the {without} table has none; give \
         every person of both tables an embedding from the same model"
    )]
    OneSide {
        /// The table with embeddings.
        with: &'static str,
        /// The table without.
        without: &'static str,
    },
    /// Embeddings both as a column and as matrices.
    #[error(
        "embeddings were given twice: as matrices and as the `embedding` column; pass one of them"
    )]
    Twice,
}

/// A borrowed embedding matrix, one row per person, float64 or float32 (read in place).
#[derive(Debug, Clone, Copy)]
pub enum EmbeddingView<'a> {
    /// float64 entries.
    F64(ArrayView2<'a, f64>),
    /// float32 entries.
    F32(ArrayView2<'a, f32>),
}

impl EmbeddingView<'_> {
    fn dims(&self) -> (usize, usize) {
        match self {
            EmbeddingView::F64(m) => m.dim(),
            EmbeddingView::F32(m) => m.dim(),
        }
    }

    fn row(&self, r: usize) -> Vec<f64> {
        match self {
            EmbeddingView::F64(m) => m.row(r).to_vec(),
            EmbeddingView::F32(m) => m.row(r).iter().map(|&v| f64::from(v)).collect(),
        }
    }
}

/// Embedding matrices for both tables, (mentees × d) and (mentors × d), in table order.
#[derive(Debug, Clone, Copy)]
pub struct EmbeddingInput<'a> {
    /// One row per mentee.
    pub mentees: EmbeddingView<'a>,
    /// One row per mentor.
    pub mentors: EmbeddingView<'a>,
}

/// Unit-length rows of one table; zero rows (no direction) and missing rows are flagged.
#[derive(Debug, Clone)]
struct Unit {
    rows: Array2<f64>,
    /// `Some(why)` when the row carries no information.
    missing: Vec<Option<&'static str>>,
}

const ZERO: &str = "a zero vector (no direction)";
const ABSENT: &str = "no embedding";

/// Scale `v` to unit length in place; `false` for a zero vector.
fn unit(v: &mut [f64]) -> bool {
    // Scale first so huge entries do not overflow the sum of squares.
    let big = v.iter().fold(0.0f64, |a, x| a.max(x.abs()));
    if big == 0.0 {
        return false;
    }
    v.iter_mut().for_each(|x| *x /= big);
    let norm = v.iter().map(|x| x * x).sum::<f64>().sqrt();
    v.iter_mut().for_each(|x| *x /= norm);
    true
}

fn check_finite(table: &Table, r: usize, v: &[f64]) -> Result<(), BeyondError> {
    match v.iter().position(|x| !x.is_finite()) {
        None => Ok(()),
        Some(entry) => Err(BeyondError::NonFinite {
            table: table.role.table(),
            row: r + 1,
            id: table.people[r].id.clone(),
            entry,
            value: v[entry],
        }),
    }
}

fn from_rows(rows: Vec<Option<Vec<f64>>>, dim: usize) -> Unit {
    let mut m = Array2::<f64>::zeros((rows.len(), dim));
    let mut missing = Vec::with_capacity(rows.len());
    for (r, v) in rows.into_iter().enumerate() {
        match v {
            None => missing.push(Some(ABSENT)),
            Some(mut v) => {
                if unit(&mut v) {
                    m.row_mut(r).assign(&ndarray::ArrayView1::from(&v[..]));
                    missing.push(None);
                } else {
                    missing.push(Some(ZERO));
                }
            }
        }
    }
    Unit { rows: m, missing }
}

fn from_view(table: &Table, view: &EmbeddingView<'_>) -> Result<Unit, BeyondError> {
    let (n, d) = view.dims();
    super::embedding::check_rows(table.role, n, table.people.len())?;
    if d == 0 {
        return Err(super::embedding::EmbeddingError::Empty {
            table: table.role.table(),
        }
        .into());
    }
    let mut rows = Vec::with_capacity(n);
    for r in 0..n {
        let v = view.row(r);
        check_finite(table, r, &v)?;
        rows.push(Some(v));
    }
    Ok(from_rows(rows, d))
}

/// The `embedding` cell of a person: `None` when absent or blank.
fn embedding_cell(table: &Table, r: usize, p: &Person) -> Result<Option<Vec<f64>>, BeyondError> {
    let bad = |value: String| BeyondError::Cell {
        table: table.role.table(),
        row: r + 1,
        id: p.id.clone(),
        value,
    };
    let v = match p.extra.get(EMBEDDING_COLUMN) {
        None | Some(serde_json::Value::Null) => return Ok(None),
        Some(serde_json::Value::Array(items)) => items
            .iter()
            .map(|x| match x {
                serde_json::Value::Number(n) => n.as_f64().ok_or_else(|| bad(x.to_string())),
                // NaN and infinities arrive from Python as null / text; reported as non-finite.
                serde_json::Value::Null => Ok(f64::NAN),
                serde_json::Value::String(s) => s.trim().parse().map_err(|_| bad(x.to_string())),
                _ => Err(bad(x.to_string())),
            })
            .collect::<Result<Vec<f64>, _>>()?,
        Some(serde_json::Value::String(s)) => {
            let t = s.trim();
            if t.is_empty() {
                return Ok(None);
            }
            let inner = t
                .strip_prefix('[')
                .and_then(|t| t.strip_suffix(']'))
                .unwrap_or(t);
            let sep = if inner.contains(';') { ';' } else { ',' };
            inner
                .split(sep)
                .map(|x| x.trim().parse::<f64>().map_err(|_| bad(s.clone())))
                .collect::<Result<Vec<f64>, _>>()?
        }
        Some(other) => return Err(bad(other.to_string())),
    };
    if v.is_empty() {
        return Ok(None);
    }
    check_finite(table, r, &v)?;
    Ok(Some(v))
}

fn column_rows(
    table: &Table,
    dim: &mut Option<usize>,
) -> Result<Vec<Option<Vec<f64>>>, BeyondError> {
    let mut rows = Vec::with_capacity(table.people.len());
    for (r, p) in table.people.iter().enumerate() {
        let v = embedding_cell(table, r, p)?;
        if let Some(v) = &v {
            match *dim {
                None => *dim = Some(v.len()),
                Some(expected) if expected != v.len() => {
                    return Err(BeyondError::Dimension {
                        table: table.role.table(),
                        row: r + 1,
                        id: p.id.clone(),
                        len: v.len(),
                        expected,
                    })
                }
                Some(_) => {}
            }
        }
        rows.push(v);
    }
    Ok(rows)
}

fn has_column(table: &Table, column: &str) -> bool {
    table.people.iter().any(|p| {
        p.extra
            .get(column)
            .is_some_and(|v| !v.is_null() && v.as_str().map_or(true, |s| !s.trim().is_empty()))
    })
}

/// The `embedding` component: `max(0, cos)` of the two people's vectors (see
/// [`super::embedding`] for why), computed for a block of mentees at once as one matrix product
/// with the unit-length mentor rows.
#[derive(Debug, Clone)]
pub struct EmbeddingComponent {
    mentees: Unit,
    mentors: Unit,
    /// Per mentee row: no information.
    mentee_missing: Vec<bool>,
    /// The mentor side of the product, laid out once.
    kernel: super::embedding::CosineKernel,
}

/// What an embedding value is based on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmbeddingEvidence {
    /// The cosine of the two vectors (`None` when one carries no information).
    pub cosine: Option<f64>,
    /// The vectors' dimension.
    pub dimension: usize,
}

impl EmbeddingComponent {
    /// From matrices (one row per person, table order) or the `embedding` columns.
    ///
    /// # Errors
    /// [`BeyondError`] for a row-count or dimension mismatch, a NaN or infinity, a bad cell, a
    /// column on one table only, or embeddings given both ways.
    pub fn build(
        cohort: &Cohort,
        input: Option<&EmbeddingInput<'_>>,
    ) -> Result<Option<EmbeddingComponent>, BeyondError> {
        let (in_mentees, in_mentors) = (
            has_column(&cohort.mentees, EMBEDDING_COLUMN),
            has_column(&cohort.mentors, EMBEDDING_COLUMN),
        );
        let (mentees, mentors) = match input {
            Some(input) => {
                if in_mentees || in_mentors {
                    return Err(BeyondError::Twice);
                }
                let (a, b) = (input.mentees.dims().1, input.mentors.dims().1);
                if a != b && a > 0 && b > 0 {
                    return Err(super::embedding::EmbeddingError::Dimension {
                        mentees: a,
                        mentors: b,
                    }
                    .into());
                }
                (
                    from_view(&cohort.mentees, &input.mentees)?,
                    from_view(&cohort.mentors, &input.mentors)?,
                )
            }
            None => match (in_mentees, in_mentors) {
                (false, false) => return Ok(None),
                (true, false) | (false, true) => {
                    let (with, without) = if in_mentees {
                        ("mentees", "mentors")
                    } else {
                        ("mentors", "mentees")
                    };
                    return Err(BeyondError::OneSide { with, without });
                }
                (true, true) => {
                    let mut dim = None;
                    let a = column_rows(&cohort.mentees, &mut dim)?;
                    let b = column_rows(&cohort.mentors, &mut dim)?;
                    let d = dim.unwrap_or(1);
                    (from_rows(a, d), from_rows(b, d))
                }
            },
        };
        let flags = |u: &Unit| u.missing.iter().map(Option::is_some).collect::<Vec<bool>>();
        let kernel = super::embedding::CosineKernel::new(mentors.rows.view(), flags(&mentors));
        Ok(Some(EmbeddingComponent {
            mentee_missing: flags(&mentees),
            mentees,
            mentors,
            kernel,
        }))
    }

    /// The vectors' dimension.
    pub fn dimension(&self) -> usize {
        self.mentees.rows.ncols()
    }

    fn cosine(&self, i: usize, j: usize) -> Option<f64> {
        if self.mentees.missing.get(i)?.is_some() || self.mentors.missing.get(j)?.is_some() {
            return None;
        }
        Some(self.mentees.rows.row(i).dot(&self.mentors.rows.row(j)))
    }
}

impl PairComponent for EmbeddingComponent {
    fn component(&self) -> Component {
        Component::Custom(EMBEDDING.into())
    }

    fn value(&self, i: usize, j: usize) -> Option<f64> {
        self.cosine(i, j).map(|c| c.clamp(0.0, 1.0))
    }

    fn evidence(&self, i: usize, j: usize) -> Evidence {
        Evidence::Embedding(EmbeddingEvidence {
            cosine: self.cosine(i, j),
            dimension: self.dimension(),
        })
    }

    fn missing(&self, i: usize, j: usize) -> String {
        let mut parts = Vec::new();
        if let Some(Some(why)) = self.mentees.missing.get(i) {
            parts.push(format!("the mentee's embedding is {why}"));
        }
        if let Some(Some(why)) = self.mentors.missing.get(j) {
            parts.push(format!("the mentor's embedding is {why}"));
        }
        parts.join("; ").replace("is no embedding", "is missing")
    }

    fn block_rows(&self) -> usize {
        self.kernel.block_rows()
    }

    fn add_block(
        &self,
        first_row: usize,
        block: ArrayViewMut2<'_, f64>,
        weight: f64,
        neutral: f64,
    ) {
        let rows = first_row..first_row + block.nrows();
        self.kernel.add_block(
            self.mentees.rows.slice(s![rows.clone(), ..]),
            &self.mentee_missing[rows],
            block,
            weight,
            neutral,
        );
    }
}

/// The free-text goals component: BM25 of the mentee's `goals_text` (the query) against the
/// mentor's (the document), normalised by the mentee's self-score; see [`super::text`].
pub struct TextComponent {
    index: TextIndex,
    postings: Postings,
}

fn texts(table: &Table) -> Vec<Option<String>> {
    table
        .people
        .iter()
        .map(|p| p.column_value(TEXT_COLUMN).map(|c| c.into_owned()))
        .collect()
}

impl TextComponent {
    /// Analyse the `goals_text` of both tables; `None` when either table has no text at all.
    ///
    /// # Errors
    /// [`BeyondError::Text`] for options out of range.
    pub fn build(cohort: &Cohort, cfg: &TextConfig) -> Result<Option<TextComponent>, BeyondError> {
        cfg.validate()?;
        let (a, b) = (texts(&cohort.mentees), texts(&cohort.mentors));
        let index = TextIndex::build(&a, &b, cfg)?;
        let any = |n: usize, empty: &dyn Fn(usize) -> bool| (0..n).any(|i| !empty(i));
        if !any(index.n_mentees(), &|i| index.mentee_empty(i))
            || !any(index.n_mentors(), &|j| index.mentor_empty(j))
        {
            return Ok(None);
        }
        let postings = index.postings();
        Ok(Some(TextComponent { index, postings }))
    }
}

impl PairComponent for TextComponent {
    fn component(&self) -> Component {
        Component::Custom(TEXT.into())
    }

    fn value(&self, i: usize, j: usize) -> Option<f64> {
        self.index.value(i, j)
    }

    fn evidence(&self, i: usize, j: usize) -> Evidence {
        Evidence::Text(self.index.evidence(i, j))
    }

    fn missing(&self, i: usize, j: usize) -> String {
        match (self.index.mentee_empty(i), self.index.mentor_empty(j)) {
            (true, true) => "mentee and mentor wrote no goals_text".into(),
            (true, false) => "mentee wrote no goals_text".into(),
            _ => "mentor wrote no goals_text".into(),
        }
    }

    fn add_block(
        &self,
        first_row: usize,
        mut block: ArrayViewMut2<'_, f64>,
        weight: f64,
        neutral: f64,
    ) {
        let mut values = vec![0.0; block.ncols()];
        for (r, mut out) in block.axis_iter_mut(Axis(0)).enumerate() {
            self.index
                .row_values(&self.postings, first_row + r, &mut values, neutral);
            for (cell, v) in out.iter_mut().zip(&values) {
                *cell += weight * v;
            }
        }
    }
}

/// Interned list entries of one side, and the taxonomy group of each entry id.
#[derive(Debug, Clone, Default)]
struct Lists {
    names: Vec<String>,
    group: Vec<Option<usize>>,
}

impl Lists {
    fn intern(&mut self, items: Vec<String>, taxonomy: &Taxonomy) -> Vec<u32> {
        items
            .into_iter()
            .map(|s| match self.names.iter().position(|n| *n == s) {
                Some(k) => k as u32,
                None => {
                    self.group.push(taxonomy.group_of(&s));
                    self.names.push(s);
                    (self.names.len() - 1) as u32
                }
            })
            .collect()
    }
}

/// Mean credit of `wanted` against `offered`: 1 for the same entry, the group's credit for a
/// related one, 0 otherwise; the arithmetic of [`network::open_doors`] on interned ids.
fn coverage(wanted: &[u32], offered: &[u32], lists: &Lists, taxonomy: &Taxonomy) -> Option<f64> {
    if wanted.is_empty() || offered.is_empty() {
        return None;
    }
    let mut sum = 0.0;
    for w in wanted {
        if offered.contains(w) {
            sum += 1.0;
        } else if let Some(g) = lists.group[*w as usize] {
            if offered.iter().any(|o| lists.group[*o as usize] == Some(g)) {
                sum += taxonomy.group_credit(g);
            }
        }
    }
    Some(sum / wanted.len() as f64)
}

/// Open doors: the mentee's `target_areas` against the mentor's `network`.
pub struct OpenDoorsComponent {
    targets: Vec<Vec<u32>>,
    network: Vec<Vec<u32>>,
    lists: Lists,
    taxonomy: Taxonomy,
}

impl OpenDoorsComponent {
    /// `None` when no mentee lists `target_areas` or no mentor a `network`.
    pub fn build(cohort: &Cohort, taxonomy: &Taxonomy) -> Option<OpenDoorsComponent> {
        let mut lists = Lists::default();
        let mut read = |t: &Table, column: &str| -> Vec<Vec<u32>> {
            t.people
                .iter()
                .map(|p| lists.intern(network::list(p, column), taxonomy))
                .collect()
        };
        let targets = read(&cohort.mentees, "target_areas");
        let network = read(&cohort.mentors, "network");
        if targets.iter().all(Vec::is_empty) || network.iter().all(Vec::is_empty) {
            return None;
        }
        Some(OpenDoorsComponent {
            targets,
            network,
            lists,
            taxonomy: taxonomy.clone(),
        })
    }

    fn names(&self, ids: &[u32]) -> Vec<String> {
        ids.iter()
            .map(|&k| self.lists.names[k as usize].clone())
            .collect()
    }
}

impl PairComponent for OpenDoorsComponent {
    fn component(&self) -> Component {
        Component::Custom(OPEN_DOORS.into())
    }

    fn value(&self, i: usize, j: usize) -> Option<f64> {
        coverage(
            self.targets.get(i)?,
            self.network.get(j)?,
            &self.lists,
            &self.taxonomy,
        )
    }

    fn evidence(&self, i: usize, j: usize) -> Evidence {
        let (t, n) = (
            self.names(self.targets.get(i).map_or(&[], |v| &v[..])),
            self.names(self.network.get(j).map_or(&[], |v| &v[..])),
        );
        Evidence::OpenDoors(
            network::open_doors(&t, &n, &self.taxonomy)
                .map(|(_, e)| e)
                .unwrap_or_default(),
        )
    }

    fn missing(&self, i: usize, j: usize) -> String {
        let a = self.targets.get(i).map_or(true, Vec::is_empty);
        let b = self.network.get(j).map_or(true, Vec::is_empty);
        match (a, b) {
            (true, true) => "mentee listed no target_areas and mentor no network".into(),
            (true, false) => "mentee listed no target_areas".into(),
            _ => "mentor listed no network".into(),
        }
    }
}

/// Two-way learning: the mentor's `learning_goals` against the mentee's skills at
/// [`network::DEFAULT_TEACH_LEVEL`] or above.
pub struct TwoWayComponent {
    goals: Vec<Vec<u32>>,
    /// Per mentee: `None` without skills, else the skills she can teach.
    teachable: Vec<Option<Vec<u32>>>,
    /// Per mentee: her skills, for the evidence.
    skills: Vec<Vec<crate::cohort::Skill>>,
    lists: Lists,
    taxonomy: Taxonomy,
}

impl TwoWayComponent {
    /// `None` when no mentor lists `learning_goals` or no mentee lists skills.
    pub fn build(cohort: &Cohort, taxonomy: &Taxonomy) -> Option<TwoWayComponent> {
        let mut lists = Lists::default();
        let goals: Vec<Vec<u32>> = cohort
            .mentors
            .people
            .iter()
            .map(|p| lists.intern(network::list(p, "learning_goals"), taxonomy))
            .collect();
        let teachable: Vec<Option<Vec<u32>>> = cohort
            .mentees
            .people
            .iter()
            .map(|p| {
                (!p.skills.is_empty()).then(|| {
                    let names = p
                        .skills
                        .iter()
                        .filter(|s| s.level >= network::DEFAULT_TEACH_LEVEL)
                        .map(|s| s.name.clone())
                        .collect();
                    lists.intern(names, taxonomy)
                })
            })
            .collect();
        if goals.iter().all(Vec::is_empty) || teachable.iter().all(Option::is_none) {
            return None;
        }
        Some(TwoWayComponent {
            goals,
            teachable,
            skills: cohort
                .mentees
                .people
                .iter()
                .map(|p| p.skills.clone())
                .collect(),
            lists,
            taxonomy: taxonomy.clone(),
        })
    }
}

impl PairComponent for TwoWayComponent {
    fn component(&self) -> Component {
        Component::Custom(TWO_WAY.into())
    }

    fn value(&self, i: usize, j: usize) -> Option<f64> {
        let goals = self.goals.get(j)?;
        let teach = self.teachable.get(i)?.as_ref()?;
        if goals.is_empty() {
            return None;
        }
        if teach.is_empty() {
            return Some(0.0);
        }
        coverage(goals, teach, &self.lists, &self.taxonomy)
    }

    fn evidence(&self, i: usize, j: usize) -> Evidence {
        let goals: Vec<String> = self.goals.get(j).map_or(Vec::new(), |g| {
            g.iter()
                .map(|&k| self.lists.names[k as usize].clone())
                .collect()
        });
        let skills = self.skills.get(i).map_or(&[][..], |s| &s[..]);
        Evidence::TwoWay(
            network::two_way(&goals, skills, network::DEFAULT_TEACH_LEVEL, &self.taxonomy)
                .map(|(_, e)| e)
                .unwrap_or_default(),
        )
    }

    fn missing(&self, i: usize, j: usize) -> String {
        let a = self.teachable.get(i).map_or(true, Option::is_none);
        let b = self.goals.get(j).map_or(true, Vec::is_empty);
        match (a, b) {
            (true, true) => "mentee listed no skills and mentor no learning_goals".into(),
            (true, false) => "mentee listed no skills".into(),
            _ => "mentor listed no learning_goals".into(),
        }
    }
}

/// The taxonomy of a configuration, validated.
///
/// # Errors
/// [`BeyondError::Taxonomy`].
pub fn taxonomy(groups: &[super::taxonomy::TaxonomyGroup]) -> Result<Taxonomy, BeyondError> {
    Ok(Taxonomy::new(groups)?)
}

/// Every component of this module that applies to `cohort` with a positive weight, in
/// [`NAMES`] order.
///
/// # Errors
/// [`BeyondError`] for bad text options or embeddings.
pub fn components(
    cohort: &Cohort,
    weights: &super::Weights,
    text: &TextConfig,
    taxonomy: &Taxonomy,
    embeddings: Option<&EmbeddingInput<'_>>,
) -> Result<Vec<Weighted>, BeyondError> {
    let mut out: Vec<Weighted> = Vec::new();
    let mut push = |part: Box<dyn PairComponent>, weight: f64| {
        if weight > 0.0 {
            out.push(Weighted { part, weight });
        }
    };
    if weights.goals_text > 0.0 {
        if let Some(c) = TextComponent::build(cohort, text)? {
            push(Box::new(c), weights.goals_text);
        }
    }
    // Embeddings are checked even at weight 0: bad input is reported, never ignored.
    if let Some(c) = EmbeddingComponent::build(cohort, embeddings)? {
        push(Box::new(c), weights.embedding);
    }
    if weights.open_doors > 0.0 {
        if let Some(c) = OpenDoorsComponent::build(cohort, taxonomy) {
            push(Box::new(c), weights.open_doors);
        }
    }
    if weights.two_way > 0.0 {
        if let Some(c) = TwoWayComponent::build(cohort, taxonomy) {
            push(Box::new(c), weights.two_way);
        }
    }
    Ok(out)
}
