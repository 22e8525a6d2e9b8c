"""The sparse path from Python: solver="sparse" reaches the dense optimum with a certificate,
auto picks sparse when the dense matrices do not fit, and operations needing the dense matrix
fail with an error that says so."""

from __future__ import annotations

import math

import pytest

import mentorpair
from mentorpair import synthetic

P = list(synthetic.PROTECTED)


@pytest.mark.parametrize(("n", "m", "seed"), [(30, 12, 1), (120, 50, 2), (400, 160, 3)])
@pytest.mark.parametrize("objective", ["coverage", "score"])
def test_sparse_reaches_the_dense_optimum_with_a_certificate(n: int, m: int, seed: int, objective: str) -> None:
    mentees, mentors = synthetic.cohort(n, m, seed=seed)
    dense = mentorpair.match(mentees, mentors, protected=P, solver="dense", objective=objective)
    sparse = mentorpair.match(mentees, mentors, protected=P, solver="sparse", objective=objective)
    assert dense.certificate is None
    cert = sparse.certificate
    assert cert is not None and cert["certified"] is True and cert["gap"] == 0.0
    assert cert["rounds"] >= 1 and cert["candidates"] > 0
    assert len(dense.pairs) == len(sparse.pairs)
    assert math.isclose(dense.summary["total_score"], sparse.summary["total_score"], rel_tol=1e-9)
    assert sparse.violations.empty


def test_auto_takes_the_sparse_path_when_dense_does_not_fit() -> None:
    mentees, mentors = synthetic.cohort(1500, 600, seed=5)
    limit = 1500 * 600 * 8 + 1  # one dense matrix, not two
    p = mentorpair.Problem(mentees, mentors, protected=P, memory_limit_bytes=limit)
    assert p.solver == "sparse"
    assert mentorpair.Problem(mentees, mentors, protected=P, solver="dense").solver == "dense"
    with pytest.raises(ValueError, match="too large"):
        mentorpair.Problem(mentees, mentors, protected=P, solver="dense", memory_limit_bytes=limit)
    # The full score matrix on demand is the dense one.
    small_a, small_b = synthetic.cohort(40, 16, seed=4)
    a = mentorpair.Problem(small_a, small_b, protected=P, solver="sparse").score_matrix().to_numpy()
    b = mentorpair.Problem(small_a, small_b, protected=P, solver="dense").score_matrix().to_numpy()
    assert ((a == b) | ((a != a) & (b != b))).all()


def test_operations_needing_the_dense_matrix_say_so() -> None:
    mentees, mentors = synthetic.cohort(60, 24, seed=7)
    p = mentorpair.Problem(mentees, mentors, protected=P, solver="sparse")
    with pytest.raises(ValueError, match="needs the dense score matrix"):
        p.solve(fairness="maximin")
    r = p.solve()
    assert r.certificate is not None
    mentee = str(r.pairs["mentee_id"].iloc[0])
    mentor = str(r.pairs["mentor_id"].iloc[0])
    assert r.explain(mentee, mentor)["explanation"]["score"] > 0
    with pytest.raises(ValueError, match="sparse_max_rounds"):
        mentorpair.Problem(mentees, mentors, protected=P, solver="sparse", sparse_max_rounds=0)
    with pytest.raises(ValueError, match="`auto`, `dense`, `sparse`"):
        mentorpair.Problem(mentees, mentors, protected=P, solver="fast")
