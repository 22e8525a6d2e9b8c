//! Timing of the main job at scale: 10,000 mentees x 4,000 mentors, capacities 1-3.
//!
//! `cargo run --release --example match_large [-- MENTEES MENTORS SEED] [--score-only] [--objective=score]`
//! Prints the time per stage; run under `/usr/bin/time -v` for the memory peak.

use mentorpair::cohort::{Cohort, Goal, Person, Role, Skill, Slot, Table, Weekday};
use mentorpair::matching::{match_cohort, MatchConfig};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::time::Instant;

const TAGS: [&str; 24] = [
    "leadership",
    "public speaking",
    "sql",
    "python",
    "rust",
    "design",
    "product",
    "ml",
    "negotiation",
    "writing",
    "hiring",
    "finance",
    "strategy",
    "cloud",
    "security",
    "data",
    "mobile",
    "frontend",
    "backend",
    "testing",
    "ops",
    "research",
    "sales",
    "coaching",
];
const ZONES: [&str; 6] = [
    "Europe/Berlin",
    "Europe/London",
    "America/New_York",
    "America/Sao_Paulo",
    "Asia/Kolkata",
    "Asia/Tokyo",
];
const LANGS: [&str; 5] = ["en", "de", "pt", "hi", "ja"];

fn person(rng: &mut ChaCha8Rng, id: String, mentor: bool, n_mentors: usize) -> Person {
    let mut p = Person::new(id);
    let mut tags: Vec<usize> = (0..TAGS.len()).collect();
    for k in 0..4 {
        let r = rng.random_range(k..tags.len());
        tags.swap(k, r);
    }
    let n_goals = rng.random_range(1..=4);
    p.goals = tags[..n_goals]
        .iter()
        .map(|&t| Goal {
            tag: TAGS[t].to_string(),
            weight: rng.random_range(1..=3) as f64,
        })
        .collect();
    p.skills = tags[..n_goals]
        .iter()
        .map(|&t| Skill {
            name: TAGS[t].to_string(),
            level: if mentor {
                rng.random_range(3..=5)
            } else {
                rng.random_range(1..=3)
            },
        })
        .collect();
    let zone = rng.random_range(0..ZONES.len());
    p.timezone = Some(ZONES[zone].to_string());
    p.availability = (0..rng.random_range(1..=3))
        .map(|_| {
            let start = rng.random_range(8..18) * 60 + if rng.random_bool(0.5) { 30 } else { 0 };
            Slot {
                day: Weekday::ALL[rng.random_range(0..5)],
                start,
                end: start + rng.random_range(1..=3) * 60,
            }
        })
        .collect();
    p.languages = vec![LANGS[zone % LANGS.len()].to_string()];
    if rng.random_bool(0.6) {
        p.languages.push("en".to_string());
    }
    p.languages.dedup();
    p.level = Some(if mentor {
        rng.random_range(3..=8)
    } else {
        rng.random_range(1..=5)
    });
    p.department = Some(format!("dept{}", rng.random_range(0..40)));
    if rng.random_bool(0.3) {
        p.manager_id = Some(format!("m{}", rng.random_range(0..n_mentors)));
    }
    p.capacity = if mentor { rng.random_range(1..=3) } else { 1 };
    p
}

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let (n_mentees, n_mentors) = (
        args.first().copied().unwrap_or(10_000),
        args.get(1).copied().unwrap_or(4_000),
    );
    let seed = args.get(2).copied().unwrap_or(7) as u64;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let t = Instant::now();
    let mut mentees = Table::new(Role::Mentee);
    mentees.people = (0..n_mentees)
        .map(|i| person(&mut rng, format!("e{i}"), false, n_mentors))
        .collect();
    let mut mentors = Table::new(Role::Mentor);
    mentors.people = (0..n_mentors)
        .map(|j| person(&mut rng, format!("m{j}"), true, n_mentors))
        .collect();
    let cohort = Cohort { mentees, mentors };
    println!(
        "generated {n_mentees} mentees x {n_mentors} mentors (seed {seed}) in {:.0} ms",
        t.elapsed().as_secs_f64() * 1e3
    );
    let mut cfg = MatchConfig::default();
    cfg.exclude_same_department = true;
    cfg.scoring.reference_date = chrono::NaiveDate::from_ymd_opt(2026, 3, 16);
    cfg.objective = if std::env::args().any(|a| a == "--objective=score") {
        mentorpair::matching::Objective::Score
    } else {
        mentorpair::matching::Objective::Coverage
    };
    if std::env::args().any(|a| a == "--score-only") {
        let t = Instant::now();
        let m = mentorpair::matching::score_matrix(&cohort, &cfg).expect("score");
        println!(
            "score_matrix {:>9.1} ms ({} x {})",
            t.elapsed().as_secs_f64() * 1e3,
            m.scores.nrows(),
            m.scores.ncols()
        );
        return;
    }
    let t = Instant::now();
    let r = match_cohort(&cohort, &cfg).expect("match");
    let wall = t.elapsed().as_secs_f64() * 1e3;
    let tm = &r.timings;
    println!("threads       {}", rayon::current_num_threads());
    println!("features   {:>9.1} ms", tm.features_ms);
    println!("score      {:>9.1} ms", tm.score_ms);
    println!("mask       {:>9.1} ms", tm.mask_ms);
    println!("solve      {:>9.1} ms", tm.solve_ms);
    println!(
        "report     {:>9.1} ms  (explanations, reasons, audit)",
        tm.report_ms
    );
    println!(
        "total      {:>9.1} ms  (scoring + solving: {:.1} ms)",
        wall,
        tm.features_ms + tm.score_ms + tm.mask_ms + tm.solve_ms
    );
    let s = &r.summary;
    println!(
        "pairs {} | matched mentees {} of {} | capacity {} | mean score {:.3} | unmatched {:?} | violations {}",
        s.pairs, s.matched_mentees, s.mentees, s.capacity, s.mean_score, s.unmatched_by_reason, r.violations.len()
    );
}
