"""Ctrl-C inside a compiled search (taktplan.stop_request): marked, not
raised there; the search ends and raises once back in Python."""

from __future__ import annotations

import inspect
import math
import signal
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
    stop_request.clear()
    yield
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


def test_the_command_handler_raises_outside_kernels_only() -> None:
    """Inside a kernel's Python the handler marks the stop and asks
    again (the signal comes back at the next Python), outside it
    raises."""
    from taktplan.cli.app import _on_sigint

    again: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda s, f: again.append(s))
    try:
        _on_sigint(signal.SIGINT,
                   _frame_in("/x/taktplan/balance/_kernel.py"))
        assert stop_request.stop_requested()  # marked, not raised
        for _ in range(3):  # the Python after it: the signal again
            pass
        assert again == [signal.SIGINT]
    finally:
        signal.signal(signal.SIGINT, previous)
    stop_request.clear()
    with pytest.raises(KeyboardInterrupt):
        _on_sigint(signal.SIGINT, inspect.currentframe())
    assert stop_request.stop_requested()


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
