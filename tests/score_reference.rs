//! The scoring fast paths (tabulated skill credit, dense mentor skill levels, the availability
//! bucket test, the precomputed daylight-saving flag, fused matrix fill) against straightforward
//! reference implementations written here: every component and every matrix entry must agree
//! to the bit on seeded cohorts, including odd time zones, short and long meetings and skill
//! levels beyond the table.

use mentorpair::cohort::{Person, Skill};
use mentorpair::features::{Features, PersonFeatures, WEEK_MINUTES};
use mentorpair::score::{self, ScoreConfig, Weights, N_COMPONENTS};
use mentorpair::synthetic::{generate, CohortSpec};

fn ref_curve(lead: i32, step: i32) -> f64 {
    if lead <= 0 {
        return 0.0;
    }
    let step = step.max(1);
    let within = 0.8 * lead.min(step) as f64 / step as f64;
    let beyond = (lead - step).max(0);
    within + (1.0 - 0.8) * (1.0 - 0.5f64.powi(beyond))
}

fn ref_skills(a: &PersonFeatures, b: &PersonFeatures, cfg: &ScoreConfig) -> Option<f64> {
    if b.skills.is_empty() || a.skill_targets.is_empty() {
        return None;
    }
    let mut sum = 0.0;
    for (k, &(tag, w, own)) in a.skill_targets.iter().enumerate() {
        let theirs = b.skills.iter().find(|s| s.0 == tag).map_or(0, |s| s.1);
        let aim = a.skill_aims[k];
        let step = if aim > own {
            (aim - own) as i32
        } else {
            cfg.full_credit_skill_lead.max(1) as i32
        };
        sum += w * ref_curve(theirs as i32 - own as i32, step);
    }
    (a.skill_target_weight > 0.0).then(|| (sum / a.skill_target_weight).clamp(0.0, 1.0))
}

/// Minute-by-minute slots and days over the circular week.
fn ref_slots(a: &[(u16, u16)], b: &[(u16, u16)], meeting: u32) -> (u32, u32) {
    let week = WEEK_MINUTES as usize;
    let mark = |iv: &[(u16, u16)]| {
        let mut free = vec![false; week];
        for &(s, e) in iv {
            free[s as usize..e as usize]
                .iter_mut()
                .for_each(|x| *x = true);
        }
        free
    };
    let (fa, fb) = (mark(a), mark(b));
    let both: Vec<bool> = fa.iter().zip(&fb).map(|(x, y)| *x && *y).collect();
    let (mut n, mut days) = (0u32, 0u8);
    let mut count = |start: usize, len: usize| {
        if len as u32 >= meeting {
            n += (len as u32 - meeting) / 30 + 1;
            days |= 1 << ((start / 1440) % 7);
        }
    };
    match both.iter().position(|x| !x) {
        None => count(0, week),
        Some(gap) => {
            let mut k = 0;
            while k < week {
                let p = (gap + k) % week;
                if both[p] {
                    let mut len = 0;
                    while len < week && both[(p + len) % week] {
                        len += 1;
                    }
                    count(p, len);
                    k += len;
                } else {
                    k += 1;
                }
            }
        }
    }
    (n, days.count_ones())
}

fn ref_availability(a: &PersonFeatures, b: &PersonFeatures, cfg: &ScoreConfig) -> Option<f64> {
    let (Ok(x), Ok(y)) = (&a.availability, &b.availability) else {
        return None;
    };
    let meeting = cfg.meeting_minutes.max(1);
    let (n, days) = ref_slots(x, y, meeting);
    let robust = match (&a.availability_all_seasons, &b.availability_all_seasons) {
        _ if n == 0 => 0,
        (Ok(p), Ok(q)) => ref_slots(p, q, meeting).0,
        _ => 0,
    };
    let sat = |v: u32, full: u32| (v as f64 / full.max(1) as f64).min(1.0);
    Some(
        0.45 * sat(n, cfg.slots_for_full_credit)
            + 0.30 * sat(days, cfg.days_for_full_credit)
            + 0.25 * sat(robust, cfg.slots_for_full_credit),
    )
}

fn ref_goals(a: &PersonFeatures, b: &PersonFeatures) -> Option<f64> {
    if a.goals.is_empty() || b.goals.is_empty() || a.goal_weight <= 0.0 {
        return None;
    }
    let mut covered = 0.0;
    for &(tag, w) in &a.goals {
        if b.goals.iter().any(|g| g.0 == tag) {
            covered += w;
        }
    }
    Some((covered / a.goal_weight).clamp(0.0, 1.0))
}

fn ref_language(a: &PersonFeatures, b: &PersonFeatures) -> Option<f64> {
    if a.languages.is_empty() || b.languages.is_empty() {
        return None;
    }
    Some(if a.languages.iter().any(|l| b.languages.contains(l)) {
        1.0
    } else {
        0.0
    })
}

fn ref_seniority(a: &PersonFeatures, b: &PersonFeatures, cfg: &ScoreConfig) -> Option<f64> {
    let gap = b.level? as i64 - a.level? as i64;
    let ahead = if cfg.reverse_mentoring { -gap } else { gap };
    Some(score::seniority::curve(ahead, cfg))
}

