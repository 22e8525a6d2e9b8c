"""Shared fixtures for the Python tests: the scipy oracle and the optional ../shared data folder."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def scipy_lsa() -> Callable[..., object]:
    """scipy's linear_sum_assignment, the oracle; tests that need it skip when scipy is absent."""
    optimize = pytest.importorskip("scipy.optimize")
    return optimize.linear_sum_assignment


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The project's shared data folder (``../shared/data`` beside the repo); skip when absent."""
    path = REPO_ROOT.parent / "shared" / "data"
    if not path.is_dir():
        pytest.skip(f"shared data folder {path} is absent (only present in the project workspace)")
    return path
