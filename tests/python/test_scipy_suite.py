"""scipy's own tests for ``linear_sum_assignment``, run against mentorpair's implementation.

Provenance: the test module ``scipy/optimize/tests/test_linear_assignment.py`` that ships inside
the installed scipy wheel (BSD-licensed, authors Brian M. Clapper, G. Varoquaux, Lars Buitinck).
It is not copied here: it is loaded from the installed scipy under a private module name, its
module-level ``linear_sum_assignment`` (imported from ``scipy.optimize``) is rebound to
``mentorpair.linear_sum_assignment``, and every ``test_*`` function it defines is re-exported
below for pytest to collect, assertions untouched. The test functions read that name from their
module's globals at call time, so they exercise mentorpair. The whole file skips when scipy or its
shipped tests are absent.
"""

from __future__ import annotations

import importlib.util
import types

import pytest

import mentorpair

UPSTREAM = "scipy.optimize.tests.test_linear_assignment"


def _load_upstream() -> types.ModuleType:
    pytest.importorskip("scipy")
    try:
        spec = importlib.util.find_spec(UPSTREAM)
    except ModuleNotFoundError:
        spec = None
    if spec is None or spec.origin is None or spec.loader is None:
        pytest.skip(f"the installed scipy does not ship {UPSTREAM}", allow_module_level=True)
    private = importlib.util.spec_from_file_location("_scipy_lsa_suite_on_mentorpair", spec.origin)
    assert private is not None and private.loader is not None
    module = importlib.util.module_from_spec(private)
    private.loader.exec_module(module)
    assert hasattr(module, "linear_sum_assignment"), "upstream no longer imports the function"
    module.linear_sum_assignment = mentorpair.linear_sum_assignment  # type: ignore[attr-defined]
    return module


_upstream = _load_upstream()
UPSTREAM_TESTS = sorted(name for name in vars(_upstream) if name.startswith("test_"))
globals().update({name: getattr(_upstream, name) for name in UPSTREAM_TESTS})


def test_upstream_suite_is_wired_to_mentorpair() -> None:
    """Guard against the suite silently testing scipy itself, or nothing at all."""
    assert _upstream.linear_sum_assignment is mentorpair.linear_sum_assignment
    assert len(UPSTREAM_TESTS) >= 10, UPSTREAM_TESTS
    for name in UPSTREAM_TESTS:
        assert getattr(_upstream, name).__globals__ is vars(_upstream), name
