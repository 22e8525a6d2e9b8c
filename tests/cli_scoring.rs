//! The scoring options of `mentorpair match` through the binary: programme criteria
//! (`--criterion`), mentee preferences (`--preferences`), reverse mentoring, the preference
//! weight and the match percentage, each checked against the data and against its TOML
//! equivalent, and the exit codes and messages of bad input.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn mentorpair(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mentorpair"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-scoring-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

const LOCATIONS: [&str; 3] = ["berlin", "lisbon", "paris"];
const UNITS: [&str; 2] = ["retail", "banking"];

/// 30 mentees and 12 mentors with goals, skills, levels, a location, a business unit, ranked
/// preferences and avoided mentors; written as CSV into `dir`.
fn cohort(dir: &Path) -> (PathBuf, PathBuf) {
    let goals = ["python", "sql", "leadership", "design"];
    let mut mentees = String::from(
        "id,goals,skills,languages,level,location,business_unit,preferred_mentors,avoid_mentors,mentors_wanted,gender\n",
    );
    for i in 0..30 {
        let g = goals[i % 4];
        let preferred = if i % 3 == 0 {
            format!("m{:02};m{:02}", (i + 1) % 12, (i + 5) % 12)
        } else {
            String::new()
        };
        let avoid = if i % 4 == 1 {
            format!("m{:02}", i % 12)
        } else {
            String::new()
        };
        mentees.push_str(&format!(
            "e{i:02},{g}:2;{},{g}:1,english,{},{},{},{preferred},{avoid},1,{}\n",
            goals[(i + 1) % 4],
            2 + i % 4,
            LOCATIONS[i % 3],
            UNITS[i % 2],
            ["female", "male"][i % 2]
        ));
    }
    let mut mentors =
        String::from("id,goals,skills,languages,level,location,business_unit,capacity,gender\n");
    for j in 0..12 {
        mentors.push_str(&format!(
            "m{j:02},{};{},{}:4;{}:3,english,{},{},{},3,{}\n",
            goals[j % 4],
            goals[(j + 2) % 4],
            goals[j % 4],
            goals[(j + 2) % 4],
            1 + j % 6,
            LOCATIONS[(j / 2) % 3],
            UNITS[(j / 3) % 2],
            ["male", "female"][j % 2]
        ));
    }
    let (a, b) = (dir.join("mentees.csv"), dir.join("mentors.csv"));
    std::fs::write(&a, mentees).expect("write mentees");
    std::fs::write(&b, mentors).expect("write mentors");
    (a, b)
}

/// Rows of a CSV file as maps from column name to cell (no cell in these files holds a comma;
/// quotes around a cell are dropped).
fn rows(path: &Path) -> Vec<HashMap<String, String>> {
    let t = std::fs::read_to_string(path).expect("read csv");
    let cells = |l: &str| -> Vec<String> {
        l.split(',')
            .map(|c| c.trim_matches('"').to_string())
            .collect()
    };
    let mut lines = t.lines();
    let header = cells(lines.next().expect("a header"));
    lines
        .map(|l| header.iter().cloned().zip(cells(l)).collect())
        .collect()
}

fn by_id(path: &Path) -> HashMap<String, HashMap<String, String>> {
    rows(path)
        .into_iter()
        .map(|r| (r["id"].clone(), r))
        .collect()
}

/// Run `match` with `extra` arguments, writing pairs to `out`; panics on failure.
fn run_match(dir: &Path, name: &str, extra: &[&str]) -> (PathBuf, String) {
    let (mentees, mentors) = (dir.join("mentees.csv"), dir.join("mentors.csv"));
    let out = dir.join(format!("{name}.csv"));
    let json = dir.join(format!("{name}.json"));
    let mut args = vec![
        "match",
        "--mentees",
        s(&mentees),
        "--mentors",
        s(&mentors),
        "--protected",
        "gender",
        "--reference-date",
        "2026-03-02",
        "--out",
        s(&out),
        "--json",
        s(&json),
    ];
    args.extend_from_slice(extra);
    let o = mentorpair(&args);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{name}: {}\n{}",
        text(&o.stdout),
        text(&o.stderr)
    );
    (out, text(&o.stdout))
}

