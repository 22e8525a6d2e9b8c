//! The HTML report: every section present, user values escaped, no external resource.

use mentorpair::cohort::{Cohort, Person, Role, Slot, Table, Weekday};
use mentorpair::matching::{match_cohort, MatchConfig};
use mentorpair::report::{self, esc};
use mentorpair::schedule::{schedule, ScheduleOptions};
use mentorpair::score::ScoreConfig;

fn person(id: &str, gender: &str) -> (Person, Vec<Option<String>>) {
    let mut p = Person::new(id);
    p.timezone = Some("Europe/Berlin".into());
    p.availability = vec![Slot {
        day: Weekday::Mon,
        start: 9 * 60,
        end: 12 * 60,
    }];
    (p, vec![Some(gender.to_string())])
}

fn table(role: Role, rows: Vec<(Person, Vec<Option<String>>)>) -> Table {
    let mut t = Table::new(role);
    t.protected.columns = vec!["gender".into()];
    for (p, v) in rows {
        t.people.push(p);
        t.protected.values.push(v);
    }
    t
}

#[test]
fn report_escapes_every_user_value_and_has_every_section() {
    let evil = "<script>alert('x')</script>";
    let cohort = Cohort {
        mentees: table(
            Role::Mentee,
            vec![
                person(evil, "<b>f</b>"),
                person("e2", "m"),
                person("e3", "m"),
            ],
        ),
        mentors: table(Role::Mentor, vec![person("m&1", "f"), person("m2", "m")]),
    };
    let result = match_cohort(&cohort, &MatchConfig::default()).unwrap();
    let opts =
        ScheduleOptions::new("2027-01-04", Some(8), None, None, &ScoreConfig::default()).unwrap();
    let s = schedule(&cohort, &result, &opts).unwrap();
    let html = report::html(&cohort, &result, &["gender".to_string()], Some(&s)).unwrap();
    assert_eq!(
        html.matches("<script>").count(),
        1,
        "only the report's own script"
    );
    assert!(!html.contains("<b>f</b>"));
    assert!(html.contains(&esc("<b>f</b>")));
    assert!(!html.contains("m&1<"));
    for id in [
        "summary",
        "pairs",
        "unmatched",
        "fairness",
        "schedule",
        "chart-match-rate",
        "chart-score-distribution",
        "chart-mentor-load",
    ] {
        assert!(html.contains(&format!("id=\"{id}\"")), "{id}");
    }
    assert!(!html.contains("src="));
    assert!(!html.contains("href="));
    assert_eq!(
        html.matches("<tr><td").count(),
        result.pairs.len() * 2 + result.unmatched.len()
    );
    // An unknown audit column is an error naming it.
    let e = report::html(&cohort, &result, &["nosuch".to_string()], None).unwrap_err();
    assert!(e.to_string().contains("nosuch"));
}

#[test]
fn write_atomic_replaces_the_file_and_leaves_no_temporary() {
    let dir = std::env::temp_dir().join(format!("mentorpair-atomic-{}", std::process::id()));
    let path = dir.join("sub").join("r.html");
    report::write_atomic(&path, b"one").unwrap();
    report::write_atomic(&path, b"two").unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), b"two");
    let left: Vec<_> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left.len(), 1);
    std::fs::remove_dir_all(&dir).unwrap();
}
