"""Matching from Python: tables as DataFrames, lists of dicts or CSV/JSON paths; results as pandas.

All parsing, validation, scoring and solving happen in the Rust core (``mentorpair._core``); this
module only converts inputs and wraps the result.
"""

from __future__ import annotations

import copy
import datetime as _dt
import json
import math
import os
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from . import _core, _fairness, _programme

if TYPE_CHECKING:
    from ._problem import Problem

__all__ = ["match", "score_matrix", "MatchResult", "COMPONENTS"]

#: Scoring components, in summation order (also the component columns of ``MatchResult.pairs``).
COMPONENTS = ("goals", "skills", "availability", "language", "seniority")
# -- affinity (issue 4): the mentee-requested shared-background component (default weight 0.10);
# a column of ``MatchResult.pairs`` only when some mentee asked for a shared background --
AFFINITY = "affinity"
#: The mentee's ranked ``preferred_mentors`` (weight 0.15, only for mentees with a list); a column
#: of ``MatchResult.pairs`` only when some mentee listed preferred mentors.
PREFERENCE = "preference"

TableLike = Any  # pandas.DataFrame | Sequence[Mapping[str, Any]] | str | os.PathLike


def _clean(value: Any) -> Any:
    """One cell as a JSON-ready value; missing values (None, NaN, pd.NA, NaT) become None."""
    if value is None:
        return None
    if isinstance(value, (set, frozenset)):
        value = sorted(value, key=str)  # a set has no order: make the joined cell deterministic
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_clean(v) for v in value]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else float(value)
    if isinstance(value, str):
        return value
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return str(value)


def _source(table: TableLike, name: str) -> tuple[str, str]:
    """Convert a table argument to the ``(kind, payload)`` pair the core reads."""
    if isinstance(table, (str, os.PathLike)):
        return ("path", os.fspath(table))
    columns = None
    if isinstance(table, pd.DataFrame):
        columns = [str(c) for c in table.columns]  # checked by the core even when there are no rows
        records = table.to_dict(orient="records")
    elif isinstance(table, Sequence) and not isinstance(table, (bytes, bytearray)):
        records = list(table)
    else:
        raise TypeError(
            f"{name} must be a pandas DataFrame, a list of dicts or a path to a .csv/.json file, "
            f"not {type(table).__name__}"
        )
    rows = []
    for i, rec in enumerate(records, start=1):
        if not isinstance(rec, Mapping):
            raise TypeError(f"{name} row {i} is {type(rec).__name__}, expected a dict of column -> value")
        rows.append({str(k): _clean(v) for k, v in rec.items()})
    if columns is not None:
        return ("records", json.dumps({"columns": columns, "rows": rows}))
    return ("records", json.dumps(rows))


def _pairs(pairs: Iterable[Sequence[str]], what: str) -> list[list[str]]:
    out = []
    for p in pairs:
        if isinstance(p, str) or len(p) != 2:
            raise ValueError(f"{what} must be a list of (mentee_id, mentor_id) pairs, got {p!r}")
        out.append([str(p[0]), str(p[1])])
    return out


