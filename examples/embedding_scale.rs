//! The embedding component's time at 10,000 mentees × 4,000 mentors with 384-dimensional
//! vectors: the standalone cosine matrix, and the prepared problem's scoring with and without
//! the component (issue target: the component adds under 3 s on 2 cores).
//! `cargo run --release --example embedding_scale [-- n m d repeats]`

use std::time::Instant;

use mentorpair::matching::MatchConfig;
use mentorpair::problem::Problem;
use mentorpair::score::beyond::{EmbeddingInput, EmbeddingView};
use mentorpair::score::embedding::cosine_scores;
use mentorpair::synthetic::{self, CohortSpec};
use ndarray::Array2;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn main() {
    let arg = |k: usize, default: usize| {
        std::env::args()
            .nth(k)
            .and_then(|a| a.parse().ok())
            .unwrap_or(default)
    };
    let (n, m, d, repeats) = (arg(1, 10_000), arg(2, 4_000), arg(3, 384), arg(4, 3));
    let cohort = synthetic::generate(&CohortSpec::new(n, m).seed(7)).expect("cohort");
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let a = Array2::from_shape_fn((n, d), |_| rng.random::<f64>() - 0.5);
    let b = Array2::from_shape_fn((m, d), |_| rng.random::<f64>() - 0.5);
    let mut cfg = MatchConfig::default();
    cfg.scoring.reference_date = "2026-03-02".parse().ok();
    cfg.memory_limit_bytes = 16 << 30;
    println!(
        "{n} x {m} x {d}, {} threads; best of {repeats}",
        rayon::current_num_threads()
    );
    let best = |f: &mut dyn FnMut() -> f64| (0..repeats).map(|_| f()).fold(f64::INFINITY, f64::min);
    let mut checksum = 0.0;
    let cos = best(&mut || {
        let t = Instant::now();
        let e = cosine_scores(a.view(), b.view(), 0.5).expect("embeddings");
        let s = t.elapsed().as_secs_f64();
        checksum = e.values.sum();
        s
    });
    println!("cosine_scores: {cos:.3} s (sum of values {checksum:.6})");
    let base = best(&mut || {
        let p = Problem::new(cohort.clone(), cfg.clone()).expect("problem");
        p.timings().score_ms / 1e3
    });
    let mut total = 0.0;
    let with = best(&mut || {
        let input = EmbeddingInput {
            mentees: EmbeddingView::F64(a.view()),
            mentors: EmbeddingView::F64(b.view()),
        };
        let p =
            Problem::with_embeddings(cohort.clone(), cfg.clone(), Some(input)).expect("problem");
        total = (0..n).map(|i| p.score(i, i % m)).sum::<f64>();
        p.timings().score_ms / 1e3
    });
    println!(
        "Problem scoring: built-in only {base:.3} s; + embedding {with:.3} s; component {:.3} s \
         (sum of sampled scores {total:.9})",
        with - base
    );
}
