//! Readers and writers: round trips and one test per kind of bad input.

use mentorpair::cohort::{Role, Weekday};
use mentorpair::io::{
    read_csv, read_json, read_records, write_csv, write_json, InputError, Record,
};
use serde_json::json;

const MENTORS: &str = "\
id,goals,skills,availability,timezone,languages,level,department,manager_id,capacity,gender,team_colour
m1,leadership:2;public speaking,python:4;sql:2,Mon 09:00-11:00;Wed 14:00-15:30,Europe/Berlin,en;de,5,eng,boss,2,f,blue
m2,rust,rust:5,Tue 16:00-17:00,Asia/Kolkata,en,4,ops,,3,,
m3,,,,,,,,,,m,
";

fn protected() -> Vec<String> {
    vec!["gender".to_string()]
}

fn err_csv(role: Role, text: &str) -> InputError {
    read_csv(role, text.as_bytes(), &[]).expect_err("input should be rejected")
}

#[test]
fn csv_parses_every_column() {
    let t = read_csv(Role::Mentor, MENTORS.as_bytes(), &protected()).unwrap();
    assert_eq!(t.people.len(), 3);
    let m1 = &t.people[0];
    assert_eq!(m1.goals.len(), 2);
    assert_eq!(m1.goals[0].tag, "leadership");
    assert_eq!(m1.goals[0].weight, 2.0);
    assert_eq!(m1.goals[1].tag, "public speaking");
    assert_eq!(m1.goals[1].weight, 1.0);
    assert_eq!(m1.skills[0].name, "python");
    assert_eq!(m1.skills[0].level, 4);
    assert_eq!(m1.availability.len(), 2);
    assert_eq!(m1.availability[1].day, Weekday::Wed);
    assert_eq!(m1.availability[1].start, 14 * 60);
    assert_eq!(m1.availability[1].end, 15 * 60 + 30);
    assert_eq!(m1.timezone.as_deref(), Some("Europe/Berlin"));
    assert_eq!(m1.languages, vec!["en", "de"]);
    assert_eq!(m1.level, Some(5));
    assert_eq!(m1.department.as_deref(), Some("eng"));
    assert_eq!(m1.manager_id.as_deref(), Some("boss"));
    assert_eq!(m1.capacity, 2);
    // Unknown columns are kept; protected ones are held apart from the person.
    assert_eq!(
        m1.extra.get("team_colour").and_then(|v| v.as_str()),
        Some("blue")
    );
    assert!(!m1.extra.contains_key("gender"));
    assert_eq!(t.protected.columns, vec!["gender"]);
    assert_eq!(t.protected.get(0, "gender"), Some("f"));
    assert_eq!(t.protected.get(1, "gender"), None);
    assert_eq!(t.protected.get(2, "gender"), Some("m"));
    // Missing values are "no information", and capacity defaults to 1.
    let m3 = &t.people[2];
    assert!(m3.goals.is_empty() && m3.timezone.is_none() && m3.level.is_none());
    assert_eq!(m3.capacity, 1);
}

#[test]
fn csv_and_json_round_trip() {
    let t = read_csv(Role::Mentor, MENTORS.as_bytes(), &protected()).unwrap();
    let mut buf = Vec::new();
    write_csv(&t, &mut buf).unwrap();
    let back = read_csv(Role::Mentor, buf.as_slice(), &protected()).unwrap();
    assert_eq!(back, t);
    let mut buf = Vec::new();
    write_json(&t, &mut buf).unwrap();
    let back = read_json(Role::Mentor, buf.as_slice(), &protected()).unwrap();
    assert_eq!(back, t);
}

#[test]
fn records_and_csv_agree() {
    let recs: Vec<Record> = vec![serde_json::from_value(
        json!({"id": "a", "goals": ["Leadership:2", "sql"], "level": 3.0,
            "mentors_wanted": 2, "manager_id": 17.0, "note": "x", "timezone": null}),
    )
    .unwrap()];
    let t = read_records(Role::Mentee, &recs, &[]).unwrap();
    let c = read_csv(
        Role::Mentee,
        "id,goals,level,mentors_wanted,manager_id,note\na,leadership:2;sql,3,2,17,x\n".as_bytes(),
        &[],
    )
    .unwrap();
    assert_eq!(t, c);
}

