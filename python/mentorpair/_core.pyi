"""Type stubs for the compiled core `mentorpair._core` (hand-written; keep in step with src/python/)."""

import numpy as np
from numpy.typing import NDArray

__version__: str

def solve_dense(
    cost: NDArray[np.float64], maximize: bool = False
) -> tuple[NDArray[np.int64], NDArray[np.int64], float, NDArray[np.float64], NDArray[np.float64]]:
    """Solve a dense linear sum assignment; returns (rows, cols, objective, row_duals, col_duals)."""

def solve_capacitated(
    scores: NDArray[np.float64],
    row_capacity: NDArray[np.uint32],
    col_capacity: NDArray[np.uint32],
    maximize: bool = True,
    objective: str = "coverage",
) -> tuple[NDArray[np.int64], NDArray[np.int64], float, NDArray[np.float64], NDArray[np.float64]]:
    """Solve a capacitated assignment (b-matching); returns (rows, cols, objective, row_duals, col_duals)."""
