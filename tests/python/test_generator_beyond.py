"""The generator's fields beyond exact tags from Python, and weights learned for every component."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import mentorpair
from mentorpair.synthetic import BEYOND_TAGS, KNOBS, cohort, embedding_matrices, fingerprint, history

NEW = ["goals_text", "network", "target_areas", "learning_goals", "embedding"]
DATE = "2026-03-02"
PROTECTED = ["gender", "age_band"]


def _tags(df: pd.DataFrame) -> list[set[str]]:
    return [{g.split(":")[0].strip() for g in str(c).split(";") if g.strip()} for c in df["goals"]]


def test_knobs_default_off_and_the_old_columns_do_not_change() -> None:
    assert all(
        KNOBS[k] == 0 for k in ["goals_text_share", "network_share", "target_areas_share", "embedding_dim"]
    )
    plain_e, plain_m = cohort(200, 80, seed=42)
    assert not set(NEW) & (set(plain_e.columns) | set(plain_m.columns))
    on_e, on_m = cohort(200, 80, seed=42, **BEYOND_TAGS, embedding_dim=8)
    assert {"goals_text", "target_areas", "embedding"} <= set(on_e.columns)
    assert {"goals_text", "network", "learning_goals", "embedding"} <= set(on_m.columns)
    pd.testing.assert_frame_equal(on_e.drop(columns=[c for c in NEW if c in on_e]), plain_e)
    pd.testing.assert_frame_equal(on_m.drop(columns=[c for c in NEW if c in on_m]), plain_m)
    assert fingerprint(200, 80, seed=42) != fingerprint(200, 80, seed=42, goals_text_share=1.0)


def test_fields_are_deterministic_per_seed_and_bad_knobs_are_named() -> None:
    a = cohort(100, 40, seed=3, **BEYOND_TAGS, embedding_dim=4)
    b = cohort(100, 40, seed=3, **BEYOND_TAGS, embedding_dim=4)
    c = cohort(100, 40, seed=4, **BEYOND_TAGS, embedding_dim=4)
    for x, y in zip(a, b):
        pd.testing.assert_frame_equal(x, y)
    assert a[0]["goals_text"].tolist() != c[0]["goals_text"].tolist()
    assert len(a[0]["embedding"].iloc[0]) == 4
    with pytest.raises(ValueError, match="embedding_dim must be a whole number"):
        cohort(10, 4, embedding_dim=1.5)
    with pytest.raises(mentorpair.MentorpairError, match="goals_text_share"):
        cohort(10, 4, goals_text_share=2.0)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_text_scores_higher_for_pairs_sharing_a_goal(seed: int) -> None:
    mentees, mentors = cohort(120, 60, seed=seed, goals_text_share=1.0)
    m = mentorpair.text_similarity(mentees["goals_text"].tolist(), mentors["goals_text"].tolist())
    te, tm = _tags(mentees), _tags(mentors)
    share = np.array([[bool(a & b) for b in tm] for a in te])
    hi, lo = m[share].mean(), m[~share].mean()
    assert hi > 2.0 * lo and hi > lo + 0.03, (hi, lo)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_embeddings_of_the_same_goals_have_higher_cosine(seed: int) -> None:
    mentees, mentors = cohort(120, 60, seed=seed, embedding_dim=16)
    a, b, e_rest, m_rest = embedding_matrices(mentees, mentors)
    assert a.shape == (120, 16) and b.shape == (60, 16) and "embedding" not in e_rest
    cos = (a / np.linalg.norm(a, axis=1, keepdims=True)) @ (b / np.linalg.norm(b, axis=1, keepdims=True)).T
    te, tm = _tags(mentees), _tags(mentors)
    same = np.array([[x == y for y in tm] for x in te])
    disjoint = np.array([[not (x & y) for y in tm] for x in te])
    assert same.any()
    assert cos[same].mean() > cos[disjoint].mean() + 0.3, (cos[same].mean(), cos[disjoint].mean())
    # The matrices go straight into matching.
    wish = ["preferred_mentors", "avoid_mentors", "declined_mentees"]
    r = mentorpair.match(
        e_rest.drop(columns=wish, errors="ignore"),
        m_rest.drop(columns=wish, errors="ignore"),
        embeddings=(a, b),
        protected=["gender", "age_band"],
        reference_date=DATE,
    )
    assert r is not None


def test_fit_weights_from_tables_learns_every_component_and_recovers_the_truth() -> None:
    mentees, mentors = cohort(400, 160, seed=11, **BEYOND_TAGS)
    true = {"goals_text": 0.35, "open_doors": 0.25, "availability": 0.2, "goals": 0.2}
    h = history(mentees, mentors, 12_000, true, seed=4, reference_date=DATE, protected=PROTECTED)
    comps = list(h.columns[3:])
    for name in ["goals_text", "open_doors", "two_way", "affinity", "preference"]:
        assert name in comps
    fit = mentorpair.fit_weights(
        h[["mentee_id", "mentor_id", "outcome"]], mentees, mentors, reference_date=DATE, protected=PROTECTED
    )
    # Without the protected columns the tables have no data for affinity: left out, not an error.
    bare = history(mentees, mentors, 200, true, seed=4, reference_date=DATE)
    assert "affinity" not in bare.columns and "goals_text" in bare.columns
    assert set(fit.weights) == set(comps)
    # Stated tolerance, as in tests/generator_beyond.rs: within 0.08 at 12,000 pairs, the ranking
    # of goals_text over open_doors and their ratio within 25 %.
    for name in comps:
        assert abs(fit.weights[name] - true.get(name, 0.0)) < 0.08, fit.report
    assert fit.weights["goals_text"] > fit.weights["open_doors"]
    ratio = fit.weights["goals_text"] / fit.weights["open_doors"]
    assert abs(ratio / 1.4 - 1.0) < 0.25, ratio
    again = mentorpair.fit_weights(h, components=comps)
    assert again.weights == pytest.approx(fit.weights, abs=1e-9)
    # Directly passable to match.
    r = mentorpair.match(
        mentees, mentors, weights=fit.weights, protected=["gender", "age_band"], reference_date=DATE
    )
    assert r is not None


def test_history_and_fit_weights_read_every_match_option() -> None:
    """Match options beyond scoring (here a taxonomy) reach the learning frame: its component
    values are the ones matching's explanation gives under the same options."""
    mentees, mentors = cohort(40, 15, seed=2)
    taxonomy = pd.DataFrame(
        {"tag": ["leadership", "public speaking", "writing"], "group": ["voice", "voice", "voice"]}
    )
    opts: dict[str, object] = {"reference_date": "2026-03-02", "taxonomy": taxonomy}
    protected = list(mentorpair.synthetic.PROTECTED)
    h = history(mentees, mentors, 300, {"goals": 1.0, "availability": 0.5}, seed=1, protected=protected, **opts)
    plain = history(mentees, mentors, 300, {"goals": 1.0, "availability": 0.5}, seed=1, protected=protected)
    assert h["mentee_id"].tolist() == plain["mentee_id"].tolist()  # the same seeded pairs
    assert h["mentor_id"].tolist() == plain["mentor_id"].tolist()
    assert (h["goals"] > plain["goals"] + 1e-12).any(), "the taxonomy gives related goals credit"
    assert (h["goals"] >= plain["goals"] - 1e-12).all()
    problem = mentorpair.Problem(mentees, mentors, protected=protected, **opts)  # type: ignore[arg-type]
    for row in h.head(25).itertuples():
        explained = problem.explain(row.mentee_id, row.mentor_id)["explanation"]["components"]
        goals = next(c["value"] for c in explained if c["component"] == "goals")
        assert row.goals == pytest.approx(0.0 if goals is None else goals, abs=1e-12)
    fit = mentorpair.fit_weights(h[["mentee_id", "mentor_id", "outcome"]], mentees, mentors, protected=protected, **opts)
    assert fit.weights["goals"] > 0
    with pytest.raises(TypeError, match="unexpected keyword"):
        mentorpair.fit_weights(h, mentees, mentors, colour="red")
