//! End-to-end matching: hard constraints, pins, unmatched reasons, errors; property tests on
//! random cohorts against a brute-force optimum and the independent audit.

use mentorpair::cohort::{Cohort, Person, Role, Table};
use mentorpair::constraints::{audit, AuditRules};
use mentorpair::io::read_csv;
use mentorpair::matching::{
    match_cohort, score_matrix, MatchConfig, MatchError, Objective, UnmatchedReason,
};
use mentorpair::score::Component;
use proptest::prelude::*;

fn cohort(mentees: &str, mentors: &str) -> Cohort {
    Cohort {
        mentees: read_csv(Role::Mentee, mentees.as_bytes(), &[]).unwrap(),
        mentors: read_csv(Role::Mentor, mentors.as_bytes(), &[]).unwrap(),
    }
}

fn cfg() -> MatchConfig {
    let mut c = MatchConfig::default();
    c.scoring.reference_date = chrono::NaiveDate::from_ymd_opt(2026, 3, 2);
    c
}

#[test]
fn reporting_line_either_direction_and_self_are_excluded() {
    // a reports to boss, boss reports to big; m2 reports to a. "a" is also a mentor id (self).
    let c = cohort(
        "id,manager_id,goals\na,boss,x\nb,,x\n",
        "id,manager_id,goals,capacity\nbig,,x,2\nm2,a,x,2\na,,x,2\nboss,big,x,2\n",
    );
    let m = score_matrix(&c, &cfg()).unwrap();
    let row_a: Vec<bool> = m.scores.row(0).iter().map(|x| x.is_nan()).collect();
    assert_eq!(row_a, vec![true, true, true, true]);
    assert!(m.scores.row(1).iter().all(|x| x.is_finite()));
    let r = match_cohort(&c, &cfg()).unwrap();
    assert!(r.violations.is_empty());
    assert_eq!(r.unmatched.len(), 1);
    assert_eq!(r.unmatched[0].mentee_id, "a");
    assert_eq!(r.unmatched[0].reason, UnmatchedReason::AllExcluded);
    assert!(
        r.unmatched[0].detail.contains("reporting line"),
        "{}",
        r.unmatched[0].detail
    );
}

#[test]
fn manager_cycles_terminate() {
    let c = cohort("id,manager_id\na,b\nx,\n", "id,manager_id\nb,c\nc,a\nd,d\n");
    let m = score_matrix(&c, &cfg()).unwrap();
    // a -> b -> c -> a: a may meet neither b nor c; d manages itself only.
    assert!(m.scores[[0, 0]].is_nan() && m.scores[[0, 1]].is_nan());
    assert!(m.scores[[0, 2]].is_finite() && m.scores[[1, 2]].is_finite());
}

#[test]
fn department_forbid_and_min_score() {
    let c = cohort(
        "id,department,goals\na,eng,x;y\nb,ops,z\n",
        "id,department,goals,capacity\nm,eng,x;y,2\nn,hr,x,2\n",
    );
    let mut conf = cfg();
    conf.exclude_same_department = true;
    conf.forbid = vec![("b".into(), "n".into())];
    let m = score_matrix(&c, &conf).unwrap();
    assert!(m.scores[[0, 0]].is_nan() && m.scores[[1, 1]].is_nan());
    assert!(m.scores[[0, 1]].is_finite() && m.scores[[1, 0]].is_finite());
    // b shares no goal with m: goals component 0, so the score is below a high floor.
    conf.min_score = m.scores[[1, 0]] + 1e-9;
    let r = match_cohort(&c, &conf).unwrap();
    assert!(r.violations.is_empty());
    let b = r.unmatched.iter().find(|u| u.mentee_id == "b").unwrap();
    assert_eq!(b.reason, UnmatchedReason::BelowMinScore);
}

#[test]
fn capacity_and_mentors_wanted() {
    let c = cohort(
        "id,goals,mentors_wanted\na,x;y,2\nb,x,1\nc,q,1\n",
        "id,goals,capacity\nm,x;y,2\nn,x,1\n",
    );
    let r = match_cohort(&c, &cfg()).unwrap();
    assert!(r.violations.is_empty());
    // 3 mentor places for 4 wanted: coverage uses all three; a never gets m twice.
    assert_eq!(r.pairs.len(), 3);
    let mut seen = std::collections::HashSet::new();
    for p in &r.pairs {
        assert!(seen.insert((p.mentee_id.clone(), p.mentor_id.clone())));
    }
    assert_eq!(r.unmatched.len(), 1);
    assert_eq!(r.unmatched[0].reason, UnmatchedReason::CapacityTaken);
    assert_eq!(r.summary.demand, 4);
    assert_eq!(r.summary.capacity, 3);
}

