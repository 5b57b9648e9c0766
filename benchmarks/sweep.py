"""Sweep benchmark: 200 design points x 10 replications, in-process vs a
2-worker local Dask cluster.

Run from the project root::

    PYTHONPATH=src python benchmarks/sweep.py [--line FILE] [--horizon H]
        [--workers K]

Design: ``buffers.0`` = 0..19 x ``buffers.5`` = 1..10 (200 points) of the
line (default ``examples/line10.toml``: 10 stations, 100,000
time units a replication), 10 replications each, seed 2026. Prints the wall times, the ratio and whether both runs stored
bit-identical metrics. The numba kernel is loaded before timing (in this
process by one replication; in the workers by the cluster's own first
tasks, which is part of the cluster's time, as it would be for a user).
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from pathlib import Path

from taktplan.experiment.design import cartesian
from taktplan.experiment.executors import local_cluster_executor
from taktplan.experiment.runner import (
    Task,
    plan_sweep,
    read_input,
    run_sweep,
    run_task,
)
from taktplan.experiment.store import read_rows

ROOT = Path(__file__).resolve().parents[1]


def _rows(path: Path) -> list[dict[str, object]]:
    return [{k: v for k, v in r.items() if k not in ("run_id",
                                                     "runtime_s")}
            for r in read_rows(path)]


def _cpu_s() -> float:
    """CPU seconds used so far by the calling process."""
    use = resource.getrusage(resource.RUSAGE_SELF)
    return use.ru_utime + use.ru_stime


def main() -> None:
    """Run both sweeps and print the table."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--line", type=Path,
                    default=ROOT / "examples" / "line10.toml")
    ap.add_argument("--horizon", type=float, default=0.0,
                    help="simulated time per replication (default: the "
                    "line file's)")
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()

    raw, source = read_input(args.line)
    if args.horizon:
        raw["horizon"] = args.horizon
    design = cartesian([("buffers.0", list(range(20))),
                        ("buffers.5", list(range(1, 11)))])
    plan = plan_sweep(raw, source, design, replications=10, seed=2026)
    run_task(Task(plan.evaluator.run, plan.models[0], 0, 0, (0,)))

    load = [os.getloadavg()[0]]
    with tempfile.TemporaryDirectory() as tmp:
        a, b = Path(tmp) / "inproc.duckdb", Path(tmp) / "cluster.duckdb"
        t0, c0 = time.perf_counter(), _cpu_s()
        ra = run_sweep(plan, a)
        t_in, cpu_in = time.perf_counter() - t0, _cpu_s() - c0
        load.append(os.getloadavg()[0])

        t0 = time.perf_counter()
        executor = local_cluster_executor(args.workers)
        t_start = time.perf_counter() - t0
        try:
            before = sum(executor.client.run(_cpu_s).values())
            t1 = time.perf_counter()
            rb = run_sweep(plan, b, executor=executor)
            t_sweep = time.perf_counter() - t1
            cpu_workers = sum(executor.client.run(_cpu_s).values()) - before
        finally:
            executor.close()
        load.append(os.getloadavg()[0])
        t_cluster = t_start + t_sweep
        same = _rows(a) == _rows(b)

    rows = plan.total
    print(f"line: {args.line.name}, horizon {raw['horizon']:g}, "
          f"{len(plan.points)} points x {plan.replications} replications "
          f"= {rows} rows")
    print()
    print("| executor | wall time (s) | rows/s | ratio vs in-process |")
    print("|---|---:|---:|---:|")
    print(f"| in-process | {t_in:.1f} | {rows / t_in:.1f} | 1.00 |")
    print(f"| local cluster, {args.workers} workers (incl. start "
          f"{t_start:.1f} s) | {t_cluster:.1f} | {rows / t_cluster:.1f} | "
          f"{t_in / t_cluster:.2f} |")
    print(f"| local cluster, sweep only | {t_sweep:.1f} | "
          f"{rows / t_sweep:.1f} | {t_in / t_sweep:.2f} |")
    print()
    print(f"rows computed: {ra.rows_computed} / {rb.rows_computed}; "
          f"bit-identical metrics: {'yes' if same else 'NO'}")
    print(f"CPU time: in-process {cpu_in:.1f} s, workers {cpu_workers:.1f}"
          f" s in total; 1-min load average at start / between / end: "
          + " / ".join(f"{x:.1f}" for x in load)
          + f" (on {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
