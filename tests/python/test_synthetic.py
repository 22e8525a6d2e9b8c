"""mentorpair.synthetic: seeded cohorts in the match input schema."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import mentorpair
from mentorpair import synthetic

MENTEE_COLUMNS = ["id", "goals", "skills", "availability", "timezone", "languages", "level",
                  "department", "manager_id", "mentors_wanted", "shared_background", "gender", "age_band",
                  "avoid_mentors", "business_unit", "location", "preferred_mentors", "target_skills"]
MENTOR_COLUMNS = ["id", "goals", "skills", "availability", "timezone", "languages", "level",
                  "department", "manager_id", "capacity", "gender", "age_band",
                  "business_unit", "location"]


def test_frames_have_the_match_schema():
    mentees, mentors = synthetic.cohort(60, 25, seed=1)
    assert list(mentees.columns) == MENTEE_COLUMNS
    # declined_mentees appears only when a mentor declines someone (2 % of mentors by default).
    assert [c for c in mentors.columns if c != "declined_mentees"] == MENTOR_COLUMNS
    assert (len(mentees), len(mentors)) == (60, 25)
    assert mentees["id"].is_unique and mentors["id"].is_unique
    assert mentors["capacity"].dtype == np.int64 and mentors["capacity"].between(1, 3).all()
    assert mentees["mentors_wanted"].between(1, 2).all()
    assert mentors["level"].mean() > mentees["level"].mean()
    slot = mentees["availability"].dropna().iloc[0].split(";")[0]
    assert slot[:3] in {"Mon", "Tue", "Wed", "Thu", "Fri"} and slot[3] == " " and "-" in slot


def test_same_seed_same_frames_and_rust_fingerprint():
    a = synthetic.cohort(80, 30, seed=5, bias=0.4)
    b = synthetic.cohort(80, 30, seed=5, bias=0.4)
    pd.testing.assert_frame_equal(a[0], b[0])
    pd.testing.assert_frame_equal(a[1], b[1])
    c = synthetic.cohort(80, 30, seed=6, bias=0.4)
    assert not a[0]["goals"].equals(c[0]["goals"])
    # The value the Rust test records for the same spec: the same cohort in both languages.
    assert synthetic.fingerprint(300, 120, seed=42, bias=0.3) == 1_675_929_979_696_882_384


def test_knobs_move_their_statistics():
    def mean_level(df, female):
        rows = df[(df["gender"] == "female") == female]
        levels = rows["skills"].dropna().str.split(";").explode().str.split(":").str[1].astype(int)
        return levels.mean()

    fair, _ = synthetic.cohort(1500, 600, seed=2)
    biased, _ = synthetic.cohort(1500, 600, seed=2, bias=0.9)
    assert abs(mean_level(fair, True) - mean_level(fair, False)) < 0.15
    assert mean_level(biased, False) - mean_level(biased, True) > 0.6
    _, scarce = synthetic.cohort(1000, None, mentors_per_mentee=0.1)
    assert len(scarce) == 100


def test_bad_knobs_are_value_errors():
    with pytest.raises(ValueError, match="bias"):
        synthetic.cohort(10, 5, bias=1.5)
    with pytest.raises(ValueError, match="unknown cohort knob"):
        synthetic.cohort(10, 5, biass=0.1)
    with pytest.raises(ValueError, match="sizes"):
        synthetic.cohort(-1, 5)


def test_generated_frames_are_accepted_by_match(tmp_path):
    mentees, mentors = synthetic.cohort(150, 60, seed=3)
    result = mentorpair.match(mentees, mentors, protected=list(synthetic.PROTECTED))
    assert len(result.pairs) > 0
    assert result.to_dict()["violations"] == []
    # Through CSV files as an HR export would hold them.
    mentees.to_csv(tmp_path / "mentees.csv", index=False)
    mentors.to_csv(tmp_path / "mentors.csv", index=False)
    again = mentorpair.match(
        pd.read_csv(tmp_path / "mentees.csv"), pd.read_csv(tmp_path / "mentors.csv"),
        protected=list(synthetic.PROTECTED),
    )
    pd.testing.assert_frame_equal(result.pairs, again.pairs)


def test_large_cohort_is_quick():
    import time

    started = time.perf_counter()
    mentees, mentors = synthetic.cohort(20_000, 8_000, seed=1)
    assert len(mentees) == 20_000 and len(mentors) == 8_000
    assert time.perf_counter() - started < 30
