"""`taktplan sweep`: replications of design points into a DuckDB file."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import typer

from taktplan.cli.app import (
    EXIT_INTERRUPTED,
    app,
    caused_by_interrupt,
    console,
    fail,
    guarded,
    print_json,
)
from taktplan.errors import InputError
from taktplan.limits import MAX_LOCAL_WORKERS, MAX_REPLICATIONS, MAX_SEED

Workers = Annotated[
    int | None,
    typer.Option("--workers", help="Run on a local Dask cluster of K "
                 "worker processes.", show_default=False, min=1,
                 max=MAX_LOCAL_WORKERS),
]
Scheduler = Annotated[
    str | None,
    typer.Option("--scheduler", help="Run on the Dask cluster whose "
                 "scheduler is at tcp://HOST:PORT.", show_default=False),
]
Replications = Annotated[
    int, typer.Option("--replications", "-r", min=1, max=MAX_REPLICATIONS,
                      help="Replications per design point (candidate)."),
]
Seed = Annotated[int, typer.Option("--seed", min=0, max=MAX_SEED,
                                   help="Root seed.")]
Json = Annotated[bool, typer.Option("--json", help="Print one JSON "
                                                    "object.")]
Quiet = Annotated[bool, typer.Option("--quiet", help="No progress bar, "
                                                     "no tables.")]


@contextmanager
def progress_bar(label: str, quiet: bool) -> Any:
    """A rich progress bar with ETA on stderr; yields
    ``update(done, total)``."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    if quiet:
        yield lambda done, total: None
        return
    bar = Progress(TextColumn("{task.description}"), BarColumn(),
                   MofNCompleteColumn(), TimeElapsedColumn(),
                   TextColumn("ETA"), TimeRemainingColumn(),
                   console=Console(stderr=True), transient=False)
    task = bar.add_task(label, total=None)
    first: list[int] = []

    def update(done: int, total: int) -> None:
        if not first:
            # Rows already in the file do not count towards the rate.
            first.append(done)
            bar.update(task, total=total, completed=done)
            bar.reset(task, total=total, completed=done)
        bar.update(task, total=total, completed=done)

    with bar:
        yield update


def make_executor(workers: int | None, scheduler: str | None) -> Any:
    """The executor the flags ask for (in-process when neither given)."""
    from taktplan.experiment.executors import (
        InProcessExecutor,
        local_cluster_executor,
        scheduler_executor,
    )

    if workers is not None and scheduler is not None:
        raise InputError("<command line>", "--workers", "given together "
                         "with --scheduler", "use one of the two")
    if scheduler is not None:
        return scheduler_executor(scheduler)
    if workers is not None:
        return local_cluster_executor(workers)
    return InProcessExecutor()


def _saved(out: Path, experiment_id: str) -> int | None:
    """Rows of the experiment the results file holds (what an interrupted
    sweep kept: rows computed just before the interrupt are saved too);
    ``None`` when the file cannot be read now."""
    from taktplan.experiment.store import read_rows

    try:
        return len(read_rows(out, experiment_id))
    except InputError:  # interrupted while the file was created
        return 0
    except Exception:  # e.g. the interrupt cut the store's close short
        return None


@app.command(
    help="Run REPLICATIONS of every design point of SCENARIO (a plant "
         "scenario or a line TOML; the built-in plant when omitted) and "
         "store one row per replication in a DuckDB file. Running the "
         "same command again resumes and computes only what is missing.",
    epilog="Example: taktplan sweep examples/four_machine_line.toml "
           "--vary buffers.0=0:10:2 --vary stations.M2.mttr=5,10 "
           "--replications 10 --seed 1 --out results.duckdb --workers 2",
)
@guarded
def sweep(
    scenario: Annotated[
        Path | None,
        typer.Argument(help="Scenario or line TOML file; omit for the "
                            "built-in plant.", show_default=False),
    ] = None,
    vary: Annotated[
        list[str] | None,
        typer.Option("--vary", help="KEY=V1,V2,... or KEY=a:b:step "
                     "(b included when the steps land on it); "
                     "repeatable; points are the cartesian product."),
    ] = None,
    points: Annotated[
        Path | None,
        typer.Option("--points", help="Design points from a CSV (header "
                     "of KEYs) or TOML ([[points]]) file instead of "
                     "--vary."),
    ] = None,
    replications: Replications = 10,
    seed: Seed = 0,
    out: Annotated[
        Path, typer.Option("--out", help="The DuckDB results file."),
    ] = Path("taktplan-sweep.duckdb"),
    workers: Workers = None,
    scheduler: Scheduler = None,
    chunk: Annotated[
        int | None,
        typer.Option("--chunk", help="Replications per task (default: a "
                     "few tasks per worker, at most 10).",
                     show_default=False),
    ] = None,
    as_json: Json = False,
    quiet: Quiet = False,
) -> None:
    """Run a sweep and store its rows."""
    from taktplan.experiment.design import design_from_args
    from taktplan.experiment.runner import plan_sweep, read_input, run_sweep
    from taktplan.experiment.store import check_store, summary

    if chunk is not None and chunk < 1:
        raise InputError("<command line>", "--chunk", "must be >= 1",
                         "give the replications per task")
    raw, source = read_input(scenario)
    design = design_from_args(vary or [], points)
    plan = plan_sweep(raw, source, design, replications=replications,
                      seed=seed)
    check_store(out, plan.scenario_hash)
    executor = make_executor(workers, scheduler)
    try:
        with progress_bar(f"sweep ({executor.name})",
                          quiet or as_json) as update:
            result = run_sweep(plan, out, executor=executor, chunk=chunk,
                               progress=update)
    except BaseException as exc:
        if not caused_by_interrupt(exc):
            raise
        saved = _saved(out, plan.experiment_id)
        kept = "the rows finished so far are" if saved is None else \
            f"{saved} of {plan.total} rows are"
        fail(f"interrupted; {kept} saved in {out}; run the same command "
             "again to resume", EXIT_INTERRUPTED)
    finally:
        executor.close()
    table = summary(out, result.experiment_id)
    if as_json:
        payload = asdict(result)
        payload["path"] = str(result.path)
        from taktplan.cli.results import summary_records

        payload["summary"] = summary_records(table)
        print_json(payload)
    elif not quiet:
        from taktplan.cli.results import summary_table

        console.print(summary_table(table))
        console.print(
            f"{result.rows_computed} rows computed, {result.rows_reused} "
            f"already stored, in {result.runtime_s:.1f} s on "
            f"{result.executor}; experiment {result.experiment_id} in "
            f"[bold]{out}[/]")
