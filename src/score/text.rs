//! Free-text goals scored by lexical similarity: Unicode words, lower case, stop words removed,
//! Snowball stems, BM25 weights over the cohort with the mentee's text as the query.
//!
//! # Pipeline
//! 1. Tokenise with Unicode word boundaries (UAX #29, `unicode-segmentation`), lower-case.
//! 2. Drop stop words (the NLTK list of the language, shipped by the `stop-words` crate) and
//!    tokens without a letter (numbers, punctuation).
//! 3. Stem with the Snowball stemmer of the language (`rust-stemmers`): "presenting" and
//!    "presentations" both become `present`.
//! 4. The mentors' texts are the documents, each mentee's text is a query. BM25 with
//!    `idf(t) = ln(1 + (N − df + 0.5) / (df + 0.5))` over the N mentor documents, and
//!    `w(t, d) = idf(t) · tf (k1 + 1) / (tf + k1 (1 − b + b · |d| / avgdl))`;
//!    `bm25(q, d) = Σ_{t ∈ q ∩ d} w(t, d)` over the distinct query terms.
//!
//! # Normalisation
//! `value(q, d) = min(1, bm25(q, d) / bm25(q, q))`: the pair's BM25 divided by the mentee's
//! *self-score*, the BM25 her own text would get as a document of the mentor corpus. A mentor
//! who wrote the same text scores exactly 1; a mentor sharing no term scores 0; a mentor whose
//! text repeats the mentee's terms more densely than she did is capped at 1.
//!
//! A text with no term left after step 2 (empty, whitespace, only stop words) is *no
//! information* ([`TextIndex::value`] gives `None`), never an error.

use std::collections::HashMap;

use ndarray::{Array2, Axis};
use rayon::prelude::*;
use rust_stemmers::{Algorithm, Stemmer};
use serde::{Deserialize, Serialize};
use unicode_segmentation::UnicodeSegmentation;

/// A language with both a Snowball stemmer and an NLTK stop-word list (all 18 Snowball
/// languages of `rust-stemmers`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[allow(missing_docs)]
pub enum TextLanguage {
    Arabic,
    Danish,
    Dutch,
    #[default]
    English,
    Finnish,
    French,
    German,
    Greek,
    Hungarian,
    Italian,
    Norwegian,
    Portuguese,
    Romanian,
    Russian,
    Spanish,
    Swedish,
    Tamil,
    Turkish,
}

impl TextLanguage {
    /// Every supported language.
    pub const ALL: [TextLanguage; 18] = [
        TextLanguage::Arabic,
        TextLanguage::Danish,
        TextLanguage::Dutch,
        TextLanguage::English,
        TextLanguage::Finnish,
        TextLanguage::French,
        TextLanguage::German,
        TextLanguage::Greek,
        TextLanguage::Hungarian,
        TextLanguage::Italian,
        TextLanguage::Norwegian,
        TextLanguage::Portuguese,
        TextLanguage::Romanian,
        TextLanguage::Russian,
        TextLanguage::Spanish,
        TextLanguage::Swedish,
        TextLanguage::Tamil,
        TextLanguage::Turkish,
    ];

    fn parts(self) -> (Algorithm, &'static str) {
        use TextLanguage as L;
        match self {
            L::Arabic => (Algorithm::Arabic, "ar"),
            L::Danish => (Algorithm::Danish, "da"),
            L::Dutch => (Algorithm::Dutch, "nl"),
            L::English => (Algorithm::English, "en"),
            L::Finnish => (Algorithm::Finnish, "fi"),
            L::French => (Algorithm::French, "fr"),
            L::German => (Algorithm::German, "de"),
            L::Greek => (Algorithm::Greek, "el"),
            L::Hungarian => (Algorithm::Hungarian, "hu"),
            L::Italian => (Algorithm::Italian, "it"),
            L::Norwegian => (Algorithm::Norwegian, "no"),
            L::Portuguese => (Algorithm::Portuguese, "pt"),
            L::Romanian => (Algorithm::Romanian, "ro"),
            L::Russian => (Algorithm::Russian, "ru"),
            L::Spanish => (Algorithm::Spanish, "es"),
            L::Swedish => (Algorithm::Swedish, "sv"),
            L::Tamil => (Algorithm::Tamil, "ta"),
            L::Turkish => (Algorithm::Turkish, "tr"),
        }
    }
}

