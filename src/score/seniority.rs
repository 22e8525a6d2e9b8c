//! Seniority: a sweet spot for "the next step". A mentor `seniority_gap` to
//! `seniority_sweet_spot_max` levels ahead (default 1 to 2) scores 1; each level beyond the sweet
//! spot costs 0.2 down to a floor of 0.3 (a much more senior mentor is further from the mentee's
//! next step, but still has something to give); a mentor at the same level scores 0.2 and a
//! junior one 0.1. With `reverse_mentoring` the direction turns around: the mentor should be
//! junior by the same sweet spot.

use super::ScoreConfig;
use crate::features::PersonFeatures;
use serde::{Deserialize, Serialize};

/// Value of a mentor at the mentee's level.
pub const SAME_LEVEL: f64 = 0.2;
/// Value of a mentor on the wrong side (junior, or senior in reverse mentoring).
pub const WRONG_SIDE: f64 = 0.1;
/// Lowest value of a mentor ahead of the sweet spot.
pub const FAR_AHEAD_FLOOR: f64 = 0.3;
/// What each level beyond the sweet spot costs.
pub const PER_LEVEL_BEYOND: f64 = 0.2;

/// Evidence behind the seniority component.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeniorityEvidence {
    /// Mentee's level.
    pub mentee_level: Option<i32>,
    /// Mentor's level.
    pub mentor_level: Option<i32>,
    /// Mentor minus mentee, when both are known.
    pub gap: Option<i64>,
    /// Gap that starts the sweet spot.
    pub required_gap: u32,
    /// Gap that ends the sweet spot.
    pub sweet_spot_max: u32,
    /// Whether the direction is reversed.
    pub reverse_mentoring: bool,
}

/// The sweet-spot curve of a gap (levels ahead in the expected direction).
pub fn curve(ahead: i64, cfg: &ScoreConfig) -> f64 {
    let lo = cfg.seniority_gap.max(1) as i64;
    let hi = (cfg.seniority_sweet_spot_max as i64).max(lo);
    if ahead < 0 {
        WRONG_SIDE
    } else if ahead == 0 {
        SAME_LEVEL
    } else if ahead < lo {
        SAME_LEVEL + (1.0 - SAME_LEVEL) * ahead as f64 / lo as f64
    } else if ahead <= hi {
        1.0
    } else {
        (1.0 - PER_LEVEL_BEYOND * (ahead - hi) as f64).max(FAR_AHEAD_FLOOR)
    }
}

fn ahead(mentee: i32, mentor: i32, cfg: &ScoreConfig) -> i64 {
    let gap = mentor as i64 - mentee as i64;
    if cfg.reverse_mentoring {
        -gap
    } else {
        gap
    }
}

/// The sweet-spot value, or `None` when a level is missing.
pub fn value(mentee: &PersonFeatures, mentor: &PersonFeatures, cfg: &ScoreConfig) -> Option<f64> {
    Some(curve(ahead(mentee.level?, mentor.level?, cfg), cfg))
}

/// Both levels and the gap.
pub fn evidence(
    mentee: &PersonFeatures,
    mentor: &PersonFeatures,
    cfg: &ScoreConfig,
) -> SeniorityEvidence {
    SeniorityEvidence {
        mentee_level: mentee.level,
        mentor_level: mentor.level,
        gap: mentee
            .level
            .zip(mentor.level)
            .map(|(a, b)| b as i64 - a as i64),
        required_gap: cfg.seniority_gap,
        sweet_spot_max: cfg.seniority_sweet_spot_max,
        reverse_mentoring: cfg.reverse_mentoring,
    }
}
