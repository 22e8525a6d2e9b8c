//! The synthetic cohort generator: determinism, realistic shape, and that each knob moves the
//! statistic it is meant to move.

use std::collections::{HashMap, HashSet};

use mentorpair::cohort::{Cohort, Table};
use mentorpair::synthetic::{fingerprint, generate, CohortSpec, SyntheticError, BIASED_GROUP};
use proptest::prelude::*;

fn cohort(spec: &CohortSpec) -> Cohort {
    generate(spec).expect("valid spec")
}

fn mean_skill_level(table: &Table, in_group: bool) -> f64 {
    let (mut sum, mut n) = (0.0, 0usize);
    for (i, p) in table.people.iter().enumerate() {
        if (table.protected.get(i, BIASED_GROUP.0) == Some(BIASED_GROUP.1)) == in_group {
            for s in &p.skills {
                sum += f64::from(s.level);
                n += 1;
            }
        }
    }
    sum / n as f64
}

/// Every id that appears as anyone's manager, resolved to (table, row) when inside the cohort.
fn index_of_ids(c: &Cohort) -> HashMap<&str, (usize, usize)> {
    let mut ids = HashMap::new();
    for (t, table) in [&c.mentees, &c.mentors].into_iter().enumerate() {
        for (i, p) in table.people.iter().enumerate() {
            ids.insert(p.id.as_str(), (t, i));
        }
    }
    ids
}

/// The chain of in-cohort managers above a person (the person excluded). Panics on a cycle.
fn chain<'a>(c: &'a Cohort, ids: &HashMap<&str, (usize, usize)>, start: &'a str) -> Vec<&'a str> {
    let tables = [&c.mentees, &c.mentors];
    let mut out = Vec::new();
    let mut seen = HashSet::from([start]);
    let mut cur = start;
    while let Some(&(t, i)) = ids.get(cur) {
        match tables[t].people[i].manager_id.as_deref() {
            Some(m) if ids.contains_key(m) => {
                assert!(seen.insert(m), "cycle in the manager tree through {m}");
                out.push(m);
                cur = m;
            }
            _ => break,
        }
    }
    out
}

#[test]
fn same_seed_same_cohort_and_recorded_fingerprint() {
    let spec = CohortSpec::new(300, 120).seed(42).bias(0.3);
    let a = cohort(&spec);
    let b = cohort(&spec);
    assert_eq!(a, b);
    assert_eq!(fingerprint(&a), fingerprint(&b));
    // Recorded once; a change here means the generator's output changed on this machine or differs
    // across machines. Update deliberately (and say so) when the generator is changed on purpose.
    assert_eq!(
        fingerprint(&a),
        RECORDED_FINGERPRINT,
        "generator output changed"
    );
}

// Updated deliberately: the generator now also draws target_skills, preferred_mentors,
// avoid_mentors, declined_mentees, location and business_unit.
const RECORDED_FINGERPRINT: u64 = 1_675_929_979_696_882_384;

#[test]
fn same_result_on_one_and_two_threads() {
    let spec = CohortSpec::new(2000, 700).seed(5);
    let run = |threads| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("pool")
            .install(|| cohort(&spec))
    };
    assert_eq!(fingerprint(&run(1)), fingerprint(&run(2)));
}

#[test]
fn different_seeds_differ() {
    let a = cohort(&CohortSpec::new(100, 40).seed(1));
    let b = cohort(&CohortSpec::new(100, 40).seed(2));
    assert_ne!(fingerprint(&a), fingerprint(&b));
    let differing = a
        .mentees
        .people
        .iter()
        .zip(&b.mentees.people)
        .filter(|(x, y)| x.goals != y.goals)
        .count();
    assert!(
        differing > 50,
        "only {differing} of 100 mentees differ in goals"
    );
}

#[test]
fn ids_unique_and_tables_aligned() {
    let c = cohort(&CohortSpec::new(5000, 2000).seed(3));
    for table in [&c.mentees, &c.mentors] {
        let ids: HashSet<&str> = table.people.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids.len(), table.people.len());
        assert_eq!(table.protected.values.len(), table.people.len());
        assert_eq!(table.protected.columns, ["gender", "age_band"]);
    }
    let all: HashSet<&str> = c
        .mentees
        .people
        .iter()
        .chain(&c.mentors.people)
        .map(|p| p.id.as_str())
        .collect();
    assert_eq!(all.len(), 7000, "an id is shared between the tables");
}

