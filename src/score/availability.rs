//! Availability: how robust the shared weekly schedule is, in UTC for the reference week.
//!
//! A *slot* is a meeting start time on a 30-minute grid at which a whole meeting fits in time
//! both are free. The value blends three saturating counts:
//! `0.45 × slots / slots_for_full_credit` (how many choices), `0.30 × days /
//! days_for_full_credit` (how they are spread over the week: distinct UTC days with a slot) and
//! `0.25 × robust slots / slots_for_full_credit` (slots that are free in the reference week and in
//! a winter and a summer week alike, so they survive the daylight-saving shifts of both zones),
//! each count capped at its target. No slot at all gives 0.

use super::ScoreConfig;
use crate::features::{PersonFeatures, BUCKETS, BUCKET_MINUTES, BUCKET_WORDS, WEEK_MINUTES};
use serde::{Deserialize, Serialize};

/// Grid of meeting start times, minutes.
pub const SLOT_STEP_MINUTES: u32 = 30;
/// Share of the value from the number of slots.
pub const SLOTS_SHARE: f64 = 0.45;
/// Share of the value from the spread over days.
pub const DAYS_SHARE: f64 = 0.30;
/// Share of the value from the slots that survive daylight saving.
pub const ROBUST_SHARE: f64 = 0.25;

/// Evidence behind the availability component.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AvailabilityEvidence {
    /// Distinct meeting start times per week (30-minute grid) at which a whole meeting fits.
    pub slots: u32,
    /// Distinct UTC days of the week with at least one slot.
    pub days: u32,
    /// Slots that are also free in a winter and a summer week (survive daylight saving).
    pub robust_slots: u32,
    /// Meeting length, minutes.
    pub meeting_minutes: u32,
    /// Meeting minutes needed per week on average.
    pub needed_minutes_per_week: f64,
    /// Slots for full slot and robustness credit.
    pub slots_for_full_credit: u32,
    /// Days for full spread credit.
    pub days_for_full_credit: u32,
}

/// Slots and a bitmask of their UTC days, over the common blocks of two merged interval lists.
/// A block running over the week boundary (Sun 23:30 to Mon 01:00 UTC) counts as one.
pub fn slots(a: &[(u16, u16)], b: &[(u16, u16)], meeting: u32) -> (u32, u8) {
    let (mut i, mut j) = (0, 0);
    let (mut n, mut days) = (0u32, 0u8);
    let mut head: Option<u32> = None;
    let mut tail: Option<(u32, u32)> = None;
    let count = |start: u32, len: u32, n: &mut u32, days: &mut u8| {
        if len >= meeting {
            *n += (len - meeting) / SLOT_STEP_MINUTES + 1;
            *days |= 1 << ((start / (24 * 60)) % 7);
        }
    };
    while i < a.len() && j < b.len() {
        let (a0, a1) = a[i];
        let (b0, b1) = b[j];
        let lo = a0.max(b0) as u32;
        let hi = a1.min(b1) as u32;
        if lo < hi {
            if lo == 0 && head.is_none() {
                head = Some(hi);
            } else if hi == WEEK_MINUTES {
                tail = Some((lo, hi - lo));
            } else {
                count(lo, hi - lo, &mut n, &mut days);
            }
        }
        if a1 < b1 {
            i += 1;
        } else {
            j += 1;
        }
    }
    match (head, tail) {
        (Some(h), Some((s, t))) => count(s, h + t, &mut n, &mut days),
        (h, t) => {
            if let Some(h) = h {
                count(0, h, &mut n, &mut days);
            }
            if let Some((s, t)) = t {
                count(s, t, &mut n, &mut days);
            }
        }
    }
    (n, days)
}

type Buckets = [u64; BUCKET_WORDS];

/// Valid bits of the last word.
const LAST_BITS: u32 = BUCKETS - 64 * (BUCKET_WORDS as u32 - 1);

/// Bucket `p` of the result is bucket `p + 1` of `x`, around the week.
fn next(x: &Buckets) -> Buckets {
    let mut r = [0u64; BUCKET_WORDS];
    for w in 0..BUCKET_WORDS - 1 {
        r[w] = (x[w] >> 1) | (x[w + 1] << 63);
    }
    r[BUCKET_WORDS - 1] = (x[BUCKET_WORDS - 1] >> 1) | ((x[0] & 1) << (LAST_BITS - 1));
    r
}

/// Bucket `p` of the result is bucket `p − 1` of `x`, around the week.
fn prev(x: &Buckets) -> Buckets {
    let mut r = [0u64; BUCKET_WORDS];
    r[0] = (x[0] << 1) | ((x[BUCKET_WORDS - 1] >> (LAST_BITS - 1)) & 1);
    for w in 1..BUCKET_WORDS {
        r[w] = (x[w] << 1) | (x[w - 1] >> 63);
    }
    r[BUCKET_WORDS - 1] &= (1u64 << LAST_BITS) - 1;
    r
}

fn and(a: &Buckets, b: &Buckets) -> Buckets {
    std::array::from_fn(|w| a[w] & b[w])
}

