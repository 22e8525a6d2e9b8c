//! Timings of the generator's fields beyond exact tags and of weight learning over every
//! component, at 10,000 mentees × 4,000 mentors (seed 7), in one run:
//! `cargo run --release --example generator_beyond`
//!
//! 1. generate the cohort with every new field off (the default) and on (`beyond_tags(16)`:
//!    text for everybody, network / target areas / learning goals for 80 %, 16-dimensional
//!    embeddings);
//! 2. a 20,000-pair synthetic history of the cohort with every field on;
//! 3. the component frame of those 20,000 pairs scored from the tables (every component);
//! 4. `fit_weights` on it.

use std::collections::BTreeMap;
use std::time::Instant;

use mentorpair::learn::frame::component_frame_with;
use mentorpair::learn::{fit_weights, FitOptions, OutcomeScale};
use mentorpair::matching::MatchConfig;
use mentorpair::synthetic::history::{history_with, HistorySpec};
use mentorpair::synthetic::{self, CohortSpec};

fn main() {
    let (n, m) = (10_000, 4_000);
    let spec = CohortSpec::new(n, m).seed(7);
    let t = Instant::now();
    let off = synthetic::generate(&spec).expect("cohort");
    let off_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let on = synthetic::generate(&spec.clone().beyond_tags(16)).expect("cohort");
    let on_s = t.elapsed().as_secs_f64();
    println!("generate {n} x {m}, new fields off: {off_s:.3} s");
    println!("generate {n} x {m}, every new field on (16-d embeddings): {on_s:.3} s");
    assert_eq!(off.mentees.people.len(), on.mentees.people.len());

    let mut cfg = MatchConfig::default();
    cfg.scoring.reference_date = chrono::NaiveDate::from_ymd_opt(2026, 3, 2);
    let weights: BTreeMap<String, f64> = [
        ("goals", 0.2),
        ("availability", 0.15),
        ("goals_text", 0.25),
        ("embedding", 0.15),
        ("open_doors", 0.15),
        ("two_way", 0.1),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let hspec = HistorySpec {
        n_pairs: 20_000,
        weights: weights.clone(),
        scale: OutcomeScale::Binary,
        strength: 10.0,
        seed: 1,
    };
    let t = Instant::now();
    let h = history_with(&on, &hspec, &cfg, None).expect("history");
    println!(
        "synthetic history, 20,000 pairs, {} components: {:.3} s",
        h.components.len(),
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let frame = component_frame_with(&on, &h.mentee_ids, &h.mentor_ids, &h.outcomes, &cfg, None)
        .expect("frame");
    println!(
        "component frame from the tables, 20,000 rows: {:.3} s",
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let fit = fit_weights(&frame, None, &FitOptions::default()).expect("fit");
    println!(
        "fit_weights, 20,000 rows x {} components: {:.3} s ({} iterations, held-out AUC {:.3})",
        frame.components.len(),
        t.elapsed().as_secs_f64(),
        fit.iterations,
        fit.heldout.unwrap_or(f64::NAN)
    );
    for (name, w) in &fit.weights {
        println!(
            "  {name:<13} learned {w:.3}  true {:.3}",
            weights.get(name).copied().unwrap_or(0.0)
        );
    }
}
