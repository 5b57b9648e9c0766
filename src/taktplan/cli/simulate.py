"""`taktplan simulate`: simulate a line with breakdowns, buffers, shifts."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from taktplan.cli.app import (
    app,
    check_time_flag,
    console,
    err_console,
    guarded,
    print_json,
)
from taktplan.errors import InputError
from taktplan.limits import MAX_REPLICATIONS, MAX_SEED

if TYPE_CHECKING:
    from taktplan.simulate import Line, ShiftCalendar, SimulationResult

EPILOG = ("Example: taktplan simulate line.toml --replications 20 --seed 7 "
          "--json")


def simulate_line(
    line: Line,
    *,
    horizon: float,
    warmup: float,
    replications: int,
    seed: int,
    calendar: ShiftCalendar | None = None,
    variant_sequence: object = None,
    variant_mix: object = None,
    show_progress: bool = True,
) -> SimulationResult:
    """Simulate a line built anywhere, with a progress bar on stderr."""
    from rich.progress import Progress

    from taktplan.simulate import simulate

    with Progress(console=err_console, transient=True,
                  disable=not show_progress) as bar:
        task = bar.add_task("simulating", total=replications)

        def tick(done: int, total: int) -> None:
            bar.update(task, completed=done)

        return simulate(line, horizon=horizon, warmup=warmup,
                        replications=replications, seed=seed,
                        calendar=calendar,
                        variant_sequence=variant_sequence,  # type: ignore
                        variant_mix=variant_mix,  # type: ignore
                        progress=tick)


UNIT_NAMES = {1.0: "s", 60.0: "min", 3600.0: "h"}


def headline(result: SimulationResult, product: str = "jobs") -> list[str]:
    """The throughput as an engineer reads it: jobs an hour with its 95 %
    interval, and ``product`` a year when the line has a calendar."""
    jph = result.jobs_per_hour
    tp = result.throughput
    unit = UNIT_NAMES.get(result.time_unit_s,
                          f"{result.time_unit_s:g} s")
    lines = [f"throughput {jph.mean:,.2f} jobs/h (95% CI {jph.low:,.2f} "
             f"to {jph.high:,.2f}, {tp.n} replications; "
             f"{tp.mean:.6g} jobs per {unit})"]
    year = result.per_year
    if year is not None:
        lines.append(f"per year   {year.mean:,.0f} {product} (95% CI "
                     f"{year.low:,.0f} to {year.high:,.0f})")
    if result.detailed:
        lines.append(f"bottleneck {result.bottleneck}")
    return lines


def show(result: SimulationResult, product: str = "jobs") -> None:
    """Print a result for a person."""
    from rich.table import Table

    for line in headline(result, product):
        console.print(line, highlight=False, markup=False, soft_wrap=True)
    table = Table("station", "working", "blocked", "starved", "down",
                  "overload", "bottleneck share")
    frac = result.fractions
    share = result.momentary_share
    for i, name in enumerate(result.names):
        table.add_row(name, *(f"{x:.3f}" for x in frac[i]),
                      f"{share[i]:.3f}")
    console.print(table)
    unit = UNIT_NAMES.get(result.time_unit_s,
                          f"x {result.time_unit_s:g} s")
    console.print(f"WIP {result.wip.mean:.3f} jobs, flow time "
                  f"{result.flow_time.mean:.4g} {unit}, "
                  f"runtime {result.runtime_s:.2f} s", highlight=False)


@app.command(
    help=(
        "Simulate an unreliable line (breakdowns, repairs, buffers, "
        "shifts): throughput with a 95% CI, time fractions per station "
        "and the bottleneck. Takes a line given alone as TOML (see the "
        "README, section simulate)."
    ),
    epilog=EPILOG,
)
@guarded
def simulate(
    source: Annotated[
        Path | None,
        typer.Argument(help="A line TOML file, or a plant scenario TOML "
                       "(omitted: the built-in plant).",
                       show_default=False),
    ] = None,
    replications: Annotated[
        int | None,
        typer.Option("--replications", "-n", min=1, max=MAX_REPLICATIONS,
                     help="Independent replications (default: the "
                     "file's, else 10)."),
    ] = None,
    seed: Annotated[
        int | None,
        typer.Option("--seed", min=0, max=MAX_SEED,
                     help="Root seed (default: the file's, "
                     "else 0)."),
    ] = None,
    horizon: Annotated[
        float | None,
        typer.Option("--horizon", help="Simulated time after warm-up, "
                     "overriding the file."),
    ] = None,
    warmup: Annotated[
        float | None,
        typer.Option("--warmup", help="Warm-up time, overriding the "
                     "file."),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object.")
    ] = False,
) -> None:
    """Simulate a line given alone, or a whole plant scenario."""
    from taktplan.files import read_toml
    from taktplan.formats.line import read_line
    from taktplan.scenario.load import is_scenario
    from taktplan.simulate.budget import check_work

    if source is None or is_scenario(read_toml(source)):
        # a scenario simulates its calendar's year: the line file's
        # time flags would be silently ignored
        for flag, value in (("--horizon", horizon), ("--warmup", warmup)):
            if value is not None:
                raise InputError(
                    "<command line>", flag, "applies to a line file "
                    "only; a plant scenario simulates a year of its "
                    "calendar", "leave it out, or set [simulation] "
                    "warmup_h in the scenario")
        _simulate_scenario(source, replications, seed, as_json)
        return
    check_time_flag("--horizon", horizon, positive=True)
    check_time_flag("--warmup", warmup, positive=False)
    spec = read_line(source)
    run_horizon = spec.horizon if horizon is None else horizon
    run_warmup = spec.warmup if warmup is None else warmup
    runs = spec.replications if replications is None else replications
    overridden = horizon is not None or warmup is not None or \
        replications is not None
    check_work(spec.line, run_horizon, run_warmup, runs,
               source="<command line>" if overridden else str(source),
               where="--horizon/--warmup/--replications" if overridden
               else "horizon")
    result = simulate_line(
        spec.line,
        horizon=run_horizon,
        warmup=run_warmup,
        replications=runs,
        seed=spec.seed if seed is None else seed,
        calendar=spec.calendar, variant_sequence=spec.variant_sequence,
        variant_mix=spec.variant_mix, show_progress=not as_json)
    if as_json:
        print_json(result.to_dict())
    else:
        show(result)


def _simulate_scenario(path: Path | None, replications: int | None,
                       seed: int | None, as_json: bool) -> None:
    """Balance and sequence the plant, then simulate its line for a year."""
    from taktplan.plant.sim_size import check_balanced, check_before_balance
    from taktplan.plant.stages import scenario_line
    from taktplan.scenario.load import load_scenario_source

    loaded = load_scenario_source(path)
    scenario = loaded.scenario
    sim = scenario.simulation
    runs = sim.replications if replications is None else replications
    flag = replications is not None
    check_before_balance(scenario, runs, source=loaded.source, flag=flag)
    if not as_json:
        err_console.print("balancing and sequencing the plant ...")
    plant = scenario_line(scenario, loaded.source, None
                          if loaded.task_list is None
                          else loaded.task_list.place)
    check_balanced(plant, runs, source=loaded.source, flag=flag)
    result = simulate_line(
        plant.line, horizon=plant.horizon_s, warmup=plant.warmup_s,
        replications=runs,
        seed=sim.seed if seed is None else seed, calendar=plant.calendar,
        variant_sequence=plant.variant_sequence, show_progress=not as_json)
    if as_json:
        print_json(result.to_dict())
    else:
        show(result, scenario.meta.product)
