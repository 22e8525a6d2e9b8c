//! Metamorphic proof that protected attributes never reach a score: shuffling protected values
//! across participants, or renaming them, leaves the matching and every score bit-identical.
//! With mentee shared-background requests, only the affinity component may change.

use mentorpair::cohort::{Cohort, Goal, Person, Role, Skill, Slot, Table, Weekday};
use mentorpair::fairness::Fairness;
use mentorpair::matching::{explain_pair, match_cohort, score_matrix, MatchConfig, MatchResult};
use mentorpair::score::Component;
use proptest::prelude::*;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const TAGS: [&str; 6] = ["python", "leadership", "sql", "design", "writing", "ml"];
const ZONES: [&str; 3] = ["Europe/Berlin", "Asia/Kolkata", "America/Sao_Paulo"];
const GENDERS: [&str; 3] = ["female", "male", "non-binary"];
const AGES: [&str; 3] = ["20s", "30s", "40s"];

fn person(rng: &mut ChaCha8Rng, id: String, role: Role, n_other: usize) -> Person {
    let mut p = Person::new(id);
    for _ in 0..rng.random_range(1..=3) {
        let tag = TAGS[rng.random_range(0..TAGS.len())].to_string();
        if !p.goals.iter().any(|g| g.tag == tag) {
            p.goals.push(Goal {
                tag,
                weight: f64::from(rng.random_range(1..=2u8)),
            });
        }
    }
    for _ in 0..rng.random_range(0..=3) {
        let name = TAGS[rng.random_range(0..TAGS.len())].to_string();
        if !p.skills.iter().any(|s| s.name == name) {
            p.skills.push(Skill {
                name,
                level: rng.random_range(1..=5),
            });
        }
    }
    if rng.random_bool(0.85) {
        p.timezone = Some(ZONES[rng.random_range(0..ZONES.len())].to_string());
        for _ in 0..rng.random_range(1..=2) {
            let start = rng.random_range(14..=34u16) * 30;
            p.availability.push(Slot {
                day: Weekday::ALL[rng.random_range(0..5)],
                start,
                end: start + rng.random_range(2..=6u16) * 30,
            });
        }
    }
    p.languages = ["en", "de", "pt"]
        .iter()
        .filter(|_| rng.random_bool(0.5))
        .map(|s| s.to_string())
        .collect();
    p.level = rng.random_bool(0.9).then(|| rng.random_range(1..=7));
    p.department = Some(["eng", "ops", "hr"][rng.random_range(0..3)].to_string());
    if rng.random_bool(0.3) && n_other > 0 {
        let k = rng.random_range(0..n_other);
        p.manager_id = Some(match role {
            Role::Mentee => format!("t{k}"),
            Role::Mentor => format!("e{k}"),
        });
    }
    p.capacity = match role {
        Role::Mentee => rng.random_range(1..=2),
        Role::Mentor => rng.random_range(1..=3),
    };
    p
}

fn table(rng: &mut ChaCha8Rng, role: Role, n: usize, n_other: usize) -> Table {
    let mut t = Table::new(role);
    t.protected.columns = vec!["gender".into(), "age_band".into()];
    let prefix = if role == Role::Mentee { "e" } else { "t" };
    for i in 0..n {
        t.people
            .push(person(rng, format!("{prefix}{i}"), role, n_other));
        let pick = |rng: &mut ChaCha8Rng, vals: &[&str]| {
            rng.random_bool(0.9)
                .then(|| vals[rng.random_range(0..vals.len())].to_string())
        };
        let row = vec![pick(rng, &GENDERS), pick(rng, &AGES)];
        t.protected.values.push(row);
    }
    t
}

fn random_cohort(seed: u64, n_mentees: usize, n_mentors: usize) -> Cohort {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    Cohort {
        mentees: table(&mut rng, Role::Mentee, n_mentees, n_mentors),
        mentors: table(&mut rng, Role::Mentor, n_mentors, n_mentees),
    }
}

