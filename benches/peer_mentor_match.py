"""mentorpair next to the open-source `mentor-match` package on its own sample cohorts.

Both sides use the civil-service rules of that package's web front end:

* no match within the same organisation; the mentor is 1 or 2 grades above the mentee;
* +12 points for a two-grade gap, +9 for a one-grade gap, +10 for the same profession,
  +6 when the mentor has the identity the mentee gave under "identity to match";
* up to 3 mentors per mentee and 3 mentees per mentor.

`mentor-match` runs its three rounds (one Munkres assignment per round, a bonus of 6 for anyone
still unmatched). mentorpair builds the same points with numpy and makes one capacitated solve
(as many pairs as possible, then the most points). Both results are scored with the same numpy
points, without the peer's round bonus. Data: ``../shared/data/peer-mentor-match/{small,large}``
relative to the repository root (``--data`` to point elsewhere).

Run: ``.venv/bin/python benches/peer_mentor_match.py [--sizes small large] [--repeat 5]``.
"""

from __future__ import annotations

import argparse
import copy
import csv
import importlib.util
import operator
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

PEER = "mentor-match==7.0.1"
GRADES = ["AA", "AO", "EO", "HEO", "SEO", "Grade 7", "Grade 6", "SCS1", "SCS2", "SCS3", "SCS4"]
MAX_CONNECTIONS = 3
ROUNDS = 3
UNMATCHED_BONUS = 6
ROOT = Path(__file__).resolve().parent.parent


def ensure_peer() -> None:
    """Install the peer package into this interpreter's environment when it is missing."""
    if importlib.util.find_spec("matching") is None:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", PEER], check=True)


def read_rows(path: Path) -> list[dict[str, str]]:
    """The rows of one sample CSV file."""
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def identities(text: str) -> list[str]:
    """A mentor's characteristics: a comma-separated list, empty entries dropped."""
    return [c.strip() for c in text.split(",") if c.strip()]


# --------------------------------------------------------------------------------------------
# The peer: its classes fed from the sample CSVs, its rule objects, its process.


def peer_people(mentee_rows, mentor_rows):
    """The peer's Mentee/Mentor objects with grade as an index and the identity fields set."""
    from matching.mentee import Mentee
    from matching.mentor import Mentor

    def fields(row):
        return {
            "grade": GRADES.index(row["grade"]),
            "organisation": row["organisation"],
            "profession": row["profession"],
            "email": row["email address"],
            "first name": row["first name"],
            "last name": row["last name"],
            "role": row["job title"],
        }

    mentees = []
    for row in mentee_rows:
        m = Mentee(**fields(row))
        m.identity = row["identity to match"].strip()
        mentees.append(m)
    mentors = []
    for row in mentor_rows:
        m = Mentor(**fields(row))
        m.identities = identities(row["characteristics"])
        mentors.append(m)
    return mentees, mentors


def peer_rules():
    """One round's rules, built from the package's rule classes."""
    import matching.rules.rule as rl

    return [
        rl.Disqualify(lambda m: m.mentee.organisation == m.mentor.organisation),
        rl.Disqualify(rl.Grade(2, operator.gt).evaluate),
        rl.Disqualify(rl.Grade(0, operator.le).evaluate),
        rl.Grade(2, operator.eq, {True: 12, False: 0}),
        rl.Grade(1, operator.eq, {True: 9, False: 0}),
        rl.Equivalent("profession", {True: 10, False: 0}),
        rl.Generic({True: 6, False: 0}, lambda m: m.mentee.identity != "" and m.mentee.identity in m.mentor.identities),
        rl.UnmatchedBonus(UNMATCHED_BONUS),
    ]


def run_peer(mentee_rows, mentor_rows):
    """The peer's three-round process; returns (pairs as (mentee, mentor) indices, seconds)."""
    from matching import process

    mentees, mentors = peer_people(mentee_rows, mentor_rows)
    start = time.perf_counter()
    process.process_data(mentors, mentees, [peer_rules() for _ in range(ROUNDS)])
    seconds = time.perf_counter() - start
    index = {id(m): j for j, m in enumerate(mentors)}
    pairs = [(i, index[id(mentor)]) for i, mentee in enumerate(mentees) for mentor in mentee.mentors]
    return pairs, seconds


# --------------------------------------------------------------------------------------------
# mentorpair: the same points in numpy, one capacitated solve.


