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


# ---------------------------------------------------------------- on real matches

import random

import pandas as pd

TOPICS = ["python", "leadership", "sql", "design", "writing", "ml"]


def random_cohort(seed: int, n: int = 24, m: int = 10) -> tuple[list[dict], list[dict]]:
    rng = random.Random(seed)

    def person(i: int, mentor: bool) -> dict:
        goals = rng.sample(TOPICS, 2)
        d = {
            "id": f"{'t' if mentor else 'e'}{i}",
            "goals": ";".join(goals),
            "skills": ";".join(f"{t}:{rng.randint(3, 5) if mentor else rng.randint(1, 3)}" for t in goals),
            "languages": rng.choice(["en", "en;de", "pt"]),
            "level": rng.randint(3, 7) if mentor else rng.randint(1, 4),
            "timezone": rng.choice(["Europe/Berlin", "Asia/Kolkata"]),
            "availability": rng.choice(["Mon 09:00-12:00", "Wed 14:00-16:00;Thu 08:00-10:00"]),
            "gender": rng.choice(["f", "m", None]),
            "region": rng.choice(["eu", "asia"]),
        }
        if mentor:
            d["capacity"] = rng.randint(1, 2)
        return d

    return [person(i, False) for i in range(n)], [person(i, True) for i in range(m)]


OPTS = dict(protected=["gender", "region"], reference_date="2026-11-23")


def shuffle_column(rows: list[dict], col: str, seed: int) -> list[dict]:
    vals = [r[col] for r in rows]
    random.Random(seed).shuffle(vals)
    return [{**r, col: v} for r, v in zip(rows, vals)]


@pytest.mark.parametrize("seed", range(6))
def test_shuffling_or_renaming_protected_values_changes_nothing(seed: int) -> None:
    mentees, mentors = random_cohort(seed)
    base = mentorpair.match(mentees, mentors, **OPTS)
    shuffled = mentorpair.match(shuffle_column(mentees, "gender", seed),
                                shuffle_column(mentors, "region", seed), **OPTS)
    rename = {"f": "m", "m": "f", None: None}
    renamed = mentorpair.match([{**r, "gender": rename[r["gender"]]} for r in mentees], mentors, **OPTS)
    for other in (shuffled, renamed):
        pd.testing.assert_frame_equal(base.pairs, other.pairs, check_exact=True)
        pd.testing.assert_frame_equal(base.unmatched, other.unmatched, check_exact=True)
    assert base.to_dict()["pairs"] == renamed.to_dict()["pairs"]


def test_audit_of_a_match_agrees_with_the_pairs_frame() -> None:
    mentees, mentors = random_cohort(1, n=40, m=14)
    r = mentorpair.match(mentees, mentors, **OPTS)
    a = r.audit(by="gender", min_group_size=3)
    gender = {p["id"]: p["gender"] for p in mentees}
    pairs = r.pairs.assign(g=r.pairs["mentee_id"].map(gender).fillna("(missing)"))
    for _, row in a.groups.iterrows():
        mine = pairs[pairs["g"] == row["group"]]
        members = sum(1 for p in mentees if (p["gender"] or "(missing)") == row["group"])
        assert row["mentees"] == members
        assert row["matched"] == mine["mentee_id"].nunique()
        if len(mine):
            assert row["mean_score"] == pytest.approx(mine["score"].mean())
            assert row["min_score"] == pytest.approx(mine["score"].min())
            assert row["mean_goals"] == pytest.approx(mine["goals"].mean())
    both = r.audit(by=["gender", "region"], min_group_size=1)
    assert both.groups["mentees"].sum() == len(mentees)
    assert both.mentor_groups is not None and both.mentor_groups["load"].sum() == len(r.pairs)
    with pytest.raises(ValueError, match="protected column 'ethnicity'"):
        r.audit(by="ethnicity")


