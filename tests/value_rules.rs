//! One rule per kind of value, whatever the source: departments, byte-order marks, repeated keys,
//! empty tables, typed carried-through columns, weight bounds and finite scores.

use mentorpair::cohort::{Cohort, Role};
use mentorpair::io::{read_csv, read_json, read_records_with_columns, InputError};
use mentorpair::matching::{check_result, match_cohort, MatchConfig};
use mentorpair::score::Weights;
use proptest::prelude::*;
use serde_json::json;

fn cfg() -> MatchConfig {
    let mut c = MatchConfig::default();
    c.scoring.reference_date = chrono::NaiveDate::from_ymd_opt(2026, 3, 2);
    c
}

#[test]
fn departments_compare_like_tags() {
    let cohort = Cohort {
        mentees: read_csv(Role::Mentee, "id,department\na,Finance\n".as_bytes(), &[]).unwrap(),
        mentors: read_csv(
            Role::Mentor,
            "id,department\nm,  finance \n".as_bytes(),
            &[],
        )
        .unwrap(),
    };
    let mut c = cfg();
    c.exclude_same_department = true;
    let r = match_cohort(&cohort, &c).unwrap();
    assert!(r.pairs.is_empty(), "Finance and finance are one department");
    assert!(r.violations.is_empty());
}

#[test]
fn json_tables_with_a_bom_repeated_keys_and_columns() {
    let t = read_json(Role::Mentee, "\u{feff}[{\"id\": \"a\"}]".as_bytes(), &[]).unwrap();
    assert_eq!(t.people[0].id, "a");
    let e = read_json(
        Role::Mentee,
        r#"[{"id": "a"}, {"id": "b", "goals": "x", "goals": "y"}]"#.as_bytes(),
        &[],
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("data row 2") && e.contains("`goals` appears twice"),
        "{e}"
    );
    // A DataFrame's shape: columns are checked even without rows.
    let e = read_json(
        Role::Mentee,
        r#"{"columns": ["name"], "rows": []}"#.as_bytes(),
        &[],
    )
    .unwrap_err();
    assert!(
        matches!(e, InputError::MissingColumn { ref column, .. } if column == "id"),
        "{e}"
    );
    let ok = read_json(
        Role::Mentee,
        r#"{"columns": ["id"], "rows": []}"#.as_bytes(),
        &[],
    )
    .unwrap();
    assert!(ok.people.is_empty());
    let e = read_records_with_columns(Role::Mentor, Some(&["id".into(), "id".into()]), &[], &[]);
    assert!(matches!(e, Err(InputError::DuplicateColumn { .. })));
}

#[test]
fn carried_through_columns_keep_their_values_and_types() {
    let text = r#"[{"id": "a", "goals": "x", "badge": 17, "ratio": 0.25, "remote": true,
        "big": 1180591620717411303424, "note": " hi "}]"#;
    let mentees = read_json(Role::Mentee, text.as_bytes(), &[]).unwrap();
    let extra = &mentees.people[0].extra;
    assert_eq!(extra["badge"], json!(17));
    assert_eq!(extra["ratio"], json!(0.25));
    assert_eq!(extra["remote"], json!(true));
    assert_eq!(
        extra["big"],
        json!("1180591620717411303424"),
        "exact, not rounded"
    );
    assert_eq!(extra["note"], json!("hi"));
    let mentors = read_csv(Role::Mentor, "id,goals,room\nm,x,007\n".as_bytes(), &[]).unwrap();
    let cohort = Cohort { mentees, mentors };
    let r = match_cohort(&cohort, &cfg()).unwrap();
    let p = &r.pairs[0];
    assert_eq!(p.mentee_extra["badge"], json!(17));
    assert_eq!(p.mentor_extra["room"], json!("007"), "CSV text stays text");
    // The JSON writer keeps the types; the reader reads them back equal.
    let mut buf = Vec::new();
    mentorpair::io::write_json(&cohort.mentees, &mut buf).unwrap();
    let back = read_json(Role::Mentee, buf.as_slice(), &[]).unwrap();
    assert_eq!(back, cohort.mentees);
}

