"""The sweep: plan it (validate everything), then run what is missing.

:func:`plan_sweep` reads the input, applies every design point and
validates it with the input's own model, so that bad input fails before
anything is written. :func:`run_sweep` opens the store, skips the
(point, replication) rows it already holds and runs the rest on an
executor, writing each finished task's rows in one transaction.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from taktplan import __version__
from taktplan.errors import InputError
from taktplan.experiment.evaluators import Evaluator, Metrics, evaluator_for
from taktplan.experiment.executors import Executor, InProcessExecutor
from taktplan.experiment.keys import apply_point
from taktplan.experiment.seeds import replication_seed
from taktplan.experiment.store import Row, check_store, open_store
from taktplan.files import read_toml
from taktplan.scenario.load import builtin_scenario_path, inline_task_list

if TYPE_CHECKING:
    from pathlib import Path

    import numpy as np

    from taktplan.experiment.design import DesignPoint

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class SweepPlan:
    """A validated sweep, ready to run.

    ``models[i]`` is the prepared model of ``points[i]``.
    """

    source: str
    raw: dict[str, Any]
    evaluator: Evaluator
    points: tuple[DesignPoint, ...]
    models: tuple[Any, ...]
    replications: int
    seed: int

    @property
    def scenario_hash(self) -> str:
        """SHA-256 of the input's content (canonical JSON of the dict)."""
        return content_hash(self.raw)

    @property
    def experiment_id(self) -> str:
        """Identifies scenario, design and seed (not the replications:
        re-running with more replications extends the same experiment)."""
        design = [list(map(list, p.values)) for p in self.points]
        text = json.dumps([self.scenario_hash, self.evaluator.name, design,
                           self.seed], sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    @property
    def total(self) -> int:
        """Rows the finished sweep holds."""
        return len(self.points) * self.replications


@dataclass(frozen=True)
class SweepResult:
    """What a sweep did.

    ``status`` is ``"complete"`` when every row is stored.
    """

    status: str
    experiment_id: str
    run_id: int
    path: Path
    points: int
    replications: int
    rows_total: int
    rows_computed: int
    rows_reused: int
    executor: str
    runtime_s: float


@dataclass(frozen=True)
class Task:
    """Replications of one design point, for one executor call."""

    run: Callable[[Any, np.random.SeedSequence], Metrics]
    model: Any
    seed: int
    point: int
    replications: tuple[int, ...]


def run_task(task: Task) -> list[Row]:
    """Run a task's replications (a pure function of the task)."""
    rows = []
    for r in task.replications:
        ss = replication_seed(task.seed, task.point, r)
        start = time.perf_counter()
        metrics = task.run(task.model, ss)
        rows.append(Row(task.point, r, int(cast("int", ss.entropy)),
                        tuple(int(k) for k in ss.spawn_key),
                        time.perf_counter() - start,
                        tuple(metrics.items())))
    return rows


def content_hash(raw: dict[str, Any]) -> str:
    """SHA-256 of a dict's canonical JSON (key order and layout ignored)."""
    text = json.dumps(raw, sort_keys=True, default=str,
                      separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def read_input(path: Path | None) -> tuple[dict[str, Any], str]:
    """The raw dict of a scenario or line TOML (built-in plant if None)."""
    if path is None:
        return read_toml(builtin_scenario_path()), "built-in"
    # A task list in its own file is part of the input (and its hash).
    return inline_task_list(read_toml(path), path), str(path)


def plan_sweep(raw: dict[str, Any], source: str,
               points: Sequence[DesignPoint], *, replications: int,
               seed: int) -> SweepPlan:
    """Apply and validate every design point; raise InputError on any."""
    if replications < 1:
        raise InputError("<command line>", "--replications",
                         "must be >= 1", "give the replications per point")
    if seed < 0:
        raise InputError("<command line>", "--seed", "must be >= 0",
                         "give a non-negative integer seed")
    evaluator = evaluator_for(raw, source)
    models = []
    for p in points:
        varied = apply_point(raw, p.values)
        try:
            models.append(evaluator.prepare(varied, source))
        except InputError as exc:
            if p.values:
                raise InputError(exc.source, exc.where,
                                 f"{exc.problem} (at design point "
                                 f"{p.label})", exc.fix) from None
            raise
    return SweepPlan(source, raw, evaluator, tuple(points), tuple(models),
                     replications, seed)


def _tasks(plan: SweepPlan, done: set[tuple[int, int]],
           chunk: int) -> list[Task]:
    tasks = []
    for p, model in zip(plan.points, plan.models, strict=True):
        missing = [r for r in range(plan.replications)
                   if (p.index, r) not in done]
        for k in range(0, len(missing), chunk):
            tasks.append(Task(plan.evaluator.run, model, plan.seed, p.index,
                              tuple(missing[k:k + chunk])))
    return tasks


def default_chunk(rows: int, workers: int) -> int:
    """Replications per task: a few tasks per worker, at most 10."""
    return max(1, min(10, rows // max(1, 8 * workers)))


def run_sweep(plan: SweepPlan, out: Path, *,
              executor: Executor | None = None,
              chunk: int | None = None,
              progress: Progress | None = None,
              flush_s: float = 0.5) -> SweepResult:
    """Run the replications of ``plan`` missing from the store ``out``.

    Parameters
    ----------
    plan
        From :func:`plan_sweep`.
    out
        The DuckDB file (created if absent; it must belong to the same
        scenario if present).
    executor
        Where to run (default: in this process).
    chunk
        Replications per task (default :func:`default_chunk`).
    progress
        Called with (rows done, rows in total) at the start and after
        each finished task.
    flush_s
        Finished rows are written together, one transaction at least
        every ``flush_s`` seconds (and at the end, or on interruption).
    """
    start = time.perf_counter()
    executor = executor or InProcessExecutor()
    check_store(out, plan.scenario_hash)
    store = open_store(out, plan.scenario_hash)
    try:
        exp = plan.experiment_id
        keys = list(dict.fromkeys(k for p in plan.points
                                  for k, _ in p.values))
        design = json.dumps({"keys": keys, "points": len(plan.points)})
        run_id = store.begin_run(
            experiment_id=exp, scenario_hash=plan.scenario_hash,
            code_version=__version__, evaluator=plan.evaluator.name,
            source=plan.source, seed=plan.seed,
            replications=plan.replications, design=design,
            headline=plan.evaluator.headline, points=plan.points)
        wanted = {(p.index, r) for p in plan.points
                  for r in range(plan.replications)}
        done = store.done(exp) & wanted
        reused = len(done)
        size = chunk or default_chunk(plan.total - reused,
                                      executor.workers)
        tasks = _tasks(plan, done, size)
        stored = reused
        if progress:
            progress(stored, plan.total)
        computed = 0
        pending: list[Row] = []
        last = time.perf_counter()
        try:
            for rows in executor.imap_unordered(run_task, tasks):
                pending.extend(rows)
                if time.perf_counter() - last >= flush_s:
                    added = store.add_rows(exp, run_id, pending)
                    pending, last = [], time.perf_counter()
                    computed += added
                    stored += added
                if progress:
                    progress(stored + len(pending), plan.total)
        finally:
            # Rows already computed are whole: keep them even when the
            # sweep is interrupted.
            computed += store.add_rows(exp, run_id, pending)
        store.finish_run(run_id)
    finally:
        store.close()
    return SweepResult(
        status="complete", experiment_id=exp, run_id=run_id, path=out,
        points=len(plan.points), replications=plan.replications,
        rows_total=plan.total, rows_computed=computed, rows_reused=reused,
        executor=executor.name, runtime_s=time.perf_counter() - start)
