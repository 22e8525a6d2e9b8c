"""Beyond exact tags from Python: embeddings, free text, learned weights, outcome histories."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import mentorpair
from mentorpair import _core
from mentorpair.synthetic import cohort, history


def test_embedding_similarity_matches_numpy_and_reads_in_place() -> None:
    rng = np.random.default_rng(0)
    a = rng.normal(size=(7, 16))
    b = rng.normal(size=(5, 16))
    b[2] = a[3] * 2.5
    values, zero_a, zero_b = mentorpair.embedding_similarity(a, b)
    want = (a / np.linalg.norm(a, axis=1, keepdims=True)) @ (b / np.linalg.norm(b, axis=1, keepdims=True)).T
    np.testing.assert_allclose(values, np.clip(want, 0.0, 1.0), atol=1e-12)
    assert values[3, 2] == pytest.approx(1.0, abs=1e-12)
    assert zero_a == [] and zero_b == []
    assert _core._embedding_address(a) == a.__array_interface__["data"][0]


def test_embedding_errors_and_zero_rows() -> None:
    a = np.ones((2, 3))
    with pytest.raises(mentorpair.MentorpairError, match="dimension 3 and mentors 4"):
        mentorpair.embedding_similarity(a, np.ones((2, 4)))
    bad = np.ones((2, 3))
    bad[1, 2] = np.nan
    with pytest.raises(ValueError, match="mentees row 1, column 2 is NaN"):
        mentorpair.embedding_similarity(bad, a)
    z = np.zeros((1, 3))
    values, zero_a, _ = mentorpair.embedding_similarity(z, a, neutral=0.3)
    assert zero_a == [0]
    assert values.tolist() == [[0.3, 0.3]]


def test_text_similarity_stems_and_blank_is_neutral() -> None:
    m = mentorpair.text_similarity(
        ["I want to get better at presenting", "   ", None],
        ["presentations to executives", "gardening", "I want to get better at presenting"],
    )
    assert m[0, 0] > m[0, 1] == 0.0
    assert m[0, 2] == 1.0
    assert (m[1] == 0.5).all() and (m[2] == 0.5).all()
    value, shared = _core.text_evidence(["presenting to leaders"], ["presentations for leadership"], 0, 0)
    assert value is not None and value > 0 and "presentations" in shared


def test_fit_weights_recovers_generator_weights_from_tables() -> None:
    mentees, mentors = cohort(300, 120, seed=5)
    true = {"goals": 0.5, "availability": 0.3, "language": 0.2}
    h = history(mentees, mentors, 6000, true, seed=2, reference_date="2026-03-02")
    assert list(h.columns[:3]) == ["mentee_id", "mentor_id", "outcome"]
    assert set(h["outcome"].unique()) == {0, 1}
    fit = mentorpair.fit_weights(h[["mentee_id", "mentor_id", "outcome"]], mentees, mentors, reference_date="2026-03-02")
    # Every component of the tables is learned (affinity and preference too: some mentees ask).
    comps = list(h.columns[3:])
    assert set(fit.weights) == set(comps) >= {"goals", "skills", "availability", "language", "seniority"}
    for name in comps:
        assert abs(fit.weights[name] - true.get(name, 0.0)) < 0.1, fit.report
    assert fit.metric == "auc" and fit.heldout is not None and fit.heldout > 0.6
    assert list(fit.report.columns) == ["component", "coefficient", "std_error", "z", "weight", "heldout", "note"]
    # The same from the component columns.
    again = mentorpair.fit_weights(h, components=comps)
    assert again.weights == pytest.approx(fit.weights, abs=1e-9)
    # Usable as match weights.
    # The wish columns name people beyond the first rows: drop them for the subset.
    wish = ["preferred_mentors", "avoid_mentors", "declined_mentees"]
    result = mentorpair.match(
        mentees.head(30).drop(columns=wish, errors="ignore"),
        mentors.head(15).drop(columns=wish, errors="ignore"),
        weights=fit.weights, protected=["gender", "age_band"], reference_date="2026-03-02"
    )
    assert result is not None
    assert "[weights]" in fit.to_toml()


def test_fit_weights_ratings_and_bad_input() -> None:
    rng = np.random.default_rng(1)
    x = rng.uniform(size=(3000, 2))
    latent = 10 * (0.7 * x[:, 0] + 0.3 * x[:, 1] - 0.5) + rng.logistic(size=3000)
    rating = 1 + (latent[:, None] > np.array([-2.2, -0.7, 0.7, 2.2])).sum(axis=1)
    h = pd.DataFrame({"mentee_id": [f"e{i}" for i in range(3000)], "mentor_id": "m", "outcome": rating})
    comps = pd.DataFrame({"a": x[:, 0], "b": x[:, 1]})
    fit = mentorpair.fit_weights(h, components=comps)
    assert fit.scale == "rating" and fit.metric == "spearman"
    assert fit.weights["a"] == pytest.approx(0.7, abs=0.04)
    bad = h.copy()
    bad.loc[4, "outcome"] = 9
    with pytest.raises(mentorpair.MentorpairError, match="row 5, column `outcome`"):
        mentorpair.fit_weights(bad, components=comps)
    dup = h.copy()
    dup.loc[7, "mentee_id"] = "e0"
    with pytest.raises(ValueError, match="row 8: pair \\(e0, m\\) already appears in row 1"):
        mentorpair.fit_weights(dup, components=comps)
    with pytest.raises(ValueError, match="too small"):
        mentorpair.fit_weights(h.head(30), components=comps.head(30))
    flat = h.assign(outcome=3)
    with pytest.raises(ValueError, match="no variance"):
        mentorpair.fit_weights(flat, components=comps)
    mentees, mentors = cohort(20, 8, seed=1)
    unknown = pd.DataFrame({"mentee_id": ["nobody"], "mentor_id": [mentors["id"][0]], "outcome": [1]})
    with pytest.raises(ValueError, match="row 1, column `mentee_id`: id `nobody`"):
        mentorpair.fit_weights(unknown, mentees, mentors)
