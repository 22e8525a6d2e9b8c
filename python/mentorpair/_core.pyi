# Hand-written stubs for the compiled extension `mentorpair._core`.
# tests/python/test_stubs.py checks them against the built module with mypy.stubtest: anything
# added to `_core` must be described here too.

from typing import Any, Literal, final

import numpy as np
import numpy.typing as npt

from mentorpair._options import MatchOptions, SolveOptions

#: A table as `mentorpair._match._source` hands it over: ("path", path), ("arrow", object with
#: __arrow_c_stream__), ("columns", names, [numpy array or list per column]) or ("json", text).
_TableSource = tuple[Any, ...]

__all__ = [
    "__version__",
    "MentorpairError",
    "InputError",
    "ConfigError",
    "TooLargeError",
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

class InputError(MentorpairError):
    """A table (or a list of pairs) holds something that cannot be used."""

    table: str | None
    row: int | None
    id: str | None
    column: str | None
    value: str | None

class ConfigError(MentorpairError):
    """An option is out of range, of the wrong type or unknown."""

    option: str
    value: str | None
    allowed: str

class TooLargeError(MentorpairError):
    """The problem does not fit the memory limit."""

    needed_bytes: int
    limit_bytes: int

class InvalidEntryError(MentorpairError):
    """A matrix holds NaN, or an infinity of the sign that cannot mean a forbidden pair."""

class InfeasibleError(MentorpairError):
    """No complete assignment avoids the forbidden pairs, or a pinned or frozen pair breaks a hard constraint."""

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
    objective: Literal["coverage", "score"] = "coverage",
) -> tuple[
    npt.NDArray[np.int64],
    npt.NDArray[np.int64],
    float,
    npt.NDArray[np.float64],
    npt.NDArray[np.float64],
]:
    """Solve a capacitated assignment (b-matching); returns (rows, cols, objective, row_duals, col_duals)."""

# --- the prepared problem (src/python/problem.rs): a table is ("path", file) or ("records", JSON) ---
__all__ += ["Problem", "MatchOutcome"]

@final
class MatchOutcome:
    """A match result kept in Rust: `to_json()` hands it to Python, `Problem.audit` reads it as is."""

    def to_json(self) -> str:
        """The MatchResult as JSON."""
    def head_json(self) -> str:
        """Everything but the pairs as JSON: summary, timings, config, fairness, certificate,
        unmatched and violations."""
    def pair_columns(self) -> tuple[list[str], list[Any]]:
        """The pairs column by column: names, then lists (ids, extra columns) and numpy arrays
        (score and components float64, pinned bool, match_percent int64)."""

@final
class Problem:
    """A cohort prepared once (features, scores, mask, pins): solve, explain, audit and rematch it."""

    def __new__(
        cls,
        mentees: _TableSource,
        mentors: _TableSource,
        options: MatchOptions | dict[str, Any] | None = None,
        protected: list[str] = ...,
        embeddings: tuple[npt.NDArray[Any], npt.NDArray[Any]] | None = None,
    ) -> Problem: ...
    def solve(self, options: SolveOptions | dict[str, Any] | None = None) -> MatchOutcome:
        """Solve and report with the solve options the user set (the rest are the problem's own)."""
    def explain(self, mentee_id: str, mentor_id: str) -> str:
        """Explain one pair by ids, matched or not; returns the PairReport as JSON."""
    def audit(self, result: MatchOutcome, by: list[str], min_group_size: int | None = None) -> str:
        """Fairness audit of a result of this problem by protected columns; returns AuditReport JSON."""
    def rematch(
        self,
        previous: list[tuple[str, str]],
        freeze: list[tuple[str, str]],
        keep_bonus: float | None = None,
        options: SolveOptions | dict[str, Any] | None = None,
    ) -> tuple[str, MatchOutcome]:
        """Rematch against previous pairs; returns (the Rematch as JSON, the new matching)."""
    def score_matrix(self) -> npt.NDArray[np.float64]:
        """The scores, mentees x mentors, NaN where excluded: a read-only view, no copy."""
    @property
    def mentee_ids(self) -> list[str]:
        """Mentee ids, in row order."""
    @property
    def mentor_ids(self) -> list[str]:
        """Mentor ids, in column order."""
    @property
    def shape(self) -> tuple[int, int]:
        """(mentees, mentors)."""
    @property
    def excluded_pairs(self) -> int:
        """Pairs excluded by a hard constraint or the minimum score."""
    @property
    def solver(self) -> str:
        """The storage and solver in use: "dense" or "sparse" (solver="auto" resolved)."""

