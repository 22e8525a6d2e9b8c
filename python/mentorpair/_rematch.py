"""Rematching a running programme from Python: previous pairs plus this round's tables in, the new
matching and what changed out. All the work happens in the Rust core (``mentorpair._core``)."""

from __future__ import annotations

import copy
import os
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from . import _core
from ._match import MatchResult, TableLike, _pairs
from ._options import MatchOptions, check_keywords

if TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = ["rematch", "RematchResult"]

PairsLike = Any  # MatchResult | RematchResult | DataFrame | Sequence[(mentee_id, mentor_id)] | path


def _previous_pairs(previous: PairsLike) -> list[list[str]]:
    """Previous pairs from a result, a DataFrame with ``mentee_id``/``mentor_id``, a CSV path or a
    list of ``(mentee_id, mentor_id)``; checked by the core's previous-pairs reader (the one the
    command line uses)."""
    if isinstance(previous, (MatchResult, RematchResult)):
        previous = previous.pairs
    if isinstance(previous, (str, os.PathLike)):
        pairs = _core.previous_pairs(os.fspath(previous), path=os.fspath(previous))
        return [list(p) for p in pairs]
    if isinstance(previous, pd.DataFrame):
        missing = {"mentee_id", "mentor_id"} - set(previous.columns)
        if missing:
            raise _core._input_error(
                f"previous pairs need the columns mentee_id and mentor_id; missing {sorted(missing)} "
                f"(columns given: {list(previous.columns)})",
                "previous_pairs",
                column=sorted(missing)[0],
            )
        previous = list(zip(previous["mentee_id"].astype(str), previous["mentor_id"].astype(str)))
    cells = [(a, b) for a, b in _pairs(previous, "previous_pairs")]
    return [list(p) for p in _core.previous_pairs("previous_pairs", cells=cells)]


def rematch(
    previous_pairs: PairsLike,
    mentees: TableLike,
    mentors: TableLike,
    *,
    keep_bonus: float | None = None,
    freeze: Iterable[Sequence[str]] = (),
    **options: Unpack[MatchOptions],
) -> RematchResult:
    """Re-solve a programme after goals, people or constraints changed, moving only what should move.

    The same as ``Problem(mentees, mentors, **options).rematch(previous_pairs, ...)``: this
    round's tables are read and scored once, and the new matching is reported from that.

    Pairs of ``previous_pairs`` that now break a hard constraint (reporting line, department,
    ``forbid``, ``min_score``, a mentor with capacity 0) or name someone no longer in the tables are
    dissolved, with the reason. Frozen pairs (``freeze``, and any ``pin``) stay matched; a frozen
    pair that breaks a hard constraint raises ``ValueError`` naming it. Every other previous pair
    gets ``keep_bonus`` added to its score while solving, so it is kept unless moving gains more.

    Parameters
    ----------
    previous_pairs
        Last round's pairs: a :class:`MatchResult` or :class:`RematchResult`, a DataFrame (or CSV
        path) with ``mentee_id`` and ``mentor_id`` columns, or a list of ``(mentee_id, mentor_id)``.
    mentees, mentors
        This round's tables, as for :func:`mentorpair.match`.
    keep_bonus
        Score bonus for keeping a still-valid pair (scores lie in [0, 1]; ``None`` is the core's
        default, ``mentorpair.defaults()["rematch"]["keep_bonus"]`` = 0.1): 0 is a fresh optimal
        solve, 0.05 to 0.2 keeps pairs unless moving clearly pays, a large value keeps every
        still-valid pair (with ``objective="score"``; ``"coverage"`` still matches as many mentees
        as possible first).
    freeze
        ``(mentee_id, mentor_id)`` pairs that must stay matched.
    **options
        Any option of :func:`mentorpair.match` (``weights``, ``min_score``, ``forbid``, ``pin``,
        ``exclude_same_department``, ``protected``, ``objective``, ``reference_date``, ...),
        including ``fairness="group_floor"`` (with ``by``, ``tolerance``, ``rate_parity``) or
        ``fairness="maximin"``: the re-solve is then the fairness-aware one, run on the scores plus
        the keep bonus, and ``result.fairness`` holds its report.

    Returns
    -------
    RematchResult
        ``.pairs`` (the new matching, with a ``status`` column: ``kept`` or ``new``), ``.changes``,
        ``.mentees``, ``.counts``, ``.score_gained``, ``.result`` (a full :class:`MatchResult`),
        ``.explain(mentee_id)`` and ``.to_dict()``.

    Raises
    ------
    ValueError
        Bad input or options (as for :func:`mentorpair.match`), a frozen pair that breaks a hard
        constraint, a duplicate previous or frozen pair, a negative ``keep_bonus``.
    """
    from ._problem import Problem

    check_keywords(options, "rematch")
    problem = Problem(mentees, mentors, **options)
    return problem.rematch(previous_pairs, keep_bonus=keep_bonus, freeze=freeze)


