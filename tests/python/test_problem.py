"""mentorpair.Problem: the tables are read once; solve, explain (matched or not), audit, rematch
and score_matrix all answer from the prepared problem, and agree with the one-call functions."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import pandas as pd
import pytest

import mentorpair as mp
from mentorpair import _match, synthetic

DATE = "2026-03-02"


@pytest.fixture(scope="module")
def cohort() -> tuple[pd.DataFrame, pd.DataFrame]:
    return synthetic.cohort(60, 20, seed=4)


def options() -> dict[str, Any]:
    return dict(reference_date=DATE, protected=["gender", "age_band"], min_score=0.3)


@pytest.fixture
def no_tables(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """After this fixture, converting tables for the core raises: anything that tries to read
    them again fails the test. Returns the number of attempts (must stay 0)."""
    calls: list[int] = []

    def refuse(*_: Any, **__: Any) -> Any:
        calls.append(1)
        raise AssertionError("the tables were converted again")

    monkeypatch.setattr(_match, "_tables", refuse)
    monkeypatch.setattr(_match, "_source", refuse)
    return calls


def test_solve_is_match(cohort: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    mentees, mentors = cohort
    problem = mp.Problem(mentees, mentors, **options())
    assert problem.shape == (60, 20)
    assert problem.mentee_ids == list(mentees["id"]) and problem.mentor_ids == list(mentors["id"])
    result = problem.solve()
    once = mp.match(mentees, mentors, **options())
    pd.testing.assert_frame_equal(result.pairs, once.pairs)
    pd.testing.assert_frame_equal(result.unmatched, once.unmatched)
    assert result.problem is problem and result.violations.empty
    # Another objective on the same prepared problem equals a fresh match with it.
    by_score = problem.solve(objective="score")
    pd.testing.assert_frame_equal(by_score.pairs, mp.match(mentees, mentors, objective="score", **options()).pairs)
    assert by_score.to_dict()["config"]["objective"] == "score"
    fair = problem.solve(fairness="maximin")
    assert fair.fairness is not None and fair.fairness["mode"] == "maximin"
    with pytest.raises(ValueError, match="objective"):
        problem.solve(objective="best")


def test_explain_and_audit_never_read_the_tables_again(
    cohort: tuple[pd.DataFrame, pd.DataFrame], request: pytest.FixtureRequest
) -> None:
    mentees, mentors = cohort
    result = mp.match(mentees, mentors, **options())
    calls = request.getfixturevalue("no_tables")
    with pytest.raises(AssertionError):
        mp.Problem(mentees, mentors, **options())  # the fixture really blocks table reads
    calls.clear()
    matched = set(zip(result.pairs["mentee_id"], result.pairs["mentor_id"]))
    frame = result.problem.score_matrix()
    pair = next(
        (e, m)
        for e in frame.index
        for m in frame.columns
        if (e, m) not in matched and not np.isnan(frame.loc[e, m])
    )
    report = result.explain(*pair)
    assert report["excluded"] is None and report["exclusion"] is None
    assert report["explanation"]["score"] == pytest.approx(frame.loc[pair])
    contributions = sum(c["contribution"] for c in report["explanation"]["components"])
    assert contributions == pytest.approx(report["explanation"]["score"])
    excluded = next((e, m) for e in frame.index for m in frame.columns if np.isnan(frame.loc[e, m]))
    why = result.explain(*excluded)
    assert why["excluded"] and why["exclusion"] in {
        "same_person", "reporting_line", "same_department", "forbidden", "no_capacity", "below_min_score",
    }
    audit = result.audit(by="gender", min_group_size=1)
    assert int(audit.groups["pairs"].sum()) == len(result.pairs)
    assert calls == []


def test_explain_matches_the_matched_pairs_and_names_unknown_ids(cohort: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    mentees, mentors = cohort
    problem = mp.Problem(mentees, mentors, **options())
    result = problem.solve()
    row = result.pairs.iloc[0]
    stored = result.explain(row["mentee_id"], row["mentor_id"])["explanation"]
    assert problem.explain(row["mentee_id"], row["mentor_id"])["explanation"] == stored
    with pytest.raises(mp.MentorpairError, match="no mentor has id"):
        problem.explain(row["mentee_id"], "nobody")


def test_score_matrix_is_labelled_and_shares_the_problem_memory(cohort: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    mentees, mentors = cohort
    problem = mp.Problem(mentees, mentors, **options())
    frame = problem.score_matrix()
    assert list(frame.index) == list(mentees["id"]) and list(frame.columns) == list(mentors["id"])
    assert (frame.index.name, frame.columns.name) == ("mentee_id", "mentor_id")
    values = frame.to_numpy()
    assert np.shares_memory(values, problem._core.score_matrix()), "to_numpy() copied the matrix"
    assert not values.flags.writeable
    with pytest.raises(ValueError):
        values[0, 0] = 1.0
    assert int(np.isnan(values).sum()) == problem._core.excluded_pairs
    pd.testing.assert_frame_equal(frame, mp.score_matrix(mentees, mentors, **options()))
    result = problem.solve()
    for _, p in result.pairs.iterrows():
        assert frame.loc[p["mentee_id"], p["mentor_id"]] == p["score"]
    # The frame outlives the Python wrapper: the array keeps the Rust problem alive.
    del problem
    assert np.nansum(frame.to_numpy()) == pytest.approx(np.nansum(values))


def test_rematch_reads_this_rounds_tables_once(
    cohort: tuple[pd.DataFrame, pd.DataFrame], monkeypatch: pytest.MonkeyPatch
) -> None:
    mentees, mentors = cohort
    first = mp.match(mentees, mentors, **options())
    after = mentees.copy()
    after.loc[0, "goals"] = "public speaking"
    counted: list[int] = []
    real = _match._tables

    def counting(*args: Any) -> Any:
        counted.append(1)
        return real(*args)

    monkeypatch.setattr(_match, "_tables", counting)
    problem = mp.Problem(after, mentors, **options())
    out = problem.rematch(first, keep_bonus=0.1)
    again = out.result.explain(out.pairs["mentee_id"].iloc[0], out.pairs["mentor_id"].iloc[0])
    assert again["explanation"]["score"] == pytest.approx(out.pairs["score"].iloc[0])
    audit = out.result.audit(by="gender", min_group_size=1)
    assert int(audit.groups["pairs"].sum()) == len(out.pairs)
    assert counted == [1], "Problem + rematch + explain + audit read the tables once"
    once = mp.rematch(first, after, mentors, keep_bonus=0.1, **options())
    pd.testing.assert_frame_equal(out.changes, once.changes)
    pd.testing.assert_frame_equal(out.pairs, once.pairs)
    assert out.result.violations.empty
    assert out.counts == once.counts


def test_one_problem_serves_many_threads(cohort: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    mentees, mentors = cohort
    problem = mp.Problem(mentees, mentors, **options())
    pairs = [(e, m) for e in problem.mentee_ids[:15] for m in problem.mentor_ids[:4]]
    want = [problem.explain(e, m) for e, m in pairs]
    with ThreadPoolExecutor(max_workers=4) as pool:
        got = list(pool.map(lambda p: problem.explain(*p), pairs))
    assert got == want
    with pytest.raises((AttributeError, TypeError)):
        problem._core.shape = (0, 0)  # type: ignore[misc]
    assert "60 mentees x 20 mentors" in repr(problem)


def test_bad_options_fail_when_the_problem_is_prepared(cohort: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    mentees, mentors = cohort
    with pytest.raises(ValueError, match="pin"):
        mp.Problem(mentees, mentors, **options(), pin=[("nobody", mentors["id"][0])])
    with pytest.raises(TypeError):
        mp.Problem(mentees, mentors, no_such_option=1)  # type: ignore[call-arg]
