"""Evaluators: how a sweep turns an input dict and a seed into metrics.

An :class:`Evaluator` has two functions. ``prepare(raw, source)``
validates one design point's input dict (raising
:class:`~taktplan.errors.InputError`) and returns a picklable model;
``run(model, seed_sequence)`` simulates one replication of it and returns
its metrics. ``run`` is a pure function of its arguments, so executors
may run it anywhere and in any order.

Two evaluators are built in: ``line`` for a line given alone (a TOML file
with ``stations`` and ``buffers``) and ``scenario`` for a whole plant
scenario. The scenario one needs one function from the plan pipeline,
``taktplan.pipeline.scenario_line(scenario)``, returning
``(line, calendar, horizon, warmup, variant_sequence)``; until the
pipeline provides it, whole-scenario sweeps raise a clear
:class:`~taktplan.errors.InputError`. More evaluators plug in with
:func:`register_evaluator`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from taktplan.errors import InputError

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

def replication_metrics(result: Any, names: tuple[str, ...],
                        time_unit_s: float,
                        hours_per_year: float | None = None) -> Metrics:
    """Flatten a :class:`~taktplan.simulate.ReplicationResult`.

    Metrics: ``throughput`` (jobs per time unit), ``jph`` (jobs per
    hour), ``vehicles_per_year`` (with a calendar), ``departures``,
    ``wip``, ``flow_time``; per station ``NAME.working``, ``.blocked``,
    ``.starved``, ``.down``, ``.bottleneck``; per buffer ``buffer.I.mean``
    (mean level).
    """
    from taktplan.simulate.results import STATES

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

def _is_line(raw: dict[str, Any]) -> bool:
    return "stations" in raw and "meta" not in raw


def prepare_line(raw: dict[str, Any], source: str) -> Any:
    """Validate a line-alone dict; its :class:`~taktplan.formats.line.
    LineFile` (line, horizon, warm-up, variants, calendar)."""
    from pydantic import ValidationError

    # formats.line reads files only; its model and builder take the dict
    # of a design point (a public dict reader there would be cleaner).
    from taktplan.formats.line import LineSpec
    from taktplan.formats.line import _build as build_line
    from taktplan.scenario.load import key_path

    try:
        spec = LineSpec.model_validate(raw)
    except ValidationError as exc:
        err = sorted(exc.errors(),
                     key=lambda e: e["type"] != "extra_forbidden")[0]
        loc = tuple(p for p in err["loc"] if isinstance(p, int)
                    or not ("[" in p or p in ("float", "int", "str")
                            or p.startswith("function-")))
        raise InputError(source, key_path(loc), err["msg"].lower(),
                         "see README.md, 'simulate', for the line "
                         "format") from None
    try:
        return build_line(spec)
    except InputError as exc:
        raise InputError(source, exc.where, exc.problem, exc.fix) from None


def run_line(model: Any, seed: np.random.SeedSequence) -> Metrics:
    """One replication of a line file's line: its metrics."""
    from taktplan.simulate import simulate_replication

    res = simulate_replication(model.line, horizon=model.horizon,
                               warmup=model.warmup, seed_sequence=seed,
                               variant_sequence=model.variant_sequence,
                               variant_mix=model.variant_mix)
    hours = (model.calendar.productive_hours_per_year
             if model.calendar is not None else None)
    return replication_metrics(res, model.line.names,
                               model.line.time_unit_s, hours)


LINE = Evaluator("line", _is_line, prepare_line, run_line,
                 ("throughput", "wip"))


# -- whole plant scenario -------------------------------------------------

@dataclass(frozen=True)
class ScenarioModel:
    """A scenario's simulated line, its calendar and run lengths."""

    line: Any
    calendar: Any
    horizon: float
    warmup: float
    variant_sequence: Any


def _is_scenario(raw: dict[str, Any]) -> bool:
    return "segments" in raw and "meta" in raw


def prepare_scenario(raw: dict[str, Any], source: str) -> ScenarioModel:
    """Validate a scenario dict and build its line (via the pipeline)."""
    from taktplan import pipeline
    from taktplan.scenario.load import parse_scenario

    scenario = parse_scenario(raw, source)
    build = getattr(pipeline, "scenario_line", None)
    if build is None:
        raise InputError(source, None, "whole-scenario sweeps need the "
                         "plan's line model (taktplan.pipeline."
                         "scenario_line), which is not in this build yet",
                         "sweep a line TOML file instead (see examples/)")
    line, calendar, horizon, warmup, sequence = build(scenario)
    return ScenarioModel(line, calendar, float(horizon), float(warmup),
                         sequence)


def run_scenario(model: ScenarioModel,
                 seed: np.random.SeedSequence) -> Metrics:
    """One replication of a scenario's line: its metrics."""
    from taktplan.simulate import simulate_replication

    res = simulate_replication(model.line, horizon=model.horizon,
                               warmup=model.warmup, seed_sequence=seed,
                               variant_sequence=model.variant_sequence)
    hours = getattr(model.calendar, "productive_hours_per_year", None)
    return replication_metrics(res, model.line.names,
                               model.line.time_unit_s, hours)


SCENARIO = Evaluator("scenario", _is_scenario, prepare_scenario,
                     run_scenario,
                     ("vehicles_per_year", "jph"))

register_evaluator(SCENARIO)
register_evaluator(LINE)
