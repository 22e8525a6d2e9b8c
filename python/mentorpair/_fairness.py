"""The fairness audit as pandas frames: ``MatchResult.audit(by=...)`` returns an :class:`Audit`.

The numbers come from the Rust core (``mentorpair.fairness`` there); this module only shapes them.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from . import _core

__all__ = ["Audit", "audit_groups", "DEFAULT_MIN_GROUP_SIZE"]

#: Groups with fewer members are marked ``too_small`` and left out of the ratios.
DEFAULT_MIN_GROUP_SIZE = 5

_MENTEE_COLUMNS = [
    "group",
    "mentees",
    "matched",
    "match_rate",
    "pairs",
    "mean_score",
    "median_score",
    "min_score",
]
_MENTOR_COLUMNS = [
    "group",
    "mentors",
    "active",
    "capacity",
    "load",
    "utilisation",
    "load_share",
    "mentor_share",
    "mean_score",
    "median_score",
    "min_score",
    "too_small",
]

_LOAD_COLUMNS = ["mentor_id", "load", "capacity", "min_load", "shortfall"]


def _nan(x: float | None) -> float:
    return math.nan if x is None else float(x)


class Audit:
    """A fairness audit of one matching, by one or several protected columns.

    Attributes:
        by: the protected columns combined into the group key.
        groups: one row per mentee group with ``group``, ``mentees``, ``matched``, ``match_rate``,
            ``pairs``, ``mean_score``, ``median_score``, ``min_score``, ``mean_<component>`` for
            each score component, ``too_small`` and one column per key column.
        disparate_impact: lowest group match rate over highest (groups not too small); 1.0 when
            the highest is 0; None with fewer than two groups to compare.
        four_fifths_ok: ``disparate_impact >= 0.8`` (None when the ratio is None).
        max_score_gap: largest difference in mean score between groups (None if < 2 groups).
        mentor_groups: the mentors' share of the load per group (None when mentors do not carry
            the attribute), with ``mentor_disparate_impact`` (over utilisation = load/capacity),
            ``mentor_four_fifths_ok`` and ``mentor_max_score_gap``.
        min_group_size: groups below it are marked ``too_small``, never hidden.
        mentor_loads: one row per mentor with ``mentor_id``, ``load``, ``capacity``,
            ``min_load`` and ``shortfall`` (None for an audit of bare group labels).
        load_summary: counts over that table: ``active``, ``full``, ``with_min_load``,
            ``below_min_load``, ``total_shortfall``, ``max_load``, ``mean_load``.
    """

    def __init__(self, report: dict[str, Any]) -> None:
        """Wrap an ``AuditReport`` as produced by the Rust core (a dict)."""
        self._report = report
        self.by: list[str] = list(report["by"])
        self.min_group_size: int = int(report["min_group_size"])
        self.components: list[str] = list(report["components"])
        mentees = report["mentees"]
        self.groups = self._frame(mentees["groups"], mentee=True)
        self.disparate_impact: float | None = mentees["disparate_impact"]
        self.four_fifths_ok: bool | None = mentees["four_fifths_ok"]
        self.max_score_gap: float | None = mentees["max_score_gap"]
        mentors = report.get("mentors")
        self.mentor_groups: pd.DataFrame | None = (
            None if mentors is None else self._frame(mentors["groups"], mentee=False)
        )
        self.mentor_disparate_impact: float | None = None if mentors is None else mentors["disparate_impact"]
        self.mentor_four_fifths_ok: bool | None = None if mentors is None else mentors["four_fifths_ok"]
        self.mentor_max_score_gap: float | None = None if mentors is None else mentors["max_score_gap"]
        loads = report.get("mentor_loads")
        self.mentor_loads: pd.DataFrame | None = (
            None if loads is None else pd.DataFrame.from_records(loads["rows"], columns=_LOAD_COLUMNS)
        )
        self.load_summary: dict[str, Any] | None = (
            None if loads is None else {k: v for k, v in loads.items() if k != "rows"}
        )

    def _frame(self, rows: list[dict[str, Any]], *, mentee: bool) -> pd.DataFrame:
        records = []
        for g in rows:
            rec: dict[str, Any] = {}
            for col in _MENTEE_COLUMNS if mentee else _MENTOR_COLUMNS:
                v = g[col]
                rec[col] = _nan(v) if col.endswith("_score") else v
            if mentee:
                for name, v in zip(self.components, g["component_means"]):
                    rec[f"mean_{name}"] = _nan(v)
                rec["too_small"] = bool(g["too_small"])
            for name, v in zip(self.by, g["key"]):
                rec[name] = v
            records.append(rec)
        cols = (
            _MENTEE_COLUMNS + [f"mean_{c}" for c in self.components] + ["too_small"]
            if mentee
            else list(_MENTOR_COLUMNS)
        ) + self.by
        return pd.DataFrame.from_records(records, columns=cols)

    def to_dict(self) -> dict[str, Any]:
        """The full report as plain Python data (JSON-serialisable)."""
        out: dict[str, Any] = json.loads(json.dumps(self._report))
        return out

    def __repr__(self) -> str:
        di = "n/a" if self.disparate_impact is None else f"{self.disparate_impact:.3f}"
        gap = "n/a" if self.max_score_gap is None else f"{self.max_score_gap:.3f}"
        return (
            f"Audit(by={self.by}, groups={len(self.groups)}, disparate_impact={di}, "
            f"four_fifths_ok={self.four_fifths_ok}, max_score_gap={gap})"
        )


def _keys(values: Sequence[Any]) -> list[list[str | None]]:
    out: list[list[str | None]] = []
    for v in values:
        parts = v if isinstance(v, (tuple, list)) else (v,)
        out.append(
            [None if (p is None or (isinstance(p, float) and math.isnan(p))) else str(p) for p in parts]
        )
    return out


def audit_groups(
    by: str | Sequence[str],
    mentee_groups: Sequence[Any],
    pairs: Iterable[tuple[int, int, float, Sequence[float]]],
    *,
    components: Sequence[str] = (),
    mentor_groups: Sequence[Any] | None = None,
    mentor_capacity: Sequence[int] | None = None,
    min_group_size: int = DEFAULT_MIN_GROUP_SIZE,
) -> Audit:
    """Audit any matching given as row indices.

    Args:
        by: the protected column name(s) the labels stand for.
        mentee_groups: one label per mentee row (a value, or a tuple with one value per column
            of ``by``; None or NaN = missing).
        pairs: ``(mentee_row, mentor_row, score, component_values)`` per matched pair.
        components: names of the component values.
        mentor_groups: one label per mentor row, when mentors carry the attribute.
        mentor_capacity: one capacity per mentor row (needed with ``mentor_groups``).
        min_group_size: groups smaller than this are marked ``too_small``.
    """
    cols = [by] if isinstance(by, str) else list(by)
    report = _core.fairness_audit(
        cols,
        _keys(mentee_groups),
        [(int(i), int(j), float(s), [float(x) for x in c]) for i, j, s, c in pairs],
        list(components),
        None if mentor_groups is None else _keys(mentor_groups),
        None if mentor_capacity is None else [int(c) for c in mentor_capacity],
        int(min_group_size),
    )
    return Audit(json.loads(report))
