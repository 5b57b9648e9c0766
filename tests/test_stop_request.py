"""Ctrl-C inside a compiled search (taktplan.stop_request): marked, not
raised there; the search ends and raises once back in Python."""

from __future__ import annotations

import inspect
import math
import signal
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pytest

from taktplan import stop_request

if TYPE_CHECKING:
    from collections.abc import Iterator
    from types import FrameType

SALBP = Path(__file__).resolve().parents[1] / "benchmarks" / "instances" \
    / "salbp"


@pytest.fixture(autouse=True)
def _no_stop() -> Iterator[None]:
    """No mark, and Python's own SIGINT handler, whatever an earlier
    test in the same worker left."""
    stop_request.clear()
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)
    stop_request.clear()


def _frame_in(filename: str) -> FrameType:
    """A live frame whose code comes from ``filename``."""
    space: dict[str, object] = {"inspect": inspect}
    exec(compile("def here():\n    return inspect.currentframe()\n",
                 filename, "exec"), space)
    return space["here"]()  # type: ignore[operator]


def test_the_clock_reads_infinite_after_a_stop_and_finite_after_clear(
        ) -> None:
    assert math.isfinite(stop_request.cpu_clock())
    stop_request.request_stop()
    assert stop_request.stop_requested()
    assert stop_request.cpu_clock() == math.inf
    stop_request.clear()
    assert math.isfinite(stop_request.cpu_clock())


@pytest.mark.parametrize(("filename", "inside"), [
    ("/venv/site/taktplan/balance/_kernel.py", True),
    ("/venv/site/numba/core/serialize.py", True),
    ("/venv/site/taktplan/balance/_stop.py", True),  # beams, local search
    ("/venv/site/taktplan/stop_request.py", True),  # the clock
    ("C:\\venv\\site\\taktplan\\balance\\_kernel.py", True),
    ("/venv/site/taktplan/balance/search.py", False),
    ("/venv/site/numba/core/compiler.py", False),  # compiling: may raise
])
def test_only_python_run_by_a_kernel_counts_as_inside(
        filename: str, inside: bool) -> None:
    assert stop_request.inside_kernel(_frame_in(filename)) is inside
    assert not stop_request.inside_kernel(None)


def test_the_handler_raises_outside_kernels_only() -> None:
    """Inside a kernel's Python the handler only marks the stop (the
    search ends on it and run_search raises); outside it raises."""
    stop_request.on_interrupt(
        signal.SIGINT, _frame_in("/x/taktplan/balance/_kernel.py"))
    assert stop_request.stop_requested()  # marked, not raised
    stop_request.clear()
    with pytest.raises(KeyboardInterrupt):
        stop_request.on_interrupt(signal.SIGINT, inspect.currentframe())
    assert stop_request.stop_requested()


def test_a_library_search_gets_the_handler_for_its_duration() -> None:
    """Where Python's own handler is in place (a script, a notebook),
    the search's block installs the kernel-safe one and restores
    Python's after it, clearing the mark."""
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    with stop_request.kernel_safe_interrupts():
        assert signal.getsignal(signal.SIGINT) is stop_request.on_interrupt
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_stop_no_search_saw_raises_at_the_end_of_the_block() -> None:
    """A Ctrl-C marked inside a kernel without a clock (the handler does
    not raise there) still raises, once the block ends; the mark and
    Python's handler are restored."""
    with (pytest.raises(KeyboardInterrupt),
          stop_request.kernel_safe_interrupts()):
        stop_request.on_interrupt(
            signal.SIGINT, _frame_in("/x/numba/core/serialize.py"))
        assert stop_request.stop_requested()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    assert not stop_request.stop_requested()


def test_a_handler_of_the_callers_own_is_left_alone() -> None:
    def own(signum: int, frame: FrameType | None) -> None:
        pass

    previous = signal.signal(signal.SIGINT, own)
    try:
        with stop_request.kernel_safe_interrupts():
            assert signal.getsignal(signal.SIGINT) is own
            stop_request.request_stop()
        assert stop_request.stop_requested()  # not the block's to clear
    finally:
        signal.signal(signal.SIGINT, previous)


