"""Matching a cohort across a Dask cluster, for cohorts that outgrow one machine.

``mentorpair.dask.match(mentees, mentors, **options)`` takes Dask DataFrames (or pandas) and
returns the optimum of :func:`mentorpair.match`, certified over every pair:

1. each mentee partition is summarised on a worker (ids, ``mentors_wanted``, manager links, the
   order of its vocabulary), and the summaries are merged, so that no score depends on which
   partition a mentee is in;
2. workers score each mentee partition against the full mentor table (sent to every worker once)
   with the single-machine scoring code, streaming one mentee at a time, and return the top-k
   candidates of each mentee and each mentor as arrays;
3. the sparse capacitated solve runs in one place (this process) on the gathered candidates;
4. workers check every pair's reduced cost against the solve's duals, blockwise; the violators
   join the candidates and the solve resumes from its duals (column generation) until nothing
   violates (``result.certificate.certified``) or the round budget ends.

All of the work is done by ``mentorpair._core`` (Rust); this module only moves data between
the client and the workers. See docs/dask.md.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from . import _core
from ._match import _core_options, _source
from ._options import check_keywords, split

__all__ = ["Certificate", "DaskMatchResult", "match"]

#: Options of :func:`mentorpair.match` that have no blockwise form.
_UNSUPPORTED = (
    "fairness",
    "tolerance",
    "rate_parity",
    "min_load",
    "spread",
    "min_load_shortfall",
    "embeddings",
    "solver",
)


@dataclass(frozen=True)
class Certificate:
    """How far the matching is from the optimum over every pair (see docs/matching.md).

    ``certified``: no pair violates its reduced-cost condition, the matching is optimal.
    ``rounds``: solve-and-check rounds; ``pairs_checked``: pair checks over all rounds;
    ``gap`` / ``coverage_gap``: lexicographic bound ``(pairs, score)`` on how much better the
    optimum can be when not certified (0 when certified); ``candidates``: pairs in the final
    candidate graph.
    """

    certified: bool
    rounds: int
    pairs_checked: int
    gap: float
    coverage_gap: int
    candidates: int


@dataclass
class DaskMatchResult:
    """The result of :func:`match`: ``pairs`` (mentee_id, mentor_id, score, pinned, and
    ``programme`` with ``by``), ``unmatched`` (mentee_id, wanted, matched), ``certificate``,
    ``summary`` and ``timings`` (milliseconds). With ``by``, ``programmes`` holds each
    programme's certificate."""

    pairs: pd.DataFrame
    unmatched: pd.DataFrame
    certificate: Certificate
    summary: dict[str, Any]
    timings: dict[str, float]
    programmes: dict[str, Certificate] = field(default_factory=dict)

    def __repr__(self) -> str:
        c = self.certificate
        return (
            f"DaskMatchResult({len(self.pairs)} pairs, {self.summary['mentees_matched']} of "
            f"{self.summary['mentees']} mentees matched, total score {self.summary['total_score']:.4f}, "
            f"certified={c.certified} after {c.rounds} round(s))"
        )


# ---------------------------------------------------------------------------------------------
# Tasks run on the workers: plain functions of picklable arguments, returning numpy arrays.


def _aligned(value: Any) -> Any:
    """Arrays as the core reads them: C-contiguous and aligned (arrays unpickled from another
    process may be neither); tuples and lists element by element."""
    if isinstance(value, np.ndarray):
        return np.require(value, requirements=["C_CONTIGUOUS", "ALIGNED"])
    if isinstance(value, (tuple, list)):
        return type(value)(_aligned(v) for v in value)
    return value


def _summary(part: pd.DataFrame, mentors: tuple[str, str], protected: list[str]) -> str:
    return _core.dask_summary(_source(part, "mentees"), mentors, protected)


def _block(
    part: pd.DataFrame, mentors: tuple[str, str], cfg: str, protected: list[str], ctx: str, offset: int
) -> Any:
    return _core.DaskBlock(_source(part, "mentees"), mentors, cfg, protected, ctx, offset)


def _top_k(
    part: pd.DataFrame,
    mentors: tuple[str, str],
    cfg: str,
    protected: list[str],
    ctx: str,
    offset: int,
    k_mentee: int,
    k_mentor: int,
) -> Any:
    return _block(part, mentors, cfg, protected, ctx, offset).top_k(k_mentee, k_mentor)


def _check(
    part: pd.DataFrame,
    mentors: tuple[str, str],
    cfg: str,
    protected: list[str],
    ctx: str,
    offset: int,
    duals: tuple[np.ndarray, ...],
    per_row: int,
) -> Any:
    return _block(part, mentors, cfg, protected, ctx, offset).check(*_aligned(duals), per_row)


