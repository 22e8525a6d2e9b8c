//! A recurring meeting for every matched pair: a weekly slot inside both people's availability
//! (each in their own time zone, converted per actual date) in every meeting week of a programme.
//!
//! # The rule
//! A programme starts on `start` and lasts `weeks` weeks; programme week `k` is the seven days
//! from `start + 7k`, and the pair meets in weeks `0, cadence, 2·cadence, …`. A slot is a day of
//! the programme week and a local start time *in one of the two people's zones* (the anchor), so
//! the anchor's wall-clock time stays fixed and the other person's follows the DST changes of
//! both zones, which fall on different dates. Both people's weekly availability is turned into
//! absolute UTC intervals for every date of the programme ([`crate::features::local_to_utc`]),
//! so every occurrence is checked at its real offsets.
//!
//! Candidates are the starts of the shared free intervals and every quarter hour inside them (in
//! the anchor's local time); a local time that does not exist or exists twice on a meeting date
//! (a DST gap or overlap) is not a candidate. The chosen slot is the candidate that fits the most
//! meeting weeks; ties go to the mentee's zone as anchor, then to the earliest day of the
//! programme week, then the earliest time. Weeks the slot does not fit *move*: they take the
//! alternate slot, chosen by the same rule over the moved weeks; a moved week that the alternate
//! does not fit either has no meeting (its `utc_start` is `None`).

pub mod ics;

use crate::cohort::{Cohort, Person, Role, Slot, Weekday};
use crate::features::local_to_utc;
use crate::matching::MatchResult;
use crate::score::ScoreConfig;
use chrono::{
    DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset,
    TimeZone, Utc,
};
use chrono_tz::Tz;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};
use std::str::FromStr;

/// Longest programme accepted, in weeks (ten years).
pub const MAX_WEEKS: u32 = 520;
/// Candidate start times are taken on this grid (minutes, anchor-local).
pub const GRID_MINUTES: u32 = 15;
/// Programme length when none is given.
pub const DEFAULT_WEEKS: u32 = 26;

/// Why a schedule cannot be built: bad options or a result that does not fit its cohort.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    /// `start` is not a `YYYY-MM-DD` date.
    #[error("schedule start {value:?} is not a date; give it as YYYY-MM-DD, e.g. 2027-01-04")]
    StartNotADate {
        /// The value given.
        value: String,
    },
    /// A numeric option is out of range.
    #[error("schedule option {option} = {value} is out of range: {rule}")]
    OutOfRange {
        /// `weeks`, `meeting_minutes` or `cadence_weeks`.
        option: &'static str,
        /// The value given.
        value: u32,
        /// What is allowed.
        rule: &'static str,
    },
    /// A pair names a person missing from the cohort.
    #[error("pair ({mentee_id:?}, {mentor_id:?}): {table} has no id {id:?}; schedule a result with the cohort it was matched from")]
    UnknownId {
        /// The pair's mentee.
        mentee_id: String,
        /// The pair's mentor.
        mentor_id: String,
        /// `mentees` or `mentors`.
        table: &'static str,
        /// The missing id.
        id: String,
    },
}

/// The programme a schedule is built for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleOptions {
    /// First day of the programme (meetings are on or after it).
    pub start: NaiveDate,
    /// Programme length in weeks (1..=520).
    pub weeks: u32,
    /// Length of one meeting in minutes (1..=720).
    pub meeting_minutes: u32,
    /// A meeting every this many weeks (1..=weeks).
    pub cadence_weeks: u32,
}

