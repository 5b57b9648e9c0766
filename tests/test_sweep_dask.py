"""Sweeps on a real dask.distributed LocalCluster with 2 worker processes."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from taktplan.experiment.design import cartesian
from taktplan.experiment.executors import DaskExecutor
from taktplan.experiment.runner import (
    SweepPlan,
    plan_sweep,
    read_input,
    run_sweep,
)
from taktplan.experiment.store import read_rows

LINE = Path(__file__).parent / "data" / "sweep_line.toml"
pytestmark = pytest.mark.xdist_group("dask")


def plan(points: int = 6, replications: int = 4) -> SweepPlan:
    """``points`` buffer sizes of the small line, ``replications`` each."""
    raw, source = read_input(LINE)
    design = cartesian([("buffers.1", list(range(points)))])
    return plan_sweep(raw, source, design, replications=replications,
                      seed=11)


def rows(path: Path) -> list[dict[str, object]]:
    """Stored rows without the run id and wall time."""
    return [{k: v for k, v in r.items() if k not in ("run_id",
                                                     "runtime_s")}
            for r in read_rows(path)]


@pytest.fixture(scope="module")
def client() -> Iterator[object]:
    """A LocalCluster of 2 worker processes (1 thread each)."""
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=":0", silence_logs=40) as cluster, \
            Client(cluster) as c:
        yield c


@pytest.fixture(scope="module")
def in_process(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reference sweep, run in this process."""
    out = tmp_path_factory.mktemp("dask") / "inproc.duckdb"
    run_sweep(plan(), out)
    return out


def test_cluster_gives_bit_identical_metrics(client: object,
                                             in_process: Path,
                                             tmp_path: Path) -> None:
    """The same sweep on 2 worker processes stores the same numbers."""
    out = tmp_path / "cluster.duckdb"
    result = run_sweep(plan(), out, executor=DaskExecutor(client), chunk=1)
    assert result.rows_computed == 24
    got = rows(out)
    assert got == rows(in_process)
    # and it really ran on both worker processes' side, not here
    assert len(client.scheduler_info()["workers"]) == 2
    # the summary too, byte for byte (it was summed in arrival order:
    # 0.7748264877107836 against ...837)
    assert results_csv(out) == results_csv(in_process)


def results_csv(path: Path) -> str:
    """``taktplan results PATH --csv`` as printed."""
    from typer.testing import CliRunner

    from taktplan.cli import app

    got = CliRunner().invoke(app, ["results", str(path), "--csv"])
    assert got.exit_code == 0, got.output
    assert got.output.count("\n") == 7  # the header and 6 points
    return got.output


def test_killed_worker_loses_and_duplicates_nothing(
        client: object, in_process: Path, tmp_path: Path) -> None:
    """SIGKILL of a worker mid-sweep: the sweep completes, rows exact."""
    pids = client.run(os.getpid)
    victim = sorted(pids.values())[0]
    killed: list[int] = []

    def kill_once(done: int, total: int) -> None:
        if done >= 2 and not killed:
            os.kill(victim, signal.SIGKILL)
            killed.append(victim)

    out = tmp_path / "killed.duckdb"
    result = run_sweep(plan(), out, executor=DaskExecutor(client), chunk=1,
                       progress=kill_once)
    assert killed == [victim]
    assert result.rows_total == result.rows_computed == 24
    got = rows(out)
    assert len({(r["point_index"], r["replication"]) for r in got}) == 24
    assert got == rows(in_process)
    client.wait_for_workers(2, timeout=60)


def test_resume_on_cluster_after_interrupt(client: object,
                                           in_process: Path,
                                           tmp_path: Path) -> None:
    """An interrupted cluster sweep resumed ends with exactly the rows."""
    out = tmp_path / "resumed.duckdb"

    def stop(done: int, total: int) -> None:
        if done >= 7:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_sweep(plan(), out, executor=DaskExecutor(client), chunk=1,
                  progress=stop)
    partial = len(read_rows(out))
    assert 7 <= partial < 24
    result = run_sweep(plan(), out, executor=DaskExecutor(client))
    assert result.rows_reused == partial
    assert result.rows_computed == 24 - partial
    assert rows(out) == rows(in_process)
