//! The generator's fields beyond exact tags (goals_text, network, target_areas, learning_goals,
//! embeddings) and weight learning over every component: knobs, determinism, the old columns
//! untouched, the latent goal model seen through the components, and weight recovery.

use std::collections::{BTreeMap, HashSet};

use mentorpair::cohort::{Cohort, Role};
use mentorpair::learn::frame::component_frame_with;
use mentorpair::learn::{fit_weights, FitOptions, OutcomeScale};
use mentorpair::matching::MatchConfig;
use mentorpair::problem::Problem;
use mentorpair::score::text::{TextConfig, TextIndex};
use mentorpair::synthetic::history::{history_with, HistorySpec};
use mentorpair::synthetic::{fingerprint, generate, latent_goals, CohortSpec, SyntheticError};

const NEW_COLUMNS: [&str; 5] = [
    "goals_text",
    "network",
    "target_areas",
    "learning_goals",
    "embedding",
];

fn without_new_columns(mut c: Cohort) -> Cohort {
    for t in [&mut c.mentees, &mut c.mentors] {
        for p in &mut t.people {
            for col in NEW_COLUMNS {
                p.extra.remove(col);
            }
        }
    }
    c
}

fn has(c: &Cohort, role: Role, column: &str) -> usize {
    let t = match role {
        Role::Mentee => &c.mentees,
        Role::Mentor => &c.mentors,
    };
    t.people
        .iter()
        .filter(|p| p.extra.contains_key(column))
        .count()
}

fn config() -> MatchConfig {
    let mut cfg = MatchConfig::default();
    cfg.scoring.reference_date = chrono::NaiveDate::from_ymd_opt(2026, 3, 2);
    cfg
}

#[test]
fn knobs_off_by_default_and_the_old_columns_never_change() {
    let base = CohortSpec::new(300, 120).seed(42).bias(0.3);
    let plain = generate(&base).unwrap();
    for col in NEW_COLUMNS {
        assert_eq!(
            has(&plain, Role::Mentee, col) + has(&plain, Role::Mentor, col),
            0
        );
    }
    let on = generate(&base.clone().beyond_tags(16)).unwrap();
    assert_ne!(fingerprint(&on), fingerprint(&plain));
    // Separate streams: the cohort without the new columns is the default cohort, bit for bit.
    assert_eq!(
        fingerprint(&without_new_columns(on.clone())),
        fingerprint(&plain)
    );
    assert_eq!(without_new_columns(on.clone()), plain);
    // And each field is the same whether the others are on or off.
    let text_only = generate(&CohortSpec {
        goals_text_share: 1.0,
        ..base.clone()
    })
    .unwrap();
    for (a, b) in on.mentees.people.iter().zip(&text_only.mentees.people) {
        assert_eq!(a.extra.get("goals_text"), b.extra.get("goals_text"));
    }
}

#[test]
fn fields_appear_with_their_knobs_and_are_deterministic_per_seed() {
    let spec = CohortSpec::new(400, 150).seed(3).beyond_tags(8);
    let a = generate(&spec).unwrap();
    assert_eq!(a, generate(&spec).unwrap());
    assert_ne!(
        fingerprint(&a),
        fingerprint(&generate(&spec.clone().seed(4)).unwrap())
    );
    // Every person writes text; about 80 % of each side lists network / areas / learning goals.
    assert_eq!(has(&a, Role::Mentee, "goals_text"), 400);
    assert_eq!(has(&a, Role::Mentor, "goals_text"), 150);
    for (role, col, n) in [
        (Role::Mentor, "network", 150.0),
        (Role::Mentee, "target_areas", 400.0),
        (Role::Mentor, "learning_goals", 150.0),
    ] {
        let share = has(&a, role, col) as f64 / n;
        assert!((0.65..0.93).contains(&share), "{col}: share {share}");
    }
    assert_eq!(has(&a, Role::Mentee, "network"), 0);
    assert_eq!(has(&a, Role::Mentor, "target_areas"), 0);
    let e = a.mentees.people[0].extra["embedding"].as_array().unwrap();
    assert_eq!(e.len(), 8);
    // Paraphrases and synonyms: some mentee text does not contain any of its goal tags verbatim.
    let reworded = a.mentees.people.iter().any(|p| {
        let text = p.extra["goals_text"].as_str().unwrap().to_lowercase();
        p.goals.iter().all(|g| !text.contains(&g.tag))
    });
    assert!(reworded);
    // A single knob on its own.
    let only = generate(&CohortSpec {
        network_share: 1.0,
        ..CohortSpec::new(50, 20).seed(1)
    })
    .unwrap();
    assert_eq!(has(&only, Role::Mentor, "network"), 20);
    assert_eq!(has(&only, Role::Mentee, "goals_text"), 0);
    assert_eq!(has(&only, Role::Mentor, "embedding"), 0);
    // Bad knobs are refused by name.
    for (spec, field) in [
        (
            CohortSpec {
                goals_text_share: 1.5,
                ..CohortSpec::default()
            },
            "goals_text_share",
        ),
        (
            CohortSpec {
                embedding_dim: 5000,
                ..CohortSpec::default()
            },
            "embedding_dim",
        ),
        (
            CohortSpec {
                embedding_noise: -1.0,
                ..CohortSpec::default()
            },
            "embedding_noise",
        ),
    ] {
        match generate(&spec) {
            Err(SyntheticError::OutOfRange { field: f, .. }) => assert_eq!(f, field),
            other => panic!("{field}: {other:?}"),
        }
    }
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len().max(1) as f64
}

