"""Ctrl-C inside a compiled search (taktplan.stop_request): marked, not
raised there; the search ends and raises once back in Python."""

from __future__ import annotations

import inspect
import math
import signal
import threading
from pathlib import Path
from typing import TYPE_CHECKING

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
