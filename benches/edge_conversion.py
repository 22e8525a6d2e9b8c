"""Tables at the Python edge, side by side in one run and one build.

``json`` is the wire form of earlier releases, reproduced in this script: every cell cleaned in
Python, the table dumped as JSON records and parsed again in Rust (the core still reads that form
as ``("json", text)``). ``columns`` is the current path: one numpy array or list per column
(pandas, lists of dicts); ``arrow`` hands an Arrow stream (pyarrow, polars) to Rust as is.

(a) A 100,000 x 40,000 pandas cohort reaches the size refusal (the memory limit error): the time
    until the error is all conversion and validation (target < 0.5 s).
(b) A 10,000 x 4,000 ``match`` from Python (pandas in, ``MatchResult`` with pandas frames out)
    against the same job in Rust: the command line's ``match`` on the same cohort as CSV, run in
    this process through ``mentorpair._core.cli_main`` (read CSV, match, write pairs CSV; target
    within 10 %).

    python benches/edge_conversion.py                       # both, best of 3
    python benches/edge_conversion.py --big 0 --repeat 1    # (b) only, once
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import mentorpair as mp
import numpy as np
import pandas as pd
from mentorpair import _core, _match
from mentorpair.synthetic import PROTECTED, cohort

REFERENCE_DATE = "2026-03-02"


def _clean(value: Any) -> Any:
    """The earlier releases' per-cell cleaning (missing values to None, numpy scalars to Python)."""
    if value is None:
        return None
    if isinstance(value, (set, frozenset)):
        value = sorted(value, key=str)
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


def _json_source(table: Any, name: str) -> tuple[str, str]:
    """The earlier releases' conversion: rows to dicts, every cell cleaned, one JSON string."""
    if isinstance(table, (str, os.PathLike)):
        return ("path", os.fspath(table))
    columns = None
    if isinstance(table, pd.DataFrame):
        columns = [str(c) for c in table.columns]
        records = table.to_dict(orient="records")
    else:
        records = list(table)
    rows = [{str(k): _clean(v) for k, v in rec.items()} for rec in records if isinstance(rec, Mapping)]
    if columns is not None:
        return ("json", json.dumps({"columns": columns, "rows": rows}))
    return ("json", json.dumps(rows))


@contextlib.contextmanager
def json_wire() -> Iterator[None]:
    """Run the public API with the JSON wire form instead of columns."""
    current = _match._source
    _match._source = _json_source
    try:
        yield
    finally:
        _match._source = current


def best(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def refusal(mentees: Any, mentors: Any) -> str:
    try:
        # The dense solver, forced: `solver="auto"` would take the sparse path at this size.
        mp.match(mentees, mentors, reference_date=REFERENCE_DATE, protected=list(PROTECTED), solver="dense")
    except ValueError as e:
        if "too large" not in str(e):
            raise
        return str(e)
    raise AssertionError("expected the size refusal")


def part_a(n_mentees: int, n_mentors: int, repeat: int) -> None:
    print(f"(a) {n_mentees:,} x {n_mentors:,} pandas cohort until the size refusal (best of {repeat})")
    t = time.perf_counter()
    mentees, mentors = cohort(n_mentees, n_mentors, seed=7)
    print(f"    generated in {time.perf_counter() - t:.1f} s (not timed below)")
    t_py, _ = best(lambda: _match._tables(mentees, mentors), repeat)
    t_cols, message = best(lambda: refusal(mentees, mentors), repeat)
    with json_wire():
        t_py_json, _ = best(lambda: _match._tables(mentees, mentors), repeat)
        t_json, _ = best(lambda: refusal(mentees, mentors), repeat)
    print(f"    refusal: {message[:110]}...")
    print(f"    {'path':<10}{'Python side':>14}{'until refusal':>16}")
    print(f"    {'json':<10}{t_py_json:>13.3f}s{t_json:>15.3f}s")
    print(f"    {'columns':<10}{t_py:>13.3f}s{t_cols:>15.3f}s   ({t_json / t_cols:.1f}x faster; target < 0.5 s)")
    try:
        import pyarrow as pa
    except ImportError:
        return
    e_arrow = pa.Table.from_pandas(mentees, preserve_index=False)
    r_arrow = pa.Table.from_pandas(mentors, preserve_index=False)
    t_arrow, _ = best(lambda: refusal(e_arrow, r_arrow), repeat)
    print(f"    {'arrow':<10}{'-':>14}{t_arrow:>15.3f}s   (a pyarrow Table, converted beforehand)")


def part_b(n_mentees: int, n_mentors: int, repeat: int) -> None:
    print(f"(b) {n_mentees:,} x {n_mentors:,} match: Python vs the same job in Rust (best of {repeat})")
    mentees, mentors = cohort(n_mentees, n_mentors, seed=7)
    with tempfile.TemporaryDirectory() as tmp:
        e_csv, r_csv, out = (os.path.join(tmp, f) for f in ("mentees.csv", "mentors.csv", "pairs.csv"))
        mentees.to_csv(e_csv, index=False)
        mentors.to_csv(r_csv, index=False)
        argv = ["mentorpair", "--quiet", "match", "--mentees", e_csv, "--mentors", r_csv]
        argv += ["--out", out, "--reference-date", REFERENCE_DATE, "--protected", ",".join(PROTECTED)]

        def rust() -> int:
            with open(os.devnull, "w") as null, contextlib.redirect_stdout(null):
                code = int(_core.cli_main(argv))
            if code != 0:
                raise RuntimeError(f"mentorpair match exited with {code}")
            return code

        t_rust, _ = best(rust, repeat)
        rust_pairs = pd.read_csv(out)

    def python() -> mp.MatchResult:
        return mp.match(mentees, mentors, reference_date=REFERENCE_DATE, protected=list(PROTECTED))

    t_cols, result = best(python, repeat)
    with json_wire():
        t_json, result_json = best(python, repeat)
    assert len(result.pairs) == len(rust_pairs) == len(result_json.pairs)
    assert abs(result.summary["total_score"] - result_json.summary["total_score"]) < 1e-9
    stages = {k: round(v / 1e3, 2) for k, v in result.timings.items()}
    print(f"    Rust (CLI: read CSV, match, write pairs) {t_rust:7.2f} s")
    print(f"    Python, json wire                         {t_json:7.2f} s   ({t_json / t_rust - 1:+.1%} vs Rust)")
    print(f"    Python, columns                           {t_cols:7.2f} s   ({t_cols / t_rust - 1:+.1%} vs Rust; target within 10 %)")
    print(f"    core stages of the Python run (s): {stages}")


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--big", nargs=2, type=int, default=[100_000, 40_000], metavar=("MENTEES", "MENTORS"))
    ap.add_argument("--match", nargs=2, type=int, default=[10_000, 4_000], metavar=("MENTEES", "MENTORS"))
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    print(f"mentorpair {_core.__version__}, {os.cpu_count()} CPUs")
    if args.big[0] > 0:
        part_a(args.big[0], args.big[1], args.repeat)
    if args.match[0] > 0:
        part_b(args.match[0], args.match[1], args.repeat)


if __name__ == "__main__":
    main()
