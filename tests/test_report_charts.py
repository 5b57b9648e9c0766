"""The engineer's charts say what the numbers say (issue 20): no state
drawn inside a break, the loss tree names the bottleneck's own stops."""

from __future__ import annotations

import numpy as np
import pytest

from taktplan.plant.losses import loss_trees
from taktplan.report.losses import loss_tree_figure
from taktplan.report.over_time import states_gantt_figure
from taktplan.simulate import Line, Station, simulate
from taktplan.simulate.over_time import OverTime


def _spans(fig: object) -> list[tuple[str, float, float]]:
    """Every drawn (state, x from, x to) of a Gantt figure."""
    out = []
    for tr in fig.data:  # type: ignore[attr-defined]
        xs = list(tr.x)
        for k in range(0, len(xs) - 1, 3):
            a, b = xs[k], xs[k + 1]
            if a is not None and b is not None and not np.isnan(a):
                out.append((tr.name, float(a), float(b)))
    return out


def test_gantt_draws_no_state_inside_the_break() -> None:
    """A job of 100 s on A spans mid-shift (75 s of a 150 s shift): it is
    drawn up to the break and again after it, never across it."""
    line = Line((Station("A", [100.0]), Station("B", [10.0])), (1,))
    res = simulate(line, horizon=300.0, warmup=0.0, replications=1,
                   seed=0, over_time=OverTime(150.0, 0.0, 300.0))
    trace = res.replications[0].trace
    assert trace is not None
    fig = states_gantt_figure(trace, res.names, shift_s=150.0,
                              break_s=30.0)
    lo, hi = 75.0 / 3600.0, 105.0 / 3600.0
    spans = _spans(fig)
    assert spans
    for state, a, b in spans:
        assert b <= lo + 1e-12 or a >= hi - 1e-12, (state, a, b)
    # both stations' 150 s of the shift are drawn, none lost
    drawn = sum(b - a for _, a, b in spans) * 3600.0
    assert drawn == pytest.approx(2 * 150.0)


def test_loss_tree_title_names_the_bottleneck_and_its_own_stops() -> None:
    """Two free stations: A stops 400 s in 4,400 s on work overload (the
    bottleneck), B runs faster and is starved or blocked. The title says
    what the bottleneck's own stops cost in vehicles a year, not a
    neighbour's blocking; the bottleneck gets its own bar."""
    seq = np.array([0, 1, 0, 0])
    a = Station("A", [10.0, 14.0], overload_times=[0.0, 4.0])
    line = Line((a, Station("B", [12.0, 6.0])), (2,))
    res = simulate(line, horizon=4400.0, warmup=440.0, replications=1,
                   seed=0, variant_sequence=seq)
    out = float(res.replications[0].departures)
    trees = loss_trees(res, ("first", "second"), productive_s=4400.0,
                       breaks_s=600.0, cycle_s=11.0, output=out,
                       bottleneck=0)
    station = trees[-1]
    assert (station.kind, station.name) == ("station", "A")
    v = station.vehicles()
    assert sum(v.values()) == pytest.approx(5000.0 / 11.0)
    own = v["breakdowns"] + v["overload"]
    assert own == pytest.approx(400.0 / 11.0)
    fig = loss_tree_figure(trees)
    title = fig.layout.title.text.replace("<br>", " ")
    assert "bottleneck A" in title and f"{own:,.0f}" in title
    assert "blocking" not in title and "starving" not in title
    assert list(fig.data[0].y)[:2] == ["whole line, at its output",
                                       "bottleneck station A"]