impl ScheduleOptions {
    /// Options from what the user gave: `start` as `YYYY-MM-DD`; `weeks` defaults to
    /// [`DEFAULT_WEEKS`], the meeting length and cadence to the ones the matching scored with.
    ///
    /// # Errors
    /// [`ScheduleError::StartNotADate`] and [`ScheduleError::OutOfRange`].
    pub fn new(
        start: &str,
        weeks: Option<u32>,
        meeting_minutes: Option<u32>,
        cadence_weeks: Option<u32>,
        scoring: &ScoreConfig,
    ) -> Result<Self, ScheduleError> {
        let start = NaiveDate::parse_from_str(start.trim(), "%Y-%m-%d").map_err(|_| {
            ScheduleError::StartNotADate {
                value: start.to_string(),
            }
        })?;
        let opts = ScheduleOptions {
            start,
            weeks: weeks.unwrap_or(DEFAULT_WEEKS),
            meeting_minutes: meeting_minutes.unwrap_or(scoring.meeting_minutes),
            cadence_weeks: cadence_weeks.unwrap_or(scoring.cadence_weeks),
        };
        opts.validate()?;
        Ok(opts)
    }

    /// Check the ranges.
    ///
    /// # Errors
    /// [`ScheduleError::OutOfRange`] naming the option.
    pub fn validate(&self) -> Result<(), ScheduleError> {
        let bad = |option, value, rule| {
            Err(ScheduleError::OutOfRange {
                option,
                value,
                rule,
            })
        };
        if self.weeks == 0 || self.weeks > MAX_WEEKS {
            return bad("weeks", self.weeks, "between 1 and 520");
        }
        if self.meeting_minutes == 0 || self.meeting_minutes > 720 {
            return bad("meeting_minutes", self.meeting_minutes, "between 1 and 720");
        }
        if self.cadence_weeks == 0 || self.cadence_weeks > self.weeks {
            return bad(
                "cadence_weeks",
                self.cadence_weeks,
                "at least 1 and at most the programme's weeks",
            );
        }
        Ok(())
    }

    /// The programme weeks with a meeting: `0, cadence, 2·cadence, … < weeks`.
    pub fn meeting_weeks(&self) -> Vec<u32> {
        (0..self.weeks)
            .step_by(self.cadence_weeks as usize)
            .collect()
    }

    /// First day of programme week `week`.
    pub fn week_start(&self, week: u32) -> NaiveDate {
        self.start + Duration::days(7 * week as i64)
    }

    /// The day after the programme.
    pub fn end(&self) -> NaiveDate {
        self.week_start(self.weeks)
    }
}

/// The default programme start for a result: the first Monday on or after `date` (the matching's
/// reference date).
pub fn first_monday_from(date: NaiveDate) -> NaiveDate {
    date + Duration::days((7 - date.weekday().num_days_from_monday() as i64) % 7)
}

/// A weekly slot in one zone's local time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeeklySlot {
    /// IANA zone the time is fixed in (one of the two people's).
    pub timezone: String,
    /// Day of the week.
    pub weekday: Weekday,
    /// Local start, minutes after midnight.
    pub start_minute: u32,
    /// Meeting length in minutes.
    pub minutes: u32,
}

/// One person's view of a meeting: their zone, weekday and local start and end (`HH:MM`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalTimes {
    /// IANA zone.
    pub timezone: String,
    /// Local day of the week of the start.
    pub weekday: Weekday,
    /// Local start, `HH:MM`.
    pub start: String,
    /// Local end, `HH:MM`.
    pub end: String,
}

/// A meeting week where the regular slot does not fit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Move {
    /// Programme week (0-based).
    pub week: u32,
    /// The date the regular slot would have been on (anchor-local).
    pub date: NaiveDate,
    /// Start of the alternate meeting that week; `None` when no slot fits that week.
    pub utc_start: Option<DateTime<Utc>>,
}

/// One planned meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meeting {
    /// Programme week (0-based).
    pub week: u32,
    /// Start in UTC.
    pub utc_start: DateTime<Utc>,
    /// Held at the alternate slot.
    pub alternate: bool,
}

/// Why a pair has no slot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ScheduleGap {
    /// A person has no time zone.
    NoTimezone {
        /// Which table.
        role: Role,
        /// Their id.
        id: String,
    },
    /// A person listed no availability.
    NoAvailability {
        /// Which table.
        role: Role,
        /// Their id.
        id: String,
    },
    /// Both are placed but share no block of a meeting's length in any meeting week.
    NoSharedTime {
        /// The meeting length looked for.
        minutes: u32,
    },
}

