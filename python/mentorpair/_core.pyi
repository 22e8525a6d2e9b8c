# Hand-written stubs for the compiled extension `mentorpair._core`.
# tests/python/test_stubs.py checks them against the built module with mypy.stubtest: anything
# added to `_core` must be described here too.

import numpy as np
import numpy.typing as npt

__all__ = [
    "__version__",
    "MentorpairError",
    "InvalidEntryError",
    "InfeasibleError",
    "ShapeError",
    "CapacityError",
    "_solver_threads",
    "solve_dense",
    "solve_capacitated",
    "_data_address",
    "cli_main",
]

__version__: str

class MentorpairError(ValueError):
    """Base class of every error mentorpair raises about its inputs (a subclass of ValueError)."""

class InvalidEntryError(MentorpairError):
    """A matrix holds NaN, or an infinity of the sign that cannot mean a forbidden pair."""

class InfeasibleError(MentorpairError):
    """No complete assignment of the smaller side avoids the forbidden pairs."""

class ShapeError(MentorpairError):
    """Inputs whose shapes do not fit together."""

class CapacityError(MentorpairError):
    """A capacity is invalid (negative, too large, or of the wrong length)."""

def solve_dense(
    cost: npt.NDArray[np.float64], maximize: bool = False
) -> tuple[
    npt.NDArray[np.int64],
    npt.NDArray[np.int64],
    float,
    npt.NDArray[np.float64],
    npt.NDArray[np.float64],
]:
    """Solve a dense linear sum assignment on a float64 matrix (read in place, any strides).

    Returns (rows, cols, objective, row_duals, col_duals). Raises InvalidEntryError or
    InfeasibleError; TypeError when `cost` is not a 2-D float64 array.
    """

def _data_address(cost: npt.NDArray[np.float64]) -> int:
    """Address of the first element of `cost` as `solve_dense` reads it (for no-copy tests)."""

def _solver_threads() -> int:
    """Threads a solve started now would use: rayon's pool size, 1 in a forked child."""

def solve_capacitated(
    scores: npt.NDArray[np.float64],
    row_capacity: npt.NDArray[np.uint32],
    col_capacity: npt.NDArray[np.uint32],
    maximize: bool = True,
    objective: str = "coverage",
) -> tuple[
    npt.NDArray[np.int64],
    npt.NDArray[np.int64],
    float,
    npt.NDArray[np.float64],
    npt.NDArray[np.float64],
]:
    """Solve a capacitated assignment (b-matching); returns (rows, cols, objective, row_duals, col_duals)."""

# --- matching (src/python/matching.rs): a table is ("path", file) or ("records", JSON array) ---
__all__ += ["match_cohort", "score_matrix", "explain_pair"]

def match_cohort(
    mentees: tuple[str, str], mentors: tuple[str, str], config_json: str, protected: list[str]
) -> str:
    """Read both tables, match them; returns the MatchResult as JSON."""

def score_matrix(
    mentees: tuple[str, str], mentors: tuple[str, str], config_json: str, protected: list[str]
) -> tuple[npt.NDArray[np.float64], list[str], list[str]]:
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

# --- rematch (src/python/rematch.rs) and the command line (src/python/cli.rs) ---
__all__ += ["rematch_cohort"]

def rematch_cohort(
    mentees: tuple[str, str],
    mentors: tuple[str, str],
    config_json: str,
    protected: list[str],
    previous: list[tuple[str, str]],
    freeze: list[tuple[str, str]],
    keep_bonus: float,
) -> str:
    """Rematch both tables against previous pairs; returns the CohortRematch as JSON."""

def cli_main(argv: list[str]) -> int:
    """Run the mentorpair command line with `argv` (`argv[0]` is the program name); return the exit code."""

__all__ += ["synthetic_tables", "quality_strategies", "quality_compare", "quality_tables"]

def synthetic_tables(
    spec_json: str,
) -> tuple[tuple[str, list[str]], tuple[str, list[str]], int]:
    """Generate the cohort of a JSON CohortSpec; returns ((mentees JSON, columns), (mentors JSON, columns), fingerprint)."""

def quality_strategies() -> list[str]:
    """Names of the strategies this build can run."""

def quality_compare(spec_json: str, seeds: list[int], strategy_names: list[str]) -> str:
    """quality::compare on a JSON CohortSpec; returns the runs as JSON."""

def quality_tables(
    what: str,
    mentees: tuple[str, str],
    mentors: tuple[str, str],
    protected: list[str],
    strategy_names: list[str],
    seed: int,
) -> str:
    """On two tables (records or paths): what="runs" gives the runs of quality::compare_cohort, what="pairs" the pairs of quality::strategy_pairs, as JSON."""

# --- fairness (src/python/fairness.rs) ---
__all__ += ["fairness_audit", "audit_match"]

def fairness_audit(
    by: list[str],
    mentee_keys: list[list[str | None]],
    pairs: list[tuple[int, int, float, list[float]]],
    components: list[str],
    mentor_keys: list[list[str | None]] | None = None,
    mentor_capacity: list[int] | None = None,
    min_group_size: int = 5,
) -> str:
    """Audit a matching by protected group; returns the AuditReport as JSON text."""

def audit_match(
    mentees: tuple[str, str],
    mentors: tuple[str, str],
    config_json: str,
    protected: list[str],
    result_json: str,
    by: list[str],
    min_group_size: int = 5,
) -> str:
    """Audit a MatchResult (JSON) against the cohort it was matched from; returns AuditReport JSON."""

# --- beyond exact tags (src/python/beyond.rs) ---
__all__ += [
    "embedding_similarity",
    "text_similarity",
    "text_evidence",
    "fit_weights_frame",
    "history_components",
    "synthetic_history",
    "_embedding_address",
]

def embedding_similarity(
    mentees: npt.NDArray[np.float64], mentors: npt.NDArray[np.float64], neutral: float = 0.5
) -> tuple[npt.NDArray[np.float64], list[int], list[int]]:
    """max(0, cos) of every mentee row against every mentor row; (values, zero mentee rows, zero mentor rows)."""

def text_similarity(
    mentee_texts: list[str | None], mentor_texts: list[str | None], config_json: str = "", neutral: float = 0.5
) -> npt.NDArray[np.float64]:
    """BM25 text similarity in [0, 1], mentees x mentors."""

def text_evidence(
    mentee_texts: list[str | None], mentor_texts: list[str | None], i: int, j: int, config_json: str = ""
) -> tuple[float | None, list[str]]:
    """(value, shared terms) of mentee i and mentor j."""

def fit_weights_frame(
    components: list[str],
    mentee_ids: list[str],
    mentor_ids: list[str],
    outcomes: npt.NDArray[np.float64],
    values: npt.NDArray[np.float64],
    options_json: str = "",
) -> str:
    """Fit weights to a frame of component values; the WeightFit as JSON."""

def history_components(
    mentees: tuple[str, str],
    mentors: tuple[str, str],
    mentee_ids: list[str],
    mentor_ids: list[str],
    outcomes: list[float],
    scoring_json: str = "",
    protected: list[str] = ...,
) -> tuple[list[str], list[str], list[str], npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Built-in component values of past pairs scored from the cohort tables."""

def synthetic_history(
    mentees: tuple[str, str],
    mentors: tuple[str, str],
    spec_json: str,
    scoring_json: str = "",
    protected: list[str] = ...,
) -> tuple[list[str], list[str], list[str], npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """A seeded outcome history (components, mentee ids, mentor ids, outcomes, values)."""

def _embedding_address(m: npt.NDArray[np.float64]) -> int: ...
