"""Compiling kernels ahead: the tiny calls still fit the solvers' APIs."""

from __future__ import annotations

import pytest

from taktplan import precompile


def test_tiny_calls_run_every_kernel() -> None:
    """Each compile step runs its kernels on tiny inputs without error."""
    precompile.compile_depth_first()
    precompile.compile_balance_helpers()
    precompile.compile_sequencing_kernels()
    precompile.compile_simulation_kernels(serial=True)


def test_child_reports_both_stages(monkeypatch: pytest.MonkeyPatch) -> None:
    """A forced child says "balance", then "simulation", then ends."""
    monkeypatch.setattr(precompile, "_simulation_cached", lambda: False)
    with precompile.BackgroundCompile() as ahead:
        ahead.wait(precompile.BALANCE)
        assert precompile.BALANCE in ahead.done
        ahead.wait(precompile.SIMULATION)
    assert ahead.done == {precompile.BALANCE, precompile.SIMULATION}
