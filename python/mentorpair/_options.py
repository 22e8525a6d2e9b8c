"""The one declaration of the match options on the Python side: their names and types
(:class:`MatchOptions`), and their documentation, generated from the core's own defaults and
ranges (``_core.defaults()``, ``_core.option_ranges()``).

Python passes only the options the user set; ``None`` means "the default", and the defaults and
every check live in the Rust core.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal, TypedDict

from . import _core

__all__ = ["MatchOptions", "SolveOptions", "OPTION_DOC", "defaults", "split", "check_keywords"]

Objective = Literal["coverage", "score"]
FairnessMode = Literal["group_floor", "maximin"]


class MatchOptions(TypedDict, total=False):
    """The keyword options of :func:`mentorpair.match` and :class:`mentorpair.Problem`; every one
    may be left out or given as ``None`` for the core's default (see :func:`defaults`)."""

    weights: Mapping[str, float] | None
    min_score: float | None
    forbid: Iterable[Sequence[str]] | None
    pin: Iterable[Sequence[str]] | None
    exclude_same_department: bool | None
    protected: Iterable[str] | None
    objective: Objective | None
    reference_date: _dt.date | str | None
    meeting_minutes: int | None
    cadence_weeks: int | None
    min_block_minutes: int | None
    seniority_gap: int | None
    seniority_sweet_spot_max: int | None
    reverse_mentoring: bool | None
    full_credit_skill_lead: int | None
    slots_for_full_credit: int | None
    days_for_full_credit: int | None
    goal_rank_decay: float | None
    neutral: float | None
    memory_limit_bytes: int | None
    criteria: Sequence[Mapping[str, Any]] | None
    preferences: Literal["bonus", "must"] | None
    fairness: FairnessMode | None
    by: str | Sequence[str] | None
    tolerance: float | None
    rate_parity: bool | None
    history: Any | None
    allow_repeat_pairs: bool | None
    unmatched_priority: float | None
    taxonomy: Any | None
    text_language: str | None
    text: Mapping[str, Any] | None
    embeddings: Any | None
    solver: Literal["auto", "dense", "sparse"] | None
    sparse_max_rounds: int | None
    sparse_time_limit_s: float | None
    min_load: int | None
    spread: float | None
    min_load_shortfall: Literal["error", "report"] | None


class SolveOptions(TypedDict, total=False):
    """What one solve may override: the objective and the fairness mode."""

    objective: Objective | None
    fairness: FairnessMode | None
    by: str | Sequence[str] | None
    tolerance: float | None
    rate_parity: bool | None


def defaults() -> dict[str, Any]:
    """The core's defaults: ``{"match": {option: default}, "rematch": {"keep_bonus": ...},
    "audit": {"min_group_size": ...}}``. A ``None`` default is computed by the core
    (``reference_date``: today). The core applies them itself; this is for reading."""
    return _core.defaults()


def check_keywords(given: Iterable[str], function: str, allowed: Iterable[str] | None = None) -> None:
    """Raise ``TypeError`` for a keyword that is no option (what Python does for any function)."""
    names = set(MatchOptions.__annotations__) if allowed is None else set(allowed)
    unknown = sorted(set(given) - names)
    if unknown:
        raise TypeError(
            f"{function}() got unexpected keyword argument(s) {unknown}; options are {sorted(names)}"
        )


