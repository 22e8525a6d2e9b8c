//! Compare the matching strategies on synthetic cohorts and print mean ± sd over seeds.
//!
//! `cargo run --release --example bench_quality -- [--mentees 2000] [--mentors 800] [--seeds 5]
//! [--bias 0.0] [--json out.json]`

use mentorpair::quality::{self, Strategy};
use mentorpair::synthetic::CohortSpec;

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(2);
    }
}

fn run() -> Result<(), String> {
    let mut spec = CohortSpec::new(2000, 800);
    let mut seeds = 5u64;
    let mut json: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        let bad = |v: &str| format!("{flag}: cannot read {v:?} as a number");
        match flag.as_str() {
            "--mentees" => {
                let v = value()?;
                spec.n_mentees = v.parse().map_err(|_| bad(&v))?;
            }
            "--mentors" => {
                let v = value()?;
                spec.n_mentors = Some(v.parse().map_err(|_| bad(&v))?);
            }
            "--seeds" => {
                let v = value()?;
                seeds = v.parse().map_err(|_| bad(&v))?;
            }
            "--bias" => {
                let v = value()?;
                spec.bias = v.parse().map_err(|_| bad(&v))?;
            }
            "--json" => json = Some(value()?),
            other => {
                return Err(format!(
                    "unknown argument {other:?}; see the file header for usage"
                ))
            }
        }
    }
    let seed_list: Vec<u64> = (0..seeds).collect();
    let strategies = Strategy::available();
    let started = std::time::Instant::now();
    let runs = quality::compare(&spec, &seed_list, &strategies).map_err(|e| e.to_string())?;
    println!(
        "{} mentees x {} mentors, {} seeds ({:.1} s in all)\n",
        spec.n_mentees,
        spec.resolved_mentors(),
        seeds,
        started.elapsed().as_secs_f64()
    );
    print!("{}", quality::format_table(&runs));
    if let Some(path) = json {
        let text = serde_json::to_string_pretty(&runs).map_err(|e| e.to_string())?;
        std::fs::write(&path, text).map_err(|e| format!("cannot write {path}: {e}"))?;
    }
    Ok(())
}
