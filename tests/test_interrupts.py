"""Ctrl-C held back around store writes (taktplan.experiment.interrupts)."""

from __future__ import annotations

import signal
from typing import TYPE_CHECKING

import pytest

from taktplan.experiment.interrupts import (
    sigint_after,
    sigint_deferred,
    uninterrupted,
)

if TYPE_CHECKING:
    from collections.abc import Iterator


@pytest.fixture(autouse=True)
def _default_ctrl_c() -> Iterator[None]:
    """Each test starts from Python's own SIGINT handler, whatever an
    earlier test in the same worker process left in place."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


def _ctrl_c() -> None:
    # to this thread, so the handler runs before the call returns: a
    # signal sent to the process may land in another thread (a worker
    # pool of an earlier test) and reach the handler only after the
    # block ended (two failures of a fresh-clone CI run)
    signal.raise_signal(signal.SIGINT)


def test_the_block_ends_whole_then_the_interrupt_is_raised() -> None:
    steps: list[str] = []
    with pytest.raises(KeyboardInterrupt), sigint_after():
        _ctrl_c()
        steps.append("after the signal")
    assert steps == ["after the signal"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_the_handler_in_place_gets_the_signal_after_the_block() -> None:
    got: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda s, f: got.append(s))
    try:
        with sigint_after():
            _ctrl_c()
            assert got == []  # held while the block runs
        assert got == [signal.SIGINT]
    finally:
        signal.signal(signal.SIGINT, previous)


def test_an_ignored_interrupt_stays_ignored() -> None:
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with sigint_after():
            _ctrl_c()
    finally:
        signal.signal(signal.SIGINT, previous)


def test_a_decorated_call_returns_its_work_before_the_interrupt() -> None:
    done: list[int] = []

    @uninterrupted
    def write(x: int) -> int:
        _ctrl_c()
        done.append(x)
        return x

    with pytest.raises(KeyboardInterrupt):
        write(7)
    assert done == [7]


def test_no_signal_no_interrupt_and_the_deferral_reports_it() -> None:
    with sigint_deferred() as got:
        pass
    assert got == []
    with sigint_deferred() as got:
        _ctrl_c()
    assert got == [signal.SIGINT]
    with sigint_after():
        value = 3
    assert value == 3
