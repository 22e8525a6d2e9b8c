"""Seeded synthetic cohorts in exactly the input schema of :func:`mentorpair.match`.

The generator is the Rust one (:mod:`mentorpair::synthetic`): the same arguments give the same
tables on every machine and thread count.

>>> from mentorpair.synthetic import cohort
>>> mentees, mentors = cohort(12, 5, seed=3)
>>> len(mentees), len(mentors)
(12, 5)
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from . import _core

#: Protected attribute columns of both generated tables (pass them as ``protected=`` to ``match``).
PROTECTED = ("gender", "age_band")

#: The knobs :func:`cohort` accepts besides sizes and seed, with their defaults.
KNOBS = {
    "mentors_per_mentee": 0.4,
    "goal_mismatch": 0.2,
    "availability_tightness": 0.3,
    "bias": 0.0,
    "shared_background_share": 0.05,
    "missing_share": 0.02,
}

_INTEGER_COLUMNS = ("level", "capacity", "mentors_wanted")


def spec(n_mentees: int, n_mentors: int | None = None, seed: int = 0, **knobs: float) -> dict[str, Any]:
    """The generator spec as a dict (the JSON form of ``CohortSpec``), with unknown knobs refused.

    ``n_mentors=None`` derives the number of mentors from ``mentors_per_mentee`` (scarcity).
    """
    unknown = sorted(set(knobs) - set(KNOBS))
    if unknown:
        raise ValueError(f"unknown cohort knob(s) {unknown}; known knobs: {sorted(KNOBS)}")
    if n_mentees < 0 or (n_mentors is not None and n_mentors < 0):
        raise ValueError(f"sizes must be >= 0 (got n_mentees={n_mentees}, n_mentors={n_mentors})")
    if seed < 0:
        raise ValueError(f"seed must be >= 0 (got {seed})")
    out: dict[str, Any] = {
        "n_mentees": int(n_mentees),
        "n_mentors": None if n_mentors is None else int(n_mentors),
    }
    out["seed"] = int(seed)
    out.update({k: float(v) for k, v in knobs.items()})
    return out


def _frame(table: tuple[str, list[str]]) -> pd.DataFrame:
    """A generated table (JSON records, column order) as a DataFrame, integer columns as int64."""
    records_json, columns = table
    df = pd.DataFrame.from_records(json.loads(records_json), columns=columns)
    for col in _INTEGER_COLUMNS:
        if col in df.columns and len(df) and df[col].notna().all():
            df[col] = df[col].astype("int64")
    return df


def cohort(
    n_mentees: int, n_mentors: int | None = None, seed: int = 0, **knobs: float
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Generate ``(mentees, mentors)`` DataFrames in the input schema of :func:`mentorpair.match`.

    Columns: ``id, goals, skills, availability, timezone, languages, level, department,
    manager_id`` then ``mentors_wanted, shared_background`` (mentees) or ``capacity`` (mentors),
    then the protected columns ``gender, age_band``. Missing values are NaN.

    Knobs (all in [0, 1] except ``mentors_per_mentee``, see :data:`KNOBS`): ``mentors_per_mentee``
    (scarcity, used when ``n_mentors`` is None), ``goal_mismatch``, ``availability_tightness``,
    ``bias`` (lowers listed skill levels of ``gender == "female"``), ``shared_background_share``,
    ``missing_share``. Raises ``ValueError`` naming the bad knob.
    """
    mentees, mentors, _ = _core.synthetic_tables(json.dumps(spec(n_mentees, n_mentors, seed, **knobs)))
    return _frame(mentees), _frame(mentors)


def fingerprint(n_mentees: int, n_mentors: int | None = None, seed: int = 0, **knobs: float) -> int:
    """A platform-stable 64-bit fingerprint of the generated cohort (same on every machine)."""
    _, _, fp = _core.synthetic_tables(json.dumps(spec(n_mentees, n_mentors, seed, **knobs)))
    return int(fp)


from ._learn import history  # noqa: E402, F401  (the outcome-history generator lives with fit_weights)