def test_another_thread_leaves_the_handler_alone() -> None:
    seen: list[object] = []

    def search() -> None:
        with stop_request.kernel_safe_interrupts():
            seen.append(signal.getsignal(signal.SIGINT))

    worker = threading.Thread(target=search)
    worker.start()
    worker.join()
    assert seen == [signal.default_int_handler]


def test_a_search_after_a_stop_ends_and_raises_in_python() -> None:
    """SCHOLL at 1394 needs the exact search (the rules end above the
    bound): with the stop marked, its kernel's clock reads infinite, so
    it ends at its first deadline check and the driver raises."""
    from taktplan.balance import solve_salbp1
    from taktplan.formats.salbp import read_salbp

    problem = read_salbp(SALBP / "SCHOLL.IN2")
    assert solve_salbp1(problem, 1394).status == "optimal"  # unmarked
    stop_request.request_stop()
    with pytest.raises(KeyboardInterrupt):
        solve_salbp1(problem, 1394)


def test_the_beam_and_the_local_search_end_on_a_stop() -> None:
    """The large line's kernels read the mark (balance._stop): the beam
    returns no line before its first station, the local search stops at
    its first cooling step instead of spending its moves."""
    from taktplan.balance._upper import empty_stations, station_beam
    from taktplan.balance.prepare import prepare
    from taktplan.balance.upper import beam_rules

    times = [3, 3, 3, 7, 7, 7]
    prep = prepare(np.array(times)[:, None], np.array([10]),
                   np.zeros((0, 2), dtype=np.int64), increment=False)
    beam = (prep.times[:, 0].copy(), 10, prep.w2[:, 0].copy(),
            prep.w3[:, 0].copy(), prep.pred_ptr, prep.succ_ptr,
            prep.succ_idx, beam_rules(prep), 8, 12, 0.3, 0, 10**9)
    search = (prep.times[:, 0].copy(), 10, prep.pred_ptr, prep.pred_idx,
              prep.succ_ptr, prep.succ_idx,
              np.arange(6, dtype=np.int64), 1, 10**7, 0, 0.02, 4)
    assert station_beam(*beam)[1] == 3
    stop_request.request_stop()
    _, m, work = station_beam(*beam)
    assert (m, work) == (-1, 0)
    of, m, tried = empty_stations(*search)
    # target 1 cannot be met: only the stop ends it before 10**7 moves
    assert tried == 10**7 // (40 * 4)  # at its first cooling step
    assert m == 3


def test_a_stop_during_the_large_line_phase_raises_after_the_kernel(
        ) -> None:
    """improve_line raises once its beam returns, instead of going on to
    the next beam and the local search."""
    from taktplan.balance.prepare import prepare
    from taktplan.balance.upper import improve_line

    rng = np.random.default_rng(0)
    times = rng.integers(200, 800, size=60)
    fwd = prepare(times[:, None], np.array([1000]),
                  np.zeros((0, 2), dtype=np.int64), increment=False)
    stop_request.request_stop()
    with pytest.raises(KeyboardInterrupt):
        improve_line(fwd, fwd, np.arange(60, dtype=np.int64), 60, 1, 0)


def test_the_two_sided_local_search_and_cp_sat_raise_after_a_stop(
        ) -> None:
    """The two-sided local search ends on the mark and its driver
    raises; no CP-SAT model starts after a marked stop."""
    from taktplan.balance.twosided.improve import improve_cycle
    from taktplan.balance.twosided.problem import TwoSidedProblem
    from taktplan.balance.twosided.station import prepare
    from taktplan.cpsat_solver import new_solver

    p = TwoSidedProblem(times=np.array([3, 3, 3, 3]),
                        sides=np.full(4, 2), arcs=np.zeros((0, 2), int))
    prep = prepare(p)
    line = [[(0, 0, 0), (1, 0, 3), (2, 0, 6), (3, 0, 9)]]
    stop_request.request_stop()
    with pytest.raises(KeyboardInterrupt):
        improve_cycle(prep, line, 10**6, target=6)
    with pytest.raises(KeyboardInterrupt):
        new_solver(0)