/// [`slots`] on exact bucket sets, for a meeting of `q` buckets: a slot is a bucket starting `q`
/// free buckets in a row, and a block's day is the day of its first bucket (a block that fills
/// the whole week starts on Monday).
fn grid_slots(free: &Buckets, q: u32) -> (u32, u8) {
    if free.iter().all(|&w| w == 0) {
        return (0, 0);
    }
    let per_day = 24 * 60 / BUCKET_MINUTES;
    let mut full = [u64::MAX; BUCKET_WORDS];
    full[BUCKET_WORDS - 1] = (1u64 << LAST_BITS) - 1;
    if *free == full {
        return match BUCKETS.checked_sub(q) {
            Some(k) => (k + 1, 1),
            None => (0, 0),
        };
    }
    let mut window = *free;
    let mut shifted = *free;
    for _ in 1..q {
        shifted = next(&shifted);
        window = and(&window, &shifted);
    }
    let n: u32 = window.iter().map(|w| w.count_ones()).sum();
    let before = prev(free);
    let mut days = 0u8;
    for w in 0..BUCKET_WORDS {
        // A block long enough starts here: free, the bucket before is not, and the window fits.
        let mut starts = window[w] & !before[w];
        while starts != 0 {
            let p = 64 * w as u32 + starts.trailing_zeros();
            days |= 1 << ((p / per_day) % 7);
            starts &= starts - 1;
        }
    }
    (n, days)
}

fn needed(cfg: &ScoreConfig) -> f64 {
    cfg.meeting_minutes.max(1) as f64 / cfg.cadence_weeks.max(1) as f64
}

fn stats(
    mentee: &PersonFeatures,
    mentor: &PersonFeatures,
    cfg: &ScoreConfig,
) -> Option<(u32, u32, u32)> {
    let (Ok(a), Ok(b)) = (&mentee.availability, &mentor.availability) else {
        return None;
    };
    let meeting = cfg.meeting_minutes.max(1);
    // A common block long enough for the meeting contains a whole bucket both are free in.
    if buckets_bound_counts(meeting, false)
        && mentee
            .full_buckets
            .iter()
            .zip(&mentor.full_buckets)
            .all(|(x, y)| x & y == 0)
    {
        return Some((0, 0, 0));
    }
    if mentee.on_bucket_grid && mentor.on_bucket_grid && meeting % BUCKET_MINUTES == 0 {
        let q = meeting / BUCKET_MINUTES;
        let (n, days) = grid_slots(&and(&mentee.full_buckets, &mentor.full_buckets), q);
        let robust = if n == 0 {
            0
        } else if mentee.seasons_unchanged && mentor.seasons_unchanged {
            n
        } else {
            let all = and(
                &mentee.full_buckets_all_seasons,
                &mentor.full_buckets_all_seasons,
            );
            grid_slots(&all, q).0
        };
        return Some((n, days.count_ones(), robust));
    }
    let (n, days) = slots(a, b, meeting);
    let robust = match (
        &mentee.availability_all_seasons,
        &mentor.availability_all_seasons,
    ) {
        _ if n == 0 => 0,
        // Neither week changes with the seasons (no daylight saving): every slot is robust.
        _ if mentee.seasons_unchanged && mentor.seasons_unchanged => n,
        (Ok(a), Ok(b)) => slots(a, b, meeting).0,
        _ => 0,
    };
    Some((n, days.count_ones(), robust))
}

/// The blend of slots, spread and robustness, or `None` when either side has no slots or no
/// time zone.
pub fn value(mentee: &PersonFeatures, mentor: &PersonFeatures, cfg: &ScoreConfig) -> Option<f64> {
    let (n, days, robust) = stats(mentee, mentor, cfg)?;
    Some(blend(n, days, robust, cfg))
}

/// The value of `slots`, `days` and `robust` slots: each count saturated at its target, then
/// blended by the shares. Non-decreasing in each count, bit for bit (the bounds of the
/// certificate rely on it).
#[inline]
pub fn blend(slots: u32, days: u32, robust: u32, cfg: &ScoreConfig) -> f64 {
    let sat = |x: u32, full: u32| (x as f64 / full.max(1) as f64).min(1.0);
    SLOTS_SHARE * sat(slots, cfg.slots_for_full_credit)
        + DAYS_SHARE * sat(days, cfg.days_for_full_credit)
        + ROBUST_SHARE * sat(robust, cfg.slots_for_full_credit)
}

/// Whether [`slots_bound`] bounds the counts of a pair for meetings of `meeting_minutes`: every
/// meeting of 59 minutes or more, and whole buckets when both people are on the bucket grid.
pub fn buckets_bound_counts(meeting_minutes: u32, both_on_grid: bool) -> bool {
    let m = meeting_minutes.max(1);
    m + 1 >= 2 * BUCKET_MINUTES || (both_on_grid && m % BUCKET_MINUTES == 0)
}

/// An upper bound on the slots, days and robust slots of a pair from the number `common` of
/// buckets both are free in ([`PersonFeatures::full_buckets`] of each, intersected), when
/// [`buckets_bound_counts`] holds.
///
/// Each slot starts a meeting window that holds a whole common bucket (for 59 minutes or more,
/// the first bucket starting in the window; on the grid, its first bucket), and two slots of a
/// block are 30 minutes apart, so they hold different buckets: slots ≤ `common`. Each day with
/// a slot has a slot of its own: days ≤ min(slots, 7). Robust slots are slots of the all-seasons
/// weeks, which lie inside the reference week: robust ≤ their common buckets ≤ `common`.
pub fn slots_bound(common: u32) -> (u32, u32, u32) {
    (common, common.min(7), common)
}

/// Slot counts, spread and what was needed.
pub fn evidence(
    mentee: &PersonFeatures,
    mentor: &PersonFeatures,
    cfg: &ScoreConfig,
) -> AvailabilityEvidence {
    let (slots, days, robust_slots) = stats(mentee, mentor, cfg).unwrap_or((0, 0, 0));
    AvailabilityEvidence {
        slots,
        days,
        robust_slots,
        meeting_minutes: cfg.meeting_minutes,
        needed_minutes_per_week: needed(cfg),
        slots_for_full_credit: cfg.slots_for_full_credit,
        days_for_full_credit: cfg.days_for_full_credit,
    }
}
