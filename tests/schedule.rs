//! Meeting schedules across daylight-saving changes, checked against an independent oracle: every
//! meeting minute converted to each person's local time must lie inside one of their slots.

use chrono::{Datelike, NaiveDate, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use mentorpair::cohort::{Cohort, Person, Role, Slot, Table, Weekday};
use mentorpair::schedule::{
    self, ics, schedule_pairs, ScheduleError, ScheduleGap, ScheduleOptions,
};
use mentorpair::score::ScoreConfig;
use proptest::prelude::*;

fn slot(day: Weekday, start: &str, end: &str) -> Slot {
    let m = |s: &str| {
        let (h, mi) = s.split_once(':').unwrap();
        h.parse::<u16>().unwrap() * 60 + mi.parse::<u16>().unwrap()
    };
    Slot {
        day,
        start: m(start),
        end: m(end),
    }
}

fn person(id: &str, tz: Option<&str>, slots: Vec<Slot>) -> Person {
    let mut p = Person::new(id);
    p.timezone = tz.map(str::to_string);
    p.availability = slots;
    p
}

fn cohort(mentees: Vec<Person>, mentors: Vec<Person>) -> Cohort {
    let table = |role, people| {
        let mut t = Table::new(role);
        t.people = people;
        t
    };
    Cohort {
        mentees: table(Role::Mentee, mentees),
        mentors: table(Role::Mentor, mentors),
    }
}

fn opts(start: &str, weeks: u32, minutes: u32, cadence: u32) -> ScheduleOptions {
    ScheduleOptions::new(
        start,
        Some(weeks),
        Some(minutes),
        Some(cadence),
        &ScoreConfig::default(),
    )
    .unwrap()
}

/// Oracle: is the UTC minute `t` inside one of `p`'s weekly slots, in `p`'s own local time?
fn free_at(p: &Person, t: chrono::DateTime<Utc>) -> bool {
    let tz: Tz = p.timezone.as_deref().unwrap().parse().unwrap();
    let local = tz.from_utc_datetime(&t.naive_utc());
    let day = Weekday::ALL[local.weekday().num_days_from_monday() as usize];
    let minute = (local.hour() * 60 + local.minute()) as u16;
    p.availability
        .iter()
        .any(|s| s.day == day && s.start <= minute && minute < s.end)
}

fn meeting_inside(p: &Person, start: chrono::DateTime<Utc>, minutes: u32) -> bool {
    (0..minutes as i64).all(|k| free_at(p, start + chrono::Duration::minutes(k)))
}

/// Check every meeting of every pair with the oracle; return how many meetings there were.
fn check_all(c: &Cohort, s: &schedule::Schedule) -> usize {
    let mut n = 0;
    for p in &s.pairs {
        let a = c
            .mentees
            .people
            .iter()
            .find(|x| x.id == p.mentee_id)
            .unwrap();
        let b = c
            .mentors
            .people
            .iter()
            .find(|x| x.id == p.mentor_id)
            .unwrap();
        for m in &p.meetings {
            assert!(
                meeting_inside(a, m.utc_start, s.options.meeting_minutes),
                "{} not free at {}",
                a.id,
                m.utc_start
            );
            assert!(
                meeting_inside(b, m.utc_start, s.options.meeting_minutes),
                "{} not free at {}",
                b.id,
                m.utc_start
            );
            n += 1;
        }
        // Meetings + weeks without one = meeting weeks.
        let skipped = p.moves.iter().filter(|m| m.utc_start.is_none()).count();
        if p.slot.is_some() {
            assert_eq!(p.meetings.len() + skipped, s.options.meeting_weeks().len());
        }
    }
    n
}

#[test]
fn berlin_new_york_wide_window_survives_both_march_changes() {
    // Winter: both 16-18 UTC. 14-28 March 2027 (US changed, EU not): only 16-17 UTC shared.
    let c = cohort(
        vec![person(
            "ee",
            Some("Europe/Berlin"),
            vec![slot(Weekday::Mon, "17:00", "19:00")],
        )],
        vec![person(
            "or",
            Some("America/New_York"),
            vec![slot(Weekday::Mon, "11:00", "13:00")],
        )],
    );
    let o = opts("2027-01-04", 26, 60, 1);
    let s = schedule_pairs(&c, &[("ee", "or")], &o).unwrap();
    let p = &s.pairs[0];
    assert!(p.crosses_dst);
    assert!(p.moves.is_empty(), "{:?}", p.moves);
    assert_eq!(p.meetings.len(), 26);
    let slot = p.slot.as_ref().unwrap();
    assert_eq!(slot.timezone, "Europe/Berlin");
    assert_eq!((slot.weekday, slot.start_minute), (Weekday::Mon, 17 * 60));
    assert_eq!(
        p.utc_start.unwrap(),
        Utc.with_ymd_and_hms(2027, 1, 4, 16, 0, 0).unwrap()
    );
    let ee = p.mentee.as_ref().unwrap();
    let or = p.mentor.as_ref().unwrap();
    assert_eq!((ee.start.as_str(), ee.end.as_str()), ("17:00", "18:00"));
    assert_eq!((or.start.as_str(), or.end.as_str()), ("11:00", "12:00"));
    assert_eq!(check_all(&c, &s), 26);
    assert_eq!(s.summary.surviving_dst, 1);
}

#[test]
fn the_mentor_zone_anchors_when_only_it_fits_every_week() {
    // NY 11:00 fits all weeks; Berlin 17:00 fails the two weeks between the changes.
    let c = cohort(
        vec![person(
            "ee",
            Some("Europe/Berlin"),
            vec![slot(Weekday::Mon, "16:00", "18:00")],
        )],
        vec![person(
            "or",
            Some("America/New_York"),
            vec![slot(Weekday::Mon, "11:00", "12:00")],
        )],
    );
    let s = schedule_pairs(&c, &[("ee", "or")], &opts("2027-01-04", 26, 60, 1)).unwrap();
    let p = &s.pairs[0];
    assert!(p.moves.is_empty());
    let slot = p.slot.as_ref().unwrap();
    assert_eq!(slot.timezone, "America/New_York");
    assert_eq!(slot.start_minute, 11 * 60);
    assert_eq!(check_all(&c, &s), 26);
}

#[test]
fn weeks_between_the_changes_move_to_the_alternate_slot() {
    // Monday fits except 15 and 22 March 2027; Tuesday fits only those two weeks.
    let c = cohort(
        vec![person(
            "ee",
            Some("Europe/Berlin"),
            vec![
                slot(Weekday::Mon, "17:00", "18:00"),
                slot(Weekday::Tue, "16:00", "17:00"),
            ],
        )],
        vec![person(
            "or",
            Some("America/New_York"),
            vec![
                slot(Weekday::Mon, "11:00", "12:00"),
                slot(Weekday::Tue, "11:00", "12:00"),
            ],
        )],
    );
    let o = opts("2027-01-04", 26, 60, 1);
    let s = schedule_pairs(&c, &[("ee", "or")], &o).unwrap();
    let p = &s.pairs[0];
    let moved: Vec<(u32, NaiveDate)> = p.moves.iter().map(|m| (m.week, m.date)).collect();
    assert_eq!(
        moved,
        vec![
            (10, NaiveDate::from_ymd_opt(2027, 3, 15).unwrap()),
            (11, NaiveDate::from_ymd_opt(2027, 3, 22).unwrap())
        ]
    );
    assert!(p.moves.iter().all(|m| m.utc_start.is_some()));
    let alt = p.alternate.as_ref().unwrap();
    assert_eq!(alt.weekday, Weekday::Tue);
    assert_eq!(
        p.moves[0].utc_start.unwrap(),
        Utc.with_ymd_and_hms(2027, 3, 16, 15, 0, 0).unwrap()
    );
    assert_eq!(check_all(&c, &s), 26);
    assert_eq!(p.reason(), None);
    assert_eq!(s.summary.surviving_dst, 0);

    let text = ics::to_ics(&s);
    assert!(
        text.contains("RRULE:FREQ=WEEKLY;INTERVAL=1;COUNT=26"),
        "{text}"
    );
    assert!(text.contains("EXDATE;TZID=Europe/Berlin:20270315T170000"));
    assert!(text.contains("EXDATE;TZID=Europe/Berlin:20270322T170000"));
    assert!(text.contains("DTSTART;TZID=Europe/Berlin:20270104T170000"));
    assert!(text.contains("RDATE;TZID="));
    assert!(text.contains("BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin"));
    assert!(text.contains("TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200"));
    assert_eq!(text.matches("BEGIN:VEVENT").count(), 2);
}

#[test]
fn sydney_and_london_change_in_opposite_directions() {
    // London starts summer time on 28 March 2027, Sydney ends it on 4 April 2027.
    let c = cohort(
        vec![person(
            "syd",
            Some("Australia/Sydney"),
            vec![slot(Weekday::Tue, "06:00", "10:00")],
        )],
        vec![person(
            "lon",
            Some("Europe/London"),
            vec![slot(Weekday::Mon, "19:00", "22:00")],
        )],
    );
    let s = schedule_pairs(&c, &[("syd", "lon")], &opts("2027-03-01", 8, 60, 1)).unwrap();
    let p = &s.pairs[0];
    assert!(p.moves.is_empty(), "{:?}", p.moves);
    assert_eq!(check_all(&c, &s), 8);
    // The Sydney wall clock is fixed; London's moves through three offsets (11, 10, 9 hours).
    let london: Tz = "Europe/London".parse().unwrap();
    let mut hours: Vec<u32> = p
        .meetings
        .iter()
        .map(|m| london.from_utc_datetime(&m.utc_start.naive_utc()).hour())
        .collect();
    hours.dedup();
    assert_eq!(hours, vec![19, 20, 21]);
}

#[test]
fn kolkata_half_hour_zone_without_dst() {
    let c = cohort(
        vec![person(
            "kol",
            Some("Asia/Kolkata"),
            vec![slot(Weekday::Mon, "20:00", "22:00")],
        )],
        vec![person(
            "ber",
            Some("Europe/Berlin"),
            vec![slot(Weekday::Mon, "15:00", "18:00")],
        )],
    );
    let s = schedule_pairs(&c, &[("kol", "ber")], &opts("2027-01-04", 26, 60, 2)).unwrap();
    let p = &s.pairs[0];
    assert!(p.moves.is_empty());
    assert_eq!(p.meetings.len(), 13);
    let slot = p.slot.as_ref().unwrap();
    assert_eq!(
        (slot.timezone.as_str(), slot.start_minute),
        ("Asia/Kolkata", 20 * 60)
    );
    assert_eq!(
        p.utc_start.unwrap(),
        Utc.with_ymd_and_hms(2027, 1, 4, 14, 30, 0).unwrap()
    );
    assert_eq!(check_all(&c, &s), 13);
}

#[test]
fn missing_time_zone_or_shared_time_gives_a_reason() {
    let c = cohort(
        vec![
            person("a", None, vec![slot(Weekday::Mon, "09:00", "10:00")]),
            person("b", Some("Europe/Paris"), vec![]),
            person(
                "c",
                Some("Europe/Paris"),
                vec![slot(Weekday::Mon, "09:00", "10:00")],
            ),
        ],
        vec![person(
            "m",
            Some("Europe/Paris"),
            vec![slot(Weekday::Tue, "09:00", "12:00")],
        )],
    );
    let s = schedule_pairs(
        &c,
        &[("a", "m"), ("b", "m"), ("c", "m")],
        &opts("2027-01-04", 4, 60, 1),
    )
    .unwrap();
    assert_eq!(
        s.pairs[0].gap,
        Some(ScheduleGap::NoTimezone {
            role: Role::Mentee,
            id: "a".into()
        })
    );
    assert!(s.pairs[0].reason().unwrap().contains("no time zone"));
    assert!(matches!(
        s.pairs[1].gap,
        Some(ScheduleGap::NoAvailability { .. })
    ));
    assert_eq!(
        s.pairs[2].gap,
        Some(ScheduleGap::NoSharedTime { minutes: 60 })
    );
    assert!(s
        .pairs
        .iter()
        .all(|p| p.slot.is_none() && p.meetings.is_empty()));
    assert_eq!(s.summary.scheduled, 0);
    let rows = schedule::rows(&s);
    assert!(rows[0][13].contains("no time zone"));
    assert_eq!(ics::to_ics(&s).matches("BEGIN:VEVENT").count(), 0);
}

#[test]
fn bad_options_are_refused_with_the_option_named() {
    let cfg = ScoreConfig::default();
    let e = ScheduleOptions::new("2027-02-30", Some(4), None, None, &cfg).unwrap_err();
    assert!(matches!(e, ScheduleError::StartNotADate { .. }));
    assert!(e.to_string().contains("YYYY-MM-DD"));
    assert!(ScheduleOptions::new("next monday", None, None, None, &cfg).is_err());
    let e = ScheduleOptions::new("2027-01-04", Some(0), None, None, &cfg).unwrap_err();
    assert!(matches!(
        e,
        ScheduleError::OutOfRange {
            option: "weeks",
            ..
        }
    ));
    let e = ScheduleOptions::new("2027-01-04", Some(4), None, Some(0), &cfg).unwrap_err();
    assert!(matches!(
        e,
        ScheduleError::OutOfRange {
            option: "cadence_weeks",
            ..
        }
    ));
    let e = ScheduleOptions::new("2027-01-04", Some(4), Some(0), None, &cfg).unwrap_err();
    assert!(e.to_string().contains("meeting_minutes"));
    // The matching's meeting length and cadence are the defaults.
    let o = ScheduleOptions::new("2027-01-04", None, None, None, &cfg).unwrap();
    assert_eq!((o.weeks, o.meeting_minutes, o.cadence_weeks), (26, 60, 2));
    let c = cohort(vec![person("a", None, vec![])], vec![]);
    let e = schedule_pairs(&c, &[("a", "zz")], &o).unwrap_err();
    assert!(matches!(
        e,
        ScheduleError::UnknownId {
            table: "mentors",
            ..
        }
    ));
}

#[test]
fn ics_escapes_ids_in_attendees_and_summary() {
    let c = cohort(
        vec![person(
            "a;b,\"c\"\n<x>",
            Some("UTC"),
            vec![slot(Weekday::Mon, "09:00", "10:00")],
        )],
        vec![person(
            "m:1",
            Some("UTC"),
            vec![slot(Weekday::Mon, "09:00", "10:00")],
        )],
    );
    let s = schedule_pairs(
        &c,
        &[("a;b,\"c\"\n<x>", "m:1")],
        &opts("2027-01-06", 3, 60, 1),
    )
    .unwrap();
    // Start on a Wednesday: the first Monday is 11 January.
    assert_eq!(
        s.pairs[0].utc_start.unwrap(),
        Utc.with_ymd_and_hms(2027, 1, 11, 9, 0, 0).unwrap()
    );
    let folded = ics::to_ics(&s);
    for line in folded.split("\r\n") {
        assert!(line.len() <= 75, "unfolded line {line:?}");
    }
    let text = folded.replace("\r\n ", "");
    assert!(text.contains("CN=\"a;b,'c' <x>\""), "{text}");
    assert!(text.contains("urn:mentorpair:mentee:a%3Bb%2C%22c%22%0A%3Cx%3E"));
    assert!(text.contains("CN=\"m:1\""));
    assert!(text.contains("SUMMARY:Mentoring: a\\;b\\,'c' <x> and m:1"));
}

const ZONES: [&str; 6] = [
    "Europe/Berlin",
    "America/New_York",
    "Australia/Sydney",
    "Asia/Kolkata",
    "America/Sao_Paulo",
    "Pacific/Auckland",
];

fn arb_person(id: &'static str) -> impl Strategy<Value = Person> {
    (
        0..ZONES.len(),
        prop::collection::vec((0..7usize, 0u16..46, 1u16..10), 1..5),
    )
        .prop_map(move |(z, slots)| {
            let slots = slots
                .into_iter()
                .map(|(d, s, len)| Slot {
                    day: Weekday::ALL[d],
                    start: s * 30,
                    end: (s * 30 + len * 30).min(1440),
                })
                .collect();
            person(id, Some(ZONES[z]), slots)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Every proposed meeting lies inside both availabilities, and no slot on the quarter-hour
    /// grid fits more meeting weeks than the chosen one (brute force over both anchors).
    #[test]
    fn meetings_lie_inside_both_availabilities(
        a in arb_person("a"),
        b in arb_person("b"),
        day in 0u32..300,
        weeks in 1u32..20,
        cadence in 1u32..4,
        minutes in prop::sample::select(vec![30u32, 45, 60, 90]),
    ) {
        let cadence = cadence.min(weeks);
        let start = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap() + chrono::Duration::days(day as i64);
        let o = ScheduleOptions { start, weeks, meeting_minutes: minutes, cadence_weeks: cadence };
        let c = cohort(vec![a.clone()], vec![b.clone()]);
        let s = schedule_pairs(&c, &[("a", "b")], &o).unwrap();
        check_all(&c, &s);
        let p = &s.pairs[0];
        let chosen = p.meetings.iter().filter(|m| !m.alternate).count();
        let mut brute = 0;
        for tz in [&a, &b].map(|x| x.timezone.as_deref().unwrap().parse::<Tz>().unwrap()) {
            for d in 0..7 {
                for q in 0..96 {
                    let n = o.meeting_weeks().iter().filter(|&&w| {
                        let date = o.week_start(w) + chrono::Duration::days(d);
                        let local = date.and_hms_opt(0, 0, 0).unwrap() + chrono::Duration::minutes(q * 15);
                        match tz.from_local_datetime(&local) {
                            chrono::LocalResult::Single(t) => {
                                let t = t.with_timezone(&Utc);
                                meeting_inside(&a, t, minutes) && meeting_inside(&b, t, minutes)
                            }
                            _ => false,
                        }
                    }).count();
                    brute = brute.max(n);
                }
            }
        }
        prop_assert!(chosen >= brute, "chosen slot fits {} weeks, a grid slot fits {}", chosen, brute);
        if brute > 0 {
            prop_assert!(p.slot.is_some());
        }
    }
}
