"""mentorpair.dask.match on a two-worker LocalCluster: the optimum of the single-machine
mentorpair.match (same total, every score to the bit), certified, partitioned any way; programmes
in parallel; errors."""

from __future__ import annotations

from collections.abc import Iterator
import math
from typing import Any

import numpy as np
import pandas as pd
import pytest

import mentorpair as mp
from mentorpair import dask as mpd
from mentorpair.synthetic import PROTECTED, cohort

distributed = pytest.importorskip("distributed")
dd = pytest.importorskip("dask.dataframe")

DATE = "2027-03-01"


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    # Worker processes, one thread each: the tasks run in other interpreters, as on a cluster
    # (tables and arrays are pickled across), and the Rust code threads inside each task.
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        worker_dashboard_address=None,
    ) as cluster, distributed.Client(cluster) as c:
        yield c


def _key(pairs: pd.DataFrame) -> list[tuple[str, str, float]]:
    return sorted(zip(pairs["mentee_id"], pairs["mentor_id"], pairs["score"].astype(float)))


def _scores(mentees: pd.DataFrame, mentors: pd.DataFrame) -> pd.DataFrame:
    """Every pair's score on one machine (the options of these tests change masks, not scores)."""
    return mp.Problem(mentees, mentors, protected=PROTECTED, reference_date=DATE).score_matrix()


def _same(result: mpd.DaskMatchResult, single: mp.MatchResult, matrix: pd.DataFrame) -> None:
    """One machine's optimum, from another route: certified, as many pairs, the same total score,
    and every pair's score one machine's score for it, to the bit. Where pairs tie exactly (the
    same score), the two routes may pick different ones of them, so the pairs themselves are
    compared through their scores only."""
    assert result.certificate.certified, result.certificate
    assert result.certificate.rounds >= 1
    assert result.certificate.pairs_checked > 0
    assert result.certificate.gap == 0.0 and result.certificate.coverage_gap == 0
    got, want = _key(result.pairs), _key(single.pairs)
    differ = sorted(set(got) ^ set(want))
    assert len(got) == len(want), differ
    total_got, total_want = math.fsum(p[2] for p in got), math.fsum(p[2] for p in want)
    assert total_got == pytest.approx(total_want, rel=1e-12, abs=1e-12), differ
    for mentee, mentor, score in got:
        assert score == float(matrix.at[mentee, mentor]), (mentee, mentor)
    assert len(result.pairs) > 0
    assert len(result.unmatched) == len(single.unmatched)


@pytest.mark.parametrize(
    ("n", "m", "seed", "nparts", "options"),
    [
        (150, 60, 1, 3, {}),
        (240, 90, 2, 4, {"objective": "score", "min_score": 0.25}),
        (90, 120, 3, 2, {"exclude_same_department": True}),
    ],
)
def test_dask_dataframes_match_like_one_machine(
    client: Any, n: int, m: int, seed: int, nparts: int, options: dict[str, Any]
) -> None:
    mentees, mentors = cohort(n, m, seed=seed)
    opts = {"protected": PROTECTED, "reference_date": DATE, **options}
    single = mp.match(mentees, mentors, **opts)
    got = mpd.match(
        dd.from_pandas(mentees, npartitions=nparts),
        dd.from_pandas(mentors, npartitions=2),
        client=client,
        k_mentee=2,
        k_mentor=1,
        **opts,
    )
    _same(got, single, _scores(mentees, mentors))
    assert got.summary["mentees"] == n and got.summary["mentors"] == m
    assert got.summary["pairs"] == len(single.pairs)


def test_pandas_partitions_pins_forbid_and_wishes(client: Any) -> None:
    mentees, mentors = cohort(120, 50, seed=7)
    single0 = mp.match(mentees, mentors, protected=PROTECTED, reference_date=DATE)
    first = single0.pairs.iloc[0]
    pin = [(str(first["mentee_id"]), str(first["mentor_id"]))]
    # Forbid a pair the first solve used elsewhere, so the forbid changes the answer.
    other = single0.pairs.iloc[5]
    forbid = [(str(other["mentee_id"]), str(other["mentor_id"]))]
    opts = {"protected": PROTECTED, "reference_date": DATE, "pin": pin, "forbid": forbid}
    single = mp.match(mentees, mentors, **opts)
    got = mpd.match(mentees, mentors, client=client, partition_rows=17, **opts)
    _same(got, single, _scores(mentees, mentors))
    assert got.pairs["pinned"].sum() == 1
    assert not ((got.pairs["mentee_id"] == forbid[0][0]) & (got.pairs["mentor_id"] == forbid[0][1])).any()


def test_in_process_without_a_client() -> None:
    mentees, mentors = cohort(80, 30, seed=11)
    opts = {"protected": PROTECTED, "reference_date": DATE}
    single = mp.match(mentees, mentors, **opts)
    # Outside the client fixture there may still be a default client; force this process.
    got = mpd._run(mpd._Here(), mentees, mentors, *mpd._options(opts), 25, None, None, None, None, None)
    _same(got, single, _scores(mentees, mentors))