def test_annual_output_states_each_mean_and_ci_beside_its_plan() -> None:
    """Each plan's mean and 95 % interval stand in its axis label, where
    no point, target line or legend can cover them (at 1,400 px the
    annotations over the points ran into the target's label)."""
    from taktplan.report.charts import annual_output_figure

    years = {"A": np.array([98_000.0, 99_000.0, 100_000.0]),
             "B": np.array([101_000.0, 102_000.0, 103_000.0])}
    fig = annual_output_figure(years, 100_000.0,
                               {"A": (97_000.0, 101_000.0),
                                "B": (100_500.0, 103_500.0)})
    ticks = list(fig.layout.yaxis.ticktext)
    assert "mean 99,000" in ticks[0] and "97,000 to 101,000" in ticks[0]
    assert "mean 102,000" in ticks[1] and "100,500 to 103,500" in ticks[1]
    assert fig.layout.showlegend is False
    assert not [a for a in fig.layout.annotations if "mean" in a.text]


def test_compare_loss_tree_labels_each_plan(tmp_path: object) -> None:
    """The comparison's loss tree has one bar per plan, named by the plan
    (it was labelled as the line and segments of one plan)."""
    from taktplan.plant.losses import LossTree
    from taktplan.report.losses import ROW_LABEL

    seconds = {"breaks": 0.0, "breakdowns": 10.0, "blocking": 0.0,
               "starving": 0.0, "overload": 0.0, "running": 90.0}
    trees = (LossTree("A: x", 100.0, seconds, 1.0, 90.0, "plan"),
             LossTree("B: y", 100.0, {**seconds, "breakdowns": 20.0,
                                      "running": 80.0}, 1.0, 80.0, "plan"))
    fig = loss_tree_figure(trees)
    assert list(fig.data[0].y) == [ROW_LABEL["plan"].format("A: x"),
                                   ROW_LABEL["plan"].format("B: y")]
    assert "A: x loses the fewest vehicles, 10 of 100" in \
        fig.layout.title.text.replace("<br>", " ")


def test_station_states_title_names_the_bottleneck() -> None:
    """The states chart's title gives its answer: the bottleneck, its
    share and its own stops (it said only "Station states and
    bottleneck shares"); both panels have units."""
    from taktplan.report.figures import states_figure

    fractions = np.array([[0.9, 0.05, 0.0, 0.05, 0.0],
                          [0.8, 0.0, 0.05, 0.03, 0.12]])
    fig = states_figure(("s1", "s2"), fractions, np.array([0.2, 0.7]))
    assert fig.layout.title.text.replace("<br>", " ") == (
        "Station states: s2 is the bottleneck 70% of the time (12.0% "
        "overloaded, 3.0% down)")
    assert fig.layout.yaxis2.title.text == "bottleneck (share of time)"
    assert fig.layout.xaxis2.title.text == "station"


def test_station_loads_title_gives_the_balance() -> None:
    """The loads chart's title gives the balance's answer: the mean load
    against the cycle and the stations a variant overloads."""
    from pathlib import Path

    from taktplan.plant.stages import balance_and_sequence
    from taktplan.report.figures import station_loads_figure
    from taktplan.scenario import load_scenario

    scenario = load_scenario(Path(__file__).parent / "data"
                             / "tiny_scenario.toml")
    balance = balance_and_sequence(scenario).balance
    assert balance is not None
    loads = np.concatenate([s.loads for s in balance.segments])
    over = int((loads.max(axis=1) > balance.cycle_s).sum())
    title = station_loads_figure(balance, scenario.variant_ids
                                 ).layout.title.text.replace("<br>", " ")
    assert title.startswith(f"Station loads: {balance.efficiency():.0%} of "
                            f"the {balance.cycle_s:.1f} s cycle on average; "
                            f"{over} of {loads.shape[0]} stations")
    assert f"most {loads.max():.0f} s" in title


