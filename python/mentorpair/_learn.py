"""Beyond exact tags from Python: embedding and text similarity, weights learned from outcomes,
and seeded outcome histories. Conversions only; the work is done in Rust (``mentorpair::learn``,
``mentorpair::score::{embedding, text}``, ``mentorpair::synthetic::history``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from . import _core
from ._match import TableLike, _source

#: Columns a history frame must have besides one column per component.
HISTORY_COLUMNS = ("mentee_id", "mentor_id", "outcome")


def _frame_options(options: Mapping[str, Any], function: str) -> tuple[dict[str, Any], Any]:
    """The match options the user set, in the core's form, and the embedding matrices (if any):
    the same reading as :class:`mentorpair.Problem`'s."""
    from ._match import _core_options, _embeddings
    from ._options import check_keywords

    check_keywords(options, function)
    opts = {k: v for k, v in options.items() if v is not None and k != "protected"}
    opts = _core_options(opts)
    return opts, _embeddings(opts.pop("embeddings", None))


def _float_matrix(m: Any, name: str) -> np.ndarray:
    """A 2-D float64 array, converted once (no copy when it already is one)."""
    arr = np.asarray(m, dtype=np.float64)
    if arr.ndim != 2:
        raise ValueError(f"{name} must be a 2-D matrix (one row per person), got {arr.ndim} dimension(s)")
    return arr


def embedding_similarity(
    mentee_matrix: Any, mentor_matrix: Any, *, neutral: float = 0.5
) -> tuple[np.ndarray, list[int], list[int]]:
    """Cosine similarity of every mentee vector with every mentor vector, as ``max(0, cos)``.

    ``mentee_matrix`` is (n x d), ``mentor_matrix`` (m x d), from any embedding model. A float64
    array is read in place (no copy); other dtypes are converted once. Returns ``(values,
    zero_mentee_rows, zero_mentor_rows)``: an (n x m) matrix in [0, 1], and the rows whose vector
    is zero (no direction, so no information: their pairs get ``neutral``).

    Raises ``MentorpairError`` (a ``ValueError``) naming table, row and column for NaN/inf, or
    for matrices of different widths.
    """
    a = _float_matrix(mentee_matrix, "mentee_matrix")
    b = _float_matrix(mentor_matrix, "mentor_matrix")
    values, zero_a, zero_b = _core.embedding_similarity(a, b, float(neutral))
    return values, list(zero_a), list(zero_b)


def _texts(texts: Sequence[Any], name: str) -> list[str | None]:
    out: list[str | None] = []
    for i, t in enumerate(texts):
        if t is None or (isinstance(t, float) and math.isnan(t)):
            out.append(None)
        elif isinstance(t, str):
            out.append(t)
        else:
            raise TypeError(f"{name} row {i}: expected a string or None, got {type(t).__name__}")
    return out


def text_similarity(
    mentee_texts: Sequence[str | None],
    mentor_texts: Sequence[str | None],
    *,
    language: str | None = None,
    k1: float | None = None,
    b: float | None = None,
    neutral: float = 0.5,
) -> np.ndarray:
    """BM25 similarity in [0, 1] of every mentee text (query) with every mentor text (document).

    Words are lower-cased, stop words removed and Snowball-stemmed (``language``: english by
    default; also arabic, danish, dutch, finnish, french, german, greek, hungarian, italian,
    norwegian, portuguese, romanian, russian, spanish, swedish, tamil, turkish). Each pair's BM25
    is divided by the mentee's self-score, so a mentor who wrote the same text scores 1. Empty or
    whitespace-only texts (and None/NaN) are no information: their pairs get ``neutral``.
    """
    cfg = {k: v for k, v in {"language": language, "k1": k1, "b": b}.items() if v is not None}
    return _core.text_similarity(
        _texts(mentee_texts, "mentee_texts"),
        _texts(mentor_texts, "mentor_texts"),
        json.dumps(cfg),
        float(neutral),
    )


