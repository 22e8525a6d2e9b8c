"""mentorpair: mentor–mentee matching with explainable scores, hard constraints and optimal assignment."""

from __future__ import annotations

from . import _core
from ._core import __version__
from ._fairness import Audit, audit_groups

__all__ = ["__version__"]
__all__ += ["Audit", "audit_groups"]
