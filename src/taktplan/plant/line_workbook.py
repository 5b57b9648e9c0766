"""The line design as a workbook for the shop floor: ``plan --export``.

Four sheets, written whole or not at all (a temporary file, then a
rename):

- ``stations``: one row per task on a station, in line order: segment,
  station, side and operator (where a segment is two-sided: as the
  balance placed the task), task id, name, area, the task's time per
  variant and demand-weighted;
- ``loads``: one row per station and variant (and the demand-weighted
  load): load, cycle, utilisation (load / cycle);
- ``sequence``: one row per vehicle of the day's sequence: position,
  variant, the rules broken by a window it sits in (count and names);
- ``summary``: the plan's answers, each with its ``--json`` key.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from taktplan.formats.sheets import Cell, write_sheets

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from taktplan.plant.balance_stage import PlantBalance
    from taktplan.plant.sequence_stage import PlantSequence
    from taktplan.scenario.model import Scenario

Table = tuple[str, list[list[Cell]]]
WEIGHTED = "demand-weighted"

#: The summary sheet: (answer, ``--json`` key path, unit).
SUMMARY: tuple[tuple[str, str, str], ...] = (
    ("Scenario", "scenario", ""),
    ("Annual volume", "capacity.annual_volume", "vehicles/year"),
    ("Working days", "capacity.working_days", "days/year"),
    ("Shifts a day", "capacity.shifts_per_day", ""),
    ("Net production time", "capacity.net_hours_per_year", "h/year"),
    ("Takt", "capacity.takt_s", "s"),
    ("Planning cycle", "capacity.planning_cycle_s", "s"),
    ("Jobs per hour at the cycle", "capacity.design_jobs_per_hour", "JPH"),
    ("Vehicles a day", "capacity.vehicles_per_day", "vehicles/day"),
    ("Stations (balanced segments)", "balance.stations", ""),
    ("Lower bound on stations", "balance.lower_bound", ""),
    ("Station count proved optimal", "balance.proved_optimal", ""),
    ("Operators (balanced segments)", "balance.operators", ""),
    ("Lower bound on operators", "balance.operators_lower_bound", ""),
    ("Line efficiency", "balance.efficiency", "share"),
    ("Vehicles in the day's sequence", "sequence.vehicles", ""),
    ("Rule violations in the sequence", "sequence.violations", ""),
    ("Overload line stops a day", "sequence.overload_s_per_day", "s/day"),
    ("Simulated annual output", "verdict.annual_output", "vehicles/year"),
    ("Probability of reaching the target",
     "verdict.probability_reaching_target", "share"),
    ("Meets the target", "verdict.meets_target", ""),
    ("Bottleneck", "verdict.bottleneck", ""),
    ("Bottleneck share of time", "verdict.bottleneck_share", "share"),
    ("Verdict", "verdict.text", ""),
    ("Cheapest change that closes the gap", "changes.chosen.change", ""),
    ("Its cost", "changes.chosen.cost_per_year", "per year"),
    ("Its annual output", "changes.chosen.annual_output", "vehicles/year"),
    ("Weeks from SOP to target", "rampup.weeks_to_target", "weeks"),
    ("Stock to build before the move", "rampup.bridge_stock", "vehicles"),
)


def json_value(payload: dict[str, Any], path: str) -> Any:
    """The value at a dotted key path of the plan's JSON, or ``None``."""
    value: Any = payload
    for key in path.split("."):
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


def stations_table(scenario: Scenario, balance: PlantBalance) -> Table:
    """Sheet ``stations``: one row per task on a station.

    When a segment is two-sided, ``side`` and ``operator`` (the 1-based
    position at its station) are those the balance gave the task; a
    one-sided station's rows leave the side empty, with operator 1.
    """
    variants = scenario.variant_ids
    shares = scenario.shares
    by_id = {t.id: t for t in scenario.tasks}
    has_sides = any(seg.station_positions for seg in balance.segments)
    header: list[Cell] = ["segment", "station",
                          *(["side", "operator"] if has_sides else []),
                          "task", "name", "area",
                          *(f"time_s:{v}" for v in variants),
                          "time_s:weighted"]
    rows: list[list[Cell]] = [header]
    for seg in balance.segments:
        for k, (station, tasks) in enumerate(zip(
                seg.station_names, seg.station_tasks, strict=True)):
            placed: list[tuple[list[Cell], str]] = (
                [([side, op], task_id) for op, (side, ids) in enumerate(
                    seg.station_positions[k], start=1) for task_id in ids]
                if seg.station_positions else
                [([None, 1], task_id) for task_id in tasks])
            for where, task_id in placed:
                task = by_id[task_id]
                times = [task.time_for(v) for v in variants]
                rows.append([seg.segment, station,
                             *(where if has_sides else []), task.id,
                             task.name, task.area, *times,
                             sum(t * s for t, s in zip(times, shares,
                                                       strict=True))])
    return "stations", rows


def loads_table(variants: Sequence[str], balance: PlantBalance) -> Table:
    """Sheet ``loads``: per station and variant, load against the cycle."""
    rows: list[list[Cell]] = [["segment", "station", "variant", "load_s",
                               "cycle_s", "utilisation"]]
    cycle = balance.cycle_s
    for seg in balance.segments:
        for k, station in enumerate(seg.station_names):
            loads = [float(x) for x in seg.loads[k]]
            pairs = [*zip(variants, loads, strict=True),
                     (WEIGHTED, float(seg.weighted_loads[k]))]
            for variant, load in pairs:
                rows.append([seg.segment, station, variant, load, cycle,
                             load / cycle])
    return "loads", rows


def sequence_table(sequence: PlantSequence) -> Table:
    """Sheet ``sequence``: the day's vehicles in order, rules broken."""
    rows: list[list[Cell]] = [["position", "variant", "rule_violations",
                               "rules_broken"]]
    names = [r.name for r in sequence.rules]
    mask = sequence.violation_mask
    for k, variant in enumerate(sequence.sequence):
        broken = [names[r] for r in range(len(names)) if mask[k, r]]
        rows.append([k + 1, sequence.variant_ids[int(variant)],
                     len(broken), ", ".join(broken) or None])
    return "sequence", rows


def summary_table(payload: dict[str, Any]) -> Table:
    """Sheet ``summary``: the plan's answers and their JSON keys."""
    rows: list[list[Cell]] = [["answer", "value", "unit", "json_key"]]
    for label, path, unit in SUMMARY:
        value = json_value(payload, path)
        if value is None:
            continue
        if isinstance(value, bool):
            value = "yes" if value else "no"
        rows.append([label, value, unit or None, path])
    return "summary", rows


def write_line_workbook(path: str | Path, scenario: Scenario,
                        balance: PlantBalance | None,
                        sequence: PlantSequence | None,
                        payload: dict[str, Any]) -> Path:
    """Write the workbook (see the module docstring), whole or not at all.

    ``payload`` is the plan's ``--json`` object, the source of the
    summary sheet. A plan without balanced segments gets empty
    ``stations`` and ``loads`` sheets (their headers only).
    """
    tables: list[Table]
    if balance is None:
        tables = [("stations", [["segment", "station", "task"]]),
                  ("loads", [["segment", "station", "variant", "load_s",
                              "cycle_s", "utilisation"]])]
    else:
        tables = [stations_table(scenario, balance),
                  loads_table(scenario.variant_ids, balance)]
    if sequence is not None:
        tables.append(sequence_table(sequence))
    tables.append(summary_table(payload))
    return write_sheets(path, tables)