/// BM25 parameters and the language of the texts.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TextConfig {
    /// Stemmer and stop-word language (default English).
    pub language: TextLanguage,
    /// Term-frequency saturation `k1` (default 1.2).
    pub k1: f64,
    /// Length normalisation `b` in [0, 1] (default 0.75).
    pub b: f64,
}

impl Default for TextConfig {
    fn default() -> Self {
        TextConfig {
            language: TextLanguage::English,
            k1: 1.2,
            b: 0.75,
        }
    }
}

/// A text parameter out of range.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TextError {
    /// `k1` negative or not finite.
    #[error("text option k1 is {0}; use a finite value ≥ 0, e.g. 1.2")]
    K1(f64),
    /// `b` outside [0, 1].
    #[error("text option b is {0}; use a value in [0, 1], e.g. 0.75")]
    B(f64),
}

impl TextConfig {
    /// Check the BM25 parameters.
    ///
    /// # Errors
    /// [`TextError`] naming the parameter and a valid value.
    pub fn validate(&self) -> Result<(), TextError> {
        if !(self.k1.is_finite() && self.k1 >= 0.0) {
            return Err(TextError::K1(self.k1));
        }
        if !(0.0..=1.0).contains(&self.b) {
            return Err(TextError::B(self.b));
        }
        Ok(())
    }
}

/// Turns text into stemmed terms: Unicode words, lower case, stop words out, Snowball stems.
pub struct Analyzer {
    stemmer: Stemmer,
    stop: std::collections::HashSet<&'static str>,
}

impl Analyzer {
    /// The analyzer of `language`.
    pub fn new(language: TextLanguage) -> Analyzer {
        let (algorithm, code) = language.parts();
        let stop = stop_words::lookup(code)
            .unwrap_or_default()
            .iter()
            .copied()
            .collect();
        Analyzer {
            stemmer: Stemmer::create(algorithm),
            stop,
        }
    }

    /// `(stem, lower-case word)` for every kept word of `text`, in text order.
    pub fn terms(&self, text: &str) -> Vec<(String, String)> {
        text.unicode_words()
            .map(str::to_lowercase)
            .filter(|w| w.chars().any(char::is_alphabetic) && !self.stop.contains(w.as_str()))
            .map(|w| (self.stemmer.stem(&w).into_owned(), w))
            .collect()
    }
}

/// One analysed text: `(term id, frequency)` sorted by term id, and its length in terms.
#[derive(Debug, Clone, Default)]
struct Doc {
    terms: Vec<(u32, u32)>,
    len: u32,
}

/// The mentees' queries and the mentors' documents of one cohort, analysed once.
///
/// Build it once per cohort with [`TextIndex::build`]; then [`TextIndex::value`] scores one pair
/// (a sorted merge) and [`TextIndex::matrix`] every pair in parallel (an inverted index).
#[derive(Debug, Clone)]
pub struct TextIndex {
    queries: Vec<Doc>,
    /// BM25 self-score of each query (0 for an empty one).
    self_scores: Vec<f64>,
    /// `(term, w(term, doc))` sorted by term, per mentor document.
    doc_weights: Vec<Vec<(u32, f64)>>,
    idf: Vec<f64>,
    /// Stem and the first surface word seen for it, per term id.
    terms: Vec<(String, String)>,
}

/// The mentor documents by term: `(mentor, w(term, doc))` per term id, and which documents are
/// empty. Built once by [`TextIndex::postings`].
#[derive(Debug, Clone, Default)]
pub struct Postings {
    by_term: Vec<Vec<(u32, f64)>>,
    empty_mentor: Vec<bool>,
}

/// The evidence of a text pair: the shared terms, most informative first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TextEvidence {
    /// Shared terms, as the first word seen for each stem (`presenting`), by contribution
    /// (highest first; ties by word).
    pub shared: Vec<String>,
}

fn analyse(
    analyzer: &Analyzer,
    text: Option<&str>,
    ids: &mut HashMap<String, u32>,
    terms: &mut Vec<(String, String)>,
) -> Doc {
    let Some(text) = text else {
        return Doc::default();
    };
    let mut tf: Vec<(u32, u32)> = Vec::new();
    for (stem, word) in analyzer.terms(text) {
        let id = *ids.entry(stem.clone()).or_insert_with(|| {
            terms.push((stem, word));
            (terms.len() - 1) as u32
        });
        tf.push((id, 1));
    }
    let len = tf.len() as u32;
    tf.sort_unstable();
    tf.dedup_by(|next, kept| {
        if next.0 == kept.0 {
            kept.1 += 1;
            true
        } else {
            false
        }
    });
    Doc { terms: tf, len }
}

