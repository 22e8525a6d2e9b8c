"""`python -m mentorpair.demo` (run by `make demo`): the main job on a built-in synthetic cohort.

Generates a seeded programme of a few thousand people, matches it, prints pairs, an explanation,
the fairness audit by gender and the time of every stage, then rematches after goals change.
"""

from __future__ import annotations

import time

import pandas as pd

from ._match import match
from ._rematch import rematch
from .synthetic import cohort

PROTECTED = ["gender", "age_band"]


def main(n_mentees: int = 3000, n_mentors: int = 1200, seed: int = 2026) -> None:
    """Run the demo on a synthetic cohort of the given size and print what it finds."""
    pd.set_option("display.width", 120)
    t0 = time.perf_counter()
    mentees, mentors = cohort(n_mentees, n_mentors, seed=seed)
    generated = time.perf_counter() - t0
    print(
        f"cohort: {len(mentees)} mentees, {len(mentors)} mentors (seed {seed}), "
        f"generated in {generated:.2f} s"
    )

    t0 = time.perf_counter()
    result = match(mentees, mentors, protected=PROTECTED)
    wall = time.perf_counter() - t0
    s = result.summary
    print(
        f"\n== match: {s['pairs']} pairs, {s['matched_mentees']}/{s['mentees']} mentees matched, "
        f"mean score {s['mean_score']:.3f}, constraint violations {len(result.violations)}"
    )
    print("unmatched by reason:", s["unmatched_by_reason"] or "none")
    print(
        result.pairs[
            ["mentee_id", "mentor_id", "score", "goals", "skills", "availability", "language", "seniority"]
        ]
        .head(8)
        .to_string(index=False)
    )

    example = result.pairs.sort_values("score", kind="stable").iloc[len(result.pairs) // 10]
    pair = result.explain(example.mentee_id, example.mentor_id)["explanation"]
    print(f"\n== why {example.mentee_id} -> {example.mentor_id} scores {pair['score']:.3f}")
    for c in pair["components"]:
        print(f"  {c['component']:<13} {c['value']:.3f} x {c['weight']:.2f} = {c['contribution']:.3f}")

    audit = result.audit(by="gender")
    print("\n== audit by gender (a protected attribute: never read by any score)")
    print(
        audit.groups[["group", "mentees", "matched", "match_rate", "mean_score", "min_score", "too_small"]]
        .round(3)
        .to_string(index=False)
    )
    print(
        f"disparate impact {audit.disparate_impact:.3f} (four-fifths rule "
        f"{'met' if audit.four_fifths_ok else 'NOT met'}), largest mean-score gap "
        f"{audit.max_score_gap:.3f}"
    )

    t = result.timings
    print(
        f"\n== time: {wall:.2f} s in match() for {n_mentees} x {n_mentors} "
        f"(features {t['features_ms']:.0f} ms, scoring {t['score_ms']:.0f} ms, constraints "
        f"{t['mask_ms']:.0f} ms, solve {t['solve_ms']:.0f} ms, report {t['report_ms']:.0f} ms)"
    )

    changed = mentees.copy()
    changed.loc[: len(changed) // 10, "goals"] = "public speaking:2;leadership"
    t0 = time.perf_counter()
    again = rematch(result, changed, mentors, keep_bonus=0.1, protected=PROTECTED)
    c = again.counts
    print(
        f"\n== rematch after 10% of mentees changed goals ({time.perf_counter() - t0:.2f} s): "
        f"{c['kept']} kept, {c['moved']} moved, {c['new']} new, {c['dissolved']} dissolved; "
        f"score {again.score_gained:+.3f}, violations {len(again.result.violations)}"
    )


if __name__ == "__main__":
    main()
