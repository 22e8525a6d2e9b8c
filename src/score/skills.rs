//! Skills: how far the mentor is ahead of the mentee on the skills behind the mentee's goals
//! (or on the mentee's listed skills when the mentee gave no goals).

use super::ScoreConfig;
use crate::features::{Features, PersonFeatures};
use serde::{Deserialize, Serialize};

/// One skill the score looked at.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SkillGap {
    /// Skill name.
    pub skill: String,
    /// Mentee's level (0 = not listed).
    pub mentee_level: u8,
    /// Mentor's level (0 = not listed).
    pub mentor_level: u8,
    /// Credit in [0, 1] for this skill.
    pub credit: f64,
}

/// Evidence behind the skills component.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SkillsEvidence {
    /// Every skill considered, in tag order.
    pub skills: Vec<SkillGap>,
    /// Levels ahead that earn full credit.
    pub full_credit_lead: u8,
}

fn level(skills: &[(u32, u8)], tag: u32) -> u8 {
    skills
        .binary_search_by_key(&tag, |s| s.0)
        .map_or(0, |k| skills[k].1)
}

fn credit(mentee_level: u8, mentor_level: u8, cfg: &ScoreConfig) -> f64 {
    let lead = mentor_level as f64 - mentee_level as f64;
    (lead / cfg.full_credit_skill_lead.max(1) as f64).clamp(0.0, 1.0)
}

/// Weighted mean credit over the targets, or `None` when the mentee has neither goals nor skills,
/// or the mentor lists no skills.
pub fn value(mentee: &PersonFeatures, mentor: &PersonFeatures, cfg: &ScoreConfig) -> Option<f64> {
    if mentor.skills.is_empty() || mentee.skill_targets.is_empty() {
        return None;
    }
    // Merge join of two tag-sorted lists; a skill the mentor does not list is level 0. Credits
    // are accumulated as whole levels of lead (capped) and divided once.
    let lead = cfg.full_credit_skill_lead.max(1) as i32;
    let (t, m) = (&mentee.skill_targets, &mentor.skills);
    let (mut j, mut sum) = (0, 0.0);
    for &(tag, w, own) in t {
        while j < m.len() && m[j].0 < tag {
            j += 1;
        }
        let theirs = if j < m.len() && m[j].0 == tag {
            m[j].1
        } else {
            0
        };
        sum += w * (theirs as i32 - own as i32).clamp(0, lead) as f64;
    }
    (mentee.skill_target_weight > 0.0)
        .then(|| (sum / (mentee.skill_target_weight * lead as f64)).clamp(0.0, 1.0))
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
            .map(|&(tag, _, a)| {
                let b = level(&mentor.skills, tag);
                SkillGap {
                    skill: f.tags.name(tag).to_string(),
                    mentee_level: a,
                    mentor_level: b,
                    credit: credit(a, b, cfg),
                }
            })
            .collect(),
        full_credit_lead: cfg.full_credit_skill_lead,
    }
}