impl std::fmt::Display for ScheduleGap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let who = |r: &Role| match r {
            Role::Mentee => "mentee",
            Role::Mentor => "mentor",
        };
        match self {
            ScheduleGap::NoTimezone { role, id } => write!(
                f,
                "{} {id:?} has no time zone; give an IANA name such as Europe/Berlin in the timezone column",
                who(role)
            ),
            ScheduleGap::NoAvailability { role, id } => write!(
                f,
                "{} {id:?} listed no availability; add weekly slots such as \"Mon 09:00-11:00\"",
                who(role)
            ),
            ScheduleGap::NoSharedTime { minutes } => write!(
                f,
                "no shared free block of {minutes} minutes in any meeting week"
            ),
        }
    }
}

/// The proposed meetings of one pair.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairSchedule {
    /// Mentee id.
    pub mentee_id: String,
    /// Mentor id.
    pub mentor_id: String,
    /// The regular weekly slot, `None` when the pair has none (see `gap`).
    pub slot: Option<WeeklySlot>,
    /// The first meeting at the regular slot.
    pub utc_start: Option<DateTime<Utc>>,
    /// The mentee's local view of that meeting.
    pub mentee: Option<LocalTimes>,
    /// The mentor's local view of that meeting.
    pub mentor: Option<LocalTimes>,
    /// Meeting weeks that move (empty when the slot fits every week).
    pub moves: Vec<Move>,
    /// The slot moved weeks take, when some do.
    pub alternate: Option<WeeklySlot>,
    /// Every planned meeting, in time order.
    pub meetings: Vec<Meeting>,
    /// Either zone changes its UTC offset during the programme.
    pub crosses_dst: bool,
    /// Why there is no slot.
    pub gap: Option<ScheduleGap>,
}

impl PairSchedule {
    /// The reason in words: why there is no slot, or which meetings could not be placed.
    pub fn reason(&self) -> Option<String> {
        if let Some(g) = &self.gap {
            return Some(g.to_string());
        }
        let skipped: Vec<String> = self
            .moves
            .iter()
            .filter(|m| m.utc_start.is_none())
            .map(|m| m.date.to_string())
            .collect();
        (!skipped.is_empty()).then(|| {
            format!(
                "{} meeting(s) have no shared time and are left out: {}",
                skipped.len(),
                skipped.join(", ")
            )
        })
    }
}

/// Counts over a schedule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScheduleSummary {
    /// Pairs in the result.
    pub pairs: usize,
    /// Pairs with a regular slot.
    pub scheduled: usize,
    /// Scheduled pairs whose slot fits every meeting week.
    pub without_moves: usize,
    /// Scheduled pairs where at least one zone changes offset during the programme.
    pub crossing_dst: usize,
    /// Of those, the pairs whose slot fits every meeting week.
    pub surviving_dst: usize,
    /// Meetings planned in all.
    pub meetings: usize,
}

/// A schedule for every pair of a result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Schedule {
    /// The programme.
    pub options: ScheduleOptions,
    /// One per pair, in the result's pair order.
    pub pairs: Vec<PairSchedule>,
    /// Counts.
    pub summary: ScheduleSummary,
}

/// One person as the scheduler sees them: zone and absolute UTC free intervals (minutes since
/// the Unix epoch, merged, sorted) over the programme.
struct Placed {
    tz: Tz,
    free: Vec<(i64, i64)>,
}

fn epoch_minutes(t: NaiveDateTime) -> i64 {
    t.and_utc().timestamp().div_euclid(60)
}

fn from_epoch_minutes(m: i64) -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp(m * 60, 0).unwrap_or_default()
}

fn place(p: &Person, role: Role, opts: &ScheduleOptions) -> Result<Placed, ScheduleGap> {
    let gap = |f: fn(Role, String) -> ScheduleGap| f(role, p.id.clone());
    if p.availability.is_empty() {
        return Err(gap(|role, id| ScheduleGap::NoAvailability { role, id }));
    }
    let tz = p
        .timezone
        .as_deref()
        .and_then(|n| Tz::from_str(n).ok())
        .ok_or_else(|| gap(|role, id| ScheduleGap::NoTimezone { role, id }))?;
    Ok(Placed {
        tz,
        free: free_intervals(&p.availability, tz, opts.start, opts.end()),
    })
}