fn config(dir: &Path, name: &str, toml: &str) -> PathBuf {
    let p = dir.join(format!("{name}.toml"));
    std::fs::write(&p, toml).expect("write config");
    p
}

fn same_file(a: &Path, b: &Path) {
    assert_eq!(
        std::fs::read_to_string(a).expect("read"),
        std::fs::read_to_string(b).expect("read"),
        "{} and {} differ",
        a.display(),
        b.display()
    );
}

#[test]
fn soft_criterion_is_a_component_with_the_data_behind_it_and_toml_says_the_same() {
    let dir = scratch("soft");
    let (mentees, mentors) = cohort(&dir);
    let (e, m) = (by_id(&mentees), by_id(&mentors));
    let (flag, _) = run_match(&dir, "flag", &["--criterion", "location:same:0.5"]);
    let cfg = config(
        &dir,
        "soft",
        "[[criteria]]\ncolumn = \"location\"\nkind = \"same\"\nweight = 0.5\n",
    );
    let (file, _) = run_match(&dir, "file", &["--config", s(&cfg)]);
    same_file(&flag, &file);
    let pairs = rows(&flag);
    assert!(!pairs.is_empty());
    let mut same = 0;
    for p in &pairs {
        let want = e[&p["mentee_id"]]["location"] == m[&p["mentor_id"]]["location"];
        let got: f64 = p["location"].parse().expect("a location value");
        assert_eq!(got, if want { 1.0 } else { 0.0 }, "{p:?}");
        same += usize::from(want);
    }
    // A heavy weight on the same location pulls most pairs together.
    let (plain, _) = run_match(&dir, "plain", &[]);
    let plain_same = rows(&plain)
        .iter()
        .filter(|p| e[&p["mentee_id"]]["location"] == m[&p["mentor_id"]]["location"])
        .count();
    assert!(same > plain_same, "{same} vs {plain_same}");
    assert!(!std::fs::read_to_string(&plain)
        .expect("read")
        .lines()
        .next()
        .expect("header")
        .contains("location"));
}

#[test]
fn must_rule_keeps_every_pair_across_business_units_and_toml_says_the_same() {
    let dir = scratch("must");
    let (mentees, mentors) = cohort(&dir);
    let (e, m) = (by_id(&mentees), by_id(&mentors));
    let (flag, _) = run_match(
        &dir,
        "flag",
        &["--criterion", "business_unit:different:must"],
    );
    let cfg = config(
        &dir,
        "must",
        "[[criteria]]\ncolumn = \"business_unit\"\nkind = \"different\"\nrule = \"must\"\n",
    );
    let (file, _) = run_match(&dir, "file", &["--config", s(&cfg)]);
    same_file(&flag, &file);
    let pairs = rows(&flag);
    assert!(!pairs.is_empty());
    for p in &pairs {
        assert_ne!(
            e[&p["mentee_id"]]["business_unit"], m[&p["mentor_id"]]["business_unit"],
            "{p:?}"
        );
    }
    let (plain, _) = run_match(&dir, "plain", &[]);
    assert!(rows(&plain)
        .iter()
        .any(|p| e[&p["mentee_id"]]["business_unit"] == m[&p["mentor_id"]]["business_unit"]));
}

fn listed(cell: &str) -> Vec<&str> {
    cell.split(';').filter(|x| !x.is_empty()).collect()
}

#[test]
fn preferences_must_only_pairs_listed_mentors_and_avoided_are_never_paired() {
    let dir = scratch("prefs");
    let (mentees, _) = cohort(&dir);
    let e = by_id(&mentees);
    let (flag, _) = run_match(&dir, "flag", &["--preferences", "must"]);
    let cfg = config(&dir, "must", "preferences = \"must\"\n");
    let (file, _) = run_match(&dir, "file", &["--config", s(&cfg)]);
    same_file(&flag, &file);
    let (bonus, _) = run_match(&dir, "bonus", &[]);
    let mut with_list = 0;
    for p in rows(&flag) {
        let me = &e[&p["mentee_id"]];
        let preferred = listed(&me["preferred_mentors"]);
        if !preferred.is_empty() {
            with_list += 1;
            assert!(preferred.contains(&p["mentor_id"].as_str()), "{p:?}");
        }
        assert!(!listed(&me["avoid_mentors"]).contains(&p["mentor_id"].as_str()));
    }
    assert!(with_list > 0);
    for p in rows(&bonus) {
        let me = &e[&p["mentee_id"]];
        assert!(!listed(&me["avoid_mentors"]).contains(&p["mentor_id"].as_str()));
    }
}

