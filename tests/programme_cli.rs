//! `mentorpair schedule` and `mentorpair report` end to end on a generated cohort: files written,
//! bad options refused with exit code 2 and the option named.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mentorpair"))
        .args(args)
        .output()
        .expect("run mentorpair")
}

fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("mentorpair-prog-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn result_file(d: &Path) -> PathBuf {
    let c = d.join("cohort");
    assert!(run(&[
        "generate",
        "--mentees",
        "60",
        "--mentors",
        "25",
        "--seed",
        "3",
        "--out",
        s(&c),
        "-q"
    ])
    .status
    .success());
    let json = d.join("result.json");
    let out = run(&[
        "match",
        "--mentees",
        s(&c.join("mentees.csv")),
        "--mentors",
        s(&c.join("mentors.csv")),
        "--protected",
        "gender,age_band",
        "--reference-date",
        "2027-01-04",
        "--out",
        s(&d.join("pairs.csv")),
        "--json",
        s(&json),
        "-q",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    json
}

#[test]
fn schedule_and_report_write_their_files() {
    let d = dir("ok");
    let json = result_file(&d);
    let (ics, csv, html) = (d.join("s.ics"), d.join("s.csv"), d.join("r.html"));
    let out = run(&[
        "schedule",
        "--result",
        s(&json),
        "--start",
        "2027-01-04",
        "--weeks",
        "26",
        "--ics",
        s(&ics),
        "--csv",
        s(&csv),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("pairs have a slot"));
    let text = std::fs::read_to_string(&ics).unwrap();
    assert!(
        text.starts_with("BEGIN:VCALENDAR\r\n")
            && text.contains("RRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=13")
    );
    let table = std::fs::read_to_string(&csv).unwrap();
    let pairs = std::fs::read_to_string(d.join("pairs.csv"))
        .unwrap()
        .lines()
        .count();
    assert_eq!(table.lines().count(), pairs);
    assert!(table.starts_with("mentee_id,mentor_id,utc_start,"));
    let out = run(&[
        "report",
        "--result",
        s(&json),
        "--out",
        s(&html),
        "--by",
        "gender",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("id=\"chart-match-rate\"") && page.contains("id=\"schedule-table\""));
    // Without a file the schedule is printed as CSV.
    let out = run(&["schedule", "--result", s(&json), "--start", "2027-01-04"]);
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("mentee_id,"));
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn bad_schedule_options_exit_with_usage_errors() {
    let d = dir("bad");
    let json = result_file(&d);
    for (args, needle) in [
        (vec!["--start", "2027-13-01"], "not a date"),
        (vec!["--start", "2027-01-04", "--weeks", "0"], "weeks"),
        (
            vec!["--start", "2027-01-04", "--cadence-weeks", "0"],
            "cadence_weeks",
        ),
        (vec![], "--start"),
    ] {
        let mut all = vec!["schedule", "--result", s(&json)];
        all.extend(args);
        let out = run(&all);
        assert_eq!(out.status.code(), Some(2));
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(needle),
            "{needle}"
        );
    }
    let out = run(&[
        "report",
        "--result",
        s(&json),
        "--out",
        s(&d.join("r.html")),
        "--by",
        "nosuch",
    ]);
    assert_eq!(out.status.code(), Some(3));
    assert!(!d.join("r.html").exists());
    std::fs::remove_dir_all(&d).unwrap();
}