/// The UTC instant of a local wall-clock time, the later one in an overlap (where the clocks go
/// back); in a gap, as [`local_to_utc`].
fn local_to_utc_last(tz: Tz, local: NaiveDateTime) -> NaiveDateTime {
    match tz.from_local_datetime(&local) {
        LocalResult::Ambiguous(_, b) => b.naive_utc(),
        _ => local_to_utc(tz, local),
    }
}

/// Push the UTC intervals (epoch minutes) of the instants whose wall-clock time in `tz` lies in
/// `[start, end)`: one interval, or two when the clocks go back inside it (a repeated half hour
/// of the slot is free twice, the wall-clock time between the two passes is not).
fn push_local_span(tz: Tz, start: NaiveDateTime, end: NaiveDateTime, out: &mut Vec<(i64, i64)>) {
    let lo = epoch_minutes(local_to_utc(tz, start));
    let hi = epoch_minutes(local_to_utc_last(tz, end));
    let offset = |t: i64| {
        i64::from(
            tz.offset_from_utc_datetime(&from_epoch_minutes(t).naive_utc())
                .fix()
                .local_minus_utc(),
        ) / 60
    };
    let (s, e) = (epoch_minutes(start), epoch_minutes(end));
    let mut a = lo;
    while a < hi {
        // The piece from `a` at one offset: up to the first minute at another (found by
        // bisection; no zone changes its offset twice within a day).
        let off = offset(a);
        let mut b = hi;
        if offset(hi - 1) != off {
            let (mut l, mut r) = (a, hi - 1);
            while r - l > 1 {
                let m = l + (r - l) / 2;
                if offset(m) == off {
                    l = m;
                } else {
                    r = m;
                }
            }
            b = r;
        }
        let (x, y) = (a.max(s - off), b.min(e - off));
        if x < y {
            out.push((x, y));
        }
        a = b;
    }
}

/// Absolute UTC free intervals of weekly local `slots` for every date from the day before
/// `first` to the day after `end` (so meetings near a week edge see the neighbouring days).
pub fn free_intervals(slots: &[Slot], tz: Tz, first: NaiveDate, end: NaiveDate) -> Vec<(i64, i64)> {
    let mut raw = Vec::new();
    let mut day = first - Duration::days(1);
    while day <= end + Duration::days(1) {
        let midnight = day.and_time(NaiveTime::MIN);
        for s in slots
            .iter()
            .filter(|s| s.day.index() == day.weekday().num_days_from_monday())
        {
            let start = midnight + Duration::minutes(s.start as i64);
            let end = midnight + Duration::minutes(s.end as i64);
            push_local_span(tz, start, end, &mut raw);
        }
        day += Duration::days(1);
    }
    raw.sort_unstable();
    let mut merged: Vec<(i64, i64)> = Vec::with_capacity(raw.len());
    for (a, b) in raw {
        match merged.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => merged.push((a, b)),
        }
    }
    merged
}

/// Is `[a, b)` inside one of the sorted, merged intervals?
fn covered(free: &[(i64, i64)], a: i64, b: i64) -> bool {
    let k = free.partition_point(|iv| iv.0 <= a);
    k > 0 && free[k - 1].1 >= b
}