/// Pairs (i, j) split by whether their latent goals share a goal.
/// (mentee row, mentor column) pairs.
type Pairs = Vec<(usize, usize)>;

fn split_by_latent(spec: &CohortSpec, c: &Cohort) -> (Pairs, Pairs) {
    let (a, b) = latent_goals(spec, c);
    let (mut agree, mut unrelated) = (Vec::new(), Vec::new());
    for (i, ga) in a.iter().enumerate() {
        let ga: HashSet<&String> = ga.iter().collect();
        for (j, gb) in b.iter().enumerate() {
            if gb.iter().any(|g| ga.contains(g)) {
                agree.push((i, j));
            } else {
                unrelated.push((i, j));
            }
        }
    }
    (agree, unrelated)
}

#[test]
fn text_scores_higher_where_latent_goals_agree_over_seeds() {
    for seed in 0..5 {
        let spec = CohortSpec {
            goals_text_share: 1.0,
            ..CohortSpec::new(120, 60).seed(seed)
        };
        let c = generate(&spec).unwrap();
        let text = |t: &mentorpair::cohort::Table| -> Vec<Option<String>> {
            t.people
                .iter()
                .map(|p| p.extra["goals_text"].as_str().map(str::to_string))
                .collect()
        };
        let m = TextIndex::build(&text(&c.mentees), &text(&c.mentors), &TextConfig::default())
            .unwrap()
            .matrix(0.5);
        let (agree, unrelated) = split_by_latent(&spec, &c);
        let value = |ps: &[(usize, usize)]| -> Vec<f64> { ps.iter().map(|&p| m[p]).collect() };
        let (hi, lo) = (mean(&value(&agree)), mean(&value(&unrelated)));
        assert!(
            hi > lo + 0.03 && hi > 2.5 * lo,
            "seed {seed}: agree {hi}, unrelated {lo}"
        );
    }
}

#[test]
fn embeddings_of_the_same_latent_goals_have_higher_cosine_over_seeds() {
    for seed in 0..5 {
        let spec = CohortSpec {
            embedding_dim: 16,
            ..CohortSpec::new(120, 60).seed(seed)
        };
        let c = generate(&spec).unwrap();
        let vecs = |t: &mentorpair::cohort::Table| -> Vec<Vec<f64>> {
            t.people
                .iter()
                .map(|p| {
                    p.extra["embedding"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|x| x.as_f64().unwrap())
                        .collect()
                })
                .collect()
        };
        let (a, b) = (vecs(&c.mentees), vecs(&c.mentors));
        let cos = |x: &[f64], y: &[f64]| {
            let dot: f64 = x.iter().zip(y).map(|(p, q)| p * q).sum();
            let n = |v: &[f64]| v.iter().map(|p| p * p).sum::<f64>().sqrt();
            dot / (n(x) * n(y))
        };
        let (la, lb) = latent_goals(&spec, &c);
        let (mut same, mut disjoint) = (Vec::new(), Vec::new());
        for i in 0..a.len() {
            let si: HashSet<&String> = la[i].iter().collect();
            for j in 0..b.len() {
                let sj: HashSet<&String> = lb[j].iter().collect();
                if si == sj {
                    same.push(cos(&a[i], &b[j]));
                } else if si.is_disjoint(&sj) {
                    disjoint.push(cos(&a[i], &b[j]));
                }
            }
        }
        assert!(
            !same.is_empty(),
            "seed {seed}: no pair with the same latent goals"
        );
        let (hi, lo) = (mean(&same), mean(&disjoint));
        assert!(
            hi > 0.6 && lo < 0.2 && hi > lo + 0.4,
            "seed {seed}: same {hi}, disjoint {lo}"
        );
    }
}

