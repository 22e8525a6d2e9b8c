"""Dense linear sum assignment, a drop-in replacement for ``scipy.optimize.linear_sum_assignment``.

Inputs are converted to float64 here, once, exactly as scipy converts them; the Rust solver only
ever sees a C-contiguous float64 matrix, which it reads in place with the GIL released.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from . import _core

__all__ = ["linear_sum_assignment"]

# scipy's messages, kept word for word so code matching on them keeps working. The detailed
# mentorpair message (which entry, which row) is chained as the exception's ``__cause__``.
_INVALID_MESSAGE = "matrix contains invalid numeric entries"
_INFEASIBLE_MESSAGE = "cost matrix is infeasible"


def _exposes_array_memory(obj: object) -> bool:
    """True for objects numpy reads as an existing array: array interfaces and buffers."""
    if isinstance(obj, (str, bytes, bytearray)):
        return False
    if hasattr(obj, "__array_interface__") or hasattr(obj, "__array_struct__"):
        return True
    try:
        memoryview(obj)  # type: ignore[arg-type]
    except TypeError:
        return False
    return True


def as_cost_matrix(cost_matrix: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Convert ``cost_matrix`` to a C-contiguous, aligned float64 matrix the way scipy does.

    An existing array (or buffer) must cast to float64 safely (bool, integers, float16/32/64): any
    other dtype raises scipy's ``TypeError`` ("Cannot cast array data from ..."). Lists, tuples and
    objects with ``__array__`` are converted element by element, as ``float()`` would. An input
    that already is C-contiguous, aligned float64 is returned as is, without a copy.

    Raises:
        TypeError: the dtype cannot be cast safely to float64, or an element is not a number.
        ValueError: an element is a string that is not a number, the nesting is ragged, or the
            result is not 2-D ("expected a matrix (2-D array), got a N array").
    """
    if isinstance(cost_matrix, np.ndarray):
        array: np.ndarray[Any, Any] = cost_matrix
    elif _exposes_array_memory(cost_matrix):
        array = np.asarray(cost_matrix)
    else:
        array = np.asarray(cost_matrix, dtype=np.float64)
    array = array.astype(np.float64, casting="safe", copy=False)
    if array.ndim != 2:
        raise ValueError(f"expected a matrix (2-D array), got a {array.ndim} array")
    return np.require(array, dtype=np.float64, requirements=["C_CONTIGUOUS", "ALIGNED"])


def linear_sum_assignment(
    cost_matrix: npt.ArrayLike, maximize: bool = False
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Solve the linear sum assignment problem; same contract as scipy's function of this name.

    Parameters
    ----------
    cost_matrix : array_like
        The cost matrix of the bipartite graph, any shape. Anything scipy accepts works: lists,
        bool, integer and float arrays, views with any strides. ``+inf`` marks a forbidden pair
        (``-inf`` when maximising).
    maximize : bool, default False
        Find a maximum-weight instead of a minimum-cost assignment.

    Returns
    -------
    row_ind, col_ind : numpy.ndarray of int64
        ``min(rows, cols)`` pairs; ``row_ind`` is sorted (``arange(rows)`` for a square matrix)
        and the optimal total is ``cost_matrix[row_ind, col_ind].sum()``.

    Raises
    ------
    ValueError
        With scipy's messages: the input is not 2-D; "matrix contains invalid numeric entries"
        (NaN, or ``-inf`` when minimising / ``+inf`` when maximising) as
        :class:`mentorpair.InvalidEntryError`; "cost matrix is infeasible" (forbidden pairs
        leave no complete assignment) as :class:`mentorpair.InfeasibleError`. Both subclass
        ``ValueError``; the chained cause names the offending entry or row.
    TypeError
        The input's dtype cannot be cast safely to float64 (strings, complex, object, ...).

    Examples
    --------
    >>> import numpy as np
    >>> from mentorpair import linear_sum_assignment
    >>> cost = np.array([[4, 1, 3], [2, 0, 5], [3, 2, 2]])
    >>> row_ind, col_ind = linear_sum_assignment(cost)
    >>> col_ind
    array([1, 0, 2])
    >>> int(cost[row_ind, col_ind].sum())
    5
    """
    maximize = bool(maximize)
    matrix = as_cost_matrix(cost_matrix)
    try:
        rows, cols, _, _, _ = _core.solve_dense(matrix, maximize)
    except _core.InvalidEntryError as err:
        raise _core.InvalidEntryError(_INVALID_MESSAGE) from err
    except _core.InfeasibleError as err:
        raise _core.InfeasibleError(_INFEASIBLE_MESSAGE) from err
    return rows, cols