#[test]
fn pins_are_kept_and_checked() {
    let c = cohort("id,goals,manager_id\na,x,\nb,x,m\n", "id,goals\nm,x\nn,y\n");
    let mut conf = cfg();
    conf.pin = vec![("a".into(), "n".into())];
    let r = match_cohort(&c, &conf).unwrap();
    assert!(r.violations.is_empty());
    let pin = r.pairs.iter().find(|p| p.mentee_id == "a").unwrap();
    assert_eq!((pin.mentor_id.as_str(), pin.pinned), ("n", true));
    // b reports to m: pinning them is an error naming the pair.
    conf.pin = vec![("b".into(), "m".into())];
    let e = match_cohort(&c, &conf).unwrap_err();
    assert!(matches!(e, MatchError::PinViolates { .. }), "{e:?}");
    assert!(
        e.to_string().contains("\"b\", \"m\"") && e.to_string().contains("reporting line"),
        "{e}"
    );
    conf.pin = vec![("a".into(), "zz".into())];
    let e = match_cohort(&c, &conf).unwrap_err();
    assert!(e.to_string().contains("no mentor has id \"zz\""), "{e}");
    conf.pin = vec![("a".into(), "m".into()), ("a".into(), "m".into())];
    assert!(match_cohort(&c, &conf).is_err());
}

#[test]
fn empty_tables_give_defined_results() {
    let c = cohort("id\n", "id\nm\n");
    let r = match_cohort(&c, &cfg()).unwrap();
    assert!(r.pairs.is_empty() && r.unmatched.is_empty());
    let c = cohort("id\na\nb\n", "id\n");
    let r = match_cohort(&c, &cfg()).unwrap();
    assert_eq!(r.unmatched.len(), 2);
    assert!(r
        .unmatched
        .iter()
        .all(|u| u.reason == UnmatchedReason::NoMentors));
}

#[test]
fn too_large_problems_are_refused_before_allocating() {
    let mut mentees = Table::new(Role::Mentee);
    mentees.people = (0..300).map(|i| Person::new(format!("e{i}"))).collect();
    let mut mentors = Table::new(Role::Mentor);
    mentors.people = (0..200).map(|i| Person::new(format!("m{i}"))).collect();
    let c = Cohort { mentees, mentors };
    let mut conf = cfg();
    conf.memory_limit_bytes = 512 << 10;
    let e = match_cohort(&c, &conf).unwrap_err();
    assert!(
        matches!(
            e,
            MatchError::TooLarge {
                rows: 300,
                cols: 200,
                ..
            }
        ),
        "{e:?}"
    );
    assert!(e.to_string().contains("300 mentees x 200 mentors"), "{e}");
}

#[test]
fn extra_columns_and_explanations_are_carried() {
    let c = cohort("id,goals,site\na,x,paris\n", "id,goals,room\nm,x,12\n");
    let r = match_cohort(&c, &cfg()).unwrap();
    let p = &r.pairs[0];
    assert_eq!(
        p.mentee_extra.get("site").and_then(|v| v.as_str()),
        Some("paris")
    );
    assert_eq!(
        p.mentor_extra.get("room").and_then(|v| v.as_str()),
        Some("12")
    );
    assert_eq!(p.components[&Component::Goals], 1.0);
    assert_eq!(p.explanation.score, p.score);
    let json = serde_json::to_string(&r).unwrap();
    let back: mentorpair::matching::MatchResult = serde_json::from_str(&json).unwrap();
    assert_eq!(back.pairs.len(), 1);
}

#[test]
fn audit_catches_broken_pairs() {
    let c = cohort(
        "id,manager_id,department\na,m,x\nb,,x\n",
        "id,department,capacity\nm,x,1\n",
    );
    let rules = AuditRules {
        exclude_same_department: true,
        forbid: &[("b".to_string(), "m".to_string())],
        pin: &[("a".to_string(), "zz".to_string())],
        min_score: 0.5,
    };
    let pairs = vec![
        ("a".to_string(), "m".to_string(), 0.9),
        ("b".to_string(), "m".to_string(), 0.1),
    ];
    let v = audit(&c, rules, &pairs);
    let kinds: Vec<&str> = v.iter().map(|v| v.constraint.as_str()).collect();
    for k in [
        "reporting_line",
        "same_department",
        "forbidden",
        "min_score",
        "capacity",
        "pin_missing",
    ] {
        assert!(kinds.contains(&k), "{k} not flagged: {kinds:?}");
    }
}

#[test]
fn same_result_with_one_and_two_threads() {
    let (c, conf) = random_cohort_fixed();
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let two = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    let a = one.install(|| match_cohort(&c, &conf).unwrap());
    let b = two.install(|| match_cohort(&c, &conf).unwrap());
    assert_eq!(a.pairs, b.pairs);
    assert_eq!(a.unmatched, b.unmatched);
}

