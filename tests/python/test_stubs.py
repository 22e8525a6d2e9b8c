"""The hand-written stubs ``python/mentorpair/_core.pyi`` describe the built extension exactly.

``mypy.stubtest`` imports ``mentorpair._core`` and compares every runtime name and signature with
the stub; a function added to ``_core`` without a stub (or with a different signature) fails here.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import mentorpair

STUB = Path(mentorpair.__file__).with_name("_core.pyi")


def _stubtest(cwd: Path, mypypath: Path | None = None) -> subprocess.CompletedProcess[str]:
    pytest.importorskip("mypy.stubtest")
    env = dict(os.environ)
    env.pop("MYPYPATH", None)
    if mypypath is not None:
        env["MYPYPATH"] = str(mypypath)
    return subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "mentorpair._core"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_package_ships_stub_and_py_typed() -> None:
    assert STUB.is_file()
    assert STUB.with_name("py.typed").is_file()


def test_core_stub_matches_the_extension(tmp_path: Path) -> None:
    result = _stubtest(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_stubtest_catches_a_function_missing_from_the_stub(tmp_path: Path) -> None:
    """The check above can fail: drop one function from a copy of the stub and run it again."""
    package = tmp_path / "stubs" / "mentorpair"
    package.mkdir(parents=True)
    (package / "__init__.pyi").write_text("")
    shutil.copy(STUB, package / "_core.pyi")
    text = (package / "_core.pyi").read_text()
    start = text.index("def _data_address(")
    following = text.find("\ndef ", start)
    end = len(text) if following == -1 else following + 1
    (package / "_core.pyi").write_text(text[:start] + text[end:])
    result = _stubtest(tmp_path, mypypath=tmp_path / "stubs")
    assert result.returncode != 0
    assert "mentorpair._core._data_address is not present in stub" in result.stdout
