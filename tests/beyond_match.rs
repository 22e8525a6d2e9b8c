//! The components beyond exact tags wired into matching: free-text goals, embeddings, related
//! tags, open doors and two-way learning change scores, optima and explanations as documented.

use mentorpair::cohort::{Cohort, Role};
use mentorpair::io::read_json;
use mentorpair::matching::MatchConfig;
use mentorpair::problem::{MatchError, Problem};
use mentorpair::score::beyond::{BeyondError, EmbeddingInput, EmbeddingView};
use mentorpair::score::taxonomy::{groups_from_rows, TaxonomyError, TaxonomyGroup, TaxonomyRow};
use mentorpair::score::{ComponentScore, Evidence};
use ndarray::Array2;
use proptest::prelude::*;
use serde_json::{json, Value};

fn cohort(mentees: Value, mentors: Value) -> Cohort {
    let read = |role, v: Value| read_json(role, v.to_string().as_bytes(), &[]).unwrap();
    Cohort {
        mentees: read(Role::Mentee, mentees),
        mentors: read(Role::Mentor, mentors),
    }
}

fn cfg() -> MatchConfig {
    let mut c = MatchConfig::default();
    c.scoring.reference_date = Some("2026-03-02".parse().unwrap());
    c
}

fn part(p: &Problem, i: usize, j: usize, name: &str) -> Option<ComponentScore> {
    p.explanation(i, j)
        .unwrap()
        .components
        .into_iter()
        .find(|c| c.component.name() == name)
}

fn people(prefix: &str, n: usize, f: impl Fn(usize) -> Value) -> Value {
    Value::Array(
        (0..n)
            .map(|k| {
                let mut v = f(k);
                v["id"] = json!(format!("{prefix}{k}"));
                v["goals"] = json!("sql");
                v
            })
            .collect(),
    )
}

#[test]
fn identical_texts_score_the_maximum_and_list_shared_terms() {
    let c = cohort(
        people(
            "e",
            1,
            |_| json!({"goals_text": "I want to get better at presenting to executives"}),
        ),
        people("m", 2, |k| {
            let t = [
                "I want to get better at presenting to executives",
                "gardening and cooking",
            ];
            json!({"goals_text": t[k]})
        }),
    );
    let p = Problem::new(c, cfg()).unwrap();
    let same = part(&p, 0, 0, "goals_text").unwrap();
    assert_eq!(same.value, 1.0);
    match same.evidence {
        Evidence::Text(t) => {
            assert!(t.shared.contains(&"presenting".to_string()), "{t:?}");
            assert!(t.shared.contains(&"executives".to_string()), "{t:?}");
        }
        e => panic!("unexpected evidence {e:?}"),
    }
    let other = part(&p, 0, 1, "goals_text").unwrap();
    assert_eq!(other.value, 0.0);
    assert!(p.score(0, 0) > p.score(0, 1));
}

#[test]
fn blank_text_is_no_information() {
    let c = cohort(
        people("e", 2, |k| {
            let t = ["   ", "lead a team"];
            json!({"goals_text": t[k]})
        }),
        people("m", 1, |_| json!({"goals_text": "team leadership"})),
    );
    let p = Problem::new(c, cfg()).unwrap();
    let blank = part(&p, 0, 0, "goals_text").unwrap();
    assert_eq!(blank.value, 0.5);
    assert!(blank
        .missing
        .unwrap()
        .contains("mentee wrote no goals_text"));
    assert!(part(&p, 1, 0, "goals_text").unwrap().missing.is_none());
}

