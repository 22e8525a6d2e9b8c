//! Graded components, normalised totals, programme criteria and rules, and the participants' own
//! wishes: property tests and the bad-input cases, each error naming table, row and column.

use mentorpair::cohort::{Cohort, Role};
use mentorpair::constraints::{audit_wishes, WishRules};
use mentorpair::criteria::Criterion;
use mentorpair::io::read_csv;
use mentorpair::matching::{explain_pair, match_cohort, score_matrix, MatchConfig, MatchError};
use mentorpair::score::{Component, Evidence};
use mentorpair::synthetic::{generate, CohortSpec};
use mentorpair::wishes::PreferenceMode;
use proptest::prelude::*;

fn cohort(mentees: &str, mentors: &str) -> Cohort {
    let prot = ["gender".to_string()];
    Cohort {
        mentees: read_csv(Role::Mentee, mentees.as_bytes(), &prot).unwrap(),
        mentors: read_csv(Role::Mentor, mentors.as_bytes(), &prot).unwrap(),
    }
}

fn cfg() -> MatchConfig {
    let mut c = MatchConfig::default();
    c.scoring.reference_date = chrono::NaiveDate::from_ymd_opt(2026, 3, 2);
    c
}

fn score(c: &Cohort, conf: &MatchConfig, i: usize, j: usize) -> f64 {
    score_matrix(c, conf).unwrap().scores[[i, j]]
}

const MENTEE: &str = "id,goals,skills,languages,level,availability,timezone\na,sql;python,sql:1;python:2,en,2,Mon 09:00-12:00;Wed 09:00-12:00,UTC\n";

fn mentor_row(id: &str, level: i32, langs: &str) -> String {
    format!("{id},sql;python,sql:3;python:4,{langs},{level},Mon 09:00-12:00;Wed 09:00-12:00,UTC\n")
}

#[test]
fn sweet_spot_beats_a_much_more_senior_mentor() {
    let head = "id,goals,skills,languages,level,availability,timezone\n";
    let mentors = format!(
        "{head}{}{}{}",
        mentor_row("near", 3, "en"),
        mentor_row("far", 9, "en"),
        mentor_row("peer", 2, "en")
    );
    let c = cohort(MENTEE, &mentors);
    let conf = cfg();
    let (near, far, peer) = (
        score(&c, &conf, 0, 0),
        score(&c, &conf, 0, 1),
        score(&c, &conf, 0, 2),
    );
    assert!(near > far && far > peer, "{near} {far} {peer}");
    // Reverse mentoring turns the direction around: the junior mentor wins.
    let mut rev = cfg();
    rev.scoring.reverse_mentoring = true;
    let mentors = format!(
        "{head}{}{}",
        mentor_row("senior", 3, "en"),
        mentor_row("junior", 1, "en")
    );
    let c = cohort(MENTEE, &mentors);
    assert!(score(&c, &rev, 0, 1) > score(&c, &rev, 0, 0));
}

#[test]
fn totals_are_normalised_with_affinity_and_preference_and_explanations_add_up() {
    let mentees =
        "id,goals,languages,shared_background,gender,preferred_mentors\na,sql,en,gender,f,m2;m1\n";
    let mentors = "id,goals,languages,gender\nm1,sql,en,f\nm2,sql,en,f\n";
    let c = cohort(mentees, mentors);
    let m = score_matrix(&c, &cfg()).unwrap();
    assert!(m.scores.iter().all(|s| (0.0..=1.0).contains(s)));
    let r = explain_pair(&c, &cfg(), "a", "m2").unwrap().explanation;
    let sum: f64 = r.components.iter().map(|x| x.contribution).sum();
    assert!((sum - r.score).abs() < 1e-12);
    assert!((r.score - m.scores[[0, 1]]).abs() < 1e-12);
    assert_eq!(r.match_percent, (r.score * 100.0).round() as u32);
    let pref = r
        .components
        .iter()
        .find(|x| x.component == Component::Preference)
        .unwrap();
    match &pref.evidence {
        Evidence::Preference(p) => assert_eq!(p.note, "your 1st choice"),
        other => panic!("{other:?}"),
    }
    let second = explain_pair(&c, &cfg(), "a", "m1").unwrap().explanation;
    let text = serde_json::to_string(&second).unwrap();
    assert!(text.contains("your 2nd choice"), "{text}");
}

