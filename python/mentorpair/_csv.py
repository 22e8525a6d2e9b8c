"""CSV files for people: the core's spreadsheet-safe, atomic writer for any DataFrame (pairs,
changes, unmatched mentees, generated cohorts)."""

from __future__ import annotations

import math
import os
from typing import Any

import pandas as pd

from . import _core

__all__ = ["to_csv"]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value)


def to_csv(frame: pd.DataFrame, path: str | os.PathLike[str], *, raw_csv: bool = False) -> None:
    """Write ``frame`` to ``path`` as a CSV that is safe to open in a spreadsheet.

    A cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (and not a plain
    number such as ``-0.5``) gets a leading ``'`` and every non-numeric field is quoted (OWASP
    CSV-injection guidance); mentorpair's readers (``rematch(previous_pairs=path)``, the command
    line) read such a file back to the original values. ``raw_csv=True`` writes every value as it
    is. The file is written to a temporary file next to ``path`` and renamed into place, so a
    failure never leaves a half-written file; ``"-"`` writes to standard output.

    Raises
    ------
    ValueError
        ``path`` is a folder or cannot be written.
    """
    header = [str(c) for c in frame.columns]
    rows = [[_text(v) for v in row] for row in frame.itertuples(index=False, name=None)]
    _core.write_csv(os.fspath(path), header, rows, raw_csv)