#[test]
fn absent_inputs_change_no_score() {
    let plain = || {
        cohort(
            people(
                "e",
                3,
                |k| json!({"skills": format!("sql:{}", k + 1), "level": k}),
            ),
            people("m", 3, |k| json!({"skills": "sql:5", "level": k + 2})),
        )
    };
    let base = Problem::new(plain(), cfg()).unwrap().score_matrix().scores;
    // Text on one side only, and every list column empty: nothing to compare, nothing changes.
    let mut one_side = plain();
    for p in &mut one_side.mentees.people {
        p.extra.insert("goals_text".into(), json!("negotiation"));
        p.extra.insert("target_areas".into(), json!(""));
    }
    let got = Problem::new(one_side, cfg()).unwrap().score_matrix().scores;
    assert_eq!(base, got);
    // Two-way learning is off by default even with its inputs present.
    let mut two_way = plain();
    for p in &mut two_way.mentors.people {
        p.extra.insert("learning_goals".into(), json!("sql"));
    }
    let p = Problem::new(two_way.clone(), cfg()).unwrap();
    assert_eq!(base, p.score_matrix().scores);
    let mut on = cfg();
    on.weights.two_way = 0.2;
    let p = Problem::new(two_way, on).unwrap();
    let tw = part(&p, 2, 0, "two_way").unwrap();
    assert_eq!(tw.value, 1.0);
    match tw.evidence {
        Evidence::TwoWay(e) => assert_eq!(e.learns, vec![("sql".into(), "sql".into(), 1.0)]),
        e => panic!("unexpected evidence {e:?}"),
    }
    assert_eq!(part(&p, 0, 0, "two_way").unwrap().value, 0.0);
}

#[test]
fn text_changes_the_optimum() {
    // Equal on every built-in component; only the free text tells who fits whom.
    let c = cohort(
        people("e", 2, |k| {
            let t = [
                "negotiating salaries and contracts",
                "public speaking on stage",
            ];
            json!({"goals_text": t[k]})
        }),
        people("m", 2, |k| {
            let t = ["I coach public speaking", "contracts negotiation"];
            json!({"goals_text": t[k]})
        }),
    );
    let p = Problem::new(c, cfg()).unwrap();
    let r = p.match_result().unwrap();
    let pairs: Vec<(String, String)> = r
        .pairs
        .iter()
        .map(|x| (x.mentee_id.clone(), x.mentor_id.clone()))
        .collect();
    assert!(pairs.contains(&("e0".into(), "m1".into())), "{pairs:?}");
    assert!(pairs.contains(&("e1".into(), "m0".into())), "{pairs:?}");
}

#[test]
fn related_tags_earn_partial_goal_credit() {
    let c = cohort(
        json!([{"id": "e", "goals": "public speaking;sql"}]),
        json!([{"id": "m", "goals": "Presenting"}, {"id": "n", "goals": "cooking"}]),
    );
    let mut config = cfg();
    config.taxonomy = vec![TaxonomyGroup {
        tags: vec!["public speaking".into(), "presenting".into()],
        credit: 0.6,
    }];
    let p = Problem::new(c.clone(), config).unwrap();
    let g = part(&p, 0, 0, "goals").unwrap();
    // Goals weigh by rank (decay 0.5): public speaking 1, sql 1/1.5.
    let expect = 0.6 * 1.0 / (1.0 + 1.0 / 1.5);
    assert!((g.value - expect).abs() < 1e-12, "{}", g.value);
    match g.evidence {
        Evidence::Goals(e) => assert_eq!(
            e.related,
            vec![("public speaking".into(), "presenting".into(), 0.6)]
        ),
        e => panic!("unexpected evidence {e:?}"),
    }
    assert_eq!(part(&p, 0, 1, "goals").unwrap().value, 0.0);
    let without = Problem::new(c, cfg()).unwrap();
    assert_eq!(part(&without, 0, 0, "goals").unwrap().value, 0.0);
}

#[test]
fn taxonomy_conflicts_are_typed_errors() {
    let row = |tag: &str, group: &str| TaxonomyRow {
        tag: tag.into(),
        group: group.into(),
        credit: None,
    };
    let e = groups_from_rows(&[row("a", "x"), row("b", "x"), row("A ", "y")]).unwrap_err();
    assert!(matches!(
        e,
        TaxonomyError::ConflictingRows { ref tag, first_row: 1, second_row: 3, .. } if tag == "a"
    ));
    let mut config = cfg();
    config.taxonomy = vec![
        TaxonomyGroup {
            tags: vec!["a".into(), "b".into()],
            credit: 0.5,
        },
        TaxonomyGroup {
            tags: vec!["b".into(), "c".into()],
            credit: 0.5,
        },
    ];
    let c = cohort(json!([{"id": "e"}]), json!([{"id": "m"}]));
    let err = Problem::new(c, config).unwrap_err();
    assert!(matches!(err, MatchError::Beyond(ref b)
        if matches!(**b, BeyondError::Taxonomy(TaxonomyError::ConflictingGroups { .. }))));
}