#[test]
fn a_feasible_first_choice_wins_a_near_tie() {
    // m1 is slightly better on the built-in components (a shared second language counts the
    // same, so make m1 one level nearer the sweet spot), but m2 is the mentee's first choice.
    let head = "id,goals,skills,languages,level,availability,timezone\n";
    let mentors = format!(
        "{head}{}{}",
        mentor_row("m1", 3, "en"),
        mentor_row("m2", 5, "en")
    );
    let mentee = MENTEE
        .replace("id,goals", "id,preferred_mentors,goals")
        .replace("\na,", "\na,m2,");
    let c = cohort(&mentee, &mentors);
    let mut plain = cfg();
    plain.weights.preference = 0.0;
    assert!(score(&c, &plain, 0, 0) > score(&c, &plain, 0, 1));
    let r = match_cohort(&c, &cfg()).unwrap();
    assert_eq!(r.pairs[0].mentor_id, "m2");
    // Infeasible first choice (avoided by a rule): the second best is taken instead.
    let mut must = cfg();
    must.forbid = vec![("a".into(), "m2".into())];
    assert_eq!(match_cohort(&c, &must).unwrap().pairs[0].mentor_id, "m1");
    // preferences = must: only listed mentors.
    let mut only = cfg();
    only.preferences = PreferenceMode::Must;
    only.forbid = vec![("a".into(), "m2".into())];
    assert!(match_cohort(&c, &only).unwrap().pairs.is_empty());
}

#[test]
fn criteria_soft_and_must_with_reasons_and_audit() {
    let mentees = "id,goals,location,business_unit,tenure\na,sql,berlin,u1,2\nb,sql,paris,u2,5\n";
    let mentors = "id,goals,location,business_unit,tenure,capacity\nm1,sql,berlin,u1,9,2\nm2,sql,paris,u1,3,2\n";
    let c = cohort(mentees, mentors);
    let mut conf = cfg();
    conf.criteria = vec![
        Criterion::prefer("location", "same", 0.3),
        Criterion::must("business_unit", "different"),
    ];
    let m = score_matrix(&c, &conf).unwrap();
    // a (u1) may only have mentors outside u1: none; b (u2) may have both, prefers paris.
    assert!(m.scores[[0, 0]].is_nan() && m.scores[[0, 1]].is_nan());
    assert!(m.scores[[1, 1]] > m.scores[[1, 0]]);
    let r = match_cohort(&c, &conf).unwrap();
    assert_eq!(r.pairs.len(), 1);
    assert_eq!(
        (r.pairs[0].mentee_id.as_str(), r.pairs[0].mentor_id.as_str()),
        ("b", "m2")
    );
    assert!(r.pairs[0]
        .components
        .contains_key(&Component::Custom("location".into())));
    assert!(
        r.unmatched[0].detail.contains("programme rule"),
        "{}",
        r.unmatched[0].detail
    );
    assert!(r.violations.is_empty());
    // The audit re-checks the rule from the raw columns.
    let forged = [("a".to_string(), "m1".to_string(), 0.5)];
    let rules = WishRules {
        criteria: &conf.criteria,
        preferred_only: false,
    };
    let v = audit_wishes(&c, rules, &forged);
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].constraint, "programme_rule");
    // Numeric rule: mentor at least 3 ahead in tenure.
    let mut ahead = cfg();
    ahead.criteria = vec![Criterion {
        by: Some(3.0),
        ..Criterion::must("tenure", "ahead")
    }];
    let m = score_matrix(&c, &ahead).unwrap();
    assert!(m.scores[[0, 0]].is_finite() && m.scores[[0, 1]].is_nan());
    assert!(m.scores[[1, 0]].is_finite() && m.scores[[1, 1]].is_nan());
    // Soft kinds: closeness and overlap are graded.
    let mut soft = cfg();
    soft.criteria = vec![Criterion {
        scale: Some(10.0),
        ..Criterion::prefer("tenure", "closeness", 0.5)
    }];
    let e = explain_pair(&c, &soft, "a", "m2").unwrap().explanation;
    let v = e
        .components
        .iter()
        .find(|x| x.component.name() == "tenure")
        .unwrap();
    assert!((v.value - 0.9).abs() < 1e-12);
}