@dataclass
class WeightFit:
    """Weights learned from outcomes, with the report behind them."""

    #: Component -> weight (non-negative, sum 1); pass it as ``match(weights=fit.weights)``.
    weights: dict[str, float]
    #: One row per component: coefficient, std_error, z, weight, heldout, note.
    report: pd.DataFrame
    #: ``"binary"`` or ``"rating"``.
    scale: str
    #: ``"auc"`` (binary) or ``"spearman"`` (ratings).
    metric: str
    #: Held-out quality of the whole model on the seeded split.
    heldout: float | None
    #: Plain-language warnings (small history, uncertain coefficients).
    warnings: list[str] = field(default_factory=list)
    #: The full result as the core returned it.
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    def to_toml(self) -> str:
        """The weights as the ``[weights]`` table of a ``mentorpair match --config`` file."""
        lines = ["[weights]"] + [f"{k} = {v:.6f}" for k, v in self.weights.items()]
        return "\n".join(lines) + "\n"


def _fit_options(scale: str | None, lambda_: float | None, holdout: float | None, seed: int | None) -> str:
    opts = {"scale": scale, "lambda": lambda_, "holdout": holdout, "seed": seed}
    return json.dumps({k: v for k, v in opts.items() if v is not None})


def _weight_fit(raw_json: str) -> WeightFit:
    raw = json.loads(raw_json)
    report = pd.DataFrame.from_records(
        raw["components"],
        columns=["component", "coefficient", "std_error", "z", "weight", "heldout", "note"],
    )
    return WeightFit(
        weights={str(k): float(v) for k, v in raw["weights"].items()},
        report=report,
        scale=raw["scale"],
        metric=raw["metric"],
        heldout=raw["heldout"],
        warnings=list(raw["warnings"]),
        raw=raw,
    )


def _history_columns(history: pd.DataFrame) -> tuple[list[str], list[str], np.ndarray]:
    if not isinstance(history, pd.DataFrame):
        raise TypeError(f"history must be a pandas DataFrame, not {type(history).__name__}")
    missing = [c for c in HISTORY_COLUMNS if c not in history.columns]
    if missing:
        raise ValueError(f"history is missing column(s) {missing}; it needs {list(HISTORY_COLUMNS)}")
    outcome = pd.to_numeric(history["outcome"], errors="coerce")
    bad = outcome.isna() & history["outcome"].notna()
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0]) + 1
        raise ValueError(
            f"history row {row}, column `outcome`: {history['outcome'].iloc[row - 1]!r} is not a number"
        )
    return (
        history["mentee_id"].astype(str).tolist(),
        history["mentor_id"].astype(str).tolist(),
        np.ascontiguousarray(outcome.to_numpy(dtype=np.float64)),
    )


