"""mentorpair.dask.match on a LocalCluster at increasing sizes, up to 1,000,000 x 200,000.

Prints, per size: wall time by stage, peak memory of each worker process and of the client,
the certificate (certified, rounds, pairs checked, candidates). Sizes run in order while the time
budget lasts; a size whose estimated time (from the pair rate measured so far) exceeds what is
left is not started, and the script says so with the estimate.

    .venv/bin/python benches/dask_scale.py                       # default sizes, 1500 s budget
    .venv/bin/python benches/dask_scale.py --budget 600 --sizes 10000x4000,30000x12000
    .venv/bin/python benches/dask_scale.py --workers 2 --partition-rows 5000

Cohorts are the default synthetic generator (``mentorpair.synthetic.cohort``), mentor capacities
1-3; options as ``mentorpair.match`` defaults with a fixed reference date.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from typing import Any

import dask.dataframe as dd
import distributed

from mentorpair import dask as mpd
from mentorpair.synthetic import PROTECTED, cohort

DEFAULT_SIZES = "10000x4000,30000x12000,100000x40000,300000x60000,1000000x200000"


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _sizes(text: str) -> list[tuple[int, int]]:
    out = []
    for item in text.split(","):
        a, b = item.lower().split("x")
        out.append((int(a), int(b)))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default=DEFAULT_SIZES, help="mentees x mentors, comma-separated")
    ap.add_argument("--budget", type=float, default=1500.0, help="seconds for the whole run")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--partition-rows", type=int, default=None, help="mentees per partition (default: 4 per worker)")
    ap.add_argument("--max-rounds", type=int, default=None)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    start = time.perf_counter()
    rate: float | None = None  # seconds per million pairs scored, end to end
    print(f"LocalCluster: {args.workers} worker processes, 1 thread each (a fresh cluster per size); budget {args.budget:.0f} s")
    print("| mentees x mentors | generate s | summary s | candidates s | solve s | check s | total s | worker peak MiB | client peak MiB | certified | rounds | pairs checked | candidates |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|", flush=True)
    for n, m in _sizes(args.sizes):
        left = args.budget - (time.perf_counter() - start)
        pairs = n * m
        if rate is not None:
            estimate = rate * pairs / 1e6
            if estimate > left:
                print(
                    f"| {n:,} x {m:,} | not started: estimated {estimate:,.0f} s at the measured "
                    f"{rate * 1e3:.2f} ms per million pairs, {left:,.0f} s of budget left | | | | | | | | | | | |",
                    flush=True,
                )
                continue
        t = time.perf_counter()
        mentees, mentors = cohort(n, m, seed=args.seed)
        gen_s = time.perf_counter() - t
        rows = args.partition_rows or max(1000, -(-n // (4 * args.workers)))
        ddf = dd.from_pandas(mentees, npartitions=max(1, -(-n // rows)))  # type: ignore[no-untyped-call]
        # A fresh cluster per size: each worker's peak memory is this size's.
        with distributed.LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=args.workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            memory_limit=0,
        ) as cluster, distributed.Client(cluster) as client:  # type: ignore[no-untyped-call]
            t = time.perf_counter()
            r = mpd.match(
                ddf,
                mentors,
                client=client,
                protected=PROTECTED,
                reference_date="2027-03-01",
                max_rounds=args.max_rounds,
                time_limit=max(1.0, left - gen_s),
            )
            total = time.perf_counter() - t
            peaks: dict[str, Any] = client.run(_peak_mib)
        rate = total / (pairs / 1e6)
        worker_peak = max(peaks.values())
        c = r.certificate
        tm = r.timings
        print(
            f"| {n:,} x {m:,} | {gen_s:.1f} | {tm['summary_ms'] / 1e3:.1f} | {tm['candidates_ms'] / 1e3:.1f} | "
            f"{tm['solve_ms'] / 1e3:.1f} | {tm['check_ms'] / 1e3:.1f} | {total:.1f} | {worker_peak:,.0f} | "
            f"{_peak_mib():,.0f} | {c.certified} | {c.rounds} | {c.pairs_checked:,} | {c.candidates:,} |",
            flush=True,
        )
        del mentees, mentors, ddf, r
    return 0


if __name__ == "__main__":
    sys.exit(main())