#[test]
fn frame_values_equal_what_matching_explains() {
    let spec = CohortSpec::new(60, 25).seed(9).beyond_tags(8);
    let cohort = generate(&spec).unwrap();
    let mut cfg = config();
    cfg.weights.two_way = 0.1; // matching adds two_way only at a positive weight
    let problem = Problem::new(cohort.clone(), cfg.clone()).unwrap();
    let (mut e_ids, mut m_ids) = (Vec::new(), Vec::new());
    for (i, p) in cohort.mentees.people.iter().enumerate() {
        for q in cohort.mentors.people.iter().skip(i % 3).step_by(3) {
            e_ids.push(p.id.clone());
            m_ids.push(q.id.clone());
        }
    }
    let outcomes = vec![1.0; e_ids.len()];
    let frame = component_frame_with(&cohort, &e_ids, &m_ids, &outcomes, &cfg, None).unwrap();
    for name in [
        "goals",
        "affinity",
        "preference",
        "goals_text",
        "embedding",
        "open_doors",
        "two_way",
    ] {
        assert!(frame.components.iter().any(|c| c == name), "{name} missing");
    }
    let mut checked = 0;
    for r in 0..e_ids.len() {
        let report = problem.explain(&e_ids[r], &m_ids[r]).unwrap();
        let explanation = report.explanation;
        for c in &explanation.components {
            let k = frame
                .components
                .iter()
                .position(|n| n == c.component.name())
                .unwrap_or_else(|| panic!("{} not in the frame", c.component.name()));
            assert_eq!(
                frame.values[[r, k]],
                c.value,
                "row {r}, {}",
                c.component.name()
            );
            checked += 1;
        }
    }
    assert!(checked >= 9 * e_ids.len(), "{checked} values checked");
}