def fit_weights(
    history: pd.DataFrame,
    mentees: TableLike | None = None,
    mentors: TableLike | None = None,
    *,
    components: pd.DataFrame | Sequence[str] | None = None,
    scale: str | None = None,
    lambda_: float | None = None,
    holdout: float | None = None,
    seed: int | None = None,
    protected: Sequence[str] = (),
    **options: Any,
) -> WeightFit:
    """Learn component weights from past pairs and their outcomes.

    ``history`` has ``mentee_id``, ``mentor_id`` and ``outcome`` (1 continued / 0 ended, or a
    rating 1-5). Give either

    - ``mentees`` and ``mentors``, the cohort tables of that time: every component matching
      scores for those tables is computed for every past pair, so a weight is learned for each:
      the five built-in ones, ``affinity`` and ``preference`` when some mentee asked for them,
      and ``goals_text``, ``embedding``, ``open_doors``, ``two_way`` when the tables have their
      columns (``goals_text``; ``embedding``; ``network`` and ``target_areas``;
      ``learning_goals`` and skills), whatever their match weight. ``fit.weights`` can go
      straight to ``match(weights=fit.weights)``. ``options`` are those of :func:`match`
      (``reference_date``, ``taxonomy``, ``text_language``, ``criteria``, ``history`` of earlier
      rounds, ``embeddings=(A, B)``...), read as :class:`mentorpair.Problem` reads them, so the
      components are exactly the ones matching scores; or
    - ``components``: a DataFrame with one column per component value in [0, 1], row-aligned
      with ``history``, or the names of such columns already in ``history``.

    Binary outcomes fit a ridge-penalised logistic model, ratings a proportional-odds model (both
    with argmin's L-BFGS); ``scale`` forces ``"binary"`` or ``"rating"``. The report gives per
    component the coefficient, its standard error (inverse Hessian), z, the learned weight and its
    held-out AUC / Spearman correlation alone on a seeded ``holdout`` split (default 0.2).

    Raises ``MentorpairError`` (a ``ValueError``) naming row and column for unknown ids, a
    duplicate pair, outcomes outside the scale, and when the history is too small or has no
    variance to tell.
    """
    mentee_ids, mentor_ids, outcomes = _history_columns(history)
    if components is None:
        if mentees is None or mentors is None:
            raise ValueError("give the cohort tables (mentees, mentors) or a components= frame")
        opts, embeddings = _frame_options(options, "fit_weights")
        names, mentee_ids, mentor_ids, outcomes, values = _core.history_components(
            _source(mentees, "mentees"),
            _source(mentors, "mentors"),
            mentee_ids,
            mentor_ids,
            outcomes.tolist(),
            opts,
            [str(p) for p in protected],
            embeddings,
        )
    else:
        if options:
            raise ValueError(f"match options {sorted(options)} apply only with mentees/mentors tables")
        frame = history[list(components)] if not isinstance(components, pd.DataFrame) else components
        if len(frame) != len(history):
            raise ValueError(
                f"components has {len(frame)} rows but history has {len(history)}; align them row by row"
            )
        names = [str(c) for c in frame.columns]
        values = np.ascontiguousarray(frame.to_numpy(dtype=np.float64))
    raw = _core.fit_weights_frame(
        names, mentee_ids, mentor_ids, outcomes, values, _fit_options(scale, lambda_, holdout, seed)
    )
    return _weight_fit(raw)


def history(
    mentees: TableLike,
    mentors: TableLike,
    n_pairs: int,
    weights: Mapping[str, float],
    seed: int = 0,
    *,
    scale: str = "binary",
    strength: float | None = None,
    protected: Sequence[str] = (),
    **options: Any,
) -> pd.DataFrame:
    """A seeded outcome history of ``n_pairs`` distinct random pairs of the cohort.

    Outcomes follow the documented noise model (``docs/matching.md``): latent quality
    ``strength x (w . x - mean) + logistic noise`` from the true ``weights`` (component ->
    weight); ``scale="binary"`` gives continued (1) / ended (0), ``"rating"`` gives 1-5. Columns:
    ``mentee_id, mentor_id, outcome`` then one column per component the tables have data for
    (as :func:`fit_weights` computes them from the tables; ``weights`` may name any of them), so the frame
    can go straight to ``fit_weights(h, components=[...])`` or ``fit_weights(h, mentees, mentors)``.
    """
    spec: dict[str, Any] = {
        "n_pairs": int(n_pairs),
        "weights": {str(k): float(v) for k, v in weights.items()},
        "scale": scale,
        "seed": int(seed),
    }
    if strength is not None:
        spec["strength"] = float(strength)
    opts, embeddings = _frame_options(options, "history")
    names, mentee_ids, mentor_ids, outcomes, values = _core.synthetic_history(
        _source(mentees, "mentees"),
        _source(mentors, "mentors"),
        json.dumps(spec),
        opts,
        [str(p) for p in protected],
        embeddings,
    )
    out = pd.DataFrame({"mentee_id": mentee_ids, "mentor_id": mentor_ids, "outcome": outcomes})
    out["outcome"] = out["outcome"].astype("int64")
    for k, name in enumerate(names):
        out[name] = values[:, k]
    return out
