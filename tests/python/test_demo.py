"""`make demo` keeps working: the demo runs end to end on a small cohort and prints every section."""

from __future__ import annotations

import pytest

from mentorpair import demo


def test_demo_prints_every_section(capsys: pytest.CaptureFixture[str]) -> None:
    demo.main(n_mentees=120, n_mentors=50, seed=1)
    out = capsys.readouterr().out
    for section in ("cohort: 120 mentees, 50 mentors", "== match:", "constraint violations 0",
                    "== why", "== audit by gender", "disparate impact", "== time:",
                    "== rematch", "violations 0"):
        assert section in out, section
