//! The `mentorpair` binary end to end: outputs, files it writes, and exit codes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use mentorpair::cohort::Role;

fn mentorpair(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mentorpair"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A fresh folder under the target directory, removed first if a previous run left it.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

#[test]
fn help_and_version_exit_zero_and_usage_errors_exit_two() {
    let help = mentorpair(&["--help"]);
    assert_eq!(help.status.code(), Some(0));
    assert!(
        stdout(&help).contains("generate") && stdout(&help).contains("bench-quality"),
        "{}",
        stdout(&help)
    );
    assert!(stdout(&help).contains("Exit codes"));
    let version = mentorpair(&["--version"]);
    assert_eq!(version.status.code(), Some(0));
    assert_eq!(
        stdout(&version).trim(),
        format!("mentorpair {}", env!("CARGO_PKG_VERSION"))
    );
    let bad = mentorpair(&["match", "--mentees"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("--mentees"), "{}", stderr(&bad));
    let none = mentorpair(&[]);
    assert_eq!(none.status.code(), Some(2));
}

/// Write a small deterministic cohort (60 mentees, 25 mentors) into `dir`, built here so the test
/// does not depend on the generator: goals, skills, languages, levels, departments, managers,
/// capacities and the protected columns gender and age_band. `seed` shifts the goals.
fn cohort_files(dir: &Path, seed: &str) -> (PathBuf, PathBuf) {
    let shift: usize = seed.parse().expect("numeric seed");
    let goals = [
        "leadership",
        "python",
        "sql",
        "public speaking",
        "career growth",
        "design",
    ];
    let genders = ["female", "male", "non-binary", ""];
    let bands = ["18-24", "25-34", "35-44"];
    let mut mentees = String::from(
        "id,goals,skills,languages,level,department,manager_id,mentors_wanted,gender,age_band\n",
    );
    for i in 0..60 {
        let g1 = goals[(i + shift) % goals.len()];
        let g2 = goals[(i + shift + 1 + (i / 6) % 5) % goals.len()];
        mentees.push_str(&format!(
            "mentee-{i:03},{g1}:2;{g2},{g1}:{},english,{},dept-{},{},{},{},{}\n",
            1 + i % 3,
            1 + i % 4,
            i % 5,
            if i % 6 == 0 {
                format!("mentor-{:03}", i % 25)
            } else {
                String::new()
            },
            1 + usize::from(i % 10 == 0),
            genders[i % genders.len()],
            bands[(i / 4) % bands.len()],
        ));
    }
    let mut mentors =
        String::from("id,goals,skills,languages,level,department,capacity,gender,age_band\n");
    for j in 0..25 {
        let g1 = goals[j % goals.len()];
        let g2 = goals[(j * 5 + 1) % goals.len()];
        mentors.push_str(&format!(
            "mentor-{j:03},{g1};{g2},{g1}:5;{g2}:4,english,{},dept-{},{},{},{}\n",
            4 + j % 3,
            j % 5,
            1 + j % 3,
            genders[(j + 1) % 3],
            bands[j % bands.len()],
        ));
    }
    let (a, b) = (dir.join("mentees.csv"), dir.join("mentors.csv"));
    std::fs::write(&a, mentees).expect("write mentees");
    std::fs::write(&b, mentors).expect("write mentors");
    (a, b)
}

fn read_csv(path: &Path) -> Vec<Vec<String>> {
    let mut r = csv::Reader::from_path(path).expect("csv");
    let header: Vec<String> = r
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    let mut rows = vec![header];
    for rec in r.records() {
        rows.push(rec.expect("row").iter().map(String::from).collect());
    }
    rows
}

const DATE: &str = "2026-03-02";

#[test]
fn match_writes_pairs_and_a_result_that_explain_reads() {
    let dir = scratch("match");
    let (mentees, mentors) = cohort_files(&dir, "11");
    let (pairs, json) = (dir.join("pairs.csv"), dir.join("result.json"));
    let o = mentorpair(&[
        "match",
        "--mentees",
        s(&mentees),
        "--mentors",
        s(&mentors),
        "--protected",
        "gender,age_band",
        "--reference-date",
        DATE,
        "--out",
        s(&pairs),
        "--json",
        s(&json),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stderr(&o), "");
    let text = stdout(&o);
    assert!(text.contains("of 60 mentees"), "{text}");
    assert!(text.contains("mean score"));
    assert!(text.contains("constraint violations: 0"));
    assert!(text.contains("time:"));

    // The CSV agrees with the library's own match of the same files.
    let protected = vec!["gender".to_string(), "age_band".to_string()];
    let cohort = mentorpair::cohort::Cohort {
        mentees: mentorpair::io::read_path(Role::Mentee, &mentees, &protected).expect("read"),
        mentors: mentorpair::io::read_path(Role::Mentor, &mentors, &protected).expect("read"),
    };
    let mut cfg = mentorpair::matching::MatchConfig::default();
    cfg.scoring.reference_date = chrono::NaiveDate::from_ymd_opt(2026, 3, 2);
    let expected = mentorpair::matching::match_cohort(&cohort, &cfg).expect("match");
    let rows = read_csv(&pairs);
    assert_eq!(
        rows[0],
        [
            "mentee_id",
            "mentor_id",
            "score",
            "goals",
            "skills",
            "availability",
            "language",
            "seniority",
            "pinned"
        ]
    );
    assert_eq!(rows.len() - 1, expected.pairs.len());
    for (row, p) in rows[1..].iter().zip(&expected.pairs) {
        assert_eq!((&row[0], &row[1]), (&p.mentee_id, &p.mentor_id));
        let score: f64 = row[2].parse().expect("number");
        assert_eq!(score, p.score);
    }
    assert!(
        text.contains(&format!("({} pairs;", expected.pairs.len())),
        "{text}"
    );

    // explain: components add up to the printed score.
    let first = &expected.pairs[0];
    let e = mentorpair(&["explain", "--result", s(&json), &first.mentee_id]);
    assert_eq!(e.status.code(), Some(0), "{}", stderr(&e));
    let out = stdout(&e);
    assert!(
        out.contains(&format!("{} -> {}", first.mentee_id, first.mentor_id)),
        "{out}"
    );
    for c in ["goals", "skills", "availability", "language", "seniority"] {
        assert!(out.contains(c), "{out}");
    }
    if let Some(u) = expected.unmatched.first() {
        let e = mentorpair(&["explain", "--result", s(&json), &u.mentee_id]);
        assert_eq!(e.status.code(), Some(0));
        assert!(stdout(&e).contains(&u.detail), "{}", stdout(&e));
    }
    let unknown = mentorpair(&["explain", "--result", s(&json), "nobody"]);
    assert_eq!(unknown.status.code(), Some(3));
    assert!(stderr(&unknown).contains("nobody"));
    let not_json = mentorpair(&["explain", "--result", s(&pairs), "x"]);
    assert_eq!(not_json.status.code(), Some(3));
    assert!(
        stderr(&not_json).contains("pairs.csv"),
        "{}",
        stderr(&not_json)
    );
}

#[test]
fn input_errors_name_file_row_and_field_and_exit_three() {
    let dir = scratch("input-errors");
    let (_, mentors) = cohort_files(&dir, "1");
    let bad = dir.join("bad.csv");
    std::fs::write(&bad, "id,level\na,1\nb,senior\n").expect("write");
    let out = dir.join("p.csv");
    let run = |mentees: &Path, extra: &[&str]| {
        let mut args = vec!["match", "--mentees", s(mentees), "--mentors", s(&mentors)];
        args.extend_from_slice(extra);
        args.extend_from_slice(&["--out", s(&out)]);
        mentorpair(&args)
    };
    let o = run(&bad, &[]);
    assert_eq!(o.status.code(), Some(3));
    let err = stderr(&o);
    assert!(
        err.contains("bad.csv")
            && err.contains("row 2")
            && err.contains("level")
            && err.contains("senior"),
        "{err}"
    );
    let missing = run(&dir.join("absent.csv"), &[]);
    assert_eq!(missing.status.code(), Some(3));
    assert!(stderr(&missing).contains("absent.csv"));
    // A config file with an unknown key: exit 3 naming the file and the key.
    let cfg = dir.join("match.toml");
    std::fs::write(&cfg, "min_scor = 0.3\n").expect("write");
    let o = run(&bad, &["--config", s(&cfg)]);
    assert_eq!(o.status.code(), Some(3));
    assert!(
        stderr(&o).contains("match.toml") && stderr(&o).contains("min_scor"),
        "{}",
        stderr(&o)
    );
    // Bad flag values are usage errors.
    let o = run(&bad, &["--weight", "goal=1"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("goals") && stderr(&o).contains("seniority"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn config_file_and_flags_shape_the_match() {
    let dir = scratch("config");
    let (mentees, mentors) = cohort_files(&dir, "5");
    let cfg = dir.join("match.toml");
    std::fs::write(
        &cfg,
        "min_score = 0.99\nprotected = [\"gender\"]\n[weights]\ngoals = 1.0\n[scoring]\nreference_date = \"2026-03-02\"\n",
    )
    .expect("write");
    let run = |extra: &[&str]| {
        let pairs = dir.join("pairs.csv");
        let mut args = vec![
            "match",
            "--mentees",
            s(&mentees),
            "--mentors",
            s(&mentors),
            "--config",
            s(&cfg),
            "--out",
            s(&pairs),
        ];
        args.extend_from_slice(extra);
        let o = mentorpair(&args);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        read_csv(&pairs)
    };
    let strict = run(&[]);
    let min = |rows: &[Vec<String>]| {
        rows[1..]
            .iter()
            .map(|r| r[2].parse::<f64>().expect("score"))
            .fold(f64::INFINITY, f64::min)
    };
    assert!(strict.len() == 1 || min(&strict) >= 0.99);
    let loose = run(&["--min-score", "0"]);
    assert!(loose.len() > strict.len(), "the flag overrides the file");
}

#[test]
fn rematch_keeps_what_it_can_and_reports_the_rest() {
    let dir = scratch("rematch");
    let (mentees, mentors) = cohort_files(&dir, "21");
    let pairs = dir.join("pairs.csv");
    let o = mentorpair(&[
        "match",
        "--mentees",
        s(&mentees),
        "--mentors",
        s(&mentors),
        "--reference-date",
        DATE,
        "--out",
        s(&pairs),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let before = read_csv(&pairs);
    // Same cohort, huge bonus, score objective: every pair is kept.
    let (new_pairs, changes, json) = (
        dir.join("new.csv"),
        dir.join("changes.csv"),
        dir.join("r.json"),
    );
    let o = mentorpair(&[
        "rematch",
        "--previous",
        s(&pairs),
        "--mentees",
        s(&mentees),
        "--mentors",
        s(&mentors),
        "--reference-date",
        DATE,
        "--objective",
        "score",
        "--keep-bonus",
        "10",
        "--out",
        s(&new_pairs),
        "--changes",
        s(&changes),
        "--json",
        s(&json),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("0 moved"), "{}", stdout(&o));
    let after = read_csv(&new_pairs);
    assert_eq!(after[0].last().map(String::as_str), Some("status"));
    let key = |rows: &[Vec<String>]| {
        let mut k: Vec<(String, String)> = rows[1..]
            .iter()
            .map(|r| (r[0].clone(), r[1].clone()))
            .collect();
        k.sort();
        k
    };
    for (a, b) in key(&before) {
        assert!(key(&after).contains(&(a, b)));
    }
    let ch = read_csv(&changes);
    assert_eq!(
        ch[0],
        [
            "mentee_id",
            "mentor_id",
            "status",
            "frozen",
            "score",
            "reason"
        ]
    );
    assert!(ch[1..before.len()].iter().all(|r| r[2] == "kept"));
    // The result file feeds explain, with the rematch status.
    let first = &before[1][0];
    let e = mentorpair(&["explain", "--result", s(&json), first]);
    assert_eq!(e.status.code(), Some(0));
    assert!(stdout(&e).starts_with("rematch: kept"), "{}", stdout(&e));

    // A frozen pair that names someone absent: exit 4, naming the pair.
    let o = mentorpair(&[
        "rematch",
        "--previous",
        s(&pairs),
        "--mentees",
        s(&mentees),
        "--mentors",
        s(&mentors),
        "--freeze",
        "nobody:mentor-000001",
        "--out",
        s(&new_pairs),
    ]);
    assert_eq!(o.status.code(), Some(4));
    assert!(stderr(&o).contains("\"nobody\""), "{}", stderr(&o));
    // Previous pairs without the id columns: exit 3 naming the file and the column.
    let o = mentorpair(&[
        "rematch",
        "--previous",
        s(&mentees),
        "--mentees",
        s(&mentees),
        "--mentors",
        s(&mentors),
        "--out",
        s(&new_pairs),
    ]);
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("mentees.csv") && stderr(&o).contains("mentee_id"));
}

#[test]
fn audit_counts_agree_with_the_files() {
    let dir = scratch("audit");
    let (mentees, mentors) = cohort_files(&dir, "31");
    let (pairs, json, report) = (
        dir.join("pairs.csv"),
        dir.join("result.json"),
        dir.join("audit.json"),
    );
    let o = mentorpair(&[
        "match",
        "--mentees",
        s(&mentees),
        "--mentors",
        s(&mentors),
        "--protected",
        "gender,age_band",
        "--out",
        s(&pairs),
        "--json",
        s(&json),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let a = mentorpair(&[
        "audit",
        "--result",
        s(&json),
        "--by",
        "gender",
        "--min-group-size",
        "3",
        "--json",
        s(&report),
    ]);
    assert_eq!(a.status.code(), Some(0), "{}", stderr(&a));
    assert!(stdout(&a).contains("disparate impact"), "{}", stdout(&a));
    let r: mentorpair::fairness::AuditReport =
        serde_json::from_str(&std::fs::read_to_string(&report).expect("written")).expect("report");

    // Hand computation from the CSV files alone.
    let people = read_csv(&mentees);
    let g = people[0]
        .iter()
        .position(|c| c == "gender")
        .expect("gender column");
    let gender: std::collections::HashMap<String, String> = people[1..]
        .iter()
        .map(|row| (row[0].clone(), row[g].clone()))
        .collect();
    let matched: std::collections::HashSet<String> = read_csv(&pairs)[1..]
        .iter()
        .map(|row| row[0].clone())
        .collect();
    let mut total = 0;
    for group in &r.mentees.groups {
        let label = group.key[0].clone().unwrap_or_default();
        let members: Vec<&String> = gender
            .iter()
            .filter(|(_, v)| **v == label)
            .map(|(k, _)| k)
            .collect();
        assert_eq!(group.mentees, members.len(), "group {label}");
        assert_eq!(
            group.matched,
            members.iter().filter(|m| matched.contains(**m)).count()
        );
        total += group.mentees;
    }
    assert_eq!(total, 60);
    let rates: Vec<f64> = r
        .mentees
        .groups
        .iter()
        .filter(|g| !g.too_small)
        .map(|g| g.match_rate)
        .collect();
    if rates.len() >= 2 {
        let (lo, hi) = rates
            .iter()
            .fold((f64::INFINITY, 0.0f64), |(l, h), &x| (l.min(x), h.max(x)));
        let expected = if hi > 0.0 { lo / hi } else { 1.0 };
        assert!((r.mentees.disparate_impact.expect("ratio") - expected).abs() < 1e-12);
    }
    // Unknown columns name what is available.
    let bad = mentorpair(&["audit", "--result", s(&json), "--by", "region"]);
    assert_eq!(bad.status.code(), Some(3));
    assert!(stderr(&bad).contains("gender"), "{}", stderr(&bad));
}

#[test]
fn fairness_flags_reach_the_solver_and_are_reported() {
    let dir = scratch("fairness");
    let (mentees, mentors) = cohort_files(&dir, "41");
    let run = |extra: &[&str]| {
        let pairs = dir.join("pairs.csv");
        let mut args = vec![
            "match",
            "--mentees",
            s(&mentees),
            "--mentors",
            s(&mentors),
            "--protected",
            "gender,age_band",
            "--out",
            s(&pairs),
        ];
        args.extend_from_slice(extra);
        mentorpair(&args)
    };
    let floor = run(&[
        "--fairness",
        "group-floor",
        "--by",
        "gender",
        "--tolerance",
        "0.1",
    ]);
    assert_eq!(floor.status.code(), Some(0), "{}", stderr(&floor));
    assert!(
        stdout(&floor).contains("fairness group-floor by gender"),
        "{}",
        stdout(&floor)
    );
    assert!(stdout(&floor).contains("constraint violations: 0"));
    let maximin = run(&["--fairness", "maximin"]);
    assert_eq!(maximin.status.code(), Some(0), "{}", stderr(&maximin));
    assert!(
        stdout(&maximin).contains("fairness maximin: lowest score"),
        "{}",
        stdout(&maximin)
    );
    let no_by = run(&["--fairness", "group-floor"]);
    assert_eq!(no_by.status.code(), Some(2));
    assert!(stderr(&no_by).contains("--by"), "{}", stderr(&no_by));
    let stray = run(&["--by", "gender"]);
    assert_eq!(stray.status.code(), Some(2));
    let unknown = run(&["--fairness", "group-floor", "--by", "region"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).contains("region"), "{}", stderr(&unknown));
}

#[test]
fn generate_writes_readable_tables_deterministically() {
    let dir = scratch("generate");
    let (a, b, c) = (dir.join("a"), dir.join("b"), dir.join("c"));
    for (out, seed) in [(&a, "7"), (&b, "7"), (&c, "8")] {
        let o = mentorpair(&[
            "generate",
            "--mentees",
            "40",
            "--mentors",
            "15",
            "--seed",
            seed,
            "--out",
            s(out),
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        // Piped: no progress display, nothing on stderr.
        assert_eq!(stderr(&o), "");
        assert!(stdout(&o).contains("wrote 40 mentees"), "{}", stdout(&o));
        assert!(stdout(&o).contains("wrote 15 mentors"));
    }
    let read = |dir: &Path, role: Role| {
        let file = dir.join(format!("{}.csv", role.table()));
        std::fs::read(&file).expect("written")
    };
    assert_eq!(read(&a, Role::Mentee), read(&b, Role::Mentee));
    assert_eq!(read(&a, Role::Mentor), read(&b, Role::Mentor));
    assert_ne!(read(&a, Role::Mentee), read(&c, Role::Mentee));
    let protected = vec!["gender".to_string(), "age_band".to_string()];
    let mentees = mentorpair::io::read_path(Role::Mentee, &a.join("mentees.csv"), &protected)
        .expect("the generated file reads back");
    let mentors = mentorpair::io::read_path(Role::Mentor, &a.join("mentors.csv"), &protected)
        .expect("the generated file reads back");
    assert_eq!((mentees.people.len(), mentors.people.len()), (40, 15));
    assert_eq!(mentees.protected.columns, protected);
    // The generated files run through the whole pipeline.
    let (pairs, json) = (dir.join("pairs.csv"), dir.join("result.json"));
    let m = mentorpair(&[
        "match",
        "--mentees",
        s(&a.join("mentees.csv")),
        "--mentors",
        s(&a.join("mentors.csv")),
        "--protected",
        "gender,age_band",
        "--out",
        s(&pairs),
        "--json",
        s(&json),
    ]);
    assert_eq!(m.status.code(), Some(0), "{}", stderr(&m));
    let audit = mentorpair(&["audit", "--result", s(&json), "--by", "gender,age_band"]);
    assert_eq!(audit.status.code(), Some(0), "{}", stderr(&audit));
    assert!(stdout(&audit).contains("mentees by gender / age_band"));
}

#[test]
fn generate_reports_bad_knobs_and_unwritable_folders() {
    let dir = scratch("generate-errors");
    let o = mentorpair(&[
        "generate",
        "--mentees",
        "5",
        "--mentors",
        "2",
        "--bias",
        "2",
        "--out",
        s(&dir),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("bias"), "{}", stderr(&o));
    let blocker = dir.join("file");
    std::fs::write(&blocker, "not a folder").expect("write");
    let o = mentorpair(&[
        "generate",
        "--mentees",
        "5",
        "--mentors",
        "2",
        "--out",
        s(&blocker.join("inside")),
    ]);
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("inside"), "{}", stderr(&o));
}

#[test]
fn bench_quality_prints_a_table_and_writes_runs() {
    let dir = scratch("bench");
    let json = dir.join("runs.json");
    let o = mentorpair(&[
        "bench-quality",
        "--mentees",
        "80",
        "--mentors",
        "30",
        "--seeds",
        "2",
        "--strategies",
        "optimal,greedy",
        "--json",
        s(&json),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.contains("80 mentees x 30 mentors, 2 seed(s)"),
        "{text}"
    );
    let rows: Vec<&str> = text
        .lines()
        .filter(|l| l.trim_start().starts_with("optimal") || l.trim_start().starts_with("greedy"))
        .collect();
    assert_eq!(rows.len(), 2, "{text}");
    let runs: Vec<mentorpair::quality::StrategyRun> =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("written")).expect("runs");
    assert_eq!(runs.len(), 4);
    // The optimal strategy is never beaten on matched share, and nothing breaks a constraint.
    for seed in 0..2 {
        let of = |name: &str| {
            runs.iter()
                .find(|r| r.seed == seed && r.strategy.name() == name)
                .expect("run")
                .metrics
                .clone()
        };
        assert!(of("optimal").matched_share >= of("greedy").matched_share);
        assert_eq!(of("optimal").violations + of("greedy").violations, 0);
    }
    let bad = mentorpair(&["bench-quality", "--strategies", "fastest"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("optimal"), "{}", stderr(&bad));
}
