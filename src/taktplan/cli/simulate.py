"""`taktplan simulate`: simulate a line with breakdowns, buffers, shifts."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from taktplan.cli.app import app, console, err_console, guarded, print_json
from taktplan.errors import InputError

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


def show(result: SimulationResult) -> None:
    """Print a result for a person."""
    from rich.table import Table

    console.print(result.summary())
    table = Table("station", "working", "blocked", "starved", "down",
                  "overload", "bottleneck share")
    frac = result.fractions
    share = result.momentary_share
    for i, name in enumerate(result.names):
        table.add_row(name, *(f"{x:.3f}" for x in frac[i]),
                      f"{share[i]:.3f}")
    console.print(table)
    console.print(f"WIP {result.wip.mean:.3f} jobs, flow time "
                  f"{result.flow_time.mean:.4g} units, "
                  f"runtime {result.runtime_s:.2f} s")


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
        typer.Option("--replications", "-n", min=1,
                     help="Independent replications (default: the "
                     "file's, else 10)."),
    ] = None,
    seed: Annotated[
        int | None,
        typer.Option("--seed", help="Root seed (default: the file's, "
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

    if source is None or is_scenario(read_toml(source)):
        _simulate_scenario(source, replications, seed, as_json)
        return
    spec = read_line(source)
    if horizon is not None and not horizon > 0:
        raise InputError("<command line>", "--horizon", "must be > 0",
                         "give the simulated time after warm-up")
    if warmup is not None and not warmup >= 0:
        raise InputError("<command line>", "--warmup", "must be >= 0",
                         "give the warm-up time")
    result = simulate_line(
        spec.line,
        horizon=spec.horizon if horizon is None else horizon,
        warmup=spec.warmup if warmup is None else warmup,
        replications=spec.replications if replications is None
        else replications,
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
    from taktplan.plant.stages import scenario_line
    from taktplan.scenario import load_scenario

    scenario = load_scenario(path)
    sim = scenario.simulation
    if not as_json:
        err_console.print("balancing and sequencing the plant ...")
    plant = scenario_line(scenario)
    result = simulate_line(
        plant.line, horizon=plant.horizon_s, warmup=plant.warmup_s,
        replications=sim.replications if replications is None
        else replications,
        seed=sim.seed if seed is None else seed, calendar=plant.calendar,
        variant_sequence=plant.variant_sequence, show_progress=not as_json)
    if as_json:
        print_json(result.to_dict())
    else:
        show(result)