#[test]
fn open_doors_say_whom_the_mentor_can_introduce() {
    let c = cohort(
        json!([{"id": "e", "target_areas": ["finance", "legal"]}]),
        json!([{"id": "m", "network": "banking;hr"}, {"id": "n", "network": "finance;legal"}]),
    );
    let mut config = cfg();
    config.taxonomy = vec![TaxonomyGroup {
        tags: vec!["finance".into(), "banking".into()],
        credit: 0.5,
    }];
    let p = Problem::new(c, config).unwrap();
    let d = part(&p, 0, 0, "open_doors").unwrap();
    assert_eq!(d.value, 0.25);
    match d.evidence {
        Evidence::OpenDoors(e) => {
            assert_eq!(
                e.introductions,
                vec![("finance".into(), "banking".into(), 0.5)]
            );
            assert_eq!(e.not_reached, vec!["legal".to_string()]);
        }
        e => panic!("unexpected evidence {e:?}"),
    }
    assert_eq!(part(&p, 0, 1, "open_doors").unwrap().value, 1.0);
}

fn vectors(rows: usize, d: usize, seed: u64) -> Array2<f64> {
    let mut x = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
    Array2::from_shape_fn((rows, d), |_| {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((x >> 11) as f64 / (1u64 << 53) as f64) - 0.5
    })
}

