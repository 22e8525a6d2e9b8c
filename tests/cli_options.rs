//! Options through the binary and the library: names parsed by the library's one parser, one
//! default for the keep bonus, and errors that name the option (never a JSON position).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use mentorpair::cohort::{Cohort, Role};
use mentorpair::io::read_csv;
use mentorpair::problem::{MatchConfig, MatchError, Problem};
use mentorpair::rematch::{RematchOptions, DEFAULT_KEEP_BONUS};

const MENTEES: &str =
    "id,goals,languages,manager_id\na,sql;python,en,m0\nb,leadership,en,\nc,python,de,\n";
const MENTORS: &str = "id,goals,languages,capacity\nm0,sql,en,1\nm1,leadership;python,en;de,2\n";

fn mentorpair(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mentorpair"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-options-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

fn tables(dir: &Path) -> (PathBuf, PathBuf) {
    let (e, m) = (dir.join("mentees.csv"), dir.join("mentors.csv"));
    std::fs::write(&e, MENTEES).unwrap();
    std::fs::write(&m, MENTORS).unwrap();
    (e, m)
}

#[test]
fn strategies_are_parsed_by_the_library_so_group_floor_works_with_a_dash() {
    let dir = scratch("strategies");
    let json = dir.join("runs.json");
    let o = mentorpair(&[
        "bench-quality",
        "--mentees",
        "40",
        "--mentors",
        "16",
        "--seeds",
        "1",
        "--strategies",
        "group-floor,optimal",
        "--json",
        s(&json),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let runs: Vec<mentorpair::quality::StrategyRun> =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("written")).expect("runs");
    let names: Vec<&str> = runs.iter().map(|r| r.strategy.name()).collect();
    assert_eq!(names, ["group_floor", "optimal"]);
    let bad = mentorpair(&["bench-quality", "--strategies", "fastest"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("group_floor"), "{}", stderr(&bad));
}

#[test]
fn objective_and_fairness_flags_use_the_library_parsers() {
    let dir = scratch("flags");
    let (e, m) = tables(&dir);
    let out = dir.join("pairs.csv");
    let base = [
        "match",
        "--mentees",
        s(&e),
        "--mentors",
        s(&m),
        "--reference-date",
        "2026-03-02",
        "--out",
        s(&out),
    ];
    let mut ok = base.to_vec();
    ok.extend(["--objective", "score", "--fairness", "maximin"]);
    let o = mentorpair(&ok);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut bad = base.to_vec();
    bad.extend(["--objective", "most"]);
    let o = mentorpair(&bad);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("`objective`"), "{}", stderr(&o));
}

#[test]
fn the_keep_bonus_default_is_the_library_one_in_the_binary() {
    let dir = scratch("keep-bonus");
    let (e, m) = tables(&dir);
    let previous = dir.join("previous.csv");
    std::fs::write(&previous, "mentee_id,mentor_id\nb,m1\nc,m1\n").unwrap();
    let (out, json) = (dir.join("pairs.csv"), dir.join("result.json"));
    let o = mentorpair(&[
        "rematch",
        "--previous",
        s(&previous),
        "--mentees",
        s(&e),
        "--mentors",
        s(&m),
        "--reference-date",
        "2026-03-02",
        "--out",
        s(&out),
        "--json",
        s(&json),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let file: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(file["rematch"]["keep_bonus"], DEFAULT_KEEP_BONUS);
    assert_eq!(RematchOptions::default().keep_bonus, DEFAULT_KEEP_BONUS);
    let o = mentorpair(&[
        "rematch",
        "--previous",
        s(&previous),
        "--mentees",
        s(&e),
        "--mentors",
        s(&m),
        "--keep-bonus",
        "-1",
        "--out",
        s(&out),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("`keep_bonus`"), "{}", stderr(&o));
}

fn cohort() -> Cohort {
    Cohort {
        mentees: read_csv(Role::Mentee, MENTEES.as_bytes(), &[]).unwrap(),
        mentors: read_csv(Role::Mentor, MENTORS.as_bytes(), &[]).unwrap(),
    }
}

#[test]
fn config_errors_name_the_option_and_what_is_allowed() {
    let mut cfg = MatchConfig::default();
    cfg.scoring.meeting_minutes = 0;
    match Problem::new(cohort(), cfg) {
        Err(MatchError::Config(e)) => {
            assert_eq!(e.option, "meeting_minutes");
            assert_eq!(e.value.as_deref(), Some("0"));
            assert!(e.allowed.contains("1 to 1440"), "{}", e.allowed);
        }
        other => panic!("expected a config error, got {other:?}"),
    }
    let e = MatchConfig::from_options_json(r#"{"reference_date": "2026-02-30"}"#).unwrap_err();
    assert_eq!(e.option, "reference_date");
    let msg = e.to_string();
    assert!(
        msg.contains("`reference_date`") && msg.contains("2026-02-30"),
        "{msg}"
    );
    assert!(!msg.contains("line 1 column"), "{msg}");
    let e = MatchConfig::from_options_json(r#"{"tolerance": 0.1, "fairness": "group_floor"}"#)
        .unwrap_err();
    assert_eq!(e.option, "by");
}

#[test]
fn no_options_are_the_defaults_and_the_defaults_spelled_out_are_the_same() {
    let none = MatchConfig::from_options_json("{}").unwrap();
    assert_eq!(none, MatchConfig::default());
    let spelled = serde_json::Value::Object(mentorpair::problem::match_defaults());
    assert_eq!(MatchConfig::from_options(spelled).unwrap(), none);
}