#[test]
fn manager_tree_is_acyclic_and_creates_conflicts() {
    let c = cohort(&CohortSpec::new(3000, 1200).seed(11));
    let ids = index_of_ids(&c);
    let mentor_ids: HashSet<&str> = c.mentors.people.iter().map(|p| p.id.as_str()).collect();
    let mentee_ids: HashSet<&str> = c.mentees.people.iter().map(|p| p.id.as_str()).collect();
    let managers: Vec<&str> = c
        .mentees
        .people
        .iter()
        .chain(&c.mentors.people)
        .filter_map(|p| p.manager_id.as_deref())
        .collect();
    let external = managers.iter().filter(|m| !ids.contains_key(*m)).count();
    let by_mentor = managers.iter().filter(|m| mentor_ids.contains(*m)).count();
    let by_mentee = managers.iter().filter(|m| mentee_ids.contains(*m)).count();
    assert!(external > 0, "no manager id points outside the cohort");
    assert!(by_mentor > 0, "no mentor manages anyone");
    assert!(by_mentee > 0, "no mentee manages anyone");

    // Conflicts of interest: a mentor in a mentee's chain, or a mentee in a mentor's chain.
    let mut conflicts = 0;
    for p in &c.mentees.people {
        conflicts += chain(&c, &ids, &p.id)
            .iter()
            .filter(|m| mentor_ids.contains(*m))
            .count();
    }
    for p in &c.mentors.people {
        conflicts += chain(&c, &ids, &p.id)
            .iter()
            .filter(|m| mentee_ids.contains(*m))
            .count();
    }
    assert!(conflicts > 100, "only {conflicts} reporting-line conflicts");
}

#[test]
fn realistic_shape() {
    let c = cohort(&CohortSpec::new(4000, 1600).seed(8));
    let (e, m) = (&c.mentees.people, &c.mentors.people);
    assert!(m.iter().all(|p| (1..=3).contains(&p.capacity)));
    assert!(e.iter().all(|p| (1..=2).contains(&p.capacity)));
    let wanting_two = e.iter().filter(|p| p.capacity == 2).count();
    assert!(wanting_two > 200 && wanting_two < 1200, "{wanting_two}");
    assert!(m.iter().any(|p| p.capacity == 3));

    let mean_level = |ps: &[mentorpair::cohort::Person]| {
        ps.iter()
            .filter_map(|p| p.level)
            .map(f64::from)
            .sum::<f64>()
            / ps.len() as f64
    };
    assert!(mean_level(m) > mean_level(e) + 1.5);
    let mean_goal_skill = |ps: &[mentorpair::cohort::Person]| {
        let levels: Vec<f64> = ps
            .iter()
            .flat_map(|p| {
                p.skills
                    .iter()
                    .filter(|s| p.goals.iter().any(|g| g.tag == s.name))
                    .map(|s| f64::from(s.level))
            })
            .collect();
        levels.iter().sum::<f64>() / levels.len() as f64
    };
    assert!(mean_goal_skill(m) > mean_goal_skill(e) + 1.5);

    // Skewed goal popularity: the most asked-for tag far above the median tag.
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for p in e {
        for g in &p.goals {
            *counts.entry(g.tag.as_str()).or_default() += 1;
        }
    }
    let mut freq: Vec<usize> = counts.values().copied().collect();
    freq.sort_unstable();
    assert!(counts.len() >= 30, "only {} distinct goals", counts.len());
    assert!(freq[freq.len() - 1] > 5 * freq[freq.len() / 2]);
    assert!(e.iter().flat_map(|p| &p.goals).any(|g| g.weight > 1.0));

    let zones: HashSet<&str> = e
        .iter()
        .chain(m)
        .filter_map(|p| p.timezone.as_deref())
        .collect();
    for z in [
        "Asia/Kolkata",
        "Australia/Adelaide",
        "Europe/Berlin",
        "America/New_York",
    ] {
        assert!(zones.contains(z), "no one in {z}");
    }
    for p in e.iter().chain(m) {
        assert!(p.languages.iter().all(|l| l == &l.to_lowercase()));
        assert!(!p.languages.is_empty());
        assert_eq!(p.timezone.is_none(), p.availability.is_empty());
        for s in &p.availability {
            assert!(s.day.index() < 5, "weekend slot {s:?}");
            assert!(
                s.start >= 8 * 60 && s.end <= 18 * 60 && s.start < s.end,
                "{s:?}"
            );
        }
        assert!(p.skills.iter().all(|s| (1..=5).contains(&s.level)));
    }
    let asking = e.iter().filter(|p| !p.shared_background.is_empty()).count();
    assert!(
        asking > 80 && asking < 400,
        "{asking} mentees ask for shared background"
    );
    let missing_gender = (0..e.len())
        .filter(|&i| c.mentees.protected.get(i, "gender").is_none())
        .count();
    assert!(missing_gender > 0 && missing_gender < 200);
}

