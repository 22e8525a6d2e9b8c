//! Parsers never panic: arbitrary bytes and strings fed to the table readers, the structured cell
//! parsers and the previous-pairs reader give `Ok` or a typed error. Case counts are kept
//! moderate so the suite stays fast.

use mentorpair::cohort::Role;
use mentorpair::io::{read_csv, read_json, read_pairs_csv, read_records, Record};
use proptest::prelude::*;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        ..ProptestConfig::default()
    }
}

/// Strings with the characters the cell grammars care about, plus any others.
fn cellish() -> impl Strategy<Value = String> {
    prop_oneof![
        "[-:;, 0-9a-zA-Z.\\t=+@'\"\u{feff}\u{1b}]{0,40}",
        any::<String>(),
        "(Mon|tue|WEDNESDAY|Xyz) [0-9]{1,3}:[0-9]{1,3}-[0-9]{1,3}:[0-9]{1,3}",
        "[a-z]{1,6}:(-?[0-9]{1,4}(\\.[0-9]{1,3})?|1e308|nan|inf)",
    ]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn csv_reader_never_panics_on_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        for role in [Role::Mentee, Role::Mentor] {
            let _ = read_csv(role, bytes.as_slice(), &["gender".to_string()]);
        }
    }

    #[test]
    fn json_reader_never_panics_on_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = read_json(Role::Mentee, bytes.as_slice(), &[]);
    }

    #[test]
    fn json_reader_never_panics_on_near_json(text in "[\\[\\]{}\",:0-9a-z\\- .e]{0,200}") {
        let _ = read_json(Role::Mentor, text.as_bytes(), &[]);
        let wrapped = format!("[{{\"id\": \"a\", {text}}}]");
        let _ = read_json(Role::Mentor, wrapped.as_bytes(), &[]);
    }

    #[test]
    fn cell_parsers_never_panic(
        goals in cellish(),
        skills in cellish(),
        availability in cellish(),
        other in cellish(),
    ) {
        // Through records (no CSV quoting in the way) and through CSV.
        let rec: Record = [
            ("id", "x".to_string()),
            ("goals", goals.clone()),
            ("skills", skills.clone()),
            ("availability", availability.clone()),
            ("timezone", other.clone()),
            ("level", other.clone()),
            ("mentors_wanted", other.clone()),
            ("languages", other.clone()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), serde_json::Value::String(v)))
        .collect();
        let _ = read_records(Role::Mentee, &[rec], &[]);
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(["id", "goals", "skills", "availability", "capacity"]).expect("header");
        w.write_record(["x", &goals, &skills, &availability, &other]).expect("row");
        let bytes = w.into_inner().expect("csv");
        if let Ok(t) = read_csv(Role::Mentor, bytes.as_slice(), &[]) {
            // Whatever is accepted is well-formed.
            for p in &t.people {
                prop_assert!(p.goals.iter().all(|g| g.weight > 0.0 && g.weight <= 1000.0));
                prop_assert!(p.skills.iter().all(|s| (1..=5).contains(&s.level)));
                prop_assert!(p.availability.iter().all(|s| s.start < s.end && s.end <= 1440));
            }
        }
    }

    #[test]
    fn previous_pairs_reader_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let _ = read_pairs_csv(bytes.as_slice(), "previous.csv");
        let mut with_header = b"mentee_id,mentor_id\n".to_vec();
        with_header.extend_from_slice(&bytes);
        let _ = read_pairs_csv(with_header.as_slice(), "previous.csv");
    }
}
