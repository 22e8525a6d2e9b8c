"""Criteria, preferences and normalised scores from Python."""

import pandas as pd
import pytest

import mentorpair

MENTEES = pd.DataFrame(
    [
        {"id": "a", "goals": "sql", "location": "berlin", "business_unit": "u1", "preferred_mentors": "m2"},
        {"id": "b", "goals": "sql", "location": "paris", "business_unit": "u2", "avoid_mentors": "m1"},
    ]
)
MENTORS = pd.DataFrame(
    [
        {"id": "m1", "goals": "sql", "location": "berlin", "business_unit": "u2", "capacity": 2},
        {"id": "m2", "goals": "sql", "location": "paris", "business_unit": "u3", "capacity": 2},
    ]
)


def test_criteria_preferences_and_match_percent():
    r = mentorpair.match(
        MENTEES,
        MENTORS,
        reference_date="2026-03-02",
        criteria=[
            {"column": "location", "kind": "same", "weight": 0.1},
            {"column": "business_unit", "kind": "different", "rule": "must"},
        ],
    )
    pairs = dict(zip(r.pairs["mentee_id"], r.pairs["mentor_id"]))
    assert pairs == {"a": "m2", "b": "m2"}
    assert r.pairs["score"].between(0, 1).all()
    assert (r.pairs["match_percent"] == (r.pairs["score"] * 100).round()).all()
    assert "location" in r.pairs.columns and "preference" in r.pairs.columns
    assert r.violations.empty
    text = str(r.explain("a"))
    assert "your 1st choice" in text


def test_bad_criteria_and_wishes_name_the_problem():
    with pytest.raises(ValueError, match="unknown kind"):
        mentorpair.match(MENTEES, MENTORS, criteria=[{"column": "location", "kind": "near"}])
    with pytest.raises(ValueError, match="protected"):
        mentorpair.match(
            MENTEES.assign(gender="f"),
            MENTORS.assign(gender="f"),
            protected=["gender"],
            criteria=[{"column": "gender", "kind": "different"}],
        )
    bad = MENTEES.assign(preferred_mentors=["m9", None])
    with pytest.raises(ValueError, match=r"mentees row 1.*preferred_mentors"):
        mentorpair.match(bad, MENTORS)
