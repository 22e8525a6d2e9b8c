//! Free text, taxonomy, embeddings, open doors and two-way learning against independent oracles.

use mentorpair::cohort::{Person, Role, Skill};
use mentorpair::score::embedding::{check_rows, cosine_scores, EmbeddingError};
use mentorpair::score::network::{columns, open_doors, two_way};
use mentorpair::score::taxonomy::{Taxonomy, TaxonomyError, TaxonomyGroup};
use mentorpair::score::text::{Analyzer, TextConfig, TextIndex, TextLanguage};
use ndarray::Array2;
use proptest::prelude::*;

fn index(q: &[&str], d: &[&str]) -> TextIndex {
    let q: Vec<Option<&str>> = q.iter().map(|s| Some(*s)).collect();
    let d: Vec<Option<&str>> = d.iter().map(|s| Some(*s)).collect();
    TextIndex::build(&q, &d, &TextConfig::default()).unwrap()
}

const WORDS: [&str; 12] = [
    "leadership",
    "negotiation",
    "python",
    "budgeting",
    "presenting",
    "hiring",
    "strategy",
    "coaching",
    "writing",
    "analytics",
    "design",
    "sales",
];

/// BM25 written from the formula on stemmed strings, for the oracle.
fn naive_bm25(q: &str, d: &str, docs: &[&str]) -> f64 {
    let a = Analyzer::new(TextLanguage::English);
    let stems = |t: &str| a.terms(t).into_iter().map(|x| x.0).collect::<Vec<_>>();
    let corpus: Vec<Vec<String>> = docs.iter().map(|t| stems(t)).collect();
    let avgdl = corpus.iter().map(Vec::len).sum::<usize>() as f64 / corpus.len() as f64;
    let doc = stems(d);
    let mut qs = stems(q);
    qs.sort();
    qs.dedup();
    let (k1, b) = (1.2, 0.75);
    qs.iter()
        .map(|t| {
            let df = corpus.iter().filter(|c| c.contains(t)).count() as f64;
            let n = corpus.len() as f64;
            let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
            let tf = doc.iter().filter(|x| *x == t).count() as f64;
            idf * tf * (k1 + 1.0) / (tf + k1 * (1.0 - b + b * doc.len() as f64 / avgdl))
        })
        .sum()
}

#[test]
fn bm25_matches_formula() {
    let docs = [
        "Presentations to executives and budgeting",
        "team leadership, leadership coaching",
        "python analytics for sales",
    ];
    let q = "presenting my budget to leadership";
    let idx = index(&[q], &docs);
    for (j, d) in docs.iter().enumerate() {
        let want = naive_bm25(q, d, &docs);
        assert!(
            (idx.bm25(0, j) - want).abs() < 1e-12,
            "{j}: {} vs {want}",
            idx.bm25(0, j)
        );
    }
}

#[test]
fn stemming_matches_presenting_and_presentations() {
    let idx = index(&["presenting"], &["presentations", "negotiation"]);
    assert!(idx.value(0, 0).unwrap() > 0.0);
    assert_eq!(idx.value(0, 1), Some(0.0));
    assert_eq!(idx.evidence(0, 0).shared, vec!["presentations".to_string()]);
}

#[test]
fn blank_text_is_no_information() {
    let q: Vec<Option<&str>> = vec![Some("   "), None, Some("the and of"), Some("python")];
    let d: Vec<Option<&str>> = vec![Some("python"), Some("\t\n")];
    let idx = TextIndex::build(&q, &d, &TextConfig::default()).unwrap();
    for i in 0..3 {
        assert_eq!(idx.value(i, 0), None);
    }
    assert_eq!(idx.value(3, 1), None);
    assert_eq!(idx.value(3, 0), Some(1.0));
}

#[test]
fn bad_bm25_parameters_are_errors() {
    let cfg = TextConfig {
        b: 1.5,
        ..TextConfig::default()
    };
    let e = TextIndex::build::<&str>(&[], &[], &cfg).unwrap_err();
    assert!(e.to_string().contains("b is 1.5"));
}

proptest! {
    #[test]
    fn identical_texts_score_one(words in prop::collection::vec(0..WORDS.len(), 1..8),
                                 others in prop::collection::vec(prop::collection::vec(0..WORDS.len(), 1..6), 0..5)) {
        let text: Vec<&str> = words.iter().map(|&w| WORDS[w]).collect();
        let text = text.join(" ");
        let mut docs: Vec<String> = others.iter().map(|o| o.iter().map(|&w| WORDS[w]).collect::<Vec<_>>().join(" ")).collect();
        docs.push(text.clone());
        let docs_ref: Vec<&str> = docs.iter().map(String::as_str).collect();
        let idx = index(&[&text], &docs_ref);
        prop_assert_eq!(idx.value(0, docs.len() - 1), Some(1.0));
        for j in 0..docs.len() {
            let v = idx.value(0, j).unwrap();
            prop_assert!((0.0..=1.0).contains(&v));
        }
    }

    #[test]
    fn related_text_beats_unrelated(extra in 0..WORDS.len()) {
        // The related mentor shares two content words; the unrelated shares none.
        let q = "leadership and negotiation skills";
        let related = format!("negotiation leadership {}", WORDS[extra]);
        let idx = index(&[q], &[&related, "gardening cooking"]);
        prop_assert!(idx.value(0, 0).unwrap() > idx.value(0, 1).unwrap());
    }

    #[test]
    fn identical_embeddings_score_one(rows in prop::collection::vec(prop::collection::vec(-10.0f64..10.0, 8), 1..6)) {
        let n = rows.len();
        let a = Array2::from_shape_vec((n, 8), rows.concat()).unwrap();
        let s = cosine_scores(a.view(), a.view(), 0.5).unwrap();
        for i in 0..n {
            let norm: f64 = a.row(i).dot(&a.row(i));
            if norm > 1e-9 {
                prop_assert!((s.values[[i, i]] - 1.0).abs() < 1e-12);
            }
            for j in 0..n {
                // Oracle: the textbook cosine.
                let (x, y) = (a.row(i), a.row(j));
                let d = x.dot(&x).sqrt() * y.dot(&y).sqrt();
                if d > 0.0 && !s.zero_mentees.contains(&i) && !s.zero_mentors.contains(&j) {
                    let want = (x.dot(&y) / d).clamp(0.0, 1.0);
                    prop_assert!((s.values[[i, j]] - want).abs() < 1e-12);
                }
            }
        }
    }
}