def test_sequence_strip_menu_and_legend_stay_beside_the_plot() -> None:
    """A day of 403 vehicles at 30 an hour and 17 rules (the built-in
    plant): the hour menu sits just above the plot and the legend just
    below it (placed in shares of a 2,800 px plot they stood 330 and
    220 px away, leaving blank bands at 1,400 px)."""
    from types import SimpleNamespace

    from taktplan.report.sequence_strip import sequence_strip_figure

    n, rules = 403, 17
    mask = np.zeros((n, rules), dtype=bool)
    mask[::7, 3] = True
    seq = SimpleNamespace(
        sequence=np.arange(n) % 6, variant_ids=tuple("ABCDEF"),
        rules=tuple(SimpleNamespace(name=f"r{k}") for k in range(rules)),
        violation_mask=mask, violations_per_rule=mask.sum(axis=0),
        violations=int(mask.sum()))
    fig = sequence_strip_figure(seq, 30)  # type: ignore[arg-type]
    m = fig.layout.margin
    plot_px = fig.layout.height - m.t - m.b
    menu = fig.layout.updatemenus[0]
    assert menu.yanchor == "bottom"
    assert 0 <= (menu.y - 1.0) * plot_px <= 20
    assert fig.layout.legend.yanchor == "top"
    assert -fig.layout.legend.y * plot_px <= 60


def test_changes_label_points_on_one_another_once() -> None:
    """Buffers of 10 after four segments cost the same and add about
    the same: one label "1-4" instead of four numbers on top of
    one another; every point's number appears exactly once."""
    from taktplan.report.charts import changes_cost_figure, point_labels

    rows = [(f"+10 buffer places after s{k}", 25_000.0, 100.0 + k, 90.0,
             110.0) for k in range(4)]
    rows += [("a parallel station", 230_000.0, 2_000.0, 1_900.0, 2_100.0),
             ("a shift", 6_300_000.0, 30_000.0, 29_000.0, 31_000.0)]
    fig = changes_cost_figure(rows, 0.0, 1_000.0, "EUR")
    texts = [t for t in fig.data[0].text if t]
    assert texts == ["1-4", "5", "6"]
    # the same cost but far apart in output: two labels; close on both
    # axes (as drawn): one, its numbers in runs
    assert point_labels(np.array([1.0, 1.0, 2.0]),
                        np.array([0.0, 100.0, 50.0])) == ["1", "2", "3"]
    assert point_labels(np.array([0.0, 100.0, 0.01, 1.0, 0.0]),
                        np.array([0.0, 50.0, 1.0, 0.0, 2.0])) == [
        "1, 3-5", "2", "", "", ""]


def test_changes_gain_is_against_the_screening_baseline() -> None:
    """A screened change that does nothing sits at +0 (the screening
    baseline, 93,865 a year on the built-in plant, was compared with the
    full-year verdict, 94,174, so every buffer there showed -309), and
    the line to clear is what the full-year verdict lacks."""
    from taktplan.report.charts import changes_cost_figure

    rows = [("+10 buffer places after body", 25_000.0, 93_865.0, 93_366.0,
             94_364.0),
            ("a shift", 6_300_000.0, 130_000.0, 129_000.0, 131_000.0)]
    fig = changes_cost_figure(rows, 93_865.0, 100_000.0, "EUR",
                              need=100_000.0 - 94_174.0)
    assert list(fig.data[0].y) == [0.0, 130_000.0 - 93_865.0]
    assert fig.layout.shapes[0].y0 == pytest.approx(5_826.0)
    assert "Cheapest change reaching the target: a shift" in (
        fig.layout.title.text)


def test_output_per_shift_draws_the_traced_year_and_marks_its_day() -> None:
    """The shift line is the traced (median) year's, not always the
    first replication's, and the traced day is marked on it."""
    from taktplan.report.over_time import output_per_shift_figure

    bins = np.array([[10, 10, 10, 10, 10, 10],
                     [9, 8, 7, 9, 8, 9]])
    fig = output_per_shift_figure(bins, 10.0, 2, replication=1,
                                  traced=(1, 2))
    assert list(fig.data[0].y) == [9, 8, 7, 9, 8, 9]
    marks = [s for s in fig.layout.shapes if s.type == "rect"]
    assert [(m.x0, m.x1) for m in marks] == [(2.5, 4.5)]