def split(options: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The options the user set (``None`` dropped) for the core, and the protected columns."""
    opts = {k: v for k, v in options.items() if v is not None}
    protected = opts.pop("protected", ())
    if isinstance(protected, str):
        protected = [protected]
    return opts, [str(p) for p in protected]


_MENTEES_MENTORS = """    mentees, mentors
        A pandas DataFrame, a list of dicts or a path to a ``.csv``/``.json`` file with the
        columns of the schema (``id`` required; ``goals``, ``skills``, ``availability``,
        ``timezone``, ``languages``, ``level``, ``department``, ``manager_id``, ``capacity`` for
        mentors, ``mentors_wanted`` for mentees; other columns are carried through).
"""

#: What each option does; the default and the allowed range come from the core.
_WHAT = {
    "weights": "Component -> weight; components not given keep their defaults. The score is "
    "divided by the sum of the weights that apply to the mentee, so it lies in [0, 1].",
    "min_score": "Pairs scoring below this are not allowed.",
    "forbid": "``(mentee_id, mentor_id)`` pairs never to match.",
    "pin": "``(mentee_id, mentor_id)`` pairs always to match; a pin that breaks a hard "
    "constraint raises ``InfeasibleError``.",
    "exclude_same_department": "Forbid pairs within one department.",
    "protected": "Columns held apart for auditing; no score can read them.",
    "objective": "``coverage`` (as many pairs as possible, then the best total) or ``score``.",
    "reference_date": "Date (or ``YYYY-MM-DD``) whose UTC offsets apply to availability; default today.",
    "meeting_minutes": "Length of one meeting.",
    "cadence_weeks": "One meeting every this many weeks.",
    "min_block_minutes": "Shared blocks shorter than this (or than a meeting) do not count.",
    "seniority_gap": "Start of the seniority sweet spot (levels the mentor is ahead).",
    "seniority_sweet_spot_max": "End of the seniority sweet spot.",
    "reverse_mentoring": "The mentor is expected to be junior to the mentee, by the sweet spot.",
    "full_credit_skill_lead": "The step, in levels, a mentee aims for on a skill without a "
    "``target_skills`` level.",
    "slots_for_full_credit": "Distinct meeting start times for full availability credit.",
    "days_for_full_credit": "Distinct days with a fitting slot for full availability credit.",
    "goal_rank_decay": "The goal listed at position r counts 1 / (1 + decay x r) times its weight.",
    "neutral": "Value of a component whose information is missing.",
    "memory_limit_bytes": "Refuse problems whose dense matrices need more (``TooLargeError``).",
    "criteria": "Programme-defined criteria, e.g. ``[{'column': 'location', 'kind': 'same', "
    "'weight': 0.1}, {'column': 'business_unit', 'kind': 'different', 'rule': 'must'}]``; kinds "
    "same, different, closeness (``scale``), overlap (Jaccard) and ahead (``by``, ``order``).",
    "preferences": "``bonus`` (a mentee's ``preferred_mentors`` earn the preference component) "
    "or ``must`` (a mentee with a list is matched only with a listed mentor).",
    "fairness": "``group_floor`` (every group of ``by`` has a mean score of at least "
    "(1 - ``tolerance``) x the overall mean, and with ``rate_parity`` the same for match rates) "
    "or ``maximin`` (keep the coverage, lift the lowest pair score); see docs/fairness.md.",
    "by": "Protected mentee column(s) whose groups ``group_floor`` holds to the floor.",
    "tolerance": "The ``group_floor`` tolerance.",
    "rate_parity": "``group_floor``: also hold every group's match rate to the floor.",
    "history": "Earlier rounds (a DataFrame, list of dicts or CSV path with ``mentee_id``, "
    "``mentor_id``, ``round`` or ``date``, optional ``outcome``): past pairs are not matched "
    "again (``paired_before``) and mentees left unmatched get a priority bonus.",
    "solver": "``auto`` (dense while two dense matrices fit the memory limit and the memory "
    "available, sparse otherwise), ``dense``, or ``sparse`` (blocking-index candidates, certified "
    "against every pair; ``result.certificate``).",
    "sparse_max_rounds": "Sparse solver: solve-and-certify rounds at most.",
    "sparse_time_limit_s": "Sparse solver: stop certifying after the round that ends past this many "
    "seconds (the certificate then bounds the gap).",
    "min_load": "The fewest mentees every mentor should get (a ``min_load`` mentor column overrides "
    "it per mentor), solved as lower bounds before coverage and score.",
    "spread": "Spreading penalty: a mentor's k-th mentee costs ``spread x (k - 1)`` score points.",
    "min_load_shortfall": "When minimum loads cannot all be met: ``error`` (naming the mentors) or "
    "``report`` (the best matching, the shortfall in the audit).",
    "allow_repeat_pairs": "Allow pairs the history says met before.",
    "unmatched_priority": "Weight of the priority component for mentees left unmatched in earlier rounds.",
    "taxonomy": "Related tags earning partial goal credit: tag groups, a mapping tag -> group, or a "
    "DataFrame with ``tag``, ``group`` (and ``credit``).",
    "text": "The free-text goals component: ``language`` (Snowball) and the BM25 parameters.",
    "text_language": "Snowball language of the ``goals_text`` columns (e.g. ``english``, ``german``).",
    "embeddings": "``(mentee_matrix, mentor_matrix)``: one vector per person (numpy or Arrow), "
    "read in place; the ``embedding`` component is their cosine similarity.",
}


def _option_doc() -> str:
    ranges = dict(_core.option_ranges())
    ranges["protected"] = "a list of column names"
    match_defaults = dict(_core.defaults()["match"])
    match_defaults["protected"] = []
    lines = ["", "    Parameters", "    ----------", _MENTEES_MENTORS.rstrip("\n")]
    for name in MatchOptions.__annotations__:
        default = match_defaults.get(name)
        lines.append(f"    {name}")
        lines.append(f"        {_WHAT.get(name, '')} Default {default!r}; allowed: {ranges.get(name, '')}.")
    lines += [
        "",
        "    Every option may be left out or given as ``None``: the core's default applies",
        "    (``mentorpair.defaults()``).",
        "",
        "    Raises",
        "    ------",
        "    InputError",
        "        A bad table cell or column (``.table``, ``.row``, ``.id``, ``.column``, ``.value``).",
        "    ConfigError",
        "        An option out of range or of the wrong type (``.option``, ``.value``, ``.allowed``).",
        "    InfeasibleError",
        "        A pin that breaks a hard constraint.",
        "    TooLargeError",
        "        A problem over the memory limit (``.needed_bytes``, ``.limit_bytes``).",
        "",
    ]
    return "\n".join(lines)


#: The generated documentation of the options, shared by every function that takes them.
OPTION_DOC = _option_doc()