fn err(c: &Cohort, conf: &MatchConfig) -> String {
    match match_cohort(c, conf) {
        Err(e) => e.to_string(),
        Ok(_) => panic!("expected an error"),
    }
}

#[test]
fn bad_criteria_are_refused_with_a_clear_error() {
    let mentees = "id,goals,location,gender\na,sql,berlin,f\n";
    let mentors = "id,goals,location,gender\nm1,sql,berlin,f\nm2,sql,x7,m\n";
    let c = cohort(mentees, mentors);
    let with = |crit: Criterion| {
        let mut k = cfg();
        k.criteria = vec![crit];
        err(&c, &k)
    };
    let e = with(Criterion::prefer("city", "same", 0.1));
    assert!(
        e.contains("criteria[0] on column `city`") && e.contains("neither table"),
        "{e}"
    );
    let e = with(Criterion::prefer("gender", "different", 0.1));
    assert!(e.contains("protected"), "{e}");
    let e = with(Criterion::must("gender", "different"));
    assert!(e.contains("protected"), "{e}");
    let e = with(Criterion::prefer("location", "near", 0.1));
    assert!(e.contains("unknown kind `near`"), "{e}");
    let e = with(Criterion::prefer("location", "same", -0.5));
    assert!(e.contains("weight is -0.5"), "{e}");
    let e = with(Criterion::prefer("location", "same", f64::NAN));
    assert!(e.contains("weight is NaN"), "{e}");
    let e = with(Criterion::must("location", "ahead"));
    assert!(
        e.contains("mentees row 1")
            && e.contains("column `location`")
            && e.contains("not a number"),
        "{e}"
    );
    let e = with(Criterion::must("location", "overlap"));
    assert!(e.contains("no hard form"), "{e}");
}

#[test]
fn bad_wishes_are_refused_naming_table_row_and_column() {
    let mentors = "id,goals,declined_mentees\nm1,sql,\nm2,sql,\n";
    let case = |mentees: &str, mentors: &str| err(&cohort(mentees, mentors), &cfg());
    let e = case("id,goals,preferred_mentors\na,sql,m1\nb,sql,m9\n", mentors);
    assert!(
        e.contains("mentees row 2") && e.contains("`preferred_mentors`") && e.contains("m9"),
        "{e}"
    );
    let e = case("id,goals,avoid_mentors\nm1,sql,m1\n", mentors);
    assert!(e.contains("themself"), "{e}");
    let e = case(
        "id,goals,preferred_mentors,avoid_mentors\na,sql,m1;m2,m2\n",
        mentors,
    );
    assert!(
        e.contains("both preferred and avoided") && e.contains("`avoid_mentors`"),
        "{e}"
    );
    let e = case(
        "id,goals\na,sql\n",
        "id,goals,declined_mentees\nm1,sql,female\n",
    );
    assert!(
        e.contains("mentors row 1") && e.contains("`declined_mentees`") && e.contains("by id only"),
        "{e}"
    );
    let e = case("id,goals,target_skills\na,sql,sql:9\n", mentors);
    assert!(e.contains("`target_skills`") && e.contains("1 to 5"), "{e}");
    assert!(matches!(
        match_cohort(
            &cohort("id,goals,target_skills\na,sql,sql\n", mentors),
            &cfg()
        ),
        Err(MatchError::Wish(_))
    ));
}

