//! iCalendar (RFC 5545) export of a [`Schedule`], built with the `icalendar` crate: one recurring
//! `VEVENT` per pair plus one for its moved weeks, and a `VTIMEZONE` for every zone referenced.
//!
//! The regular event starts at the first meeting week's regular slot (`DTSTART;TZID=` the anchor
//! zone) and repeats with `RRULE:FREQ=WEEKLY;INTERVAL=<cadence>;COUNT=<meeting weeks>`; weeks that
//! move are `EXDATE`s, and the alternate event lists them with `DTSTART` and `RDATE`s. People
//! are `ATTENDEE`s with `CN=` their id and a `urn:mentorpair:` address (no e-mail is invented).

use super::{PairSchedule, Schedule, WeeklySlot};
use chrono::{DateTime, Datelike, Duration, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::{OffsetComponents, OffsetName, Tz};
use icalendar::{Calendar, CalendarDateTime, Component, Event, EventLike, Property};
use std::collections::BTreeSet;
use std::str::FromStr;

const LOCAL: &str = "%Y%m%dT%H%M%S";

/// A parameter or text value without the characters RFC 5545 cannot carry there.
fn clean(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '"' => '\'',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect()
}

/// `urn:mentorpair:<role>:<id>` with every byte outside the URI unreserved set percent-encoded.
fn address(role: &str, id: &str) -> String {
    let mut s = format!("urn:mentorpair:{role}:");
    for b in id.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s
}

fn attendee(role: &str, id: &str) -> Property {
    Property::new("ATTENDEE", address(role, id))
        .add_parameter("CN", &clean(id))
        .add_parameter("CUTYPE", "INDIVIDUAL")
        .add_parameter("ROLE", "REQ-PARTICIPANT")
        .done()
}

fn local(tz: Tz, t: DateTime<Utc>) -> NaiveDateTime {
    tz.from_utc_datetime(&t.naive_utc()).naive_local()
}

fn with_tz(tz: Tz, t: DateTime<Utc>) -> CalendarDateTime {
    CalendarDateTime::WithTimezone {
        date_time: local(tz, t),
        tzid: tz.name().to_string(),
    }
}

fn zone(slot: &WeeklySlot) -> Tz {
    Tz::from_str(&slot.timezone).unwrap_or(Tz::UTC)
}

fn offset_text(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let m = seconds.unsigned_abs() / 60;
    format!("{sign}{:02}{:02}", m / 60, m % 60)
}

/// The offset changes of `tz` between `from` and `to`: `(instant, offset before, offset after)`,
/// found by an hourly scan refined to the minute.
fn transitions(tz: Tz, from: NaiveDateTime, to: NaiveDateTime) -> Vec<(NaiveDateTime, i32, i32)> {
    let off = |t: NaiveDateTime| tz.offset_from_utc_datetime(&t).fix().local_minus_utc();
    let mut out = Vec::new();
    let mut t = from;
    while t < to {
        let next = t + Duration::hours(1);
        let (a, b) = (off(t), off(next));
        if a != b {
            let (mut lo, mut hi) = (t, next);
            while hi - lo > Duration::minutes(1) {
                let mid = lo + (hi - lo) / 2;
                if off(mid) == a {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            out.push((hi, a, b));
        }
        t = next;
    }
    out
}

/// A `VTIMEZONE` for `tz` (CRLF lines) that is exact over `[from, to]` (UTC).
fn vtimezone(tz: Tz, from: NaiveDateTime, to: NaiveDateTime) -> String {
    let observance = |at: NaiveDateTime, before: i32, after: i32| {
        let o = tz.offset_from_utc_datetime(&at);
        let kind = if o.dst_offset().is_zero() {
            "STANDARD"
        } else {
            "DAYLIGHT"
        };
        let onset = at + Duration::seconds(before as i64);
        let mut s = format!(
            "BEGIN:{kind}\r\nDTSTART:{}\r\nTZOFFSETFROM:{}\r\nTZOFFSETTO:{}\r\n",
            onset.format(LOCAL),
            offset_text(before),
            offset_text(after)
        );
        if let Some(name) = o.abbreviation() {
            s.push_str(&format!("TZNAME:{}\r\n", clean(name)));
        }
        s.push_str(&format!("END:{kind}\r\n"));
        s
    };
    let first = tz.offset_from_utc_datetime(&from).fix().local_minus_utc();
    let mut text = format!("BEGIN:VTIMEZONE\r\nTZID:{}\r\n", tz.name());
    text.push_str(&observance(from, first, first));
    for (at, before, after) in transitions(tz, from, to) {
        text.push_str(&observance(at, before, after));
    }
    text.push_str("END:VTIMEZONE\r\n");
    text
}

fn event_base(uid: &str, p: &PairSchedule, summary: &str, minutes: u32) -> Event {
    let mut e = Event::new();
    e.uid(uid)
        .summary(&clean(summary))
        .add_property("DURATION", format!("PT{minutes}M"))
        .append_multi_property(attendee("mentee", &p.mentee_id))
        .append_multi_property(attendee("mentor", &p.mentor_id));
    e
}

/// The schedule as an iCalendar document. Pairs without a slot are left out (their reason is in
/// the schedule's rows).
pub fn to_ics(schedule: &Schedule) -> String {
    let opts = &schedule.options;
    let mut cal = Calendar::new();
    cal.name(&format!("Mentoring programme from {}", opts.start));
    let mut zones: BTreeSet<&'static str> = BTreeSet::new();
    let mut events = Vec::new();
    let stamp = Utc::now();
    let weeks = opts.meeting_weeks();
    for (i, p) in schedule.pairs.iter().enumerate() {
        let Some(slot) = &p.slot else { continue };
        let tz = zone(slot);
        zones.insert(tz.name());
        let uid = format!("mentorpair-{}-{i}", opts.start.format("%Y%m%d"));
        let title = format!("Mentoring: {} and {}", p.mentee_id, p.mentor_id);
        let mut e = event_base(&uid, p, &title, slot.minutes);
        let first_day = opts.start
            + Duration::days(
                (slot.weekday.index() as i64 - opts.start.weekday().num_days_from_monday() as i64)
                    .rem_euclid(7),
            );
        let first = first_day.and_hms_opt(0, 0, 0).unwrap_or_default()
            + Duration::minutes(slot.start_minute as i64);
        e.timestamp(stamp)
            .starts(CalendarDateTime::WithTimezone {
                date_time: first,
                tzid: tz.name().to_string(),
            })
            .add_property(
                "RRULE",
                format!(
                    "FREQ=WEEKLY;INTERVAL={};COUNT={}",
                    opts.cadence_weeks,
                    weeks.len()
                ),
            )
            .description(&clean(&format!(
                "{} minutes every {} week(s) for {} weeks, at a fixed time in {}.{}",
                slot.minutes,
                opts.cadence_weeks,
                opts.weeks,
                slot.timezone,
                p.reason().map(|r| format!(" {r}.")).unwrap_or_default()
            )));
        for m in &p.moves {
            let at = first + Duration::days(7 * m.week as i64);
            e.append_multi_property(
                Property::new("EXDATE", at.format(LOCAL).to_string())
                    .add_parameter("TZID", tz.name())
                    .done(),
            );
        }
        events.push(e.done());
        let moved: Vec<DateTime<Utc>> = p.moves.iter().filter_map(|m| m.utc_start).collect();
        if let (Some(alt), Some((head, rest))) = (&p.alternate, moved.split_first()) {
            let atz = zone(alt);
            zones.insert(atz.name());
            let mut e = event_base(
                &format!("{uid}-moved"),
                p,
                &format!("{title} (moved)"),
                alt.minutes,
            );
            e.timestamp(stamp)
                .starts(with_tz(atz, *head))
                .add_property("RELATED-TO", uid.as_str())
                .description("The weeks the regular slot does not fit both people.");
            for t in rest {
                e.append_multi_property(
                    Property::new("RDATE", local(atz, *t).format(LOCAL).to_string())
                        .add_parameter("TZID", atz.name())
                        .done(),
                );
            }
            events.push(e.done());
        }
    }
    let from = (opts.start - Duration::days(14))
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default();
    let to = (opts.end() + Duration::days(14))
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default();
    for e in events {
        cal.push(e);
    }
    // The crate gives every component it cannot type a UID and DTSTAMP, which a VTIMEZONE must
    // not carry: the zone definitions are written as text and placed before the first event.
    let zones: String = zones
        .into_iter()
        .filter_map(|n| Tz::from_str(n).ok())
        .map(|tz| vtimezone(tz, from, to))
        .collect();
    let text = cal.done().to_string();
    let at = text
        .find("BEGIN:VEVENT")
        .or_else(|| text.find("END:VCALENDAR"))
        .unwrap_or(text.len());
    format!("{}{zones}{}", &text[..at], &text[at..])
}
