"""Results of a simulation: one replication, and all of them together."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from taktplan.simulate.stats import Estimate, finite_or_none, t_interval

if TYPE_CHECKING:
    from taktplan.simulate.model import ShiftCalendar
    from taktplan.simulate.over_time import Trace

#: A station's states, in the order of the columns of ``fractions``.
#: ``overload`` is time the line stood because a variant's work exceeded
#: the cycle at the station (see ``Station.overload_times``).
STATES = ("working", "blocked", "starved", "down", "overload")


def _jsonable(entropy: int | tuple[int, ...]) -> int | list[int]:
    return list(entropy) if isinstance(entropy, tuple) else entropy


@dataclass(frozen=True)
class ReplicationResult:
    """Metrics of one replication over the window after warm-up.

    Parameters
    ----------
    seed_entropy, spawn_key
        The ``numpy.random.SeedSequence`` that drove the replication.
    horizon, warmup
        Length of the measured window and of the warm-up before it.
    departures
        Jobs that left the last station in the window.
    throughput
        ``departures / horizon`` (jobs per time unit).
    fractions
        (stations, 5) fractions of time working, blocked, starved, down,
        overload (averaged over parallel servers); each row sums to 1.
    momentary_share, sole_share, shifting_share
        Share of the window each station is the momentary bottleneck, the
        sole bottleneck and a shifting bottleneck (active-period method).
    wip
        Time-average number of jobs in the line.
    flow_time
        Mean time from entering the first station to leaving the last, of
        the jobs that left in the window.
    buffer_levels
        For each buffer (between station i and i+1), the fraction of time
        at each level 0..capacity.
    runtime_s
        Wall time of the replication.
    detailed
        ``False`` when simulated with ``detail=False``: fractions and
        shares are zeros and there are no buffer levels.
    jobs_in, wip_start, wip_end
        Jobs that entered the first station in the window, and jobs in
        the line at its start and at its end (``None`` when unknown);
        ``wip_start + jobs_in == departures + wip_end``.
    unit_fractions
        (units, 5) the same fractions for each unit of the line (a
        station, or a paced segment as one: running, blocked, starved,
        down, overload; see :attr:`SimulationResult.units`).
    output_bins
        Departures in each bin of the over-time record (``None`` when
        not asked for).
    trace
        The stations' trace when this replication was traced.
    """

    seed_entropy: int | tuple[int, ...]
    spawn_key: tuple[int, ...]
    horizon: float
    warmup: float
    departures: int
    throughput: float
    fractions: np.ndarray
    momentary_share: np.ndarray
    sole_share: np.ndarray
    shifting_share: np.ndarray
    wip: float
    flow_time: float
    buffer_levels: tuple[np.ndarray, ...]
    runtime_s: float
    detailed: bool = True
    jobs_in: int | None = None
    wip_start: int | None = None
    wip_end: int | None = None
    unit_fractions: np.ndarray = field(
        default_factory=lambda: np.zeros((0, 5)))
    output_bins: np.ndarray | None = None
    trace: Trace | None = None

    def to_dict(self, names: tuple[str, ...]) -> dict[str, Any]:
        """JSON-ready values, stations keyed by ``names``."""
        return {
            "seed": {"entropy": _jsonable(self.seed_entropy),
                     "spawn_key": list(self.spawn_key)},
            "throughput": self.throughput,
            "departures": self.departures,
            "wip": self.wip,
            "flow_time": finite_or_none(self.flow_time),
            "runtime_s": self.runtime_s,
            "stations": [
                {"name": name,
                 **{s: float(self.fractions[i, k])
                    for k, s in enumerate(STATES)},
                 "bottleneck_share": float(self.momentary_share[i])}
                for i, name in enumerate(names)],
        }


@dataclass(frozen=True)
class SimulationResult:
    """All replications of one simulation, with means and 95% intervals.

    Parameters
    ----------
    names
        Station names.
    replications
        One :class:`ReplicationResult` per replication, in seed order.
    seed
        The root seed; replication ``k`` used ``SeedSequence(seed)
        .spawn(n)[k]``.
    time_unit_s
        Seconds in one time unit (for jobs per hour).
    calendar
        The shift calendar for vehicles per year, if any.
    runtime_s
        Wall time of all replications.
    units
        ``(first, last)`` stations of each unit of the line: a paced
        segment is one unit, every other station its own.
    """

    names: tuple[str, ...]
    replications: tuple[ReplicationResult, ...]
    seed: int
    time_unit_s: float = 1.0
    calendar: ShiftCalendar | None = None
    runtime_s: float = 0.0
    status: str = "ok"
    units: tuple[tuple[int, int], ...] = ()
    throughput: Estimate = field(init=False)
    wip: Estimate = field(init=False)
    flow_time: Estimate = field(init=False)

    def __post_init__(self) -> None:
        reps = self.replications
        object.__setattr__(self, "throughput",
                           t_interval(np.array([r.throughput for r in reps])))
        object.__setattr__(self, "wip",
                           t_interval(np.array([r.wip for r in reps])))
        object.__setattr__(self, "flow_time",
                           t_interval(np.array([r.flow_time for r in reps])))

    @property
    def objective(self) -> float:
        """The mean throughput (jobs per time unit)."""
        return self.throughput.mean

    @property
    def jobs_per_hour(self) -> Estimate:
        """Throughput per productive hour."""
        f = 3600.0 / self.time_unit_s
        e = self.throughput
        return Estimate(e.mean * f, e.low * f, e.high * f, e.std * f, e.n)

    @property
    def per_year(self) -> Estimate | None:
        """Jobs per year on the calendar (``None`` without a calendar)."""
        if self.calendar is None:
            return None
        f = self.calendar.productive_hours_per_year
        e = self.jobs_per_hour
        return Estimate(e.mean * f, e.low * f, e.high * f, e.std * f, e.n)

    @property
    def fractions(self) -> np.ndarray:
        """Mean (stations, 5) fractions working, blocked, starved, down,
        overload (see :data:`STATES`)."""
        return np.mean([r.fractions for r in self.replications], axis=0)

    @property
    def unit_fractions(self) -> np.ndarray:
        """Mean (units, 5) fractions of each unit (see :attr:`units`)."""
        return np.mean([r.unit_fractions for r in self.replications],
                       axis=0)

    @property
    def output_bins(self) -> np.ndarray | None:
        """(replications, bins) departures per bin, if recorded."""
        bins = [r.output_bins for r in self.replications]
        if any(b is None for b in bins):
            return None
        return np.stack(bins)  # type: ignore[arg-type]

    @property
    def trace(self) -> Trace | None:
        """The traced replication's trace, if one was recorded."""
        return next((r.trace for r in self.replications
                     if r.trace is not None), None)

    def station_estimate(self, state: str) -> list[Estimate]:
        """Per-station mean and interval of one state's fraction."""
        k = STATES.index(state)
        return [t_interval(np.array([r.fractions[i, k]
                                     for r in self.replications]))
                for i in range(len(self.names))]

    @property
    def momentary_share(self) -> np.ndarray:
        """Mean share of time each station is the momentary bottleneck."""
        return np.mean([r.momentary_share for r in self.replications], 0)

    @property
    def sole_share(self) -> np.ndarray:
        """Mean share of time each station is the sole bottleneck."""
        return np.mean([r.sole_share for r in self.replications], 0)

    @property
    def shifting_share(self) -> np.ndarray:
        """Mean share of time each station is a shifting bottleneck."""
        return np.mean([r.shifting_share for r in self.replications], 0)

    @property
    def bottleneck(self) -> str:
        """Station with the largest sole plus shifting bottleneck share."""
        score = self.sole_share + self.shifting_share
        return self.names[int(np.argmax(score))]

    @property
    def buffer_levels(self) -> tuple[np.ndarray, ...]:
        """Mean fraction of time at each level, per buffer."""
        reps = self.replications
        return tuple(np.mean([r.buffer_levels[b] for r in reps], axis=0)
                     for b in range(len(reps[0].buffer_levels)))

    @property
    def detailed(self) -> bool:
        """Whether time fractions, buffer levels and bottlenecks exist."""
        return all(r.detailed for r in self.replications)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready values (documented in the README, `simulate`).

        Without detail (``detail=False``) ``bottleneck`` is ``None`` and
        ``stations`` and ``buffers`` are empty lists.
        """
        tp = self.throughput
        frac = self.fractions
        out: dict[str, Any] = {
            "status": self.status,
            "throughput": tp.mean,
            "ci95": [tp.low, tp.high],
            "throughput_std": tp.std,
            "jobs_per_hour": self.jobs_per_hour.mean,
            "jobs_per_hour_ci95": [self.jobs_per_hour.low,
                                   self.jobs_per_hour.high],
            "replications": len(self.replications),
            "seed": self.seed,
            "horizon": self.replications[0].horizon,
            "warmup": self.replications[0].warmup,
            "time_unit_s": self.time_unit_s,
            "wip": self.wip.to_dict(),
            "flow_time": self.flow_time.to_dict(),
            "bottleneck": self.bottleneck,
            "stations": [
                {"name": name,
                 **{s: float(frac[i, k]) for k, s in enumerate(STATES)},
                 "bottleneck_share": float(self.momentary_share[i]),
                 "sole_bottleneck": float(self.sole_share[i]),
                 "shifting_bottleneck": float(self.shifting_share[i])}
                for i, name in enumerate(self.names)],
            "buffers": [{"after": self.names[b],
                         "levels": [float(x) for x in lv],
                         "mean": float(np.dot(np.arange(lv.size), lv))}
                        for b, lv in enumerate(self.buffer_levels)],
            "seeds": [{"entropy": _jsonable(r.seed_entropy),
                       "spawn_key": list(r.spawn_key)}
                      for r in self.replications],
            "per_replication": [
                {"throughput": r.throughput, "wip": r.wip,
                 "flow_time": finite_or_none(r.flow_time),
                 "departures": r.departures}
                for r in self.replications],
            "runtime_s": self.runtime_s,
        }
        if not self.detailed:
            out["bottleneck"] = None
            out["stations"] = []
            out["buffers"] = []
        year = self.per_year
        if year is not None and self.calendar is not None:
            out["per_year"] = year.mean
            out["per_year_ci95"] = [year.low, year.high]
            out["productive_hours_per_year"] = \
                self.calendar.productive_hours_per_year
        return out

    def summary(self) -> str:
        """A few lines for a person."""
        tp = self.throughput
        lines = [f"throughput {tp.mean:.6g} jobs/unit "
                 f"(95% CI {tp.low:.6g} .. {tp.high:.6g}, "
                 f"{tp.n} replications), {self.jobs_per_hour.mean:.4g} "
                 "jobs/hour"]
        if self.detailed:
            lines.append(f"bottleneck {self.bottleneck}")
        if self.per_year is not None:
            lines.append(f"per year {self.per_year.mean:,.0f}")
        return "\n".join(lines)
