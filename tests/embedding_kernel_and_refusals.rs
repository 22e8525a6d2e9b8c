//! The embedding product's kernel against a brute-force oracle and across thread counts and
//! block sizes; shortlists refusing load terms they cannot price; `fit-weights` reading its
//! history through the one history reader.

use mentorpair::cohort::{Cohort, Role};
use mentorpair::io::read_csv;
use mentorpair::matching::{MatchConfig, MatchError};
use mentorpair::problem::{Problem, ShortfallPolicy, SuggestError};
use mentorpair::score::embedding::{cosine_scores, CosineKernel};
use ndarray::{s, Array2};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn random(n: usize, d: usize, seed: u64, zero_rows: &[usize]) -> Array2<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut a = Array2::from_shape_fn((n, d), |_| rng.random::<f64>() - 0.5);
    for &r in zero_rows {
        a.row_mut(r).fill(0.0);
    }
    a
}

/// `max(0, cos)` by the definition, one pair at a time.
fn oracle(a: &Array2<f64>, b: &Array2<f64>, neutral: f64) -> Array2<f64> {
    let norm = |v: ndarray::ArrayView1<'_, f64>| v.iter().map(|x| x * x).sum::<f64>().sqrt();
    Array2::from_shape_fn((a.nrows(), b.nrows()), |(i, j)| {
        let (x, y) = (a.row(i), b.row(j));
        let (nx, ny) = (norm(x), norm(y));
        if nx == 0.0 || ny == 0.0 {
            return neutral;
        }
        let dot: f64 = x.iter().zip(y.iter()).map(|(p, q)| p * q).sum();
        (dot / (nx * ny)).clamp(0.0, 1.0)
    })
}

#[test]
fn cosine_scores_match_the_definition_and_do_not_depend_on_threads() {
    // More rows than one block of the kernel, so several products run in parallel.
    let (a, b) = (random(700, 17, 1, &[3, 699]), random(300, 17, 2, &[0]));
    let want = oracle(&a, &b, 0.5);
    let run = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| cosine_scores(a.view(), b.view(), 0.5).unwrap())
    };
    let one = run(1);
    assert_eq!(one.zero_mentees, vec![3, 699]);
    assert_eq!(one.zero_mentors, vec![0]);
    let worst = (&one.values - &want)
        .iter()
        .fold(0.0f64, |m, v| m.max(v.abs()));
    assert!(
        worst < 1e-12,
        "largest difference from the definition {worst}"
    );
    for threads in [2, 3] {
        assert_eq!(run(threads).values, one.values, "{threads} threads");
    }
}

#[test]
fn kernel_blocks_of_any_size_give_the_same_bits() {
    let unit = |m: &Array2<f64>| {
        let mut m = m.clone();
        for mut r in m.rows_mut() {
            let n = r.dot(&r).sqrt();
            if n > 0.0 {
                r.mapv_inplace(|v| v / n);
            }
        }
        m
    };
    let (a, b) = (
        unit(&random(90, 33, 3, &[5])),
        unit(&random(40, 33, 4, &[7])),
    );
    let mentee_missing: Vec<bool> = (0..90).map(|i| i == 5).collect();
    let kernel = CosineKernel::new(b.view(), (0..40).map(|j| j == 7).collect());
    let (weight, neutral) = (0.3, 0.5);
    let start = Array2::from_shape_fn((90, 40), |(i, j)| (i * 40 + j) as f64 * 1e-3);
    let added = |rows: usize| {
        let mut out = start.clone();
        for lo in (0..90).step_by(rows) {
            let hi = (lo + rows).min(90);
            kernel.add_block(
                a.slice(s![lo..hi, ..]),
                &mentee_missing[lo..hi],
                out.slice_mut(s![lo..hi, ..]),
                weight,
                neutral,
            );
        }
        out
    };
    let whole = added(90);
    let want = &start + &(oracle(&a, &b, neutral) * weight);
    let worst = (&whole - &want).iter().fold(0.0f64, |m, v| m.max(v.abs()));
    assert!(
        worst < 1e-12,
        "largest difference from the definition {worst}"
    );
    for rows in [1, 7, 32, 64] {
        assert_eq!(added(rows), whole, "blocks of {rows} rows");
    }
}

