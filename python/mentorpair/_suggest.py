"""Shortlists for self-match and hybrid programmes: every mentee's best mentors with the exact
cost of each choice to the programme's optimum, and the hybrid flow that turns the mentees'
picks into pins (or favourites) before the optimal solve fills the rest."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from ._match import MatchResult, TableLike
from ._problem import Problem

__all__ = ["suggest", "fill_from_picks"]


def suggest(mentees: TableLike, mentors: TableLike, k: int = 5, **options: Any) -> pd.DataFrame:
    """Every mentee's shortlist: ``Problem(mentees, mentors, **options).suggest(k=k)``.

    Columns ``mentee_id``, ``rank``, ``mentor_id``, ``score``, ``match_pct``,
    ``cost_of_choice``, ``pairs_lost``, ``in_optimum``, ``why``; see :meth:`Problem.suggest`.
    ``options`` are those of :func:`mentorpair.match` (``history`` included).
    """
    return Problem(mentees, mentors, **options).suggest(k=k)


def _pick_pairs(picks: pd.DataFrame | Iterable[Sequence[str]]) -> list[tuple[str, str]]:
    if isinstance(picks, pd.DataFrame):
        missing = {"mentee_id", "mentor_id"} - set(map(str, picks.columns))
        if missing:
            raise ValueError(f"picks needs the columns mentee_id and mentor_id (missing: {sorted(missing)})")
        return [(str(a), str(b)) for a, b in zip(picks["mentee_id"], picks["mentor_id"])]
    out = []
    for p in picks:
        if isinstance(p, str) or len(p) != 2:
            raise ValueError(f"picks must be (mentee_id, mentor_id) pairs, got {p!r}")
        out.append((str(p[0]), str(p[1])))
    return out


def fill_from_picks(
    mentees: pd.DataFrame,
    mentors: TableLike,
    picks: pd.DataFrame | Iterable[Sequence[str]],
    *,
    as_: str = "pin",
    **options: Any,
) -> MatchResult:
    """The hybrid flow's last step: the mentees' picks from their shortlists, then the optimal
    solve for everyone else.

    ``picks`` are ``(mentee_id, mentor_id)`` pairs (or a DataFrame with those columns, such as
    rows of a shortlist). ``as_="pin"`` pins them (each must still be allowed: a pick that breaks
    a hard constraint or exceeds a capacity raises ``ValueError`` naming it);
    ``as_="favourite"`` puts each pick first on the mentee's ``preferred_mentors`` instead, so
    the solve favours it but may move the mentee if that serves the programme better. The other
    ``options`` are those of :func:`mentorpair.match`.
    """
    pairs = _pick_pairs(picks)
    if as_ == "pin":
        pins = [tuple(p) for p in options.pop("pin", ())] + pairs
        return Problem(mentees, mentors, pin=pins, **options).solve()
    if as_ != "favourite":
        raise ValueError(f"as_ must be 'pin' or 'favourite', not {as_!r}")
    if not isinstance(mentees, pd.DataFrame):
        raise TypeError("fill_from_picks(as_='favourite') needs the mentees as a DataFrame")
    chosen: dict[str, list[str]] = {}
    for a, b in pairs:
        chosen.setdefault(a, []).append(b)
    table = mentees.copy()
    if "preferred_mentors" in table.columns:
        old = list(table["preferred_mentors"])
    else:
        old = [None] * len(table)

    def merged(mentee_id: Any, before: Any) -> Any:
        first = chosen.get(str(mentee_id), [])
        if not first:
            return before
        missing = before is None or (isinstance(before, float) and pd.isna(before))
        rest = [] if missing else str(before).split(";")
        return ";".join(first + [r for r in (x.strip() for x in rest) if r and r not in first])

    table["preferred_mentors"] = [merged(i, p) for i, p in zip(table["id"], old)]
    return Problem(table, mentors, **options).solve()