def _config(o: Mapping[str, Any]) -> str:
    """The keyword options of :func:`match` as the core's JSON ``MatchConfig``."""
    objective = o.get("objective", "coverage")
    reference_date = o["reference_date"]
    weights = o["weights"]
    min_score = o["min_score"]
    memory_limit_bytes = o["memory_limit_bytes"]
    if objective not in ("coverage", "score"):
        raise ValueError(f"objective must be 'coverage' or 'score', not {objective!r}")
    if isinstance(reference_date, (_dt.date, _dt.datetime)):
        reference_date = reference_date.isoformat()[:10]
    cfg: dict[str, Any] = {
        "min_score": float(min_score),
        "forbid": _pairs(o["forbid"], "forbid"),
        "pin": _pairs(o.get("pin", ()), "pin"),
        "exclude_same_department": bool(o["exclude_same_department"]),
        "objective": objective,
        "scoring": {
            "reference_date": reference_date,
            "meeting_minutes": int(o["meeting_minutes"]),
            "cadence_weeks": int(o["cadence_weeks"]),
            "min_block_minutes": int(o["min_block_minutes"]),
            "seniority_gap": int(o["seniority_gap"]),
            "full_credit_skill_lead": int(o["full_credit_skill_lead"]),
            "neutral": float(o["neutral"]),
        },
    }
    if weights is not None:
        unknown = set(weights) - set(COMPONENTS) - {AFFINITY, PREFERENCE}
        if unknown:
            raise ValueError(
                f"unknown weight component(s) {sorted(unknown)}; components are {list(COMPONENTS)}"
            )
        cfg["weights"] = {k: float(v) for k, v in weights.items()}
    if memory_limit_bytes is not None:
        cfg["memory_limit_bytes"] = int(memory_limit_bytes)
    # Options whose defaults live in Rust: passed only when set.
    if o.get("criteria") is not None:
        crit = o["criteria"]
        if isinstance(crit, Mapping) or not isinstance(crit, Iterable):
            raise ValueError("criteria must be a list of dicts such as {'column': 'location', 'kind': 'same'}")
        cfg["criteria"] = [dict(c) for c in crit]
    if o.get("preferences") is not None:
        cfg["preferences"] = str(o["preferences"])
    for key in ("reverse_mentoring", "seniority_sweet_spot_max", "goal_rank_decay"):
        if o.get(key) is not None:
            cfg["scoring"][key] = o[key]
    # Load spreading: validated in Rust (the error names the option and its range).
    if o.get("min_load") is not None:
        cfg["min_load"] = o["min_load"]
    if o.get("spread") is not None:
        cfg["spread"] = o["spread"]
    if o.get("min_load_shortfall") is not None:
        cfg["min_load_shortfall"] = str(o["min_load_shortfall"])
    if not math.isfinite(cfg["min_score"]):
        raise ValueError(f"min_score must be a finite number, not {min_score!r}")
    return json.dumps(cfg)


def _tables(mentees: TableLike, mentors: TableLike) -> tuple[tuple[str, str], tuple[str, str]]:
    """Both tables as the core reads them. The one place tables are converted for Rust: a
    :class:`mentorpair.Problem` calls it once, and nothing after reads the tables again."""
    return _source(mentees, "mentees"), _source(mentors, "mentors")


def _prepare(options: dict[str, Any]) -> tuple[tuple[str, str], tuple[str, str], str, list[str]]:
    """The arguments of a public function -> (mentees source, mentors source, config, protected)."""
    opts = dict(options)
    a, b = _tables(opts.pop("mentees"), opts.pop("mentors"))
    prot = [str(p) for p in opts.pop("protected")]
    return a, b, _config(opts), prot


_OPTION_DOC = """
    Parameters
    ----------
    mentees, mentors
        A pandas DataFrame, a list of dicts or a path to a ``.csv``/``.json`` file with the
        columns of the schema (``id`` required; ``goals``, ``skills``, ``availability``,
        ``timezone``, ``languages``, ``level``, ``department``, ``manager_id``, ``capacity`` for
        mentors, ``mentors_wanted`` for mentees; other columns are carried through).
    weights
        Component -> weight (``goals``, ``skills``, ``availability``, ``language``,
        ``seniority``, ``affinity``, ``preference``); components not given keep their defaults
        0.35, 0.20, 0.20, 0.15, 0.10 (affinity 0.10, preference 0.15). The score is divided by
        the sum of the weights that apply to the mentee, so it lies in [0, 1].
    min_score
        Pairs scoring below this are not allowed.
    forbid, pin
        ``(mentee_id, mentor_id)`` pairs never to match / always to match. A pin that breaks a
        hard constraint raises ``ValueError``.
    exclude_same_department
        Forbid pairs within one department.
    protected
        Columns held apart for auditing; no score can read them.
    objective
        ``"coverage"`` (as many pairs as possible, then the best total) or ``"score"``.
    reference_date
        Date (or ``"YYYY-MM-DD"``) whose UTC offsets apply to availability; default today.
    meeting_minutes, cadence_weeks
        The meeting need: ``meeting_minutes`` every ``cadence_weeks`` weeks.
    min_block_minutes
        Shared blocks shorter than this (or than a meeting) do not count.
    seniority_gap, seniority_sweet_spot_max, reverse_mentoring
        The seniority sweet spot: a mentor ``seniority_gap`` to ``seniority_sweet_spot_max``
        levels ahead (default 1 to 2) scores best; ``reverse_mentoring=True`` turns it around.
    full_credit_skill_lead
        The step, in levels, a mentee aims for on a skill without a ``target_skills`` level.
    goal_rank_decay
        The goal listed at position r counts 1 / (1 + decay x r) times its weight (default 0.5).
    criteria
        Programme-defined criteria, e.g. ``[{"column": "location", "kind": "same", "weight":
        0.1}, {"column": "business_unit", "kind": "different", "rule": "must"}]``; kinds same,
        different, closeness (``scale``), overlap (Jaccard) and ahead (``by``, ``order``).
    preferences
        ``"bonus"`` (default: a mentee's ``preferred_mentors`` earn the preference component) or
        ``"must"`` (a mentee with a list is matched only with a listed mentor).
    neutral
        Value of a component whose information is missing.
    memory_limit_bytes
        Refuse problems whose dense matrices need more (default 8 GiB).
    min_load, spread, min_load_shortfall
        Mentor load. ``min_load``: the fewest mentees every mentor should get, for mentors
        without a ``min_load`` column value (default 0); solved exactly as lower bounds, before
        coverage and score. ``spread``: a mentor's k-th mentee costs ``spread * (k - 1)`` score
        points (default 0), so equally good pairings over more mentors win.
        ``min_load_shortfall``: ``"error"`` (default: a ValueError naming every short mentor and
        by how much) or ``"report"`` (the best matching; ``result.audit(...).mentor_loads`` shows
        the shortfall). Not combinable with ``fairness``. See docs/programme.md.
    fairness, by, tolerance, rate_parity
        ``match`` only. ``fairness="group_floor"`` with ``by="gender"`` (protected mentee
        column(s)): every group's mean score at least ``(1 - tolerance)`` x the overall mean (and,
        with ``rate_parity``, the same for match rates); ``fairness="maximin"``: keep the coverage,
        lift the lowest pair score. The solve's report is ``result.fairness``; see docs/fairness.md.

    Raises
    ------
    ValueError
        Bad input (naming table, row, id, column and value), bad options, a pin breaking a
        constraint, or a problem too large for the memory limit.
"""


