"""The meeting schedule from Python: the DataFrame, bad options, and the .ics file parsed and
expanded by independent libraries (icalendar, recurring-ical-events) with every occurrence checked
against both people's availability in their own zones (zoneinfo)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

import mentorpair
from mentorpair import synthetic

icalendar = pytest.importorskip("icalendar")
recurring_ical_events = pytest.importorskip("recurring_ical_events")

DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def _slots(text: str) -> list[tuple[int, int, int]]:
    """Oracle parser of ``"Mon 09:00-11:00;Tue ..."`` -> (weekday, start minute, end minute)."""
    out = []
    for part in str(text).split(";"):
        part = part.strip()
        if not part:
            continue
        day, span = part.split()
        a, b = span.split("-")
        m = lambda s: int(s[:2]) * 60 + int(s[3:5])  # noqa: E731
        out.append((DAYS.index(day[:3].title()), m(a), m(b) if m(b) else 1440))
    return out


def _free(slots: list[tuple[int, int, int]], zone: str, t: dt.datetime) -> bool:
    local = t.astimezone(ZoneInfo(zone))
    minute = local.hour * 60 + local.minute
    return any(d == local.weekday() and a <= minute < b for d, a, b in slots)


def _inside(person: pd.Series, start: dt.datetime, end: dt.datetime) -> bool:
    slots = _slots(person["availability"])
    t = start
    while t < end:
        if not _free(slots, person["timezone"], t):
            return False
        t += dt.timedelta(minutes=1)
    return True


def _person(pid: str, zone: str | None, availability: str) -> dict[str, object]:
    return {"id": pid, "timezone": zone, "availability": availability, "goals": "leadership"}


@pytest.fixture(scope="module")
def dst_result() -> tuple[mentorpair.MatchResult, pd.DataFrame, pd.DataFrame]:
    mentees = pd.DataFrame(
        [
            _person("berlin", "Europe/Berlin", "Mon 17:00-18:00;Tue 16:00-17:00"),
            _person("sydney", "Australia/Sydney", "Tue 06:00-10:00"),
            _person("kolkata", "Asia/Kolkata", "Mon 20:00-22:00"),
            _person("nozone", None, "Mon 09:00-10:00"),
        ]
    )
    mentors = pd.DataFrame(
        [
            _person("newyork", "America/New_York", "Mon 11:00-12:00;Tue 11:00-12:00"),
            _person("london", "Europe/London", "Mon 19:00-22:00"),
            _person("berlin2", "Europe/Berlin", "Mon 15:00-18:00"),
            _person("paris", "Europe/Paris", "Mon 09:00-10:00"),
        ]
    )
    pins = [("berlin", "newyork"), ("sydney", "london"), ("kolkata", "berlin2"), ("nozone", "paris")]
    result = mentorpair.match(mentees, mentors, pin=pins, reference_date="2027-01-04")
    return result, mentees, mentors


def test_schedule_dataframe(dst_result) -> None:
    result, _, _ = dst_result
    df = result.schedule(start="2027-01-04", weeks=26, meeting_minutes=60, cadence_weeks=1)
    assert list(df.columns[:3]) == ["mentee_id", "mentor_id", "utc_start"]
    assert str(df["utc_start"].dt.tz) == "UTC"
    row = df.set_index("mentee_id")
    assert row.loc["berlin", "utc_start"] == pd.Timestamp("2027-01-04 16:00", tz="UTC")
    assert (row.loc["berlin", "mentee_start"], row.loc["berlin", "mentor_start"]) == ("17:00", "11:00")
    assert row.loc["berlin", "moves"] == ["2027-03-15 -> 2027-03-16T15:00Z", "2027-03-22 -> 2027-03-23T15:00Z"]
    assert row.loc["sydney", "moves"] == [] and row.loc["kolkata", "moves"] == []
    assert row.loc["kolkata", "utc_start"] == pd.Timestamp("2027-01-04 14:30", tz="UTC")
    assert pd.isna(row.loc["nozone", "utc_start"])
    assert "no time zone" in row.loc["nozone", "reason"]
    assert row.loc["nozone", "meetings"] == 0
    assert df.attrs["summary"]["scheduled"] == 3


@pytest.mark.parametrize(
    ("kwargs", "needle"),
    [
        ({"start": "2027-02-30"}, "not a date"),
        ({"start": "soon"}, "not a date"),
        ({"start": "2027-01-04", "weeks": 0}, "weeks"),
        ({"start": "2027-01-04", "cadence_weeks": 0}, "cadence_weeks"),
        ({"start": "2027-01-04", "meeting_minutes": 0}, "meeting_minutes"),
    ],
)
def test_bad_schedule_options(dst_result, kwargs, needle) -> None:
    result, _, _ = dst_result
    with pytest.raises(mentorpair.MentorpairError, match=needle):
        result.schedule(**kwargs)


def _check_ics(path: Path, mentees: pd.DataFrame, mentors: pd.DataFrame, start: dt.date, weeks: int) -> int:
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    people = {("mentee", r["id"]): r for _, r in mentees.iterrows()}
    people.update({("mentor", r["id"]): r for _, r in mentors.iterrows()})
    # Every VTIMEZONE agrees with zoneinfo over the programme.
    for vtz in cal.walk("VTIMEZONE"):
        name = str(vtz["TZID"])
        own = vtz.to_tz()
        for day in range(0, weeks * 7 + 1, 1):
            t = dt.datetime.combine(start, dt.time(12)) + dt.timedelta(days=day)
            assert t.replace(tzinfo=ZoneInfo(name)).utcoffset() == own.utcoffset(t), (name, t)
    begin = dt.datetime.combine(start, dt.time()) - dt.timedelta(days=2)
    end = dt.datetime.combine(start, dt.time()) + dt.timedelta(days=7 * weeks + 2)
    n = 0
    for ev in recurring_ical_events.of(cal).between(begin, end):
        attendees = ev.get("ATTENDEE")
        assert len(attendees) == 2
        who = []
        for a in attendees:
            role = str(a).split(":")[2]
            who.append(people[(role, a.params["CN"])])
        s, e = ev["DTSTART"].dt, ev["DTEND"].dt if "DTEND" in ev else ev["DTSTART"].dt + ev["DURATION"].dt
        assert s.tzinfo is not None
        assert dt.datetime.combine(start, dt.time(), tzinfo=dt.timezone.utc) - dt.timedelta(days=1) <= s
        for person in who:
            assert _inside(person, s, e), (person["id"], s)
        n += 1
    return n


def test_ics_occurrences_inside_both_availabilities(dst_result, tmp_path: Path) -> None:
    result, mentees, mentors = dst_result
    path = tmp_path / "schedule.ics"
    summary = result.to_ics(path, start="2027-01-04", weeks=26, meeting_minutes=60, cadence_weeks=1)
    text = path.read_text()
    assert "RRULE:FREQ=WEEKLY;INTERVAL=1;COUNT=26" in text
    assert "EXDATE;TZID=Europe/Berlin:20270315T170000" in text
    n = _check_ics(path, mentees, mentors, dt.date(2027, 1, 4), 26)
    assert n == summary["meetings"] == 3 * 26
    assert not list(tmp_path.glob(".*.tmp"))


def test_ics_on_a_synthetic_programme(tmp_path: Path) -> None:
    mentees, mentors = synthetic.cohort(150, 60, seed=3)
    result = mentorpair.match(mentees, mentors, protected=["gender", "age_band"], reference_date="2027-01-04")
    path = tmp_path / "synthetic.ics"
    summary = result.to_ics(path, start="2027-01-04", weeks=26, cadence_weeks=2)
    df = result.schedule(start="2027-01-04", weeks=26, cadence_weeks=2)
    assert summary["scheduled"] == df["utc_start"].notna().sum() > 0
    n = _check_ics(path, mentees, mentors, dt.date(2027, 1, 4), 26)
    assert n == summary["meetings"] == df["meetings"].sum()
