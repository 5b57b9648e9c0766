"""The plant as a line to simulate: segments, stations, buffers, shifts.

Work overload on a paced segment. A paced line moves at the planning
cycle ``c``; a variant whose work at a station exceeds ``c`` makes the
operator drift into the next station's zone, and lighter vehicles after
it let him catch up. The station's backlog after vehicle ``i`` is
``b_i = max(0, b_{i-1} + t_i - c)``; the zone allows a drift of
``D = variant_overload * c``; whatever exceeds ``D`` stops the line
(``b_i - D`` seconds), and the backlog is cut back to ``D``. So the
simulated time of vehicle ``i`` at the station is ``c`` plus that stop:
a good sequence costs nothing, a bad one costs line stops. The day's
sequence repeats; the backlog is taken in its cyclic steady state (the
day run twice, the second pass kept).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from taktplan.capacity import available_time
from taktplan.simulate.model import Line, ShiftCalendar, Station

if TYPE_CHECKING:
    from taktplan.plant.balance_stage import PlantBalance
    from taktplan.scenario.model import Reliability, Scenario, Segment


@dataclass(frozen=True)
class PlantLine:
    """What the simulator needs to run the plant for a year.

    Attributes
    ----------
    line
        The :class:`taktplan.simulate.Line` (times in seconds); its
        "variants" are the positions of the day's sequence.
    variant_sequence
        The order jobs enter (positions 0..n-1, repeated).
    calendar
        The shift calendar that converts line time into a year.
    horizon_s
        One year of productive time, seconds.
    warmup_s
        Warm-up discarded before measuring, seconds.
    segment_of_station
        The segment name of each station.
    overload_stop_s
        ``(n_stations,)`` line-stop seconds per day's cycle of the
        sequence caused by work overload at each station.
    """

    line: Line
    variant_sequence: np.ndarray
    calendar: ShiftCalendar
    horizon_s: float
    warmup_s: float
    segment_of_station: tuple[str, ...]
    overload_stop_s: np.ndarray


def overload_stops(times: np.ndarray, cycle_s: float,
                   drift_s: float) -> np.ndarray:
    """Line-stop seconds at each position from work overload.

    Parameters
    ----------
    times
        ``(n_stations, n_positions)`` work of the vehicle at each
        position of the (cyclic) day's sequence.
    cycle_s
        The line's cycle.
    drift_s
        How far an operator may drift into the next zone, in seconds.
    """
    n_st, n_pos = times.shape
    backlog = np.zeros(n_st)
    stops = np.zeros((n_st, n_pos))
    for sweep in range(2):
        for i in range(n_pos):
            backlog = np.maximum(0.0, backlog + times[:, i] - cycle_s)
            over = np.maximum(0.0, backlog - drift_s)
            if sweep == 1:
                stops[:, i] = over
            backlog -= over
    return stops


def _station(name: str, times: np.ndarray, rel: Reliability,
             parallel: int, overload: np.ndarray) -> Station:
    mtbf = rel.mtbf_effective_min * 60.0
    return Station(
        name=name, process_times=np.asarray(times, dtype=np.float64),
        overload_times=np.asarray(overload, dtype=np.float64),
        process="deterministic", mtbf=mtbf,
        mttr=rel.mttr_min * 60.0 if np.isfinite(mtbf) else 0.0,
        failure=rel.failure, repair=rel.repair, repair_cv=rel.repair_cv,
        parallel=parallel)


def _reliability(segment: Segment, station: str) -> Reliability:
    return segment.station_reliability.get(station, segment.reliability)


def build_plant_line(scenario: Scenario, balance: PlantBalance | None,
                     sequence: np.ndarray | None,
                     parallel: dict[str, int] | None = None,
                     ) -> PlantLine:
    """Turn the scenario, its balance and the day's sequence into a line.

    Parameters
    ----------
    scenario
        The plant.
    balance
        The balance of its balanced segments (needed when it has any).
    sequence
        Variant index of each vehicle in the day's order; ``None`` takes
        the variants in proportion (a largest-remainder round robin).
    parallel
        Station name -> number of parallel identical stations, on top of
        the segment's ``parallel`` (for what-if changes).
    """
    parallel = parallel or {}
    if sequence is None:
        sequence = proportional_sequence(np.asarray(scenario.shares), 100)
    seq = np.asarray(sequence, dtype=np.int64)
    n_pos = seq.size
    seg_bal = {s.segment: s for s in (balance.segments if balance else ())}
    stations: list[Station] = []
    buffers: list[int] = []
    groups: list[tuple[int, int]] = []
    seg_names: list[str] = []
    stop_rows: list[np.ndarray] = []
    for segment in scenario.segments:
        first = len(stations)
        if segment.kind == "fixed":
            names = [f"{segment.name}-{k + 1:02d}"
                     for k in range(segment.stations or 0)]
            times = np.full((len(names), n_pos), segment.cycle_time_s)
            stops = np.zeros((len(names), n_pos))
        else:
            sb = seg_bal[segment.name]
            names = list(sb.station_names)
            cycle = balance.cycle_s if balance else 0.0
            drift = scenario.sequencing.variant_overload * cycle
            work = sb.loads[:, seq]
            stops = overload_stops(work, cycle, drift)
            times = cycle + stops
        for k, name in enumerate(names):
            rel = _reliability(segment, name)
            stations.append(_station(
                name, times[k], rel,
                segment.parallel * parallel.get(name, 1), stops[k]))
            seg_names.append(segment.name)
            stop_rows.append(stops[k].sum())
            if k < len(names) - 1:
                buffers.append(0 if segment.paced else 1)
        if names:
            if segment.paced and len(names) > 1:
                groups.append((first, len(stations) - 1))
            buffers.append(segment.buffer_after)
    buffers = buffers[: len(stations) - 1]
    line = Line(stations=tuple(stations), buffers=tuple(buffers),
                segments=tuple(groups), time_unit_s=1.0)
    cal = scenario.calendar
    calendar = ShiftCalendar(
        shifts_per_day=cal.shifts_per_day,
        shift_hours=cal.shift_length_min / 60.0,
        break_hours=cal.paid_breaks_min_per_shift / 60.0,
        working_days_per_year=float(cal.weekdays_per_year
                                    - cal.holidays_per_year),
        days_per_week=cal.working_days_per_week)
    horizon = available_time(cal).net_seconds_per_year
    return PlantLine(
        line=line, variant_sequence=np.arange(n_pos, dtype=np.int64),
        calendar=calendar, horizon_s=horizon,
        warmup_s=scenario.simulation.warmup_h * 3600.0,
        segment_of_station=tuple(seg_names),
        overload_stop_s=np.asarray(stop_rows))


def proportional_sequence(shares: np.ndarray, length: int) -> np.ndarray:
    """A spread-out order of ``length`` vehicles with the given shares.

    Each position goes to the variant furthest behind its share (the
    "goal chasing" rule of Toyota's mixed-model lines).
    """
    made = np.zeros(shares.size)
    out = np.empty(length, dtype=np.int64)
    for i in range(length):
        v = int(np.argmax(shares * (i + 1) - made))
        out[i] = v
        made[v] += 1
    return out
