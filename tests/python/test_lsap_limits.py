"""Long solves stop on Ctrl-C within about a second, and inputs too large for memory raise an
error instead of aborting the process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import numpy as np
import pytest

import mentorpair
from mentorpair import _core


def _mentor_like(rows: int, cols: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    a = rng.random((rows, 8))
    b = rng.random((cols, 8))
    return a @ b.T / 8 + 0.01 * (2 * rng.random((rows, cols)) - 1)


def _long_capacitated() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    # About 5 s on one core of a laptop-class machine: far longer than the interrupt budget.
    scores = _mentor_like(4000, 2666, 3)
    return scores, np.full(4000, 2, np.uint32), np.full(2666, 3, np.uint32)


@pytest.mark.skipif(not hasattr(signal, "pthread_kill"), reason="needs POSIX signals")
def test_ctrl_c_stops_a_long_solve_within_a_second() -> None:
    scores, rc, cc = _long_capacitated()
    main = threading.main_thread().ident
    assert main is not None
    delay = 0.3
    timer = threading.Timer(delay, signal.pthread_kill, args=(main, signal.SIGINT))
    start = time.perf_counter()
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        _core.solve_capacitated(scores, rc, cc, True, "coverage")
    elapsed = time.perf_counter() - start
    timer.join()
    assert elapsed < 2.0, f"interrupt took {elapsed - delay:.2f} s to arrive"
    # The solver is usable again afterwards, and the same call finishes when left alone.
    rows, cols, objective, _, _ = _core.solve_capacitated(
        scores[:300, :200].copy(), rc[:300], cc[:200], True, "coverage"
    )
    assert len(rows) == len(cols) == 600  # every row takes its two columns


def test_gil_stays_released_during_a_solve() -> None:
    scores, rc, cc = _long_capacitated()
    scores = scores[:2000, :1333].copy()
    ticks = 0
    done = threading.Event()

    def solve() -> None:
        _core.solve_capacitated(scores, rc[:2000], cc[:1333], True, "coverage")
        done.set()

    worker = threading.Thread(target=solve)
    worker.start()
    start = time.perf_counter()
    while not done.is_set() and time.perf_counter() - start < 30:
        ticks += 1
        time.sleep(0.001)
    worker.join()
    elapsed = time.perf_counter() - start
    # A Python thread holding no lock keeps running at about its own pace during the solve.
    assert elapsed < 0.05 or ticks > 0.2 * elapsed / 0.001


def test_broadcast_input_too_large_for_memory_is_an_error() -> None:
    huge = np.broadcast_to(np.float64(1.5), (1_000_000, 1_000_000))
    assert huge.strides == (0, 0)
    with pytest.raises(mentorpair.MentorpairError, match="too large"):
        _core.solve_dense(huge, True)


def test_allocator_refusal_under_an_rlimit_is_an_error_in_a_child() -> None:
    pytest.importorskip("resource")
    code = """
import resource, numpy as np
import mentorpair
from mentorpair import _core
limit = 3 << 30
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
big = np.broadcast_to(np.float64(1.0), (25_000, 25_000))  # a 5 GB copy, over the rlimit
try:
    _core.solve_dense(big, True)
except mentorpair.MentorpairError as e:
    print("refused:", e)
"""
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "RAYON_NUM_THREADS": "1"},
    )
    assert out.returncode == 0, out.stderr
    assert "refused:" in out.stdout and "too large" in out.stdout
