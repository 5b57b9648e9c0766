"""The plan's verdict agrees with its parts (tiny hand-checkable plant)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from taktplan.capacity import available_time
from taktplan.pipeline import plan
from taktplan.plan_json import plan_to_dict
from taktplan.plant.design import Design
from taktplan.plant.simulate_stage import simulate_design, yearly
from taktplan.scenario import load_scenario

TINY = Path(__file__).parent / "data" / "tiny_scenario.toml"


@pytest.fixture(scope="module")
def tiny_plan():  # noqa: ANN201
    """The tiny plant planned with 4 replicated years."""
    return plan(TINY, replications=4, seed=7)


def test_balance_of_tiny_plant(tiny_plan) -> None:  # noqa: ANN001
    """Weighted work 196.25 s > cycle 194.4 s: two stations, proved."""
    b = tiny_plan.balance
    assert b.cycle_s == pytest.approx(194.4)
    assert b.n_stations == 2
    assert b.lower_bound == 2
    assert b.proved_optimal
    seg = b.segments[0]
    tasks = sorted(t for st in seg.station_tasks for t in st)
    assert tasks == ["t1", "t2", "t3", "t4", "t5", "t6"]
    assert np.all(seg.weighted_loads <= b.load_limit_s + 1e-9)
    assert np.all(seg.loads <= b.variant_limit_s + 1e-9)
    assert seg.weighted_loads.sum() == pytest.approx(196.25)


def test_sequence_keeps_daily_demand(tiny_plan) -> None:  # noqa: ANN001
    """The day's sequence holds each variant's whole daily demand."""
    q = tiny_plan.sequence
    demand = tiny_plan.capacity.demand
    counts = np.bincount(q.sequence, minlength=2)
    assert tuple(counts) == demand.whole == (188, 62)
    assert q.violations == int(q.violations_per_rule.sum())


def test_verdict_ci_comes_from_the_replications(tiny_plan) -> None:  # noqa: ANN001
    """Annual outputs are throughput x net seconds; CI is the t-interval."""
    p = tiny_plan
    sim = p.simulation
    seconds = available_time(p.scenario.calendar).net_seconds_per_year
    expected = np.array([r.throughput * seconds for r in sim.replications])
    out = p.verdict.output
    np.testing.assert_allclose(out.per_replication, expected)
    half = stats.t.ppf(0.975, 3) * expected.std(ddof=1) / 2.0
    assert out.mean == pytest.approx(expected.mean())
    assert out.low == pytest.approx(expected.mean() - half)
    assert out.high == pytest.approx(expected.mean() + half)
    assert out.reached == int((expected >= 60_000).sum())
    assert p.verdict.meets_target == (out.mean >= 60_000)
    assert p.verdict.bottleneck in sim.names


def test_same_seed_same_plan() -> None:
    """Planning twice with one seed gives the same numbers."""
    a = plan_to_dict(plan(TINY, replications=2, seed=3))
    b = plan_to_dict(plan(TINY, replications=2, seed=3))
    a.pop("timings_s")
    b.pop("timings_s")
    assert a == b


def test_recommended_change_really_reaches_target() -> None:
    """A tight plant misses; the chosen change, re-simulated, reaches it."""
    s = load_scenario(TINY)
    tight = s.model_copy(update={"targets": s.targets.model_copy(
        update={"availability": 0.995})})
    p = plan(tight, replications=3, seed=11)
    assert not p.verdict.meets_target
    rec = p.recommendation
    assert rec is not None and rec.chosen is not None
    chosen = rec.chosen
    assert not chosen.screening
    assert chosen.output.mean >= tight.targets.annual_volume
    # Re-simulate independently with the same seeds as the confirmation.
    from taktplan.plant.whatif import LineVariants

    bal, seq = LineVariants(tight, p.balance, p.sequence.sequence,
                            11).get(chosen.design.load_factor)
    res = simulate_design(tight, bal, seq, chosen.design,
                          replications=3, seed=12).result
    again = yearly(res, tight, chosen.design)
    assert again.mean() == pytest.approx(chosen.output.mean)
    assert again.mean() >= tight.targets.annual_volume
    cheaper = [d for d in rec.tried if d.meets_target
               and d.cost_per_year < chosen.cost_per_year]
    assert all("screening but not" in " ".join(rec.notes)
               for _ in cheaper)
    # The screened changes' yardstick: no change, screened the same way
    # (a fifth of a year, 3 replications, the plan's seed).
    base = rec.baseline
    assert base is not None and base.screening
    assert base.design == Design() and base.cost_per_year == 0.0
    res = simulate_design(tight, p.balance, p.sequence.sequence, Design(),
                          replications=3, seed=11, horizon_share=0.2).result
    assert yearly(res, tight, Design()).mean() == pytest.approx(
        base.output.mean)


def test_design_cost_adds_up() -> None:
    """Cost of buffers, a crew and a shift from the [costs] table."""
    s = load_scenario(TINY)
    d = Design(buffers=(("line", 10),), repair_crews=("line-01",),
               shifts_per_day=3)
    c = s.costs
    assert d.cost(s) == pytest.approx(
        10 * c.buffer_place_per_year + c.repair_crew_per_year
        + c.extra_shift_per_year)
    assert d.cost(s, added_stations=2) == pytest.approx(
        d.cost(s) + 2 * c.station_per_year)


def test_plan_figures_are_the_reports_charts(tiny_plan) -> None:  # noqa: ANN001
    """plan_figures gives the report's charts by element id (the old
    unreadable day's-sequence bars, histogram and bars from 0 are gone);
    the old names point to their replacements."""
    from taktplan.report.figures import ALIASES, plan_figures

    figs = plan_figures(tiny_plan)
    for chart in ("states-gantt", "buffer-levels", "output-per-shift",
                  "loss-tree", "sequence-strip", "annual-output",
                  "rampup-cumulative", "loads", "states"):
        assert chart in figs, chart
    for old, new in ALIASES.items():
        if new in figs:
            assert figs[old] is figs[new]
    assert figs["output"].layout.title.text.startswith("Annual output")
