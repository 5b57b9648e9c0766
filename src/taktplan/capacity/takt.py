"""Net available time, takt, shifts and daily demand: pure functions.

Hand-checkable: the built-in plant's 248 days x 2 shifts x 450 net
minutes is 3,720 hours a year; 100,000 vehicles in it is a takt of
133.9 s; at 90 % availability the line must be designed for 120.5 s,
that is 29.9 jobs an hour.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from taktplan.scenario.model import Calendar


@dataclass(frozen=True)
class AvailableTime:
    """The production time a calendar offers.

    Attributes
    ----------
    working_days
        Days a year the plant works (weekdays less holidays).
    shifts_per_day
        Shifts worked each day.
    net_minutes_per_shift
        Shift length less paid breaks.
    net_minutes_per_day
        All shifts' net minutes less planned maintenance.
    net_hours_per_year
        Net production hours a year.
    """

    working_days: int
    shifts_per_day: int
    net_minutes_per_shift: float
    net_minutes_per_day: float
    net_hours_per_year: float

    @property
    def net_seconds_per_year(self) -> float:
        """Net production seconds a year."""
        return self.net_hours_per_year * 3600.0


def available_time(calendar: Calendar,
                   shifts_per_day: int | None = None) -> AvailableTime:
    """Net production time of ``calendar`` (optionally at other shifts)."""
    shifts = calendar.shifts_per_day if shifts_per_day is None else (
        shifts_per_day)
    if not 1 <= shifts <= 3:
        raise ValueError("shifts_per_day must be 1, 2 or 3")
    days = calendar.weekdays_per_year - calendar.holidays_per_year
    per_shift = calendar.shift_length_min - calendar.paid_breaks_min_per_shift
    per_day = max(0.0, shifts * per_shift
                  - calendar.planned_maintenance_min_per_day)
    return AvailableTime(
        working_days=days,
        shifts_per_day=shifts,
        net_minutes_per_shift=per_shift,
        net_minutes_per_day=per_day,
        net_hours_per_year=days * per_day / 60.0,
    )


@dataclass(frozen=True)
class Takt:
    """The takt of a volume on a calendar, and the cycle to design for.

    Attributes
    ----------
    annual_volume
        Vehicles a year.
    availability
        The share of net time the line really produces.
    takt_s
        Net seconds a year per vehicle: the pace customers ask for.
    planning_cycle_s
        ``takt_s * availability``: the cycle time the line must be
        designed for so that, with its losses, it still meets the takt.
    jobs_per_hour_at_takt
        Vehicles per net production hour needed on average.
    design_jobs_per_hour
        The line's rate at the planning cycle (3600 / cycle).
    vehicles_per_day
        Vehicles per working day.
    vehicles_per_shift
        Vehicles per shift.
    """

    annual_volume: int
    availability: float
    takt_s: float
    planning_cycle_s: float
    jobs_per_hour_at_takt: float
    design_jobs_per_hour: float
    vehicles_per_day: float
    vehicles_per_shift: float


def takt(calendar: Calendar, annual_volume: int, availability: float,
         shifts_per_day: int | None = None) -> Takt:
    """Takt time and planning cycle for ``annual_volume`` a year."""
    if annual_volume <= 0:
        raise ValueError("annual_volume must be positive")
    if not 0.0 < availability <= 1.0:
        raise ValueError("availability must be in (0, 1]")
    time = available_time(calendar, shifts_per_day)
    takt_s = time.net_seconds_per_year / annual_volume
    cycle = takt_s * availability
    per_day = annual_volume / time.working_days
    return Takt(
        annual_volume=annual_volume,
        availability=availability,
        takt_s=takt_s,
        planning_cycle_s=cycle,
        jobs_per_hour_at_takt=annual_volume / time.net_hours_per_year,
        design_jobs_per_hour=3600.0 / cycle,
        vehicles_per_day=per_day,
        vehicles_per_shift=per_day / time.shifts_per_day,
    )


@dataclass(frozen=True)
class ShiftOption:
    """What one shift pattern yields at a given line cycle."""

    shifts_per_day: int
    net_hours_per_year: float
    annual_capacity: float
    meets_volume: bool


@dataclass(frozen=True)
class ShiftNeed:
    """The fewest shifts a day that make the volume at a line cycle.

    ``shifts_per_day`` is ``None`` when even ``max_shifts_per_day``
    shifts fall short.
    """

    annual_volume: int
    cycle_time_s: float
    availability: float
    shifts_per_day: int | None
    options: tuple[ShiftOption, ...]


def shifts_needed(calendar: Calendar, annual_volume: int,
                  cycle_time_s: float, availability: float) -> ShiftNeed:
    """The fewest shifts a day whose capacity reaches ``annual_volume``.

    Capacity at ``s`` shifts is net seconds x availability / cycle.
    """
    if cycle_time_s <= 0:
        raise ValueError("cycle_time_s must be positive")
    options = []
    for shifts in range(1, calendar.max_shifts_per_day + 1):
        time = available_time(calendar, shifts)
        cap = time.net_seconds_per_year * availability / cycle_time_s
        options.append(ShiftOption(shifts, time.net_hours_per_year, cap,
                                   cap >= annual_volume - 1e-9))
    enough = [o.shifts_per_day for o in options if o.meets_volume]
    return ShiftNeed(annual_volume, cycle_time_s, availability,
                     enough[0] if enough else None, tuple(options))


@dataclass(frozen=True)
class DailyDemand:
    """Vehicles of each variant a working day.

    ``exact`` are the fractional averages; ``whole`` are whole vehicles
    rounded by largest remainder so that they add up to the day's total
    (rounded) exactly.
    """

    variant_ids: tuple[str, ...]
    exact: tuple[float, ...]
    whole: tuple[int, ...]

    @property
    def total(self) -> int:
        """Whole vehicles a day."""
        return sum(self.whole)


def largest_remainder(values: Sequence[float], total: int) -> list[int]:
    """Round ``values`` to integers that sum to ``total``.

    Floors every value, then gives the remaining units to the largest
    fractional parts (ties to the earlier entry).
    """
    floors = [math.floor(v) for v in values]
    missing = total - sum(floors)
    order = sorted(range(len(values)),
                   key=lambda i: (-(values[i] - floors[i]), i))
    for i in order[:max(0, missing)]:
        floors[i] += 1
    return floors


def daily_demand(variant_ids: Sequence[str], shares: Sequence[float],
                 annual_volume: int, working_days: int) -> DailyDemand:
    """Split a year's volume into each variant's vehicles a day."""
    if len(variant_ids) != len(shares):
        raise ValueError("one share per variant")
    per_day = annual_volume / working_days
    exact = [per_day * s for s in shares]
    whole = largest_remainder(exact, round(per_day))
    return DailyDemand(tuple(variant_ids), tuple(exact), tuple(whole))