__all__ += ["previous_pairs"]

def previous_pairs(
    source: str,
    path: str | None = None,
    cells: list[tuple[str, str]] | None = None,
) -> list[tuple[str, str]]:
    """Previous pairs through the shared reader: a CSV file at `path`, else `cells`; ids trimmed,
    empty ids and repeated pairs rejected naming `source` and the row."""

# --- the command line (src/python/cli.rs) ---
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
    mentees: _TableSource,
    mentors: _TableSource,
    protected: list[str],
    strategy_names: list[str],
    seed: int,
) -> str:
    """On two tables (records or paths): what="runs" gives the runs of quality::compare_cohort, what="pairs" the pairs of quality::strategy_pairs, as JSON."""

# --- fairness (src/python/fairness.rs) ---
__all__ += ["fairness_audit"]

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

__all__ += ["write_csv"]

def write_csv(path: str, header: list[str], rows: list[list[str]], raw: bool = False) -> None:
    """Write a CSV for people: formula-like cells neutralised unless `raw`, atomically; `-` is stdout."""

# --- programme: schedule and report (src/python/programme.rs) ---
__all__ += ["schedule_rows", "schedule_ics", "report_html"]

def schedule_rows(
    problem: Problem,
    result_json: str,
    options_json: str,
) -> str:
    """The meeting schedule of a MatchResult (JSON) as JSON: {"columns", "rows", "summary"}."""

def schedule_ics(
    problem: Problem,
    result_json: str,
    options_json: str,
    path: str,
) -> str:
    """Write the schedule as iCalendar to path (atomically); returns the summary as JSON."""

def report_html(
    problem: Problem,
    result_json: str,
    options_json: str,
    by: list[str],
    path: str,
) -> None:
    """Write the HTML programme report to path (atomically)."""

# --- beyond exact tags (src/python/beyond.rs) ---
__all__ += [
    "embedding_similarity",
    "text_similarity",
    "taxonomy_groups",
    "text_evidence",
    "fit_weights_frame",
    "history_components",
    "synthetic_history",
    "_embedding_address",
    "dask_summary",
    "dask_defaults",
    "DaskBlock",
    "DaskCentral",
]

def embedding_similarity(
    mentees: npt.NDArray[np.float64], mentors: npt.NDArray[np.float64], neutral: float = 0.5
) -> tuple[npt.NDArray[np.float64], list[int], list[int]]:
    """max(0, cos) of every mentee row against every mentor row; (values, zero mentee rows, zero mentor rows)."""

def taxonomy_groups(rows_json: str) -> str:
    """Tag -> group rows (JSON) as taxonomy groups (JSON); a tag in two groups is an error."""

