"""Compare matching strategies side by side on quality metrics (what each does to the people).

Strategies: ``optimal`` (the assignment solver: as many pairs as possible, then the highest total
score), ``greedy`` (best pair first), ``random`` (random feasible), ``stable`` (mentee-proposing
deferred acceptance), ``group_floor`` (the coverage optimum with a floor on each group's mean
score; groups = the mentees' first protected column) and ``maximin`` (among coverage-optimal
matchings, the highest lowest score), both from the fairness layer.

All strategies see the same score matrix and hard-constraint mask, and each result is re-checked
by the independent audit (``violations`` must be 0). The work runs in Rust.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from . import _core
from ._match import _source
from .synthetic import PROTECTED, spec

#: Columns of :func:`compare`, in order.
COLUMNS = [
    "strategy",
    "seed",
    "total_score",
    "mean_score",
    "median_score",
    "p10_score",
    "min_score",
    "matched_share",
    "blocking_pairs",
    "group_gap_match_rate",
    "group_gap_mean_score",
    "mentor_utilisation",
    "violations",
    "seconds",
]


def available_strategies() -> list[str]:
    """The strategies this build can run, in report order."""
    return list(_core.quality_strategies())


def _strategies(strategies: Iterable[str] | None) -> list[str]:
    return available_strategies() if strategies is None else [str(s) for s in strategies]


def _rows(runs_json: str) -> list[dict[str, Any]]:
    rows = []
    for run in json.loads(runs_json):
        row = {"strategy": run["strategy"], "seed": run["seed"], **run["metrics"]}
        rows.append({k: (float("nan") if v is None else v) for k, v in row.items()})
    return rows


def compare(
    n_mentees: int = 2000,
    n_mentors: int | None = 800,
    seeds: Sequence[int] | int = (0, 1, 2, 3, 4),
    strategies: Iterable[str] | None = None,
    cohorts: Iterable[tuple[Any, Any]] | None = None,
    protected: Sequence[str] = PROTECTED,
    **knobs: float,
) -> pd.DataFrame:
    """One row per strategy and seed with the quality metrics (see :data:`COLUMNS`).

    Without ``cohorts``: one synthetic cohort per seed (``n_mentees``, ``n_mentors`` and the
    knobs of :func:`mentorpair.synthetic.cohort`); ``seeds`` may be a count (``5`` = seeds 0..4).
    With ``cohorts``: an iterable of ``(mentees, mentors)`` tables in the ``match`` input schema
    (DataFrames, lists of dicts or paths to .csv/.json files); row ``k`` gets seed ``k`` (which also seeds ``random``), and
    ``protected`` names their protected columns.

    Metrics: ``matched_share`` is the share of wanted mentor slots filled (pairs / sum of
    ``mentors_wanted``); score statistics are over matched pairs (NaN with none);
    ``blocking_pairs`` counts acceptable unmatched pairs that both sides strictly prefer, capacity
    considered; the group gaps are the largest difference between two groups of one protected
    mentee column, maximised over columns; ``mentor_utilisation`` = pairs / total capacity.
    """
    names = _strategies(strategies)
    if cohorts is None:
        seed_list = list(range(seeds)) if isinstance(seeds, int) else [int(s) for s in seeds]
        runs = _core.quality_compare(json.dumps(spec(n_mentees, n_mentors, 0, **knobs)), seed_list, names)
        rows = _rows(runs)
    else:
        rows = []
        for k, (mentees, mentors) in enumerate(cohorts):
            runs = _core.quality_tables(
                "runs", _source(mentees, "mentees"), _source(mentors, "mentors"), list(protected), names, k
            )
            rows.extend(_rows(runs))
    return pd.DataFrame(rows, columns=COLUMNS)


def summary(frame: pd.DataFrame) -> pd.DataFrame:
    """Mean and standard deviation over seeds of every metric of a :func:`compare` frame, one row
    per strategy (columns are a (metric, mean/std) MultiIndex)."""
    metrics = [c for c in COLUMNS if c not in ("strategy", "seed")]
    return frame.groupby("strategy", sort=False)[metrics].agg(["mean", "std"])


def pairs(
    n_mentees: int = 500,
    n_mentors: int | None = 200,
    seed: int = 0,
    strategies: Iterable[str] | None = None,
    cohort: tuple[Any, Any] | None = None,
    protected: Sequence[str] = PROTECTED,
    **knobs: float,
) -> pd.DataFrame:
    """Every pair each strategy forms on one cohort: columns ``strategy, mentee_id, mentor_id,
    score`` plus the mentee's protected columns. The cohort is synthetic (sizes, ``seed`` and
    knobs) unless ``cohort=(mentees, mentors)`` is given."""
    from .synthetic import cohort as make_cohort

    names = _strategies(strategies)
    if cohort is None:
        mentees, mentors = make_cohort(n_mentees, n_mentors, seed, **knobs)
    else:
        mentees, mentors = cohort
    found = _core.quality_tables(
        "pairs", _source(mentees, "mentees"), _source(mentors, "mentors"), list(protected), names, seed
    )
    records = json.loads(found)
    out = pd.DataFrame(records, columns=["strategy", "mentee_id", "mentor_id", "score"])
    groups = pd.DataFrame([r["mentee_groups"] for r in records], columns=list(protected))
    return pd.concat([out, groups], axis=1)


def plot_scores(
    frame: pd.DataFrame | None = None,
    *,
    group: str = "gender",
    path: str | None = None,
    title: str | None = None,
    **pairs_kwargs: Any,
) -> Any:
    """Draw matched-score distributions per strategy and mean score per protected group.

    ``frame`` is a :func:`pairs` frame; without it :func:`pairs` is called with ``pairs_kwargs``.
    Saves to ``path`` when given (any format matplotlib knows, e.g. ``.png``) and returns the
    matplotlib Figure. Needs matplotlib (optional extra ``mentorpair[plot]``): ImportError with
    the install command otherwise.
    """
    from ._plot import draw_scores

    if frame is None:
        frame = pairs(**pairs_kwargs)
    fig = draw_scores(frame, group, title)
    if path is not None:
        fig.savefig(path, dpi=110)
    return fig
