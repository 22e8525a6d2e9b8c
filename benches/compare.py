#!/usr/bin/env python3
"""Time mentorpair's dense assignment solver against scipy, lap.lapjv and OR-Tools.

Every solver gets the IDENTICAL seeded matrix in one process; the median of several repeats is
reported, all objectives are checked against each other, and a markdown table is printed.

Families (numpy-seeded, same definitions as ``mentorpair::lsap::instances``):
  uniform      n x n, U[0, 1) costs, minimised
  integers     n x n, integers 0..999, minimised
  mentor_like  n x n scores, rank-8 product of U[0,1) factors / 8 + U(-0.01, 0.01) noise, maximised
  rectangular  n x n/3, U[0, 1) costs, minimised

OR-Tools' SimpleLinearSumAssignment needs integer costs and a square problem: floats are scaled by
1e6 and rounded (it solves a rounded problem; its assignment is re-costed on the real matrix and
checked to be within the rounding bound), rectangular inputs are padded with zero-cost columns.
lap.lapjv pads rectangular inputs itself (``extend_cost=True``).
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import statistics
import sys
import time

import numpy as np

FAMILIES = ("uniform", "integers", "mentor_like", "rectangular")
RANK = 8
NOISE = 0.01
ORTOOLS_SCALE = 1e6


def make(family: str, n: int, seed: int) -> tuple[np.ndarray, bool]:
    """Return (matrix, maximize) for one family at size n."""
    rng = np.random.default_rng(seed)
    if family == "uniform":
        return rng.random((n, n)), False
    if family == "integers":
        return rng.integers(0, 1000, (n, n)).astype(np.float64), False
    if family == "mentor_like":
        a = rng.random((n, RANK))
        b = rng.random((n, RANK))
        s = a @ b.T / RANK + NOISE * (2.0 * rng.random((n, n)) - 1.0)
        return np.ascontiguousarray(s), True
    if family == "rectangular":
        return rng.random((n, max(1, n // 3))), False
    raise ValueError(f"unknown family {family!r}; choose from {', '.join(FAMILIES)}")


def timed(fn, repeats: int, budget: float):
    """Median wall time of fn() over up to `repeats` runs (fewer once `budget` seconds are spent)."""
    times, out, spent = [], None, 0.0
    for _ in range(repeats):
        t = time.perf_counter()
        out = fn()
        dt = time.perf_counter() - t
        times.append(dt)
        spent += dt
        if spent > budget:
            break
    return statistics.median(times), out


def solvers():
    """Name -> factory(matrix, maximize) -> callable returning the objective, for importable ones."""
    found, notes = {}, []
    try:
        core = importlib.import_module("mentorpair._core")
        found["mentorpair"] = lambda c, mx: (lambda: core.solve_dense(c, mx)[2])
    except ImportError as e:  # pragma: no cover - the bench is run after `make develop`
        notes.append(f"mentorpair._core not importable ({e}); run `make develop`")
    try:
        mp = importlib.import_module("mentorpair")
        if hasattr(mp, "linear_sum_assignment"):
            f = mp.linear_sum_assignment

            def mp_lsa(c, mx):
                def run():
                    r, k = f(c, maximize=mx)
                    return float(c[r, k].sum())

                return run

            found["mentorpair.lsa"] = mp_lsa
    except ImportError:
        pass
    try:
        from scipy.optimize import linear_sum_assignment as scipy_lsa

        def sp(c, mx):
            def run():
                r, k = scipy_lsa(c, maximize=mx)
                return float(c[r, k].sum())

            return run

        found["scipy"] = sp
    except ImportError:
        notes.append("scipy not importable: skipped")
    try:
        import lap

        def lp(c, mx):
            cc = -c if mx else c

            def run():
                x = lap.lapjv(cc, extend_cost=cc.shape[0] != cc.shape[1])[1]
                rows = np.nonzero((x >= 0) & (x < c.shape[1]))[0]
                return float(c[rows, x[rows]].sum())

            return run

        found["lap"] = lp
    except ImportError:
        notes.append("lap not importable (pip install -r requirements-bench.txt): skipped")
    try:
        from ortools.graph.python import linear_sum_assignment as ola

        def ot(c, mx):
            n, m = c.shape
            k = max(n, m)
            sq = np.zeros((k, k))
            sq[:n, :m] = -c if mx else c
            ints = np.rint(sq * ORTOOLS_SCALE).astype(np.int64)
            left = np.repeat(np.arange(k), k)
            right = np.tile(np.arange(k), k)

            def run():
                a = ola.SimpleLinearSumAssignment()
                a.add_arcs_with_cost(left, right, ints.ravel())
                if a.solve() != a.OPTIMAL:
                    raise RuntimeError("OR-Tools did not report an optimal solution")
                cols = np.array([a.right_mate(i) for i in range(n)])
                keep = cols < m
                return float(c[np.arange(n)[keep], cols[keep]].sum())

            return run

        found["ortools"] = ot
    except ImportError:
        notes.append("ortools not importable (pip install -r requirements-bench.txt): skipped")
    return found, notes


def env_line() -> str:
    import scipy

    try:
        from threadpoolctl import threadpool_info

        blas = ",".join(sorted({i.get("internal_api", "?") for i in threadpool_info()}))
    except ImportError:
        blas = "n/a"
    return (
        f"python {platform.python_version()}, numpy {np.__version__}, scipy {scipy.__version__}, "
        f"cpus {os.cpu_count()}, RAYON_NUM_THREADS={os.environ.get('RAYON_NUM_THREADS', 'unset')}, "
        f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', 'unset')}, blas {blas} "
        "(BLAS is not used by any LSAP solver timed here)"
    )


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", default="500,1000,2000,4000", help="comma-separated n (default %(default)s)")
    p.add_argument("--families", default=",".join(FAMILIES), help="comma-separated (default all)")
    p.add_argument("--repeats", type=int, default=5, help="repeats per solver (1 at n >= 4000)")
    p.add_argument("--budget", type=float, default=20.0, help="stop repeating a solver after this many seconds")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--json", metavar="PATH", help="also write the raw results as JSON")
    a = p.parse_args(argv)
    sizes = [int(s) for s in a.sizes.split(",") if s.strip()]
    fams = [f.strip() for f in a.families.split(",") if f.strip()]
    found, notes = solvers()
    print(f"<!-- {env_line()} -->")
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    names = list(found)
    peers = [x for x in names if not x.startswith("mentorpair")]
    results = []
    for fam in fams:
        for n in sizes:
            c, mx = make(fam, n, a.seed)
            reps = 1 if n >= 4000 else a.repeats
            row = {"family": fam, "n": n, "shape": f"{c.shape[0]}x{c.shape[1]}", "maximize": mx, "times": {}, "objective": {}}
            for name in names:
                t, obj = timed(found[name](c, mx), reps, a.budget)
                row["times"][name] = t
                row["objective"][name] = obj
            ref = row["objective"].get("scipy", row["objective"].get("mentorpair"))
            for name, obj in row["objective"].items():
                bound = 1e-9 * (1 + abs(ref)) if name != "ortools" else c.shape[0] / ORTOOLS_SCALE + 1e-9 * abs(ref)
                if abs(obj - ref) > bound:
                    raise SystemExit(f"{fam} n={n}: {name} objective {obj!r} differs from {ref!r}")
            results.append(row)
            print(f"  done {fam} n={n}", file=sys.stderr, flush=True)

    ms = lambda t: f"{t * 1e3:.1f}"  # noqa: E731
    head = ["family", "n", "shape", *[f"{x} (ms)" for x in names], "scipy/ours", "best peer/ours"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for r in results:
        ours = r["times"].get("mentorpair")
        cells = [r["family"], str(r["n"]), r["shape"], *[ms(r["times"][x]) for x in names]]
        if ours:
            sp = r["times"].get("scipy")
            best = min((r["times"][x] for x in peers), default=None)
            cells.append(f"{sp / ours:.2f}x" if sp else "-")
            cells.append(f"{best / ours:.2f}x" if best else "-")
        else:
            cells += ["-", "-"]
        print("| " + " | ".join(cells) + " |")
    print("\nOR-Tools solves a rounded problem (costs x1e6, rounded); its objective is re-costed on the real matrix.")
    if a.json:
        with open(a.json, "w") as fh:
            json.dump({"env": env_line(), "results": results}, fh, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
