"""Evaluators: how a sweep turns an input dict and a seed into metrics.

An :class:`Evaluator` has two functions. ``prepare(raw, source)``
validates one design point's input dict (raising
:class:`~taktplan.errors.InputError`) and returns a picklable model;
``run(model, seed_sequence)`` simulates one replication of it and returns
its metrics. ``run`` is a pure function of its arguments, so executors
may run it anywhere and in any order.

Two evaluators are built in: ``line`` for a line given alone (a TOML file
with ``stations`` and ``buffers``) and ``scenario`` for a whole plant
scenario, whose line comes from
:func:`taktplan.plant.stages.scenario_line` (balanced and sequenced once
per distinct work, mix and calendar). More evaluators plug in with
:func:`register_evaluator`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from taktplan.errors import InputError
from taktplan.formats.line import LineFile, is_line, parse_line
from taktplan.scenario.load import (
    is_scenario,
    lazy_task_places,
    parse_scenario,
)
from taktplan.simulate.results import STATES

if TYPE_CHECKING:
    from collections.abc import Callable

    from taktplan.simulate.model import Line, ShiftCalendar
    from taktplan.simulate.results import ReplicationResult

Metrics = dict[str, float]


@dataclass(frozen=True)
class Evaluator:
    """A kind of input a sweep can run.

    Parameters
    ----------
    name
        Short name, stored with each run.
    matches
        Whether a raw input dict is of this kind.
    prepare
        ``prepare(raw, source) -> model``: validate and build; raises
        :class:`InputError` on bad input.
    run
        ``run(model, seed_sequence) -> metrics``: one replication.
    headline
        The metrics ``taktplan results`` shows first.
    """

    name: str
    matches: Callable[[dict[str, Any]], bool]
    prepare: Callable[[dict[str, Any], str], Any]
    run: Callable[[Any, np.random.SeedSequence], Metrics]
    headline: tuple[str, ...] = ("throughput",)


_REGISTRY: dict[str, Evaluator] = {}


def register_evaluator(evaluator: Evaluator) -> None:
    """Add (or replace) an evaluator; later ones are tried first."""
    _REGISTRY.pop(evaluator.name, None)
    _REGISTRY[evaluator.name] = evaluator


def evaluator_for(raw: dict[str, Any], source: str) -> Evaluator:
    """The evaluator for a raw input dict (the last registered match)."""
    for ev in reversed(list(_REGISTRY.values())):
        if ev.matches(raw):
            return ev
    raise InputError(source, None, "is neither a line (stations, buffers) "
                     "nor a plant scenario (meta, segments)",
                     "give a line TOML file or a scenario TOML file")


# -- metrics of a simulated replication ---------------------------------

def replication_metrics(result: ReplicationResult,
                        names: tuple[str, ...],
                        time_unit_s: float,
                        hours_per_year: float | None = None) -> Metrics:
    """Flatten a :class:`~taktplan.simulate.ReplicationResult`.

    Metrics: ``throughput`` (jobs per time unit), ``jph`` (jobs per
    hour), ``vehicles_per_year`` (with a calendar), ``departures``,
    ``wip``, ``flow_time``; per station ``NAME.working``, ``.blocked``,
    ``.starved``, ``.down``, ``.bottleneck``; per buffer ``buffer.I.mean``
    (mean level).
    """
    jph = result.throughput * 3600.0 / time_unit_s
    out: Metrics = {
        "throughput": float(result.throughput),
        "jph": float(jph),
    }
    if hours_per_year is not None:
        out["vehicles_per_year"] = float(jph * hours_per_year)
    out["departures"] = float(result.departures)
    out["wip"] = float(result.wip)
    out["flow_time"] = float(result.flow_time)
    for i, name in enumerate(names):
        for k, state in enumerate(STATES):
            out[f"{name}.{state}"] = float(result.fractions[i, k])
        out[f"{name}.bottleneck"] = float(result.momentary_share[i])
    for b, levels in enumerate(result.buffer_levels):
        lv = np.asarray(levels, dtype=float)
        out[f"buffer.{b}.mean"] = float(np.dot(np.arange(lv.size), lv))
    return out


# -- line given alone -----------------------------------------------------

def prepare_line(raw: dict[str, Any], source: str) -> LineFile:
    """Validate a line-alone dict; its :class:`~taktplan.formats.line.
    LineFile` (line, horizon, warm-up, variants, calendar)."""
    return parse_line(raw, source)


def run_line(model: LineFile, seed: np.random.SeedSequence) -> Metrics:
    """One replication of a line file's line: its metrics."""
    # lazy: numba loads in the replications, not when a sweep's input
    # is read and checked (python -X importtime)
    from taktplan.simulate.run import simulate_replication

    res = simulate_replication(model.line, horizon=model.horizon,
                               warmup=model.warmup, seed_sequence=seed,
                               variant_sequence=model.variant_sequence,
                               variant_mix=model.variant_mix)
    hours = (model.calendar.productive_hours_per_year
             if model.calendar is not None else None)
    return replication_metrics(res, model.line.names,
                               model.line.time_unit_s, hours)


LINE = Evaluator("line", is_line, prepare_line, run_line,
                 ("throughput", "wip"))


# -- whole plant scenario -------------------------------------------------

@dataclass(frozen=True)
class ScenarioModel:
    """A scenario's simulated line, its calendar and run lengths."""

    line: Line
    calendar: ShiftCalendar
    horizon: float
    warmup: float
    variant_sequence: np.ndarray


def prepare_scenario(raw: dict[str, Any], source: str) -> ScenarioModel:
    """Validate a scenario dict and build its line (balanced and
    sequenced as the plan does)."""
    from taktplan.plant import stages

    scenario = parse_scenario(raw, source)
    # a scenario read from its file: errors name its task list's cells
    place = lazy_task_places(source) if Path(source).is_file() else None
    plant = stages.scenario_line(scenario, source, place)
    return ScenarioModel(plant.line, plant.calendar, float(plant.horizon_s),
                         float(plant.warmup_s), plant.variant_sequence)


def run_scenario(model: ScenarioModel,
                 seed: np.random.SeedSequence) -> Metrics:
    """One replication of a scenario's line: its metrics."""
    # lazy: numba loads in the replications, not when a sweep's input
    # is read and checked (python -X importtime)
    from taktplan.simulate.run import simulate_replication

    res = simulate_replication(model.line, horizon=model.horizon,
                               warmup=model.warmup, seed_sequence=seed,
                               variant_sequence=model.variant_sequence)
    hours = getattr(model.calendar, "productive_hours_per_year", None)
    return replication_metrics(res, model.line.names,
                               model.line.time_unit_s, hours)


SCENARIO = Evaluator("scenario", is_scenario, prepare_scenario,
                     run_scenario,
                     ("vehicles_per_year", "jph"))

register_evaluator(SCENARIO)
register_evaluator(LINE)
