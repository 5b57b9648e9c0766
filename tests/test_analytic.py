"""The analytic models, and the simulator checked against them."""

from __future__ import annotations

import numpy as np
import pytest

from taktplan.simulate import Line, Station, simulate
from taktplan.simulate.analytic import (
    ddx,
    decomposition_throughput,
    exact_line,
    two_machine_bernoulli,
    two_machine_exponential,
)

# one xdist worker compiles the numba kernels once for all these tests
pytestmark = pytest.mark.xdist_group("simulate")


def _two(b: int, t1: float, t2: float, f1: float, r1: float, f2: float,
         r2: float, process: str = "exponential",
         kind: str = "exponential") -> Line:
    return Line((Station("A", np.array([t1]), process=process, mtbf=f1,
                         mttr=r1, failure=kind, repair=kind),
                 Station("B", np.array([t2]), process=process, mtbf=f2,
                         mttr=r2, failure=kind, repair=kind)), (b,))


def test_exponential_model_without_failures_is_mm1n() -> None:
    """No failures: the storage is an M/M/1/N queue, P0 by hand."""
    r = two_machine_exponential(1.0, 0.0, 1.0, 2.0, 0.0, 1.0, 3)
    p0 = 0.5 / (1 - 0.5**4)
    assert r.throughput == pytest.approx(2.0 * (1 - p0), rel=1e-12)
    assert r.starved == pytest.approx(p0, rel=1e-12)


def test_exponential_model_equals_the_exact_chain() -> None:
    """Gershwin's model with N = buffer + 2 is the line's exact chain."""
    for b in (0, 1, 4):
        line = _two(b, 1.0, 1.2, 50.0, 5.0, 200.0, 20.0)
        exact = exact_line(line).throughput
        gershwin = two_machine_exponential(1.0, 1 / 50, 1 / 5, 1 / 1.2,
                                           1 / 200, 1 / 20, b + 2)
        assert gershwin.throughput == pytest.approx(exact, rel=1e-10)


def test_bernoulli_model_limits_and_reversibility() -> None:
    """A perfect first machine and a huge buffer give e2; reversal keeps
    the throughput."""
    r = two_machine_bernoulli(0.0, 0.1, 0.01, 0.1, 200)
    assert r.throughput == pytest.approx(0.1 / 0.11, rel=1e-9)
    a = two_machine_bernoulli(0.01, 0.1, 0.03, 0.2, 9).throughput
    b = two_machine_bernoulli(0.03, 0.2, 0.01, 0.1, 9).throughput
    assert a == pytest.approx(b, rel=1e-9)
    assert 0 < a < min(0.1 / 0.11, 0.2 / 0.23)


# buffer, t1, t2, mtbf1, mttr1, mtbf2, mttr2
TWO_MACHINE_CASES = [
    (0, 1.0, 1.0, 100.0, 10.0, 100.0, 10.0),    # no buffer
    (3, 1.0, 1.2, 50.0, 5.0, 200.0, 20.0),      # slow second machine
    (10, 0.8, 1.0, 1000.0, 100.0, 1000.0, 100.0),  # rare long failures
    (5, 1.0, 1.0, 10.0, 0.5, 8.0, 0.4),         # frequent short failures
    (50, 1.0, 0.9, 30.0, 3.0, 60.0, 6.0),       # large buffer
    (1, 1.5, 1.0, 40.0, 4.0, 400.0, 40.0),      # slow first machine
    (20, 1.0, 1.0, 200.0, 50.0, 100.0, 5.0),    # mixed failure patterns
]


@pytest.mark.parametrize("case", TWO_MACHINE_CASES)
def test_simulation_matches_exact_two_machine_line(case: tuple) -> None:
    """The 95% CI holds the exact value and the mean is within 1%."""
    b, t1, t2, f1, r1, f2, r2 = case
    res = simulate(_two(b, t1, t2, f1, r1, f2, r2), horizon=200_000.0,
                   warmup=5_000.0, replications=12, seed=2026)
    exact = two_machine_exponential(1 / t1, 1 / f1, 1 / r1, 1 / t2,
                                    1 / f2, 1 / r2, b + 2).throughput
    assert res.throughput.contains(exact)
    assert abs(res.throughput.mean - exact) / exact < 0.01


@pytest.mark.parametrize("b", [0, 5, 20])
def test_simulation_near_bernoulli_model(b: int) -> None:
    """Deterministic cycle 1 with geometric failures is within 1.5% of the
    discrete model with N = buffer + 2."""
    res = simulate(_two(b, 1.0, 1.0, 20.0, 4.0, 30.0, 3.0, "deterministic",
                        "geometric"),
                   horizon=100_000.0, warmup=1000.0, replications=8,
                   seed=7)
    exact = two_machine_bernoulli(1 / 21, 1 / 4, 1 / 31, 1 / 3,
                                  b + 2).throughput
    assert abs(res.throughput.mean - exact) / exact < 0.015


def test_exact_chain_matches_simulation_of_three_stations() -> None:
    """Throughput, time fractions, WIP and buffer levels of a 3-station
    line agree with its exact chain."""
    st = tuple(Station(f"S{i}", np.array([1.0 + 0.1 * i]),
                       process="exponential", mtbf=80.0, mttr=8.0)
               for i in range(3))
    line = Line(st, (2, 1))
    chain = exact_line(line)
    np.testing.assert_allclose(chain.fractions.sum(axis=1), 1.0)
    res = simulate(line, horizon=100_000.0, warmup=2000.0, replications=10,
                   seed=5)
    assert res.throughput.contains(chain.throughput)
    np.testing.assert_allclose(res.fractions[:, :4], chain.fractions,
                               atol=0.005)
    assert res.wip.mean == pytest.approx(chain.wip, rel=0.01)
    means = [float(np.arange(lv.size) @ lv) for lv in res.buffer_levels]
    np.testing.assert_allclose(means, chain.mean_buffer, rtol=0.02)


def test_decomposition_of_two_machines_is_exact() -> None:
    """DDX on two machines is the two-machine model itself."""
    d = ddx(np.array([0.01, 0.02]), np.array([0.1, 0.1]), np.array([7]))
    exact = two_machine_bernoulli(0.01, 0.1, 0.02, 0.1, 7).throughput
    assert d.converged
    assert d.throughput == pytest.approx(exact, rel=1e-12)


@pytest.mark.parametrize(("k", "b"), [(3, 2), (5, 10), (10, 5)])
def test_decomposition_close_to_simulation(k: int, b: int) -> None:
    """DDX is within 3% of the simulated throughput of longer lines."""
    st = tuple(Station(f"M{i}", np.array([1.0]), mtbf=100.0 * (1 + 0.2 * i),
                       mttr=10.0) for i in range(k))
    line = Line(st, (b,) * (k - 1))
    res = simulate(line, horizon=50_000.0, warmup=1000.0, replications=4,
                   seed=3)
    approx = decomposition_throughput(line)
    assert abs(approx - res.throughput.mean) / res.throughput.mean < 0.03