/// Intersection of two sorted, merged interval lists.
fn intersect(x: &[(i64, i64)], y: &[(i64, i64)]) -> Vec<(i64, i64)> {
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < x.len() && j < y.len() {
        let lo = x[i].0.max(y[j].0);
        let hi = x[i].1.min(y[j].1);
        if lo < hi {
            out.push((lo, hi));
        }
        if x[i].1 < y[j].1 {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

/// A candidate: anchor (0 = mentee's zone, 1 = mentor's), day of the programme week, local start.
type Candidate = (u8, u32, u32);

struct PairContext<'a> {
    opts: &'a ScheduleOptions,
    weeks: &'a [u32],
    anchors: [Tz; 2],
    a: &'a Placed,
    b: &'a Placed,
}

impl PairContext<'_> {
    /// UTC start (epoch minutes) of candidate `c` in week `week`; `None` on a DST gap or overlap.
    fn occurrence(&self, c: Candidate, week: u32) -> Option<i64> {
        let (anchor, day, minute) = c;
        let date = self.opts.week_start(week) + Duration::days(day as i64);
        let local = date.and_time(NaiveTime::MIN) + Duration::minutes(minute as i64);
        match self.anchors[anchor as usize].from_local_datetime(&local) {
            LocalResult::Single(t) => Some(epoch_minutes(t.naive_utc())),
            _ => None,
        }
    }

    fn fits(&self, c: Candidate, week: u32) -> Option<i64> {
        let t = self.occurrence(c, week)?;
        let e = t + self.opts.meeting_minutes as i64;
        (covered(&self.a.free, t, e) && covered(&self.b.free, t, e)).then_some(t)
    }

    /// Every candidate: shared-interval starts and quarter hours inside them, anchor-local,
    /// valid (neither a DST gap nor an overlap) on every meeting date.
    fn candidates(&self) -> Vec<Candidate> {
        let shared = intersect(&self.a.free, &self.b.free);
        let dur = self.opts.meeting_minutes as i64;
        let mut set: BTreeSet<Candidate> = BTreeSet::new();
        for (anchor, tz) in self.anchors.iter().enumerate() {
            if anchor == 1 && self.anchors[0] == self.anchors[1] {
                break;
            }
            for &w in self.weeks {
                let first = self.opts.week_start(w);
                let lo = epoch_minutes(local_to_utc(*tz, first.and_time(NaiveTime::MIN)));
                let hi = epoch_minutes(local_to_utc(
                    *tz,
                    (first + Duration::days(7)).and_time(NaiveTime::MIN),
                ));
                let k = shared.partition_point(|iv| iv.1 <= lo);
                for &(s, e) in shared[k..].iter().take_while(|iv| iv.0 < hi) {
                    let (s, e) = (s.max(lo), e);
                    let mut push = |t: i64| {
                        let local = tz
                            .from_utc_datetime(&from_epoch_minutes(t).naive_utc())
                            .naive_local();
                        let day = (local.date() - first).num_days();
                        if (0..7).contains(&day) {
                            let minute = local.time().signed_duration_since(NaiveTime::MIN);
                            set.insert((anchor as u8, day as u32, minute.num_minutes() as u32));
                        }
                    };
                    if e - s < dur || s >= hi {
                        continue;
                    }
                    push(s);
                    let grid = GRID_MINUTES as i64;
                    let offset = tz
                        .offset_from_utc_datetime(&from_epoch_minutes(s).naive_utc())
                        .fix()
                        .local_minus_utc() as i64
                        / 60;
                    let mut t = (s + offset).div_euclid(grid) * grid - offset;
                    if t < s {
                        t += grid;
                    }
                    while t + dur <= e && t < hi {
                        push(t);
                        t += grid;
                    }
                }
            }
        }
        set.into_iter()
            .filter(|&c| self.weeks.iter().all(|&w| self.occurrence(c, w).is_some()))
            .collect()
    }

    /// The best candidate over `weeks` by the documented rule, with how many weeks it fits.
    fn best(&self, candidates: &[Candidate], weeks: &[u32]) -> Option<(Candidate, usize)> {
        let mut best: Option<(Candidate, usize)> = None;
        for &c in candidates {
            let n = weeks.iter().filter(|&&w| self.fits(c, w).is_some()).count();
            // `candidates` is sorted by (anchor, day, minute): the first maximum wins ties.
            if n > 0 && best.map_or(true, |(_, m)| n > m) {
                best = Some((c, n));
            }
        }
        best
    }

    fn slot(&self, c: Candidate) -> WeeklySlot {
        let date = self.opts.start + Duration::days(c.1 as i64);
        WeeklySlot {
            timezone: self.anchors[c.0 as usize].name().to_string(),
            weekday: weekday(date),
            start_minute: c.2,
            minutes: self.opts.meeting_minutes,
        }
    }
}

fn weekday(d: NaiveDate) -> Weekday {
    Weekday::ALL[d.weekday().num_days_from_monday() as usize]
}

fn hhmm(t: NaiveDateTime) -> String {
    t.format("%H:%M").to_string()
}

fn local_times(tz: Tz, utc_start: i64, minutes: u32) -> LocalTimes {
    let s = tz.from_utc_datetime(&from_epoch_minutes(utc_start).naive_utc());
    let e = tz.from_utc_datetime(&from_epoch_minutes(utc_start + minutes as i64).naive_utc());
    LocalTimes {
        timezone: tz.name().to_string(),
        weekday: weekday(s.date_naive()),
        start: hhmm(s.naive_local()),
        end: hhmm(e.naive_local()),
    }
}

/// Does `tz` change its UTC offset between the start and the end of the programme?
fn changes_offset(tz: Tz, opts: &ScheduleOptions) -> bool {
    let offset = |d: NaiveDate| {
        tz.offset_from_utc_datetime(&d.and_time(NaiveTime::MIN))
            .fix()
    };
    let first = offset(opts.start);
    (1..=opts.weeks).any(|w| offset(opts.week_start(w)) != first)
}

fn schedule_pair(
    mentee_id: &str,
    mentor_id: &str,
    a: &Result<Placed, ScheduleGap>,
    b: &Result<Placed, ScheduleGap>,
    opts: &ScheduleOptions,
    weeks: &[u32],
) -> PairSchedule {
    let mut out = PairSchedule {
        mentee_id: mentee_id.to_string(),
        mentor_id: mentor_id.to_string(),
        slot: None,
        utc_start: None,
        mentee: None,
        mentor: None,
        moves: Vec::new(),
        alternate: None,
        meetings: Vec::new(),
        crosses_dst: false,
        gap: None,
    };
    let (a, b) = match (a, b) {
        (Err(g), _) | (_, Err(g)) => {
            out.gap = Some(g.clone());
            return out;
        }
        (Ok(a), Ok(b)) => (a, b),
    };
    out.crosses_dst = changes_offset(a.tz, opts) || changes_offset(b.tz, opts);
    let ctx = PairContext {
        opts,
        weeks,
        anchors: [a.tz, b.tz],
        a,
        b,
    };
    let candidates = ctx.candidates();
    let Some((regular, _)) = ctx.best(&candidates, weeks) else {
        out.gap = Some(ScheduleGap::NoSharedTime {
            minutes: opts.meeting_minutes,
        });
        return out;
    };
    out.slot = Some(ctx.slot(regular));
    let mut moved = Vec::new();
    for &w in weeks {
        match ctx.fits(regular, w) {
            Some(t) => out.meetings.push(Meeting {
                week: w,
                utc_start: from_epoch_minutes(t),
                alternate: false,
            }),
            None => moved.push(w),
        }
    }
    let alternate = ctx.best(&candidates, &moved).map(|(c, _)| c);
    out.alternate = alternate.map(|c| ctx.slot(c));
    for &w in &moved {
        let t = alternate.and_then(|c| ctx.fits(c, w));
        if let Some(t) = t {
            out.meetings.push(Meeting {
                week: w,
                utc_start: from_epoch_minutes(t),
                alternate: true,
            });
        }
        out.moves.push(Move {
            week: w,
            date: opts.week_start(w) + Duration::days(regular.1 as i64),
            utc_start: t.map(from_epoch_minutes),
        });
    }
    out.meetings.sort_by_key(|m| m.utc_start);
    if let Some(first) = out.meetings.iter().find(|m| !m.alternate) {
        let t = epoch_minutes(first.utc_start.naive_utc());
        out.utc_start = Some(first.utc_start);
        out.mentee = Some(local_times(a.tz, t, opts.meeting_minutes));
        out.mentor = Some(local_times(b.tz, t, opts.meeting_minutes));
    }
    out
}

fn index(people: &[Person]) -> HashMap<&str, usize> {
    people
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.as_str(), i))
        .collect()
}