const MENTEES: &str = "id,goals\na,sql\nb,sql\nc,sql\n";

fn cohort(mentors: &str) -> Cohort {
    Cohort {
        mentees: read_csv(Role::Mentee, MENTEES.as_bytes(), &[]).expect("mentees"),
        mentors: read_csv(Role::Mentor, mentors.as_bytes(), &[]).expect("mentors"),
    }
}

/// The option a refusal names, or a panic when the call did not refuse with a config error.
fn refused(e: SuggestError) -> String {
    match e {
        SuggestError::Match(MatchError::Config(c)) => c.option,
        other => panic!("expected a config error, got {other}"),
    }
}

#[test]
fn suggest_refuses_min_load_and_spread_naming_the_option() {
    let mentors = "id,goals,capacity\nx,sql,3\ny,sql,3\n";
    let problem = |cfg: MatchConfig, mentors: &str| Problem::new(cohort(mentors), cfg).unwrap();
    let mut min = MatchConfig::default();
    min.min_load = 1;
    min.min_load_shortfall = ShortfallPolicy::Report;
    let p = problem(min, mentors);
    assert_eq!(refused(p.suggest("a", 2).unwrap_err()), "min_load");
    assert_eq!(refused(p.suggest_all(2).unwrap_err()), "min_load");
    let e = p.choice("a", "x").unwrap_err().to_string();
    assert!(e.contains("min_load") && e.contains("suggest"), "{e}");

    let mut spread = MatchConfig::default();
    spread.spread = 0.05;
    let p = problem(spread, mentors);
    assert_eq!(refused(p.suggest_all(2).unwrap_err()), "spread");

    // A `min_load` column alone is refused too.
    let mut report = MatchConfig::default();
    report.min_load_shortfall = ShortfallPolicy::Report;
    let p = problem(report, "id,goals,capacity,min_load\nx,sql,3,1\ny,sql,3,\n");
    assert_eq!(refused(p.suggest("b", 1).unwrap_err()), "min_load");

    // Without load terms the shortlist is given: every mentee sees both mentors.
    let p = problem(MatchConfig::default(), mentors);
    let all = p.suggest_all(2).unwrap();
    assert_eq!(all.len(), 6);
    assert!(all.iter().all(|s| s.cost_of_choice.abs() < 1e-9), "{all:?}");
}

fn run_cli(dir: &std::path::Path, args: &[&str]) -> (Option<i32>, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_mentorpair"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run mentorpair");
    (
        out.status.code(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

#[test]
fn fit_weights_history_errors_are_those_of_the_history_reader() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("fit-history-reader");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let fit = |csv: &str| {
        std::fs::write(dir.join("h.csv"), csv).unwrap();
        run_cli(
            &dir,
            &["fit-weights", "--history", "h.csv", "--components", "goals"],
        )
    };
    // A component cell that is not a number: input error naming row (data row, 1-based) and column.
    let (code, t) = fit("mentee_id,mentor_id,outcome,goals\na,x,1,0.5\nb,y,0,high\n");
    assert_eq!(code, Some(3), "{t}");
    assert!(
        t.contains("row 2, column `goals`") && t.contains("\"high\""),
        "{t}"
    );
    // A round that is not a number is refused as everywhere else a history is read.
    let (code, t) = fit("mentee_id,mentor_id,round,outcome,goals\na,x,first,1,0.5\n");
    assert_eq!(code, Some(3), "{t}");
    assert!(t.contains("row 1, column `round`"), "{t}");
    // An empty mentor: the history reader's unmatched row, which fit-weights cannot learn from.
    let (code, t) = fit("mentee_id,mentor_id,outcome,goals\na,,1,0.5\n");
    assert_eq!(code, Some(3), "{t}");
    assert!(t.contains("row 1, column `mentor_id`"), "{t}");
    // Missing columns are named with the columns found.
    let (code, t) = fit("mentee_id,mentor_id,outcome\na,x,1\n");
    assert_eq!(code, Some(3), "{t}");
    assert!(t.contains("missing column `goals`"), "{t}");
    let (code, t) = fit("mentee_id,outcome,goals\na,1,0.5\n");
    assert_eq!(code, Some(3), "{t}");
    assert!(t.contains("missing column `mentor_id`"), "{t}");
    let _ = std::fs::remove_dir_all(&dir);
}
