"""Overload as its own state, the over-time record and the loss tree."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from taktplan.plant.losses import LEAVES, loss_trees
from taktplan.simulate import Line, Station, simulate
from taktplan.simulate.over_time import OverTime
from taktplan.simulate.results import STATES

SEQ = np.array([0, 1, 0, 0])
# A works 10 s on variant 0 and 14 s on variant 1, 4 s of which is work
# overload (a 10 s cycle); one pass of SEQ takes A 44 s.
WARMUP, HORIZON = 440.0, 4400.0


def _two_stations(paced: bool) -> Line:
    a = Station("A", [10.0, 14.0], overload_times=[0.0, 4.0])
    b = Station("B", [10.0, 10.0]) if paced else Station("B", [12.0, 6.0])
    if paced:
        return Line((a, b), (0,), ((0, 1),))
    return Line((a, b), (2,))


@pytest.mark.parametrize("paced", [False, True])
def test_overload_is_its_own_state(paced: bool) -> None:
    """A's 4 s of overload in every 44 s are overload, not working (the
    issue-16 regression: they used to count as working)."""
    res = simulate(_two_stations(paced), horizon=HORIZON, warmup=WARMUP,
                   replications=1, seed=0, variant_sequence=SEQ)
    assert STATES[4] == "overload"
    np.testing.assert_allclose(res.fractions[0], [40 / 44, 0, 0, 0, 4 / 44],
                               atol=1e-12)
    assert res.to_dict()["stations"][0]["overload"] == pytest.approx(4 / 44)


def test_overload_times_must_fit_the_process_times() -> None:
    """Overload longer than the time it is part of is refused."""
    from taktplan.errors import InputError

    with pytest.raises(InputError, match="overload_times"):
        Line((Station("A", [10.0], overload_times=[11.0]),), ())


@pytest.mark.parametrize("paced", [False, True])
def test_recording_changes_no_number(paced: bool) -> None:
    """The same run with the over-time record on gives the same results,
    and its output bins add up to the departures."""
    line = _two_stations(paced)
    kw = {"horizon": HORIZON, "warmup": WARMUP, "replications": 2,
          "seed": 3, "variant_sequence": SEQ}
    off = simulate(line, **kw)
    on = simulate(line, **kw, over_time=OverTime(440.0, 0.0, 880.0))
    assert on.throughput == off.throughput
    np.testing.assert_array_equal(on.fractions, off.fractions)
    assert off.output_bins is None and off.trace is None
    bins = on.output_bins
    assert bins is not None and bins.shape == (2, 10)
    np.testing.assert_array_equal(
        bins.sum(axis=1), [r.departures for r in on.replications])
    assert on.trace is not None and on.replications[1].trace is None


def _into_segment() -> Line:
    """A, a buffer of 2, then a paced segment of B (12/6 s) and C."""
    a = Station("A", [10.0, 14.0], overload_times=[0.0, 4.0])
    return Line((a, Station("B", [12.0, 6.0], mtbf=200.0, mttr=20.0),
                 Station("C", [9.0, 9.0])), (2, 0), ((1, 2),))


@pytest.mark.parametrize("make", [lambda: _two_stations(False),
                                  _into_segment])
def test_trace_matches_the_simulation_counters(
        make: Callable[[], Line]) -> None:
    """Hand-worked two stations (and the same in front of a paced
    segment): the traced buffer levels give the kernel's own time at
    each level, over the whole window and over a part of it, and the
    traced states its station fractions (up to the one job cut by each
    end of the window)."""
    line = make()
    res = simulate(line, horizon=HORIZON, warmup=WARMUP, replications=1,
                   seed=0, variant_sequence=SEQ,
                   over_time=OverTime(440.0, 0.0, HORIZON))
    tr = res.trace
    assert tr is not None and not tr.truncated
    assert (tr.start, tr.end) == (WARMUP, WARMUP + HORIZON)
    levels = tr.time_at_level(0, 2) / HORIZON
    np.testing.assert_allclose(levels, res.replications[0].buffer_levels[0],
                               atol=1e-12)
    assert levels[1] > 0  # B's 12 s jobs make work wait in the buffer
    # a trace of the first half equals a simulation of the first half
    half = simulate(line, horizon=HORIZON / 2, warmup=WARMUP,
                    replications=1, seed=0, variant_sequence=SEQ)
    part = simulate(line, horizon=HORIZON, warmup=WARMUP, replications=1,
                    seed=0, variant_sequence=SEQ,
                    over_time=OverTime(440.0, 0.0, HORIZON / 2)).trace
    assert part is not None
    np.testing.assert_allclose(part.time_at_level(0, 2) / (HORIZON / 2),
                               half.replications[0].buffer_levels[0],
                               atol=1e-12)
    for i in range(2):
        got = tr.state_times(i)
        for k, state in enumerate(STATES):
            assert got.get(state, 0.0) / HORIZON == pytest.approx(
                res.fractions[i, k], abs=2 * 14 / HORIZON)


def test_loss_tree_sums_to_the_planned_time() -> None:
    """Breaks + breakdowns + blocking + starving + overload + running =
    planned time, for the line and each segment; in vehicles the leaves
    add up to the planned vehicles, and A's overload costs 400 s."""
    line = _two_stations(False)
    res = simulate(line, horizon=HORIZON, warmup=WARMUP, replications=1,
                   seed=0, variant_sequence=SEQ)
    out = float(res.replications[0].departures)
    trees = loss_trees(res, ("first", "second"), productive_s=HORIZON,
                       breaks_s=600.0, cycle_s=11.0, output=out)
    assert [t.name for t in trees] == ["line", "first", "second"]
    for t in trees:
        assert sum(t.seconds.values()) == pytest.approx(5000.0)
        v = t.vehicles()
        assert list(v) == list(LEAVES)
        assert sum(v.values()) == pytest.approx(5000.0 / 11.0)
    assert trees[1].seconds["overload"] == pytest.approx(400.0)
    assert trees[1].biggest_loss()[0] == "overload"
    assert trees[0].seconds["overload"] == 0.0


def test_plant_line_marks_its_overload() -> None:
    """The plant's stations carry their overload stops as overload."""
    from taktplan.plant.stages import balance_and_sequence
    from taktplan.plant.line_stage import build_plant_line
    from taktplan.scenario import load_scenario

    scenario = load_scenario(Path(__file__).parent / "data"
                             / "tiny_scenario.toml")
    balance = balance_and_sequence(scenario).balance
    only_b = np.ones(20, dtype=np.int64)  # every vehicle the heavy B
    plant = build_plant_line(scenario, balance, only_b)
    over = np.array([s.overload.sum() for s in plant.line.stations])
    np.testing.assert_allclose(over, plant.overload_stop_s)
    assert over.sum() > 0
    res = simulate(plant.line, horizon=36_000.0, warmup=0.0,
                   replications=1, seed=1,
                   variant_sequence=plant.variant_sequence)
    k = int(np.argmax(over))
    assert res.fractions[k, 4] > 0
