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
from ._options import OPTION_DOC, MatchOptions, check_keywords

if TYPE_CHECKING:
    from typing_extensions import Unpack

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
#: Components beyond exact tags (docs/matching.md): used only when their inputs are in the cohort
#: (``goals_text`` columns, embeddings, ``network``/``target_areas``, ``learning_goals``).
BEYOND = ("goals_text", "embedding", "open_doors", "two_way")

TableLike = Any  # pandas.DataFrame | Arrow stream (pyarrow, polars...) | Sequence[Mapping[str, Any]] | str | os.PathLike


def _column(values: pd.Series) -> Any:
    """One column as the core reads it: an int64/float64/bool numpy array, or a Python list whose
    missing values (None, NaN, pd.NA, NaT) are None. Cells holding lists stay lists."""
    dtype = values.dtype
    if isinstance(dtype, np.dtype):
        if dtype.kind == "b":
            return np.ascontiguousarray(values.to_numpy(), dtype=np.bool_)
        if dtype.kind == "i" or (dtype.kind == "u" and dtype.itemsize < 8):
            return np.ascontiguousarray(values.to_numpy(), dtype=np.int64)
        if dtype.kind == "f":
            return np.ascontiguousarray(values.to_numpy(), dtype=np.float64)
    cells = values.astype(object)
    return cells.where(values.notna(), None).tolist()


def _arrow_ready(dtype: Any) -> bool:
    """Whether a pandas column converts to Arrow without a copy of its cells: pyarrow-backed
    strings (pandas' default ``str`` with pyarrow installed), ``ArrowDtype``, numpy numbers."""
    if isinstance(dtype, pd.ArrowDtype):
        return True
    if isinstance(dtype, pd.StringDtype):
        return bool(dtype.storage == "pyarrow")
    return isinstance(dtype, np.dtype) and dtype.kind in "biuf"


def _arrow_stream(table: Any) -> bool:
    return hasattr(table, "__arrow_c_stream__") and not isinstance(table, type)


def _source(table: TableLike, name: str) -> tuple[Any, ...]:
    """Convert a table argument to what the core reads: ``("path", path)``, ``("arrow", obj)``
    for an Arrow PyCapsule stream (pyarrow, polars, DuckDB...), or ``("columns", names,
    columns)`` with one numpy array or list per column. Never row by row, never JSON."""
    if isinstance(table, (str, os.PathLike)):
        return ("path", os.fspath(table))
    if isinstance(table, pd.DataFrame):
        names = [str(c) for c in table.columns]  # checked by the core even when there are no rows
        dtypes = list(table.dtypes)
        arrow_strings = any(isinstance(t, pd.StringDtype) for t in dtypes) and all(map(_arrow_ready, dtypes))
        if arrow_strings or any(isinstance(t, pd.ArrowDtype) for t in dtypes):
            # Columns held by Arrow already (pandas' default string dtype with pyarrow installed,
            # ArrowDtype) cross as one Arrow stream, the strings read in place, with no copy.
            import pyarrow as pa  # an Arrow-backed column means pyarrow is installed

            return ("arrow", pa.Table.from_pandas(table, preserve_index=False))
        return ("columns", names, [_column(table.iloc[:, i]) for i in range(table.shape[1])])
    if _arrow_stream(table):
        return ("arrow", table)
    if isinstance(table, Sequence) and not isinstance(table, (bytes, bytearray)):
        order: dict[str, None] = {}
        for i, rec in enumerate(table, start=1):
            if not isinstance(rec, Mapping):
                raise TypeError(f"{name} row {i} is {type(rec).__name__}, expected a dict of column -> value")
            order.update(dict.fromkeys(str(k) for k in rec))
        columns: dict[str, list[Any]] = {k: [None] * len(table) for k in order}
        for i, rec in enumerate(table):
            for k, v in rec.items():
                columns[str(k)][i] = v
        if not table:
            return ("columns", ["id"], [[]])  # no records: no people (a record list has no header)
        names = list(columns)
        return ("columns", names, [_column(pd.Series(columns[k], dtype=object)) for k in names])
    raise TypeError(
        f"{name} must be a pandas DataFrame, an Arrow table (pyarrow, polars, anything with "
        f"__arrow_c_stream__), a list of dicts or a path to a .csv/.json file, not {type(table).__name__}"
    )


