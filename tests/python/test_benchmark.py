"""mentorpair.benchmark: strategies compared on quality metrics, checked against pandas/numpy."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mentorpair import benchmark, synthetic


@pytest.fixture(scope="module")
def frame():
    return benchmark.compare(n_mentees=150, n_mentors=60, seeds=3)


def test_columns_and_rows(frame):
    assert list(frame.columns) == benchmark.COLUMNS
    assert len(frame) == 3 * len(benchmark.available_strategies())
    assert set(frame["strategy"]) == {"optimal", "greedy", "random", "stable", "group_floor", "maximin"}
    assert sorted(set(frame["seed"])) == [0, 1, 2]


def test_quality_claims(frame):
    assert (frame["violations"] == 0).all()
    assert (frame.loc[frame["strategy"] == "stable", "blocking_pairs"] == 0).all()
    for _, runs in frame.groupby("seed"):
        best = runs.loc[runs["strategy"] == "optimal"].iloc[0]
        assert (runs["matched_share"] <= best["matched_share"] + 1e-12).all()
        same = runs[np.isclose(runs["matched_share"], best["matched_share"])]
        assert (same["total_score"] <= best["total_score"] + 1e-9).all()
    assert frame[["matched_share", "mentor_utilisation"]].stack().between(0, 1).all()


def test_metrics_match_pandas_on_the_pairs():
    mentees, mentors = synthetic.cohort(40, 15, seed=9)
    runs = benchmark.compare(cohorts=[(mentees, mentors)])
    pairs = benchmark.pairs(cohort=(mentees, mentors), seed=0)
    wanted = mentees["mentors_wanted"].sum()
    capacity = mentors["capacity"].sum()
    for name, got in runs.set_index("strategy").iterrows():
        p = pairs[pairs["strategy"] == name]
        s = p["score"].to_numpy()
        assert got["total_score"] == pytest.approx(s.sum())
        assert got["mean_score"] == pytest.approx(s.mean())
        assert got["median_score"] == pytest.approx(np.median(s))
        assert got["p10_score"] == pytest.approx(np.percentile(s, 10))
        assert got["min_score"] == pytest.approx(s.min())
        assert got["matched_share"] == pytest.approx(len(p) / wanted)
        assert got["mentor_utilisation"] == pytest.approx(len(p) / capacity)
        gaps = []
        for col in synthetic.PROTECTED:
            per = mentees.dropna(subset=[col]).groupby(col)["mentors_wanted"].sum()
            got_pairs = p.dropna(subset=[col]).groupby(col).size().reindex(per.index, fill_value=0)
            gaps.append((got_pairs / per).max() - (got_pairs / per).min())
        assert got["group_gap_match_rate"] == pytest.approx(max(gaps))
        mean_gaps = [p.groupby(col)["score"].mean() for col in synthetic.PROTECTED]
        assert got["group_gap_mean_score"] == pytest.approx(max(m.max() - m.min() for m in mean_gaps))


def test_unknown_strategy_is_a_value_error():
    with pytest.raises(ValueError, match="unknown strategy"):
        benchmark.compare(n_mentees=20, n_mentors=8, seeds=1, strategies=["best"])


def test_fairness_strategies_keep_coverage(frame):
    for _, runs in frame.groupby("seed"):
        by = runs.set_index("strategy")
        for name in ("group_floor", "maximin"):
            assert by.loc[name, "matched_share"] == pytest.approx(by.loc["optimal", "matched_share"])
        assert by.loc["maximin", "min_score"] >= by.loc["optimal", "min_score"] - 1e-12


def test_plot_scores_renders_png(tmp_path):
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    out = tmp_path / "scores.png"
    fig = benchmark.plot_scores(n_mentees=200, n_mentors=80, seed=1, group="gender", path=str(out))
    assert out.stat().st_size > 10_000
    assert len(fig.axes) == 2
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == benchmark.available_strategies()


def test_cohorts_from_files_give_the_same_runs(tmp_path):
    mentees, mentors = synthetic.cohort(60, 25, seed=4)
    mentees.to_csv(tmp_path / "mentees.csv", index=False)
    mentors.to_json(tmp_path / "mentors.json", orient="records")
    from_frames = benchmark.compare(cohorts=[(mentees, mentors)], strategies=["optimal", "stable"])
    from_files = benchmark.compare(
        cohorts=[(str(tmp_path / "mentees.csv"), str(tmp_path / "mentors.json"))], strategies=["optimal", "stable"]
    )
    cols = [c for c in benchmark.COLUMNS if c != "seconds"]
    pd.testing.assert_frame_equal(from_frames[cols], from_files[cols])
    p = benchmark.pairs(cohort=(str(tmp_path / "mentees.csv"), str(tmp_path / "mentors.json")))
    assert set(p.columns) == {"strategy", "mentee_id", "mentor_id", "score", "gender", "age_band"}
    assert p["gender"].notna().mean() > 0.9