#[test]
fn target_levels_shape_the_skill_credit() {
    let mentors = "id,skills\nm1,sql:3\nm2,sql:5\n";
    // Aiming for level 3: m1 reaches the step; m2 is beyond it (diminishing returns).
    let c = cohort(
        "id,goals,skills,target_skills\na,sql,sql:1,sql:3\n",
        mentors,
    );
    let e1 = explain_pair(&c, &cfg(), "a", "m1").unwrap().explanation;
    let e2 = explain_pair(&c, &cfg(), "a", "m2").unwrap().explanation;
    let skill = |e: &mentorpair::score::Explanation| {
        e.components
            .iter()
            .find(|x| x.component == Component::Skills)
            .unwrap()
            .value
    };
    assert!((skill(&e1) - 0.8).abs() < 1e-12);
    assert!((skill(&e2) - (0.8 + 0.2 * 0.75)).abs() < 1e-12);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Improving a mentor on any one component (a goal, a skill level, a language, more free
    /// time, a level nearer the sweet spot) never lowers any mentee's score with that mentor.
    #[test]
    fn improving_a_mentor_never_lowers_the_score(seed in 0u64..1000, which in 0usize..5, j in 0usize..8) {
        let mut c = generate(&CohortSpec::new(12, 8).seed(seed)).unwrap();
        let conf = cfg();
        let before = score_matrix(&c, &conf).unwrap().scores;
        let mentee_goal = c.mentees.people[0].goals.first().map(|g| g.tag.clone());
        let p = &mut c.mentors.people[j];
        match which {
            0 => if let Some(tag) = mentee_goal {
                if !p.goals.iter().any(|g| g.tag == tag) {
                    p.goals.push(mentorpair::cohort::Goal { tag, weight: 1.0 });
                }
            },
            1 => if let Some(s) = p.skills.first_mut() { s.level = (s.level + 1).min(5) },
            2 if !p.languages.iter().any(|l| l == "english") => p.languages.push("english".into()),
            3 => p.availability.push(mentorpair::cohort::Slot {
                day: mentorpair::cohort::Weekday::Tue, start: 8 * 60, end: 18 * 60 }),
            _ => {}
        }
        let after = score_matrix(&c, &conf).unwrap().scores;
        for i in 0..before.nrows() {
            let (x, y) = (before[[i, j]], after[[i, j]]);
            if x.is_finite() && y.is_finite() {
                prop_assert!(y >= x - 1e-12, "component {which}: {x} -> {y} for mentee {i}");
            }
        }
    }

    /// Avoided and declined pairs are never matched, and the audit agrees.
    #[test]
    fn avoided_and_declined_pairs_are_never_matched(seed in 0u64..1000) {
        let spec = CohortSpec {
            avoid_share: 0.6,
            decline_share: 0.6,
            preference_share: 0.5,
            ..CohortSpec::new(30, 12).seed(seed)
        };
        let c = generate(&spec).unwrap();
        let r = match_cohort(&c, &cfg()).unwrap();
        prop_assert!(r.violations.is_empty(), "{:?}", r.violations);
        let listed = |p: &mentorpair::cohort::Person, col: &str, id: &str| {
            p.extra
                .get(col)
                .and_then(|v| v.as_str())
                .is_some_and(|v| v.split(';').any(|x| x == id))
        };
        for pair in &r.pairs {
            let a = c.mentees.people.iter().find(|p| p.id == pair.mentee_id).unwrap();
            let b = c.mentors.people.iter().find(|p| p.id == pair.mentor_id).unwrap();
            prop_assert!(!listed(a, "avoid_mentors", &b.id));
            prop_assert!(!listed(b, "declined_mentees", &a.id));
        }
    }
}

#[test]
fn the_default_synthetic_cohort_discriminates() {
    let c = generate(&CohortSpec::new(1000, 400).seed(7)).unwrap();
    let r = match_cohort(&c, &cfg()).unwrap();
    let top = r.pairs.iter().filter(|p| p.score >= 0.999).count();
    assert!(!r.pairs.is_empty());
    assert!(
        (top as f64) < 0.05 * r.pairs.len() as f64,
        "{top} of {}",
        r.pairs.len()
    );
    assert!(r.pairs.iter().all(|p| (0.0..=1.0).contains(&p.score)));
    for col in [
        "location",
        "business_unit",
        "target_skills",
        "preferred_mentors",
    ] {
        assert!(
            c.mentees.people.iter().any(|p| p.extra.contains_key(col)),
            "{col}"
        );
    }
}
