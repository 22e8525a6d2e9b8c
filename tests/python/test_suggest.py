"""Shortlists and history from Python: the DataFrame's columns and ranks, consistency with
Problem.suggest and with a re-solve that pins the pair (the oracle), the CLI through the same
program, the hybrid flow, and history from pandas or CSV with typed errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import mentorpair as mp

COLUMNS = ["mentee_id", "rank", "mentor_id", "score", "match_pct", "cost_of_choice", "pairs_lost", "in_optimum", "why"]


@pytest.fixture(scope="module")
def cohort() -> tuple[pd.DataFrame, pd.DataFrame]:
    a, b = mp.synthetic.cohort(40, 16, seed=5)
    # No protected columns are declared here, so no shared-background requests either.
    return a.drop(columns=["shared_background"]), b


def total(result: mp.MatchResult) -> tuple[int, float]:
    return len(result.pairs), float(result.pairs["score"].sum())


def test_suggest_frame_columns_ranks_and_consistency(cohort: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    mentees, mentors = cohort
    frame = mp.suggest(mentees, mentors, k=3)
    assert list(frame.columns) == COLUMNS
    assert len(frame) > 0
    assert set(frame["mentee_id"]) <= set(mentees["id"])
    for mentee_id, group in frame.groupby("mentee_id", sort=False):
        assert list(group["rank"]) == list(range(1, len(group) + 1))
        keys = list(zip(group["pairs_lost"], group["cost_of_choice"]))
        assert keys == sorted(keys)
        assert group["mentor_id"].is_unique
    problem = mp.Problem(mentees, mentors)
    one = problem.suggest(str(frame["mentee_id"].iloc[0]), k=3)
    expected = frame[frame["mentee_id"] == frame["mentee_id"].iloc[0]].reset_index(drop=True)
    pd.testing.assert_frame_equal(one, expected)
    assert frame["match_pct"].between(0, 100).all()
    assert ((frame["match_pct"] - frame["score"] * 100).abs() <= 1).all()
    assert frame["why"].str.contains("goals").all()


def test_cost_of_choice_matches_a_pinned_resolve(cohort: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    mentees, mentors = cohort
    base = mp.match(mentees, mentors)
    n0, t0 = total(base)
    frame = mp.suggest(mentees, mentors, k=4)
    checked = 0
    for row in frame.itertuples():
        again = mp.match(mentees, mentors, pin=[(row.mentee_id, row.mentor_id)])
        n1, t1 = total(again)
        assert row.pairs_lost == n0 - n1
        assert row.cost_of_choice == pytest.approx(t0 - t1, abs=1e-9)
        checked += 1
        if checked >= 40:
            break
    assert (frame["cost_of_choice"] > 0).any()


def test_why_not_names_the_constraint_and_unknown_ids_raise() -> None:
    mentees = pd.DataFrame({"id": ["ana", "eli"], "goals": ["sql", "rust"], "manager_id": ["bo", None]})
    mentors = pd.DataFrame({"id": ["bo", "cy"], "goals": ["sql", "rust"], "capacity": [1, 1]})
    problem = mp.Problem(mentees, mentors)
    answer = problem.why_not("ana", "bo")
    assert answer["allowed"] is False
    assert answer["exclusion"] == "reporting_line"
    assert "reporting line" in answer["reason"]
    assert "bo" not in set(problem.suggest("ana")["mentor_id"])
    ok = problem.why_not("ana", "cy")
    assert ok["allowed"] is True and ok["cost_of_choice"] is not None
    with pytest.raises(ValueError, match="no mentee has id"):
        problem.suggest("nobody")
    with pytest.raises(ValueError, match="m-17"):
        problem.why_not("ana", "m-17")


def test_hybrid_flow_picks_become_pins_then_the_solve_fills_the_rest(
    cohort: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    mentees, mentors = cohort
    lists = mp.suggest(mentees, mentors, k=3)
    # The first five mentees pick their second suggestion.
    picks = lists[(lists["rank"] == 2)].head(5)[["mentee_id", "mentor_id"]]
    filled = mp.fill_from_picks(mentees, mentors, picks)
    got = set(zip(filled.pairs["mentee_id"], filled.pairs["mentor_id"]))
    assert set(zip(picks["mentee_id"], picks["mentor_id"])) <= got
    assert filled.violations.empty
    # The optimum with the picks pinned loses no more than the picks' costs say (each alone).
    fav = mp.fill_from_picks(mentees, mentors, picks, as_="favourite")
    assert fav.violations.empty
    with pytest.raises(ValueError, match="as_"):
        mp.fill_from_picks(mentees, mentors, picks, as_="maybe")


def rounds() -> tuple[pd.DataFrame, pd.DataFrame]:
    mentees = pd.DataFrame({"id": ["ana", "eli"], "goals": ["sql;rust", "sql;design"], "languages": ["en", "en"]})
    mentors = pd.DataFrame({"id": ["cy", "fay"], "goals": ["sql;rust", "cooking"], "languages": ["en", "fr"], "capacity": [1, 0]})
    return mentees, mentors


def test_history_from_pandas_and_csv_excludes_past_pairs(tmp_path: Path) -> None:
    mentees, mentors = rounds()
    history = pd.DataFrame({"mentee_id": ["ana"], "mentor_id": ["cy"], "round": [1], "outcome": [1.0]})
    result = mp.match(mentees, mentors, history=history)
    assert ("ana", "cy") not in set(zip(result.pairs["mentee_id"], result.pairs["mentor_id"]))
    assert result.violations.empty
    path = tmp_path / "history.csv"
    history.to_csv(path, index=False)
    problem = mp.Problem(mentees, mentors, history=str(path))
    assert problem.why_not("ana", "cy")["exclusion"] == "paired_before"
    assert "cy" not in set(problem.suggest("ana")["mentor_id"])
    again = mp.match(mentees, mentors, history=history, allow_repeat_pairs=True)
    assert ("ana", "cy") in set(zip(again.pairs["mentee_id"], again.pairs["mentor_id"]))
    # rematch takes it too.
    moved = mp.rematch(again, mentees, mentors, history=history)
    assert ("ana", "cy") not in set(zip(moved.pairs["mentee_id"], moved.pairs["mentor_id"]))


def test_unmatched_mentees_get_an_explained_priority() -> None:
    mentees, mentors = rounds()
    history = pd.DataFrame({"mentee_id": ["eli", "eli"], "mentor_id": [None, None], "date": ["2026-01-05", "2026-06-01"]})
    result = mp.match(mentees, mentors, history=history, unmatched_priority=2.0)
    assert list(result.pairs["mentee_id"]) == ["eli"]
    why = result.explain("eli")
    text = str(why)
    assert "priority" in text and "2 earlier rounds" in text
    plain = mp.match(mentees, mentors, history=history, unmatched_priority=0)
    assert list(plain.pairs["mentee_id"]) == ["ana"]


def test_bad_history_names_row_and_column(tmp_path: Path) -> None:
    mentees, mentors = rounds()
    bad = pd.DataFrame({"mentee_id": ["ana", "eli"], "mentor_id": ["cy", None], "round": ["1", "two"]})
    with pytest.raises(ValueError, match=r"row 2, column `round`: \"two\" is not a round number"):
        mp.match(mentees, mentors, history=bad)
    unknown = pd.DataFrame({"mentee_id": ["zed"], "mentor_id": ["cy"], "round": [1]})
    with pytest.raises(ValueError, match=r"row 1, column `mentee_id`: no mentee has id \"zed\""):
        mp.Problem(mentees, mentors, history=unknown)
    with pytest.raises(ValueError, match="missing column `mentor_id`"):
        mp.match(mentees, mentors, history=pd.DataFrame({"mentee_id": ["ana"]}))


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mentorpair", *args], capture_output=True, text=True)


def test_cli_suggest_writes_the_same_shortlists(tmp_path: Path, cohort: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    mentees, mentors = cohort
    a, b = tmp_path / "mentees.csv", tmp_path / "mentors.csv"
    mp.to_csv(mentees, a)
    mp.to_csv(mentors, b)
    out = tmp_path / "shortlists.csv"
    run = cli("suggest", "--mentees", str(a), "--mentors", str(b), "--k", "3", "--out", str(out), "--quiet")
    assert run.returncode == 0, run.stderr
    written = pd.read_csv(out, keep_default_na=False)
    assert list(written.columns) == COLUMNS
    expected = mp.suggest(str(a), str(b), k=3)
    assert list(written["mentor_id"]) == list(expected["mentor_id"])
    assert written["cost_of_choice"].to_numpy() == pytest.approx(expected["cost_of_choice"].to_numpy(), abs=1e-12)
    # why-not for one mentee, and a history file that does not parse.
    first = str(expected["mentee_id"].iloc[0])
    run = cli("suggest", "--mentees", str(a), "--mentors", str(b), "--mentee", first, "--why-not", "nobody")
    assert run.returncode == 2 and "nobody" in run.stderr
    hist = tmp_path / "history.csv"
    hist.write_text(f"mentee_id,mentor_id,round\n{first},,x\n")
    run = cli("suggest", "--mentees", str(a), "--mentors", str(b), "--history", str(hist), "--out", str(out))
    assert run.returncode == 3
    assert "row 1, column `round`" in run.stderr and str(hist) in run.stderr