def match(
    mentees: TableLike,
    mentors: TableLike,
    *,
    weights: Mapping[str, float] | None = None,
    min_score: float = 0.0,
    forbid: Iterable[Sequence[str]] = (),
    pin: Iterable[Sequence[str]] = (),
    exclude_same_department: bool = False,
    protected: Iterable[str] = (),
    objective: str = "coverage",
    reference_date: _dt.date | str | None = None,
    meeting_minutes: int = 60,
    cadence_weeks: int = 2,
    min_block_minutes: int = 30,
    seniority_gap: int = 1,
    full_credit_skill_lead: int = 2,
    neutral: float = 0.5,
    memory_limit_bytes: int | None = None,
    criteria: Sequence[Mapping[str, Any]] | None = None,
    preferences: str | None = None,
    reverse_mentoring: bool | None = None,
    seniority_sweet_spot_max: int | None = None,
    goal_rank_decay: float | None = None,
    min_load: int | None = None,
    spread: float | None = None,
    min_load_shortfall: str | None = None,
    fairness: str | None = None,
    by: str | Sequence[str] | None = None,
    tolerance: float = 0.05,
    rate_parity: bool = False,
) -> MatchResult:
    """Match mentees with mentors: the optimal pairing under every hard constraint, explained.

    The same as ``Problem(mentees, mentors, **options).solve()``: prepare a
    :class:`mentorpair.Problem` yourself to solve, explain or rematch one cohort several times
    without reading and scoring it again.

    Returns a :class:`MatchResult` with ``.pairs``, ``.unmatched``, ``.violations`` (the
    independent audit, always empty), ``.summary``, ``.explain(mentee_id)``, ``.audit(by)`` and
    ``.to_dict()``.
    """
    options = dict(locals())
    from ._problem import Problem

    return Problem(options.pop("mentees"), options.pop("mentors"), **options).solve()


def score_matrix(
    mentees: TableLike,
    mentors: TableLike,
    *,
    weights: Mapping[str, float] | None = None,
    min_score: float = 0.0,
    forbid: Iterable[Sequence[str]] = (),
    exclude_same_department: bool = False,
    protected: Iterable[str] = (),
    reference_date: _dt.date | str | None = None,
    meeting_minutes: int = 60,
    cadence_weeks: int = 2,
    min_block_minutes: int = 30,
    seniority_gap: int = 1,
    full_credit_skill_lead: int = 2,
    neutral: float = 0.5,
    memory_limit_bytes: int | None = None,
    criteria: Sequence[Mapping[str, Any]] | None = None,
    preferences: str | None = None,
    reverse_mentoring: bool | None = None,
    seniority_sweet_spot_max: int | None = None,
    goal_rank_decay: float | None = None,
    **_ignored: Any,
) -> pd.DataFrame:
    """Score every mentee x mentor pair: a DataFrame indexed by mentee id, one column per mentor id.

    ``frame.loc[mentee_id, mentor_id]`` is the pair's score; pairs excluded by a hard constraint
    or scoring below ``min_score`` are NaN. ``frame.to_numpy()`` is a read-only view of the
    prepared problem's own matrix (no copy). The same as
    ``Problem(mentees, mentors, **options).score_matrix()``; accepts the options of :func:`match`
    (``pin``, ``objective`` and the fairness options do not change scores and are ignored).
    """
    unknown = set(_ignored) - {"pin", "objective", "fairness", "by", "tolerance", "rate_parity",
                               "min_load", "spread", "min_load_shortfall"}
    if unknown:
        raise TypeError(f"score_matrix() got unexpected keyword argument(s) {sorted(unknown)}")
    options = {k: v for k, v in locals().items() if k not in ("_ignored", "unknown")}
    from ._problem import Problem

    return Problem(options.pop("mentees"), options.pop("mentors"), **options).score_matrix()


