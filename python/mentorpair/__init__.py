"""mentorpair: mentor–mentee matching with explainable scores, hard constraints and optimal assignment."""

from __future__ import annotations

from . import _core
from ._core import (
    CapacityError,
    InfeasibleError,
    InvalidEntryError,
    MentorpairError,
    ShapeError,
    __version__,
)
from ._lsap import linear_sum_assignment

__all__ = [
    "CapacityError",
    "InfeasibleError",
    "InvalidEntryError",
    "MentorpairError",
    "ShapeError",
    "__version__",
    "linear_sum_assignment",
]