HistoryLike = Any  # pandas.DataFrame | Sequence[Mapping[str, Any]] | str | os.PathLike


def _clean(value: Any) -> Any:
    """One history cell as a plain value; missing values (None, NaN, pd.NA, NaT) become None."""
    if value is None:
        return None
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


def _history(table: HistoryLike) -> list[dict[str, Any]]:
    """A history table (DataFrame, list of dicts or CSV path) as the core's past pairs: the
    cells go to Rust as text and the one history reader parses them (errors name the row and
    column)."""
    if isinstance(table, (str, os.PathLike)):
        return list(json.loads(_core.read_history("path", os.fspath(table))))
    if isinstance(table, pd.DataFrame):
        columns = [str(c) for c in table.columns]
        records = table.to_dict(orient="records")
    elif isinstance(table, Sequence) and not isinstance(table, (bytes, bytearray)):
        records = [dict(r) for r in table]
        columns = sorted({str(k) for r in records for k in r})
    else:
        raise TypeError(
            f"history must be a DataFrame, a list of dicts or a CSV path, not {type(table).__name__}"
        )

    def cell(v: Any) -> str | None:
        if isinstance(v, (_dt.date, _dt.datetime)) and not pd.isna(v):
            return v.isoformat()[:10]  # pandas Timestamps too
        v = _clean(v)
        if v is None:
            return None
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return str(v)

    rows = [[cell(r.get(c)) for c in columns] for r in records]
    payload = json.dumps({"columns": columns, "rows": rows})
    return list(json.loads(_core.read_history("cells", payload)))


def _taxonomy(table: Any) -> list[dict[str, Any]]:
    """A taxonomy as the core's list of groups. Accepts groups (a list of tag lists or of
    ``{"tags": [...], "credit": 0.5}``), a mapping tag -> group name, or a DataFrame with columns
    ``tag``, ``group`` and optionally ``credit``; the core turns the tag -> group forms into
    groups and rejects a tag given two groups."""
    rows: list[dict[str, Any]] | None = None
    if isinstance(table, pd.DataFrame):
        missing = {"tag", "group"} - {str(c) for c in table.columns}
        if missing:
            raise ValueError(f"taxonomy table needs the columns tag and group (missing {sorted(missing)})")
        rows = [{str(k): _clean(v) for k, v in r.items()} for r in table.to_dict(orient="records")]
        for r in rows:
            if r.get("credit") is None:
                r.pop("credit", None)
    elif isinstance(table, Mapping):
        rows = [{"tag": str(k), "group": str(v)} for k, v in table.items()]
    if rows is not None:
        out: list[dict[str, Any]] = json.loads(_core.taxonomy_groups(json.dumps(rows)))
        return out
    if isinstance(table, (str, bytes)) or not isinstance(table, Iterable):
        raise ValueError(
            "taxonomy must be a list of tag groups, a mapping tag -> group or a DataFrame with "
            "columns tag and group"
        )
    groups = []
    for g in table:
        if isinstance(g, Mapping):
            groups.append(dict(g))
        elif isinstance(g, (str, bytes)) or not isinstance(g, Iterable):
            raise ValueError(f"taxonomy group {g!r} is not a list of tags or a dict with 'tags'")
        else:
            groups.append({"tags": [str(t) for t in g]})
    return groups


def _embedding_matrix(m: Any, name: str) -> np.ndarray[Any, Any]:
    """One embedding matrix for the core: float64/float32 numpy arrays pass as they are (read in
    place by Rust); Arrow fixed-size-list arrays and other array-likes become float64 once."""
    if isinstance(m, np.ndarray) and m.dtype in (np.float64, np.float32):
        arr = m
    elif hasattr(m, "flatten") and hasattr(m, "type") and hasattr(m.type, "list_size"):
        arr = np.asarray(m.flatten(), dtype=np.float64).reshape(len(m), m.type.list_size)
    else:
        arr = np.asarray(m, dtype=np.float64)
    if arr.ndim != 2:
        raise ValueError(f"embeddings: the {name} matrix must be 2-D (people x dimension), not {arr.ndim}-D")
    return arr


