"""Capacity stage against hand-worked numbers."""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import numpy as np
import pytest

from taktplan.capacity import (
    available_time,
    bridge_stock,
    daily_demand,
    ramp_up_curve,
    shifts_needed,
    takt,
)
from taktplan.capacity.rampup import HORIZON_WEEKS, learning_weeks_to_rate
from taktplan.capacity.takt import largest_remainder
from taktplan.scenario import load_scenario
from taktplan.scenario.model import Calendar, RampUp

PLANT = Calendar(weekdays_per_year=261, holidays_per_year=13,
                 shifts_per_day=2, shift_length_min=480,
                 paid_breaks_min_per_shift=30)


def test_net_time_of_two_shift_calendar() -> None:
    """248 days x 2 shifts x 450 min = 3,720 h a year."""
    t = available_time(PLANT)
    assert t.working_days == 248
    assert t.net_minutes_per_shift == 450
    assert t.net_minutes_per_day == 900
    assert t.net_hours_per_year == pytest.approx(3720.0)
    assert t.net_seconds_per_year == pytest.approx(13_392_000.0)


def test_maintenance_comes_off_each_day() -> None:
    """60 min of planned maintenance a day leaves 840 min of 900."""
    cal = PLANT.model_copy(update={"planned_maintenance_min_per_day": 60})
    assert available_time(cal).net_hours_per_year == pytest.approx(
        248 * 840 / 60)


def test_takt_of_100k_on_plant_calendar() -> None:
    """100,000/yr: takt 133.92 s, cycle 120.528 s at 90 %, 29.87 JPH."""
    t = takt(PLANT, 100_000, 0.9)
    assert t.takt_s == pytest.approx(133.92)
    assert t.planning_cycle_s == pytest.approx(120.528)
    assert t.jobs_per_hour_at_takt == pytest.approx(100_000 / 3720)
    assert t.design_jobs_per_hour == pytest.approx(3600 / 120.528)
    assert t.vehicles_per_day == pytest.approx(100_000 / 248)
    assert t.vehicles_per_shift == pytest.approx(100_000 / 496)


def test_three_shifts_shorten_nothing_but_raise_capacity() -> None:
    """At 3 shifts the same volume gets a 1.5x longer takt."""
    two = takt(PLANT, 100_000, 0.9)
    three = takt(PLANT, 100_000, 0.9, shifts_per_day=3)
    assert three.takt_s == pytest.approx(1.5 * two.takt_s)


def test_shifts_needed_at_planning_cycle() -> None:
    """One shift makes exactly 50,000 at 120.528 s, so two are needed."""
    need = shifts_needed(PLANT, 100_000, 120.528, 0.9)
    assert need.shifts_per_day == 2
    caps = [o.annual_capacity for o in need.options]
    assert caps == pytest.approx([50_000, 100_000, 150_000])
    assert shifts_needed(PLANT, 160_000, 120.528, 0.9).shifts_per_day is None


def test_largest_remainder_rounding() -> None:
    """Floors 80,80,80,40,80,40 plus 3 units to the largest fractions."""
    d = daily_demand(["ST", "SCP", "DCP4", "DCP2", "JVV", "JVB"],
                     [0.2, 0.2, 0.2, 0.1, 0.2, 0.1], 100_000, 248)
    assert d.whole == (81, 81, 81, 40, 80, 40)
    assert d.total == 403
    assert sum(d.exact) == pytest.approx(100_000 / 248)
    assert largest_remainder([0.5, 0.5, 0.5, 0.5], 2) == [1, 1, 0, 0]


def _ramp(**kw: object) -> RampUp:
    base = {"start_volume_per_year": 30_000,
            "target_volume_per_year": 100_000,
            "relocation_window_weeks": 10, "weekly_demand": 600}
    base.update(kw)
    return RampUp.model_validate(base)


@pytest.mark.parametrize("curve", ["logistic", "exponential", "linear"])
def test_shaped_curves_pass_through_start_and_reach(curve: str) -> None:
    """Each shaped curve starts at the start rate, hits 95 % at week 20."""
    r = _ramp(curve=curve, weeks_to_target=20)
    c = ramp_up_curve(r, horizon_weeks=40, points_per_week=10)
    assert c.rate_per_year[0] == pytest.approx(30_000)
    at = np.searchsorted(c.weeks, 20.0)
    assert c.weeks[at] == pytest.approx(20.0)
    assert c.rate_per_year[at] == pytest.approx(95_000)
    assert c.weeks_to_target == 20.0
    assert np.all(np.diff(c.rate_per_year) >= -1e-9)
    assert c.rate_per_year.max() <= 100_000 + 1e-6


def test_learning_curve_closed_form_matches_integration() -> None:
    """Wright's curve: the closed-form time agrees with Euler steps."""
    r = _ramp(curve="learning", learning_rate=0.85,
              experience_units_at_sop=200)
    t_closed = learning_weeks_to_rate(r, 95_000)
    k = -math.log2(0.85)
    n, t, dt = 0.0, 0.0, 1e-4
    while 30_000 * (1 + n / 200) ** k < 95_000:
        n += 30_000 / 50 * (1 + n / 200) ** k * dt
        t += dt
    assert t_closed == pytest.approx(t, rel=1e-3)
    curve = ramp_up_curve(r)
    assert curve.weeks_to_target == pytest.approx(t_closed)
    assert curve.months_to_target == pytest.approx(t_closed * 12 / 52)
    assert curve.rate_per_year[-1] == pytest.approx(100_000)


