"""The installed distribution: exactly numpy and pandas required, matplotlib only as the `plot`
extra, Python >= 3.10, and `python -m mentorpair` runs the command line."""

from __future__ import annotations

import re
import subprocess
import sys
from importlib import metadata

import mentorpair


def _requirements() -> dict[str | None, set[str]]:
    """Requirement names of the installed distribution, keyed by extra (None = required)."""
    by_extra: dict[str | None, set[str]] = {}
    for line in metadata.requires("mentorpair") or []:
        spec, _, marker = line.partition(";")
        name = re.match(r"\s*([A-Za-z0-9_.\-]+)", spec)
        assert name is not None, line
        extra = re.search(r"extra\s*==\s*['\"]([^'\"]+)['\"]", marker)
        by_extra.setdefault(extra.group(1) if extra else None, set()).add(
            name.group(1).lower().replace("_", "-")
        )
    return by_extra


def test_only_numpy_and_pandas_are_required() -> None:
    assert _requirements()[None] == {"numpy", "pandas"}


def test_matplotlib_is_the_plot_extra() -> None:
    reqs = _requirements()
    assert reqs.get("plot") == {"matplotlib"}
    assert "matplotlib" not in reqs[None]


def test_python_floor_and_version() -> None:
    meta = metadata.metadata("mentorpair")
    assert meta["Requires-Python"].replace(" ", "") == ">=3.10"
    assert metadata.version("mentorpair") == mentorpair.__version__


def test_python_dash_m_runs_the_cli() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "mentorpair", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == f"mentorpair {mentorpair.__version__}"
    bad = subprocess.run(
        [sys.executable, "-m", "mentorpair", "--no-such-flag"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 2
    assert "--no-such-flag" in bad.stderr


def test_every_parameter_of_the_main_entry_points_is_documented() -> None:
    import inspect

    for fn in (mentorpair.match, mentorpair.rematch, mentorpair.score_matrix):
        doc = inspect.getdoc(fn) or ""
        assert len(doc.splitlines()) > 10, fn.__name__
        for name, param in inspect.signature(fn).parameters.items():
            if param.kind is inspect.Parameter.VAR_KEYWORD and fn is not mentorpair.rematch:
                continue
            assert name in doc, f"{fn.__name__}: parameter {name!r} is not described in its docstring"


def test_public_names_have_docstrings() -> None:
    import inspect

    for name in mentorpair.__all__:
        obj = getattr(mentorpair, name)
        if inspect.isfunction(obj) or inspect.isclass(obj):
            assert inspect.getdoc(obj), f"mentorpair.{name} has no docstring"