fn assert_invalid(e: InputError, row: usize, id: &str, column: &str, value: &str) {
    let msg = e.to_string();
    match e {
        InputError::InvalidValue(b) => {
            assert_eq!(
                (b.row, b.id.as_deref(), b.column.as_str(), b.value.as_str()),
                (row, Some(id), column, value),
                "{msg}"
            );
        }
        other => panic!("expected InvalidValue, got {other:?}"),
    }
    assert!(
        msg.contains(column) && msg.contains(value) && msg.contains(id),
        "{msg}"
    );
}

#[test]
fn unknown_time_zone() {
    let e = err_csv(
        Role::Mentor,
        "id,timezone\na,Europe/Berlin\nb,Europe/Berln\n",
    );
    let msg = e.to_string();
    assert!(
        msg.contains("mentors row 2") && msg.contains("IANA"),
        "{msg}"
    );
    assert_invalid(e, 2, "b", "timezone", "Europe/Berln");
}

#[test]
fn impossible_clock_time() {
    let e = err_csv(Role::Mentee, "id,availability\nx,Mon 25:00-26:00\n");
    assert!(e.to_string().starts_with("mentees row 1"), "{e}");
    assert_invalid(e, 1, "x", "availability", "Mon 25:00-26:00");
    let e = err_csv(Role::Mentee, "id,availability\nx,Fri 22:00-02:00\n");
    assert!(e.to_string().contains("ends before it starts"), "{e}");
    let t = read_csv(
        Role::Mentee,
        "id,availability\nx,\"Mon 9:00 - 10:00, wednesday 14:00-15:30\"\n".as_bytes(),
        &[],
    )
    .unwrap();
    assert_eq!(t.people[0].availability.len(), 2);
    assert_eq!(t.people[0].availability[1].day, Weekday::Wed);
    let e = err_csv(Role::Mentee, "id,availability\nx,Funday 10:00-11:00\n");
    assert_invalid(e, 1, "x", "availability", "Funday 10:00-11:00");
}

#[test]
fn duplicate_id() {
    let e = err_csv(Role::Mentor, "id\na\nb\na\n");
    assert_eq!(
        e,
        InputError::DuplicateId {
            table: "mentors".into(),
            row: 3,
            first_row: 1,
            id: "a".into()
        }
    );
    assert!(
        e.to_string().contains("mentors row 3: duplicate id \"a\""),
        "{e}"
    );
}

#[test]
fn non_numeric_level() {
    let e = err_csv(Role::Mentor, "id,level\na,3\nb,senior\n");
    assert_invalid(e, 2, "b", "level", "senior");
}

#[test]
fn negative_capacity_and_mentors_wanted() {
    assert_invalid(
        err_csv(Role::Mentor, "id,capacity\na,-1\n"),
        1,
        "a",
        "capacity",
        "-1",
    );
    assert_invalid(
        err_csv(Role::Mentee, "id,mentors_wanted\na,1.5\n"),
        1,
        "a",
        "mentors_wanted",
        "1.5",
    );
}

#[test]
fn nan_goal_weight_and_bad_skills() {
    assert_invalid(
        err_csv(Role::Mentee, "id,goals\na,leadership:NaN\n"),
        1,
        "a",
        "goals",
        "leadership:NaN",
    );
    assert_invalid(
        err_csv(Role::Mentee, "id,goals\na,leadership:-2\n"),
        1,
        "a",
        "goals",
        "leadership:-2",
    );
    assert_invalid(
        err_csv(Role::Mentee, "id,skills\na,python:7\n"),
        1,
        "a",
        "skills",
        "python:7",
    );
    assert_invalid(
        err_csv(Role::Mentee, "id,skills\na,python\n"),
        1,
        "a",
        "skills",
        "python",
    );
}