#[test]
fn bias_lowers_the_groups_skill_levels_only() {
    let base = CohortSpec::new(3000, 1200).seed(21);
    let fair = cohort(&base);
    let biased = cohort(&base.clone().bias(0.8));
    for (f, b) in [
        (&fair.mentees, &biased.mentees),
        (&fair.mentors, &biased.mentors),
    ] {
        let gap_fair = mean_skill_level(f, false) - mean_skill_level(f, true);
        let gap_biased = mean_skill_level(b, false) - mean_skill_level(b, true);
        assert!(gap_fair.abs() < 0.1, "unbiased cohort has a gap {gap_fair}");
        assert!(gap_biased > 0.6, "bias 0.8 gives only a gap {gap_biased}");
        assert_eq!(mean_skill_level(f, false), mean_skill_level(b, false));
        // Only skill levels change: everything else is identical.
        for (x, y) in f.people.iter().zip(&b.people) {
            assert_eq!(
                (&x.goals, &x.availability, &x.manager_id),
                (&y.goals, &y.availability, &y.manager_id)
            );
        }
    }
}

#[test]
fn scarcity_sets_the_mentor_ratio() {
    for ratio in [0.1, 0.4, 1.5] {
        let c = cohort(&CohortSpec::default().mentors_per_mentee(ratio));
        let got = c.mentors.people.len() as f64 / c.mentees.people.len() as f64;
        assert!((got - ratio).abs() < 0.01, "ratio {ratio} gave {got}");
    }
    let c = cohort(&CohortSpec {
        n_mentees: 10,
        mentors_per_mentee: 0.0,
        ..CohortSpec::default()
    });
    assert_eq!(
        c.mentors.people.len(),
        1,
        "at least one mentor when there are mentees"
    );
}

#[test]
fn goal_mismatch_moves_mentor_topics_away_from_demand() {
    let covered = |mismatch: f64| {
        let c = cohort(&CohortSpec::new(2000, 800).seed(4).goal_mismatch(mismatch));
        let offered: HashMap<&str, usize> =
            c.mentors
                .people
                .iter()
                .flat_map(|p| &p.goals)
                .fold(HashMap::new(), |mut acc, g| {
                    *acc.entry(g.tag.as_str()).or_default() += 1;
                    acc
                });
        // Demand-weighted supply: how many mentors offer each goal a mentee asks for, on average.
        let asks: Vec<f64> = c
            .mentees
            .people
            .iter()
            .flat_map(|p| &p.goals)
            .map(|g| *offered.get(g.tag.as_str()).unwrap_or(&0) as f64)
            .collect();
        asks.iter().sum::<f64>() / asks.len() as f64
    };
    let (low, high) = (covered(0.0), covered(0.9));
    assert!(
        high < 0.6 * low,
        "mismatch 0.9 supply {high} vs 0.0 supply {low}"
    );
}

#[test]
fn tightness_shrinks_availability() {
    let minutes = |t: f64| {
        let c = cohort(&CohortSpec::new(1000, 400).seed(9).availability_tightness(t));
        let total: u32 = c
            .mentees
            .people
            .iter()
            .flat_map(|p| &p.availability)
            .map(|s| u32::from(s.end - s.start))
            .sum();
        f64::from(total) / 1000.0
    };
    let (loose, tight) = (minutes(0.0), minutes(1.0));
    assert!(
        loose > 4.0 * tight,
        "loose {loose} min/week vs tight {tight}"
    );
    assert!(
        tight >= 60.0,
        "everyone with a zone keeps at least one hour"
    );
}

