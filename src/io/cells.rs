//! Parsers for the structured cells: goals, skills, availability, time zone, level, capacity.

use super::{BadValue, InputError, MAX_CAPACITY, MAX_GOAL_WEIGHT};
use crate::cohort::{Goal, Skill, Slot, Weekday};
use std::str::FromStr;

/// Where in a table a value came from, for error messages.
pub(super) struct Cell<'a> {
    pub(super) table: &'a str,
    pub(super) row: usize,
    pub(super) id: Option<&'a str>,
    pub(super) column: &'a str,
    pub(super) value: &'a str,
}

impl Cell<'_> {
    pub(super) fn err(&self, problem: impl Into<String>, fix: impl Into<String>) -> InputError {
        InputError::InvalidValue(Box::new(BadValue {
            table: self.table.to_string(),
            row: self.row,
            id: self.id.map(str::to_string),
            column: self.column.to_string(),
            value: self.value.to_string(),
            problem: problem.into(),
            fix: fix.into(),
        }))
    }
}

pub(super) fn split_list<const N: usize>(
    s: &str,
    seps: [char; N],
) -> impl Iterator<Item = &str> + '_ {
    s.split(seps).map(str::trim).filter(|x| !x.is_empty())
}

pub(super) fn normalise_tag(s: &str) -> String {
    crate::cohort::normalise_label(s)
}

pub(super) fn parse_goals(c: &Cell) -> Result<Vec<Goal>, InputError> {
    let mut out: Vec<Goal> = Vec::new();
    for part in split_list(c.value, [';']) {
        let (tag, weight) = match part.rsplit_once(':') {
            Some((tag, w)) => {
                let weight: f64 = w.trim().parse().map_err(|_| {
                    c.err(
                        format!("goal weight {:?} in {part:?} is not a number", w.trim()),
                        "write goals as `tag` or `tag:weight` with a positive number, e.g. `leadership:2;public speaking`",
                    )
                })?;
                (tag, weight)
            }
            None => (part, 1.0),
        };
        if !(weight > 0.0 && weight <= MAX_GOAL_WEIGHT) {
            return Err(c.err(
                format!("goal weight {weight:?} in {part:?} must be a positive number, at most {MAX_GOAL_WEIGHT}"),
                "use a weight such as 1 or 2, or leave it out (weight 1)",
            ));
        }
        let tag = normalise_tag(tag);
        if tag.is_empty() {
            return Err(c.err(
                format!("{part:?} has an empty goal tag"),
                "write goals as `tag` or `tag:weight`",
            ));
        }
        if out.iter().any(|g| g.tag == tag) {
            return Err(c.err(
                format!("goal {tag:?} is listed twice"),
                "list each goal once; give it a weight (`tag:2`) to make it count more",
            ));
        }
        out.push(Goal { tag, weight });
    }
    Ok(out)
}

pub(super) fn parse_skills(c: &Cell) -> Result<Vec<Skill>, InputError> {
    let mut out: Vec<Skill> = Vec::new();
    let fix = "write skills as `name:level` with a level from 1 to 5, e.g. `python:4;sql:2`";
    for part in split_list(c.value, [';']) {
        let Some((name, lvl)) = part.rsplit_once(':') else {
            return Err(c.err(format!("skill {part:?} has no level"), fix));
        };
        let level = parse_int(lvl.trim())
            .filter(|l| (1..=5).contains(l))
            .ok_or_else(|| {
                c.err(
                    format!(
                        "skill level {:?} in {part:?} is not an integer from 1 to 5",
                        lvl.trim()
                    ),
                    fix,
                )
            })? as u8;
        let name = normalise_tag(name);
        if name.is_empty() {
            return Err(c.err(format!("{part:?} has an empty skill name"), fix));
        }
        if out.iter().any(|s| s.name == name) {
            return Err(c.err(
                format!("skill {name:?} is listed twice"),
                "list each skill once",
            ));
        }
        out.push(Skill { name, level });
    }
    Ok(out)
}