fn config(fairness: Option<Fairness>) -> MatchConfig {
    let mut c = MatchConfig::default();
    c.scoring.reference_date = chrono::NaiveDate::from_ymd_opt(2026, 11, 23);
    c.fairness = fairness;
    c
}

/// Shuffle protected rows across the people of each table.
fn shuffled(c: &Cohort, seed: u64) -> Cohort {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5eed);
    let mut out = c.clone();
    out.mentees.protected.values.shuffle(&mut rng);
    out.mentors.protected.values.shuffle(&mut rng);
    out
}

/// Rename every protected value by a bijection (and swap two labels outright).
fn relabelled(c: &Cohort) -> Cohort {
    let rename = |v: &mut Option<String>| {
        if let Some(s) = v {
            *s = match s.as_str() {
                "female" => "male".to_string(),
                "male" => "female".to_string(),
                other => format!("group-{}", other.chars().rev().collect::<String>()),
            };
        }
    };
    let mut out = c.clone();
    for t in [&mut out.mentees, &mut out.mentors] {
        t.protected.values.iter_mut().flatten().for_each(rename);
    }
    out
}

/// One pair with its floats as bits: ids, score, components, pinned.
type PairBits = (String, String, u64, Vec<(Component, u64)>, bool);

/// Everything of a result that a protected value could influence, with floats as bits.
fn fingerprint(r: &MatchResult) -> Vec<PairBits> {
    r.pairs
        .iter()
        .map(|p| {
            (
                p.mentee_id.clone(),
                p.mentor_id.clone(),
                p.score.to_bits(),
                p.components
                    .iter()
                    .map(|(c, v)| (c.clone(), v.to_bits()))
                    .collect(),
                p.pinned,
            )
        })
        .collect()
}

fn assert_same(a: &MatchResult, b: &MatchResult) {
    assert_eq!(fingerprint(a), fingerprint(b));
    assert_eq!(a.unmatched, b.unmatched);
    assert_eq!(
        a.summary.total_score.to_bits(),
        b.summary.total_score.to_bits()
    );
    for (x, y) in a.pairs.iter().zip(&b.pairs) {
        assert_eq!(x.explanation, y.explanation);
    }
}

fn bits(c: &Cohort, cfg: &MatchConfig) -> Vec<u64> {
    let m = score_matrix(c, cfg).unwrap();
    m.scores.iter().map(|x| x.to_bits()).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn protected_values_never_reach_a_score(seed: u64, n in 2usize..16, m in 1usize..8, maximin: bool) {
        let c = random_cohort(seed, n, m);
        let cfg = config(maximin.then_some(Fairness::Maximin));
        let base = match_cohort(&c, &cfg).unwrap();
        prop_assert!(base.violations.is_empty());
        let s = shuffled(&c, seed);
        assert_same(&base, &match_cohort(&s, &cfg).unwrap());
        assert_same(&base, &match_cohort(&relabelled(&c), &cfg).unwrap());
        prop_assert_eq!(bits(&c, &cfg), bits(&s, &cfg));
    }

    #[test]
    fn with_affinity_requests_only_the_affinity_component_moves(seed: u64, n in 2usize..10, m in 1usize..6) {
        let mut c = random_cohort(seed, n, m);
        for (i, p) in c.mentees.people.iter_mut().enumerate() {
            if i % 2 == 0 {
                p.shared_background = vec!["gender".into()];
            }
        }
        let cfg = config(None);
        let s = shuffled(&c, seed);
        for a in &c.mentees.people {
            for b in &c.mentors.people {
                let x = explain_pair(&c, &cfg, &a.id, &b.id).unwrap().explanation;
                let y = explain_pair(&s, &cfg, &a.id, &b.id).unwrap().explanation;
                prop_assert_eq!(x.components.len(), y.components.len());
                for (u, v) in x.components.iter().zip(&y.components) {
                    prop_assert_eq!(&u.component, &v.component);
                    if u.component != Component::Affinity {
                        prop_assert_eq!(u, v);
                    }
                }
                // The totals differ exactly by the change of the affinity contribution.
                let aff = |e: &mentorpair::score::Explanation| e
                    .components
                    .iter()
                    .find(|k| k.component == Component::Affinity)
                    .map_or(0.0, |k| k.contribution);
                if aff(&x) == aff(&y) {
                    prop_assert_eq!(x.score.to_bits(), y.score.to_bits());
                }
            }
        }
    }
}

