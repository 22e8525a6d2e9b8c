"""Tables cross column by column: pandas (numpy and pyarrow dtypes), pyarrow, polars and lists of
dicts give the same cohort, the same result and the same errors as CSV."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import mentorpair as mp
from mentorpair._match import _source
from mentorpair.synthetic import PROTECTED, cohort

pa = pytest.importorskip("pyarrow")
pl = pytest.importorskip("polars")


def _lists(cell: Any) -> Any:
    return cell.split(";") if isinstance(cell, str) else None


@pytest.fixture(scope="module")
def frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    """A synthetic cohort with list columns, gaps and extra columns of several types."""
    mentees, mentors = cohort(80, 30, seed=11, missing_share=0.1)
    for df in (mentees, mentors):
        df["goals"] = df["goals"].map(_lists)  # Python lists in an object column (None = missing)
        df["languages"] = df["languages"].map(_lists)
        n = len(df)
        df["tenure"] = np.arange(n, dtype=np.int64) % 7
        df["rating"] = np.where(np.arange(n) % 5 == 0, np.nan, np.arange(n) / 4)
        df["office"] = [None if i % 3 == 0 else f"office-{i % 4}" for i in range(n)]
        df["remote"] = np.arange(n) % 2 == 0
    return mentees, mentors


def _variants(df: pd.DataFrame) -> dict[str, Any]:
    return {
        "pandas": df,
        "pandas-pyarrow": df.convert_dtypes(dtype_backend="pyarrow"),
        "pyarrow": pa.Table.from_pandas(df, preserve_index=False),
        "polars": pl.from_pandas(df),
        "records": df.to_dict(orient="records"),
    }


def _run(mentees: Any, mentors: Any) -> tuple[mp.MatchResult, np.ndarray]:
    opts: dict[str, Any] = {"protected": list(PROTECTED), "reference_date": "2026-03-02"}
    problem = mp.Problem(mentees, mentors, **opts)
    return problem.solve(), problem.score_matrix().to_numpy()


def test_every_table_kind_gives_the_same_result(frames: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    mentees, mentors = frames
    base, base_scores = _run(mentees, mentors)
    assert len(base.pairs) > 20
    # Extra columns of every type are carried through.
    for col in ("mentee_tenure", "mentee_rating", "mentee_office", "mentee_remote", "mentor_office"):
        assert col in base.pairs.columns
    e_var, r_var = _variants(mentees), _variants(mentors)
    for kind in e_var:
        got, scores = _run(e_var[kind], r_var[kind])
        np.testing.assert_array_equal(scores, base_scores, err_msg=kind)
        pd.testing.assert_frame_equal(got.pairs, base.pairs, obj=kind)
        pd.testing.assert_frame_equal(got.unmatched, base.unmatched, obj=kind)
        assert got.summary == base.summary, kind
        assert got.audit("gender").groups.equals(base.audit("gender").groups), kind


def test_polars_and_arrow_match_csv(frames: tuple[pd.DataFrame, pd.DataFrame], tmp_path: Path) -> None:
    """The CSV reader is the independent reference: list cells written `;`-joined."""
    paths = []
    for name, df in zip(("mentees", "mentors"), frames):
        out = df.copy()
        for col in ("goals", "languages"):
            out[col] = out[col].map(lambda v: ";".join(v) if isinstance(v, list) else None)
        path = tmp_path / f"{name}.csv"
        out.to_csv(path, index=False)
        paths.append(path)
    from_csv, csv_scores = _run(*paths)
    _, pl_scores = _run(pl.from_pandas(frames[0]), pl.from_pandas(frames[1]))
    np.testing.assert_array_equal(pl_scores, csv_scores)
    got = mp.match(
        pa.Table.from_pandas(frames[0], preserve_index=False),
        pl.from_pandas(frames[1]),
        protected=list(PROTECTED),
        reference_date="2026-03-02",
    )
    cols = ["mentee_id", "mentor_id", "score"]
    pd.testing.assert_frame_equal(got.pairs[cols], from_csv.pairs[cols])


def test_tables_cross_as_columns_not_json(frames: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    mentees, _ = frames
    kind, names, columns = _source(mentees, "mentees")
    assert kind == "columns" and names == [str(c) for c in mentees.columns]
    by_name = dict(zip(names, columns))
    assert isinstance(by_name["tenure"], np.ndarray) and by_name["tenure"].dtype == np.int64
    assert isinstance(by_name["rating"], np.ndarray) and by_name["rating"].dtype == np.float64
    assert isinstance(by_name["remote"], np.ndarray) and by_name["remote"].dtype == np.bool_
    assert isinstance(by_name["goals"], list) and any(isinstance(v, list) for v in by_name["goals"])
    assert all(v is None or isinstance(v, str) for v in by_name["office"])
    assert _source(pl.from_pandas(mentees), "mentees")[0] == "arrow"
    assert _source(mentees.convert_dtypes(dtype_backend="pyarrow"), "mentees")[0] == "arrow"
    assert _source(mentees.to_dict(orient="records"), "mentees")[0] == "columns"


def test_duckdb_style_stream_objects_are_accepted(frames: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    """Anything with __arrow_c_stream__ is a table: here a bare wrapper around a record batch reader."""
    mentees, mentors = frames

    class Stream:
        def __init__(self, table: Any) -> None:
            self.table = table

        def __arrow_c_stream__(self, requested_schema: Any = None) -> Any:
            reader = pa.RecordBatchReader.from_batches(self.table.schema, self.table.to_batches(max_chunksize=7))
            return reader.__arrow_c_stream__(requested_schema)

    base, _ = _run(mentees, mentors)
    got, _ = _run(
        Stream(pa.Table.from_pandas(mentees, preserve_index=False)),
        Stream(pa.Table.from_pandas(mentors, preserve_index=False)),
    )
    pd.testing.assert_frame_equal(got.pairs, base.pairs)


def test_empty_tables_keep_their_columns() -> None:
    mentors = pa.table({"id": ["m1"], "capacity": [1]})
    empty = pa.table({"id": pa.array([], pa.string()), "goals": pa.array([], pa.list_(pa.string()))})
    assert len(mp.match(empty, mentors).pairs) == 0
    with pytest.raises(ValueError, match="missing required column `id`"):
        mp.match(pa.table({"name": pa.array([], pa.string())}), mentors)
    with pytest.raises(ValueError, match="missing required column `id`"):
        mp.match(pl.DataFrame({"name": ["a"]}), mentors)


_MENTORS_CSV = "id,capacity\nm1,1\nm2,1\n"

# (name, Arrow table, the same mentee table as CSV text)
_BAD: list[tuple[str, Any, str]] = [
    (
        "wrong type column",
        {"id": ["e1", "e2"], "level": ["3", "senior"]},
        "id,level\ne1,3\ne2,senior\n",
    ),
    ("fractional level", {"id": ["e1"], "level": [2.5]}, "id,level\ne1,2.5\n"),
    ("null id", {"id": ["e1", None]}, 'id\ne1\n""\n'),
    ("duplicate id", {"id": ["e1", "e1"]}, "id\ne1\ne1\n"),
    ("duplicate integer id", {"id": [7, 7]}, "id\n7\n7\n"),
    (
        "bad list cell",
        {"id": ["e1"], "skills": [["python:4", "sql"]]},
        "id,skills\ne1,python:4;sql\n",
    ),
    (
        "bad goal weight in a list",
        {"id": ["e1", "e2"], "goals": [["rust"], ["leadership:x", "design"]]},
        "id,goals\ne1,rust\ne2,leadership:x;design\n",
    ),
    ("unknown time zone", {"id": ["e1"], "timezone": ["Mars/Olympus"]}, "id,timezone\ne1,Mars/Olympus\n"),
]


@pytest.mark.parametrize(("case", "columns", "csv"), _BAD, ids=[b[0] for b in _BAD])
def test_bad_input_fails_as_through_csv(case: str, columns: dict[str, list[Any]], csv: str, tmp_path: Path) -> None:
    path = tmp_path / "mentees.csv"
    path.write_text(csv)
    mentors = tmp_path / "mentors.csv"
    mentors.write_text(_MENTORS_CSV)
    with pytest.raises(ValueError) as from_csv:
        mp.match(path, mentors)
    tables = {
        "pyarrow": pa.table(columns),
        "polars": pl.DataFrame(columns),
        "pandas": pd.DataFrame(columns),
        "records": [dict(zip(columns, row)) for row in zip(*columns.values())],
    }
    for kind, table in tables.items():
        with pytest.raises(ValueError) as got:
            mp.match(table, mentors)
        assert str(got.value) == str(from_csv.value), (case, kind)
        assert type(got.value) is type(from_csv.value), (case, kind)
        for attr in ("table", "row", "id", "column", "value"):
            assert getattr(got.value, attr, None) == getattr(from_csv.value, attr, None), (case, kind, attr)


def test_unreadable_arrow_type_is_named() -> None:
    import datetime as dt

    mentees = pa.table({"id": ["e1"], "joined": [dt.date(2025, 1, 1)]})
    with pytest.raises(ValueError, match="column `joined` has Arrow type Date32"):
        mp.match(mentees, [{"id": "m1"}])
    # The same column from pandas (numpy datetime64) carries through as text, as before.
    got = mp.match(mentees.to_pandas(), [{"id": "m1"}])
    assert len(got.pairs) == 1


def test_categorical_columns_read_as_text() -> None:
    """Dictionary-encoded strings (polars/pandas categoricals), including one with no values."""
    mentees = pa.table(
        {
            "id": ["e1", "e2"],
            "department": pa.array(["Finance", None]).dictionary_encode(),
            "office": pa.array([None, None], pa.dictionary(pa.int32(), pa.string())),
        }
    )
    got = mp.match(mentees, [{"id": "m1", "department": "Finance"}, {"id": "m2"}], exclude_same_department=True)
    assert dict(zip(got.pairs["mentee_id"], got.pairs["mentor_id"])) == {"e1": "m2", "e2": "m1"}
    assert "mentee_office" not in got.pairs.columns


def test_nested_list_cell_is_refused_with_its_row() -> None:
    with pytest.raises(ValueError, match=r"mentees row 2: column `goals` has invalid value .*nested"):
        mp.match(pa.table({"id": ["e1", "e2"], "goals": [[], [["b"]]]}), [{"id": "m1"}])


def test_results_to_polars_and_arrow(frames: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    result, _ = _run(*frames)
    as_polars = result.to_polars()
    assert isinstance(as_polars, pl.DataFrame)
    assert as_polars.columns == list(result.pairs.columns)
    assert as_polars["score"].to_list() == result.pairs["score"].tolist()
    as_arrow = result.to_arrow("unmatched")
    assert isinstance(as_arrow, pa.Table)
    assert as_arrow.column_names == list(result.unmatched.columns)
    assert as_arrow.num_rows == len(result.unmatched)
    assert result.to_polars("violations").height == 0
    with pytest.raises(ValueError, match="pairs, unmatched or violations"):
        result.to_arrow("scores")
    assert as_arrow.column("matched").to_pylist() == result.unmatched["matched"].tolist()
    assert all(math.isfinite(s) for s in as_polars["score"].to_list())


def test_pandas_string_columns_cross_as_arrow_with_the_same_result() -> None:
    """pandas' default ``str`` dtype is held by pyarrow: such a frame crosses as one Arrow stream,
    its strings read in place, and gives what the same frame as plain Python objects gives."""
    mentees, mentors = cohort(120, 40, seed=5, missing_share=0.1)
    assert any(isinstance(t, pd.StringDtype) and t.storage == "pyarrow" for t in mentees.dtypes)
    assert _source(mentees, "mentees")[0] == "arrow"
    as_objects = [df.astype(object) for df in (mentees, mentors)]
    assert _source(as_objects[0], "mentees")[0] == "columns"
    got, scores = _run(mentees, mentors)
    want, want_scores = _run(*as_objects)
    np.testing.assert_array_equal(scores, want_scores)
    pd.testing.assert_frame_equal(got.pairs, want.pairs)
    pd.testing.assert_frame_equal(got.unmatched, want.unmatched)


def test_pairs_cross_column_by_column_as_the_plain_data_says(frames: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    """The pairs DataFrame is built from the core's columns; rebuilt from the result's plain data
    (the independent path, ``MatchResult(result.to_dict())``) it is the same frame."""
    mentees, mentors = frames
    result = mp.match(mentees, mentors, protected=list(PROTECTED), reference_date="2026-03-02")
    again = mp.MatchResult(result.to_dict())
    pd.testing.assert_frame_equal(result.pairs, again.pairs)
    assert result.pairs["score"].dtype == np.float64 and result.pairs["pinned"].dtype == np.bool_
    assert result.pairs["match_percent"].dtype == np.int64
    assert again.summary == result.summary and again.timings == result.timings
    first = result.pairs.iloc[0]
    assert result.explain(first["mentee_id"], first["mentor_id"])["explanation"]["score"] == pytest.approx(
        first["score"]
    )


def test_a_frame_without_columns_has_no_ids_but_no_records_is_no_people() -> None:
    mentors = pd.DataFrame({"id": ["m1"], "capacity": [1]})
    with pytest.raises(mp.InputError, match="`id`") as info:
        mp.match(pd.DataFrame(), mentors)
    assert info.value.table == "mentees" and info.value.column == "id"
    assert len(mp.match([], mentors).pairs) == 0
