"""Beyond exact tags inside matching from Python: goals_text, embeddings, taxonomy, open doors."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

import mentorpair


def _people(prefix: str, n: int, **columns: list[Any]) -> pd.DataFrame:
    frame = pd.DataFrame({"id": [f"{prefix}{k}" for k in range(n)], "goals": ["sql"] * n})
    for name, values in columns.items():
        frame[name] = values
    return frame


def _component(explanation: dict[str, Any], name: str) -> dict[str, Any]:
    return next(c for c in explanation["components"] if c["component"] == name)


def test_goals_text_changes_the_optimum_and_explains_shared_terms() -> None:
    mentees = _people("e", 2, goals_text=["negotiating salaries and contracts", "public speaking on stage"])
    mentors = _people("m", 2, goals_text=["I coach public speaking", "contracts negotiation"])
    result = mentorpair.match(mentees, mentors, reference_date="2026-03-02")
    pairs = set(zip(result.pairs.mentee_id, result.pairs.mentor_id))
    assert pairs == {("e0", "m1"), ("e1", "m0")}
    assert "goals_text" in result.pairs.columns
    ex = result.explain("e1", "m0")["explanation"]
    text = _component(ex, "goals_text")
    assert "speaking" in text["evidence"]["shared"]
    # The same pair with the component weighted 0 scores as the built-ins alone.
    off = mentorpair.score_matrix(mentees, mentors, reference_date="2026-03-02", weights={"goals_text": 0})
    plain = mentorpair.score_matrix(mentees.drop(columns="goals_text"), mentors.drop(columns="goals_text"),
                                    reference_date="2026-03-02")
    np.testing.assert_array_equal(off.to_numpy(), plain.to_numpy())


def test_blank_goals_text_is_no_information() -> None:
    mentees = _people("e", 2, goals_text=["   ", "lead a team"])
    mentors = _people("m", 1, goals_text=["team leadership"])
    ex = mentorpair.Problem(mentees, mentors, reference_date="2026-03-02").explain("e0", "m0")
    part = _component(ex["explanation"], "goals_text")
    assert part["value"] == 0.5 and "no goals_text" in part["missing"]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_embedding_matrices_score_clamped_cosine(dtype: type) -> None:
    rng = np.random.default_rng(1)
    a = rng.normal(size=(6, 32)).astype(dtype)
    b = rng.normal(size=(4, 32)).astype(dtype)
    b[1] = a[2] * 4
    mentees, mentors = _people("e", 6), _people("m", 4)
    with_emb = mentorpair.score_matrix(mentees, mentors, reference_date="2026-03-02", embeddings=(a, b))
    base = mentorpair.score_matrix(mentees, mentors, reference_date="2026-03-02")
    w = 0.25  # default embedding weight; the built-in weights sum to 1
    cos = (a / np.linalg.norm(a, axis=1, keepdims=True)).astype(np.float64) @ (
        b / np.linalg.norm(b, axis=1, keepdims=True)
    ).astype(np.float64).T
    want = (base.to_numpy() * 1.0 + w * np.clip(cos, 0, 1)) / (1.0 + w)
    np.testing.assert_allclose(with_emb.to_numpy(), want, atol=1e-5)
    p = mentorpair.Problem(mentees, mentors, reference_date="2026-03-02", embeddings=(a, b))
    assert _component(p.explain("e2", "m1")["explanation"], "embedding")["value"] == pytest.approx(1.0, abs=1e-6)


def test_embedding_column_and_bad_input() -> None:
    mentees = _people("e", 2, embedding=[[1.0, 0.0], [0.0, 0.0]])
    mentors = _people("m", 1, embedding=[[1.0, 1.0]])
    p = mentorpair.Problem(mentees, mentors, reference_date="2026-03-02")
    zero = _component(p.explain("e1", "m0")["explanation"], "embedding")
    assert zero["value"] == 0.5 and "zero vector" in zero["missing"]
    with pytest.raises(ValueError, match=r"mentors row 1 \(id \"m0\"\).*3 entries"):
        mentorpair.match(mentees, _people("m", 1, embedding=[[1.0, 1.0, 1.0]]))
    with pytest.raises(ValueError, match=r"mentees row 2.*is NaN"):
        mentorpair.match(_people("e", 2), _people("m", 1), embeddings=(np.array([[1.0], [np.nan]]), np.ones((1, 1))))
    with pytest.raises(ValueError, match="mentors matrix has 2 rows but the mentors table has 1"):
        mentorpair.match(_people("e", 1), _people("m", 1), embeddings=(np.ones((1, 3)), np.ones((2, 3))))
    with pytest.raises(ValueError, match="given twice"):
        mentorpair.match(mentees, mentors, embeddings=(np.ones((2, 2)), np.ones((1, 2))))


def test_taxonomy_forms_and_conflicts() -> None:
    mentees = pd.DataFrame({"id": ["e"], "goals": ["public speaking"]})
    mentors = pd.DataFrame({"id": ["m"], "goals": ["presenting"]})
    forms: list[Any] = [
        [["public speaking", "presenting"]],
        [{"tags": ["public speaking", "presenting"], "credit": 0.5}],
        {"public speaking": "talks", "presenting": "talks"},
        pd.DataFrame({"tag": ["public speaking", "presenting"], "group": ["talks", "talks"]}),
    ]
    for form in forms:
        p = mentorpair.Problem(mentees, mentors, reference_date="2026-03-02", taxonomy=form)
        goals = _component(p.explain("e", "m")["explanation"], "goals")
        assert goals["value"] == 0.5
        assert goals["evidence"]["related"] == [["public speaking", "presenting", 0.5]]
    conflict = pd.DataFrame({"tag": ["a", "b", "a"], "group": ["x", "x", "y"]})
    with pytest.raises(ValueError, match=r"tag `a` is in group `x` \(row 1\) and in group `y` \(row 3\)"):
        mentorpair.match(mentees, mentors, taxonomy=conflict)
    with pytest.raises(ValueError, match="klingon"):
        mentorpair.match(mentees, mentors, text_language="klingon")


def test_open_doors_and_two_way() -> None:
    mentees = pd.DataFrame({"id": ["e"], "target_areas": [["finance", "legal"]], "skills": ["sql:4"]})
    mentors = pd.DataFrame({"id": ["m", "n"], "network": ["finance", "hr"], "learning_goals": ["sql", "rust"]})
    p = mentorpair.Problem(mentees, mentors, reference_date="2026-03-02", weights={"two_way": 0.2})
    ex = p.explain("e", "m")["explanation"]
    doors = _component(ex, "open_doors")
    assert doors["value"] == 0.5
    assert doors["evidence"]["introductions"] == [["finance", "finance", 1.0]]
    assert _component(ex, "two_way")["value"] == 1.0
    assert _component(p.explain("e", "n")["explanation"], "two_way")["value"] == 0.0