/// Propose a recurring meeting for every pair of `result` (matched from `cohort`).
///
/// # Errors
/// [`ScheduleError::UnknownId`] when a pair names someone the cohort does not hold, and the
/// option errors of [`ScheduleOptions::validate`].
pub fn schedule(
    cohort: &Cohort,
    result: &MatchResult,
    opts: &ScheduleOptions,
) -> Result<Schedule, ScheduleError> {
    let pairs: Vec<(&str, &str)> = result
        .pairs
        .iter()
        .map(|p| (p.mentee_id.as_str(), p.mentor_id.as_str()))
        .collect();
    schedule_pairs(cohort, &pairs, opts)
}

/// Propose a recurring meeting for every `(mentee id, mentor id)` pair of `cohort`.
///
/// # Errors
/// As [`schedule`].
pub fn schedule_pairs(
    cohort: &Cohort,
    pairs: &[(&str, &str)],
    opts: &ScheduleOptions,
) -> Result<Schedule, ScheduleError> {
    opts.validate()?;
    let (mentee_rows, mentor_rows) = (index(&cohort.mentees.people), index(&cohort.mentors.people));
    let mut rows = Vec::with_capacity(pairs.len());
    for &(mentee_id, mentor_id) in pairs {
        let unknown = |table, id: &str| ScheduleError::UnknownId {
            mentee_id: mentee_id.to_string(),
            mentor_id: mentor_id.to_string(),
            table,
            id: id.to_string(),
        };
        let i = *mentee_rows
            .get(mentee_id)
            .ok_or_else(|| unknown("mentees", mentee_id))?;
        let j = *mentor_rows
            .get(mentor_id)
            .ok_or_else(|| unknown("mentors", mentor_id))?;
        rows.push((i, j));
    }
    // Place only the people who are in a pair, once each.
    let place_all = |people: &[Person], role: Role, used: BTreeSet<usize>| {
        let used: Vec<usize> = used.into_iter().collect();
        let placed: Vec<_> = used
            .par_iter()
            .map(|&i| place(&people[i], role, opts))
            .collect();
        used.into_iter().zip(placed).collect::<HashMap<_, _>>()
    };
    let mentees = place_all(
        &cohort.mentees.people,
        Role::Mentee,
        rows.iter().map(|r| r.0).collect(),
    );
    let mentors = place_all(
        &cohort.mentors.people,
        Role::Mentor,
        rows.iter().map(|r| r.1).collect(),
    );
    let weeks = opts.meeting_weeks();
    let pairs: Vec<PairSchedule> = rows
        .par_iter()
        .zip(pairs)
        .map(|(&(i, j), &(mentee_id, mentor_id))| {
            schedule_pair(
                mentee_id,
                mentor_id,
                &mentees[&i],
                &mentors[&j],
                opts,
                &weeks,
            )
        })
        .collect();
    let scheduled: Vec<&PairSchedule> = pairs.iter().filter(|p| p.slot.is_some()).collect();
    let summary = ScheduleSummary {
        pairs: pairs.len(),
        scheduled: scheduled.len(),
        without_moves: scheduled.iter().filter(|p| p.moves.is_empty()).count(),
        crossing_dst: scheduled.iter().filter(|p| p.crosses_dst).count(),
        surviving_dst: scheduled
            .iter()
            .filter(|p| p.crosses_dst && p.moves.is_empty())
            .count(),
        meetings: pairs.iter().map(|p| p.meetings.len()).sum(),
    };
    Ok(Schedule {
        options: *opts,
        pairs,
        summary,
    })
}