#[test]
fn preference_weight_flag_and_toml_agree_and_change_the_scores() {
    let dir = scratch("weight");
    cohort(&dir);
    let (flag, _) = run_match(&dir, "flag", &["--weight", "preference=0.6"]);
    let cfg = config(&dir, "w", "[weights]\npreference = 0.6\n");
    let (file, _) = run_match(&dir, "file", &["--config", s(&cfg)]);
    same_file(&flag, &file);
    let (plain, _) = run_match(&dir, "plain", &[]);
    // Every score is the weighted mean of its components, the preference weighing 0.6 for the
    // mentees with a list and not at all (an empty cell) for the others.
    let check = |path: &Path, wp: f64| {
        let mut listed = 0;
        for r in rows(path) {
            let v = |c: &str| {
                r[c].parse::<f64>()
                    .unwrap_or_else(|_| panic!("{c} in {r:?}"))
            };
            let mut sum = 0.35 * v("goals")
                + 0.20 * v("skills")
                + 0.20 * v("availability")
                + 0.15 * v("language")
                + 0.10 * v("seniority");
            let mut norm = 1.0;
            if !r["preference"].is_empty() {
                sum += wp * v("preference");
                norm += wp;
                listed += 1;
            }
            assert!((v("score") - sum / norm).abs() < 1e-9, "{r:?}");
        }
        assert!(listed > 0);
    };
    check(&flag, 0.6);
    check(&plain, 0.15);
    // A heavier preference weight gives more mentees one of their listed mentors.
    let favourites = |path: &Path| {
        rows(path)
            .iter()
            .filter(|r| r["preference"].parse::<f64>().is_ok_and(|p| p > 0.0))
            .count()
    };
    assert!(favourites(&flag) > favourites(&plain));
}

#[test]
fn reverse_mentoring_rewards_junior_mentors_and_toml_says_the_same() {
    let dir = scratch("reverse");
    let (mentees, mentors) = cohort(&dir);
    let (e, m) = (by_id(&mentees), by_id(&mentors));
    let (flag, _) = run_match(&dir, "flag", &["--reverse-mentoring"]);
    let cfg = config(&dir, "r", "[scoring]\nreverse_mentoring = true\n");
    let (file, _) = run_match(&dir, "file", &["--config", s(&cfg)]);
    same_file(&flag, &file);
    let (plain, _) = run_match(&dir, "plain", &[]);
    let gap = |p: &HashMap<String, String>| -> i64 {
        let level = |r: &HashMap<String, String>| r["level"].parse::<i64>().expect("level");
        level(&m[&p["mentor_id"]]) - level(&e[&p["mentee_id"]])
    };
    // The documented curve: 1 for a mentor 1 or 2 levels on the expected side, 0.2 level, 0.1
    // the wrong side.
    let expect = |ahead: i64| match ahead {
        a if a < 0 => 0.1,
        0 => 0.2,
        1 | 2 => 1.0,
        a => (1.0 - 0.2 * (a - 2) as f64).max(0.3),
    };
    for p in rows(&flag) {
        let v: f64 = p["seniority"].parse().expect("seniority");
        assert!((v - expect(-gap(&p))).abs() < 1e-9, "{p:?}");
    }
    for p in rows(&plain) {
        let v: f64 = p["seniority"].parse().expect("seniority");
        assert!((v - expect(gap(&p))).abs() < 1e-9, "{p:?}");
    }
    let junior = |path: &Path| rows(path).iter().filter(|p| gap(p) < 0).count();
    assert!(junior(&flag) > junior(&plain));
}