# ---------------------------------------------------------------------------------------------
# Where tasks run: the cluster through a distributed.Client, or this process.


class _Here:
    """Runs tasks in this process (no cluster, or inside a worker for ``by``)."""

    def scatter(self, value: Any) -> Any:
        return value

    def run(self, fn: Callable[..., Any], calls: Sequence[tuple[Any, ...]]) -> list[Any]:
        return [fn(*args) for args in calls]


class _Cluster:
    """Runs tasks on the workers of a distributed.Client; large values are scattered once."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def scatter(self, value: Any) -> Any:
        return self.client.scatter(value, broadcast=True, hash=False)

    def run(self, fn: Callable[..., Any], calls: Sequence[tuple[Any, ...]]) -> list[Any]:
        futures = [self.client.submit(fn, *args, pure=False) for args in calls]
        return list(self.client.gather(futures))


def _executor(client: Any) -> _Cluster | _Here:
    if client is None:
        try:
            from distributed import default_client

            client = default_client()  # type: ignore[no-untyped-call]
        except (ImportError, ValueError):
            return _Here()
    return _Cluster(client)


# ---------------------------------------------------------------------------------------------
# Options and tables.


def _json_value(value: Any) -> Any:
    """Option values JSON cannot hold as they are: dates as ISO text, sets and tuples as lists."""
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"option value {value!r} of type {type(value).__name__} cannot be sent to the workers")


def _options(options: dict[str, Any]) -> tuple[str, list[str]]:
    """The options the user set as the core's flat JSON options (the core applies its defaults
    and checks them), and the protected columns."""
    check_keywords(options, "mentorpair.dask.match")
    for name in _UNSUPPORTED:
        if options.get(name) is not None:
            raise ValueError(
                f"{name} is not supported by mentorpair.dask.match (fairness modes, load bounds, "
                "embedding matrices and the solver choice need the whole problem in one place); "
                "use mentorpair.match, or match without it"
            )
    opts, protected = split(options)
    return json.dumps(_core_options(opts), default=_json_value), protected


def _is_dask(table: Any) -> bool:
    return hasattr(table, "to_delayed") and hasattr(table, "npartitions")


def _pandas(table: Any, name: str) -> pd.DataFrame:
    if _is_dask(table):
        out: pd.DataFrame = table.compute()
        return out
    if isinstance(table, pd.DataFrame):
        return table
    raise TypeError(f"{name} must be a Dask or pandas DataFrame, not {type(table).__name__}")


def _mentee_parts(run: _Cluster | _Here, mentees: Any, partition_rows: int | None) -> list[Any]:
    """Mentee partitions, in order: a Dask DataFrame's own (persisted on the workers), or
    slices of a pandas one."""
    if _is_dask(mentees):
        if isinstance(run, _Cluster):
            return list(run.client.compute(mentees.to_delayed()))
        return [d.compute() for d in mentees.to_delayed()]
    frame = _pandas(mentees, "mentees")
    if partition_rows is None:
        workers = len(run.client.scheduler_info().get("workers", {})) if isinstance(run, _Cluster) else 1
        partition_rows = max(1, math.ceil(len(frame) / max(1, 2 * workers)))
    if partition_rows < 1:
        raise ValueError(f"partition_rows must be at least 1, not {partition_rows}")
    parts = [frame.iloc[a : a + partition_rows] for a in range(0, len(frame), partition_rows)] or [frame]
    if isinstance(run, _Cluster):
        return list(run.client.scatter(parts, hash=False))
    return parts


# ---------------------------------------------------------------------------------------------
# The pipeline.


def _run(
    run: _Cluster | _Here,
    mentees: Any,
    mentors: Any,
    cfg: str,
    protected: list[str],
    partition_rows: int | None,
    k_mentee: int | None,
    k_mentor: int | None,
    max_rounds: int | None,
    per_row: int | None,
    time_limit: float | None,
) -> DaskMatchResult:
    d_k, d_kc, d_rounds, d_per_row = _core.dask_defaults()
    k_mentee = d_k if k_mentee is None else int(k_mentee)
    k_mentor = d_kc if k_mentor is None else int(k_mentor)
    max_rounds = d_rounds if max_rounds is None else int(max_rounds)
    per_row = d_per_row if per_row is None else int(per_row)
    for name, value, low in (
        ("k_mentee", k_mentee, 0),
        ("k_mentor", k_mentor, 0),
        ("max_rounds", max_rounds, 1),
        ("per_row", per_row, 1),
    ):
        if value < low:
            raise ValueError(f"{name} must be at least {low}, not {value}")
    if k_mentee + k_mentor == 0:
        raise ValueError("k_mentee and k_mentor are both 0; keep at least one candidate per mentee or mentor")
    if time_limit is not None and not (time_limit > 0):
        raise ValueError(f"time_limit must be a positive number of seconds, not {time_limit!r}")
    t0 = time.perf_counter()
    timings: dict[str, float] = {}

    def lap(name: str, since: float) -> float:
        now = time.perf_counter()
        timings[name] = (now - since) * 1e3
        return now

    mentor_frame = _pandas(mentors, "mentors")
    mentor_src = _source(mentor_frame, "mentors")
    parts = _mentee_parts(run, mentees, partition_rows)
    shared = run.scatter(mentor_src)
    summaries = run.run(_summary, [(p, shared, protected) for p in parts])
    central = _core.DaskCentral(summaries, mentor_src, cfg, protected)
    ctx = run.scatter(central.worker_context())
    offsets = central.offsets()
    t = lap("summary_ms", t0)
    found = run.run(
        _top_k,
        [(p, shared, cfg, protected, ctx, offsets[k], k_mentee, k_mentor) for k, p in enumerate(parts)],
    )
    t = lap("candidates_ms", t)
    central.start(_aligned(found), k_mentor)
    timings["solve_ms"] = (time.perf_counter() - t) * 1e3
    timings["check_ms"] = 0.0
    for round_no in range(1, max_rounds + 1):
        t = time.perf_counter()
        calls = []
        for k, p in enumerate(parts):
            duals = central.duals(offsets[k], offsets[k + 1] - offsets[k])
            calls.append((p, shared, cfg, protected, ctx, offsets[k], duals, per_row))
        checks = run.run(_check, calls)
        t = lap("last_check_ms", t)
        timings["check_ms"] += timings.pop("last_check_ms")
        out_of_budget = round_no == max_rounds or (
            time_limit is not None and time.perf_counter() - t0 >= time_limit
        )
        certified = central.record(_aligned(checks), not out_of_budget)
        timings["solve_ms"] += (time.perf_counter() - t) * 1e3
        if certified or out_of_budget:
            break
    return _result(central, timings, t0)


def _result(central: Any, timings: dict[str, float], t0: float) -> DaskMatchResult:
    rows, cols, scores, pinned = central.pairs()
    mentee_ids = np.asarray(central.mentee_ids(), dtype=object)
    mentor_ids = np.asarray(central.mentor_ids(), dtype=object)
    pairs = pd.DataFrame(
        {
            "mentee_id": mentee_ids[rows.astype(np.int64)] if len(rows) else pd.Series([], dtype=object),
            "mentor_id": mentor_ids[cols.astype(np.int64)] if len(cols) else pd.Series([], dtype=object),
            "score": scores,
            "pinned": pinned,
        }
    )
    wanted = central.mentee_wanted().astype(np.int64)
    matched = np.bincount(rows.astype(np.int64), minlength=len(wanted))[: len(wanted)]
    short = np.flatnonzero(matched < wanted)
    unmatched = pd.DataFrame(
        {"mentee_id": mentee_ids[short], "wanted": wanted[short], "matched": matched[short]}
    )
    certified, rounds, checked, gap, coverage_gap, candidates = central.certificate()
    certificate = Certificate(
        bool(certified), int(rounds), int(checked), float(gap), int(coverage_gap), int(candidates)
    )
    timings["total_ms"] = (time.perf_counter() - t0) * 1e3
    summary = {
        "mentees": len(mentee_ids),
        "mentors": len(mentor_ids),
        "pairs": len(pairs),
        "mentees_matched": int((matched > 0).sum()),
        "total_score": float(scores.sum()),
        "mean_score": float(scores.mean()) if len(scores) else 0.0,
    }
    return DaskMatchResult(pairs, unmatched, certificate, summary, timings)


def _programme(
    mentees: pd.DataFrame,
    mentors: pd.DataFrame,
    cfg: str,
    protected: list[str],
    knobs: dict[str, Any],
) -> DaskMatchResult:
    """One programme matched inside one worker (its partitions scored in this process)."""
    return _run(_Here(), mentees, mentors, cfg, protected, **knobs)


def _by_programme(
    run: _Cluster | _Here,
    mentees: Any,
    mentors: Any,
    by: str,
    cfg: str,
    protected: list[str],
    knobs: dict[str, Any],
) -> DaskMatchResult:
    t0 = time.perf_counter()
    a, b = _pandas(mentees, "mentees"), _pandas(mentors, "mentors")
    for name, frame in (("mentees", a), ("mentors", b)):
        if by not in frame.columns:
            raise ValueError(
                f"by={by!r}: the {name} table has no column {by!r}; name a column of both tables"
            )
        missing = frame[by].isna().to_numpy()
        if missing.any():
            row = int(np.flatnonzero(missing)[0])
            ident = frame["id"].iloc[row] if "id" in frame.columns else "?"
            raise ValueError(
                f"{name} row {row + 1} (id {ident!r}): column {by!r} is empty; every row needs a programme"
            )
    keys = sorted(set(a[by].astype(str)) | set(b[by].astype(str)))
    groups = [(k, a[a[by].astype(str) == k], b[b[by].astype(str) == k]) for k in keys]
    results = run.run(_programme, [(ga, gb, cfg, protected, knobs) for _, ga, gb in groups])
    pairs, unmatched = [], []
    for (k, _, _), r in zip(groups, results):
        pairs.append(r.pairs.assign(programme=k))
        unmatched.append(r.unmatched.assign(programme=k))
    certs = {k: r.certificate for (k, _, _), r in zip(groups, results)}
    c = list(certs.values())
    certificate = Certificate(
        all(x.certified for x in c),
        max((x.rounds for x in c), default=0),
        sum(x.pairs_checked for x in c),
        sum(x.gap for x in c),
        sum(x.coverage_gap for x in c),
        sum(x.candidates for x in c),
    )
    all_pairs = pd.concat(pairs, ignore_index=True) if pairs else pd.DataFrame()
    scores = all_pairs["score"] if len(all_pairs) else pd.Series([], dtype=float)
    summary = {
        "mentees": len(a),
        "mentors": len(b),
        "pairs": len(all_pairs),
        "mentees_matched": int(all_pairs["mentee_id"].nunique()) if len(all_pairs) else 0,
        "total_score": float(scores.sum()),
        "mean_score": float(scores.mean()) if len(scores) else 0.0,
        "programmes": len(groups),
    }
    return DaskMatchResult(
        all_pairs,
        pd.concat(unmatched, ignore_index=True) if unmatched else pd.DataFrame(),
        certificate,
        summary,
        {"total_ms": (time.perf_counter() - t0) * 1e3},
        certs,
    )


def match(
    mentees: Any,
    mentors: Any,
    *,
    client: Any = None,
    by: str | None = None,
    partition_rows: int | None = None,
    k_mentee: int | None = None,
    k_mentor: int | None = None,
    max_rounds: int | None = None,
    per_row: int | None = None,
    time_limit: float | None = None,
    **options: Any,
) -> DaskMatchResult:
    """Match mentees with mentors on a Dask cluster: the optimum of :func:`mentorpair.match`
    (the same total, bit-identical scores; the same pairs unless pairs tie exactly), certified over
    every pair.

    Parameters
    ----------
    mentees, mentors
        Dask or pandas DataFrames with the columns of :func:`mentorpair.match`. A Dask mentee
        table keeps its partitions; a pandas one is cut into ``partition_rows`` rows. The mentor
        table is gathered and sent to every worker once.
    client
        A ``distributed.Client`` (default: the current one; with none, everything runs in this
        process).
    by
        A column of both tables: each programme (value) is matched on its own, programmes in
        parallel across workers.
    partition_rows
        Mentees per partition for a pandas mentee table (default: two partitions per worker).
    k_mentee, k_mentor
        Candidates kept per mentee and per mentor before the first solve (defaults in Rust).
    max_rounds, per_row, time_limit
        Column generation budget: solve-and-check rounds, violators added per mentee per round,
        seconds; when it ends first, ``certificate.certified`` is false and ``gap`` bounds the
        distance to the optimum.
    **options
        The options of :func:`mentorpair.match` (``weights``, ``min_score``, ``forbid``, ``pin``,
        ``objective``, ...), except the fairness modes.
    """
    if by is not None and not isinstance(by, str):
        raise TypeError(f"by must be one column name, not {type(by).__name__}")
    cfg, protected = _options(options)
    run = _executor(client)
    knobs: dict[str, Any] = {
        "partition_rows": partition_rows,
        "k_mentee": k_mentee,
        "k_mentor": k_mentor,
        "max_rounds": max_rounds,
        "per_row": per_row,
        "time_limit": time_limit,
    }
    if by is not None:
        return _by_programme(run, mentees, mentors, by, cfg, protected, knobs)
    return _run(run, mentees, mentors, cfg, protected, **knobs)
