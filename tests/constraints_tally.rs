//! `constraints::Tally` (counts from the mask's structure) against the oracle, a test of every
//! pair with `Mask::excluded`, on cohorts with departments, reporting lines, people in both
//! tables, forbidden and declined pairs, mentors without capacity and allow lists.

use mentorpair::constraints::{Exclusion, Mask, RowTally};
use mentorpair::synthetic::{generate, CohortSpec};
use proptest::prelude::*;
use std::collections::BTreeMap;

/// What `Tally::row` must say, pair by pair.
fn oracle(
    mask: &Mask,
    i: usize,
    cols: usize,
    class: &[u8],
    classes: usize,
    skip: &[usize],
) -> RowTally {
    let mut t = RowTally {
        excluded: BTreeMap::new(),
        classes: vec![0; classes],
    };
    for j in (0..cols).filter(|j| !skip.contains(j)) {
        match mask.excluded(i, j) {
            Some(e) => *t.excluded.entry(e).or_insert(0) += 1,
            None => t.classes[class[j] as usize] += 1,
        }
    }
    t
}

#[derive(Debug, Clone)]
struct Case {
    seed: u64,
    rows: usize,
    cols: usize,
    departments: usize,
    same_department: bool,
    knobs: Vec<u8>,
}

fn case() -> impl Strategy<Value = Case> {
    (0u64..1000, 5usize..40, 3usize..25, 1usize..5, any::<bool>()).prop_flat_map(
        |(seed, rows, cols, departments, same_department)| {
            prop::collection::vec(any::<u8>(), rows + cols).prop_map(move |knobs| Case {
                seed,
                rows,
                cols,
                departments,
                same_department,
                knobs,
            })
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn tally_equals_the_pair_by_pair_count(c in case()) {
        let mut cohort = generate(&CohortSpec::new(c.rows, c.cols).seed(c.seed)).unwrap();
        let (rows, cols) = (c.rows, c.cols);
        for (i, p) in cohort.mentees.people.iter_mut().enumerate() {
            let k = c.knobs[i];
            p.department = (k % 5 != 0).then(|| format!("Dept {}", k as usize % c.departments));
        }
        for (j, p) in cohort.mentors.people.iter_mut().enumerate() {
            let k = c.knobs[rows + j];
            p.department = (k % 7 != 0).then(|| format!("dept {}", (k as usize / 3) % c.departments));
            if k % 6 == 1 {
                p.capacity = 0;
            }
        }
        // Reporting lines and one person in both tables.
        let boss = cohort.mentors.people[0].id.clone();
        for p in cohort.mentees.people.iter_mut().step_by(3) {
            p.manager_id = Some(boss.clone());
        }
        let twin = cohort.mentors.people[cols - 1].id.clone();
        cohort.mentees.people[rows - 1].id = twin;
        let forbid: Vec<(usize, usize)> =
            (0..rows).filter(|i| c.knobs[*i] % 4 == 1).map(|i| (i, (i * 7) % cols)).collect();
        let mut mask = Mask::build(&cohort, c.same_department, &forbid);
        mask.add_exclusions((0..rows).filter(|i| c.knobs[*i] % 3 == 2).flat_map(|i| {
            [(i, (i * 5 + 1) % cols, Exclusion::MenteeDeclined), (i, (i * 3) % cols, Exclusion::MentorDeclined)]
        }));
        let allow_lists = c.seed % 4 == 0;
        if allow_lists {
            let allowed: Vec<Vec<usize>> = (0..rows)
                .map(|i| if i % 2 == 0 { vec![i % cols, (i + 2) % cols] } else { Vec::new() })
                .collect();
            mask.restrict_to(&allowed);
        }
        let classes = 1 + (c.seed % 3) as usize;
        let class: Vec<u8> = (0..cols).map(|j| (c.knobs[rows + j] as usize % classes) as u8).collect();
        let tally = mask.tally(&class, classes);
        let mut answered = 0;
        for i in 0..rows {
            let skip: Vec<usize> = (0..cols).filter(|j| (i + j) % 5 == 0).collect();
            match tally.row(i, &skip) {
                Some(t) => {
                    answered += 1;
                    prop_assert_eq!(&t, &oracle(&mask, i, cols, &class, classes, &skip), "row {}", i);
                }
                None => prop_assert!(allow_lists && i % 2 == 0, "row {} needs no per-pair test", i),
            }
        }
        prop_assert!(answered >= rows / 2);
        prop_assert!(tally.row(rows, &[]).is_none());
    }
}

/// The cases reach every branch of the count: same department, no capacity, listed exclusions,
/// a skipped mentor in each of them.
#[test]
fn the_cases_are_not_vacuous() {
    let mut cohort = generate(&CohortSpec::new(12, 6).seed(3)).unwrap();
    for (i, p) in cohort.mentees.people.iter_mut().enumerate() {
        p.department = Some(if i % 2 == 0 { "a" } else { "b" }.into());
        p.manager_id = None;
    }
    for (j, p) in cohort.mentors.people.iter_mut().enumerate() {
        p.department = (j != 5).then(|| if j % 2 == 0 { "A" } else { "c" }.into());
        p.capacity = u32::from(j != 4);
        p.manager_id = None;
    }
    let mut mask = Mask::build(&cohort, true, &[(0, 1), (0, 4)]);
    mask.add_exclusions([(0, 0, Exclusion::MenteeDeclined)]);
    let tally = mask.tally(&[0, 1, 0, 1, 0, 1], 2);
    // Row 0 (department a): mentors 0, 2 share it (0 also declined), 4 has no capacity but is
    // forbidden first, 1 forbidden; 3 and 5 are allowed (classes 1 and 1); mentor 3 skipped.
    let t = tally.row(0, &[3]).unwrap();
    let want: BTreeMap<Exclusion, usize> = [
        (Exclusion::MenteeDeclined, 1),
        (Exclusion::Forbidden, 2),
        (Exclusion::SameDepartment, 1),
    ]
    .into_iter()
    .collect();
    assert_eq!(t.excluded, want);
    assert_eq!(t.classes, vec![0, 1]);
    // Row 1 (department b): only mentor 4 (no capacity) is excluded.
    let t = tally.row(1, &[]).unwrap();
    assert_eq!(
        t.excluded,
        [(Exclusion::NoCapacity, 1)].into_iter().collect()
    );
    assert_eq!(t.classes, vec![2, 3]);
    for i in 0..2 {
        let skip = if i == 0 { vec![3] } else { vec![] };
        assert_eq!(
            tally.row(i, &skip).unwrap(),
            oracle(&mask, i, 6, &[0, 1, 0, 1, 0, 1], 2, &skip)
        );
    }
}