def _embeddings(e: Any) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]] | None:
    if e is None:
        return None
    if not isinstance(e, Sequence) or len(e) != 2:
        raise ValueError("embeddings must be a pair (mentee_matrix, mentor_matrix)")
    return _embedding_matrix(e[0], "mentees"), _embedding_matrix(e[1], "mentors")


def _core_options(opts: dict[str, Any]) -> dict[str, Any]:
    """The options the user set, with the table-valued ones (history, taxonomy) read into the
    core's form and ``text_language`` as the core's ``text`` option."""
    out = dict(opts)
    if "history" in out:
        # An empty list (the core's default, as `defaults()` gives it) is no history.
        h = out["history"]
        out["history"] = [] if isinstance(h, (list, tuple)) and not h else _history(h)
    if "taxonomy" in out:
        out["taxonomy"] = _taxonomy(out["taxonomy"])
    if "text_language" in out:
        out["text"] = {"language": str(out.pop("text_language")).lower()}
    return out


def _pairs(pairs: Iterable[Sequence[str]], what: str) -> list[list[str]]:
    """``(mentee_id, mentor_id)`` pairs as lists; anything else is a ``ConfigError`` on ``what``."""
    out = []
    for p in pairs:
        if isinstance(p, str) or not isinstance(p, Sequence) or len(p) != 2:
            raise _core._config_error(what, repr(p), "a list of (mentee_id, mentor_id) pairs")
        out.append([str(p[0]), str(p[1])])
    return out


def _tables(mentees: TableLike, mentors: TableLike) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """Both tables as the core reads them. The one place tables are converted for Rust: a
    :class:`mentorpair.Problem` calls it once, and nothing after reads the tables again."""
    return _source(mentees, "mentees"), _source(mentors, "mentors")


#: The options' documentation, generated once from the core's defaults and ranges.
_OPTION_DOC = OPTION_DOC


def match(
    mentees: TableLike,
    mentors: TableLike,
    **options: Unpack[MatchOptions],
) -> MatchResult:
    """Match mentees with mentors: the optimal pairing under every hard constraint, explained.

    The same as ``Problem(mentees, mentors, **options).solve()``: prepare a
    :class:`mentorpair.Problem` yourself to solve, explain or rematch one cohort several times
    without reading and scoring it again.

    Returns a :class:`MatchResult` with ``.pairs``, ``.unmatched``, ``.violations`` (the
    independent audit, always empty), ``.summary``, ``.explain(mentee_id)``, ``.audit(by)`` and
    ``.to_dict()``.
    """
    from ._problem import Problem

    check_keywords(options, "match")
    return Problem(mentees, mentors, **options).solve()


#: Options of :func:`match` that do not change scores: :func:`score_matrix` leaves them out.
_SOLVE_ONLY = ("pin", "objective", "fairness", "by", "tolerance", "rate_parity")


def score_matrix(
    mentees: TableLike,
    mentors: TableLike,
    **options: Unpack[MatchOptions],
) -> pd.DataFrame:
    """Score every mentee x mentor pair: a DataFrame indexed by mentee id, one column per mentor id.

    ``frame.loc[mentee_id, mentor_id]`` is the pair's score; pairs excluded by a hard constraint
    or scoring below ``min_score`` are NaN. ``frame.to_numpy()`` is a read-only view of the
    prepared problem's own matrix (no copy). The same as
    ``Problem(mentees, mentors, **options).score_matrix()``; accepts the options of :func:`match`
    (``pin``, ``objective`` and the fairness options do not change scores and are ignored).
    """
    from ._problem import Problem

    check_keywords(options, "score_matrix")
    kept: dict[str, Any] = {k: v for k, v in options.items() if k not in _SOLVE_ONLY}
    return Problem(mentees, mentors, **kept).score_matrix()


match.__doc__ = (match.__doc__ or "") + _OPTION_DOC
score_matrix.__doc__ = (score_matrix.__doc__ or "") + _OPTION_DOC