def points_matrix(mentee_rows, mentor_rows) -> np.ndarray:
    """Points per (mentee, mentor) under the rules above; NaN where the pair is not allowed."""
    g_e = np.array([GRADES.index(r["grade"]) for r in mentee_rows])
    g_r = np.array([GRADES.index(r["grade"]) for r in mentor_rows])
    org_e = np.array([r["organisation"] for r in mentee_rows])
    org_r = np.array([r["organisation"] for r in mentor_rows])
    prof_e = np.array([r["profession"] for r in mentee_rows])
    prof_r = np.array([r["profession"] for r in mentor_rows])
    diff = g_r[None, :] - g_e[:, None]
    points = np.where(diff == 2, 12.0, 0.0) + np.where(diff == 1, 9.0, 0.0)
    points += np.where(prof_e[:, None] == prof_r[None, :], 10.0, 0.0)
    wanted = [r["identity to match"].strip() for r in mentee_rows]
    labels = sorted({w for w in wanted if w})
    has = np.array([[lab in identities(r["characteristics"]) for lab in labels] for r in mentor_rows], dtype=bool)
    code = np.array([labels.index(w) if w else -1 for w in wanted])
    identity = np.zeros(points.shape, dtype=bool)
    asks = code >= 0
    if has.size and asks.any():
        identity[asks] = has[:, code[asks]].T
    points += np.where(identity, 6.0, 0.0)
    allowed = (diff >= 1) & (diff <= 2) & (org_e[:, None] != org_r[None, :])
    return np.where(allowed, points, np.nan)


def run_mentorpair(mentee_rows, mentor_rows):
    """Points in numpy and one capacitated solve; returns (pairs, seconds)."""
    import mentorpair

    start = time.perf_counter()
    points = points_matrix(mentee_rows, mentor_rows)
    rows, cols = mentorpair.assign(
        points, row_capacity=MAX_CONNECTIONS, col_capacity=MAX_CONNECTIONS, objective="coverage"
    )
    seconds = time.perf_counter() - start
    pairs = list(zip(rows.tolist(), cols.tolist()))
    return pairs, seconds


# --------------------------------------------------------------------------------------------


def check(pairs, points, name) -> float:
    """Total points of `pairs`, after checking every pair is allowed and every limit is kept."""
    assert len(set(pairs)) == len(pairs), f"{name}: a pair is repeated"
    e = np.bincount([i for i, _ in pairs], minlength=points.shape[0]) if pairs else np.zeros(1)
    r = np.bincount([j for _, j in pairs], minlength=points.shape[1]) if pairs else np.zeros(1)
    assert e.max() <= MAX_CONNECTIONS and r.max() <= MAX_CONNECTIONS, f"{name}: over the limit of 3"
    values = np.array([points[i, j] for i, j in pairs])
    assert not np.isnan(values).any(), f"{name}: a pair breaks a rule"
    return float(values.sum())


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "peer-mentor-match")
    parser.add_argument("--sizes", nargs="+", default=["small", "large"])
    parser.add_argument("--repeat", type=int, default=5, help="mentorpair timing: best of N runs")
    parser.add_argument("--peer-repeat", type=int, default=1, help="peer timing: best of N runs")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"note: no sample data at {args.data}; nothing to compare")
        return 0
    ensure_peer()
    lines = [
        "| cohort | mentees × mentors | tool | pairs | mentees matched | total points | seconds | speed-up |",
        "|---|---|---|---:|---:|---:|---:|---:|",
    ]
    for size in args.sizes:
        folder = args.data / size
        mentee_rows = read_rows(folder / "mentees.csv")
        mentor_rows = read_rows(folder / "mentors.csv")
        points = points_matrix(mentee_rows, mentor_rows)
        peer = min((run_peer(copy.deepcopy(mentee_rows), mentor_rows) for _ in range(args.peer_repeat)), key=lambda r: r[1])
        ours = min((run_mentorpair(mentee_rows, mentor_rows) for _ in range(args.repeat)), key=lambda r: r[1])
        shape = f"{len(mentee_rows)} × {len(mentor_rows)}"
        for name, (pairs, seconds) in (("mentor-match 7.0.1 (3 rounds)", peer), ("mentorpair (capacitated)", ours)):
            total = check(pairs, points, name)
            matched = len({i for i, _ in pairs})
            speed = f"{peer[1] / seconds:,.0f}×" if name.startswith("mentorpair") else ""
            lines.append(f"| {size} | {shape} | {name} | {len(pairs)} | {matched} | {total:,.0f} | {seconds:.4f} | {speed} |")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
