//! Timings of the "beyond exact tags" parts at 10,000 mentees × 4,000 mentors, plus weight
//! recovery by sample size:
//! `cargo run --release --example beyond_scale`

use std::collections::BTreeMap;
use std::time::Instant;

use mentorpair::learn::{fit_weights, FitOptions, OutcomeScale};
use mentorpair::matching::MatchConfig;
use mentorpair::problem::Problem;
use mentorpair::score::beyond::{EmbeddingInput, EmbeddingView};
use mentorpair::score::embedding::cosine_scores;
use mentorpair::score::text::{TextConfig, TextIndex};
use mentorpair::synthetic::history::{uniform_history, HistorySpec};
use mentorpair::synthetic::{self, CohortSpec};
use ndarray::Array2;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const OPENERS: [&str; 6] = [
    "I would like to get better at",
    "My goal this year is improving my",
    "Looking for help with",
    "I want to grow in",
    "Hoping to learn more about",
    "I am working on my",
];

fn sentence(tags: &[String], rng: &mut ChaCha8Rng) -> Option<String> {
    if tags.is_empty() {
        return None;
    }
    let opener = OPENERS[rng.random_range(0..OPENERS.len())];
    Some(format!(
        "{opener} {} and presenting the results to leadership.",
        tags.join(", ")
    ))
}

fn main() {
    let (n, m) = (10_000, 4_000);
    let cohort = synthetic::generate(&CohortSpec::new(n, m).seed(7)).expect("cohort");
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let texts =
        |people: &[mentorpair::cohort::Person], rng: &mut ChaCha8Rng| -> Vec<Option<String>> {
            people
                .iter()
                .map(|p| {
                    sentence(
                        &p.goals.iter().map(|g| g.tag.clone()).collect::<Vec<_>>(),
                        rng,
                    )
                })
                .collect()
        };
    let mentee_texts = texts(&cohort.mentees.people, &mut rng);
    let mentor_texts = texts(&cohort.mentors.people, &mut rng);

    let t = Instant::now();
    let index =
        TextIndex::build(&mentee_texts, &mentor_texts, &TextConfig::default()).expect("index");
    let built = t.elapsed();
    let t = Instant::now();
    let text = index.matrix(0.5);
    let filled = t.elapsed();
    let mean = text.mean().unwrap_or(0.0);
    println!(
        "text {n} x {m}: index {:.3} s + matrix {:.3} s = {:.3} s (mean value {mean:.3})",
        built.as_secs_f64(),
        filled.as_secs_f64(),
        (built + filled).as_secs_f64()
    );
    drop(text);

    let d = 384;
    let a = Array2::from_shape_fn((n, d), |_| rng.random::<f64>() - 0.5);
    let b = Array2::from_shape_fn((m, d), |_| rng.random::<f64>() - 0.5);
    let t = Instant::now();
    let e = cosine_scores(a.view(), b.view(), 0.5).expect("embeddings");
    println!(
        "embeddings {n} x {m} x {d}: {:.3} s (mean value {:.3})",
        t.elapsed().as_secs_f64(),
        e.values.mean().unwrap_or(0.0)
    );
    drop(e);

    // End to end: the prepared problem's scoring with and without the new components, one run.
    let mut cfg = MatchConfig::default();
    cfg.scoring.reference_date = "2026-03-02".parse().ok();
    cfg.memory_limit_bytes = 16 << 30;
    let score_ms = |p: &Problem| p.timings().score_ms / 1e3;
    let base = Problem::new(cohort.clone(), cfg.clone()).expect("problem");
    let base_s = score_ms(&base);
    drop(base);
    let mut with_text = cohort.clone();
    for (people, texts) in [
        (&mut with_text.mentees.people, &mentee_texts),
        (&mut with_text.mentors.people, &mentor_texts),
    ] {
        for (p, t) in people.iter_mut().zip(texts) {
            if let Some(t) = t {
                p.extra.insert("goals_text".into(), t.clone().into());
            }
        }
    }
    let p = Problem::new(with_text, cfg.clone()).expect("problem");
    let text_s = score_ms(&p);
    drop(p);
    let input = EmbeddingInput {
        mentees: EmbeddingView::F64(a.view()),
        mentors: EmbeddingView::F64(b.view()),
    };
    let p = Problem::with_embeddings(cohort.clone(), cfg.clone(), Some(input)).expect("problem");
    let emb_s = score_ms(&p);
    drop(p);
    println!(
        "Problem scoring {n} x {m}: built-in only {base_s:.3} s; + goals_text {text_s:.3} s \
         (component {:.3} s); + embedding {d}-d {emb_s:.3} s (component {:.3} s)",
        text_s - base_s,
        emb_s - base_s
    );

    let names: Vec<String> = ["goals", "skills", "availability", "language", "seniority"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let truth = [0.35, 0.20, 0.20, 0.15, 0.10];
    let spec = |n_pairs, scale, seed| HistorySpec {
        n_pairs,
        weights: names.iter().cloned().zip(truth).collect::<BTreeMap<_, _>>(),
        scale,
        strength: 10.0,
        seed,
    };
    for scale in [OutcomeScale::Binary, OutcomeScale::Rating] {
        let h = uniform_history(&names, &spec(20_000, scale, 1)).expect("history");
        let t = Instant::now();
        let fit = fit_weights(&h, None, &FitOptions::default()).expect("fit");
        println!(
            "fit_weights {scale:?} on 20000 rows: {:.3} s, {} iterations, held-out {} {:.3}",
            t.elapsed().as_secs_f64(),
            fit.iterations,
            fit.metric,
            fit.heldout.unwrap_or(f64::NAN)
        );
    }
    println!("recovery: max |learned − true| weight over 5 seeds (true {truth:?}, strength 10)");
    for scale in [OutcomeScale::Binary, OutcomeScale::Rating] {
        for n_pairs in [500, 1000, 2000, 5000, 20_000] {
            let mut worst: f64 = 0.0;
            for seed in 0..5 {
                let h = uniform_history(&names, &spec(n_pairs, scale, seed)).expect("history");
                let fit = fit_weights(&h, None, &FitOptions::default()).expect("fit");
                for (name, t) in names.iter().zip(truth) {
                    worst = worst.max((fit.weights[name] - t).abs());
                }
            }
            println!("  {scale:?} n = {n_pairs:>6}: {worst:.4}");
        }
    }
}
