//! Skills: the mentor's lead on the skills behind the mentee's goals (or on the mentee's listed
//! skills when the mentee gave no goals), with diminishing returns past the step the mentee aims
//! for. The step is the mentee's `target_skills` level minus their own level, or
//! `full_credit_skill_lead` levels when no target is given. A lead of `L` levels on a step of
//! `s` earns `0.8 × min(L, s) / s + 0.2 × (1 − 2^−(L − s))` (the second term only past the step):
//! reaching the step earns 0.8, each further level half of what is left.

use super::ScoreConfig;
use crate::features::{Features, PersonFeatures};
use serde::{Deserialize, Serialize};

/// Credit earned by reaching the step exactly.
pub const AT_STEP: f64 = 0.8;

/// One skill the score looked at.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SkillGap {
    /// Skill name.
    pub skill: String,
    /// Mentee's level (0 = not listed).
    pub mentee_level: u8,
    /// Mentor's level (0 = not listed).
    pub mentor_level: u8,
    /// The level the mentee aims for (their target, or their level plus the default step).
    pub target_level: u8,
    /// Credit in [0, 1] for this skill.
    pub credit: f64,
}

/// Evidence behind the skills component.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SkillsEvidence {
    /// Every skill considered, in tag order.
    pub skills: Vec<SkillGap>,
    /// The default step, in levels, where no target level is given.
    pub full_credit_lead: u8,
}

fn level(skills: &[(u32, u8)], tag: u32) -> u8 {
    skills
        .binary_search_by_key(&tag, |s| s.0)
        .map_or(0, |k| skills[k].1)
}

/// The credit curve for a lead of `lead` levels on a step of `step` levels.
pub fn curve(lead: i32, step: i32) -> f64 {
    if lead <= 0 {
        return 0.0;
    }
    let step = step.max(1);
    let within = AT_STEP * lead.min(step) as f64 / step as f64;
    let beyond = (lead - step).max(0);
    within + (1.0 - AT_STEP) * (1.0 - 0.5f64.powi(beyond))
}

fn step(own: u8, aim: u8, cfg: &ScoreConfig) -> i32 {
    if aim > own {
        (aim - own) as i32
    } else {
        cfg.full_credit_skill_lead.max(1) as i32
    }
}

/// Apply goal priorities (`1 / (1 + decay × rank)`) and the mentee's target levels to the goal
/// weights and the skill targets.
pub fn set_aims(f: &mut PersonFeatures, targets: &[(u32, u8)], decay: f64) {
    for (g, &rank) in f.goals.iter_mut().zip(&f.goal_ranks) {
        g.1 /= 1.0 + decay * rank as f64;
    }
    f.goal_weight = f.goals.iter().fold(0.0, |s, g| s + g.1);
    let own = |tag: u32| level(&f.skills, tag);
    let mut t: Vec<(u32, f64, u8)> = if f.goals.is_empty() {
        f.skills.iter().map(|&(t, l)| (t, 1.0, l)).collect()
    } else {
        f.goals.iter().map(|&(t, w)| (t, w, own(t))).collect()
    };
    for &(tag, _) in targets {
        if !t.iter().any(|x| x.0 == tag) {
            t.push((tag, 1.0, own(tag)));
        }
    }
    t.sort_by_key(|x| x.0);
    f.skill_aims = t
        .iter()
        .map(|x| targets.iter().find(|y| y.0 == x.0).map_or(0, |y| y.1))
        .collect();
    f.skill_target_weight = t.iter().fold(0.0, |s, x| s + x.1);
    f.skill_targets = t;
    f.skill_credit.clear();
}

/// Tabulate `weight × credit` per skill target for every mentor level below
/// [`crate::features::SKILL_TABLE_LEVELS`], so that scoring a pair adds table entries (the same products
/// [`value`] would compute) instead of evaluating the curve. Call after [`set_aims`].
pub fn prepare_credit(f: &mut PersonFeatures, cfg: &ScoreConfig) {
    f.skill_credit = f
        .skill_targets
        .iter()
        .enumerate()
        .map(|(k, &(_, w, own))| {
            let s = step(own, f.skill_aims.get(k).copied().unwrap_or(0), cfg);
            std::array::from_fn(|theirs| w * curve(theirs as i32 - own as i32, s))
        })
        .collect();
}

/// Weighted mean credit over the targets, or `None` when the mentee has neither goals nor skills,
/// or the mentor lists no skills.
pub fn value(mentee: &PersonFeatures, mentor: &PersonFeatures, cfg: &ScoreConfig) -> Option<f64> {
    if mentor.skills.is_empty() || mentee.skill_targets.is_empty() {
        return None;
    }
    let t = &mentee.skill_targets;
    let mut sum = 0.0;
    if mentee.skill_credit.len() == t.len() && !mentor.skill_levels.is_empty() {
        // Tabulated credit (`prepare_credit`) and the mentor's levels by tag: one load each.
        for (k, (&(tag, w, own), row)) in t.iter().zip(&mentee.skill_credit).enumerate() {
            let theirs = mentor.skill_levels.get(tag as usize).copied().unwrap_or(0);
            sum += match row.get(theirs as usize) {
                Some(&c) => c,
                None => {
                    let aim = mentee.skill_aims.get(k).copied().unwrap_or(0);
                    w * curve(theirs as i32 - own as i32, step(own, aim, cfg))
                }
            };
        }
    } else {
        // Merge join of two tag-sorted lists; a skill the mentor does not list is level 0.
        let m = &mentor.skills;
        let mut j = 0;
        for (k, &(tag, w, own)) in t.iter().enumerate() {
            while j < m.len() && m[j].0 < tag {
                j += 1;
            }
            let theirs = if j < m.len() && m[j].0 == tag {
                m[j].1
            } else {
                0
            };
            let aim = mentee.skill_aims.get(k).copied().unwrap_or(0);
            sum += w * curve(theirs as i32 - own as i32, step(own, aim, cfg));
        }
    }
    (mentee.skill_target_weight > 0.0).then(|| (sum / mentee.skill_target_weight).clamp(0.0, 1.0))
}

/// The per-skill levels and credits.
pub fn evidence(
    mentee: &PersonFeatures,
    mentor: &PersonFeatures,
    cfg: &ScoreConfig,
    f: &Features,
) -> SkillsEvidence {
    SkillsEvidence {
        skills: mentee
            .skill_targets
            .iter()
            .enumerate()
            .map(|(k, &(tag, _, a))| {
                let b = level(&mentor.skills, tag);
                let aim = mentee.skill_aims.get(k).copied().unwrap_or(0);
                let s = step(a, aim, cfg);
                SkillGap {
                    skill: f.tags.name(tag).to_string(),
                    mentee_level: a,
                    mentor_level: b,
                    target_level: (a as i32 + s).min(u8::MAX as i32) as u8,
                    credit: curve(b as i32 - a as i32, s),
                }
            })
            .collect(),
        full_credit_lead: cfg.full_credit_skill_lead,
    }
}