def test_group_floor_claims_hold_and_keep_the_hard_constraints() -> None:
    mentees, mentors = random_cohort(4, n=40, m=14)
    plain = mentorpair.match(mentees, mentors, **OPTS)
    r = mentorpair.match(mentees, mentors, fairness="group_floor", by="gender", tolerance=0.02, **OPTS)
    assert r.violations.empty
    res = r.fairness["result"]
    assert len(r.pairs) >= len(plain.pairs)
    assert res["total"] <= res["unconstrained_total"] + 1e-9
    assert res["unconstrained_total"] == pytest.approx(plain.summary["total_score"])
    assert res["price_of_fairness"] == pytest.approx(res["unconstrained_total"] - res["total"])
    gender = {p["id"]: p["gender"] or "(missing)" for p in mentees}
    g = r.pairs.assign(g=r.pairs["mentee_id"].map(gender)).groupby("g")["score"].mean()
    floor = (1 - 0.02) * r.pairs["score"].mean()
    names = r.fairness["group_names"]
    for grp in res["groups"]:
        met = grp["mean_score"] is None or g[names[grp["group"]]] >= floor - 1e-9
        assert grp["score_met"] == met
    assert res["all_met"] == all(x["score_met"] and x["rate_met"] for x in res["groups"])


def test_maximin_keeps_coverage_and_lifts_the_lowest_pair() -> None:
    mentees, mentors = random_cohort(5, n=30, m=12)
    plain = mentorpair.match(mentees, mentors, **OPTS)
    r = mentorpair.match(mentees, mentors, fairness="maximin", **OPTS)
    assert len(r.pairs) == len(plain.pairs)
    assert r.pairs["score"].min() >= plain.pairs["score"].min()
    assert r.fairness["result"]["min_score"] == pytest.approx(r.pairs["score"].min())
    assert r.violations.empty


def test_fairness_options_are_checked() -> None:
    mentees, mentors = random_cohort(2)
    with pytest.raises(ValueError, match="by="):
        mentorpair.match(mentees, mentors, fairness="group_floor", **OPTS)
    with pytest.raises(ValueError, match="tolerance"):
        mentorpair.match(mentees, mentors, fairness="group_floor", by="gender", tolerance=1.5, **OPTS)
    with pytest.raises(mentorpair.ConfigError, match="`fairness`"):
        mentorpair.match(mentees, mentors, fairness="quota", **OPTS)
    with pytest.raises(ValueError, match="no protected column 'gender'"):
        mentorpair.match(mentees, mentors, fairness="group_floor", by="gender")


def test_shared_background_is_mentee_only_and_shows_as_affinity() -> None:
    mentees, mentors = random_cohort(3)
    asks = [{**p, "shared_background": "gender"} if i % 2 == 0 else p for i, p in enumerate(mentees)]
    r = mentorpair.match(asks, mentors, **OPTS)
    assert "affinity" in r.pairs.columns
    gm = {p["id"]: p["gender"] for p in mentees}
    gt = {p["id"]: p["gender"] for p in mentors}
    for _, row in r.pairs.iterrows():
        asked = int(row["mentee_id"][1:]) % 2 == 0
        same = gm[row["mentee_id"]] is not None and gm[row["mentee_id"]] == gt[row["mentor_id"]]
        if asked:
            assert row["affinity"] == (1.0 if same else 0.0)
        else:  # the component does not apply to a mentee who asked for nothing
            assert pd.isna(row["affinity"])
    e = r.explain(r.pairs["mentee_id"].iloc[0])["pairs"][0]
    assert abs(sum(c["contribution"] for c in e["components"]) - e["score"]) < 1e-12
    assert "mean_affinity" in r.audit(by="gender", min_group_size=1).groups.columns
    with pytest.raises(ValueError, match="only mentees"):
        mentorpair.match(mentees, [{**mentors[0], "shared_background": "gender"}, *mentors[1:]], **OPTS)
