//! Score distribution and time per stage on the default synthetic cohort, with the graded
//! components and two programme criteria (`location` same, soft; `business_unit` different, a
//! must rule). `--no-criteria` leaves the criteria out.
//!
//! `cargo run --release --example score_bench [-- MENTEES MENTORS SEED] [--no-criteria]`
//!
//! Also prints the CPU time the process used (all threads, from `/proc/self/stat` on Linux): on a
//! shared machine wall times vary with the load, CPU time much less.

use mentorpair::criteria::Criterion;
use mentorpair::matching::{match_cohort, MatchConfig};
use mentorpair::synthetic::{generate, CohortSpec};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let nums: Vec<usize> = args.iter().filter_map(|x| x.parse().ok()).collect();
    let n = nums.first().copied().unwrap_or(10_000);
    let m = nums.get(1).copied().unwrap_or(4_000);
    let seed = nums.get(2).copied().unwrap_or(7) as u64;
    let cohort = match generate(&CohortSpec::new(n, m).seed(seed)) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    };
    let mut cfg = MatchConfig::default();
    cfg.scoring.reference_date = chrono::NaiveDate::from_ymd_opt(2026, 3, 2);
    if !args.iter().any(|a| a == "--no-criteria") {
        cfg.criteria = vec![
            Criterion::prefer("location", "same", 0.1),
            Criterion::must("business_unit", "different"),
        ];
    }
    let r = match match_cohort(&cohort, &cfg) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    };
    let t = &r.timings;
    if let Some(cpu) = process_cpu_seconds() {
        println!("process CPU time (all threads, whole run): {cpu:.2} s");
    }
    let mut s: Vec<f64> = r.pairs.iter().map(|p| p.score).collect();
    s.sort_by(f64::total_cmp);
    let q = |x: f64| {
        s.get(((s.len().max(1) - 1) as f64 * x) as usize)
            .copied()
            .unwrap_or(0.0)
    };
    let top = s.iter().filter(|&&x| x >= 0.999).count() as f64 / s.len().max(1) as f64;
    println!(
        "graded ({} criteria): {n} x {m} seed {seed}: features {:.0} ms, score {:.0} ms, mask {:.0} ms, solve {:.0} ms, report {:.0} ms, total {:.0} ms",
        cfg.criteria.len(),
        t.features_ms, t.score_ms, t.mask_ms, t.solve_ms, t.report_ms, t.total_ms
    );
    println!(
        "graded: pairs {}, mean {:.4}, p10 {:.4} p50 {:.4} p90 {:.4} max {:.4}, share >= 0.999: {:.2} %, violations {}",
        s.len(),
        r.summary.mean_score,
        q(0.1),
        q(0.5),
        q(0.9),
        q(1.0),
        100.0 * top,
        r.violations.len()
    );
}

/// User plus system CPU time of this process so far, all threads (Linux only).
fn process_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    let rest = stat.rsplit_once(')')?.1;
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}
