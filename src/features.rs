//! Compact per-person scoring features built from `&[Person]` only: interned tag and language
//! ids, sorted small vectors and weekly availability as UTC minute intervals.

use crate::cohort::{Person, Slot};
use chrono::{Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::Tz;
use std::collections::HashMap;
use std::str::FromStr;

/// Minutes in a week; UTC intervals are taken modulo one week.
pub const WEEK_MINUTES: u32 = 7 * 24 * 60;

/// String ↔ dense id table (goal tags and skill names share one, languages have their own).
#[derive(Debug, Clone, Default)]
pub struct Interner {
    names: Vec<String>,
    ids: HashMap<String, u32>,
}

impl Interner {
    /// The id of `name`, creating it if new.
    pub fn intern(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(name.to_string());
        self.ids.insert(name.to_string(), id);
        id
    }

    /// The name behind `id` (empty for an unknown id).
    pub fn name(&self, id: u32) -> &str {
        self.names.get(id as usize).map_or("", String::as_str)
    }

    /// Number of distinct names.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// True when nothing was interned.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

/// Why a person's availability cannot be placed on the UTC week.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AvailabilityGap {
    /// No slots given.
    NoSlots,
    /// Slots given but no time zone.
    NoTimezone,
}

/// What scoring may read about one person. No protected attribute can be in here: it is built
/// from [`Person`], which does not hold them.
#[derive(Debug, Clone)]
pub struct PersonFeatures {
    /// `(tag id, weight)` sorted by tag id.
    pub goals: Vec<(u32, f64)>,
    /// Sum of goal weights.
    pub goal_weight: f64,
    /// Bitset of goal tag ids (for the mentor side of the goals component).
    pub goal_bits: Vec<u64>,
    /// `(tag id, level)` sorted by tag id.
    pub skills: Vec<(u32, u8)>,
    /// What the mentee wants to grow in for the skills component: `(tag id, weight, own level)`
    /// sorted by tag id; the goals, or the listed skills (weight 1) when there are no goals.
    pub skill_targets: Vec<(u32, f64, u8)>,
    /// Sum of the `skill_targets` weights.
    pub skill_target_weight: f64,
    /// Merged, sorted UTC minute-of-week intervals `[start, end)`, or why there are none.
    pub availability: Result<Vec<(u16, u16)>, AvailabilityGap>,
    /// Language ids, sorted.
    pub languages: Vec<u32>,
    /// Bitset of language ids.
    pub language_bits: Vec<u64>,
    /// Seniority grade.
    pub level: Option<i32>,
    /// Position of each entry of `goals` in the person's own list (0 = listed first).
    pub goal_ranks: Vec<u16>,
    /// Per entry of `skill_targets`: the level the mentee aims for (0 = not given).
    pub skill_aims: Vec<u8>,
    /// The UTC intervals free in the reference week and in a winter and a summer week alike:
    /// what survives every daylight-saving shift of the person's zone.
    pub availability_all_seasons: Result<Vec<(u16, u16)>, AvailabilityGap>,
    /// Mentors: tags related to their goals through a taxonomy, `(tag id, credit, via tag id)`
    /// sorted by tag id (empty without a taxonomy); see the taxonomy component in `score`.
    pub related_goals: Vec<(u32, f64, u32)>,
    /// True when both weeks are `Ok` and equal (the zone has no daylight saving in effect):
    /// every slot of the reference week is then robust, with no second comparison.
    pub seasons_unchanged: bool,
    /// Thirty-minute buckets of the reference week (336 bits, bucket `b` = minutes
    /// `[30 b, 30 b + 30)`) in which the person is free for the whole bucket. Any common block of
    /// 59 minutes or more contains a bucket both are free in, so two disjoint masks rule every
    /// meeting of that length out at once.
    pub full_buckets: [u64; BUCKET_WORDS],
    /// [`PersonFeatures::full_buckets`] of `availability_all_seasons`.
    pub full_buckets_all_seasons: [u64; BUCKET_WORDS],
    /// Every interval of both weeks starts and ends on a bucket boundary, so the buckets describe
    /// them exactly (whole- and half-hour zones with slots on the half hour).
    pub on_bucket_grid: bool,
    /// Skill level by tag id (0 = not listed; shorter than the tag table when the highest ids are
    /// not listed): the mentor side of the skills component, read without a search.
    pub skill_levels: Vec<u8>,
    /// Per entry of `skill_targets`: `weight × credit` for a mentor at level `0, 1, …,
    /// SKILL_TABLE_LEVELS − 1` (filled by `prepare_credit` in the skills component; empty until then).
    pub skill_credit: Vec<[f64; SKILL_TABLE_LEVELS]>,
}

/// Words of [`PersonFeatures::full_buckets`]: 336 thirty-minute buckets per week.
pub const BUCKET_WORDS: usize = BUCKETS.div_ceil(64) as usize;
/// Buckets per week.
pub const BUCKETS: u32 = WEEK_MINUTES / BUCKET_MINUTES;
/// Width of one availability bucket, minutes.
pub const BUCKET_MINUTES: u32 = 30;
/// Mentor levels covered by [`PersonFeatures::skill_credit`] (0 to 7; skill levels are 1 to 5 in
/// the tables; a higher level is computed directly).
pub const SKILL_TABLE_LEVELS: usize = 8;

/// The buckets fully inside one of the merged intervals.
pub fn full_buckets(intervals: &[(u16, u16)]) -> [u64; BUCKET_WORDS] {
    let mut bits = [0u64; BUCKET_WORDS];
    for &(a, b) in intervals {
        let first = (a as u32).div_ceil(BUCKET_MINUTES);
        let end = b as u32 / BUCKET_MINUTES;
        for k in first..end {
            bits[(k / 64) as usize] |= 1 << (k % 64);
        }
    }
    bits
}

/// Features of both tables plus the name tables needed to explain them.
#[derive(Debug, Clone)]
pub struct Features {
    /// One per mentee, in table order.
    pub mentees: Vec<PersonFeatures>,
    /// One per mentor, in table order.
    pub mentors: Vec<PersonFeatures>,
    /// Goal tags and skill names.
    pub tags: Interner,
    /// Languages.
    pub languages: Interner,
    /// The reference date the UTC offsets were taken from.
    pub reference_date: NaiveDate,
    /// Monday of the reference week (UTC minute 0 of the interval axis is its midnight UTC).
    pub week_monday: NaiveDate,
}

impl Features {
    /// Build features for both tables; `reference_date` fixes the week whose UTC offsets apply.
    pub fn build(mentees: &[Person], mentors: &[Person], reference_date: NaiveDate) -> Features {
        let week_monday =
            reference_date - Duration::days(reference_date.weekday().num_days_from_monday() as i64);
        let season_mondays = season_mondays(reference_date);
        let mut tags = Interner::default();
        let mut languages = Interner::default();
        let mut tz_cache: HashMap<String, Option<Tz>> = HashMap::new();
        let mut one = |p: &Person| -> PersonFeatures {
            let mut ranked: Vec<(u32, f64, u16)> = p
                .goals
                .iter()
                .enumerate()
                .map(|(r, g)| {
                    (
                        tags.intern(&g.tag),
                        g.weight,
                        r.min(u16::MAX as usize) as u16,
                    )
                })
                .collect();
            ranked.sort_by_key(|g| (g.0, g.2));
            ranked.dedup_by_key(|g| g.0);
            let goals: Vec<(u32, f64)> = ranked.iter().map(|g| (g.0, g.1)).collect();
            let goal_ranks: Vec<u16> = ranked.iter().map(|g| g.2).collect();
            let mut skills: Vec<(u32, u8)> = p
                .skills
                .iter()
                .map(|s| (tags.intern(&s.name), s.level))
                .collect();
            skills.sort_by_key(|s| s.0);
            skills.dedup_by_key(|s| s.0);
            let mut langs: Vec<u32> = p.languages.iter().map(|l| languages.intern(l)).collect();
            langs.sort_unstable();
            langs.dedup();
            let tz = p.timezone.as_ref().and_then(|name| {
                *tz_cache
                    .entry(name.clone())
                    .or_insert_with(|| Tz::from_str(name).ok())
            });
            let (availability, availability_all_seasons) = if p.availability.is_empty() {
                (Err(AvailabilityGap::NoSlots), Err(AvailabilityGap::NoSlots))
            } else {
                match tz {
                    Some(tz) => {
                        let here = utc_intervals(&p.availability, tz, week_monday);
                        let mut all = here.clone();
                        for monday in season_mondays {
                            all = intersect(&all, &utc_intervals(&p.availability, tz, monday));
                        }
                        (Ok(here), Ok(all))
                    }
                    None => (
                        Err(AvailabilityGap::NoTimezone),
                        Err(AvailabilityGap::NoTimezone),
                    ),
                }
            };
            let own = |tag: u32| {
                skills
                    .binary_search_by_key(&tag, |s| s.0)
                    .map_or(0, |k| skills[k].1)
            };
            let skill_targets: Vec<(u32, f64, u8)> = if goals.is_empty() {
                skills.iter().map(|&(t, l)| (t, 1.0, l)).collect()
            } else {
                goals.iter().map(|&(t, w)| (t, w, own(t))).collect()
            };
            let mut skill_levels = vec![0u8; skills.last().map_or(0, |s| s.0 as usize + 1)];
            for &(t, l) in &skills {
                skill_levels[t as usize] = l;
            }
            let seasons_unchanged = matches!(
                (&availability, &availability_all_seasons),
                (Ok(x), Ok(y)) if x == y
            );
            let on_grid = |x: &Result<Vec<(u16, u16)>, AvailabilityGap>| {
                x.as_ref().is_ok_and(|v| {
                    v.iter().all(|&(a, b)| {
                        a as u32 % BUCKET_MINUTES == 0 && b as u32 % BUCKET_MINUTES == 0
                    })
                })
            };
            PersonFeatures {
                on_bucket_grid: on_grid(&availability) && on_grid(&availability_all_seasons),
                full_buckets_all_seasons: availability_all_seasons
                    .as_ref()
                    .map_or([0; BUCKET_WORDS], |a| full_buckets(a)),
                full_buckets: availability
                    .as_ref()
                    .map_or([0; BUCKET_WORDS], |a| full_buckets(a)),
                seasons_unchanged,
                skill_levels,
                skill_credit: Vec::new(),
                skill_aims: vec![0; skill_targets.len()],
                goal_ranks,
                availability_all_seasons,
                goal_weight: goals.iter().fold(0.0, |s, g| s + g.1),
                goal_bits: bitset(goals.iter().map(|g| g.0)),
                skill_target_weight: skill_targets.iter().fold(0.0, |s, t| s + t.1),
                skill_targets,
                goals,
                skills,
                availability,
                language_bits: bitset(langs.iter().copied()),
                languages: langs,
                level: p.level,
                related_goals: Vec::new(),
            }
        };
        let mentees = mentees.iter().map(&mut one).collect();
        let mentors = mentors.iter().map(&mut one).collect();
        Features {
            mentees,
            mentors,
            tags,
            languages,
            reference_date,
            week_monday,
        }
    }
}

/// Mondays of a winter and a summer week (mid-January and mid-July of the reference year): between
/// them, every zone has been on both its standard and its daylight-saving offset.
fn season_mondays(reference: NaiveDate) -> [NaiveDate; 2] {
    [1, 7].map(|month| {
        let d = NaiveDate::from_ymd_opt(reference.year(), month, 15).unwrap_or(reference);
        d - Duration::days(d.weekday().num_days_from_monday() as i64)
    })
}

/// Intersection of two merged, sorted interval lists.
pub fn intersect(a: &[(u16, u16)], b: &[(u16, u16)]) -> Vec<(u16, u16)> {
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < a.len() && j < b.len() {
        let lo = a[i].0.max(b[j].0);
        let hi = a[i].1.min(b[j].1);
        if lo < hi {
            out.push((lo, hi));
        }
        if a[i].1 < b[j].1 {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

/// A bitset holding `ids`.
fn bitset(ids: impl Iterator<Item = u32>) -> Vec<u64> {
    let mut bits: Vec<u64> = Vec::new();
    for id in ids {
        let w = (id / 64) as usize;
        if bits.len() <= w {
            bits.resize(w + 1, 0);
        }
        bits[w] |= 1 << (id % 64);
    }
    bits
}

/// Is `id` in the bitset?
#[inline]
pub fn has_bit(bits: &[u64], id: u32) -> bool {
    bits.get((id / 64) as usize)
        .is_some_and(|w| (w >> (id % 64)) & 1 == 1)
}

/// Do two bitsets share an element?
#[inline]
pub fn intersects(a: &[u64], b: &[u64]) -> bool {
    a.iter().zip(b).any(|(x, y)| x & y != 0)
}

/// The UTC instant of a local wall-clock time; in a DST gap the time is moved forward until it
/// exists, in an overlap the earlier instant is taken.
pub fn local_to_utc(tz: Tz, local: NaiveDateTime) -> NaiveDateTime {
    let mut t = local;
    for _ in 0..8 {
        match tz.from_local_datetime(&t) {
            LocalResult::Single(dt) => return dt.naive_utc(),
            LocalResult::Ambiguous(a, _) => return a.naive_utc(),
            LocalResult::None => t += Duration::minutes(30),
        }
    }
    // No zone has a gap longer than a few hours; treat the time as UTC as a last resort.
    local
}

/// Weekly slots in local time → merged UTC minute-of-week intervals for the week of `monday`.
pub fn utc_intervals(slots: &[Slot], tz: Tz, monday: NaiveDate) -> Vec<(u16, u16)> {
    let origin = monday.and_hms_opt(0, 0, 0).unwrap_or_default();
    let week = WEEK_MINUTES as i64;
    let mut raw: Vec<(u32, u32)> = Vec::with_capacity(slots.len() + 1);
    for s in slots {
        let day = origin + Duration::days(s.day.index() as i64);
        let a = local_to_utc(tz, day + Duration::minutes(s.start as i64));
        let b = local_to_utc(tz, day + Duration::minutes(s.end as i64));
        let start = (a - origin).num_minutes().rem_euclid(week);
        let len = (b - a).num_minutes().clamp(0, week);
        let end = start + len;
        if end <= week {
            raw.push((start as u32, end as u32));
        } else {
            raw.push((start as u32, week as u32));
            raw.push((0, (end - week) as u32));
        }
    }
    raw.retain(|(a, b)| a < b);
    raw.sort_unstable();
    let mut merged: Vec<(u16, u16)> = Vec::with_capacity(raw.len());
    for (a, b) in raw {
        match merged.last_mut() {
            Some(last) if a <= last.1 as u32 => last.1 = last.1.max(b as u16),
            _ => merged.push((a as u16, b as u16)),
        }
    }
    merged
}

/// Overlap of two merged interval lists: (total minutes in blocks of at least `min_block`,
/// longest block). Blocks shorter than `min_block` are too short to meet and are not counted; a
/// block running over the week boundary (Sun 23:30 to Mon 00:30 UTC) counts as one.
pub fn overlap(a: &[(u16, u16)], b: &[(u16, u16)], min_block: u32) -> (u32, u32) {
    let (mut i, mut j) = (0, 0);
    let (mut total, mut longest) = (0u32, 0u32);
    let mut count = |len: u32| {
        longest = longest.max(len);
        if len >= min_block {
            total += len;
        }
    };
    let (mut head, mut tail) = (None::<u32>, None::<u32>);
    let mut first = true;
    while i < a.len() && j < b.len() {
        let (a0, a1) = a[i];
        let (b0, b1) = b[j];
        let lo = a0.max(b0);
        let hi = a1.min(b1);
        if lo < hi {
            let len = (hi - lo) as u32;
            if first && lo == 0 {
                head = Some(len);
            } else if hi as u32 == WEEK_MINUTES {
                tail = Some(len);
            } else {
                count(len);
            }
            first = false;
        }
        if a1 < b1 {
            i += 1;
        } else {
            j += 1;
        }
    }
    match (head, tail) {
        (Some(h), Some(t)) => count(h + t),
        (h, t) => {
            h.into_iter().chain(t).for_each(&mut count);
        }
    }
    (total, longest)
}

/// Today's date in UTC (the default reference date).
pub fn today_utc() -> NaiveDate {
    chrono::Utc::now().date_naive()
}