def test_bridge_stock_window_plus_safety() -> None:
    """No shortfall at start = demand: 10 x 600 + 2 x 600 = 7,200."""
    r = _ramp(curve="learning", safety_stock_weeks=2)
    b = bridge_stock(r)
    assert b.ramp_shortfall == 0.0
    assert b.total == pytest.approx(7_200)
    assert b.weeks_of_demand == pytest.approx(12.0)


def test_bridge_stock_covers_slow_linear_start() -> None:
    """Start 200/wk rising 170/wk each week: shortfall 400^2/(2*170)."""
    r = _ramp(curve="linear", start_volume_per_year=10_000,
              weeks_to_target=10, relocation_window_weeks=0)
    b = bridge_stock(r, ramp_up_curve(r, points_per_week=200))
    assert b.ramp_shortfall == pytest.approx(400**2 / (2 * 170), abs=0.1)


def test_builtin_scenario_capacity() -> None:
    """The built-in plant: 3,720 h, takt 133.9 s, 18.3 weeks ramp-up."""
    s = load_scenario()
    t = takt(s.calendar, s.targets.annual_volume, s.targets.availability)
    assert t.takt_s == pytest.approx(133.92)
    assert learning_weeks_to_rate(s.rampup, 95_000) == pytest.approx(
        18.33, abs=0.01)


@pytest.mark.parametrize("start", [1, 10, 100, 1_000, 5_000])
def test_slow_rampup_is_bounded_and_reported_beyond_horizon(
        start: int) -> None:
    """Start 1 ... 5,000 a year towards 60,000 (learning 0.85): the curve
    stays on a grid of at most five years of days, with no overflow
    warning, and the time to target is reported as beyond five years."""
    r = _ramp(start_volume_per_year=start, target_volume_per_year=60_000,
              weekly_demand=1_200)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        c = ramp_up_curve(r)
        b = bridge_stock(r, c)
    assert c.weeks.size <= HORIZON_WEEKS * 7 + 1
    assert c.weeks[-1] == pytest.approx(HORIZON_WEEKS)
    assert not c.reached
    assert c.describe().startswith("not within 5 years (rate after 5 years")
    assert np.all(np.isfinite(c.rate_per_year))
    assert np.all(np.isfinite(c.cumulative))
    assert b.still_short
    assert math.isfinite(b.total)
    # The closed form (in logarithms): t = N0/s (x^(1-k) - 1)/(1-k).
    k = -math.log2(0.85)
    x = (57_000 / start) ** (1 / k)
    expected = 200 / (start / 50) * (x ** (1 - k) - 1) / (1 - k)
    assert learning_weeks_to_rate(r, 57_000) == pytest.approx(expected)


def test_learning_time_beyond_any_float_is_infinite() -> None:
    """Learning rate 0.999 from 1 to 60,000: x**(1-k) overflows a float;
    the time to target is inf, not an OverflowError."""
    r = _ramp(start_volume_per_year=1, target_volume_per_year=60_000,
              learning_rate=0.999)
    assert learning_weeks_to_rate(r, 57_000) == math.inf
    c = ramp_up_curve(r)
    assert not c.reached
    assert c.rate_per_year[-1] < 60_000


def test_fast_rampup_within_horizon_keeps_its_weeks() -> None:
    """Start 5,000 with learning rate 0.51 reaches 95 % of 60,000 in
    the closed form's weeks, inside the horizon."""
    r = _ramp(start_volume_per_year=5_000, target_volume_per_year=60_000,
              learning_rate=0.51, weekly_demand=1_200)
    c = ramp_up_curve(r)
    assert c.reached
    assert c.weeks_to_target == pytest.approx(
        learning_weeks_to_rate(r, 57_000))
    assert c.describe() == (f"{c.weeks_to_target:.1f} weeks "
                            f"({c.months_to_target:.1f} months)")


def test_plan_with_start_of_one_vehicle_reports_no_weeks() -> None:
    """The tiny plant ramping from 1 vehicle a year (learning curve):
    the plan runs and its JSON says the target is not reached within the
    horizon instead of a number of weeks (it used to die allocating
    238 PiB)."""
    from taktplan.pipeline import plan
    from taktplan.plan_json import plan_to_dict
    from taktplan.report.summary import summary_table

    s = load_scenario(Path(__file__).parent / "data" / "tiny_scenario.toml")
    s = s.model_copy(update={"rampup": s.rampup.model_copy(update={
        "start_volume_per_year": 1, "curve": "learning"})})
    p = plan(s, replications=2, seed=1)
    out = plan_to_dict(p)["rampup"]
    assert out["weeks_to_target"] is None
    assert out["months_to_target"] is None
    assert out["reached_within_horizon"] is False
    assert out["horizon_weeks"] == HORIZON_WEEKS
    assert out["bridge_still_short_at_horizon_end"] is True
    from rich.console import Console

    console = Console(record=True, width=200)
    console.print(summary_table(p))
    assert "not within 5 years" in console.export_text()
