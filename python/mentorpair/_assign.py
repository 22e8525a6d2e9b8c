"""`mentorpair.assign`: optimal capacitated assignment (b-matching) of a score matrix."""

from __future__ import annotations

import numbers
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _core

__all__ = ["assign"]

_U32_MAX = np.iinfo(np.uint32).max


def _capacity(value: object, length: int, name: str, side: str) -> NDArray[np.uint32]:
    """Validate one side's capacities and return them as a C-contiguous uint32 array."""
    if isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be an int or a 1-D array of ints, got the bool {value!r}")
    if isinstance(value, numbers.Integral):
        if value < 0:
            raise ValueError(f"{name} must be >= 0, got {value}; use 0 to leave every {side[:-1]} unused")
        return np.full(length, min(int(value), _U32_MAX), dtype=np.uint32)
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError) as exc:  # ragged or otherwise not array-like
        raise ValueError(f"{name} must be an int or a 1-D array of ints: {exc}") from None
    if arr.ndim == 0:
        raise ValueError(f"{name} must be an int or a 1-D array of ints, got {value!r}")
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D (one capacity per {side[:-1]}), got shape {arr.shape}")
    if arr.shape[0] != length:
        raise ValueError(
            f"{name} has {arr.shape[0]} entries but scores has {length} {side}; "
            f"pass one capacity per {side[:-1]} or a single int"
        )
    if arr.dtype == np.bool_ or not (
        np.issubdtype(arr.dtype, np.integer) or np.issubdtype(arr.dtype, np.floating)
    ):
        raise ValueError(f"{name} must hold integers, got dtype {arr.dtype}")
    if np.issubdtype(arr.dtype, np.floating):
        bad = ~np.isfinite(arr) | (arr != np.round(arr))
        if bad.any():
            k = int(np.argmax(bad))
            raise ValueError(f"{name}[{k}] is {arr[k]!r}, not a whole number; capacities must be integers")
    if arr.size and (arr < 0).any():
        k = int(np.argmax(arr < 0))
        raise ValueError(f"{name}[{k}] is {arr[k]}, must be >= 0 (use 0 to leave that {side[:-1]} unused)")
    return np.ascontiguousarray(np.minimum(arr, _U32_MAX).astype(np.uint32))


def assign(
    scores: ArrayLike,
    *,
    row_capacity: int | ArrayLike = 1,
    col_capacity: int | ArrayLike = 1,
    maximize: bool = True,
    objective: Literal["coverage", "score"] = "coverage",
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Optimally assign rows to columns under capacities on both sides.

    Row ``i`` (e.g. a mentee) is matched to at most ``row_capacity[i]`` distinct columns and
    column ``j`` (e.g. a mentor) to at most ``col_capacity[j]`` distinct rows; a pair is used at
    most once. Not every row has to be matched.

    Parameters
    ----------
    scores : array-like, shape (rows, cols)
        Pair weights (lists, bool/int/float arrays; converted once to C-contiguous float64, no copy
        when it already is). NaN marks a forbidden pair, as does ``-inf`` when maximising
        (``+inf`` when minimising); the other infinity is an error.
    row_capacity, col_capacity : int or 1-D array of int
        A single capacity for every row/column, or one per row/column (``>= 0``; 0 leaves that
        row/column unused).
    maximize : bool
        Maximise the total score (default) or minimise it.
    objective : {"coverage", "score"}
        ``"coverage"`` (default): as many pairs as the capacities and forbidden pairs allow, and
        among those the best total. ``"score"``: the best total over matchings of any size (a pair
        is used only if it improves the total).

    Returns
    -------
    rows, cols : ndarray of int64
        The matched pairs ``(rows[k], cols[k])``, sorted by row then column.

    Raises
    ------
    ValueError
        For a matrix that is not 2-D or not numeric, a wrong-signed infinity, capacities that are
        negative, fractional or of the wrong length, or an unknown objective.

    Examples
    --------
    >>> import numpy as np
    >>> from mentorpair import assign
    >>> scores = np.array([[0.9, 0.8, 0.1], [0.7, 0.1, np.nan], [0.6, 0.5, 0.2]])
    >>> rows, cols = assign(scores, row_capacity=[2, 1, 1], col_capacity=[2, 1, 1])
    >>> list(zip(rows.tolist(), cols.tolist()))
    [(0, 0), (0, 1), (1, 0), (2, 2)]
    """
    if objective not in ("coverage", "score"):
        raise ValueError(f'objective must be "coverage" or "score", got {objective!r}')
    try:
        arr = np.asarray(scores)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"scores must be a 2-D numeric array: {exc}") from None
    if arr.ndim != 2:
        raise ValueError(f"scores must be 2-D (rows x cols), got shape {arr.shape}")
    if not (
        arr.dtype == np.bool_ or np.issubdtype(arr.dtype, np.integer) or np.issubdtype(arr.dtype, np.floating)
    ):
        raise ValueError(f"scores must be numeric (bool, int or float), got dtype {arr.dtype}")
    arr = np.ascontiguousarray(arr, dtype=np.float64)
    n, m = arr.shape
    rc = _capacity(row_capacity, n, "row_capacity", "rows")
    cc = _capacity(col_capacity, m, "col_capacity", "columns")
    rows, cols, _, _, _ = _core.solve_capacitated(arr, rc, cc, bool(maximize), objective)
    return rows, cols
