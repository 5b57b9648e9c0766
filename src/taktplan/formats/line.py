"""Reader of a line given alone (a TOML file), for ``taktplan simulate``.

The shape (times in one unit, whatever it is)::

    buffers = [5, 5]          # capacity between consecutive stations
    horizon = 100000.0        # simulated time after warm-up
    warmup = 1000.0
    # optional: replications, seed, time_unit ("s", "min", "h"),
    # segments = [[first, last], ...] (0-based, paced segments),
    # variant_sequence = [0, 1, 0, ...] or variant_mix = [0.7, 0.3],
    # [calendar] shifts_per_day, shift_hours, break_hours,
    #            working_days_per_year, days_per_week
    [[stations]]
    name = "M1"
    cycle_time = 1.0          # mean processing time (or one per variant)
    process = "deterministic" # exponential, lognormal, gamma, weibull
    process_cv = 0.0
    mtbf = 100.0              # leave out: the station never fails
    mttr = 10.0
    failure = "exponential"   # repair = "exponential"; *_cv for shapes
    parallel = 1
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from taktplan.errors import InputError, key_path
from taktplan.files import read_toml
from taktplan.limits import MAX_REPLICATIONS, MAX_SEED, MAX_TIME
from taktplan.simulate.budget import check_work
from taktplan.simulate.model import Line, ShiftCalendar, Station

Process = Literal["deterministic", "exponential", "lognormal", "gamma",
                  "weibull"]
Failure = Literal["exponential", "deterministic", "lognormal", "gamma",
                  "weibull", "geometric"]
NonNeg = Annotated[float, Field(ge=0, allow_inf_nan=False)]
UNITS = {"s": 1.0, "min": 60.0, "h": 3600.0}


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class StationSpec(_Frozen):
    """One ``[[stations]]`` table."""

    name: Annotated[str, Field(min_length=1)]
    cycle_time: NonNeg | list[NonNeg]
    process: Process = "deterministic"
    process_cv: NonNeg = 0.0
    mtbf: Annotated[float, Field(gt=0)] = math.inf
    mttr: NonNeg = 0.0
    failure: Failure = "exponential"
    repair: Failure = "exponential"
    failure_cv: NonNeg = 1.0
    repair_cv: NonNeg = 1.0
    parallel: Annotated[int, Field(ge=1)] = 1


class CalendarSpec(_Frozen):
    """The optional ``[calendar]`` table."""

    shifts_per_day: Annotated[int, Field(ge=1, le=3)] = 2
    shift_hours: Annotated[float, Field(gt=0, le=24)] = 8.0
    break_hours: NonNeg = 0.5
    working_days_per_year: Annotated[float, Field(gt=0, le=366)] = 248.0
    days_per_week: Annotated[int, Field(ge=1, le=7)] = 5


class LineSpec(_Frozen):
    """The whole file."""

    buffers: list[Annotated[int, Field(ge=0)]]
    horizon: Annotated[float, Field(gt=0, le=MAX_TIME,
                                    allow_inf_nan=False)]
    warmup: Annotated[float, Field(ge=0, le=MAX_TIME,
                                   allow_inf_nan=False)] = 0.0
    replications: Annotated[int, Field(ge=1, le=MAX_REPLICATIONS)] = 10
    seed: Annotated[int, Field(ge=0, le=MAX_SEED)] = 0
    time_unit: Literal["s", "min", "h"] = "s"
    segments: list[tuple[int, int]] = []
    variant_sequence: list[Annotated[int, Field(ge=0)]] | None = None
    variant_mix: list[NonNeg] | None = None
    calendar: CalendarSpec | None = None
    stations: Annotated[list[StationSpec], Field(min_length=1)]


@dataclass(frozen=True)
class LineFile:
    """A line read from a file, with its run settings.

    Parameters
    ----------
    line
        The line model.
    horizon, warmup, replications, seed
        Run settings from the file (the command line may override them).
    variant_sequence, variant_mix
        Variants sent down the line, if given.
    calendar
        The shift calendar, if given.
    """

    line: Line
    horizon: float
    warmup: float
    replications: int
    seed: int
    variant_sequence: np.ndarray | None
    variant_mix: np.ndarray | None
    calendar: ShiftCalendar | None


def _is_tag(part: int | str) -> bool:
    """Pydantic's names of union members and validators, not keys."""
    return isinstance(part, str) and (
        part in ("float", "int", "str", "bool")
        or any(ch in part for ch in "-[("))


