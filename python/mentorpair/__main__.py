"""`python -m mentorpair ...`: the mentorpair command line (the same code as the `mentorpair` binary).

Run `python -m mentorpair --help` for the subcommands; exit codes are 0 ok, 1 internal error,
2 usage error, 3 input error, 4 infeasible or constraint error.
"""

from __future__ import annotations

import signal
import sys

from . import _core


def main(argv: list[str] | None = None) -> int:
    """Run the command line with `argv` (default: `sys.argv`) and return its exit code."""
    given = list(sys.argv if argv is None else argv)
    args = ["mentorpair", *given[1:]]
    # The Rust side writes to the process's own stdout/stderr: flush Python's buffers first so
    # output keeps its order, and let Ctrl-C stop a long run the way it stops the binary.
    sys.stdout.flush()
    sys.stderr.flush()
    if hasattr(signal, "SIGINT"):
        try:
            signal.signal(signal.SIGINT, signal.SIG_DFL)
        except ValueError:  # not the main thread
            pass
    return int(_core.cli_main(args))


if __name__ == "__main__":
    sys.exit(main())
