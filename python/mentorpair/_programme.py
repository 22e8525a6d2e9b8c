"""Running a programme from a match result: the meeting schedule (pandas, iCalendar) and the HTML
report. The schedule rules, the iCalendar layout and the report live in the Rust core; this module
passes the options the user set and shapes the answer as pandas.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
from collections.abc import Sequence
from typing import Any

import pandas as pd

from . import _core

__all__ = ["schedule", "to_ics", "report"]


def _options(
    start: _dt.date | str | None,
    weeks: int | None,
    meeting_minutes: int | None,
    cadence_weeks: int | None,
) -> str:
    if isinstance(start, (_dt.date, _dt.datetime)):
        start = start.isoformat()[:10]
    opts: dict[str, Any] = {}
    if start is not None:
        opts["start"] = str(start)
    for name, value in (
        ("weeks", weeks),
        ("meeting_minutes", meeting_minutes),
        ("cadence_weeks", cadence_weeks),
    ):
        if value is not None:
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{name} must be a non-negative whole number, not {value!r}")
            opts[name] = value
    return json.dumps(opts)


def _core_problem(result: Any) -> Any:
    if result.problem is None:
        raise ValueError("this result was not produced by match(); it holds no availability to schedule")
    return result.problem._core


def schedule(
    result: Any,
    start: _dt.date | str,
    weeks: int | None = None,
    meeting_minutes: int | None = None,
    cadence_weeks: int | None = None,
) -> pd.DataFrame:
    """One proposed recurring meeting per pair (see ``MatchResult.schedule``)."""
    problem = _core_problem(result)
    raw = json.loads(
        _core.schedule_rows(
            problem, json.dumps(result._raw), _options(start, weeks, meeting_minutes, cadence_weeks)
        )
    )
    df = pd.DataFrame(raw["rows"], columns=raw["columns"])
    df["utc_start"] = pd.to_datetime(df["utc_start"].replace("", None), utc=True)
    df["meetings"] = df["meetings"].astype(int)
    df["moves"] = [m.split("; ") if m else [] for m in df["moves"]]
    df["reason"] = df["reason"].replace("", None)
    for col in df.columns:
        if col.endswith(("_timezone", "_weekday", "_start", "_end")) and col != "utc_start":
            df[col] = df[col].replace("", None)
    df.attrs["summary"] = raw["summary"]
    return df


def to_ics(
    result: Any,
    path: str | os.PathLike[str],
    start: _dt.date | str,
    weeks: int | None = None,
    meeting_minutes: int | None = None,
    cadence_weeks: int | None = None,
) -> dict[str, Any]:
    """Write the schedule as iCalendar to ``path`` (atomically); returns the schedule's summary."""
    problem = _core_problem(result)
    opts = _options(start, weeks, meeting_minutes, cadence_weeks)
    summary: dict[str, Any] = json.loads(
        _core.schedule_ics(problem, json.dumps(result._raw), opts, os.fspath(path))
    )
    return summary


def report(
    result: Any,
    path: str | os.PathLike[str],
    by: str | Sequence[str] | None = None,
    start: _dt.date | str | None = None,
    weeks: int | None = None,
    meeting_minutes: int | None = None,
    cadence_weeks: int | None = None,
) -> str:
    """Write the HTML programme report to ``path`` (atomically); returns the path."""
    problem = _core_problem(result)
    cols = [] if by is None else [by] if isinstance(by, str) else [str(x) for x in by]
    opts = _options(start, weeks, meeting_minutes, cadence_weeks)
    _core.report_html(problem, json.dumps(result._raw), opts, cols, os.fspath(path))
    return os.fspath(path)