impl TextIndex {
    /// Analyse the mentees' and mentors' texts (`None` or blank = no information).
    ///
    /// # Errors
    /// [`TextError`] when `cfg` is out of range.
    pub fn build<S: AsRef<str> + Sync>(
        mentee_texts: &[Option<S>],
        mentor_texts: &[Option<S>],
        cfg: &TextConfig,
    ) -> Result<TextIndex, TextError> {
        cfg.validate()?;
        let analyzer = Analyzer::new(cfg.language);
        let mut ids = HashMap::new();
        let mut terms = Vec::new();
        // Mentor documents first, then mentee queries: term ids follow that order.
        let mut analyse_all = |texts: &[Option<S>]| -> Vec<Doc> {
            texts
                .iter()
                .map(|t| {
                    analyse(
                        &analyzer,
                        t.as_ref().map(AsRef::as_ref),
                        &mut ids,
                        &mut terms,
                    )
                })
                .collect()
        };
        let docs = analyse_all(mentor_texts);
        let queries = analyse_all(mentee_texts);
        let n = docs.len() as f64;
        let mut df = vec![0u32; terms.len()];
        for d in &docs {
            for &(t, _) in &d.terms {
                df[t as usize] += 1;
            }
        }
        let idf: Vec<f64> = df
            .iter()
            .map(|&df| (1.0 + (n - df as f64 + 0.5) / (df as f64 + 0.5)).ln())
            .collect();
        let avgdl = if docs.is_empty() {
            1.0
        } else {
            (docs.iter().map(|d| d.len as f64).sum::<f64>() / n).max(1.0)
        };
        let weigh = |d: &Doc| -> Vec<(u32, f64)> {
            let norm = cfg.k1 * (1.0 - cfg.b + cfg.b * d.len as f64 / avgdl);
            d.terms
                .iter()
                .map(|&(t, tf)| {
                    let tf = tf as f64;
                    (t, idf[t as usize] * tf * (cfg.k1 + 1.0) / (tf + norm))
                })
                .collect()
        };
        let doc_weights: Vec<Vec<(u32, f64)>> = docs.iter().map(weigh).collect();
        let self_scores = queries
            .iter()
            .map(|q| weigh(q).iter().map(|&(_, w)| w).sum())
            .collect();
        Ok(TextIndex {
            queries,
            self_scores,
            doc_weights,
            idf,
            terms,
        })
    }

    /// Number of mentee queries.
    pub fn n_mentees(&self) -> usize {
        self.queries.len()
    }

    /// Number of mentor documents.
    pub fn n_mentors(&self) -> usize {
        self.doc_weights.len()
    }

    /// True when mentee `i` wrote nothing usable (or `i` is out of range).
    pub fn mentee_empty(&self, i: usize) -> bool {
        self.queries.get(i).map_or(true, |q| q.terms.is_empty())
    }

    /// True when mentor `j` wrote nothing usable (or `j` is out of range).
    pub fn mentor_empty(&self, j: usize) -> bool {
        self.doc_weights.get(j).map_or(true, Vec::is_empty)
    }

    /// The BM25 score of mentee `i`'s query against mentor `j`'s document (unnormalised).
    pub fn bm25(&self, i: usize, j: usize) -> f64 {
        self.shared(i, j).map(|(_, w)| w).sum()
    }

