//! Scoring components, one by one, against hand-computed values; DST and half-hour zones;
//! explanations that add up.

use chrono::NaiveDate;
use mentorpair::cohort::{Person, Role};
use mentorpair::features::{overlap, Features};
use mentorpair::io::read_csv;
use mentorpair::score::{self, Component, Evidence, ScoreConfig, Weights};

fn people(role: Role, csv: &str) -> Vec<Person> {
    read_csv(role, csv.as_bytes(), &[]).unwrap().people
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn features(mentee_csv: &str, mentor_csv: &str, day: NaiveDate) -> Features {
    Features::build(
        &people(Role::Mentee, mentee_csv),
        &people(Role::Mentor, mentor_csv),
        day,
    )
}

fn raw(f: &Features, cfg: &ScoreConfig) -> [Option<f64>; 5] {
    score::raw_components(&f.mentees[0], &f.mentors[0], cfg)
}

#[test]
fn goals_are_the_weighted_share_of_the_mentees_goals() {
    let f = features(
        "id,goals\na,leadership:3;sql;rust\n",
        "id,goals\nm,sql:5;rust;cooking\n",
        date(2026, 1, 5),
    );
    // Covered: sql (1) + rust (1) of 3 + 1 + 1; the mentor's own weights do not count.
    assert_eq!(raw(&f, &ScoreConfig::default())[0], Some(2.0 / 5.0));
    let f = features("id,goals\na,\n", "id,goals\nm,sql\n", date(2026, 1, 5));
    assert_eq!(raw(&f, &ScoreConfig::default())[0], None);
}

#[test]
fn skills_credit_the_mentors_lead_on_goal_skills() {
    let cfg = ScoreConfig::default(); // full credit at a lead of 2
    let f = features(
        "id,goals,skills\na,python:3;sql,python:2;sql:3\n",
        "id,skills\nm,python:5;sql:4\n",
        date(2026, 1, 5),
    );
    // Curve changed deliberately (diminishing returns past the step of 2 levels):
    // python: lead 3 -> 0.8 + 0.2 x (1 - 1/2) = 0.9 (weight 3); sql: lead 1 -> 0.8 / 2 (weight 1).
    assert_eq!(raw(&f, &cfg)[1], Some((3.0 * 0.9 + 1.0 * 0.4) / 4.0));
    // Without goals, the mentee's listed skills are the targets; unlisted mentor skill = level 0.
    let f = features(
        "id,skills\na,go:1;sql:2\n",
        "id,skills\nm,go:2\n",
        date(2026, 1, 5),
    );
    assert_eq!(raw(&f, &cfg)[1], Some((0.4 + 0.0) / 2.0));
    let f = features("id,skills\na,go:1\n", "id,skills\nm,\n", date(2026, 1, 5));
    assert_eq!(raw(&f, &cfg)[1], None);
}

#[test]
fn language_and_seniority() {
    let cfg = ScoreConfig {
        seniority_gap: 2,
        ..ScoreConfig::default()
    };
    let f = features(
        "id,languages,level\na,en;pt,2\n",
        "id,languages,level\nm,PT,3\n",
        date(2026, 1, 5),
    );
    let r = raw(&f, &cfg);
    assert_eq!(r[3], Some(1.0));
    // Sweet spot from 2 to 2 levels ahead: one level ahead is 0.2 + 0.8 x 1/2 (curve changed
    // deliberately).
    assert!((r[4].unwrap() - 0.6).abs() < 1e-12);
    let f = features(
        "id,languages,level\na,en,4\n",
        "id,languages,level\nm,de,4\n",
        date(2026, 1, 5),
    );
    let r = raw(&f, &cfg);
    assert_eq!((r[3], r[4]), (Some(0.0), Some(0.2))); // same level scores little
    let f = features("id,languages\na,en\n", "id,level\nm,4\n", date(2026, 1, 5));
    let r = raw(&f, &cfg);
    assert_eq!((r[3], r[4]), (None, None));
}

const BERLIN: &str = "id,availability,timezone\na,Mon 15:00-16:00,Europe/Berlin\n";
const NEW_YORK: &str = "id,availability,timezone\nm,Mon 09:00-10:00,America/New_York\n";

fn overlap_on(day: NaiveDate) -> u32 {
    let f = features(BERLIN, NEW_YORK, day);
    let (a, b) = (
        f.mentees[0].availability.as_ref().unwrap(),
        f.mentors[0].availability.as_ref().unwrap(),
    );
    overlap(a, b, 1).0
}

#[test]
fn berlin_new_york_overlap_follows_both_dst_switches() {
    // Both on winter time: 6 h apart, Berlin 15:00 = New York 09:00.
    assert_eq!(overlap_on(date(2026, 3, 2)), 60);
    // US on summer time since 8 March, EU not until 29 March: 5 h apart.
    assert_eq!(overlap_on(date(2026, 3, 16)), 0);
    // Both on summer time.
    assert_eq!(overlap_on(date(2026, 4, 6)), 60);
    // EU back on winter time on 25 October, US not until 1 November.
    assert_eq!(overlap_on(date(2026, 10, 26)), 0);
    assert_eq!(overlap_on(date(2026, 11, 2)), 60);
}

#[test]
fn half_hour_zone_and_week_wrap() {
    // Kolkata is UTC+5:30: 14:30-15:30 there is 09:00-10:00 UTC = London in winter.
    let f = features(
        "id,availability,timezone\na,Mon 14:30-16:00,Asia/Kolkata\n",
        "id,availability,timezone\nm,Mon 09:00-12:00,Europe/London\n",
        date(2026, 1, 7),
    );
    let (a, b) = (
        f.mentees[0].availability.as_ref().unwrap(),
        f.mentors[0].availability.as_ref().unwrap(),
    );
    assert_eq!(overlap(a, b, 1), (90, 90));
    // Monday 00:00-01:00 in Berlin is Sunday 23:00-24:00 UTC: wraps to the end of the UTC week
    // and joins the New York Sunday evening block across nothing.
    let f = features(
        "id,availability,timezone\na,Mon 00:00-02:00,Europe/Berlin\n",
        "id,availability,timezone\nm,Sun 18:00-24:00,America/New_York\n",
        date(2026, 1, 7),
    );
    let (a, b) = (
        f.mentees[0].availability.as_ref().unwrap(),
        f.mentors[0].availability.as_ref().unwrap(),
    );
    // Berlin Mon 00:00-02:00 = Sun 23:00 - Mon 01:00 UTC; New York Sun 18:00-24:00 = Sun 23:00 -
    // Mon 05:00 UTC. One 120-minute block across the week boundary.
    assert_eq!(overlap(a, b, 1), (120, 120));
    assert_eq!(overlap(a, b, 121), (0, 120));
}

#[test]
fn availability_against_meeting_need_and_cadence() {
    // Curves changed deliberately: slots, spread and DST robustness instead of minutes against
    // the need. Tue: a 90-minute common block = starts 10:00, 10:30 (60-minute meeting); Wed: 45
    // minutes, no whole meeting.
    let mentee = "id,availability,timezone\na,Tue 10:00-11:30;Wed 10:00-10:45,UTC\n";
    let mentor = "id,availability,timezone\nm,Tue 10:00-12:00;Wed 10:00-12:00,UTC\n";
    let f = features(mentee, mentor, date(2026, 1, 5));
    let cfg = ScoreConfig::default();
    let expected = 0.45 * (2.0 / 8.0) + 0.30 * (1.0 / 3.0) + 0.25 * (2.0 / 8.0);
    assert!((raw(&f, &cfg)[2].unwrap() - expected).abs() < 1e-12);
    // 30-minute meetings: Tue 10:00, 10:30, 11:00 and Wed 10:00, on two days.
    let short = ScoreConfig {
        meeting_minutes: 30,
        ..ScoreConfig::default()
    };
    let expected = 0.45 * (4.0 / 8.0) + 0.30 * (2.0 / 3.0) + 0.25 * (4.0 / 8.0);
    assert!((raw(&f, &short)[2].unwrap() - expected).abs() < 1e-12);
    // Berlin 15:00-17:00 and New York 09:00-11:00 meet for 2 hours in winter (3 slots), but only
    // 14:00-15:00 UTC is free for both in winter and in summer alike (1 robust slot).
    let f = features(
        "id,availability,timezone\na,Mon 15:00-17:00,Europe/Berlin\n",
        "id,availability,timezone\nm,Mon 09:00-11:00,America/New_York\n",
        date(2026, 1, 5),
    );
    let expected = 0.45 * (3.0 / 8.0) + 0.30 * (1.0 / 3.0) + 0.25 * (1.0 / 8.0);
    assert!((raw(&f, &cfg)[2].unwrap() - expected).abs() < 1e-12);
    let no_tz = features(
        "id,availability\na,Tue 10:00-11:00\n",
        mentor,
        date(2026, 1, 5),
    );
    assert_eq!(raw(&no_tz, &cfg)[2], None);
}

#[test]
fn explanation_adds_up_and_names_missing_information() {
    let f = features(
        "id,goals,skills,languages,level,availability,timezone\na,sql;rust:2,sql:1,en,2,Mon 09:00-10:00,UTC\n",
        "id,goals,skills,languages\nm,rust,rust:5;sql:2,en;fr\n",
        date(2026, 1, 5),
    );
    let w = Weights {
        goals: 0.4,
        skills: 0.3,
        availability: 0.1,
        language: 0.15,
        seniority: 0.05,
        affinity: 0.10,
        preference: 0.15,
        ..Weights::default()
    };
    let cfg = ScoreConfig::default();
    let e = score::explain(&f, 0, 0, "a", "m", &w, &cfg).unwrap();
    let sum = e.components.iter().fold(0.0, |s, c| s + c.contribution);
    assert_eq!(sum, e.score);
    assert_eq!(
        e.score,
        score::pair_score(&f.mentees[0], &f.mentors[0], &w, &cfg)
    );
    let get = |c: Component| e.components.iter().find(|x| x.component == c).unwrap();
    assert_eq!(get(Component::Goals).value, 2.0 / 3.0);
    match &get(Component::Goals).evidence {
        Evidence::Goals(g) => assert_eq!(g.shared, vec![("rust".to_string(), 2.0)]),
        other => panic!("{other:?}"),
    }
    let avail = get(Component::Availability);
    assert_eq!(avail.value, 0.5);
    assert!(avail
        .missing
        .as_deref()
        .unwrap()
        .contains("mentor has no availability slots"));
    assert!(get(Component::Seniority)
        .missing
        .as_deref()
        .unwrap()
        .contains("mentor has no level"));
    match &get(Component::Language).evidence {
        Evidence::Language { shared } => assert_eq!(shared, &vec!["en".to_string()]),
        other => panic!("{other:?}"),
    }
    assert!(get(Component::Language).missing.is_none());
    assert!(serde_json::to_string(&e)
        .unwrap()
        .contains("\"kind\":\"goals\""));
    assert!(score::explain(&f, 1, 0, "x", "m", &w, &cfg).is_none());
}

#[test]
fn weights_and_config_are_validated() {
    assert!(Weights::default().validate().is_ok());
    assert_eq!(Weights::default().as_array().iter().sum::<f64>(), 1.0);
    assert!(Weights {
        goals: f64::NAN,
        ..Weights::default()
    }
    .validate()
    .unwrap_err()
    .to_string()
    .contains("goals"));
    assert!(Weights {
        language: -1.0,
        ..Weights::default()
    }
    .validate()
    .is_err());
    let zero = Weights {
        goals: 0.0,
        skills: 0.0,
        availability: 0.0,
        language: 0.0,
        seniority: 0.0,
        affinity: 0.0,
        preference: 0.0,
        ..Weights::default()
    };
    assert!(zero.validate().is_err());
    assert!(ScoreConfig {
        cadence_weeks: 0,
        ..ScoreConfig::default()
    }
    .validate()
    .is_err());
    assert!(ScoreConfig {
        neutral: 2.0,
        ..ScoreConfig::default()
    }
    .validate()
    .is_err());
    let e = serde_json::from_str::<Weights>("{\"goal\": 1}").unwrap_err();
    assert!(e.to_string().contains("unknown field `goal`"), "{e}");
}
