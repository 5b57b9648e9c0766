"""The Yamazumi chart's numbers: blocks, loads and overloads per view."""

from __future__ import annotations

import numpy as np
import pytest
from tasklist_helpers import TINY

from taktplan.capacity import takt
from taktplan.plant.balance_stage import PlantBalance, SegmentBalance
from taktplan.report.yamazumi import yamazumi_figure, yamazumi_views
from taktplan.scenario import load_scenario


def _balance(stations: tuple[tuple[str, ...], ...], cycle: float
             ) -> PlantBalance:
    """A hand-made balance of the tiny plant's six tasks."""
    scenario = load_scenario(TINY)
    by_id = {t.id: t for t in scenario.tasks}
    loads = np.array([[sum(by_id[t].time_for(v) for t in st)
                       for v in scenario.variant_ids] for st in stations])
    names = tuple(f"line-{k + 1:02d}" for k in range(len(stations)))
    seg = SegmentBalance("line", tuple(by_id), names, stations, loads,
                         loads @ np.array(scenario.shares), 2, "optimal",
                         0.0, 0.0)
    return PlantBalance(cycle, cycle * 0.97, cycle * 1.25, (seg,))


def test_views_stack_each_stations_task_times() -> None:
    """Weighted and per-variant blocks and loads, worked by hand."""
    scenario = load_scenario(TINY)
    # A: t1 40 + t2 30 + t3 20 = 90; B: 40 + 30 + 60 = 130 > 120.
    balance = _balance((("t1", "t2", "t3"), ("t4", "t5", "t6")), 120.0)
    weighted, a, b = yamazumi_views(scenario, balance)
    assert [v.label for v in (weighted, a, b)] == ["demand-weighted", "A",
                                                   "B"]
    assert a.blocks[0] == (("t1", 40.0), ("t2", 30.0), ("t3", 20.0))
    assert a.loads == (90.0, 85.0)
    assert b.loads == (130.0, 130.0)
    # 0.75 x 90 + 0.25 x 130 = 100; 0.75 x 85 + 0.25 x 130 = 96.25.
    assert weighted.loads == pytest.approx((100.0, 96.25))
    assert weighted.blocks[0][2] == ("t3", pytest.approx(30.0))
    assert (weighted.overloaded, a.overloaded, b.overloaded) == ((), (),
                                                                 (0, 1))
    assert (weighted.limit, b.limit) == (pytest.approx(116.4), 150.0)


def test_figure_title_states_the_overloads() -> None:
    """The title counts stations and those above the cycle."""
    scenario = load_scenario(TINY)
    tk = takt(scenario.calendar, 60000, 0.9)
    balance = _balance((("t1", "t2", "t3"), ("t4", "t5", "t6")), 120.0)
    fig = yamazumi_figure(scenario, balance, tk.takt_s)
    title = fig.layout.title.text.replace("<br>", " ")
    assert title.startswith("2 stations, every demand-weighted load "
                            "within the 120.0 s cycle; 2 stations above "
                            "it for some variant (peak 130.0 s, B)"), title
    assert fig.layout.barmode == "stack"
    assert [b.label for b in fig.layout.updatemenus[0].buttons] == [
        "demand-weighted", "A", "B"]
    assert fig.layout.yaxis.title.text == "task time per station (s)"
    relaxed = _balance((("t1", "t2", "t3"), ("t4", "t5", "t6")), 140.0)
    assert "no variant above it" in yamazumi_figure(
        scenario, relaxed, tk.takt_s).layout.title.text.replace("<br>", " ")


def test_two_sided_stations_stack_per_operator() -> None:
    """A two-sided station is one bar per operator (its side's tasks), not
    both sides stacked into one (which doubled every load: the built-in
    two-sided plant showed 32 of 33 stations above the cycle)."""
    scenario = load_scenario(TINY)
    plain = _balance((("t1", "t2", "t3"), ("t4", "t5", "t6")), 80.0)
    seg = plain.segments[0]
    from dataclasses import replace

    two = replace(plain, segments=(replace(
        seg, two_sided=True, station_operators=(2, 2),
        station_positions=((("L", ("t1", "t2")), ("R", ("t3",))),
                           (("L", ("t4", "t5")), ("R", ("t6",))))),))
    weighted, a, b = yamazumi_views(scenario, two)
    assert weighted.names == ("line-01 L", "line-01 R", "line-02 L",
                              "line-02 R")
    # A: 40 + 30, 20, 50 + 0, 35; B: 70, 60, 50 + 45, 35.
    assert a.loads == (70.0, 20.0, 50.0, 35.0)
    assert b.loads == (70.0, 60.0, 95.0, 35.0)
    assert weighted.loads == pytest.approx((70.0, 30.0, 61.25, 35.0))
    assert (weighted.overloaded, b.overloaded) == ((), (2,))
    tk = takt(scenario.calendar, 60000, 0.9)
    fig = yamazumi_figure(scenario, two, tk.takt_s)
    assert fig.layout.title.text.replace("<br>", " ") == (
        "2 stations (4 operators), every demand-weighted operator load "
        "within the 80.0 s cycle; 1 operator above it for some variant "
        "(peak 95.0 s, B), for the sequence to spread out")
    assert fig.layout.yaxis.title.text == "task time per operator (s)"
    assert list(fig.data[0].x) == list(weighted.names)
