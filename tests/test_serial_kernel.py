"""The fast serial-line kernel gives what the general kernel gives."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from taktplan.simulate import Line, Station, simulate_replication
from taktplan.simulate import run as run_module

pytestmark = pytest.mark.xdist_group("simulate")


def _random_line(seed: int) -> Line:
    rng = np.random.default_rng(seed)
    k = int(rng.integers(2, 7))
    kinds = ("deterministic", "exponential", "lognormal", "gamma")
    st = tuple(
        Station(f"S{i}", rng.uniform(0.5, 2.0, size=2),
                process=str(kinds[int(rng.integers(0, 4))]),
                process_cv=float(rng.uniform(0.2, 1.0)),
                mtbf=float(rng.choice([np.inf, rng.uniform(5, 80)])),
                mttr=float(rng.uniform(0.5, 8.0)),
                repair=str(rng.choice(["exponential", "lognormal"])),
                repair_cv=0.7)
        for i in range(k))
    return Line(st, tuple(int(b) for b in rng.integers(0, 6, size=k - 1)))


def _both(line: Line, monkeypatch: pytest.MonkeyPatch, **kw: object
          ) -> tuple[object, object]:
    ss = np.random.SeedSequence(7)
    fast = simulate_replication(line, horizon=3000.0, warmup=200.0,
                                seed_sequence=ss, **kw)  # type: ignore
    flatten = run_module._flatten

    def general(ln: Line) -> object:
        return dataclasses.replace(flatten(ln), serial=False)

    monkeypatch.setattr(run_module, "_flatten", general)
    slow = simulate_replication(line, horizon=3000.0, warmup=200.0,
                                seed_sequence=ss, **kw)  # type: ignore
    return fast, slow


@pytest.mark.parametrize("seed", range(8))
def test_serial_kernel_equals_the_general_kernel(
        seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Same draws, same arithmetic: the same numbers on random lines."""
    line = _random_line(seed)
    mix = np.array([0.3, 0.7]) if seed % 2 else None
    fast, slow = _both(line, monkeypatch, variant_mix=mix)
    assert fast.departures == slow.departures  # type: ignore[attr-defined]
    for name in ("fractions", "momentary_share", "sole_share",
                 "shifting_share"):
        np.testing.assert_array_equal(getattr(fast, name),
                                      getattr(slow, name))
    assert fast.wip == slow.wip  # type: ignore[attr-defined]
    assert fast.flow_time == slow.flow_time  # type: ignore[attr-defined]
    # buffer levels are summed event by event instead of level by level
    for a, b in zip(fast.buffer_levels, slow.buffer_levels,  # type: ignore
                    strict=True):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)
        assert a.min() >= 0.0


def test_serial_kernel_throughput_only_pass(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """``detail=False`` on the fast kernel: the same departures and WIP."""
    fast, slow = _both(_random_line(3), monkeypatch, detail=False)
    assert fast.departures == slow.departures  # type: ignore[attr-defined]
    assert fast.wip == slow.wip  # type: ignore[attr-defined]
