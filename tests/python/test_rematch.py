"""mentorpair.rematch: dissolve what breaks a constraint, keep what is frozen, reward staying, report
it all; checked against fresh matches and by hand."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mentorpair as mp

DATE = "2026-03-02"
MENTORS = pd.DataFrame(
    {
        "id": ["m0", "m1", "m2"],
        "goals": ["leadership;sql", "python;sql", "speaking"],
        "capacity": [2, 1, 1],
    }
)
BEFORE = pd.DataFrame({"id": list("abcd"), "goals": ["leadership", "python", "speaking", "sql"]})
# Round two: c left, b now reports to m1, a's goals changed, e joined.
AFTER = pd.DataFrame(
    {
        "id": list("abde"),
        "goals": ["speaking", "python", "sql", "leadership"],
        "manager_id": [None, "m1", None, None],
    }
)


def first_round() -> mp.MatchResult:
    return mp.match(BEFORE, MENTORS, reference_date=DATE)


def test_changes_are_reported_with_reasons() -> None:
    prev = first_round()
    assert len(prev.pairs) == 4
    out = mp.rematch(prev, AFTER, MENTORS, keep_bonus=0.1, reference_date=DATE)
    assert isinstance(out, mp.RematchResult)
    assert out.result.violations.empty
    ch = out.changes.set_index(["mentee_id", "mentor_id"])
    assert ch.loc[("c", "m2"), "status"] == "dissolved"
    assert "no longer in the cohort" in ch.loc[("c", "m2"), "reason"]
    old_b = prev.pairs.loc[prev.pairs.mentee_id == "b", "mentor_id"].item()
    assert old_b == "m1"
    assert ch.loc[("b", "m1"), "status"] == "dissolved"
    assert "reporting line" in ch.loc[("b", "m1"), "reason"]
    assert not ((out.pairs.mentee_id == "b") & (out.pairs.mentor_id == "m1")).any()
    status = out.mentees.set_index("mentee_id")["status"]
    assert status["e"] == "new" and status["b"] == "dissolved" and status["c"] == "dissolved"
    assert sum(out.counts.values()) == len(out.mentees)
    # Scores add up: the new total and the baseline of still-valid old pairs.
    assert out.total_score == pytest.approx(out.pairs.score.sum())
    kept_or_released = out.changes[out.changes.status.isin(["kept", "released"])]
    assert out.baseline_score == pytest.approx(kept_or_released.score.sum())
    assert out.score_gained == pytest.approx(out.total_score - out.baseline_score)
    assert set(out.pairs.status) <= {"kept", "new"}
    assert out.explain("e")["rematch"]["status"] == "new"
    assert "RematchResult(" in repr(out)
    d = out.to_dict()
    assert set(d) == {"rematch", "result"}


def test_no_bonus_is_a_fresh_match_and_a_large_bonus_keeps_every_valid_pair() -> None:
    prev = first_round()
    shuffled = BEFORE.assign(goals=["sql", "leadership", "python", "speaking"])
    for objective in ("coverage", "score"):
        fresh = mp.match(shuffled, MENTORS, reference_date=DATE, objective=objective)
        zero = mp.rematch(prev, shuffled, MENTORS, keep_bonus=0.0, reference_date=DATE, objective=objective)
        assert zero.total_score == pytest.approx(fresh.summary["total_score"])
    keep = mp.rematch(prev, shuffled, MENTORS, keep_bonus=10.0, reference_date=DATE, objective="score")
    assert (keep.changes.status == "kept").all()
    assert keep.counts["kept"] == 4


def test_frozen_pairs_stay_and_a_bad_one_is_named() -> None:
    prev = first_round()
    out = mp.rematch(prev, AFTER, MENTORS, keep_bonus=0.0, freeze=[("d", "m0")], reference_date=DATE)
    row = out.pairs[(out.pairs.mentee_id == "d") & (out.pairs.mentor_id == "m0")]
    assert len(row) == 1 and bool(row.frozen.item())
    with pytest.raises(mp.MentorpairError, match=r'"b".*"m1".*reporting line'):
        mp.rematch(prev, AFTER, MENTORS, freeze=[("b", "m1")], reference_date=DATE)
    with pytest.raises(ValueError, match="keep_bonus"):
        mp.rematch(prev, AFTER, MENTORS, keep_bonus=-1, reference_date=DATE)
    with pytest.raises(TypeError, match="bogus"):
        mp.rematch(prev, AFTER, MENTORS, bogus=1)


def test_previous_pairs_in_every_shape(tmp_path: Path) -> None:
    prev = first_round()
    as_list = list(zip(prev.pairs.mentee_id, prev.pairs.mentor_id))
    path = tmp_path / "pairs.csv"
    prev.pairs.to_csv(path, index=False)
    results = [
        mp.rematch(p, AFTER, MENTORS, reference_date=DATE)
        for p in (prev, prev.pairs, as_list, path, str(path))
    ]
    first = results[0].changes
    for r in results[1:]:
        pd.testing.assert_frame_equal(r.changes, first)
    with pytest.raises(ValueError, match="mentor_id"):
        mp.rematch(pd.DataFrame({"mentee_id": ["a"]}), AFTER, MENTORS)


GOALS = ["leadership", "python", "sql", "speaking"]


@settings(max_examples=25, deadline=None)
@given(
    goals=st.lists(st.sampled_from(GOALS), min_size=2, max_size=6),
    new_goals=st.lists(st.sampled_from(GOALS), min_size=6, max_size=6),
    leave=st.sets(st.integers(0, 5), max_size=2),
    bonus=st.floats(0, 0.5),
)
def test_random_rounds_never_break_a_constraint(
    goals: list[str], new_goals: list[str], leave: set[int], bonus: float
) -> None:
    before = pd.DataFrame({"id": [f"e{i}" for i in range(len(goals))], "goals": goals})
    prev = mp.match(before, MENTORS, reference_date=DATE)
    after = before.assign(goals=new_goals[: len(goals)])
    after = after[[i not in leave for i in range(len(after))]]
    frozen = [
        (a, b)
        for a, b in zip(prev.pairs.mentee_id, prev.pairs.mentor_id)
        if a in set(after.id)
    ][:1]
    out = mp.rematch(prev, after, MENTORS, keep_bonus=bonus, freeze=frozen, reference_date=DATE)
    assert out.result.violations.empty
    for a, b in frozen:
        assert ((out.pairs.mentee_id == a) & (out.pairs.mentor_id == b)).any()
    load = out.pairs.groupby("mentor_id").size()
    cap = MENTORS.set_index("id")["capacity"]
    assert all(load[m] <= cap[m] for m in load.index)
    assert not out.pairs.duplicated(["mentee_id", "mentor_id"]).any()
    gone = out.changes[~out.changes.mentee_id.isin(after.id)]
    assert (gone.status == "dissolved").all()


def _grouped_cohort() -> tuple[pd.DataFrame, pd.DataFrame]:
    goals = ["leadership", "python", "sql", "speaking"]
    mentees = pd.DataFrame(
        {
            "id": [f"e{i}" for i in range(24)],
            "goals": [goals[i % 4] if i % 2 == 0 else goals[(i // 2) % 2 + 2] for i in range(24)],
            "gender": ["a" if i % 2 == 0 else "b" for i in range(24)],
        }
    )
    mentors = pd.DataFrame(
        {
            "id": [f"m{j}" for j in range(5)],
            "goals": ["leadership;python", "python", "sql", "leadership", "speaking;sql"],
            "capacity": [3, 3, 2, 3, 2],
        }
    )
    return mentees, mentors


def test_fairness_options_reach_the_re_solve() -> None:
    mentees, mentors = _grouped_cohort()
    prev = mp.match(mentees, mentors, protected=["gender"], reference_date=DATE)
    for options in ({"fairness": "group_floor", "by": "gender", "tolerance": 0.05}, {"fairness": "maximin"}):
        out = mp.rematch(prev, mentees, mentors, keep_bonus=0.0, protected=["gender"], reference_date=DATE, **options)
        fresh = mp.match(mentees, mentors, protected=["gender"], reference_date=DATE, **options)
        assert out.result.violations.empty
        assert out.result.fairness is not None
        assert out.total_score == pytest.approx(fresh.summary["total_score"], abs=1e-6)
    audit = out.result.audit(by="gender")
    assert audit.groups.mentees.sum() == len(mentees)
    with pytest.raises(ValueError, match="by"):
        mp.rematch(prev, mentees, mentors, protected=["gender"], fairness="group_floor")
