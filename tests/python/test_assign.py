"""`mentorpair.assign` against independent optima: scipy's linear_sum_assignment on a matrix
expanded by capacity (one side at most 1, plus zero-weight "unmatched" columns), and scipy's LP
solver (HiGHS) on the b-matching polytope, which is integral, for capacities on both sides."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import linear_sum_assignment, linprog

from mentorpair import assign

BONUS = 1e6  # coverage bonus per pair in the oracle: larger than any total of the small integer weights


def forbidden(w: np.ndarray, maximize: bool) -> np.ndarray:
    return np.isnan(w) | (w == (-np.inf if maximize else np.inf))


def random_problem(rng: np.random.Generator, n: int, m: int, max_row: int, max_col: int):
    w = rng.integers(-20, 21, size=(n, m)).astype(float)
    w[rng.random((n, m)) < 0.15] = np.nan
    rc = rng.integers(0, max_row + 1, size=n)
    cc = rng.integers(0, max_col + 1, size=m)
    return w, rc, cc


def check_feasible(w, rc, cc, rows, cols, maximize):
    assert rows.dtype == np.int64 and cols.dtype == np.int64
    pairs = list(zip(rows.tolist(), cols.tolist()))
    assert pairs == sorted(set(pairs)), "pairs sorted by row then column, none twice"
    if pairs:
        assert not forbidden(w, maximize)[rows, cols].any()
    assert (np.bincount(rows, minlength=w.shape[0]) <= rc).all()
    assert (np.bincount(cols, minlength=w.shape[1]) <= cc).all()


def lsa_oracle(w, rc, cc, maximize, objective):
    """Rows have capacity 0 or 1: copy column j cc[j] times, add one dummy column per row."""
    n, m = w.shape
    s = 1.0 if maximize else -1.0
    bonus = BONUS if objective == "coverage" else 0.0
    copies = np.repeat(np.arange(m), cc)
    real = s * w[:, copies] + bonus
    real[forbidden(w, maximize)[:, copies]] = -np.inf
    real[rc == 0, :] = -np.inf
    big = np.hstack([real, np.zeros((n, n))])
    r, c = linear_sum_assignment(big, maximize=True)
    keep = c < len(copies)
    return int(keep.sum()), float(w[r[keep], copies[c[keep]]].sum())


def lp_oracle(w, rc, cc, maximize, objective):
    """The b-matching LP (integral), lexicographic for coverage: first the count, then the total."""
    n, m = w.shape
    ok = ~forbidden(w, maximize)
    idx = np.argwhere(ok)
    k = len(idx)
    if k == 0:
        return 0, 0.0
    a_rows = np.zeros((n, k))
    a_cols = np.zeros((m, k))
    a_rows[idx[:, 0], np.arange(k)] = 1
    a_cols[idx[:, 1], np.arange(k)] = 1
    a_ub = np.vstack([a_rows, a_cols])
    b_ub = np.concatenate([rc, cc]).astype(float)
    vals = w[ok]
    s = 1.0 if maximize else -1.0
    a_eq = b_eq = None
    if objective == "coverage":
        first = linprog(-np.ones(k), A_ub=a_ub, b_ub=b_ub, bounds=(0, 1), method="highs")
        count = round(-first.fun)
        a_eq, b_eq = np.ones((1, k)), [count]
    res = linprog(-s * vals, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=(0, 1), method="highs")
    x = np.round(res.x)
    return int(x.sum()), float(vals @ x)


@pytest.mark.parametrize("objective", ["coverage", "score"])
@pytest.mark.parametrize("maximize", [True, False])
def test_matches_scipy_on_expanded_matrix(objective, maximize):
    rng = np.random.default_rng(2026 + 7 * maximize + (objective == "score"))
    for case in range(80):
        n, m = rng.integers(1, 16), rng.integers(1, 12)
        w, rc, cc = random_problem(rng, n, m, 1, 3)
        transpose = case % 2 == 1
        if transpose:  # the other side carries the capacities
            w, rc, cc = w.T.copy(), cc, rc
        if case % 5 == 0 and maximize:
            w[np.isnan(w)] = -np.inf  # the sign's own infinity also forbids
        rows, cols = assign(w, row_capacity=rc, col_capacity=cc, maximize=maximize, objective=objective)
        check_feasible(w, rc, cc, rows, cols, maximize)
        if transpose:
            count, total = lsa_oracle(w.T, cc, rc, maximize, objective)
        else:
            count, total = lsa_oracle(w, rc, cc, maximize, objective)
        if objective == "coverage":
            assert len(rows) == count, case
        assert w[rows, cols].sum() == total, case


@pytest.mark.parametrize("objective", ["coverage", "score"])
def test_matches_lp_with_capacities_on_both_sides(objective):
    rng = np.random.default_rng(11 if objective == "coverage" else 12)
    for case in range(40):
        maximize = bool(case % 2)
        n, m = rng.integers(1, 10), rng.integers(1, 10)
        w, rc, cc = random_problem(rng, n, m, 3, 3)
        rows, cols = assign(w, row_capacity=rc, col_capacity=cc, maximize=maximize, objective=objective)
        check_feasible(w, rc, cc, rows, cols, maximize)
        count, total = lp_oracle(w, rc, cc, maximize, objective)
        if objective == "coverage":
            assert len(rows) == count, case
        assert w[rows, cols].sum() == pytest.approx(total, abs=1e-6), case


def test_float_scores_match_scipy_one_to_one():
    rng = np.random.default_rng(5)
    for n in (5, 40, 120):
        scores = rng.random((n, 8)) @ rng.random((8, n)) / 8 + 0.01 * rng.random((n, n))
        rows, cols = assign(scores)
        r2, c2 = linear_sum_assignment(scores, maximize=True)
        assert len(rows) == n
        assert scores[rows, cols].sum() == pytest.approx(scores[r2, c2].sum(), rel=1e-12)


def test_score_objective_drops_harmful_pairs():
    scores = np.array([[3.0, 1.0], [np.nan, -2.0]])
    rows, cols = assign(scores, objective="score")
    assert rows.tolist() == [0] and cols.tolist() == [0]
    rows, cols = assign(scores)
    assert rows.tolist() == [0, 1] and cols.tolist() == [0, 1]


def test_dtypes_and_layouts_agree():
    rng = np.random.default_rng(3)
    ints = rng.integers(0, 50, size=(7, 9))
    expected = assign(ints.astype(np.float64), col_capacity=2)
    wide = np.zeros((7, 18))
    wide[:, ::2] = ints
    variants = [
        ints,
        ints.astype(np.int32),
        ints.astype(np.float32),
        ints.tolist(),
        np.asfortranarray(ints.astype(np.float64)),
        wide[:, ::2],  # non-contiguous view
        np.ascontiguousarray(ints.T.astype(float)).T,  # transposed view
    ]
    for v in variants:
        rows, cols = assign(v, col_capacity=2)
        np.testing.assert_array_equal(rows, expected[0])
        np.testing.assert_array_equal(cols, expected[1])
    rows, cols = assign(np.eye(3, dtype=bool))
    assert cols.tolist() == [0, 1, 2]


def test_capacity_forms():
    scores = np.arange(12, dtype=float).reshape(3, 4)
    a = assign(scores, row_capacity=2, col_capacity=[1, 1, 1, 1])
    b = assign(scores, row_capacity=np.array([2, 2, 2]), col_capacity=np.ones(4))
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    rows, cols = assign(scores, row_capacity=0)
    assert rows.size == 0 and cols.size == 0
    rows, _ = assign(scores, row_capacity=10**12, col_capacity=10**12)
    assert rows.size == 12
    rows, cols = assign(np.zeros((0, 3)))
    assert rows.size == 0


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"row_capacity": -1}, "row_capacity must be >= 0"),
        ({"col_capacity": [1, -2, 1]}, r"col_capacity\[1\] is -2"),
        ({"row_capacity": [1, 1]}, "row_capacity has 2 entries but scores has 3 rows"),
        ({"col_capacity": [1.5, 1, 1]}, "not a whole number"),
        ({"col_capacity": [[1, 1, 1]]}, "must be 1-D"),
        ({"row_capacity": True}, "bool"),
        ({"row_capacity": "two"}, "must be an int or a 1-D array of ints"),
        ({"row_capacity": ["a", "b", "c"]}, "must hold integers"),
        ({"objective": "fairness"}, "objective must be"),
    ],
)
def test_validation_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        assign(np.ones((3, 3)), **kwargs)


def test_bad_matrices():
    with pytest.raises(ValueError, match="2-D"):
        assign(np.ones(3))
    with pytest.raises(ValueError, match="numeric"):
        assign(np.array([["a", "b"]]))
    with pytest.raises(ValueError, match="invalid numeric entries"):
        assign(np.array([[1.0, np.inf]]))
    with pytest.raises(ValueError, match="invalid numeric entries"):
        assign(np.array([[1.0, -np.inf]]), maximize=False)