#[test]
fn mentors_cannot_ask_for_a_shared_background() {
    let mut c = random_cohort(3, 4, 3);
    c.mentors.people[1].shared_background = vec!["gender".into()];
    let err = match_cohort(&c, &config(None)).unwrap_err().to_string();
    assert!(
        err.contains("mentor 't1'") && err.contains("only mentees"),
        "{err}"
    );
}

#[test]
fn the_affinity_component_does_react_to_the_requested_attribute() {
    let mut c = random_cohort(11, 8, 5);
    for p in &mut c.mentees.people {
        p.shared_background = vec!["gender".into()];
    }
    let cfg = config(None);
    let s = shuffled(&c, 11);
    let mut changed = 0;
    for (i, a) in c.mentees.people.iter().enumerate() {
        for (j, b) in c.mentors.people.iter().enumerate() {
            let x = explain_pair(&c, &cfg, &a.id, &b.id).unwrap().explanation;
            let y = explain_pair(&s, &cfg, &a.id, &b.id).unwrap().explanation;
            let aff = |e: &mentorpair::score::Explanation| {
                e.components
                    .iter()
                    .find(|k| k.component == Component::Affinity)
                    .map(|k| k.value)
            };
            // Independent oracle: 1 exactly when both genders are known and equal.
            let (g1, g2) = (
                &c.mentees.protected.values[i][0],
                &c.mentors.protected.values[j][0],
            );
            let expected = if g1.is_some() && g1 == g2 { 1.0 } else { 0.0 };
            assert_eq!(aff(&x), Some(expected));
            changed += usize::from(aff(&x) != aff(&y));
        }
    }
    assert!(
        changed > 0,
        "shuffling genders should move some affinity values"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// The fairness-aware solves keep every hard constraint of the plain match (checked by the
    /// independent post-solve audit and by recounting capacities here) and its coverage.
    #[test]
    fn fair_solves_keep_the_hard_constraints(seed: u64, n in 2usize..16, m in 1usize..8, same_dept: bool, tol in 0.0f64..0.1) {
        let c = random_cohort(seed, n, m);
        let mut cfg = config(None);
        cfg.exclude_same_department = same_dept;
        cfg.min_score = 0.2;
        cfg.forbid = vec![(c.mentees.people[0].id.clone(), c.mentors.people[0].id.clone())];
        let plain = match_cohort(&c, &cfg).unwrap();
        for fairness in [
            Fairness::GroupFloor { by: vec!["gender".into()], tolerance: tol, rate_parity: false },
            Fairness::GroupFloor { by: vec!["gender".into(), "age_band".into()], tolerance: tol, rate_parity: true },
            Fairness::Maximin,
        ] {
            cfg.fairness = Some(fairness);
            let r = match_cohort(&c, &cfg).unwrap();
            prop_assert!(r.violations.is_empty(), "{:?}", r.violations);
            prop_assert!(r.pairs.len() >= plain.pairs.len());
            prop_assert!(r.summary.total_score <= plain.summary.total_score + 1e-9);
            for t in &c.mentors.people {
                let load = r.pairs.iter().filter(|p| p.mentor_id == t.id).count();
                prop_assert!(load <= t.capacity as usize);
            }
            for e in &c.mentees.people {
                let got = r.pairs.iter().filter(|p| p.mentee_id == e.id).count();
                prop_assert!(got <= e.capacity as usize);
            }
            prop_assert!(r.pairs.iter().all(|p| p.score >= 0.2));
            prop_assert!(!r.pairs.iter().any(|p| (p.mentee_id.as_str(), p.mentor_id.as_str()) == (cfg.forbid[0].0.as_str(), cfg.forbid[0].1.as_str())));
            prop_assert!(r.fairness.is_some());
        }
    }
}