/// Column names of [`rows`], in order.
pub const COLUMNS: [&str; 14] = [
    "mentee_id",
    "mentor_id",
    "utc_start",
    "mentee_timezone",
    "mentee_weekday",
    "mentee_start",
    "mentee_end",
    "mentor_timezone",
    "mentor_weekday",
    "mentor_start",
    "mentor_end",
    "meetings",
    "moves",
    "reason",
];

/// The schedule as table rows (see [`COLUMNS`]): `utc_start` in RFC 3339, `moves` as
/// `date -> new UTC start` items joined by `; ` (`date -> none` when the week has no meeting).
pub fn rows(s: &Schedule) -> Vec<[String; 14]> {
    s.pairs
        .iter()
        .map(|p| {
            let local = |l: &Option<LocalTimes>| match l {
                Some(l) => [
                    l.timezone.clone(),
                    l.weekday.abbrev().to_string(),
                    l.start.clone(),
                    l.end.clone(),
                ],
                None => Default::default(),
            };
            let [a0, a1, a2, a3] = local(&p.mentee);
            let [b0, b1, b2, b3] = local(&p.mentor);
            let moves: Vec<String> = p
                .moves
                .iter()
                .map(|m| match m.utc_start {
                    Some(t) => format!("{} -> {}", m.date, t.format("%Y-%m-%dT%H:%MZ")),
                    None => format!("{} -> none", m.date),
                })
                .collect();
            [
                p.mentee_id.clone(),
                p.mentor_id.clone(),
                p.utc_start.map(|t| t.to_rfc3339()).unwrap_or_default(),
                a0,
                a1,
                a2,
                a3,
                b0,
                b1,
                b2,
                b3,
                p.meetings.len().to_string(),
                moves.join("; "),
                p.reason().unwrap_or_default(),
            ]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, mo, d)
            .and_then(|d| d.and_hms_opt(h, mi, 0))
            .unwrap()
    }

    fn span(tz: Tz, start: NaiveDateTime, end: NaiveDateTime) -> Vec<(i64, i64)> {
        let mut out = Vec::new();
        push_local_span(tz, start, end, &mut out);
        out
    }

    /// Sydney goes back from 03:00 (UTC+11) to 02:00 (UTC+10) on 4 April 2027: the local half
    /// hour 02:30-03:00 happens twice, at 15:30 and 16:30 UTC, and the half hour between
    /// (02:00-02:30 of the second pass) is outside the slot.
    #[test]
    fn a_slot_in_the_repeated_hour_is_two_intervals() {
        let tz: Tz = "Australia/Sydney".parse().unwrap();
        let got = span(tz, at(2027, 4, 4, 2, 30), at(2027, 4, 4, 3, 0));
        let utc = |h, mi| epoch_minutes(at(2027, 4, 3, h, mi));
        assert_eq!(
            got,
            vec![(utc(15, 30), utc(16, 0)), (utc(16, 30), utc(17, 0))]
        );
        // Across the whole change (16:00 UTC): 01:00-04:00 local is four hours of UTC, in two
        // adjacent pieces, one per offset.
        let got = span(tz, at(2027, 4, 4, 1, 0), at(2027, 4, 4, 4, 0));
        assert_eq!(
            got,
            vec![(utc(14, 0), utc(16, 0)), (utc(16, 0), utc(18, 0))]
        );
    }

    /// Sydney goes forward from 02:00 (UTC+10) to 03:00 (UTC+11) on 3 October 2027: a slot
    /// 02:00-03:30 is free only from 03:00 local, and an ordinary day is one interval.
    #[test]
    fn a_slot_in_the_skipped_hour_starts_when_the_clock_does() {
        let tz: Tz = "Australia/Sydney".parse().unwrap();
        let got = span(tz, at(2027, 10, 3, 2, 0), at(2027, 10, 3, 3, 30));
        let utc = |d, h, mi| epoch_minutes(at(2027, 10, d, h, mi));
        assert_eq!(got, vec![(utc(2, 16, 0), utc(2, 16, 30))]);
        let got = span(tz, at(2027, 10, 6, 9, 0), at(2027, 10, 6, 10, 0));
        assert_eq!(got, vec![(utc(5, 22, 0), utc(5, 23, 0))]);
    }
}