    /// `(term, w(term, doc))` for the terms mentee `i` and mentor `j` share, by term id.
    fn shared(&self, i: usize, j: usize) -> impl Iterator<Item = (u32, f64)> + '_ {
        let q = self.queries.get(i).map_or(&[][..], |q| &q.terms[..]);
        let d = self.doc_weights.get(j).map_or(&[][..], |d| &d[..]);
        let (mut a, mut b) = (0, 0);
        std::iter::from_fn(move || {
            while a < q.len() && b < d.len() {
                match q[a].0.cmp(&d[b].0) {
                    std::cmp::Ordering::Less => a += 1,
                    std::cmp::Ordering::Greater => b += 1,
                    std::cmp::Ordering::Equal => {
                        let hit = d[b];
                        a += 1;
                        b += 1;
                        return Some(hit);
                    }
                }
            }
            None
        })
    }

    /// The normalised value of mentee `i` with mentor `j` in [0, 1], `None` when either text is
    /// empty (or an index is out of range).
    pub fn value(&self, i: usize, j: usize) -> Option<f64> {
        if self.mentee_empty(i) || self.mentor_empty(j) {
            return None;
        }
        Some(normalise(self.bm25(i, j), self.self_scores[i]))
    }

    /// The inverted index of the mentor documents, for [`TextIndex::row_values`].
    pub fn postings(&self) -> Postings {
        let mut by_term: Vec<Vec<(u32, f64)>> = vec![Vec::new(); self.terms.len()];
        for (j, d) in self.doc_weights.iter().enumerate() {
            for &(t, w) in d {
                by_term[t as usize].push((j as u32, w));
            }
        }
        Postings {
            by_term,
            empty_mentor: (0..self.n_mentors())
                .map(|j| self.mentor_empty(j))
                .collect(),
        }
    }

    /// Mentee `i`'s value with every mentor into `out` (one cell per mentor), `neutral` where
    /// either text is empty: equal to [`TextIndex::value`] entry by entry (the terms are added
    /// in id order, as the pairwise merge adds them).
    pub fn row_values(&self, postings: &Postings, i: usize, out: &mut [f64], neutral: f64) {
        let Some(q) = self.queries.get(i).filter(|q| !q.terms.is_empty()) else {
            out.fill(neutral);
            return;
        };
        out.fill(0.0);
        for &(t, _) in &q.terms {
            for &(j, w) in &postings.by_term[t as usize] {
                if let Some(cell) = out.get_mut(j as usize) {
                    *cell += w;
                }
            }
        }
        let s = self.self_scores[i];
        for (cell, &empty) in out.iter_mut().zip(&postings.empty_mentor) {
            *cell = if empty { neutral } else { normalise(*cell, s) };
        }
    }

    /// Every pair's value, mentees × mentors, in parallel over mentees with an inverted index;
    /// `neutral` where either text is empty. Equal to [`TextIndex::value`] entry by entry.
    pub fn matrix(&self, neutral: f64) -> Array2<f64> {
        let (n, m) = (self.n_mentees(), self.n_mentors());
        let postings = self.postings();
        let mut out = Array2::<f64>::zeros((n, m));
        out.axis_iter_mut(Axis(0))
            .into_par_iter()
            .enumerate()
            .for_each(|(i, mut row)| {
                if let Some(cells) = row.as_slice_mut() {
                    self.row_values(&postings, i, cells, neutral);
                }
            });
        out
    }

    /// The shared terms of mentee `i` and mentor `j`, highest contribution first.
    pub fn evidence(&self, i: usize, j: usize) -> TextEvidence {
        let mut hits: Vec<(f64, &str)> = self
            .shared(i, j)
            .map(|(t, w)| (w, self.terms[t as usize].1.as_str()))
            .collect();
        hits.sort_by(|x, y| y.0.total_cmp(&x.0).then_with(|| x.1.cmp(y.1)));
        TextEvidence {
            shared: hits.into_iter().map(|(_, w)| w.to_string()).collect(),
        }
    }

    /// The inverse document frequency of a stem over the mentor documents (`None` if unseen).
    pub fn idf(&self, stem: &str) -> Option<f64> {
        let t = self.terms.iter().position(|(s, _)| s == stem)?;
        self.idf.get(t).copied()
    }
}

fn normalise(score: f64, self_score: f64) -> f64 {
    if self_score > 0.0 {
        (score / self_score).clamp(0.0, 1.0)
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn idx(q: &[&str], d: &[&str]) -> TextIndex {
        let q: Vec<Option<&str>> = q.iter().map(|s| Some(*s)).collect();
        let d: Vec<Option<&str>> = d.iter().map(|s| Some(*s)).collect();
        TextIndex::build(&q, &d, &TextConfig::default()).unwrap()
    }

    #[test]
    fn stems_join_word_forms() {
        let a = Analyzer::new(TextLanguage::English);
        let s: Vec<String> = a
            .terms("Presenting the presentations!")
            .into_iter()
            .map(|t| t.0)
            .collect();
        assert_eq!(s, vec!["present", "present"]);
    }

    #[test]
    fn matrix_equals_pairwise_values() {
        let t = idx(
            &["lead a team", "", "public speaking and presenting"],
            &[
                "presentations to executives",
                "team leadership",
                "   ",
                "the and of",
            ],
        );
        let m = t.matrix(0.5);
        for i in 0..3 {
            for j in 0..4 {
                assert_eq!(m[[i, j]], t.value(i, j).unwrap_or(0.5), "{i} {j}");
            }
        }
        assert_eq!(t.value(1, 0), None);
        assert_eq!(t.value(0, 2), None);
        assert_eq!(t.value(0, 3), None);
    }
}
