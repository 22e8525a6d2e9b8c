"""1,000 ``explain`` calls against one ``match`` of the same cohort, and one ``rematch``, from Python.

    python benches/explain_vs_match.py [--mentees 3000] [--mentors 1200] [--explains 1000]

The explained pairs are pairs the matching did not choose (the path that needs the cohort, not
the stored result). Runs against whatever ``mentorpair`` is importable: with ``mentorpair.Problem``
(the prepared problem) every explain reads the prepared data; without it (older builds) every
explain sends and reads both tables again, so only ``--sample`` calls are timed and the total is
scaled to ``--explains`` (printed as such). Release builds only (``make develop``).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

import numpy as np

import mentorpair as mp
from mentorpair import synthetic

DATE = "2026-03-02"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mentees", type=int, default=3000)
    ap.add_argument("--mentors", type=int, default=1200)
    ap.add_argument("--explains", type=int, default=1000)
    ap.add_argument("--sample", type=int, default=20, help="explains timed on builds without Problem")
    ap.add_argument("--repeat", type=int, default=3, help="matches timed (the median is reported)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    mentees, mentors = synthetic.cohort(args.mentees, args.mentors, seed=args.seed)
    opts = dict(reference_date=DATE, protected=["gender", "age_band"])
    prepared = hasattr(mp, "Problem")

    match_s = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        result = mp.match(mentees, mentors, **opts)
        match_s.append(time.perf_counter() - t)
    match_median = statistics.median(match_s)

    rng = np.random.default_rng(args.seed)
    ids_e, ids_m = list(mentees["id"]), list(mentors["id"])
    matched = set(zip(result.pairs["mentee_id"], result.pairs["mentor_id"]))
    pairs: list[tuple[str, str]] = []
    while len(pairs) < args.explains:
        e, m = ids_e[rng.integers(len(ids_e))], ids_m[rng.integers(len(ids_m))]
        if (e, m) not in matched:
            pairs.append((e, m))
    timed = pairs if prepared else pairs[: args.sample]
    t = time.perf_counter()
    for e, m in timed:
        result.explain(e, m)
    explain_s = (time.perf_counter() - t) * len(pairs) / len(timed)

    t = time.perf_counter()
    mp.rematch(result, mentees, mentors, keep_bonus=0.1, **opts)
    rematch_s = time.perf_counter() - t

    scaled = "" if prepared else f" (timed {len(timed)}, scaled to {len(pairs)})"
    print(f"build: {'prepared Problem' if prepared else 'tables re-sent per call'}; cohort {args.mentees} x {args.mentors}")
    print(f"match (median of {args.repeat}): {match_median:.3f} s   runs {', '.join(f'{x:.3f}' for x in match_s)}")
    print(f"{len(pairs)} explains of unmatched pairs: {explain_s:.3f} s{scaled}  "
          f"= {explain_s / match_median:.3g} x one match  ({explain_s / len(pairs) * 1e6:.0f} us each)")
    print(f"rematch (same cohort, previous = that match): {rematch_s:.3f} s")
    print(json.dumps({
        "prepared": prepared, "mentees": args.mentees, "mentors": args.mentors,
        "match_s": match_median, "explains": len(pairs), "explains_timed": len(timed),
        "explain_total_s": explain_s, "rematch_s": rematch_s,
    }))


if __name__ == "__main__":
    main()
