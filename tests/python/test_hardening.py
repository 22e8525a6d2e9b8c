"""The Python front end follows the same rules as the command line: one previous-pairs reader,
the same value rules, typed carried-through columns."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import mentorpair as mp

DATE = "2026-03-02"
MENTEES = pd.DataFrame({"id": ["a", "b"], "goals": ["python", "sql"]})
MENTORS = pd.DataFrame({"id": ["m1", "m2"], "goals": ["python", "sql"], "capacity": [1, 1]})


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mentorpair", *args], capture_output=True, text=True)


def test_previous_pairs_padded_ids_agree_with_the_command_line(tmp_path: Path) -> None:
    prev = tmp_path / "prev.csv"
    prev.write_text("mentee_id,mentor_id\n a , m1 \nb,m2\n")
    from_path = mp.rematch(prev, MENTEES, MENTORS, reference_date=DATE)
    frame = pd.DataFrame({"mentee_id": [" a ", "b"], "mentor_id": ["m1 ", "m2"]})
    from_frame = mp.rematch(frame, MENTEES, MENTORS, reference_date=DATE)
    assert from_path.counts["kept"] == from_frame.counts["kept"] == 2
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    MENTEES.to_csv(a, index=False)
    MENTORS.to_csv(b, index=False)
    out = cli("rematch", "--previous", str(prev), "--mentees", str(a), "--mentors", str(b),
              "--reference-date", DATE, "--out", str(tmp_path / "o.csv"))
    assert out.returncode == 0, out.stderr
    assert "2 kept" in out.stdout


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("mentee_id,mentor_id\na,m1\nb\n", "row 2"),  # cut mid-row
        ("mentee_id,mentor_id\na,m1\na,m1\n", "repeats row 1"),
        ("mentee_id,mentor_id\na,\n", "mentor_id"),
    ],
)
def test_bad_previous_files_are_rejected_as_by_the_command_line(tmp_path: Path, text: str, needle: str) -> None:
    prev = tmp_path / "prev.csv"
    prev.write_text(text)
    with pytest.raises(ValueError, match=needle):
        mp.rematch(prev, MENTEES, MENTORS, reference_date=DATE)


def test_neutralised_pairs_files_read_back(tmp_path: Path) -> None:
    mentees = pd.DataFrame({"id": ["=1+1", "@x"], "goals": ["python", "sql"]})
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    mentees.to_csv(a, index=False)
    MENTORS.to_csv(b, index=False)
    pairs = tmp_path / "pairs.csv"
    out = cli("match", "--mentees", str(a), "--mentors", str(b), "--reference-date", DATE, "--out", str(pairs))
    assert out.returncode == 0, out.stderr
    assert "'=1+1" in pairs.read_text()
    r = mp.rematch(pairs, mentees, MENTORS, reference_date=DATE)
    assert r.counts["kept"] == 2


def test_empty_frame_without_id_is_an_error() -> None:
    with pytest.raises(ValueError, match="id"):
        mp.match(pd.DataFrame({"name": []}), MENTORS, reference_date=DATE)
    empty = mp.match(pd.DataFrame({"id": []}), MENTORS, reference_date=DATE)
    assert len(empty.pairs) == 0


def test_departments_compare_like_tags() -> None:
    mentees = pd.DataFrame({"id": ["a"], "department": ["Finance"]})
    mentors = pd.DataFrame({"id": ["m"], "department": ["finance"]})
    r = mp.match(mentees, mentors, reference_date=DATE, exclude_same_department=True)
    assert len(r.pairs) == 0


def test_carried_through_columns_keep_their_types() -> None:
    mentees = pd.DataFrame({"id": ["a"], "goals": ["python"], "badge": [17], "remote": [True],
                            "big": [2**70]})
    r = mp.match(mentees, MENTORS, reference_date=DATE)
    row = r.pairs.iloc[0]
    assert row["mentee_badge"] == 17 and pd.api.types.is_integer_dtype(r.pairs["mentee_badge"])
    assert bool(row["mentee_remote"]) is True
    assert str(row["mentee_big"]) == str(2**70)  # exact, never rounded through a float


def test_weights_and_goal_weights_are_bounded() -> None:
    with pytest.raises(ValueError, match="weights.goals"):
        mp.match(MENTEES, MENTORS, reference_date=DATE, weights={"goals": 1e308, "skills": 1e308})
    big = pd.DataFrame({"id": ["a"], "goals": ["python:1e308;sql:1e308"]})
    with pytest.raises(ValueError, match="at most 1000"):
        mp.match(big, MENTORS, reference_date=DATE)


def test_unknown_protected_column_names_the_close_match() -> None:
    mentees = pd.DataFrame({"id": ["a"], "gender": ["f"]})
    with pytest.raises(ValueError, match="did you mean `gender`"):
        mp.match(mentees, MENTORS, reference_date=DATE, protected=["gendr"])


def test_to_csv_is_spreadsheet_safe_atomic_and_read_back(tmp_path: Path) -> None:
    mentees = pd.DataFrame({"id": ["=1+1", "@x"], "goals": ["python", "sql"]})
    r = mp.match(mentees, MENTORS, reference_date=DATE)
    out = tmp_path / "pairs.csv"
    mp.to_csv(r.pairs, out)
    text = out.read_text()
    assert "\"'=1+1\"" in text and "\"'@x\"" in text
    assert mp.rematch(out, mentees, MENTORS, reference_date=DATE).counts["kept"] == 2
    mp.to_csv(r.pairs, out, raw_csv=True)
    assert "'=1+1" not in out.read_text()
    with pytest.raises(ValueError, match="folder"):
        mp.to_csv(r.pairs, tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["pairs.csv"]
