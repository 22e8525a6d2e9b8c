"""Shortlists refuse minimum loads and spreading, naming the option, instead of pricing choices
against an optimum without them."""

from __future__ import annotations

import pandas as pd
import pytest

import mentorpair as mp


def tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    mentees = pd.DataFrame({"id": ["a", "b", "c"], "goals": ["sql", "sql", "sql"]})
    mentors = pd.DataFrame({"id": ["x", "y"], "goals": ["sql", "sql"], "capacity": [3, 3]})
    return mentees, mentors


@pytest.mark.parametrize(
    ("options", "option"),
    [
        ({"min_load": 1, "min_load_shortfall": "report"}, "min_load"),
        ({"spread": 0.05}, "spread"),
    ],
)
def test_suggest_refuses_load_terms_naming_the_option(options: dict[str, object], option: str) -> None:
    mentees, mentors = tables()
    with pytest.raises(ValueError, match=f"`{option}`"):
        mp.suggest(mentees, mentors, k=2, **options)
    problem = mp.Problem(mentees, mentors, **options)
    with pytest.raises(ValueError, match=f"`{option}`"):
        problem.suggest("a", k=2)
    # Matching with the same options still works: only the shortlist refuses them.
    assert len(problem.solve().pairs) == 3


def test_suggest_without_load_terms_lists_every_mentor() -> None:
    mentees, mentors = tables()
    frame = mp.suggest(mentees, mentors, k=2)
    assert len(frame) == 6
    assert set(frame["mentor_id"]) == {"x", "y"}