#[test]
fn fit_recovers_text_and_open_doors_weights_from_tables_at_12000_pairs_over_seeds() {
    let spec = CohortSpec::new(400, 160).seed(11).beyond_tags(0);
    let cohort = generate(&spec).unwrap();
    let cfg = config();
    let truth: BTreeMap<String, f64> = [
        ("goals_text", 0.35),
        ("open_doors", 0.25),
        ("availability", 0.2),
        ("goals", 0.2),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let mut last = None;
    for seed in [4, 5, 6] {
        let h = history_with(
            &cohort,
            &HistorySpec {
                n_pairs: 12_000,
                weights: truth.clone(),
                scale: OutcomeScale::Binary,
                strength: 10.0,
                seed,
            },
            &cfg,
            None,
        )
        .unwrap();
        // The frame computed from the tables is exactly the history's.
        let again = component_frame_with(
            &cohort,
            &h.mentee_ids,
            &h.mentor_ids,
            &h.outcomes,
            &cfg,
            None,
        )
        .unwrap();
        assert_eq!(again, h);
        let fit = fit_weights(&again, None, &FitOptions::default()).unwrap();
        for name in &h.components {
            let (w, t) = (fit.weights[name], truth.get(name).copied().unwrap_or(0.0));
            // Stated tolerance: every learned weight within 0.08 of the truth at 12,000 pairs.
            assert!(
                (w - t).abs() < 0.08,
                "{name}: learned {w}, true {t}; {:?}",
                fit.weights
            );
        }
        // The ranking of the weighted components, and their ratio within 25 %.
        assert!(fit.weights["goals_text"] > fit.weights["open_doors"]);
        let ratio = fit.weights["goals_text"] / fit.weights["open_doors"];
        assert!((ratio / (0.35 / 0.25) - 1.0).abs() < 0.25, "ratio {ratio}");
        last = Some(fit);
    }
    let fit = last.unwrap();
    // The learned weights are match weights as they are.
    let mut opts = serde_json::Map::new();
    opts.insert(
        "weights".into(),
        serde_json::to_value(&fit.weights).unwrap(),
    );
    MatchConfig::from_options(serde_json::Value::Object(opts)).unwrap();
}

#[test]
fn cli_generate_writes_the_new_columns_with_its_flags_and_they_read_back() {
    let dir = std::env::temp_dir().join(format!("mentorpair-gen-beyond-{}", std::process::id()));
    let run = |out: &std::path::Path, extra: &[&str]| {
        let mut args = vec![
            "generate",
            "--mentees",
            "40",
            "--mentors",
            "15",
            "--seed",
            "7",
            "--out",
            out.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_mentorpair"))
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
    };
    let (on, off) = (dir.join("on"), dir.join("off"));
    run(
        &on,
        &[
            "--beyond-tags",
            "--embedding-dim",
            "4",
            "--learning-goals-share",
            "1",
        ],
    );
    run(&off, &[]);
    let protected = vec!["gender".to_string(), "age_band".to_string()];
    let read = |d: &std::path::Path, role: Role| {
        mentorpair::io::read_path(role, &d.join(format!("{}.csv", role.table())), &protected)
            .unwrap()
    };
    let spec = CohortSpec {
        learning_goals_share: 1.0,
        ..CohortSpec::new(40, 15).seed(7).beyond_tags(4)
    };
    let want = generate(&spec).unwrap();
    let got = Cohort {
        mentees: read(&on, Role::Mentee),
        mentors: read(&on, Role::Mentor),
    };
    assert_eq!(has(&got, Role::Mentor, "learning_goals"), 15);
    for (table, a, b) in [
        ("mentees", &got.mentees, &want.mentees),
        ("mentors", &got.mentors, &want.mentors),
    ] {
        for (p, q) in a.people.iter().zip(&b.people) {
            for col in ["goals_text", "network", "target_areas", "learning_goals"] {
                assert_eq!(
                    p.extra.get(col).and_then(|v| v.as_str()),
                    q.extra.get(col).and_then(|v| v.as_str()),
                    "{table} {} {col}",
                    p.id
                );
            }
        }
    }
    // The embeddings read back from the CSV are the generated numbers, exactly.
    for (p, q) in got.mentors.people.iter().zip(&want.mentors.people) {
        let cell = p.extra["embedding"].as_str().unwrap().to_string();
        let read_back: Vec<f64> = cell.split(';').map(|x| x.parse().unwrap()).collect();
        let generated: Vec<f64> = q.extra["embedding"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap())
            .collect();
        assert_eq!(read_back, generated, "{}", p.id);
    }
    // And they take part in matching.
    let problem = Problem::new(got, config()).unwrap();
    let report = problem
        .explain(&want.mentees.people[0].id, &want.mentors.people[0].id)
        .unwrap();
    assert!(report
        .explanation
        .components
        .iter()
        .any(|c| c.component.name() == "embedding"));
    let off_read = read(&off, Role::Mentee);
    assert!(off_read
        .people
        .iter()
        .all(|p| NEW_COLUMNS.iter().all(|c| !p.extra.contains_key(c))));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn embedding_matrices_score_as_the_column_does() {
    use mentorpair::score::beyond::{EmbeddingInput, EmbeddingView};
    let spec = CohortSpec::new(30, 12).seed(2).beyond_tags(6);
    let cohort = generate(&spec).unwrap();
    let (a, b) = mentorpair::synthetic::embedding_matrices(&cohort).unwrap();
    assert_eq!((a.dim(), b.dim()), ((30, 6), (12, 6)));
    let bare = without_new_columns(cohort.clone());
    assert!(mentorpair::synthetic::embedding_matrices(&bare).is_none());
    let input = EmbeddingInput {
        mentees: EmbeddingView::F64(a.view()),
        mentors: EmbeddingView::F64(b.view()),
    };
    let with_column = Problem::new(cohort, config()).unwrap();
    // Only the embeddings differ from the full cohort: take the rest from the bare one.
    let mut spec_no_emb = spec.clone();
    spec_no_emb.embedding_dim = 0;
    let no_emb = generate(&spec_no_emb).unwrap();
    let with_matrices = Problem::with_embeddings(no_emb, config(), Some(input)).unwrap();
    for i in 0..30 {
        for j in 0..12 {
            assert_eq!(
                with_column.score(i, j),
                with_matrices.score(i, j),
                "({i}, {j})"
            );
        }
    }
}
