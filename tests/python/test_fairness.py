"""The fairness audit from Python: frames and ratios against hand computation."""

from __future__ import annotations

import math

import pytest

import mentorpair
from mentorpair import Audit, audit_groups


def tiny_audit(min_group_size: int = 2) -> Audit:
    # Mentees 0-2 f, 3-4 m, 5 missing; mentors x (cap 2), y, y (caps 2, 1).
    pairs = [
        (0, 0, 0.8, [0.5, 0.3]),
        (1, 1, 0.4, [0.1, 0.3]),
        (3, 0, 0.9, [0.6, 0.3]),
        (4, 1, 0.7, [0.4, 0.3]),
        (4, 2, 0.5, [0.2, 0.3]),
    ]
    return audit_groups(
        "gender",
        ["f", "f", "f", "m", "m", None],
        pairs,
        components=["goals", "skills"],
        mentor_groups=["x", "y", "y"],
        mentor_capacity=[2, 2, 1],
        min_group_size=min_group_size,
    )


def test_audit_frame_matches_hand_computation() -> None:
    a = tiny_audit()
    g = a.groups.set_index("group")
    assert list(a.groups["group"]) == ["(missing)", "f", "m"]
    for col in ["group", "mentees", "matched", "match_rate", "mean_score", "median_score",
                "min_score", "mean_goals", "mean_skills", "too_small", "gender"]:
        assert col in a.groups.columns
    assert g.loc["f", "mentees"] == 3 and g.loc["f", "matched"] == 2
    assert g.loc["f", "match_rate"] == pytest.approx(2 / 3)
    assert g.loc["f", "mean_score"] == pytest.approx(0.6)
    assert g.loc["m", "median_score"] == pytest.approx(0.7)
    assert g.loc["m", "min_score"] == pytest.approx(0.5)
    assert g.loc["m", "mean_goals"] == pytest.approx(0.4)
    assert bool(g.loc["(missing)", "too_small"]) and math.isnan(g.loc["(missing)", "mean_score"])
    assert a.disparate_impact == pytest.approx(2 / 3)
    assert a.four_fifths_ok is False
    assert a.max_score_gap == pytest.approx(0.1)
    m = a.mentor_groups.set_index("group")
    assert m.loc["y", "load"] == 3 and m.loc["y", "capacity"] == 3
    assert m.loc["x", "load_share"] == pytest.approx(0.4)
    assert a.mentor_disparate_impact is None  # x is too small to compare
    assert a.to_dict()["mentees"]["groups"][1]["pairs"] == 2
    assert "disparate_impact=0.667" in repr(a)


def test_small_groups_are_marked_not_hidden() -> None:
    a = tiny_audit(min_group_size=3)
    assert len(a.groups) == 3
    assert list(a.groups["too_small"]) == [True, False, True]
    assert a.disparate_impact is None and a.four_fifths_ok is None


def test_several_columns_make_one_key() -> None:
    a = audit_groups(["gender", "region"], [("f", "eu"), ("f", None), ("m", "eu")], [],
                     min_group_size=1)
    assert list(a.groups["group"]) == ["f / (missing)", "f / eu", "m / eu"]
    assert a.groups["region"].isna().tolist() == [True, False, False]
    assert list(a.groups["region"])[1:] == ["eu", "eu"]
    assert a.disparate_impact == 1.0  # nobody matched anywhere: parity by definition


def test_bad_input_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="mentee"):
        audit_groups("gender", ["f"], [(4, 0, 0.5, [])])
    with pytest.raises(ValueError):
        audit_groups("gender", ["f"], [], mentor_groups=["x"], mentor_capacity=[])
    assert mentorpair.Audit is Audit
