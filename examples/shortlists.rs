//! Time every mentee's shortlist on a 3,000 × 1,200 synthetic cohort (k = 5), beside the
//! preparation and the plain solve, in one run:
//! `cargo run --release --example shortlists [mentees mentors k]`.

use std::time::Instant;

use mentorpair::matching::MatchConfig;
use mentorpair::problem::Problem;
use mentorpair::synthetic::{generate, CohortSpec};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .map(|a| a.parse())
        .collect::<Result<_, _>>()?;
    let (n, m, k) = match args.as_slice() {
        [n, m, k] => (*n, *m, *k),
        [] => (3000, 1200, 5),
        _ => return Err("usage: shortlists [mentees mentors k]".into()),
    };
    let cohort = generate(&CohortSpec::new(n, m).seed(7))?;
    let t = Instant::now();
    let problem = Problem::new(cohort, MatchConfig::default())?;
    let prepare = t.elapsed();
    let t = Instant::now();
    let solution = problem.solve()?;
    let solve = t.elapsed();
    let t = Instant::now();
    let lists = problem.suggest_all(k)?;
    let all = t.elapsed();
    let costly = lists.iter().filter(|s| s.cost_of_choice > 0.0).count();
    let lost = lists.iter().filter(|s| s.pairs_lost > 0).count();
    println!(
        "{n} mentees x {m} mentors, k = {k}, {} threads",
        rayon::current_num_threads()
    );
    println!(
        "prepare (features, scores, mask): {:>8.3} s",
        prepare.as_secs_f64()
    );
    println!(
        "solve (plain optimum, {} pairs):  {:>8.3} s",
        solution.pairs.len(),
        solve.as_secs_f64()
    );
    println!(
        "all shortlists (solve, contracted graph, searches, prices): {:.3} s",
        all.as_secs_f64()
    );
    println!(
        "{} suggestions: {} cost something, {} lose a pair",
        lists.len(),
        costly,
        lost
    );
    Ok(())
}
