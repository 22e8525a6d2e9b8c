"""mentorpair.match / score_matrix from Python: inputs in every form, errors, explanations, and
the optimum checked against scipy on an expanded matrix."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linear_sum_assignment

import mentorpair
from mentorpair import COMPONENTS

REF = "2026-03-02"
DEFAULT_WEIGHTS = {"goals": 0.35, "skills": 0.2, "availability": 0.2, "language": 0.15, "seniority": 0.1}


def random_cohort(seed: int, n_mentees: int, n_mentors: int, wanted_max: int = 1):
    rng = np.random.default_rng(seed)
    tags = ["leadership", "sql", "rust", "public speaking", "design", "ml"]
    zones = ["Europe/Berlin", "America/New_York", "Asia/Kolkata", "UTC"]
    days = ["Mon", "Tue", "Wed", "Thu", "Fri"]

    def person(pid: str, role: str) -> dict:
        g = rng.choice(tags, size=rng.integers(0, 4), replace=False)
        h = int(rng.integers(7, 17))
        p = {
            "id": pid,
            "goals": ";".join(f"{t}:{int(rng.integers(1, 3))}" for t in g),
            "skills": ";".join(f"{t}:{int(rng.integers(1, 6))}" for t in g),
            "availability": f"{days[rng.integers(0, 5)]} {h:02d}:00-{h + 2:02d}:00",
            "timezone": zones[rng.integers(0, 4)],
            "languages": ";".join(rng.choice(["en", "de", "pt"], size=rng.integers(1, 3), replace=False)),
            "level": int(rng.integers(1, 6)) if rng.random() > 0.1 else None,
            "department": f"d{rng.integers(0, 3)}",
            "manager_id": f"m{rng.integers(0, n_mentors)}" if rng.random() < 0.2 else None,
            "gender": rng.choice(["f", "m", "x"]),
        }
        if role == "mentor":
            p["capacity"] = int(rng.integers(1, 4))
        else:
            p["mentors_wanted"] = int(rng.integers(1, wanted_max + 1))
        return p

    mentees = [person(f"e{i}", "mentee") for i in range(n_mentees)]
    mentors = [person(f"m{j}", "mentor") for j in range(n_mentors)]
    return mentees, mentors


def test_inputs_in_every_form_give_the_same_result(tmp_path):
    mentees, mentors = random_cohort(1, 30, 12)
    as_lists = mentorpair.match(mentees, mentors, reference_date=REF, protected=["gender"])
    df_e, df_m = pd.DataFrame(mentees), pd.DataFrame(mentors)
    as_frames = mentorpair.match(df_e, df_m, reference_date=REF, protected=["gender"])
    df_e.to_csv(tmp_path / "mentees.csv", index=False)
    (tmp_path / "mentors.json").write_text(json.dumps(mentors))
    as_files = mentorpair.match(tmp_path / "mentees.csv", str(tmp_path / "mentors.json"),
                                reference_date=REF, protected=["gender"])
    for other in (as_frames, as_files):
        pd.testing.assert_frame_equal(as_lists.pairs, other.pairs)
    assert as_lists.violations.empty


def test_pairs_frame_components_and_extras():
    mentees = [{"id": "a", "goals": "sql;rust", "site": "Paris", "languages": "en"}]
    mentors = [{"id": "m", "goals": "rust", "room": 12, "languages": "en;de", "level": 3}]
    r = mentorpair.match(mentees, mentors, reference_date=REF)
    row = r.pairs.iloc[0]
    assert list(r.pairs.columns[:9]) == ["mentee_id", "mentor_id", "score", *COMPONENTS, "pinned"]
    assert row["mentee_site"] == "Paris" and row["mentor_room"] == 12  # types carried through
    # Goal priority (changed deliberately): rust, listed second, counts 1 / (1 + 0.5).
    assert row["goals"] == pytest.approx((1 / 1.5) / (1 + 1 / 1.5)) and row["language"] == 1.0
    # Components x weights add up to the score exactly (same order as the core sums).
    total = 0.0
    for c in COMPONENTS:
        total += row[c] * DEFAULT_WEIGHTS[c]
    assert total == row["score"]
    e = r.explain("a")
    assert e["unmatched"] is None
    comps = e["pairs"][0]["components"]
    assert sum(c["contribution"] for c in comps) == pytest.approx(e["pairs"][0]["score"], abs=1e-15)
    goals = next(c for c in comps if c["component"] == "goals")
    assert goals["evidence"]["shared"] == [["rust", pytest.approx(1 / 1.5)]]
    avail = next(c for c in comps if c["component"] == "availability")
    assert "no availability slots" in avail["missing"]
    json.dumps(r.to_dict())


@pytest.mark.parametrize(
    "column,value,needle",
    [
        ("timezone", "Europe/Berln", "IANA"),
        ("availability", "Mon 25:00-26:00", "within 00:00-24:00"),
        ("level", "senior", "integer"),
        ("capacity", -1, "whole number"),
        ("goals", "leadership:nan", "positive"),
    ],
)
def test_bad_values_raise_value_error_naming_everything(column, value, needle):
    mentors = [{"id": "m1"}, {"id": "m2", column: value}]
    with pytest.raises(ValueError) as exc:
        mentorpair.match([{"id": "a"}], mentors)
    msg = str(exc.value)
    for part in ("mentors row 2", '"m2"', f"`{column}`", str(value), needle):
        assert part in msg, (part, msg)


def test_structural_errors():
    with pytest.raises(ValueError, match='duplicate id "a"'):
        mentorpair.match([{"id": "a"}, {"id": "a"}], [{"id": "m"}])
    with pytest.raises(ValueError, match="missing required column `id`"):
        mentorpair.match([{"name": "a"}], [{"id": "m"}])
    with pytest.raises(mentorpair.ConfigError, match="`seniority_gap` = 0"):
        mentorpair.match([{"id": "a"}], [{"id": "m"}], weights={"goals": 1.0}, seniority_gap=0)
    with pytest.raises(mentorpair.ConfigError, match='`weights` = {"goals": -1.0}'):
        mentorpair.match([{"id": "a"}], [{"id": "m"}], weights={"goals": -1.0})
    with pytest.raises(mentorpair.ConfigError, match="`weights.goal`"):
        mentorpair.match([{"id": "a"}], [{"id": "m"}], weights={"goal": 1.0})
    with pytest.raises(ValueError, match="too large"):
        mentorpair.match([{"id": f"a{i}"} for i in range(100)], [{"id": "m"}], memory_limit_bytes=100)
    with pytest.raises(TypeError):
        mentorpair.match(42, [{"id": "m"}])


def test_empty_mentor_table_is_a_defined_result():
    r = mentorpair.match([{"id": "a"}], [])
    assert r.pairs.empty
    assert r.unmatched["reason"].tolist() == ["no_mentors"]


def test_score_matrix_marks_exclusions_nan_and_protected_columns_do_not_matter():
    mentees, mentors = random_cohort(2, 25, 10)
    opts = dict(reference_date=REF, exclude_same_department=True, protected=["gender"])
    frame = mentorpair.score_matrix(mentees, mentors, **opts)
    assert frame.index.name == "mentee_id" and frame.columns.name == "mentor_id"
    ei, mi, m = list(frame.index), list(frame.columns), frame.to_numpy()
    assert m.shape == (25, 10) and ei[0] == "e0" and mi[-1] == "m9"
    assert frame.loc["e0", "m9"] == m[0, 9] or np.isnan(m[0, 9])
    for i, e in enumerate(mentees):
        for j, t in enumerate(mentors):
            if e["department"] == t["department"] or e["manager_id"] == t["id"]:
                assert np.isnan(m[i, j])
    assert np.isfinite(m).any()
    rng = np.random.default_rng(0)
    shuffled = [dict(p, gender=g) for p, g in zip(mentees, rng.permutation([p["gender"] for p in mentees]))]
    m2 = mentorpair.score_matrix(shuffled, mentors, **opts).to_numpy()
    np.testing.assert_array_equal(m, m2)
    # A read-only view of the prepared problem's own matrix; copy=True gives a writeable one.
    assert not m.flags.writeable and m.dtype == np.float64
    assert frame.to_numpy(copy=True).flags.writeable


def scipy_optimum(m: np.ndarray, capacity: list[int]) -> tuple[int, float]:
    """Coverage optimum for one mentor per mentee: expand mentors by capacity, forbid NaN with a
    large penalty, and give every allowed pair a bonus that outweighs any score difference."""
    cols = [j for j, c in enumerate(capacity) for _ in range(c)]
    big = 1e3
    w = np.where(np.isnan(m[:, cols]), -1e9, m[:, cols] + big)
    r, c = linear_sum_assignment(w, maximize=True)
    ok = w[r, c] > 0
    return int(ok.sum()), float((w[r, c][ok] - big).sum())


@pytest.mark.parametrize("seed", range(6))
def test_optimum_matches_scipy_on_expanded_matrix(seed):
    mentees, mentors = random_cohort(seed, 40, 15)
    opts = dict(reference_date=REF, min_score=0.45, exclude_same_department=seed % 2 == 0)
    r = mentorpair.match(mentees, mentors, **opts)
    assert r.violations.empty
    m = mentorpair.score_matrix(mentees, mentors, **opts).to_numpy()
    n, total = scipy_optimum(m, [p["capacity"] for p in mentors])
    assert len(r.pairs) == n
    assert r.pairs["score"].sum() == pytest.approx(total, abs=1e-9)
    assert set(r.unmatched["reason"]) <= {"all_excluded", "below_min_score", "capacity_taken"}


def test_pins_forbid_and_reasons():
    mentees = [{"id": "a", "goals": "x"}, {"id": "b", "goals": "x", "manager_id": "m"}]
    mentors = [{"id": "m", "goals": "x"}, {"id": "n", "goals": "y"}]
    r = mentorpair.match(mentees, mentors, pin=[("a", "n")], reference_date=REF)
    got = dict(zip(r.pairs["mentee_id"], r.pairs["mentor_id"]))
    assert got == {"a": "n"}
    assert r.pairs["pinned"].tolist() == [True]
    assert r.unmatched.set_index("mentee_id").loc["b", "reason"] == "capacity_taken"
    other = r.explain("b", "m")
    assert other["excluded"] == "in each other's reporting line"
    with pytest.raises(ValueError, match=r'pinned pair \("b", "m"\)'):
        mentorpair.match(mentees, mentors, pin=[("b", "m")])
    r = mentorpair.match(mentees, mentors, forbid=[("a", "m"), ("a", "n")])
    assert r.unmatched[["mentee_id", "reason"]].values.tolist() == [["a", "all_excluded"]]
    assert "forbidden pair x2" in r.unmatched["detail"][0]


GRADES = ["AA", "AO", "EO", "HEO", "SEO", "Grade 7", "Grade 6", "SCS1", "SCS2", "SCS3", "SCS4"]
SHARED = __import__("pathlib").Path(__file__).resolve().parents[2].parent / "shared" / "data" / "peer-mentor-match"


@pytest.mark.parametrize("size", ["small", "large"])
def test_public_peer_mentor_data_mapped_to_the_schema(size):
    """A real programme's export (no `id` column) mapped to the schema with pandas."""
    folder = SHARED / size
    if not (folder / "mentees.csv").exists():
        pytest.skip(f"{folder} not present")
    with pytest.raises(ValueError, match="missing required column `id`"):
        mentorpair.match(folder / "mentees.csv", folder / "mentors.csv")
    raw_e = pd.read_csv(folder / "mentees.csv")
    raw_m = pd.read_csv(folder / "mentors.csv")

    def schema(df: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame({
            "id": df["email address"],
            "goals": df["profession"],
            "level": df["grade"].map(GRADES.index),
            "department": df["organisation"],
            "job title": df["job title"],
        })  # fmt: skip

    mentees = schema(raw_e).assign(identity=raw_e["identity to match"])
    mentors = schema(raw_m).assign(identity=raw_m["characteristics"], capacity=2)
    r = mentorpair.match(mentees, mentors, exclude_same_department=True, protected=["identity"],
                         seniority_gap=2, reference_date=REF)
    assert r.violations.empty
    assert len(r.pairs) == min(len(mentees), 2 * len(mentors))
    dept = dict(zip(mentees["id"], mentees["department"])) | dict(zip(mentors["id"], mentors["department"]))
    assert all(dept[a] != dept[b] for a, b in zip(r.pairs["mentee_id"], r.pairs["mentor_id"]))
    assert "mentee_job title" in r.pairs.columns and "mentee_identity" not in r.pairs.columns


def test_numeric_ids_and_gappy_integer_columns_from_pandas():
    mentees = pd.DataFrame({"id": [1, 2], "manager_id": [10, np.nan], "level": [1, np.nan], "goals": ["x", "x"]})
    mentors = pd.DataFrame({"id": [10, 11], "level": [3.0, 4.0], "goals": ["x", "x"], "capacity": [1, 1]})
    r = mentorpair.match(mentees, mentors, reference_date=REF)
    got = dict(zip(r.pairs["mentee_id"], r.pairs["mentor_id"]))
    # Mentee 1 reports to mentor 10 (given as the float 10.0 by pandas): never paired.
    assert got["1"] == "11" and got["2"] == "10"


@pytest.mark.parametrize("seed", range(3))
def test_score_objective_matches_scipy(seed):
    mentees, mentors = random_cohort(100 + seed, 30, 12)
    opts = dict(reference_date=REF, min_score=0.5)
    r = mentorpair.match(mentees, mentors, objective="score", **opts)
    assert r.violations.empty
    m = mentorpair.score_matrix(mentees, mentors, **opts).to_numpy()
    cols = [j for j, p in enumerate(mentors) for _ in range(p["capacity"])]
    w = np.nan_to_num(m[:, cols], nan=0.0)  # a forbidden pair adds nothing, like no pair
    rows, cs = linear_sum_assignment(w, maximize=True)
    assert r.pairs["score"].sum() == pytest.approx(w[rows, cs].sum(), abs=1e-9)
    cover = mentorpair.match(mentees, mentors, **opts)
    assert r.pairs["score"].sum() >= cover.pairs["score"].sum() - 1e-9
    assert len(r.pairs) <= len(cover.pairs)
