"""`taktplan check`: load and validate a scenario and its task list."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from taktplan.cli.app import (
    app,
    console,
    guarded,
    print_json,
    print_warnings,
)

if TYPE_CHECKING:
    from taktplan.plant.work_content import WorkContent
    from taktplan.scenario.load import LoadedScenario


@app.command(
    help="Load and validate SCENARIO (the built-in plant when omitted) "
         "and its task list without solving; print what was read: tasks, "
         "variants, work content per variant and area, the takt and the "
         "lower bound of stations per segment.",
    epilog="Example: taktplan check my-plant/scenario.toml --json",
)
@guarded
def check(
    scenario: Annotated[
        Path | None,
        typer.Argument(help="Scenario TOML file; omit for the built-in "
                            "plant.", show_default=False),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object instead "
                                          "of the tables.")
    ] = False,
) -> None:
    """Validate a scenario without solving it."""
    from taktplan.plant.consistency import input_warnings
    from taktplan.plant.input_checks import check_inputs
    from taktplan.plant.work_content import work_content
    from taktplan.scenario.load import load_scenario_source

    loaded = load_scenario_source(scenario)
    model = loaded.scenario
    work = work_content(model)
    place = None if loaded.task_list is None else loaded.task_list.place
    check_inputs(model, work.takt.planning_cycle_s, loaded.source, place)
    # the plan's warnings that need no solving, as the plan prints them
    warnings = input_warnings(model, work.takt, place)
    print_warnings(warnings)
    payload = check_payload(loaded, work)
    payload["warnings"] = [{"field": w.field, "message": w.message}
                           for w in warnings]
    if as_json:
        print_json(payload)
    else:
        _print_tables(payload)


def check_payload(loaded: LoadedScenario, work: WorkContent
                  ) -> dict[str, Any]:
    """What ``check --json`` prints (see the README)."""
    model = loaded.scenario
    task_list = loaded.task_list
    return {
        "scenario": model.meta.name,
        "source": loaded.source,
        "task_list": None if task_list is None else str(task_list.path),
        "sheet": None if task_list is None else task_list.sheet,
        "variants": [{"id": v.id, "name": v.name, "share": v.share}
                     for v in model.variants],
        "n_tasks": len(model.tasks),
        "tasks": [t.model_dump(mode="json") for t in model.tasks],
        "work_content_s": work.work_content_s,
        "weighted_work_content_s": work.weighted_s,
        "areas": [{"area": a.area, "tasks": a.n_tasks,
                   "work_content_s": a.work_content_s,
                   "weighted_work_content_s": a.weighted_s}
                  for a in work.areas],
        "takt_s": work.takt.takt_s,
        "planning_cycle_s": work.takt.planning_cycle_s,
        "load_limit_s": work.load_limit_s,
        "variant_limit_s": work.variant_limit_s,
        "segments": [{"segment": s.segment, "areas": list(s.areas),
                      "two_sided": s.two_sided, "tasks": s.n_tasks,
                      "weighted_work_content_s": s.weighted_s,
                      "lower_bound": s.lower_bound}
                     for s in work.segments],
        "lower_bound": work.lower_bound,
    }


def _print_tables(payload: dict[str, Any]) -> None:
    from rich.markup import escape
    from rich.table import Table

    where = escape(payload["task_list"]
                   or f"the [[tasks]] tables of {payload['source']}")
    console.print(f"[bold]{escape(payload['scenario'])}[/]: "
                  f"{payload['n_tasks']} "
                  f"tasks from {where}, {len(payload['variants'])} "
                  "variants.", highlight=False)
    console.print(f"Takt {payload['takt_s']:.1f} s, planning cycle "
                  f"{payload['planning_cycle_s']:.1f} s (a station holds "
                  f"{payload['load_limit_s']:.1f} s weighted, one variant "
                  f"up to {payload['variant_limit_s']:.1f} s).",
                  highlight=False)
    areas = payload["areas"]
    table = Table(title="Work content per vehicle (s)")
    table.add_column("variant")
    table.add_column("share", justify="right")
    for a in areas:
        table.add_column(f"{a['area']} ({a['tasks']})", justify="right")
    table.add_column("all", justify="right")
    for var in payload["variants"]:
        v = var["id"]
        table.add_row(v, f"{var['share']:.0%}",
                      *(f"{a['work_content_s'][v]:,.1f}" for a in areas),
                      f"{payload['work_content_s'][v]:,.1f}")
    table.add_row("weighted", "100%",
                  *(f"{a['weighted_work_content_s']:,.1f}" for a in areas),
                  f"{payload['weighted_work_content_s']:,.1f}", style="bold")
    console.print(table)
    seg = Table(title="Stations per balanced segment, at least"
                + (" (two-sided: mated stations)"
                   if any(s["two_sided"] for s in payload["segments"])
                   else ""))
    for name in ("segment", "areas", "tasks", "weighted (s)",
                 "lower bound"):
        seg.add_column(name, justify="left" if name in ("segment", "areas")
                       else "right")
    for s in payload["segments"]:
        name = s["segment"] + (" (two-sided)" if s["two_sided"] else "")
        seg.add_row(name, ", ".join(s["areas"]), str(s["tasks"]),
                    f"{s['weighted_work_content_s']:,.1f}",
                    str(s["lower_bound"]))
    seg.add_row("all", "", str(payload["n_tasks"]),
                f"{payload['weighted_work_content_s']:,.1f}",
                str(payload["lower_bound"]), style="bold")
    console.print(seg)
    console.print("The scenario and its task list are valid.")
