"""The prepared problem from Python: both tables read and scored once, in Rust, then solved,
explained, audited and rematched as often as needed without sending the tables again.

``mentorpair.Problem`` wraps the compiled ``mentorpair._core.Problem`` (a frozen Rust object
holding the prepared problem), the way tiktoken's ``Encoding`` wraps its ``CoreBPE``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from . import _core, _fairness, _match
from ._match import _OPTION_DOC, MatchResult, TableLike, _embeddings, _pairs
from ._options import MatchOptions, SolveOptions, check_keywords, split

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from ._rematch import PairsLike, RematchResult

__all__ = ["Problem"]

#: The columns of a shortlist DataFrame (:meth:`Problem.suggest`, :func:`mentorpair.suggest`).
SUGGEST_COLUMNS = (
    "mentee_id",
    "rank",
    "mentor_id",
    "score",
    "match_pct",
    "cost_of_choice",
    "pairs_lost",
    "in_optimum",
    "why",
)


class Problem:
    """A cohort prepared for matching: features, every pair's score, the hard-constraint mask
    with a reason per excluded pair, the pins and both sides' capacities, built once.

    ``Problem(mentees, mentors, **options)`` takes the tables and options of
    :func:`mentorpair.match` and reads the tables exactly once. Then:

    - :meth:`solve` matches (optionally with another objective or fairness mode) and returns a
      :class:`MatchResult` that keeps this problem, so ``result.explain(...)`` and
      ``result.audit(...)`` never read the tables again;
    - :meth:`explain` takes any pair apart, matched or not, with the reason it is excluded;
    - :meth:`audit` audits a result of this problem by protected columns;
    - :meth:`rematch` re-solves against last round's pairs on these scores;
    - :meth:`score_matrix` is the scores as a DataFrame (mentee ids x mentor ids).

    The object is immutable; calls release the GIL, so threads can share one problem.
    """

    def __init__(
        self,
        mentees: TableLike,
        mentors: TableLike,
        **options: Unpack[MatchOptions],
    ) -> None:
        check_keywords(options, "Problem")
        opts, protected = split(options)
        opts = _match._core_options(opts)
        embeddings = _embeddings(opts.pop("embeddings", None))
        a, b = _match._tables(mentees, mentors)  # the one place tables are converted
        self._core = _core.Problem(a, b, opts, protected, embeddings)
        self._mentee_ids: list[str] | None = None
        self._mentor_ids: list[str] | None = None

    @property
    def mentee_ids(self) -> list[str]:
        """Mentee ids in table order (the rows of :meth:`score_matrix`)."""
        if self._mentee_ids is None:
            self._mentee_ids = self._core.mentee_ids
        return list(self._mentee_ids)

    @property
    def mentor_ids(self) -> list[str]:
        """Mentor ids in table order (the columns of :meth:`score_matrix`)."""
        if self._mentor_ids is None:
            self._mentor_ids = self._core.mentor_ids
        return list(self._mentor_ids)

    @property
    def shape(self) -> tuple[int, int]:
        """``(mentees, mentors)``."""
        return self._core.shape

    @property
    def solver(self) -> str:
        """``"dense"`` or ``"sparse"``: the storage and solver in use (``solver="auto"`` resolved)."""
        return str(self._core.solver)

    def solve(self, **options: Unpack[SolveOptions]) -> MatchResult:
        """Match: the optimal pairing under every hard constraint, explained and audited.

        Without arguments, the objective and fairness mode given to the problem. ``objective``
        (``"coverage"`` or ``"score"``) and ``fairness`` (``None``, ``"group_floor"`` with ``by``,
        ``tolerance`` and ``rate_parity``, or ``"maximin"``) override them for this solve only;
        scores and constraints are the prepared ones.
        """
        check_keywords(options, "Problem.solve", SolveOptions.__annotations__)
        outcome = self._core.solve(split(options)[0])
        return MatchResult(problem=self, _outcome=outcome)

    def explain(self, mentee_id: str, mentor_id: str) -> dict[str, Any]:
        """Take one pair's score apart, matched or not: ``{"explanation": {...}, "excluded": ...,
        "exclusion": ...}``. ``explanation`` has ``score`` and ``components`` (``component``,
        ``value``, ``weight``, ``contribution``, ``missing``, ``evidence``); ``excluded`` is the
        reason the pair may not be matched in words and ``exclusion`` its kind (``same_person``,
        ``reporting_line``, ``same_department``, ``forbidden``, ``no_capacity``,
        ``below_min_score``), both None for an allowed pair. Raises ``ValueError`` for an
        unknown id.
        """
        report: dict[str, Any] = json.loads(self._core.explain(str(mentee_id), str(mentor_id)))
        return report

    def audit(
        self, result: MatchResult, by: str | Sequence[str], *, min_group_size: int | None = None
    ) -> _fairness.Audit:
        """Fairness audit of ``result`` (a result of this problem) by protected column(s); see
        :meth:`MatchResult.audit`."""
        outcome = getattr(result, "_outcome", None)
        if outcome is None or result.problem is not self:
            raise ValueError("audit a result together with the Problem it was solved from")
        cols = [by] if isinstance(by, str) else [str(x) for x in by]
        size = None if min_group_size is None else int(min_group_size)
        return _fairness.Audit(json.loads(self._core.audit(outcome, cols, size)))

    def rematch(
        self,
        previous_pairs: PairsLike,
        *,
        keep_bonus: float | None = None,
        freeze: Iterable[Sequence[str]] = (),
    ) -> RematchResult:
        """Re-solve against last round's pairs on this problem's scores and constraints; see
        :func:`mentorpair.rematch` for ``previous_pairs``, ``keep_bonus`` and ``freeze``. The
        problem's pins are frozen too; its objective and fairness mode drive the re-solve.
        ``keep_bonus=None`` is the core's default (``mentorpair.defaults()["rematch"]``, 0.1)."""
        from ._rematch import RematchResult, _previous_pairs

        rematch_json, outcome = self._core.rematch(
            [(a, b) for a, b in _previous_pairs(previous_pairs)],
            [(a, b) for a, b in _pairs(freeze, "freeze")],
            None if keep_bonus is None else float(keep_bonus),
            None,
        )
        result = MatchResult(problem=self, _outcome=outcome)
        return RematchResult({"rematch": json.loads(rematch_json), "result": result._raw}, result=result)

    def suggest(self, mentee_id: str | None = None, k: int = 5) -> pd.DataFrame:
        """The shortlist of ``mentee_id`` (every mentee's when None): up to ``k`` allowed mentors
        with room (hard constraints and ``min_score`` applied, capacity left after the pins),
        cheapest ``cost_of_choice`` first, ties by higher score.

        A DataFrame with ``mentee_id``, ``rank``, ``mentor_id``, ``score``, ``match_pct``,
        ``cost_of_choice`` (how much the programme's optimal total score drops if the mentee
        takes this mentor, exactly; 0 for a pair of the optimum), ``pairs_lost`` (under the
        coverage objective: mentees the optimum then leaves without a mentor; the cost is
        lexicographic, pairs first), ``in_optimum`` and ``why`` (one line). Raises
        ``ValueError`` for an unknown id.
        """
        if isinstance(k, bool) or not isinstance(k, int) or k < 0:
            raise ValueError(f"k must be a whole number >= 0, not {k!r}")
        who = None if mentee_id is None else str(mentee_id)
        rows = json.loads(_core.problem_suggest(self._core, who, int(k)))
        return pd.DataFrame(rows, columns=list(SUGGEST_COLUMNS))

    def why_not(self, mentee_id: str, mentor_id: str) -> dict[str, Any]:
        """Whether ``mentee_id`` may choose ``mentor_id`` and at what cost, or why not:
        ``{"allowed", "exclusion" (e.g. "reporting_line", "paired_before"), "reason" (words),
        "score", "match_pct", "cost_of_choice", "pairs_lost", "in_optimum", "why"}``. Raises
        ``ValueError`` for an unknown id."""
        answer: dict[str, Any] = json.loads(_core.problem_choice(self._core, str(mentee_id), str(mentor_id)))
        return answer

    def score_matrix(self) -> pd.DataFrame:
        """Every pair's score: a DataFrame indexed by mentee id (``index.name == "mentee_id"``)
        with one column per mentor id. Excluded pairs (a hard constraint, or below
        ``min_score``) are NaN. ``.to_numpy()`` is a read-only view of the problem's own matrix,
        not a copy; use ``.to_numpy(copy=True)`` to write to it."""
        return pd.DataFrame(
            self._core.score_matrix(),
            index=pd.Index(self.mentee_ids, name="mentee_id"),
            columns=pd.Index(self.mentor_ids, name="mentor_id"),
            copy=False,
        )

    def __repr__(self) -> str:
        rows, cols = self.shape
        return f"Problem({rows} mentees x {cols} mentors, {self._core.excluded_pairs} pairs excluded)"


Problem.__init__.__doc__ = (
    "Read both tables once and prepare the problem: features, scores, mask, pins.\n" + _OPTION_DOC
)