#[test]
fn bad_specs_are_refused_with_the_field_named() {
    let err = generate(&CohortSpec::default().bias(1.5)).unwrap_err();
    assert!(matches!(
        err,
        SyntheticError::OutOfRange { field: "bias", .. }
    ));
    assert!(err.to_string().contains("bias") && err.to_string().contains("1.5"));
    let err = generate(&CohortSpec::default().goal_mismatch(f64::NAN)).unwrap_err();
    assert!(err.to_string().contains("goal_mismatch"));
    let err = generate(&CohortSpec::new(2_000_000, 1)).unwrap_err();
    assert!(err.to_string().contains("n_mentees"));
    let spec: Result<CohortSpec, _> = serde_json::from_str(r#"{"n_mentes": 3}"#);
    assert!(spec.is_err(), "unknown spec fields are rejected");
    let spec: CohortSpec =
        serde_json::from_str(r#"{"n_mentees": 3, "seed": 9}"#).expect("partial spec");
    assert_eq!((spec.n_mentees, spec.seed, spec.bias), (3, 9, 0.0));
}

#[test]
fn tiny_and_large_cohorts() {
    let empty = cohort(&CohortSpec::new(0, 0));
    assert!(empty.mentees.people.is_empty() && empty.mentors.people.is_empty());
    let dozen = cohort(&CohortSpec::new(12, 5));
    assert_eq!(dozen.mentees.people.len(), 12);
    let started = std::time::Instant::now();
    let big = cohort(&CohortSpec::new(100_000, 40_000).seed(1));
    assert_eq!(big.mentees.people.len(), 100_000);
    assert_eq!(big.mentors.people.len(), 40_000);
    eprintln!("100k x 40k cohort in {:.2?}", started.elapsed());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    #[test]
    fn invariants_hold_for_any_spec(
        n_mentees in 0usize..300,
        n_mentors in 0usize..150,
        seed in any::<u64>(),
        mismatch in 0.0f64..=1.0,
        tight in 0.0f64..=1.0,
        bias in 0.0f64..=1.0,
    ) {
        let c = cohort(&CohortSpec::new(n_mentees, n_mentors).seed(seed).goal_mismatch(mismatch)
            .availability_tightness(tight).bias(bias));
        prop_assert_eq!(c.mentees.people.len(), n_mentees);
        prop_assert_eq!(c.mentors.people.len(), n_mentors);
        let ids = index_of_ids(&c);
        prop_assert_eq!(ids.len(), n_mentees + n_mentors);
        for p in c.mentees.people.iter().chain(&c.mentors.people) {
            chain(&c, &ids, &p.id); // panics on a cycle
            prop_assert!(p.manager_id.as_deref() != Some(p.id.as_str()));
            let tags: HashSet<&str> = p.goals.iter().map(|g| g.tag.as_str()).collect();
            prop_assert_eq!(tags.len(), p.goals.len(), "duplicate goal");
            prop_assert!(!p.goals.is_empty());
            let days: HashSet<_> = p.availability.iter().map(|s| s.day).collect();
            prop_assert_eq!(days.len(), p.availability.len(), "two slots on one day");
        }
    }
}

#[test]
fn generated_tables_round_trip_through_the_readers() {
    use mentorpair::cohort::Role;
    use mentorpair::io::{read_csv, read_json, write_csv, write_json};

    let c = cohort(&CohortSpec::new(400, 150).seed(12).bias(0.4));
    let protected: Vec<String> = ["gender", "age_band"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    for (role, table) in [(Role::Mentee, &c.mentees), (Role::Mentor, &c.mentors)] {
        let mut csv = Vec::new();
        write_csv(table, &mut csv).unwrap();
        assert_eq!(&read_csv(role, csv.as_slice(), &protected).unwrap(), table);
        let mut json = Vec::new();
        write_json(table, &mut json).unwrap();
        assert_eq!(
            &read_json(role, json.as_slice(), &protected).unwrap(),
            table
        );
    }
}
