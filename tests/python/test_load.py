"""Mentor load from Python: the ``min_load`` column and option, ``spread``, the shortfall policy,
the audit's mentor-load table, and errors."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

import mentorpair as mp
from mentorpair import synthetic

DATE = "2026-03-02"


@pytest.fixture(scope="module")
def cohort() -> tuple[pd.DataFrame, pd.DataFrame]:
    return synthetic.cohort(60, 20, seed=4)


def options(**extra: Any) -> dict[str, Any]:
    return dict(reference_date=DATE, protected=["gender", "age_band"], min_score=0.0, **extra)


def loads(result: mp.MatchResult, mentor_ids: list[str]) -> pd.Series:
    counts = result.pairs["mentor_id"].value_counts()
    return pd.Series([int(counts.get(m, 0)) for m in mentor_ids], index=mentor_ids)


def test_min_load_option_gives_every_mentor_a_mentee(cohort: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    mentees, mentors = cohort
    ids = list(mentors["id"])
    plain = mp.match(mentees, mentors, **options())
    bounded = mp.match(mentees, mentors, **options(min_load=1, min_load_shortfall="report"))
    audit = bounded.audit("gender")
    table = audit.mentor_loads
    assert table is not None
    assert list(table.columns) == ["mentor_id", "load", "capacity", "min_load", "shortfall"]
    assert list(table["mentor_id"]) == ids
    assert (table["load"].to_numpy() == loads(bounded, ids).to_numpy()).all()
    assert (table["min_load"] == 1).all()
    # Every mentor with an allowed mentee and room gets one; the rest are reported short.
    assert ((table["load"] >= 1) | (table["shortfall"] == 1)).all()
    assert audit.load_summary is not None
    assert audit.load_summary["below_min_load"] == int((table["shortfall"] > 0).sum())
    assert (loads(bounded, ids) >= 1).sum() >= (loads(plain, ids) >= 1).sum()
    # Meeting minimum loads costs no coverage.
    assert len(bounded.pairs) == len(plain.pairs)


def test_min_load_column_is_read_and_infeasible_minimums_name_mentors(
    cohort: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    mentees, mentors = cohort
    mentors = mentors.copy()
    # Far more than there are mentees for the first mentor.
    mentors["min_load"] = pd.array([500] + [None] * (len(mentors) - 1), dtype="Int64")
    first = str(mentors["id"].iloc[0])
    with pytest.raises(ValueError, match="minimum loads cannot all be met") as err:
        mp.match(mentees, mentors, **options())
    assert repr(first).replace("'", '"') in str(err.value)
    assert "short by" in str(err.value)
    problem = mp.Problem(mentees, mentors, **options(min_load_shortfall="report"))
    result = problem.solve()
    table = result.audit("gender").mentor_loads
    assert table is not None
    row = table.set_index("mentor_id").loc[first]
    assert row["min_load"] == 500
    assert row["shortfall"] == 500 - row["load"] > 0


def test_spread_lowers_the_largest_load(cohort: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    mentees, mentors = cohort
    mentors = mentors.copy()
    mentors["capacity"] = 10
    ids = list(mentors["id"])
    plain = loads(mp.match(mentees, mentors, **options()), ids)
    spread = loads(mp.Problem(mentees, mentors, **options(spread=0.2)).solve(), ids)
    assert spread.max() <= plain.max()
    assert (spread > 0).sum() >= (plain > 0).sum()
    assert spread.sum() == plain.sum()


def test_bad_options_and_cells(cohort: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    mentees, mentors = cohort
    with pytest.raises(ValueError, match="`spread` = -1"):
        mp.match(mentees, mentors, **options(spread=-1.0))
    with pytest.raises(ValueError, match="expected `error` or `report`"):
        mp.match(mentees, mentors, **options(min_load=1, min_load_shortfall="sometimes"))
    with pytest.raises(ValueError, match="no fairness mode together with min_load"):
        mp.match(mentees, mentors, **options(min_load=1, fairness="maximin"))
    bad = mentors.copy()
    bad["min_load"] = ["two"] + [None] * (len(bad) - 1)
    with pytest.raises(ValueError, match="min_load"):
        mp.match(mentees, bad, **options())
    wrong = mentees.copy()
    wrong["min_load"] = 1
    with pytest.raises(ValueError, match="min_load"):
        mp.match(wrong, mentors, **options())
