"""Typed errors end to end: every error of the core reaches Python as a class under
``mentorpair.MentorpairError`` with its fields as attributes, and option defaults live in the core."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import mentorpair as mp

DATE = "2026-03-02"
MENTEES = [
    {"id": "a", "goals": "sql;python", "languages": "en", "manager_id": "m0"},
    {"id": "b", "goals": "leadership", "languages": "en"},
    {"id": "c", "goals": "python", "languages": "de"},
]
MENTORS = [
    {"id": "m0", "goals": "sql", "languages": "en", "capacity": 1},
    {"id": "m1", "goals": "leadership;python", "languages": "en;de", "capacity": 2},
]


def test_the_classes_form_one_hierarchy_under_value_error() -> None:
    for cls in (
        mp.InputError,
        mp.ConfigError,
        mp.InfeasibleError,
        mp.TooLargeError,
        mp.InvalidEntryError,
        mp.ShapeError,
        mp.CapacityError,
    ):
        assert issubclass(cls, mp.MentorpairError), cls
    assert issubclass(mp.MentorpairError, ValueError)


def test_a_bad_csv_cell_is_an_input_error_with_row_and_column(tmp_path: Path) -> None:
    mentees = tmp_path / "mentees.csv"
    mentees.write_text("id,goals,mentors_wanted\na,sql,1\nb,python,lots\n")
    mentors = tmp_path / "mentors.csv"
    mentors.write_text("id,goals,capacity\nm0,sql,1\n")
    with pytest.raises(mp.InputError) as info:
        mp.match(mentees, mentors, reference_date=DATE)
    e = info.value
    assert (e.table, e.row, e.id, e.column, e.value) == ("mentees", 2, "b", "mentors_wanted", "lots")
    assert "row 2" in str(e) and "mentors_wanted" in str(e)


def test_a_bad_dataframe_cell_is_an_input_error_with_row_and_column() -> None:
    mentors = pd.DataFrame(MENTORS)
    mentors.loc[1, "capacity"] = -3
    with pytest.raises(mp.InputError) as info:
        mp.match(pd.DataFrame(MENTEES), mentors, reference_date=DATE)
    e = info.value
    assert (e.table, e.row, e.id, e.column) == ("mentors", 2, "m1", "capacity")
    assert e.value is not None and "-3" in e.value


def test_a_missing_column_and_a_duplicate_id_are_input_errors() -> None:
    with pytest.raises(mp.InputError) as info:
        mp.match([{"goals": "sql"}], MENTORS, reference_date=DATE)
    assert (info.value.table, info.value.column, info.value.row) == ("mentees", "id", None)
    with pytest.raises(mp.InputError) as info:
        mp.match([*MENTEES, {"id": "a"}], MENTORS, reference_date=DATE)
    assert (info.value.table, info.value.row, info.value.id) == ("mentees", 4, "a")


@pytest.mark.parametrize(
    ("options", "option"),
    [
        ({"reference_date": "2026-02-30"}, "reference_date"),
        ({"meeting_minutes": 0}, "meeting_minutes"),
        ({"meeting_minutes": -5}, "meeting_minutes"),
        ({"neutral": 1.5}, "neutral"),
        ({"min_score": float("nan")}, "min_score"),
        ({"weights": {"goals": -1.0}}, "weights"),
        ({"weights": {"goal": 1.0}}, "weights.goal"),
        ({"objective": "most"}, "objective"),
        ({"fairness": "fair"}, "fairness"),
        ({"fairness": "group_floor"}, "by"),
        ({"fairness": "group_floor", "by": "gender", "tolerance": 2.0}, "tolerance"),
        ({"by": "gender"}, "by"),
        ({"preferences": "maybe"}, "preferences"),
        ({"forbid": [("a",)]}, "forbid"),
        ({"meeting_minutes": object()}, "meeting_minutes"),
    ],
)
def test_a_bad_option_is_a_config_error_naming_it(options: dict[str, Any], option: str) -> None:
    with pytest.raises(mp.ConfigError) as info:
        mp.match(MENTEES, MENTORS, **options)
    e = info.value
    assert e.option == option
    assert f"`{option}`" in str(e)
    assert e.allowed, "the error says what is allowed"
    # Never a position inside internal JSON.
    assert not re.search(r"line \d+ column \d+", str(e)), str(e)


def test_an_impossible_date_names_the_option_and_the_format() -> None:
    with pytest.raises(mp.ConfigError) as info:
        mp.match(MENTEES, MENTORS, reference_date="2026-02-30")
    assert info.value.value == '"2026-02-30"'
    assert "YYYY-MM-DD" in info.value.allowed


def test_solve_and_rematch_options_are_config_errors() -> None:
    problem = mp.Problem(MENTEES, MENTORS, reference_date=DATE)
    with pytest.raises(mp.ConfigError) as info:
        problem.solve(objective="most")  # type: ignore[typeddict-item]
    assert info.value.option == "objective"
    with pytest.raises(mp.ConfigError) as info:
        problem.solve(fairness="group_floor", by="nobody")
    assert info.value.option == "by"
    result = problem.solve()
    with pytest.raises(mp.ConfigError) as info:
        problem.rematch(result, keep_bonus=-1)
    assert info.value.option == "keep_bonus" and info.value.value == "-1"
    with pytest.raises(mp.ConfigError) as info:
        problem.rematch(result, freeze=["ab"])
    assert info.value.option == "freeze"


def test_an_unknown_keyword_is_a_type_error_listing_the_options() -> None:
    with pytest.raises(TypeError, match="bogus"):
        mp.match(MENTEES, MENTORS, bogus=1)  # type: ignore[call-arg]


def test_a_pin_breaking_a_constraint_is_infeasible() -> None:
    with pytest.raises(mp.InfeasibleError, match="reporting"):
        mp.match(MENTEES, MENTORS, pin=[("a", "m0")], reference_date=DATE)


def test_an_unknown_pinned_id_is_a_config_error_on_pin() -> None:
    with pytest.raises(mp.ConfigError) as info:
        mp.match(MENTEES, MENTORS, pin=[("nobody", "m0")], reference_date=DATE)
    assert info.value.option == "pin"


def test_the_memory_limit_is_a_too_large_error_with_the_figures() -> None:
    with pytest.raises(mp.TooLargeError) as info:
        mp.match(MENTEES, MENTORS, memory_limit_bytes=64, reference_date=DATE)
    e = info.value
    assert e.limit_bytes == 64
    assert e.needed_bytes > e.limit_bytes
    # Two dense f64 matrices of 3 x 2 at least.
    assert e.needed_bytes >= 2 * 3 * 2 * 8


def test_a_row_that_is_not_a_mapping_is_a_python_type_error() -> None:
    with pytest.raises(TypeError, match="row 2"):
        mp.match([MENTEES[0], 42], MENTORS)


def test_bad_previous_pairs_are_input_errors() -> None:
    problem = mp.Problem(MENTEES, MENTORS, reference_date=DATE)
    with pytest.raises(mp.InputError) as info:
        problem.rematch(pd.DataFrame({"mentee_id": ["a"]}))
    assert info.value.table == "previous_pairs" and info.value.column == "mentor_id"
    with pytest.raises(mp.InputError) as info:
        problem.rematch([("b", "m1"), ("b", "m1")])
    assert info.value.row == 2


def test_no_options_give_what_the_core_defaults_give() -> None:
    defaults = mp.defaults()
    explicit = {k: v for k, v in defaults["match"].items() if v is not None}
    explicit["reference_date"] = DATE
    plain = mp.match(MENTEES, MENTORS, reference_date=DATE)
    spelled_out = mp.match(MENTEES, MENTORS, **explicit)
    assert plain.to_dict()["pairs"] == spelled_out.to_dict()["pairs"]
    assert plain.to_dict()["config"] == spelled_out.to_dict()["config"]
    config = plain.to_dict()["config"]
    assert config["min_score"] == defaults["match"]["min_score"]
    assert config["weights"] == defaults["match"]["weights"]
    assert config["scoring"]["meeting_minutes"] == defaults["match"]["meeting_minutes"]


def test_every_documented_option_is_an_option_of_the_core() -> None:
    core = set(mp.defaults()["match"])
    # Python-side forms: protected columns and embedding matrices travel beside the options, and
    # text_language is the core's text option's language.
    typed = set(mp.MatchOptions.__annotations__) - {"protected", "embeddings", "text_language"}
    assert typed == core
    for name in typed:
        assert f"\n    {name}\n" in (mp.match.__doc__ or ""), name


def test_keep_bonus_has_one_default_everywhere(tmp_path: Path) -> None:
    keep_bonus = mp.defaults()["rematch"]["keep_bonus"]
    assert keep_bonus == 0.1
    problem = mp.Problem(MENTEES, MENTORS, reference_date=DATE)
    first = problem.solve()
    assert problem.rematch(first).keep_bonus == keep_bonus
    # The command line uses the same default: run it on the same tables.
    mentees, mentors = tmp_path / "mentees.csv", tmp_path / "mentors.csv"
    pd.DataFrame(MENTEES).to_csv(mentees, index=False)
    pd.DataFrame(MENTORS).to_csv(mentors, index=False)
    previous = tmp_path / "previous.csv"
    first.pairs[["mentee_id", "mentor_id"]].to_csv(previous, index=False)
    out, result = tmp_path / "pairs.csv", tmp_path / "result.json"
    run = subprocess.run(
        [sys.executable, "-m", "mentorpair", "rematch", "--previous", str(previous),
         "--mentees", str(mentees), "--mentors", str(mentors), "--reference-date", DATE,
         "--out", str(out), "--json", str(result)],
        capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert json.loads(result.read_text())["rematch"]["keep_bonus"] == keep_bonus
