"""Ctrl-C held back around store writes (taktplan.experiment.interrupts)."""

from __future__ import annotations

import os
import signal

import pytest

from taktplan.experiment.interrupts import (
    sigint_after,
    sigint_deferred,
    uninterrupted,
)


def _ctrl_c() -> None:
    os.kill(os.getpid(), signal.SIGINT)


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