def text_similarity(
    mentee_texts: list[str | None],
    mentor_texts: list[str | None],
    config_json: str = "",
    neutral: float = 0.5,
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
    mentees: _TableSource,
    mentors: _TableSource,
    mentee_ids: list[str],
    mentor_ids: list[str],
    outcomes: list[float],
    options: dict[str, Any] | None = None,
    protected: list[str] = ...,
    embeddings: tuple[npt.NDArray[Any], npt.NDArray[Any]] | None = None,
) -> tuple[list[str], list[str], list[str], npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Component values of past pairs scored from the cohort tables under the match options."""

def synthetic_history(
    mentees: _TableSource,
    mentors: _TableSource,
    spec_json: str,
    options: dict[str, Any] | None = None,
    protected: list[str] = ...,
    embeddings: tuple[npt.NDArray[Any], npt.NDArray[Any]] | None = None,
) -> tuple[list[str], list[str], list[str], npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """A seeded outcome history (components, mentee ids, mentor ids, outcomes, values)."""

def _embedding_address(m: npt.NDArray[np.float64]) -> int: ...

_U64 = npt.NDArray[np.uint64]
_U32 = npt.NDArray[np.uint32]
_F64 = npt.NDArray[np.float64]
_I64 = npt.NDArray[np.int64]
_Triples = tuple[_U64, _U32, _F64]

def dask_summary(mentees: _TableSource, mentors: _TableSource, protected: list[str]) -> str:
    """Summarise one mentee partition (JSON), reading its wishes against the mentor table."""

def dask_defaults() -> tuple[int, int, int, int]:
    """Defaults of the blockwise match: `(k_mentee, k_mentor, max_rounds, per_row)`."""
@final
class DaskBlock:
    """One mentee partition prepared against the full mentor table."""

    def __new__(
        cls,
        mentees: _TableSource,
        mentors: _TableSource,
        config_json: str,
        protected: list[str],
        context_json: str,
        offset: int,
    ) -> DaskBlock: ...
    def top_k(self, k_mentee: int, k_mentor: int) -> tuple[_Triples, _Triples, _Triples]:
        """Top-k candidates: (mentee-side rows, cols, scores, mentor-side rows, cols, scores, pin
        rows, cols, scores)."""
    def check(
        self,
        row_duals: _F64,
        row_count_duals: _I64,
        col_duals: _F64,
        col_count_duals: _I64,
        used_rows: _U64,
        used_cols: _U32,
        per_row: int,
    ) -> tuple[_Triples, int, int, int, float]:
        """Reduced-cost check against the duals: (violator rows, cols, scores), violating,
        pairs_checked, coverage_gap, gap."""

@final
class DaskCentral:
    """The central step: candidates gathered, pins checked, the sparse solve resumed per round."""

    def __new__(
        cls,
        summaries: list[str],
        mentors: _TableSource,
        config_json: str,
        protected: list[str],
    ) -> DaskCentral: ...
    def worker_context(self) -> str:
        """The context every partition needs (JSON)."""
    def offsets(self) -> list[int]:
        """First global row of each partition, and the total at the end."""
    def mentee_ids(self) -> list[str]:
        """Mentee ids in global row order."""
    def mentee_wanted(self) -> _U32:
        """`mentors_wanted` in global row order."""
    def mentor_ids(self) -> list[str]:
        """Mentor ids in column order."""
    def start(self, parts: list[tuple[_Triples, _Triples, _Triples]], k_mentor: int) -> None:
        """Gather every partition's `top_k` arrays and solve once."""
    def duals(self, offset: int, len: int) -> tuple[_F64, _I64, _F64, _I64, _U64, _U32]:
        """Duals and matched pairs for the partition of global rows `offset..offset + len`:
        (u, ku, v, kv, used rows, used cols)."""
    def record(self, checks: list[tuple[_Triples, int, int, int, float]], resume: bool) -> bool:
        """Record a round of partition checks; unless certified and when `resume`, add the
        violators and resume the solve from its duals. Returns whether it is certified."""
    def certificate(self) -> tuple[bool, int, int, float, int, int]:
        """`(certified, rounds, pairs_checked, gap, coverage_gap, candidates)`."""
    def pairs(self) -> tuple[_U64, _U32, _F64, npt.NDArray[np.bool_]]:
        """The pairs, pins included: (rows, cols, scores, pinned)."""

# --- options and errors (src/python/options.rs, src/python/errors.rs) ---
__all__ += ["defaults", "option_ranges", "_config_error", "_input_error"]

def defaults() -> dict[str, dict[str, Any]]:
    """The core's defaults by option name: {"match": ..., "rematch": ..., "audit": ...}."""

def option_ranges() -> list[tuple[str, str]]:
    """What each match option allows, by name."""

def _config_error(option: str, value: str | None, allowed: str) -> ConfigError:
    """The ConfigError the core raises, for checks only Python can make."""

def _input_error(
    message: str,
    table: str,
    row: int | None = None,
    id: str | None = None,
    column: str | None = None,
    value: str | None = None,
) -> InputError:
    """The InputError the core raises, for a row Python cannot hand over."""

# -- shortlists and history --
__all__ += ["problem_suggest", "problem_choice", "read_history"]

def problem_suggest(problem: Problem, mentee_id: str | None, k: int) -> str:
    """Shortlists as JSON: one mentee's (mentee_id) or every mentee's (None), k each."""

def problem_choice(problem: Problem, mentee_id: str, mentor_id: str) -> str:
    """What choosing mentor_id would mean for mentee_id, as JSON (a Choice)."""

def read_history(kind: str, payload: str) -> str:
    """A history table read by the core: ("path", file) or ("cells", json); past pairs as JSON."""
