//! `mentorpair fit-weights`: report, weights TOML that `match --config` reads, bad input.

use std::ffi::OsString;
use std::path::Path;
use std::process::{Command, Output};

use mentorpair::cohort::{Cohort, Role};
use mentorpair::learn::OutcomeScale;
use mentorpair::synthetic::history::{history, HistorySpec};

/// Run the binary on `words`, split at spaces, with `{name}` replaced by the path of `dir/name`.
fn run(dir: &Path, words: &str) -> Output {
    let args: Vec<OsString> = words
        .split(' ')
        .map(
            |w| match w.strip_prefix('{').and_then(|w| w.strip_suffix('}')) {
                Some(name) => dir.join(name).into_os_string(),
                None => w.into(),
            },
        )
        .collect();
    Command::new(env!("CARGO_BIN_EXE_mentorpair"))
        .args(args)
        .output()
        .expect("run mentorpair")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn fit_weights_writes_toml_that_match_reads() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("beyond-fit");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let out = run(
        &dir,
        "generate --out {} --mentees 200 --mentors 80 --seed 3",
    );
    assert!(out.status.success(), "{}", text(&out));
    let read = |role, f: &str| mentorpair::io::read_path(role, &dir.join(f), &[]).unwrap();
    let cohort = Cohort {
        mentees: read(Role::Mentee, "mentees.csv"),
        mentors: read(Role::Mentor, "mentors.csv"),
    };
    let cfg = mentorpair::score::ScoreConfig {
        reference_date: chrono::NaiveDate::from_ymd_opt(2026, 3, 2),
        ..Default::default()
    };
    let spec = HistorySpec {
        n_pairs: 3000,
        weights: [
            ("goals".to_string(), 0.6),
            ("availability".to_string(), 0.4),
        ]
        .into(),
        scale: OutcomeScale::Rating,
        strength: 10.0,
        seed: 1,
    };
    let h = history(&cohort, &spec, &cfg).unwrap();
    let mut csv = String::from("mentee_id,mentor_id,outcome\n");
    for r in 0..h.outcomes.len() {
        csv.push_str(&format!(
            "{},{},{}\n",
            h.mentee_ids[r], h.mentor_ids[r], h.outcomes[r]
        ));
    }
    std::fs::write(dir.join("history.csv"), &csv).unwrap();
    std::fs::write(
        dir.join("scoring.toml"),
        "[scoring]\nreference_date = \"2026-03-02\"\n",
    )
    .unwrap();
    let fit = "fit-weights --history {history.csv} --mentees {mentees.csv} --mentors {mentors.csv}";
    let out = run(
        &dir,
        &format!("{fit} --config {{scoring.toml}} --out {{weights.toml}}"),
    );
    let t = text(&out);
    assert!(out.status.success(), "{t}");
    assert!(
        t.contains("held-out spearman") && t.contains("std_error"),
        "{t}"
    );
    let weights = std::fs::read_to_string(dir.join("weights.toml")).unwrap();
    assert!(
        weights.contains("[weights]") && weights.contains("goals = "),
        "{weights}"
    );
    let out = run(
        &dir,
        "match --mentees {mentees.csv} --mentors {mentors.csv} --config {weights.toml} \
         --out {pairs.csv} --protected gender,age_band",
    );
    assert!(out.status.success(), "{}", text(&out));

    // A duplicate pair is an input error (exit 3) naming both rows.
    let first = csv.lines().nth(1).unwrap().to_string();
    std::fs::write(dir.join("history.csv"), format!("{csv}{first}\n")).unwrap();
    let out = run(&dir, fit);
    assert_eq!(out.status.code(), Some(3));
    let t = text(&out);
    assert!(
        t.contains("row 3001") && t.contains("already appears in row 1"),
        "{t}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn match_reads_text_taxonomy_and_embedding_columns() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("beyond-match");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("mentees.csv"),
        "id,goals,goals_text,embedding\na,public speaking,negotiating contracts,1;0\nb,cooking,presenting on stage,0;1\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("mentors.csv"),
        "id,goals,goals_text,embedding,capacity\nx,presenting,I coach presenting,0;1,1\ny,sql,contract negotiation,1;0,1\n",
    )
    .unwrap();
    std::fs::write(dir.join("tax.txt"), "public speaking ~ presenting\n").unwrap();
    let out = run(
        &dir,
        "match --mentees {mentees.csv} --mentors {mentors.csv} --taxonomy {tax.txt} --text-language english --weight two_way=0.1 --out {pairs.csv} --json {result.json}",
    );
    assert!(out.status.success(), "{}", text(&out));
    let t = std::fs::read_to_string(dir.join("result.json")).unwrap();
    for needle in [
        "\"kind\":\"goals_text\"",
        "\"kind\":\"embedding\"",
        "\"taxonomy\":[{",
        "\"negotiation\"",
    ] {
        assert!(t.contains(needle), "{needle} not in {t}");
    }
    let bad = run(
        &dir,
        "match --mentees {mentees.csv} --mentors {mentors.csv} --text-language klingon --out {p2.csv}",
    );
    assert!(!bad.status.success());
    assert!(text(&bad).contains("german"), "{}", text(&bad));
}
