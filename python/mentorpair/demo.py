"""`python -m mentorpair.demo`: the main job on a seeded synthetic problem (run by `make demo`)."""

from __future__ import annotations

import time

import numpy as np

from . import _core


def main() -> None:
    rng = np.random.default_rng(2026)
    n = 2000
    rank = 8
    scores = rng.random((n, rank)) @ rng.random((rank, n)) / rank + 0.01 * rng.random((n, n))
    t0 = time.perf_counter()
    rows, cols, total, _, _ = _core.solve_dense(np.ascontiguousarray(scores), True)
    ours = time.perf_counter() - t0
    print(f"mentorpair: {n}x{n} mentor-like scores, total {total:.6f}, {ours:.3f} s")
    try:
        from scipy.optimize import linear_sum_assignment
    except ImportError:
        print("scipy not installed: skipping the side-by-side")
        return
    t0 = time.perf_counter()
    r2, c2 = linear_sum_assignment(scores, maximize=True)
    theirs = time.perf_counter() - t0
    print(f"scipy:      total {scores[r2, c2].sum():.6f}, {theirs:.3f} s  (ratio {theirs / ours:.2f}x)")


if __name__ == "__main__":
    main()
