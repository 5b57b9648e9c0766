"""An estimate of a simulation's work, checked before it starts.

The kernel's work is one event per job per station plus the failures a
job meets while it is processed (failures are operation-dependent, so a
job of time ``t`` at a station of MTBF ``m`` meets about ``t / m`` of
them, however long the horizon). Magnitudes such as a cycle time of
1e20, an MTBF of 1e-300 or a horizon of 1e308 make that count explode; they
are refused here with one line instead of running for ever.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from taktplan.errors import InputError
from taktplan.limits import MAX_EVENTS, MAX_TIME

if TYPE_CHECKING:
    from taktplan.simulate.model import Line


def estimated_events(line: Line, horizon: float, warmup: float) -> float:
    """An upper estimate of the events of one replication.

    Jobs through the line: the simulated time over the bottleneck's mean
    time per job (its mean over the variants divided by its servers),
    plus the jobs the line holds. Each job costs one event per station
    and ``max time / MTBF`` failures at each station that fails.
    """
    span = warmup + horizon
    times = line.process_matrix()
    slowest = 0.0
    per_job = 0.0
    for i, station in enumerate(line.stations):
        row = times[i]
        slowest = max(slowest, float(np.mean(row)) / station.parallel)
        per_job += 1.0
        if station.fails:
            per_job += float(np.max(row)) / station.mtbf
    held = len(line.stations) + sum(line.buffers) + \
        sum(s.parallel for s in line.stations)
    jobs = (span / slowest if slowest > 0 else math.inf) + held
    return jobs * per_job


def check_work(line: Line, horizon: float, warmup: float,
               replications: int, *, source: str, where: str) -> None:
    """Raise :class:`InputError` for a run that cannot end in bounded time.

    Refuses a non-finite, negative or huge (above
    :data:`~taktplan.limits.MAX_TIME`) horizon or warm-up, and a run whose
    estimated events over all replications exceed
    :data:`~taktplan.limits.MAX_EVENTS`; the message says what to lower.
    """
    for name, value, low in (("horizon", horizon, 0.0),
                             ("warmup", warmup, -1.0)):
        if not (math.isfinite(value) and low < value <= MAX_TIME):
            at = where if where.startswith("--") else name
            raise InputError(source, at, f"{name} {value!r} is not a "
                             f"finite time {'> 0' if low == 0 else '>= 0'} "
                             f"and at most {MAX_TIME:g}",
                             f"give the {name} in the line's time units")
    if (warmup + horizon) - warmup < horizon / 2:
        # the horizon is lost beside the warm-up in float arithmetic: the
        # measured window would be empty (its statistics 0 / 0)
        at = where if where.startswith("--") else "horizon"
        raise InputError(source, at, f"horizon {horizon!r} is too small "
                         f"beside the warm-up {warmup!r} to be measured",
                         "give a horizon of at least a millionth of the "
                         "warm-up")
    events = estimated_events(line, horizon, warmup) * replications
    if not events <= MAX_EVENTS and not where.startswith("--"):
        # name the station whose failures per job alone are too many
        times = line.process_matrix()
        for i, station in enumerate(line.stations):
            if station.fails and \
                    float(np.max(times[i])) / station.mtbf > MAX_EVENTS:
                where = f"stations[{i}].mtbf"
                break
    if not events <= MAX_EVENTS:
        raise InputError(
            source, where, f"this simulation would take about {events:.2g} "
            f"events, more than the {MAX_EVENTS:.0e} a run may take",
            "lower the horizon, warm-up or replications, or check the "
            "cycle times and MTBFs (a job meets max time / MTBF failures "
            "at each station)")