def _pairs_frame(pairs: list[dict[str, Any]]) -> pd.DataFrame:
    """The pairs DataFrame from the result's plain data (a result built from ``to_dict()``),
    with the columns the core's column form has."""
    others = sorted({n for p in pairs for n in p["components"] if n not in COMPONENTS})
    extras = [
        (side, key)
        for side in ("mentee", "mentor")
        for key in sorted({k for p in pairs for k in p[f"{side}_extra"]})
    ]
    data: dict[str, list[Any]] = {
        "mentee_id": [p["mentee_id"] for p in pairs],
        "mentor_id": [p["mentor_id"] for p in pairs],
        "score": [float(p["score"]) for p in pairs],
    }
    for c in (*COMPONENTS, *others):
        data[c] = [float(p["components"].get(c, math.nan)) for p in pairs]
    data["pinned"] = [bool(p["pinned"]) for p in pairs]
    data["match_percent"] = [int(p["match_percent"]) for p in pairs]
    for side, key in extras:
        data[f"{side}_{key}"] = [p[f"{side}_extra"].get(key) for p in pairs]
    frame = pd.DataFrame(data)
    return frame.astype({c: "float64" for c in ("score", *COMPONENTS, *others)}).astype(
        {"pinned": bool, "match_percent": "int64"}
    )


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
    certificate : dict or None
        The sparse solve's certificate against every pair (``certified``, ``rounds``,
        ``pairs_checked``, ``gap``, ``coverage_gap``, ``candidates``); None for the dense solver.
    problem : mentorpair.Problem or None
        The prepared problem the result was solved from: ``explain`` of any pair and ``audit``
        answer from it, without reading the tables again.
    """

    def __init__(
        self,
        raw: dict[str, Any] | None = None,
        problem: Problem | None = None,
        _outcome: _core.MatchOutcome | None = None,
    ) -> None:
        if raw is None and _outcome is None:
            raise TypeError("MatchResult needs the raw result or the core's outcome")
        self.__raw = raw
        #: The :class:`mentorpair.Problem` this result was solved from (None when built by hand).
        self.problem = problem
        self._outcome = _outcome
        # From the core, everything but the pairs crosses as a small JSON document and the
        # pairs column by column; the explanations stay in Rust until asked for.
        head: dict[str, Any] = raw if raw is not None else json.loads(_outcome.head_json())  # type: ignore[union-attr]
        self.summary: dict[str, Any] = head["summary"]
        self.timings: dict[str, float] = head["timings"]
        #: The fairness-aware solve's report (floors met, iterations, price of fairness) or None.
        self.fairness: dict[str, Any] | None = head.get("fairness")
        #: The sparse solve's certificate (``certified``, ``rounds``, ``pairs_checked``, ``gap``,
        #: ``coverage_gap``, ``candidates``); None for the dense solver.
        self.certificate: dict[str, Any] | None = head.get("certificate")
        if raw is None:
            names, columns = _outcome.pair_columns()  # type: ignore[union-attr]
            self.pairs = pd.DataFrame(dict(zip(names, columns)), columns=names)
        else:
            self.pairs = _pairs_frame(raw["pairs"])
        self.unmatched = pd.DataFrame(
            head["unmatched"], columns=["mentee_id", "wanted", "matched", "reason", "detail"]
        )
        self.violations = pd.DataFrame(
            head["violations"], columns=["mentee_id", "mentor_id", "constraint", "detail"]
        )

    @property
    def _raw(self) -> dict[str, Any]:
        """The whole result as plain data (with every pair's explanation), read from the core
        on first use."""
        if self.__raw is None:
            assert self._outcome is not None
            self.__raw = json.loads(self._outcome.to_json())
        return self.__raw

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

    def to_arrow(self, table: str = "pairs") -> Any:
        """``pairs`` (or ``unmatched``, ``violations``) as a ``pyarrow.Table``; needs pyarrow."""
        import pyarrow as pa

        return pa.Table.from_pandas(self._frame(table), preserve_index=False)

    def to_polars(self, table: str = "pairs") -> Any:
        """``pairs`` (or ``unmatched``, ``violations``) as a ``polars.DataFrame``; needs polars
        (and pyarrow for the conversion)."""
        import polars as pl

        return pl.from_arrow(self.to_arrow(table))

    def _frame(self, table: str) -> pd.DataFrame:
        frames = {"pairs": self.pairs, "unmatched": self.unmatched, "violations": self.violations}
        if table not in frames:
            raise ValueError(f"table must be pairs, unmatched or violations, not {table!r}")
        return frames[table]

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