def read_line(path: str | Path) -> LineFile:
    """Read a line-alone TOML file.

    Raises
    ------
    InputError
        For a missing or unreadable file, bad TOML, or values that do not
        make a line; the message names the file and the key path.
    """
    path = Path(path)
    return parse_line(read_toml(path), path)


def is_line(raw: dict[str, Any]) -> bool:
    """Whether a TOML file's dict is a line given alone: it has
    ``stations`` and no scenario ``[meta]``."""
    return "stations" in raw and "meta" not in raw


def parse_line(raw: dict[str, Any], source: str | Path) -> LineFile:
    """Validate the dict of a line-alone file (or a sweep's design point)
    and build its line; ``source`` names it in errors.

    Raises
    ------
    InputError
        For values that do not make a line, naming the key path.
    """
    try:
        spec = LineSpec.model_validate(raw)
    except ValidationError as exc:
        # a misspelt key also leaves a required one missing: name it first
        err = sorted(exc.errors(),
                     key=lambda e: e["type"] != "extra_forbidden")[0]
        where = key_path(tuple(p for p in err["loc"] if not _is_tag(p)))
        raise InputError(source, where, err["msg"].lower(),
                         "correct it (the line format is in the README, "
                         "section simulate)") from None
    try:
        built = _build(spec)
    except InputError as exc:
        raise InputError(source, exc.where, exc.problem, exc.fix) from None
    check_work(built.line, built.horizon, built.warmup, built.replications,
               source=str(source), where="horizon")
    return built


def _check_variants(spec: LineSpec, n_variants: int) -> None:
    seq = spec.variant_sequence
    if seq is not None and (not seq or max(seq) >= n_variants):
        raise InputError("<line>", "variant_sequence",
                         f"entries must be in 0..{n_variants - 1}",
                         "give variant indices the stations have times for")
    mix = spec.variant_mix
    if mix is not None and (len(mix) != n_variants or not sum(mix) > 0):
        raise InputError("<line>", "variant_mix",
                         f"need {n_variants} weights, not all 0",
                         "give one share per variant")


def _build(spec: LineSpec) -> LineFile:
    unit = UNITS[spec.time_unit]
    stations = []
    for i, s in enumerate(spec.stations):
        if math.isfinite(s.mtbf) and s.mttr <= 0:
            raise InputError("<line>", f"stations[{i}].mttr",
                             "must be > 0 when mtbf is given",
                             "give the mean time to repair")
        stations.append(Station(
            name=s.name, process_times=np.atleast_1d(
                np.asarray(s.cycle_time, dtype=float)),
            process=s.process, process_cv=s.process_cv, mtbf=s.mtbf,
            mttr=s.mttr, failure=s.failure, repair=s.repair,
            failure_cv=s.failure_cv, repair_cv=s.repair_cv,
            parallel=s.parallel))
    line = Line(tuple(stations), tuple(spec.buffers),
                tuple(spec.segments), time_unit_s=unit)
    _check_variants(spec, line.n_variants)
    cal = None
    if spec.calendar is not None:
        cal = ShiftCalendar(**spec.calendar.model_dump())
    return LineFile(
        line=line, horizon=spec.horizon, warmup=spec.warmup,
        replications=spec.replications, seed=spec.seed,
        variant_sequence=None if spec.variant_sequence is None
        else np.asarray(spec.variant_sequence, dtype=np.int64),
        variant_mix=None if spec.variant_mix is None
        else np.asarray(spec.variant_mix, dtype=float),
        calendar=cal)