fn ids(prefix: &str, n: usize) -> Value {
    Value::Array(
        (0..n)
            .map(|k| json!({"id": format!("{prefix}{k}")}))
            .collect(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// The matrix product in the fill equals `max(0, cos)` from the formula, identical vectors
    /// give the maximum 1, and f32 input agrees with f64.
    #[test]
    fn embedding_component_is_clamped_cosine(n in 1usize..40, m in 1usize..40, d in 1usize..50, seed in 0u64..1000) {
        let a = vectors(n, d, seed);
        let mut b = vectors(m, d, seed + 7);
        b.row_mut(0).assign(&a.row(0).mapv(|v| v * 3.0));
        let input = EmbeddingInput { mentees: EmbeddingView::F64(a.view()), mentors: EmbeddingView::F64(b.view()) };
        let p = Problem::with_embeddings(cohort(ids("e", n), ids("m", m)), cfg(), Some(input)).unwrap();
        for i in 0..n {
            for j in 0..m {
                let (x, y) = (a.row(i), b.row(j));
                let cos = x.dot(&y) / (x.dot(&x).sqrt() * y.dot(&y).sqrt());
                let v = part(&p, i, j, "embedding").unwrap().value;
                prop_assert!((v - cos.max(0.0)).abs() < 1e-12);
                let e = p.explanation(i, j).unwrap();
                prop_assert!((e.score - p.score(i, j)).abs() < 1e-12);
            }
        }
        prop_assert!((part(&p, 0, 0, "embedding").unwrap().value - 1.0).abs() < 1e-12);
        let (af, bf) = (a.mapv(|v| v as f32), b.mapv(|v| v as f32));
        let input = EmbeddingInput { mentees: EmbeddingView::F32(af.view()), mentors: EmbeddingView::F32(bf.view()) };
        let q = Problem::with_embeddings(cohort(ids("e", n), ids("m", m)), cfg(), Some(input)).unwrap();
        let diff = (q.score_matrix().scores - p.score_matrix().scores).mapv(f64::abs);
        prop_assert!(diff.iter().all(|x| *x < 1e-5));
    }

    /// A mentor whose text shares words with the mentee's scores above one whose text shares
    /// none; a mentor with the mentee's very text scores the maximum.
    #[test]
    fn related_texts_beat_unrelated(words in proptest::sample::subsequence(WORDS.to_vec(), 2..8)) {
        let (mine, others): (Vec<&str>, Vec<&str>) =
            WORDS.iter().partition(|w| words.contains(w));
        let q = mine.join(" ");
        let related = format!("{} and more", mine[..mine.len() / 2 + 1].join(" "));
        let unrelated = others.join(" ");
        let c = cohort(
            json!([{"id": "e", "goals_text": q}]),
            json!([{"id": "a", "goals_text": q}, {"id": "b", "goals_text": related}, {"id": "c", "goals_text": unrelated}]),
        );
        let p = Problem::new(c, cfg()).unwrap();
        let v = |j| part(&p, 0, j, "goals_text").unwrap().value;
        prop_assert_eq!(v(0), 1.0);
        prop_assert!(v(1) > v(2));
        prop_assert!(v(1) <= 1.0);
    }
}

const WORDS: [&str; 10] = [
    "leadership",
    "negotiation",
    "python",
    "budgeting",
    "presenting",
    "hiring",
    "strategy",
    "coaching",
    "analytics",
    "design",
];

#[test]
fn zero_and_missing_vectors_get_the_neutral_value() {
    let c = cohort(
        json!([{"id": "e0", "embedding": [1.0, 0.0]}, {"id": "e1", "embedding": [0.0, 0.0]}, {"id": "e2"}]),
        json!([{"id": "m0", "embedding": "0.5;0.5"}]),
    );
    let p = Problem::new(c, cfg()).unwrap();
    assert!((part(&p, 0, 0, "embedding").unwrap().value - 0.5f64.sqrt()).abs() < 1e-12);
    let zero = part(&p, 1, 0, "embedding").unwrap();
    assert_eq!(zero.value, 0.5);
    assert!(zero.missing.unwrap().contains("zero vector"));
    let absent = part(&p, 2, 0, "embedding").unwrap();
    assert!(absent.missing.unwrap().contains("embedding is missing"));
}

fn beyond_error(e: MatchError) -> BeyondError {
    match e {
        MatchError::Beyond(b) => *b,
        e => panic!("unexpected error {e:?}"),
    }
}

#[test]
fn bad_embeddings_are_named() {
    let bad = |mentees: Value, mentors: Value| {
        beyond_error(Problem::new(cohort(mentees, mentors), cfg()).unwrap_err())
    };
    let e = bad(
        json!([{"id": "e0", "embedding": [1.0, 2.0]}]),
        json!([{"id": "m0", "embedding": [1.0, 2.0]}, {"id": "m1", "embedding": [1.0, 2.0, 3.0]}]),
    );
    assert!(
        matches!(e, BeyondError::Dimension { table: "mentors", row: 2, ref id, len: 3, expected: 2 } if id == "m1")
    );
    let e = bad(
        json!([{"id": "e0", "embedding": [1.0, null]}]),
        json!([{"id": "m0", "embedding": [1.0, 2.0]}]),
    );
    assert!(matches!(
        e,
        BeyondError::NonFinite {
            table: "mentees",
            row: 1,
            entry: 1,
            ..
        }
    ));
    assert!(e.to_string().contains("\"e0\""));
    let e = bad(
        json!([{"id": "e0", "embedding": "1;x"}]),
        json!([{"id": "m0", "embedding": [1.0]}]),
    );
    assert!(matches!(
        e,
        BeyondError::Cell {
            table: "mentees",
            ..
        }
    ));
    let e = bad(
        json!([{"id": "e0", "embedding": [1.0]}]),
        json!([{"id": "m0"}]),
    );
    assert!(matches!(
        e,
        BeyondError::OneSide {
            with: "mentees",
            without: "mentors"
        }
    ));

    let (a, b) = (vectors(2, 3, 1), vectors(3, 3, 2));
    let run = |a: &Array2<f64>, b: &Array2<f64>| {
        let input = EmbeddingInput {
            mentees: EmbeddingView::F64(a.view()),
            mentors: EmbeddingView::F64(b.view()),
        };
        Problem::with_embeddings(cohort(ids("e", 2), ids("m", 2)), cfg(), Some(input))
            .map(|_| ())
            .map_err(beyond_error)
    };
    let e = run(&a, &b).unwrap_err();
    assert!(e.to_string().contains("mentors matrix has 3 rows"), "{e}");
    let mut nan = a.clone();
    nan[[1, 2]] = f64::INFINITY;
    let e = run(&nan, &b.slice(ndarray::s![..2, ..]).to_owned()).unwrap_err();
    assert!(matches!(
        e,
        BeyondError::NonFinite {
            table: "mentees",
            row: 2,
            entry: 2,
            ..
        }
    ));
    let e = run(&a, &vectors(2, 4, 3)).unwrap_err();
    assert!(e.to_string().contains("dimension 3"), "{e}");
}