fn reference(a: &PersonFeatures, b: &PersonFeatures, cfg: &ScoreConfig) -> [Option<f64>; 5] {
    [
        ref_goals(a, b),
        ref_skills(a, b, cfg),
        ref_availability(a, b, cfg),
        ref_language(a, b),
        ref_seniority(a, b, cfg),
    ]
}

/// A seeded cohort with some people moved to half- and quarter-hour zones, and some mentors'
/// skills raised beyond the credit table.
fn people(seed: u64) -> (Vec<Person>, Vec<Person>) {
    let c = generate(&CohortSpec::new(90, 40).seed(seed)).expect("cohort");
    let (mut mentees, mut mentors) = (c.mentees.people, c.mentors.people);
    let odd = [
        "Asia/Kathmandu",
        "Australia/Adelaide",
        "America/St_Johns",
        "Pacific/Chatham",
        "Asia/Kolkata",
    ];
    for (k, p) in mentees.iter_mut().chain(mentors.iter_mut()).enumerate() {
        if k % 4 == 0 {
            p.timezone = Some(odd[k % odd.len()].to_string());
        }
    }
    for (k, p) in mentors.iter_mut().enumerate() {
        if k % 5 == 0 {
            if let Some(s) = p.skills.first_mut() {
                s.level = [7, 9, 200][k % 3];
            }
            p.skills.push(Skill {
                name: "rare skill".into(),
                level: 6,
            });
        }
    }
    (mentees, mentors)
}

// Configs are built field by field: public config types may become `#[non_exhaustive]`.
#[allow(clippy::field_reassign_with_default)]
#[test]
fn components_and_matrix_match_the_reference_to_the_bit() {
    let mut checked = 0usize;
    let mut zero_by_buckets = 0usize;
    for seed in [1u64, 7, 42] {
        let (mentees, mentors) = people(seed);
        for (meeting, reverse, lead) in [
            (60, false, 2),
            (30, true, 1),
            (45, false, 3),
            (90, false, 2),
            (59, true, 4),
        ] {
            let mut cfg = ScoreConfig::default();
            cfg.reference_date = chrono::NaiveDate::from_ymd_opt(2026, 3, 2);
            cfg.meeting_minutes = meeting;
            cfg.reverse_mentoring = reverse;
            cfg.full_credit_skill_lead = lead;
            let mut f = Features::build(&mentees, &mentors, cfg.date());
            let targets: Vec<Vec<(String, u8)>> = mentees
                .iter()
                .enumerate()
                .map(|(i, p)| match (i % 3, p.goals.first()) {
                    (0, Some(g)) => vec![(g.tag.clone(), 5), ("rare skill".to_string(), 3)],
                    _ => vec![],
                })
                .collect();
            score::prepare_features(&mut f, &cfg, &targets);
            let weights = Weights::default();
            let w = weights.as_array();
            let norm: f64 = w.iter().sum();
            let m = score::fill_matrix(&f, &weights, &cfg);
            for (i, a) in f.mentees.iter().enumerate() {
                for (j, b) in f.mentors.iter().enumerate() {
                    let fast = score::raw_components(a, b, &cfg);
                    let slow = reference(a, b, &cfg);
                    for k in 0..N_COMPONENTS {
                        assert_eq!(
                            fast[k].map(f64::to_bits),
                            slow[k].map(f64::to_bits),
                            "seed {seed}, meeting {meeting}, pair ({i}, {j}), component {k}: {:?} vs {:?}",
                            fast[k],
                            slow[k]
                        );
                    }
                    if slow[2] == Some(0.0)
                        && meeting >= 59
                        && a.full_buckets
                            .iter()
                            .zip(&b.full_buckets)
                            .all(|(x, y)| x & y == 0)
                    {
                        zero_by_buckets += 1;
                    }
                    let mut s = 0.0;
                    for k in 0..N_COMPONENTS {
                        s += slow[k].unwrap_or(cfg.neutral) * w[k];
                    }
                    assert_eq!(m[[i, j]].to_bits(), (s / norm).to_bits(), "({i}, {j})");
                    checked += 1;
                }
            }
        }
    }
    assert_eq!(checked, 3 * 5 * 90 * 40);
    // The bucket shortcut was exercised, not only the full count.
    assert!(zero_by_buckets > 0);
}

#[test]
fn the_skill_table_holds_the_products_the_curve_gives() {
    let (mentees, mentors) = people(3);
    let cfg = ScoreConfig::default();
    let mut f = Features::build(
        &mentees,
        &mentors,
        chrono::NaiveDate::from_ymd_opt(2026, 3, 2).expect("date"),
    );
    score::prepare_features(&mut f, &cfg, &[]);
    let mut rows = 0;
    for a in &f.mentees {
        assert_eq!(a.skill_credit.len(), a.skill_targets.len());
        for (row, &(_, w, own)) in a.skill_credit.iter().zip(&a.skill_targets) {
            for (level, c) in row.iter().enumerate() {
                let want =
                    w * ref_curve(level as i32 - own as i32, cfg.full_credit_skill_lead as i32);
                assert_eq!(c.to_bits(), want.to_bits());
            }
            rows += 1;
        }
    }
    assert!(rows > 0);
}