#[test]
fn match_percent_is_printed_for_the_mean_and_in_explanations() {
    let dir = scratch("percent");
    cohort(&dir);
    let (out, stdout) = run_match(&dir, "pct", &[]);
    let line = stdout
        .lines()
        .find(|l| l.starts_with("mean score"))
        .unwrap_or_else(|| panic!("no mean score line in {stdout}"));
    let mean: f64 = line
        .split_whitespace()
        .nth(2)
        .and_then(|x| x.parse().ok())
        .expect("a mean");
    let pct = format!("({} % match)", (mean * 100.0).round() as u32);
    assert!(line.contains(&pct), "{line} lacks {pct}");
    let first = rows(&out).into_iter().next().expect("a pair");
    let o = mentorpair(&[
        "explain",
        "--result",
        s(&dir.join("pct.json")),
        &first["mentee_id"],
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let score: f64 = first["score"].parse().expect("score");
    let want = format!("({} % match)", (score * 100.0).round() as u32);
    assert!(text(&o.stdout).contains(&want), "{}", text(&o.stdout));
}

/// Run `match` expecting failure with `code` and a message containing every one of `needles`.
fn fails(dir: &Path, extra: &[&str], code: i32, needles: &[&str]) {
    let (mentees, mentors) = (dir.join("mentees.csv"), dir.join("mentors.csv"));
    let out = dir.join("never.csv");
    let mut args = vec![
        "match",
        "--mentees",
        s(&mentees),
        "--mentors",
        s(&mentors),
        "--protected",
        "gender",
        "--out",
        s(&out),
    ];
    args.extend_from_slice(extra);
    let o = mentorpair(&args);
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(code), "{extra:?}: {err}");
    for n in needles {
        assert!(err.contains(n), "{extra:?}: {err:?} lacks {n:?}");
    }
    assert!(!out.exists(), "{extra:?} wrote a result");
}

#[test]
fn bad_criteria_weights_and_preferences_exit_with_a_message_naming_them() {
    let dir = scratch("bad");
    cohort(&dir);
    fails(
        &dir,
        &["--criterion", "location"],
        2,
        &["--criterion", "COLUMN:KIND"],
    );
    fails(
        &dir,
        &["--criterion", "location:same:heavy"],
        2,
        &["not a number"],
    );
    fails(&dir, &["--criterion", "nowhere:same"], 3, &["nowhere"]);
    fails(
        &dir,
        &["--criterion", "gender:same"],
        3,
        &["gender", "protected"],
    );
    fails(&dir, &["--criterion", "location:nearby"], 3, &["nearby"]);
    fails(
        &dir,
        &["--criterion", "location:same:-1"],
        3,
        &["location", "-1"],
    );
    fails(&dir, &["--weight", "preference=-1"], 2, &["preference"]);
    fails(&dir, &["--preferences", "maybe"], 2, &["maybe"]);
    let cfg = config(&dir, "bad-pref", "preferences = \"maybe\"\n");
    fails(&dir, &["--config", s(&cfg)], 3, &["maybe"]);
    let cfg = config(
        &dir,
        "bad-kind",
        "[[criteria]]\ncolumn = \"location\"\nkind = \"nearby\"\n",
    );
    fails(&dir, &["--config", s(&cfg)], 3, &["nearby"]);
    let cfg = config(
        &dir,
        "bad-rule",
        "[[criteria]]\ncolumn = \"location\"\nkind = \"ahead\"\nrule = \"must\"\n",
    );
    fails(&dir, &["--config", s(&cfg)], 3, &["location"]);
}

#[test]
fn preferences_naming_unknown_or_conflicting_mentors_name_the_row_and_column() {
    let dir = scratch("bad-wish");
    let (mentees, _) = cohort(&dir);
    let t = std::fs::read_to_string(&mentees).expect("read");
    let unknown = t.replacen("m01;m05", "m01;m99", 1);
    assert_ne!(unknown, t);
    std::fs::write(&mentees, &unknown).expect("write");
    fails(&dir, &[], 3, &["preferred_mentors", "m99", "e00"]);
    // Row e00 prefers m01 and m05: avoiding m01 as well is a contradiction.
    let both: String = t
        .lines()
        .map(|l| {
            if l.starts_with("e00,") {
                l.replacen("m01;m05,", "m01;m05,m01", 1)
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    assert_ne!(both, t);
    std::fs::write(&mentees, both + "\n").expect("write");
    fails(&dir, &[], 3, &["m01", "e00"]);
}
