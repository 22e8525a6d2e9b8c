"""mentorpair: mentor–mentee matching with explainable scores, hard constraints and optimal assignment."""

from __future__ import annotations

from . import _core
from ._assign import assign
from ._core import __version__

__all__ = ["__version__", "assign"]
