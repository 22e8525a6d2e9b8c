"""The prepared problem from Python: both tables read and scored once, in Rust, then solved,
explained, audited and rematched as often as needed without sending the tables again.

``mentorpair.Problem`` wraps the compiled ``mentorpair._core.Problem`` (a frozen Rust object
holding the prepared problem), the way tiktoken's ``Encoding`` wraps its ``CoreBPE``.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from . import _core, _fairness
from ._match import _OPTION_DOC, MatchResult, TableLike, _pairs, _prepare

if TYPE_CHECKING:
    from ._rematch import PairsLike, RematchResult

__all__ = ["Problem"]

_OBJECTIVES = ("coverage", "score")


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
        *,
        weights: Mapping[str, float] | None = None,
        min_score: float = 0.0,
        forbid: Iterable[Sequence[str]] = (),
        pin: Iterable[Sequence[str]] = (),
        exclude_same_department: bool = False,
        protected: Iterable[str] = (),
        objective: str = "coverage",
        reference_date: _dt.date | str | None = None,
        meeting_minutes: int = 60,
        cadence_weeks: int = 2,
        min_block_minutes: int = 30,
        seniority_gap: int = 1,
        full_credit_skill_lead: int = 2,
        neutral: float = 0.5,
        memory_limit_bytes: int | None = None,
        criteria: Sequence[Mapping[str, Any]] | None = None,
        preferences: str | None = None,
        reverse_mentoring: bool | None = None,
        seniority_sweet_spot_max: int | None = None,
        goal_rank_decay: float | None = None,
        min_load: int | None = None,
        spread: float | None = None,
        min_load_shortfall: str | None = None,
        fairness: str | None = None,
        by: str | Sequence[str] | None = None,
        tolerance: float = 0.05,
        rate_parity: bool = False,
    ) -> None:
        options = {k: v for k, v in locals().items() if k != "self"}
        a, b, cfg, prot = _prepare(options)
        self._fairness = _fairness.fairness_config(fairness, by, tolerance, rate_parity)
        if self._fairness is not None:
            cfg = json.dumps({**json.loads(cfg), "fairness": self._fairness})
        self._objective = objective
        self._core = _core.Problem(a, b, cfg, prot)
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

    def _solve_options(
        self,
        objective: str | None,
        fairness: str | None,
        by: str | Sequence[str] | None,
        tolerance: float | None,
        rate_parity: bool | None,
    ) -> str | None:
        """The JSON SolveOptions for the core, or None for the problem's own."""
        if objective is None and fairness is None and by is None and tolerance is None and rate_parity is None:
            return None
        obj = self._objective if objective is None else objective
        if obj not in _OBJECTIVES:
            raise ValueError(f"objective must be 'coverage' or 'score', not {obj!r}")
        if fairness is None and by is None and tolerance is None and rate_parity is None:
            fair = self._fairness
        else:
            fair = _fairness.fairness_config(
                fairness, by, 0.05 if tolerance is None else tolerance, bool(rate_parity)
            )
        return json.dumps({"objective": obj, "fairness": fair})

    def solve(
        self,
        *,
        objective: str | None = None,
        fairness: str | None = None,
        by: str | Sequence[str] | None = None,
        tolerance: float | None = None,
        rate_parity: bool | None = None,
    ) -> MatchResult:
        """Match: the optimal pairing under every hard constraint, explained and audited.

        Without arguments, the objective and fairness mode given to the problem. ``objective``
        (``"coverage"`` or ``"score"``) and ``fairness`` (``None``, ``"group_floor"`` with ``by``,
        ``tolerance`` and ``rate_parity``, or ``"maximin"``) override them for this solve only;
        scores and constraints are the prepared ones.
        """
        opts = self._solve_options(objective, fairness, by, tolerance, rate_parity)
        outcome = self._core.solve(opts)
        return MatchResult(json.loads(outcome.to_json()), problem=self, _outcome=outcome)

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
        self, result: MatchResult, by: str | Sequence[str], *, min_group_size: int = 5
    ) -> _fairness.Audit:
        """Fairness audit of ``result`` (a result of this problem) by protected column(s); see
        :meth:`MatchResult.audit`."""
        outcome = getattr(result, "_outcome", None)
        if outcome is None or result.problem is not self:
            raise ValueError("audit a result together with the Problem it was solved from")
        cols = [by] if isinstance(by, str) else [str(x) for x in by]
        return _fairness.Audit(json.loads(self._core.audit(outcome, cols, int(min_group_size))))

    def rematch(
        self,
        previous_pairs: PairsLike,
        *,
        keep_bonus: float = 0.1,
        freeze: Iterable[Sequence[str]] = (),
    ) -> RematchResult:
        """Re-solve against last round's pairs on this problem's scores and constraints; see
        :func:`mentorpair.rematch` for ``previous_pairs``, ``keep_bonus`` and ``freeze``. The
        problem's pins are frozen too; its objective and fairness mode drive the re-solve."""
        from ._rematch import RematchResult, _previous_pairs

        rematch_json, outcome = self._core.rematch(
            [(a, b) for a, b in _previous_pairs(previous_pairs)],
            [(a, b) for a, b in _pairs(freeze, "freeze")],
            float(keep_bonus),
            None,
        )
        result = MatchResult(json.loads(outcome.to_json()), problem=self, _outcome=outcome)
        return RematchResult({"rematch": json.loads(rematch_json), "result": result._raw}, result=result)

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