class RematchResult:
    """The outcome of :func:`rematch`.

    Attributes
    ----------
    result : MatchResult
        The new matching, explained and audited like any :func:`mentorpair.match` result.
    pairs : pandas.DataFrame
        ``result.pairs`` plus ``status`` (``kept`` or ``new``) and ``frozen``.
    changes : pandas.DataFrame
        Every previous pair (in the order given) and every new pair: ``mentee_id``, ``mentor_id``,
        ``status`` (``kept``, ``released``, ``dissolved``, ``new``), ``frozen``, ``score`` (now,
        without bonus; NaN if a person left or the pair is forbidden) and ``reason``.
    mentees : pandas.DataFrame
        One row per mentee: ``mentee_id``, ``status`` (``kept``, ``moved``, ``new``, ``dissolved``,
        ``unmatched``), ``previous_mentors``, ``mentors`` (``;``-separated) and ``reason``.
    counts : dict
        Mentees by status.
    total_score, baseline_score, score_gained : float
        The new matching's total score, what keeping the still-valid previous pairs would give, and
        the difference.
    """

    def __init__(self, raw: dict[str, Any], result: MatchResult | None = None) -> None:
        self._raw = raw
        rm = raw["rematch"]
        self.result = MatchResult(raw["result"]) if result is None else result
        self.counts: dict[str, int] = dict(rm["counts"])
        self.total_score: float = rm["total_score"]
        self.baseline_score: float = rm["baseline_score"]
        self.score_gained: float = rm["score_gained"]
        self.keep_bonus: float = rm["keep_bonus"]
        status = {(p["mentee_id"], p["mentor_id"]): p for p in rm["pairs"]}
        pairs = self.result.pairs.copy()
        keys = list(zip(pairs["mentee_id"], pairs["mentor_id"])) if len(pairs) else []
        pairs["status"] = ["kept" if status[k]["kept"] else "new" for k in keys]
        pairs["frozen"] = [bool(status[k]["frozen"]) for k in keys]
        self.pairs = pairs
        self.changes = pd.DataFrame(
            [
                {
                    "mentee_id": c["mentee_id"],
                    "mentor_id": c["mentor_id"],
                    "status": c["status"],
                    "frozen": c["frozen"],
                    "score": float("nan") if c["score"] is None else c["score"],
                    "reason": c["reason"],
                }
                for c in rm["changes"]
            ],
            columns=["mentee_id", "mentor_id", "status", "frozen", "score", "reason"],
        )
        self.mentees = pd.DataFrame(
            [
                {
                    "mentee_id": m["mentee_id"],
                    "status": m["status"],
                    "previous_mentors": ";".join(m["previous_mentors"]),
                    "mentors": ";".join(m["mentors"]),
                    "reason": m["reason"],
                }
                for m in rm["mentees"]
            ],
            columns=["mentee_id", "status", "previous_mentors", "mentors", "reason"],
        )

    @property
    def unmatched(self) -> pd.DataFrame:
        """Mentees short of mentors in the new matching, with the reason (as ``MatchResult``)."""
        return self.result.unmatched

    def explain(self, mentee_id: str, mentor_id: str | None = None) -> dict[str, Any]:
        """Explain a mentee's new pairs (or one pair), as :meth:`MatchResult.explain`, plus the
        mentee's rematch ``status`` and ``reason``."""
        out = self.result.explain(mentee_id, mentor_id)
        row = self.mentees[self.mentees["mentee_id"] == str(mentee_id)]
        if len(row):
            out["rematch"] = {"status": row["status"].iloc[0], "reason": row["reason"].iloc[0]}
        return out

    def to_dict(self) -> dict[str, Any]:
        """Everything as plain JSON-ready data: ``{"rematch": {...}, "result": {...}}``."""
        return copy.deepcopy(self._raw)

    def __repr__(self) -> str:
        c = self.counts
        return (
            f"RematchResult({len(self.pairs)} pairs; mentees kept {c['kept']}, moved {c['moved']}, "
            f"new {c['new']}, dissolved {c['dissolved']}, unmatched {c['unmatched']}; "
            f"score gained {self.score_gained:+.3f})"
        )
