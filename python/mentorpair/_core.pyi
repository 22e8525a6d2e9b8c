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

# --- matching (src/python/matching.rs): a table is ("path", file) or ("records", JSON array) ---
def match_cohort(
    mentees: tuple[str, str], mentors: tuple[str, str], config_json: str, protected: list[str]
) -> str:
    """Read both tables, match them; returns the MatchResult as JSON."""

def score_matrix(
    mentees: tuple[str, str], mentors: tuple[str, str], config_json: str, protected: list[str]
) -> tuple[NDArray[np.float64], list[str], list[str]]:
    """Score every pair; returns (scores, mentee_ids, mentor_ids), excluded pairs NaN."""

def explain_pair(
    mentees: tuple[str, str],
    mentors: tuple[str, str],
    config_json: str,
    protected: list[str],
    mentee_id: str,
    mentor_id: str,
) -> str:
    """Explain one pair, matched or not; returns the report as JSON."""
