"""Seeded synthetic cohorts in exactly the input schema of :func:`mentorpair.match`.

The generator is the Rust one (:mod:`mentorpair::synthetic`): the same arguments give the same
tables on every machine and thread count.

The fields beyond exact tags (``goals_text``, ``network``, ``target_areas``, ``learning_goals``,
``embedding``) are off by default; each has its own knob and its own random stream, so turning
one on adds its column and leaves every other column exactly as it was.

>>> from mentorpair.synthetic import cohort
>>> mentees, mentors = cohort(12, 5, seed=3)
>>> len(mentees), len(mentors)
(12, 5)
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
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
    "goals_text_share": 0.0,
    "network_share": 0.0,
    "target_areas_share": 0.0,
    "learning_goals_share": 0.0,
    "embedding_dim": 0,
    "embedding_noise": 0.5,
}

#: Knobs that are whole numbers.
_INTEGER_KNOBS = ("embedding_dim",)

#: Knob values that turn every field beyond exact tags on (pass ``**BEYOND_TAGS``); add
#: ``embedding_dim=`` for embeddings.
BEYOND_TAGS = {
    "goals_text_share": 1.0,
    "network_share": 0.8,
    "target_areas_share": 0.8,
    "learning_goals_share": 0.8,
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
    for k, v in knobs.items():
        if k in _INTEGER_KNOBS:
            if isinstance(v, bool) or not float(v).is_integer() or v < 0:
                raise ValueError(f"cohort knob {k} must be a whole number >= 0 (got {v!r})")
            out[k] = int(v)
        else:
            out[k] = float(v)
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

    Knobs (all in [0, 1] except ``mentors_per_mentee``, ``embedding_dim`` and
    ``embedding_noise``; see :data:`KNOBS`): ``mentors_per_mentee`` (scarcity, used when
    ``n_mentors`` is None), ``goal_mismatch``, ``availability_tightness``, ``bias`` (lowers listed
    skill levels of ``gender == "female"``), ``shared_background_share``, ``missing_share``.

    Beyond exact tags (all off by default; :data:`BEYOND_TAGS` turns the first four on):

    - ``goals_text_share``: share of people writing ``goals_text``, sentences about their
      *latent goals* (their goal tags plus, for about half, one unlisted goal), each goal worded
      as the tag, a paraphrase sharing a stem ("negotiating") or a synonym ("getting promoted");
    - ``network_share`` / ``target_areas_share``: share of mentors listing a ``network`` and of
      mentees listing ``target_areas`` (areas, functions, organisations; ``;``-separated);
    - ``learning_goals_share``: share of mentors listing ``learning_goals``;
    - ``embedding_dim`` (whole number, 0 = none) and ``embedding_noise`` (0-10, default 0.5): an
      ``embedding`` list column, a seeded random projection of the latent goals plus noise of
      ``embedding_noise`` times the signal's length. :func:`embedding_matrices` turns it into
      the ``(A, B)`` matrices of ``match(embeddings=...)``.

    Each of these fields is drawn from its own random stream: the other columns do not change
    when it is turned on. Raises ``ValueError`` naming the bad knob.
    """
    mentees, mentors, _ = _core.synthetic_tables(json.dumps(spec(n_mentees, n_mentors, seed, **knobs)))
    return _frame(mentees), _frame(mentors)


def embedding_matrices(
    mentees: pd.DataFrame, mentors: pd.DataFrame
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any], pd.DataFrame, pd.DataFrame]:
    """The ``embedding`` list columns of generated tables as float64 matrices.

    Returns ``(A, B, mentees_without, mentors_without)``: the (n x d) and (m x d) matrices in
    table order and the tables without the ``embedding`` column, ready for
    ``match(mentees_without, mentors_without, embeddings=(A, B))``.
    """
    out = []
    for name, df in (("mentees", mentees), ("mentors", mentors)):
        if "embedding" not in df.columns:
            raise ValueError(f"{name} has no embedding column; generate with embedding_dim > 0")
        out.append(np.array(df["embedding"].tolist(), dtype=np.float64))
    return out[0], out[1], mentees.drop(columns=["embedding"]), mentors.drop(columns=["embedding"])


def fingerprint(n_mentees: int, n_mentors: int | None = None, seed: int = 0, **knobs: float) -> int:
    """A platform-stable 64-bit fingerprint of the generated cohort (same on every machine)."""
    _, _, fp = _core.synthetic_tables(json.dumps(spec(n_mentees, n_mentors, seed, **knobs)))
    return int(fp)


from ._learn import history  # noqa: E402, F401  (the outcome-history generator lives with fit_weights)