#[test]
fn safe_csv_round_trips_formula_like_values() {
    let text =
        r#"[{"id": "=1+1", "goals": "x", "note": "@cmd"}, {"id": "'=quoted", "note": "-0.5"}]"#;
    let t = read_json(Role::Mentor, text.as_bytes(), &[]).unwrap();
    let mut buf = Vec::new();
    mentorpair::io::write_csv(&t, &mut buf).unwrap();
    let written = String::from_utf8(buf.clone()).unwrap();
    assert!(written.contains("\"'=1+1\""), "{written}");
    assert!(written.contains("\"''=quoted\""), "{written}");
    assert!(
        written.contains(",-0.5"),
        "a plain number is data: {written}"
    );
    assert_eq!(read_csv(Role::Mentor, buf.as_slice(), &[]).unwrap(), t);
}

#[test]
fn weights_are_bounded_and_named() {
    let too_big = Weights {
        goals: 1e308,
        ..Weights::default()
    };
    let e = too_big.validate().unwrap_err();
    assert_eq!(e.option, "weights");
    assert!(
        e.to_string().contains("goals") && e.to_string().contains("1000"),
        "{e}"
    );
    let at_bound = Weights {
        goals: 1000.0,
        ..Weights::default()
    };
    at_bound.validate().unwrap();
    let e = read_csv(
        Role::Mentee,
        "id,goals\na,python:1e308;sql:1e308\n".as_bytes(),
        &[],
    )
    .unwrap_err();
    assert!(e.to_string().contains("at most 1000"), "{e}");
}

#[test]
fn a_reference_date_with_a_two_digit_year_is_rejected() {
    let mut c = cfg();
    c.scoring.reference_date = chrono::NaiveDate::from_ymd_opt(26, 1, 1);
    let cohort = Cohort {
        mentees: read_csv(Role::Mentee, "id\na\n".as_bytes(), &[]).unwrap(),
        mentors: read_csv(Role::Mentor, "id\nm\n".as_bytes(), &[]).unwrap(),
    };
    let e = match_cohort(&cohort, &c).unwrap_err().to_string();
    assert!(e.contains("four-digit year"), "{e}");
}

fn weight() -> impl Strategy<Value = f64> {
    prop_oneof![Just(0.0), Just(1000.0), 0.0..=1000.0f64, 1e-300..1e-3f64]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Any weights within bounds and any goal weights within bounds give finite scores,
    /// explanations whose contributions add up, and a result that passes its own check.
    #[test]
    fn scores_are_finite_for_every_weight_in_range(
        w in proptest::array::uniform7(weight()),
        g in proptest::collection::vec(prop_oneof![Just(1000.0), 1e-9..=1000.0f64], 1..4),
    ) {
        let weights = Weights {
            goals: w[0], skills: w[1], availability: w[2], language: w[3], seniority: w[4],
            affinity: w[5], preference: w[6], ..Weights::default()
        };
        prop_assume!(weights.validate().is_ok());
        let tags = ["python", "sql", "rust"];
        let goals: Vec<String> = g.iter().zip(tags).map(|(x, t)| format!("{t}:{x}")).collect();
        let mentees = format!(
            "id,goals,skills,languages,level,availability,timezone\na,{},python:2,en,2,Mon 09:00-11:00,Europe/Berlin\nb,sql:1000,,de,,,\n",
            goals.join(";")
        );
        let mentors = "id,goals,skills,languages,level,capacity,availability,timezone\nm1,python:1000;sql,python:5,en,4,2,Mon 09:30-12:00,Europe/Paris\nm2,rust,,,,1,,\n";
        let cohort = Cohort {
            mentees: read_csv(Role::Mentee, mentees.as_bytes(), &[]).unwrap(),
            mentors: read_csv(Role::Mentor, mentors.as_bytes(), &[]).unwrap(),
        };
        let mut c = cfg();
        c.weights = weights;
        let m = mentorpair::matching::score_matrix(&cohort, &c).unwrap();
        prop_assert!(m.scores.iter().all(|s| s.is_finite()), "{:?}", m.scores);
        let r = match_cohort(&cohort, &c).unwrap();
        prop_assert_eq!(r.pairs.len(), 2, "every pair is allowed: none may look excluded");
        for p in &r.pairs {
            prop_assert!(p.score.is_finite());
            for x in &p.explanation.components {
                prop_assert!(x.value.is_finite() && x.contribution.is_finite());
            }
        }
        prop_assert!(check_result(&r, &cohort).is_ok(), "{:?}", check_result(&r, &cohort));
    }
}