def test_a_tight_round_budget_is_reported_not_certified(client: Any) -> None:
    mentees, mentors = cohort(200, 80, seed=5)
    opts = {"protected": PROTECTED, "reference_date": DATE}
    got = mpd.match(mentees, mentors, client=client, k_mentee=1, k_mentor=0, max_rounds=1, **opts)
    c = got.certificate
    if not c.certified:
        assert c.rounds == 1
        assert c.gap > 0 or c.coverage_gap > 0
    else:  # the top-1 candidates happened to hold the optimum
        assert _key(got.pairs) == _key(mp.match(mentees, mentors, **opts).pairs)


def test_by_programme_runs_programmes_independently(client: Any) -> None:
    a1, b1 = cohort(60, 25, seed=21)
    a2, b2 = cohort(70, 30, seed=22)
    a2 = a2.assign(id="p2-" + a2["id"].astype(str), manager_id=None)
    b2 = b2.assign(id="p2-" + b2["id"].astype(str), manager_id=None)
    for t in (a2,):
        t["preferred_mentors"] = None
        t["avoid_mentors"] = None
    b2["declined_mentees"] = None
    mentees = pd.concat([a1.assign(programme="north"), a2.assign(programme="south")], ignore_index=True)
    mentors = pd.concat([b1.assign(programme="north"), b2.assign(programme="south")], ignore_index=True)
    opts = {"protected": PROTECTED, "reference_date": DATE}
    got = mpd.match(dd.from_pandas(mentees, npartitions=3), mentors, client=client, by="programme", **opts)
    assert set(got.programmes) == {"north", "south"}
    assert got.certificate.certified
    for name, (a, b) in {"north": (a1, b1), "south": (a2, b2)}.items():
        single = mp.match(a.assign(programme=name), b.assign(programme=name), **opts)
        mine = got.pairs[got.pairs["programme"] == name]
        assert _key(mine) == _key(single.pairs)
    # No pair crosses programmes.
    prog = dict(zip(mentors["id"], mentors["programme"]))
    assert (got.pairs["mentor_id"].map(prog) == got.pairs["programme"]).all()


def test_bad_input_errors(client: Any) -> None:
    mentees, mentors = cohort(30, 12, seed=3)
    with pytest.raises(ValueError, match="no mentee has id 'nobody'|no mentee has id \"nobody\""):
        mpd.match(mentees, mentors, client=client, forbid=[("nobody", str(mentors["id"][0]))], partition_rows=10)
    twice = mentees.copy()
    twice.loc[20, "id"] = twice.loc[2, "id"]
    with pytest.raises(ValueError, match="appears twice"):
        mpd.match(twice, mentors, client=client, partition_rows=10)
    with pytest.raises(ValueError, match="fairness is not supported"):
        mpd.match(mentees, mentors, client=client, fairness="maximin")
    with pytest.raises(TypeError, match="unexpected keyword argument"):
        mpd.match(mentees, mentors, client=client, colour="red")
    with pytest.raises(ValueError, match="no column 'programme'"):
        mpd.match(mentees, mentors, client=client, by="programme")
    with pytest.raises(ValueError, match="k_mentee and k_mentor are both 0"):
        mpd.match(mentees, mentors, client=client, k_mentee=0, k_mentor=0)
    with pytest.raises(TypeError, match="must be a Dask or pandas DataFrame"):
        mpd.match(mentees, [{"id": "m1"}], client=client)
    bad = mentors.astype({"capacity": object})
    bad.loc[0, "capacity"] = "lots"
    with pytest.raises(mp.InputError, match="capacity") as info:
        mpd.match(mentees, bad, client=client)
    assert (info.value.table, info.value.column, info.value.value) == ("mentors", "capacity", "lots")
    late = mentees.astype({"level": object})
    late.loc[25, "level"] = "senior-ish"
    with pytest.raises(mp.InputError, match="level") as info:
        mpd.match(late, mentors, client=client, partition_rows=10)
    assert (info.value.table, info.value.column) == ("mentees", "level")
    with pytest.raises(mp.ConfigError) as config:
        mpd.match(mentees, mentors, client=client, reference_date="2026-02-30")
    assert config.value.option == "reference_date"


def test_scores_do_not_depend_on_the_partitioning(client: Any) -> None:
    mentees, mentors = cohort(100, 40, seed=9)
    opts = {"protected": PROTECTED, "reference_date": DATE}
    runs = [mpd.match(mentees, mentors, client=client, partition_rows=r, **opts) for r in (7, 100)]
    assert _key(runs[0].pairs) == _key(runs[1].pairs)
    assert np.isclose(runs[0].summary["total_score"], runs[1].summary["total_score"], rtol=0, atol=0)
