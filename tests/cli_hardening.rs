//! The command line against careless or hostile input: spreadsheet-safe outputs, files never
//! half-written, inputs never clobbered, and messages with the right exit code.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn mentorpair(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mentorpair"))
        .args(args)
        .output()
        .expect("the binary runs")
}

/// `mentorpair match --mentees A --mentors B REST...`.
fn run_match(a: &Path, b: &Path, rest: &[&str]) -> Output {
    let mut args = vec!["match", "--mentees", s(a), "--mentors", s(b)];
    args.extend_from_slice(rest);
    mentorpair(&args)
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("harden-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

const HOSTILE: [&str; 4] = [
    "=HYPERLINK(\"http://x\",\"y\")",
    "+cmd|' /C calc'!A0",
    "@SUM(A1)",
    "-2+3",
];

/// Mentees with formula-like ids, mentors with plain ones.
fn hostile_cohort(dir: &Path) -> (PathBuf, PathBuf) {
    let mut mentees = String::from("id,goals,department\n");
    for (k, id) in HOSTILE.iter().enumerate() {
        let quoted = id.replace('"', "\"\"");
        mentees.push_str(&format!("\"{quoted}\",python,d{k}\n"));
    }
    let mentors = "id,goals,capacity,department\nm1,python,2,x\nm2,python,2,y\n";
    let (a, b) = (dir.join("mentees.csv"), dir.join("mentors.csv"));
    std::fs::write(&a, mentees).expect("write");
    std::fs::write(&b, mentors).expect("write");
    (a, b)
}

fn csv_cells(path: &Path) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(path)
        .expect("csv");
    r.records()
        .map(|x| x.expect("row").iter().map(str::to_string).collect())
        .collect()
}

#[test]
fn formula_ids_are_neutralised_and_read_back() {
    let dir = scratch("inject");
    let (a, b) = hostile_cohort(&dir);
    let pairs = dir.join("pairs.csv");
    let o = run_match(&a, &b, &["--out", s(&pairs)]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let rows = csv_cells(&pairs);
    let ids: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(ids.len(), 4);
    for id in &ids {
        assert!(id.starts_with('\''), "neutralised: {id:?}");
        assert!(HOSTILE.contains(&&id[1..]), "{id:?}");
    }
    // Every non-numeric field is quoted (OWASP); scores, plain numbers, stay bare.
    let raw = std::fs::read_to_string(&pairs).expect("read");
    assert!(raw.lines().nth(1).expect("row").starts_with("\"'"), "{raw}");
    // The readers undo it: rematch on the neutralised file keeps every pair.
    let out2 = dir.join("pairs2.csv");
    let changes = dir.join("changes.csv");
    let o = mentorpair(&[
        "rematch",
        "--previous",
        s(&pairs),
        "--mentees",
        s(&a),
        "--mentors",
        s(&b),
        "--out",
        s(&out2),
        "--changes",
        s(&changes),
        "--keep-bonus",
        "1",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("4 kept"), "{}", text(&o.stdout));
    let changed = csv_cells(&changes);
    assert!(
        changed[1..].iter().all(|r| r[0].starts_with('\'')),
        "{changed:?}"
    );
    // --raw-csv writes the values as they are.
    let raw_out = dir.join("raw.csv");
    let o = mentorpair(&[
        "match",
        "--raw-csv",
        "--mentees",
        s(&a),
        "--mentors",
        s(&b),
        "--out",
        s(&raw_out),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let rows = csv_cells(&raw_out);
    let mut ids: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    ids.sort_unstable();
    let mut want = HOSTILE.to_vec();
    want.sort_unstable();
    assert_eq!(ids, want);
    // A generated cohort goes through the same writer and reads back.
    let o = mentorpair(&[
        "generate",
        "--mentees",
        "5",
        "--mentors",
        "3",
        "--out",
        s(&dir.join("gen")),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
}

#[test]
fn control_characters_in_ids_are_printed_escaped() {
    let dir = scratch("escape");
    let a = dir.join("mentees.json");
    let b = dir.join("mentors.csv");
    std::fs::write(
        &a,
        r#"[{"id": "evil\u001b]0;pwned\u0007\r", "goals": "python"}]"#,
    )
    .expect("write");
    std::fs::write(&b, "id,goals\nm1,python\n").expect("write");
    let json = dir.join("r.json");
    let o = run_match(
        &a,
        &b,
        &["--out", s(&dir.join("p.csv")), "--json", s(&json)],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let o = mentorpair(&["explain", "--result", s(&json), "evil\u{1b}]0;pwned\u{7}"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(!out.chars().any(|c| c.is_control() && c != '\n'), "{out:?}");
    assert!(out.contains("\\u{1b}"), "{out}");
    // A line break in an id cannot fake a line of its own.
    std::fs::write(&a, r#"[{"id": "two\nlines", "goals": "python"}]"#).expect("write");
    let o = run_match(
        &a,
        &b,
        &["--out", s(&dir.join("p.csv")), "--json", s(&json)],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let o = mentorpair(&["explain", "--result", s(&json), "two\nlines"]);
    let out = text(&o.stdout);
    assert!(out.starts_with("two\\nlines -> m1"), "{out}");
}

#[test]
fn outputs_never_overwrite_inputs_and_dash_is_stdout() {
    let dir = scratch("paths");
    let (a, b) = hostile_cohort(&dir);
    let before = std::fs::read(&a).expect("read");
    let o = run_match(&a, &b, &["--out", s(&a)]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("--mentees"), "{}", text(&o.stderr));
    assert_eq!(std::fs::read(&a).expect("read"), before);
    let same = dir.join("same");
    let o = run_match(&a, &b, &["--out", s(&same), "--json", s(&same)]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert!(!same.exists());
    // `-` is standard output: the pairs go there, the summary to standard error.
    let o = Command::new(env!("CARGO_BIN_EXE_mentorpair"))
        .current_dir(&dir)
        .args([
            "match",
            "--mentees",
            s(&a),
            "--mentors",
            s(&b),
            "--out",
            "-",
        ])
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(
        text(&o.stdout).starts_with("\"mentee_id\""),
        "{}",
        text(&o.stdout)
    );
    assert!(text(&o.stderr).contains("matched"), "{}", text(&o.stderr));
    assert!(!dir.join("-").exists());
}

#[test]
fn a_failed_run_leaves_earlier_outputs_untouched() {
    let dir = scratch("atomic");
    let (a, b) = hostile_cohort(&dir);
    let pairs = dir.join("pairs.csv");
    let json = dir.join("result.json");
    std::fs::write(&pairs, "old pairs").expect("write");
    std::fs::write(&json, "old json").expect("write");
    // An invalid second output (a folder): nothing is written.
    let o = run_match(&a, &b, &["--out", s(&pairs), "--json", s(&dir)]);
    assert_eq!(o.status.code(), Some(3), "{}", text(&o.stderr));
    assert_eq!(std::fs::read_to_string(&pairs).expect("read"), "old pairs");
    // A file-size limit (1 block of 512 bytes) in a child shell: the result JSON is larger, so
    // writing fails, and neither old file is replaced by a truncated one.
    let o = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "trap '' XFSZ; ulimit -f 1; exec '{}' match --mentees '{}' --mentors '{}' --out '{}' --json '{}'",
            env!("CARGO_BIN_EXE_mentorpair"),
            s(&a),
            s(&b),
            s(&pairs),
            s(&json)
        ))
        .output()
        .expect("sh runs");
    assert_eq!(o.status.code(), Some(3), "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).contains("no output was changed"),
        "{}",
        text(&o.stderr)
    );
    assert_eq!(std::fs::read_to_string(&pairs).expect("read"), "old pairs");
    assert_eq!(std::fs::read_to_string(&json).expect("read"), "old json");
    let left: Vec<String> = std::fs::read_dir(&dir)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");
}

#[test]
fn messages_name_the_problem_with_the_documented_exit_code() {
    let dir = scratch("messages");
    let mentors = dir.join("mentors.csv");
    std::fs::write(&mentors, "id,goals,gender\nm1,python,f\nm2,python,m\n").expect("write");
    let run = |mentees: &str, extra: &[&str]| {
        let a = dir.join("mentees.csv");
        std::fs::write(&a, mentees).expect("write");
        let mut args = vec!["match", "--mentees", s(&a), "--mentors", s(&mentors)];
        let out = dir.join("pairs.csv");
        args.extend(["--out", s(&out)]);
        args.extend_from_slice(extra);
        let o = mentorpair(&args);
        (o.status.code(), text(&o.stderr))
    };
    let (code, err) = run("id;goals\na;python\n", &[]);
    assert_eq!(code, Some(3));
    assert!(
        err.contains("semicolons") && err.contains("columns seen: id, goals"),
        "{err}"
    );
    let (code, err) = run("id\tgoals\na\tpython\n", &[]);
    assert_eq!(code, Some(3));
    assert!(err.contains("tabs"), "{err}");
    // Latin-1 bytes: invalid UTF-8.
    let a = dir.join("latin1.csv");
    std::fs::write(&a, b"id,goals\nb,caf\xe9\n").expect("write");
    let o = run_match(&a, &mentors, &["--out", s(&dir.join("p.csv"))]);
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert!(
        err.contains("`goals`") && err.contains("save the file as UTF-8"),
        "{err}"
    );
    let (code, err) = run("id,goals\na,python\n", &["--reference-date", "26-01-01"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("four-digit year"), "{err}");
    let (code, err) = run("id,goals,gender\na,python,f\n", &["--protected", "gendr"]);
    assert_eq!(code, Some(3), "{err}");
    assert!(
        err.contains("gendr") && err.contains("did you mean `gender`"),
        "{err}"
    );
    let (code, err) = run(
        "id,goals,shared_background\na,python,religion\n",
        &["--protected", "gender"],
    );
    assert_eq!(code, Some(3), "{err}");
    assert!(err.contains("religion"), "{err}");
    let (code, err) = run("id,goals\na,python\n", &["--min-score", "-5"]);
    assert_eq!(code, Some(0), "negative values are values: {err}");
    let (code, err) = run(
        "id,goals\na,python\n",
        &["--weight", "goals=1e308", "--weight", "skills=1e308"],
    );
    assert_eq!(code, Some(2));
    assert!(
        err.contains("weights.goals") && err.contains("from 0 to 1000"),
        "{err}"
    );
    let (code, err) = run("id,goals\na,python:1e308;sql:1e308\n", &[]);
    assert_eq!(code, Some(3));
    assert!(
        err.contains("goals") && err.contains("at most 1000"),
        "{err}"
    );
}

#[test]
fn previous_pairs_are_read_one_way_and_checked() {
    let dir = scratch("previous");
    let a = dir.join("mentees.csv");
    let b = dir.join("mentors.csv");
    std::fs::write(&a, "id,goals\na,python\nb,python\n").expect("write");
    std::fs::write(&b, "id,goals,capacity\nm1,python,2\n").expect("write");
    let run = |previous: &str| {
        let p = dir.join("previous.csv");
        std::fs::write(&p, previous).expect("write");
        let o = mentorpair(&[
            "rematch",
            "--previous",
            s(&p),
            "--mentees",
            s(&a),
            "--mentors",
            s(&b),
            "--out",
            s(&dir.join("out.csv")),
        ]);
        (o.status.code(), text(&o.stdout), text(&o.stderr))
    };
    let (code, out, err) = run("mentee_id,mentor_id\n a , m1 \n");
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("1 kept"), "padded ids are the same ids: {out}");
    let (code, _, err) = run("mentee_id,mentor_id\na,m1\nb,m1\na,m1\n");
    assert_eq!(code, Some(3), "{err}");
    assert!(
        err.contains("previous.csv row 3") && err.contains("row 1"),
        "{err}"
    );
    let (code, _, err) = run("mentee_id,mentor_id\na,m1\nb\n");
    assert_eq!(code, Some(3), "a file cut mid-row: {err}");
}

#[test]
fn tampered_result_files_are_rejected() {
    let dir = scratch("tamper");
    let a = dir.join("mentees.csv");
    let b = dir.join("mentors.csv");
    std::fs::write(&a, "id,goals,gender\na,python,f\nb,python,m\n").expect("write");
    std::fs::write(
        &b,
        "id,goals,capacity,gender\nm1,python,1,f\nm2,python,1,m\n",
    )
    .expect("write");
    let json = dir.join("r.json");
    let o = run_match(
        &a,
        &b,
        &[
            "--protected",
            "gender",
            "--out",
            s(&dir.join("p.csv")),
            "--json",
            s(&json),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let good: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("read")).expect("json");
    let check = |edit: &dyn Fn(&mut serde_json::Value), want: &str| {
        let mut v = good.clone();
        edit(&mut v);
        let path = dir.join("bad.json");
        std::fs::write(&path, v.to_string()).expect("write");
        for cmd in [
            vec!["explain", "--result", s(&path), "a"],
            vec!["audit", "--result", s(&path), "--by", "gender"],
        ] {
            let o = mentorpair(&cmd);
            let err = text(&o.stderr);
            assert_eq!(o.status.code(), Some(3), "{cmd:?}: {err}");
            assert!(
                err.contains("inconsistent result") && err.contains(want),
                "{err}"
            );
        }
    };
    check(
        &|v| {
            let p = v["result"]["pairs"][0].clone();
            v["result"]["pairs"].as_array_mut().expect("pairs").push(p);
        },
        "listed twice",
    );
    check(
        &|v| v["result"]["pairs"][0]["score"] = 0.99.into(),
        "score 0.99",
    );
    check(
        &|v| v["result"]["pairs"][0]["mentor_id"] = "ghost".into(),
        "ghost",
    );
    check(
        &|v| v["cohort"]["mentors"]["people"][0]["capacity"] = 0.into(),
        "capacity 0",
    );
    // The untouched file still works.
    let o = mentorpair(&["explain", "--result", s(&json), "a"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
}
