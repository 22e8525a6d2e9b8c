"""mentorpair.linear_sum_assignment against scipy's: inputs, errors, optima, GIL, fork, no copy.

scipy is the oracle: for every input both either raise the same exception type with the same
message, or return assignments of the same optimal value (indices may differ only on ties).
"""

from __future__ import annotations

import ast
import doctest
import multiprocessing
import os
import subprocess
import sys
import threading
import time
from typing import Any, Callable

import numpy as np
import pytest

import mentorpair
from mentorpair import _core, _lsap, linear_sum_assignment

# --------------------------------------------------------------------------------------------
# Helpers


def _outcome(solver: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[str, Any]:
    """("ok", (rows, cols)) or ("raise", exception)."""
    try:
        return "ok", solver(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001 - the exception itself is the result under test
        return "raise", exc


def _total(cost: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> float:
    return float(cost[rows, cols].sum()) if len(rows) else 0.0


def assert_valid_assignment(
    cost: np.ndarray, rows: np.ndarray, cols: np.ndarray, maximize: bool
) -> None:
    """The contract scipy documents: int64 arrays, sorted rows, a matching of the smaller side."""
    n_rows, n_cols = cost.shape
    k = min(n_rows, n_cols)
    assert isinstance(rows, np.ndarray) and isinstance(cols, np.ndarray)
    assert rows.dtype == np.int64 and cols.dtype == np.int64
    assert rows.shape == (k,) and cols.shape == (k,)
    assert np.all(np.diff(rows) > 0), "row indices must be strictly increasing"
    assert len(np.unique(cols)) == k, "a column is used twice"
    assert np.all((0 <= rows) & (rows < n_rows)) and np.all((0 <= cols) & (cols < n_cols))
    if n_rows <= n_cols:
        np.testing.assert_array_equal(rows, np.arange(n_rows))
    if k:
        forbidden = -np.inf if maximize else np.inf
        assert not np.any(cost[rows, cols] == forbidden), "a forbidden pair was assigned"


def assert_agrees_with_scipy(
    scipy_lsa: Callable[..., Any], cost: Any, maximize: bool = False
) -> None:
    """Same exception (type and message) or the same optimal total as scipy."""
    theirs = _outcome(scipy_lsa, cost, maximize=maximize)
    ours = _outcome(linear_sum_assignment, cost, maximize=maximize)
    if theirs[0] == "raise":
        assert ours[0] == "raise", f"scipy raised {theirs[1]!r}, mentorpair returned {ours[1]}"
        assert isinstance(ours[1], type(theirs[1])), (ours[1], theirs[1])
        assert str(ours[1]) == str(theirs[1])
        return
    assert ours[0] == "ok", f"scipy solved it, mentorpair raised {ours[1]!r}"
    matrix = np.asarray(cost, dtype=np.float64)
    rows, cols = ours[1]
    assert_valid_assignment(matrix, rows, cols, maximize)
    expected = _total(matrix, *theirs[1])
    got = _total(matrix, rows, cols)
    if got == expected:  # also covers totals that overflow to the same infinity
        return
    finite = matrix[np.isfinite(matrix)]
    scale = float(np.abs(finite).sum()) if finite.size else 0.0
    assert abs(got - expected) <= 1e-12 * max(1.0, scale), (got, expected)


# --------------------------------------------------------------------------------------------
# Accepted inputs and error messages, input by input


def _gen() -> Any:
    return (x for x in [[1.0]])


class _ArrayLike:
    """An object with ``__array__`` only (as pandas and xarray objects are)."""

    def __init__(self, data: Any) -> None:
        self._data = np.asarray(data)

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        return self._data if dtype is None else self._data.astype(dtype)


def _pandas() -> Any:
    return pytest.importorskip("pandas")


_unaligned = np.frombuffer(np.zeros(8 * 9 + 1, np.uint8).tobytes(), np.uint8)[1:].view(np.float64)

INPUTS: dict[str, Callable[[], Any]] = {
    "list": lambda: [[4, 1, 3], [2, 0, 5], [3, 2, 2]],
    "tuple": lambda: ((1, 2), (3, 4)),
    "list_of_numeric_strings": lambda: [["1", "2"], ["3", "0.5"]],
    "list_of_bad_strings": lambda: [["a", "2"], ["3", "4"]],
    "list_mixed": lambda: [[1, "a"]],
    "list_ragged": lambda: [[1, 2], [3]],
    "list_complex": lambda: [[1j, 2]],
    "list_none": lambda: [[None, 1.0]],
    "list_huge_int": lambda: [[10**400, 1], [1, 1]],
    "list_of_arrays": lambda: [np.arange(3.0), np.arange(3.0)[::-1]],
    "list_empty": lambda: [],
    "list_of_empty": lambda: [[]],
    "scalar": lambda: 5.0,
    "none": lambda: None,
    "dict": lambda: {"a": 1},
    "string": lambda: "12",
    "generator": _gen,
    "1d": lambda: np.arange(3.0),
    "3d": lambda: np.zeros((2, 2, 2)),
    "0d_array": lambda: np.array(3.0),
    "memoryview": lambda: memoryview(np.eye(3)),
    "memoryview_complex": lambda: memoryview(np.ones((2, 2), complex)),
    "array_like": lambda: _ArrayLike([[1.0, 2.0], [3.0, 0.0]]),
    "array_like_strings": lambda: _ArrayLike([["a", "b"], ["c", "d"]]),
    "dataframe": lambda: _pandas().DataFrame([[1, 2], [3, 0]]),
    "dataframe_mixed": lambda: _pandas().DataFrame({"a": [1.0, 2.0], "b": [True, False]}),
    "dataframe_strings": lambda: _pandas().DataFrame([["a", "b"], ["c", "d"]]),
    "series": lambda: _pandas().Series([1.0, 2.0]),
    "matrix": lambda: np.matrix([[1.0, 2.0], [3.0, 0.0]]),
    "masked": lambda: np.ma.array(np.eye(3), mask=np.eye(3, dtype=bool)),
    "big_endian": lambda: np.array([[3.0, 1.0], [1.0, 3.0]], dtype=">f8"),
    "unaligned": lambda: _unaligned.reshape(3, 3),
    "readonly": lambda: np.frombuffer(np.arange(9.0).tobytes()).reshape(3, 3),
    "fortran": lambda: np.asfortranarray(np.arange(12.0).reshape(3, 4) % 5),
    "transposed": lambda: (np.arange(12.0).reshape(3, 4) % 5).T,
    "strided": lambda: (np.arange(60.0).reshape(6, 10) % 7)[::2, ::3],
    "negative_strides": lambda: (np.arange(20.0).reshape(4, 5) % 6)[::-1, ::-2],
    "float32": lambda: np.array([[0.5, 0.25], [0.125, 1.0]], dtype=np.float32),
    "float16": lambda: np.array([[0.5, 0.25], [0.125, 1.0]], dtype=np.float16),
    "longdouble": lambda: np.ones((2, 2), np.longdouble),
    "complex": lambda: np.ones((2, 2), complex),
    "object": lambda: np.ones((2, 2), dtype=object),
    "unicode": lambda: np.identity(3).astype(str),
    "bytes": lambda: np.identity(3).astype("S3"),
    "datetime": lambda: np.ones((2, 2), "datetime64[s]"),
    "timedelta": lambda: np.ones((2, 2), "timedelta64[s]"),
    "structured": lambda: np.zeros((2, 2), dtype=[("a", float)]),
    "empty_0x0": lambda: np.empty((0, 0)),
    "empty_0x3": lambda: np.empty((0, 3)),
    "empty_3x0": lambda: np.empty((3, 0)),
    "empty_unicode": lambda: np.empty((0, 3), dtype=str),
    "nan": lambda: np.diag([np.nan, 1, 1]),
    "neg_inf": lambda: np.diag([1, -np.inf, 1]),
    "all_inf": lambda: np.full((2, 2), np.inf),
    "inf_column": lambda: np.where(np.arange(3) == 0, np.inf, np.eye(3)),
    "nan_and_infeasible": lambda: np.array([[np.inf, np.inf], [np.nan, 1.0]]),
    "infeasible_wide": lambda: np.array([[np.inf, np.inf, 1.0], [np.inf, np.inf, 2.0]]),
    "infeasible_tall": lambda: np.array([[np.inf, np.inf, 1.0], [np.inf, np.inf, 2.0]]).T,
    "forbidden_but_feasible": lambda: np.array([[np.inf, 1.0], [2.0, np.inf]]),
}


@pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")  # np.matrix
@pytest.mark.parametrize("maximize", [False, True])
@pytest.mark.parametrize("name", sorted(INPUTS))
def test_input_behaves_like_scipy(scipy_lsa: Any, name: str, maximize: bool) -> None:
    assert_agrees_with_scipy(scipy_lsa, INPUTS[name](), maximize)


_DTYPES = sorted(set(np.typecodes["All"]) - {"V"})


@pytest.mark.parametrize("maximize", [False, True])
@pytest.mark.parametrize("code", _DTYPES)
def test_every_dtype_behaves_like_scipy(scipy_lsa: Any, code: str, maximize: bool) -> None:
    base = np.array([[3, 1, 2], [2, 3, 1], [0, 2, 3]])
    cost = base.astype("datetime64[D]" if code == "M" else code)
    assert_agrees_with_scipy(scipy_lsa, cost, maximize)


@pytest.mark.parametrize(
    "maximize",
    [0, 1, "", "yes", None, [], [0], np.bool_(True), np.float64(0.0)],
)
def test_maximize_truthiness_like_scipy(scipy_lsa: Any, maximize: Any) -> None:
    cost = np.array([[1.0, 5.0], [4.0, 2.0]])
    np.testing.assert_array_equal(
        linear_sum_assignment(cost, maximize), scipy_lsa(cost, maximize)
    )


def test_maximize_without_truth_value_raises_like_scipy(scipy_lsa: Any) -> None:
    cost = np.eye(2)
    with pytest.raises(ValueError) as theirs:
        scipy_lsa(cost, np.array([1, 2]))
    with pytest.raises(ValueError) as ours:
        linear_sum_assignment(cost, np.array([1, 2]))
    assert str(ours.value) == str(theirs.value)


def test_keyword_arguments_like_scipy() -> None:
    rows, cols = linear_sum_assignment(cost_matrix=[[1, 5], [4, 2]], maximize=True)
    np.testing.assert_array_equal(cols, [1, 0])


def test_docstring_example_runs() -> None:
    results = doctest.testmod(_lsap, verbose=False)
    assert results.attempted >= 4 and results.failed == 0, results


def test_returns_a_tuple_of_fresh_writeable_int64_arrays() -> None:
    result = linear_sum_assignment(np.eye(3))
    assert isinstance(result, tuple) and len(result) == 2
    for arr in result:
        assert arr.dtype == np.int64 and arr.flags.writeable and arr.flags.c_contiguous


# --------------------------------------------------------------------------------------------
# Errors: scipy's message, mentorpair's class, the details chained


def test_invalid_entry_keeps_scipy_message_and_chains_the_location() -> None:
    cost = np.ones((3, 4))
    cost[1, 2] = np.nan
    with pytest.raises(mentorpair.InvalidEntryError) as info:
        linear_sum_assignment(cost)
    assert str(info.value) == "matrix contains invalid numeric entries"
    cause = str(info.value.__cause__)
    assert "row 1" in cause and "column 2" in cause, cause


def test_infeasible_keeps_scipy_message_and_chains_details() -> None:
    cost = np.ones((3, 3))
    cost[:, 0] = np.inf
    cost[0, :] = np.inf
    with pytest.raises(mentorpair.InfeasibleError) as info:
        linear_sum_assignment(cost)
    assert str(info.value) == "cost matrix is infeasible"
    assert isinstance(info.value.__cause__, mentorpair.InfeasibleError)
    assert str(info.value.__cause__).startswith("cost matrix is infeasible: ")


def test_error_classes_are_value_errors() -> None:
    for cls in (
        mentorpair.InvalidEntryError,
        mentorpair.InfeasibleError,
        mentorpair.ShapeError,
        mentorpair.CapacityError,
    ):
        assert issubclass(cls, mentorpair.MentorpairError)
        assert cls.__module__ == "mentorpair"
    assert issubclass(mentorpair.MentorpairError, ValueError)


def test_core_refuses_anything_but_float64_matrices() -> None:
    """Conversion happens once, in Python: the compiled core never converts silently."""
    with pytest.raises(TypeError):
        _core.solve_dense(np.ones((2, 2), np.float32))
    with pytest.raises(TypeError):
        _core.solve_dense(np.ones(3))
    with pytest.raises(TypeError):
        _core.solve_dense([[1.0, 2.0], [3.0, 4.0]])


# --------------------------------------------------------------------------------------------
# Agreement on hundreds of seeded random and structured matrices


def _family(name: str, rng: np.random.Generator, shape: tuple[int, int]) -> np.ndarray:
    if name == "uniform":
        return rng.random(shape)
    if name == "integers":
        return rng.integers(0, 1000, shape).astype(np.float64)
    if name == "ties":
        return rng.integers(0, 3, shape).astype(np.float64)
    if name == "constant":
        return np.full(shape, float(rng.integers(-5, 5)))
    if name == "negative":
        return -rng.random(shape) * 1e3
    if name == "huge":
        return rng.uniform(-1e15, 1e15, shape)
    if name == "extreme":
        return rng.uniform(-1e300, 1e300, shape)
    if name == "tiny":
        return rng.random(shape) * 1e-300
    if name == "mixed_sign":
        return rng.normal(0.0, 1e6, shape).round(2)
    if name == "low_rank":
        k = 3
        return rng.random((shape[0], k)) @ rng.random((k, shape[1])) + 1e-3 * rng.random(shape)
    if name == "forbidden_sparse":
        cost = rng.integers(1, 50, shape).astype(np.float64)
        cost[rng.random(shape) < 0.3] = np.inf
        return cost
    if name == "forbidden_dense":  # often infeasible: both must then raise the same error
        cost = rng.integers(1, 50, shape).astype(np.float64)
        cost[rng.random(shape) < 0.8] = np.inf
        return cost
    raise AssertionError(name)


_FAMILIES = [
    "uniform",
    "integers",
    "ties",
    "constant",
    "negative",
    "huge",
    "extreme",
    "tiny",
    "mixed_sign",
    "low_rank",
    "forbidden_sparse",
    "forbidden_dense",
]
_SHAPES = [(1, 1), (2, 5), (7, 7), (13, 4), (30, 30), (25, 60), (64, 17), (80, 80)]


@pytest.mark.parametrize("maximize", [False, True])
@pytest.mark.parametrize("shape", _SHAPES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("family", _FAMILIES)
def test_random_matrices_agree_with_scipy(
    scipy_lsa: Any, family: str, shape: tuple[int, int], maximize: bool
) -> None:
    rng = np.random.default_rng([_FAMILIES.index(family), shape[0], shape[1], int(maximize)])
    for _ in range(3):
        cost = _family(family, rng, shape)
        if maximize and family.startswith("forbidden"):
            cost = -cost
        assert_agrees_with_scipy(scipy_lsa, cost, maximize)


def test_constant_matrix_gives_identity_like_scipy() -> None:
    for n, m in [(8, 8), (5, 9), (9, 5)]:
        rows, cols = linear_sum_assignment(np.ones((n, m)))
        np.testing.assert_array_equal(rows, np.arange(min(n, m)))
        np.testing.assert_array_equal(cols, np.arange(min(n, m)))


def test_orlib_dense_instances_reach_known_optima(shared_data: Any) -> None:
    folder = shared_data / "orlib"
    optima: dict[str, int] = {}
    for line in (folder / "assignopt.txt").read_text().splitlines()[1:]:
        parts = line.split()
        if len(parts) == 2 and parts[0].startswith("assign"):
            optima[parts[0]] = int(parts[1])
    checked = 0
    for name in ["assign100", "assign200", "assign400", "assign800"]:
        numbers = np.array((folder / f"{name}.txt").read_text().split(), dtype=np.int64)
        n = int(numbers[0])
        cost = numbers[1 : 1 + n * n].reshape(n, n)
        rows, cols = linear_sum_assignment(cost)
        assert int(cost[rows, cols].sum()) == optima[name], name
        checked += 1
    assert checked == 4


# --------------------------------------------------------------------------------------------
# Property test: any small matrix of integers and infinities


try:
    from hypothesis import given, settings
    from hypothesis import strategies as st
    from hypothesis.extra import numpy as hnp
except ImportError:  # pragma: no cover - hypothesis is in requirements-dev.txt

    def test_property_agrees_with_scipy() -> None:
        pytest.skip("hypothesis is not installed")

else:
    _entries = st.one_of(
        st.integers(-20, 20).map(float),
        st.sampled_from([np.inf, -np.inf, 0.0, 0.5, -0.5, 1e12]),
    )
    _small_matrices = hnp.arrays(
        np.float64,
        hnp.array_shapes(min_dims=2, max_dims=2, min_side=0, max_side=7),
        elements=_entries,
    )

    @settings(max_examples=300, deadline=None, derandomize=True)
    @given(cost=_small_matrices, maximize=st.booleans())
    def test_property_agrees_with_scipy(scipy_lsa: Any, cost: np.ndarray, maximize: bool) -> None:
        assert_agrees_with_scipy(scipy_lsa, cost, maximize)


# --------------------------------------------------------------------------------------------
# No copy on the way in


@pytest.fixture
def solver_inputs(monkeypatch: pytest.MonkeyPatch) -> list[np.ndarray]:
    """Every matrix the Python layer hands to ``_core.solve_dense``, in call order."""
    seen: list[np.ndarray] = []
    real = _core.solve_dense

    def spy(matrix: np.ndarray, maximize: bool = False) -> Any:
        seen.append(matrix)
        return real(matrix, maximize)

    monkeypatch.setattr(_core, "solve_dense", spy)
    return seen


def test_c_contiguous_float64_reaches_the_solver_without_copy(
    solver_inputs: list[np.ndarray],
) -> None:
    cost = np.random.default_rng(3).random((50, 40))
    linear_sum_assignment(cost)
    seen = solver_inputs
    assert seen[0] is cost, "the Python layer copied a C-contiguous float64 input"
    # ... and the compiled side reads that very buffer.
    assert _core._data_address(cost) == cost.ctypes.data


def test_other_layouts_are_converted_once_to_c_float64(solver_inputs: list[np.ndarray]) -> None:
    seen = solver_inputs
    base = np.random.default_rng(4).random((9, 12))
    for variant in (base.T, np.asfortranarray(base), base[::2, ::3], base.astype(np.float32)):
        linear_sum_assignment(variant)
        matrix = seen.pop()
        assert matrix.dtype == np.float64 and matrix.flags.c_contiguous and matrix.flags.aligned
        np.testing.assert_array_equal(matrix, variant.astype(np.float64))
        assert _core._data_address(matrix) == matrix.ctypes.data


def test_as_cost_matrix_returns_the_same_object_when_nothing_to_do() -> None:
    cost = np.zeros((4, 5))
    assert _lsap.as_cost_matrix(cost) is cost
    assert not np.shares_memory(_lsap.as_cost_matrix(cost.T), cost)


# --------------------------------------------------------------------------------------------
# The GIL is released while solving


def _slow_enough_matrix(min_seconds: float) -> np.ndarray:
    """A uniform matrix whose solve takes at least ``min_seconds`` here (size found by doubling)."""
    rng = np.random.default_rng(11)
    n = 500
    while True:
        cost = rng.random((n, n))
        start = time.perf_counter()
        linear_sum_assignment(cost)
        if time.perf_counter() - start >= min_seconds or n >= 4000:
            return cost
        n *= 2


def test_other_python_threads_run_during_a_solve() -> None:
    cost = _slow_enough_matrix(0.25)
    ticks: list[float] = []
    stop = threading.Event()

    def ticker() -> None:
        while not stop.is_set():
            time.sleep(0.005)
            ticks.append(time.perf_counter())  # runs only once this thread holds the GIL again

    thread = threading.Thread(target=ticker, daemon=True)
    thread.start()
    time.sleep(0.05)
    start = time.perf_counter()
    linear_sum_assignment(cost)
    end = time.perf_counter()
    stop.set()
    thread.join()
    inside = [t for t in ticks if start + 0.02 < t < end - 0.02]
    assert len(inside) >= 5, (
        f"another thread ticked {len(inside)} times during a {end - start:.3f} s solve: "
        "the GIL was held"
    )


# --------------------------------------------------------------------------------------------
# fork(): a child process must not wait on the parent's rayon threads


def _solve_in_child(conn: Any, n: int, nested: bool) -> None:
    cost = np.random.default_rng(5).random((n, n))
    threads = _core._solver_threads()
    rows, cols = linear_sum_assignment(cost)
    grandchild = None
    if nested:  # a grandchild inherits this child's pool record but not its thread
        ctx = multiprocessing.get_context("fork")
        inner_parent, inner_child = ctx.Pipe()
        proc = ctx.Process(target=_solve_in_child, args=(inner_child, n, False))
        proc.start()
        proc.join(60)
        grandchild = inner_parent.recv() if inner_parent.poll(1) else None
        if proc.is_alive():
            proc.kill()
    conn.send((threads, float(cost[rows, cols].sum()), grandchild))
    conn.close()


@pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="no fork on this platform"
)
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_solving_in_a_forked_child_after_the_parent_used_rayon() -> None:
    n = 600
    parent_threads = _core._solver_threads()  # starts rayon's global pool in this process
    assert parent_threads >= 1
    cost = np.random.default_rng(5).random((n, n))
    rows, cols = linear_sum_assignment(cost)
    expected = float(cost[rows, cols].sum())

    ctx = multiprocessing.get_context("fork")
    parent_conn, child_conn = ctx.Pipe()
    proc = ctx.Process(target=_solve_in_child, args=(child_conn, n, True))
    proc.start()
    proc.join(60)
    if proc.is_alive():
        proc.kill()
        proc.join()
        pytest.fail("a solve in a forked child hung (it waited on the parent's rayon pool)")
    assert proc.exitcode == 0
    threads, total, grandchild = parent_conn.recv()
    assert threads == 1
    assert total == pytest.approx(expected, rel=1e-12)
    assert grandchild is not None, "the grandchild did not report back"
    assert grandchild[0] == 1 and grandchild[1] == pytest.approx(expected, rel=1e-12)
    # The parent's own pool is untouched.
    assert _core._solver_threads() == parent_threads


# --------------------------------------------------------------------------------------------
# Same answer whatever the thread count

_SOLVE_SCRIPT = """
import numpy as np, sys
from mentorpair import linear_sum_assignment, _core
rng = np.random.default_rng(8)
n = 700
scores = rng.random((n, 4)) @ rng.random((4, n)) + 0.01 * rng.integers(0, 3, (n, n))
tall = rng.integers(0, 5, (n, n // 3)).astype(float)
out = [_core._solver_threads()]
for cost, maximize in ((scores, True), (tall, False), (scores.round(1), False)):
    out.append(linear_sum_assignment(cost, maximize)[1].tolist())
print(repr(out))
"""


def _solve_with_threads(count: int) -> list[Any]:
    env = dict(os.environ, RAYON_NUM_THREADS=str(count))
    done = subprocess.run(
        [sys.executable, "-c", _SOLVE_SCRIPT],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    result: list[Any] = ast.literal_eval(done.stdout.strip())
    assert result[0] == count, "RAYON_NUM_THREADS was not honoured"
    return result[1:]


def test_result_does_not_depend_on_the_thread_count() -> None:
    single = _solve_with_threads(1)
    assert _solve_with_threads(2) == single
    assert _solve_with_threads(3) == single