#[test]
fn missing_id_column_and_empty_id() {
    let e = err_csv(Role::Mentee, "name,goals\nx,y\n");
    assert!(
        matches!(e, InputError::MissingColumn { ref column, .. } if column == "id"),
        "{e:?}"
    );
    // A completely empty file has no header, hence no id column either.
    let e = err_csv(Role::Mentee, "");
    assert!(matches!(e, InputError::MissingColumn { .. }), "{e:?}");
    let e = err_csv(Role::Mentee, "id,level\n,3\n");
    assert!(
        e.to_string().contains("mentees row 1") && e.to_string().contains("empty"),
        "{e}"
    );
}

#[test]
fn header_only_table_is_an_empty_table() {
    let t = read_csv(Role::Mentor, "id,goals\n".as_bytes(), &[]).unwrap();
    assert!(t.people.is_empty());
    let t = read_json(Role::Mentor, "[]".as_bytes(), &[]).unwrap();
    assert!(t.people.is_empty());
}

#[test]
fn wrong_table_columns_and_protected_schema_column() {
    assert!(matches!(
        err_csv(Role::Mentee, "id,capacity\na,1\n"),
        InputError::WrongTableColumn { .. }
    ));
    assert!(matches!(
        err_csv(Role::Mentor, "id,shared_background\na,gender\n"),
        InputError::WrongTableColumn { .. }
    ));
    let e = read_csv(
        Role::Mentor,
        "id,level\na,1\n".as_bytes(),
        &["level".to_string()],
    )
    .unwrap_err();
    assert!(
        matches!(e, InputError::ProtectedSchemaColumn { .. }),
        "{e:?}"
    );
    assert!(matches!(
        err_csv(Role::Mentor, "id,ID\na,b\n"),
        InputError::DuplicateColumn { .. }
    ));
}

#[test]
fn malformed_json_and_csv() {
    let e = read_json(Role::Mentee, "{\"id\": 1}".as_bytes(), &[]).unwrap_err();
    assert!(e.to_string().contains("array of objects"), "{e}");
    let e = read_json(Role::Mentee, "[1]".as_bytes(), &[]).unwrap_err();
    assert!(e.to_string().contains("data row 1"), "{e}");
    let e = err_csv(Role::Mentee, "id,level\na,1,extra\n");
    assert!(matches!(e, InputError::Malformed { .. }), "{e:?}");
    let recs: Vec<Record> =
        vec![serde_json::from_value(json!({"id": "a", "level": {"x": 1}})).unwrap()];
    let e = read_records(Role::Mentee, &recs, &[]).unwrap_err();
    assert!(e.to_string().contains("column `level`"), "{e}");
}

#[test]
fn public_export_without_id_column_is_named_clearly() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data/peer-mentor-match/small/mentees.csv");
    if !path.exists() {
        eprintln!("note: {} not present, skipping", path.display());
        return;
    }
    let e = mentorpair::io::read_path(Role::Mentee, &path, &[]).unwrap_err();
    assert!(
        matches!(e, InputError::MissingColumn { ref column, .. } if column == "id"),
        "{e:?}"
    );
}

#[test]
fn unreadable_paths_and_unknown_extensions() {
    let e = mentorpair::io::read_path(
        Role::Mentor,
        std::path::Path::new("/nonexistent/m.csv"),
        &[],
    )
    .unwrap_err();
    assert!(e.to_string().contains("/nonexistent/m.csv"), "{e}");
    let dir = std::env::temp_dir().join(format!("mentorpair-io-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let xlsx = dir.join("m.xlsx");
    std::fs::write(&xlsx, "id\nx\n").unwrap();
    let e = mentorpair::io::read_path(Role::Mentor, &xlsx, &[]).unwrap_err();
    assert!(e.to_string().contains("use a .csv or .json file"), "{e}");
    let json = dir.join("m.json");
    std::fs::write(&json, "[{\"id\": \"x\", \"capacity\": 2}]").unwrap();
    let t = mentorpair::io::read_path(Role::Mentor, &json, &[]).unwrap();
    assert_eq!(t.people[0].capacity, 2);
    std::fs::remove_dir_all(&dir).unwrap();
}