fn random_cohort_fixed() -> (Cohort, MatchConfig) {
    let mut mentees =
        String::from("id,goals,languages,level,department,manager_id,mentors_wanted\n");
    let mut mentors = String::from("id,goals,languages,level,department,manager_id,capacity\n");
    for i in 0..40 {
        mentees.push_str(&format!(
            "e{i},g{};h{},l{},{},d{},m{},{}\n",
            i % 5,
            i % 3,
            i % 2,
            i % 4,
            i % 3,
            i % 7,
            1 + i % 2
        ));
    }
    for j in 0..15 {
        mentors.push_str(&format!(
            "m{j},g{};g{},l{},{},d{},,{}\n",
            j % 5,
            (j + 1) % 5,
            j % 3,
            2 + j % 4,
            j % 4,
            1 + j % 3
        ));
    }
    (cohort(&mentees, &mentors), {
        let mut c = cfg();
        c.exclude_same_department = true;
        c
    })
}

// ---------------------------------------------------------------------------------------------
// Property tests on random tiny cohorts.

/// (id, manager, department, capacity, goals, level, zone, hour) drawn by proptest.
type RawPerson = (
    String,
    Option<usize>,
    Option<usize>,
    u32,
    Vec<usize>,
    Option<i32>,
    Option<usize>,
    u32,
);

const TAGS: [&str; 4] = ["a", "b", "c", "d"];
const ZONES: [&str; 3] = ["Europe/Berlin", "America/New_York", "Asia/Kolkata"];

fn arb_person(prefix: &'static str) -> impl Strategy<Value = RawPerson> {
    (
        0usize..6,
        prop::option::of(0usize..8),
        prop::option::of(0usize..2),
        prop_oneof![1 => Just(0u32), 5 => 1u32..3],
        prop::collection::vec(0usize..4, 0..3),
        prop::option::of(1i32..5),
        prop::option::of(0usize..3),
        0u32..8,
    )
        .prop_map(move |(id, mgr, dept, cap, goals, level, zone, hour)| {
            (
                format!("{prefix}{id}"),
                mgr,
                dept,
                cap,
                goals,
                level,
                zone,
                hour,
            )
        })
}

fn person_from(t: RawPerson) -> Person {
    let (id, mgr, dept, cap, goals, level, zone, hour) = t;
    let mut p = Person::new(id);
    // Manager ids point into either table or to nobody ("p" ids are shared by both tables).
    p.manager_id = mgr.map(|m| {
        if m < 4 {
            format!("p{m}")
        } else {
            format!("x{m}")
        }
    });
    p.department = dept.map(|d| format!("d{d}"));
    p.capacity = cap;
    let mut seen = std::collections::BTreeSet::new();
    p.goals = goals
        .into_iter()
        .filter(|g| seen.insert(*g))
        .map(|g| mentorpair::cohort::Goal {
            tag: TAGS[g].to_string(),
            weight: 1.0 + g as f64,
        })
        .collect();
    p.skills = p
        .goals
        .iter()
        .map(|g| mentorpair::cohort::Skill {
            name: g.tag.clone(),
            level: 1 + (hour % 5) as u8,
        })
        .collect();
    p.level = level;
    p.timezone = zone.map(|z| ZONES[z].to_string());
    p.availability = vec![mentorpair::cohort::Slot {
        day: mentorpair::cohort::Weekday::Tue,
        start: (8 + hour as u16) * 60,
        end: (10 + hour as u16) * 60,
    }];
    p.languages = if hour % 3 == 0 {
        vec![]
    } else {
        vec![format!("l{}", hour % 2)]
    };
    p
}

fn dedup(mut people: Vec<Person>) -> Vec<Person> {
    let mut seen = std::collections::HashSet::new();
    people.retain(|p| seen.insert(p.id.clone()));
    people
}

fn arb_case() -> impl Strategy<Value = (Cohort, MatchConfig)> {
    (
        prop::collection::vec(
            prop_oneof![1 => arb_person("p"), 2 => arb_person("e")],
            1..6,
        ),
        prop::collection::vec(
            prop_oneof![1 => arb_person("p"), 2 => arb_person("m")],
            1..4,
        ),
        prop::sample::select(vec![0.0, 0.0, 0.3, 0.45, 0.55]),
        any::<bool>(),
        any::<bool>(),
        prop::option::of((0usize..4, 0usize..3)),
    )
        .prop_map(|(a, b, min_score, dept, coverage, forbid)| {
            let mut mentees = Table::new(Role::Mentee);
            mentees.people = dedup(a.into_iter().map(person_from).collect());
            let mut mentors = Table::new(Role::Mentor);
            mentors.people = dedup(b.into_iter().map(person_from).collect());
            let forbid = forbid
                .and_then(|(i, j)| {
                    Some((
                        mentees.people.get(i)?.id.clone(),
                        mentors.people.get(j)?.id.clone(),
                    ))
                })
                .into_iter()
                .collect();
            let mut conf = cfg();
            conf.min_score = min_score;
            conf.exclude_same_department = dept;
            conf.forbid = forbid;
            conf.objective = if coverage {
                Objective::Coverage
            } else {
                Objective::Score
            };
            (Cohort { mentees, mentors }, conf)
        })
}