/// Integers, also written as integral floats (`3.0`, from pandas).
pub(super) fn parse_int(s: &str) -> Option<i64> {
    if let Ok(v) = s.parse::<i64>() {
        return Some(v);
    }
    let f: f64 = s.parse().ok()?;
    (f.is_finite() && f.fract() == 0.0 && f.abs() < 9.0e15).then_some(f as i64)
}

pub(super) fn parse_level(c: &Cell) -> Result<i32, InputError> {
    parse_int(c.value)
        .and_then(|v| i32::try_from(v).ok())
        .ok_or_else(|| {
            c.err(
                "the seniority level must be an integer grade",
                "use a number such as 3 (higher = more senior), or leave the cell empty",
            )
        })
}

pub(super) fn parse_capacity(c: &Cell) -> Result<u32, InputError> {
    parse_int(c.value)
        .filter(|v| (0..=MAX_CAPACITY as i64).contains(v))
        .map(|v| v as u32)
        .ok_or_else(|| {
            c.err(
                format!("must be a whole number from 0 to {MAX_CAPACITY}"),
                "use e.g. 1 or 2 (0 = takes part but gets no match), or leave it empty for the default 1",
            )
        })
}

/// A mentor's `min_load` cell: a whole number from 0 to the largest capacity.
pub(super) fn parse_min_load(c: &Cell) -> Result<u32, InputError> {
    parse_int(c.value)
        .filter(|v| (0..=MAX_CAPACITY as i64).contains(v))
        .map(|v| v as u32)
        .ok_or_else(|| {
            c.err(
                format!("must be a whole number from 0 to {MAX_CAPACITY}"),
                "use e.g. 1 or 2 (the fewest mentees this mentor should get), or leave it empty for the programme's default min_load",
            )
        })
}

pub(super) fn parse_timezone(c: &Cell) -> Result<String, InputError> {
    chrono_tz::Tz::from_str(c.value)
        .map(|tz| tz.name().to_string())
        .map_err(|_| {
            c.err(
                "unknown time zone",
                "use an IANA time zone name such as Europe/Berlin, America/New_York or Asia/Kolkata",
            )
        })
}

pub(super) fn parse_languages(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for l in split_list(s, [';', ',']) {
        let l = normalise_tag(l);
        if !out.contains(&l) {
            out.push(l);
        }
    }
    out
}

pub(super) fn parse_weekday(s: &str) -> Option<Weekday> {
    let full = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    Weekday::ALL.into_iter().zip(full).find_map(|(d, f)| {
        (s.eq_ignore_ascii_case(f) || s.eq_ignore_ascii_case(d.abbrev())).then_some(d)
    })
}

pub(super) fn parse_clock(s: &str) -> Option<u16> {
    let (h, m) = s.trim().split_once(':')?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    let h: u16 = h.parse().ok()?;
    let m: u16 = m.parse().ok()?;
    (h <= 24 && m < 60 && (h < 24 || m == 0)).then_some(h * 60 + m)
}

pub(super) fn parse_availability(c: &Cell) -> Result<Vec<Slot>, InputError> {
    let fix = "write weekly slots as `Mon 09:00-11:00;Wed 14:00-15:30` (24-hour clock, local time, end after start; split slots that pass midnight)";
    let mut out = Vec::new();
    for part in split_list(c.value, [';', ',']) {
        let (day, range) = part
            .split_once(char::is_whitespace)
            .ok_or_else(|| c.err(format!("slot {part:?} needs a day and a time range"), fix))?;
        let day = parse_weekday(day.trim()).ok_or_else(|| {
            c.err(
                format!("{:?} in slot {part:?} is not a day of the week", day.trim()),
                fix,
            )
        })?;
        let (a, b) = range
            .split_once('-')
            .ok_or_else(|| c.err(format!("slot {part:?} has no `start-end` range"), fix))?;
        let (start, end) = match (parse_clock(a), parse_clock(b)) {
            (Some(s), Some(e)) => (s, e),
            _ => {
                return Err(c.err(
                    format!("slot {part:?} does not have valid HH:MM times within 00:00-24:00"),
                    fix,
                ))
            }
        };
        if start >= end {
            return Err(c.err(format!("slot {part:?} ends before it starts"), fix));
        }
        out.push(Slot { day, start, end });
    }
    Ok(out)
}
