"""examples/quickstart.ipynb runs top to bottom in a fresh kernel and matches its generator script,
so the notebook can never rot."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "examples" / "quickstart.ipynb"
GENERATOR = ROOT / "examples" / "quickstart_notebook.py"


def _kernel_name() -> str:
    """The kernel that runs this interpreter (ipykernel's native `python3` spec uses sys.executable)."""
    pytest.importorskip("ipykernel")
    return "python3"


def test_notebook_is_valid_and_up_to_date() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    built = runpy.run_path(str(GENERATOR))["build"]()
    assert [c.source for c in nb.cells] == [c.source for c in built.cells], (
        "examples/quickstart.ipynb differs from examples/quickstart_notebook.py; "
        "run `python examples/quickstart_notebook.py` to regenerate it"
    )
    assert all(c.get("outputs", []) == [] for c in nb.cells), "commit the notebook without outputs"


def test_notebook_executes(tmp_path: Path) -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        nb,
        timeout=300,
        kernel_name=_kernel_name(),
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()
    errors = [
        out
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.outputs
        if out.output_type == "error"
    ]
    assert errors == []
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count is not None for c in code)
    # The score-distribution cell drew a figure.
    images = [
        out
        for cell in code
        for out in cell.outputs
        if out.output_type == "display_data" and "image/png" in out.data
    ]
    assert len(images) >= 1