#[test]
fn embedding_errors_name_table_row_column() {
    let a = Array2::<f64>::ones((2, 3));
    let b = Array2::<f64>::ones((2, 4));
    assert_eq!(
        cosine_scores(a.view(), b.view(), 0.5).unwrap_err(),
        EmbeddingError::Dimension {
            mentees: 3,
            mentors: 4
        }
    );
    let mut c = Array2::<f64>::ones((3, 3));
    c[[2, 1]] = f64::INFINITY;
    let e = cosine_scores(a.view(), c.view(), 0.5).unwrap_err();
    assert!(
        e.to_string().contains("mentors row 2, column 1 is inf"),
        "{e}"
    );
    let e = check_rows(Role::Mentee, 2, 5).unwrap_err();
    assert!(
        e.to_string().contains("2 rows but the mentees table has 5"),
        "{e}"
    );
    let z = Array2::<f64>::zeros((1, 3));
    let s = cosine_scores(z.view(), a.view(), 0.25).unwrap();
    assert_eq!(s.values.row(0).to_vec(), vec![0.25, 0.25]);
}

#[cfg(feature = "cli")]
#[test]
fn taxonomy_from_toml_and_json_agree() {
    let toml_groups: toml::Value = toml::from_str(
        "[[taxonomy]]\ntags = [\"public speaking\", \"presenting\"]\ncredit = 0.6\n[[taxonomy]]\ntags = [\"sql\", \"databases\"]\n",
    )
    .unwrap();
    let from_toml: Vec<TaxonomyGroup> = toml_groups["taxonomy"].clone().try_into().unwrap();
    let from_json: Vec<TaxonomyGroup> = serde_json::from_str(
        r#"[{"tags": ["public speaking", "presenting"], "credit": 0.6}, {"tags": ["sql", "databases"]}]"#,
    )
    .unwrap();
    assert_eq!(from_toml, from_json);
    let t = Taxonomy::new(&from_json).unwrap();
    assert_eq!(t.credit("Public Speaking", &["presenting"]).credit, 0.6);
    assert_eq!(t.credit("sql", &["databases"]).credit, 0.5);
    let bad = vec![
        TaxonomyGroup {
            tags: vec!["a".into(), "b".into()],
            credit: 0.5,
        },
        TaxonomyGroup {
            tags: vec!["c".into(), " A ".into()],
            credit: 0.5,
        },
    ];
    assert!(matches!(
        Taxonomy::new(&bad),
        Err(TaxonomyError::ConflictingGroups {
            first: 1,
            second: 2,
            ..
        })
    ));
    let one = vec![TaxonomyGroup {
        tags: vec!["a".into(), "A".into()],
        credit: 0.5,
    }];
    assert!(matches!(
        Taxonomy::new(&one),
        Err(TaxonomyError::TooSmall { group: 1, tags: 1 })
    ));
}

#[test]
fn two_way_and_open_doors_from_extra_columns() {
    let mut mentor = Person::new("m1");
    mentor
        .extra
        .insert("network".into(), "Finance; Legal ".into());
    mentor
        .extra
        .insert("learning_goals".into(), "python;tiktok".into());
    let mut mentee = Person::new("e1");
    mentee
        .extra
        .insert("target_areas".into(), "legal;marketing".into());
    mentee.skills = vec![
        Skill {
            name: "python".into(),
            level: 4,
        },
        Skill {
            name: "tiktok".into(),
            level: 1,
        },
    ];
    let (m, e) = (columns(&mentor), columns(&mentee));
    let t = Taxonomy::default();
    let (v, ev) = open_doors(&e.target_areas, &m.network, &t).unwrap();
    assert_eq!(v, 0.5);
    assert_eq!(
        ev.introductions,
        vec![("legal".into(), "legal".into(), 1.0)]
    );
    let (v, ev) = two_way(&m.learning_goals, &mentee.skills, 3, &t).unwrap();
    assert_eq!(v, 0.5);
    assert_eq!(ev.learns.len(), 1);
    assert!(two_way(&m.learning_goals, &[], 3, &t).is_none());
}
