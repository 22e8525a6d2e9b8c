"""mentorpair: mentor–mentee matching with explainable scores, hard constraints and optimal assignment."""

from __future__ import annotations

from . import _core
from ._assign import assign
from ._core import (
    CapacityError,
    ConfigError,
    InfeasibleError,
    InputError,
    InvalidEntryError,
    MentorpairError,
    ShapeError,
    TooLargeError,
    __version__,
)
from ._lsap import linear_sum_assignment

__all__ = [
    "CapacityError",
    "ConfigError",
    "InfeasibleError",
    "InputError",
    "InvalidEntryError",
    "MentorpairError",
    "ShapeError",
    "TooLargeError",
    "__version__",
    "assign",
    "linear_sum_assignment",
]

from ._match import COMPONENTS, MatchResult, match, score_matrix

__all__ += ["COMPONENTS", "MatchResult", "match", "score_matrix"]

from ._problem import Problem
from ._rematch import RematchResult, rematch

__all__ += ["Problem"]

__all__ += ["RematchResult", "rematch"]

from ._suggest import fill_from_picks, suggest

__all__ += ["fill_from_picks", "suggest"]

from . import benchmark, synthetic

__all__ += ["benchmark", "synthetic"]

from ._fairness import Audit, audit_groups

__all__ += ["Audit", "audit_groups"]

from ._csv import to_csv

__all__ += ["to_csv"]

from ._learn import WeightFit, embedding_similarity, fit_weights, text_similarity

__all__ += ["WeightFit", "embedding_similarity", "fit_weights", "text_similarity"]

# Matching across a Dask cluster; dask and distributed are imported only when used.
from . import dask

__all__ += ["dask"]

from ._options import MatchOptions, SolveOptions, defaults

__all__ += ["MatchOptions", "SolveOptions", "defaults"]