/// The best (pairs, total) by exhaustive search over subsets of allowed pairs.
fn brute_force(
    scores: &ndarray::Array2<f64>,
    rows: &[u32],
    cols: &[u32],
    coverage: bool,
) -> (usize, f64) {
    let edges: Vec<(usize, usize, f64)> = scores
        .indexed_iter()
        .filter(|(_, s)| s.is_finite())
        .map(|((i, j), s)| (i, j, *s))
        .collect();
    let mut best = (0usize, 0.0f64);
    for mask in 0u32..(1u32 << edges.len()) {
        let (mut r, mut c) = (rows.to_vec(), cols.to_vec());
        let (mut n, mut s, mut ok) = (0usize, 0.0, true);
        for (k, &(i, j, w)) in edges.iter().enumerate() {
            if mask >> k & 1 == 1 {
                if r[i] == 0 || c[j] == 0 {
                    ok = false;
                    break;
                }
                r[i] -= 1;
                c[j] -= 1;
                n += 1;
                s += w;
            }
        }
        if !ok {
            continue;
        }
        let better = if coverage {
            n > best.0 || (n == best.0 && s > best.1 + 1e-12)
        } else {
            s > best.1 + 1e-12
        };
        if better {
            best = (n, s);
        }
    }
    best
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 192, ..ProptestConfig::default() })]

    #[test]
    fn no_hard_constraint_is_ever_broken_and_the_optimum_is_reached((c, conf) in arb_case()) {
        let r = match_cohort(&c, &conf).unwrap();
        prop_assert!(r.violations.is_empty(), "{:?}", r.violations);
        // A second, test-local check of what the audit covers most simply.
        for p in &r.pairs {
            prop_assert!(p.mentee_id != p.mentor_id);
            prop_assert!(p.score >= conf.min_score);
            prop_assert!(!conf.forbid.contains(&(p.mentee_id.clone(), p.mentor_id.clone())));
            // Components x weights add up to the score exactly.
            let sum = p.explanation.components.iter().fold(0.0, |s, x| s + x.value * x.weight);
            prop_assert_eq!(sum, p.score);
            for x in &p.explanation.components {
                prop_assert!((0.0..=1.0).contains(&x.value));
            }
        }
        let m = score_matrix(&c, &conf).unwrap();
        let rows: Vec<u32> = c.mentees.people.iter().map(|p| p.capacity).collect();
        let cols: Vec<u32> = c.mentors.people.iter().map(|p| p.capacity).collect();
        let (n, s) = brute_force(&m.scores, &rows, &cols, conf.objective == Objective::Coverage);
        let total: f64 = r.pairs.iter().map(|p| p.score).sum();
        prop_assert!((total - s).abs() < 1e-9, "total {} vs optimum {}", total, s);
        if conf.objective == Objective::Coverage {
            prop_assert_eq!(r.pairs.len(), n);
        }
        // Every mentee short of mentors has a reason; every other mentee is full.
        for (i, p) in c.mentees.people.iter().enumerate() {
            let got = r.pairs.iter().filter(|x| x.mentee_id == p.id).count() as u32;
            let listed = r.unmatched.iter().any(|u| u.mentee_id == p.id);
            prop_assert_eq!(listed, got < rows[i]);
        }
    }
}

#[test]
fn protected_values_cannot_change_anything() {
    let mentees = "id,goals,languages,level,gender\ne1,x;y,en,1,f\ne2,x,en,2,m\ne3,y,de,1,x\n";
    let mentors = "id,goals,languages,level,capacity,gender\nm1,x,en,3,1,m\nm2,y;x,de,4,1,f\n";
    let prot = vec!["gender".to_string()];
    let read = |a: &str, b: &str| Cohort {
        mentees: read_csv(Role::Mentee, a.as_bytes(), &prot).unwrap(),
        mentors: read_csv(Role::Mentor, b.as_bytes(), &prot).unwrap(),
    };
    let base = match_cohort(&read(mentees, mentors), &cfg()).unwrap();
    let relabelled = match_cohort(
        &read(
            &mentees.replace(",f\n", ",q\n").replace(",m\n", ",f\n"),
            &mentors.replace(",m\n", ",z\n"),
        ),
        &cfg(),
    )
    .unwrap();
    assert_eq!(base.pairs, relabelled.pairs);
    assert_eq!(base.unmatched, relabelled.unmatched);
    assert!(base
        .pairs
        .iter()
        .all(|p| !p.mentee_extra.contains_key("gender")));
}
