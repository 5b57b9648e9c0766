"""Compiling kernels ahead: the tiny calls still fit the solvers' APIs."""

from __future__ import annotations

import pytest

from taktplan import precompile
from taktplan.balance import warmup as balance_warmup
from taktplan.sequence import warmup as sequence_warmup
from taktplan.simulate import warmup as simulate_warmup


def test_tiny_calls_run_every_kernel() -> None:
    """Each compile step runs its kernels on tiny inputs without error."""
    balance_warmup.compile_depth_first()
    balance_warmup.compile_balance_helpers()
    sequence_warmup.warm_up()
    simulate_warmup.warm_up(serial=True)


def test_child_reports_both_stages(monkeypatch: pytest.MonkeyPatch) -> None:
    """A forced child says "balance", then "simulation", then ends."""
    monkeypatch.setattr(simulate_warmup, "is_cached", lambda: False)
    with precompile.BackgroundCompile() as ahead:
        assert ahead.done == set()
        ahead.start()
        ahead.wait(precompile.BALANCE)
        assert precompile.BALANCE in ahead.done
        ahead.wait(precompile.SIMULATION)
    assert ahead.done == {precompile.BALANCE, precompile.SIMULATION}