match.__doc__ = (match.__doc__ or "") + _OPTION_DOC
score_matrix.__doc__ = (score_matrix.__doc__ or "") + _OPTION_DOC


class MatchResult:
    """The outcome of :func:`match`.

    Attributes
    ----------
    pairs : pandas.DataFrame
        ``mentee_id``, ``mentor_id``, ``score``, one column per component (values before
        weighting), ``pinned``, then extra input columns prefixed ``mentee_`` / ``mentor_``.
    unmatched : pandas.DataFrame
        ``mentee_id``, ``wanted``, ``matched``, ``reason`` (``no_mentors``, ``all_excluded``,
        ``below_min_score``, ``capacity_taken``, ``not_selected``) and ``detail``.
    violations : pandas.DataFrame
        The independent post-solve audit: ``mentee_id``, ``mentor_id``, ``constraint``,
        ``detail``. Empty for every correct run.
    summary : dict
        Counts, total and mean score, unmatched by reason, the reference date.
    timings : dict
        Milliseconds per stage.
    problem : mentorpair.Problem or None
        The prepared problem the result was solved from: ``explain`` of any pair and ``audit``
        answer from it, without reading the tables again.
    """

    def __init__(
        self,
        raw: dict[str, Any],
        problem: Problem | None = None,
        _outcome: _core.MatchOutcome | None = None,
    ) -> None:
        self._raw = raw
        #: The :class:`mentorpair.Problem` this result was solved from (None when built by hand).
        self.problem = problem
        self._outcome = _outcome
        self.summary: dict[str, Any] = raw["summary"]
        self.timings: dict[str, float] = raw["timings"]
        #: The fairness-aware solve's report (floors met, iterations, price of fairness) or None.
        self.fairness: dict[str, Any] | None = raw.get("fairness")
        rows = []
        for p in raw["pairs"]:
            row: dict[str, Any] = {
                "mentee_id": p["mentee_id"],
                "mentor_id": p["mentor_id"],
                "score": p["score"],
            }
            for c in COMPONENTS:
                row[c] = p["components"].get(c)
            for name, value in p["components"].items():
                if name not in COMPONENTS:
                    row[name] = value  # affinity, preference, programme criteria
            row["pinned"] = p["pinned"]
            row["match_percent"] = p.get("match_percent")
            for k, v in p["mentee_extra"].items():
                row[f"mentee_{k}"] = v
            for k, v in p["mentor_extra"].items():
                row[f"mentor_{k}"] = v
            rows.append(row)
        base = ["mentee_id", "mentor_id", "score", *COMPONENTS, "pinned"]
        self.pairs = pd.DataFrame(rows, columns=None if rows else base)
        self.unmatched = pd.DataFrame(
            raw["unmatched"], columns=["mentee_id", "wanted", "matched", "reason", "detail"]
        )
        self.violations = pd.DataFrame(
            raw["violations"], columns=["mentee_id", "mentor_id", "constraint", "detail"]
        )

    def explain(self, mentee_id: str, mentor_id: str | None = None) -> dict[str, Any]:
        """Explain a mentee's result.

        Without ``mentor_id``: ``{"mentee_id", "pairs": [explanation, ...], "unmatched": {...} or
        None}``, where each explanation has ``score`` and ``components`` (``component``,
        ``value``, ``weight``, ``contribution`` (they add up to the score), ``missing`` and
        ``evidence`` such as shared goals or overlapping minutes per week).
        With ``mentor_id``: the explanation of that pair, matched or not, plus ``excluded`` (the
        hard constraint that forbids it, or None), read from the result's prepared problem: the
        tables are not read again.
        """
        mentee_id = str(mentee_id)
        if mentor_id is not None:
            for p in self._raw["pairs"]:
                if p["mentee_id"] == mentee_id and p["mentor_id"] == str(mentor_id):
                    return {"explanation": copy.deepcopy(p["explanation"]), "excluded": None}
            if self.problem is None:
                raise ValueError("this result was not produced by match(); cannot explain other pairs")
            return self.problem.explain(mentee_id, str(mentor_id))
        pairs = [copy.deepcopy(p["explanation"]) for p in self._raw["pairs"] if p["mentee_id"] == mentee_id]
        unmatched = next((dict(u) for u in self._raw["unmatched"] if u["mentee_id"] == mentee_id), None)
        if not pairs and unmatched is None:
            raise KeyError(
                f"mentee {mentee_id!r} has no pair and is not short of mentors in this result "
                "(unknown id, or mentors_wanted is 0)"
            )
        return {"mentee_id": mentee_id, "pairs": pairs, "unmatched": unmatched}

    def audit(self, by: str | Sequence[str], *, min_group_size: int = 5) -> _fairness.Audit:
        """Fairness audit by protected column(s) (``by="gender"`` or ``by=["gender", "region"]``).

        Returns an :class:`mentorpair.Audit`: ``.groups`` (one row per group), ``.disparate_impact``,
        ``.four_fifths_ok``, ``.max_score_gap`` and the mentors' share of the load when mentors carry
        the columns. Groups smaller than ``min_group_size`` are marked ``too_small``. Reads the
        result's prepared problem: the tables are not read again.
        """
        if self.problem is None:
            raise ValueError("this result was not produced by match(); cannot audit it")
        return self.problem.audit(self, by, min_group_size=min_group_size)

    def schedule(
        self,
        start: _dt.date | str,
        weeks: int | None = None,
        meeting_minutes: int | None = None,
        cadence_weeks: int | None = None,
    ) -> pd.DataFrame:
        """One proposed recurring meeting per pair for a programme from ``start`` (``"YYYY-MM-DD"``).

        ``weeks`` defaults to 26, ``meeting_minutes`` and ``cadence_weeks`` to those the result was
        scored with. Columns: ``mentee_id``, ``mentor_id``, ``utc_start`` (the first meeting at the
        regular slot, tz-aware UTC), ``mentee_timezone``/``_weekday``/``_start``/``_end`` and the same
        for ``mentor_``, ``meetings``, ``moves`` (``"date -> new UTC start"`` for each week the slot
        does not fit) and ``reason`` (why a pair has no slot, or meetings that could not be placed).
        The slot lies inside both availabilities in every meeting week, at each zone's real offset
        on that date. ``df.attrs["summary"]`` holds the counts. See docs/programme.md.
        """
        return _programme.schedule(self, start, weeks, meeting_minutes, cadence_weeks)

    def to_ics(
        self,
        path: str | os.PathLike[str],
        start: _dt.date | str,
        weeks: int | None = None,
        meeting_minutes: int | None = None,
        cadence_weeks: int | None = None,
    ) -> dict[str, Any]:
        """Write the schedule as an iCalendar file (one recurring event per pair, ``EXDATE`` and an
        alternate event for weeks that move). Returns the schedule's summary counts."""
        return _programme.to_ics(self, path, start, weeks, meeting_minutes, cadence_weeks)

    def report(
        self,
        path: str | os.PathLike[str],
        by: str | Sequence[str] | None = None,
        start: _dt.date | str | None = None,
        weeks: int | None = None,
        meeting_minutes: int | None = None,
        cadence_weeks: int | None = None,
    ) -> str:
        """Write the programme report: one self-contained HTML file (summary, searchable pairs,
        unmatched mentees, fairness charts by the protected column(s) ``by``, meeting schedule from
        ``start``, default the first Monday on or after the reference date). Returns the path."""
        return _programme.report(self, path, by, start, weeks, meeting_minutes, cadence_weeks)

    def to_dict(self) -> dict[str, Any]:
        """The whole result as plain Python data (pairs with explanations, unmatched, violations,
        summary, timings, config): JSON-serialisable."""
        return copy.deepcopy(self._raw)

    def __repr__(self) -> str:
        s = self.summary
        return (
            f"MatchResult({s['pairs']} pairs, {s['matched_mentees']}/{s['mentees']} mentees matched, "
            f"mean score {s['mean_score']:.3f}, {len(self.unmatched)} short of mentors, "
            f"{len(self.violations)} violations)"
        )
