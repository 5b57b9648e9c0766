"""Interrupts and kills, from outside, as a user or a machine does them
(issue 21, items 5 and 6).

A sweep run as a real process is interrupted (SIGINT, as Ctrl-C) or killed
(SIGKILL) at two points: as soon as its results file exists, and once rows
are committed. Each time the same command run again resumes to exactly the
rows of an uninterrupted sweep, each (point, replication) once, and the
interrupted run's one line says truthfully how many rows it kept. Ctrl-C in
the middle of numba work (a long simulation, the plant plan) ends with exit
130 and one line, no traceback and no half-written output.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tests.test_fuzz_contract import run_cli as run_here

from taktplan.errors import InputError
from taktplan.experiment.store import read_rows

ROOT = Path(__file__).resolve().parents[1]
LINE = ROOT / "tests" / "data" / "sweep_line.toml"
FOUR = ROOT / "examples" / "four_machine_line.toml"
TICK = os.sysconf("SC_CLK_TCK")


def start(args: list[str], cwd: Path, mark: str | None = None
          ) -> subprocess.Popen[str]:
    """``python -m taktplan ARGS`` as a child process, this source first;
    with ``mark``, in a process group of its own (as a terminal runs a
    command) and with ``TAKTPLAN_TEST_MARK=mark`` in its environment."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT / "src"), *filter(None, [env.get("PYTHONPATH")])])
    env["COLUMNS"] = "200"
    if mark is not None:
        env["TAKTPLAN_TEST_MARK"] = mark
    return subprocess.Popen([sys.executable, "-m", "taktplan", *args],
                            cwd=cwd, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            start_new_session=mark is not None)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def wait_until(proc: subprocess.Popen[str], ready: object,
               limit_s: float = 120.0) -> None:
    """Poll ``ready()`` until true (or the process ended, or the safety
    limit passed: then the test below fails on what it finds)."""
    deadline = time.monotonic() + limit_s
    while proc.poll() is None and time.monotonic() < deadline:
        if ready():  # type: ignore[operator]
            return
        time.sleep(0.02)


def rows(path: Path) -> list[dict[str, object]]:
    """Stored rows without the run id and wall time."""
    return [{k: v for k, v in r.items() if k not in ("run_id",
                                                     "runtime_s")}
            for r in read_rows(path)]


def stored_rows(path: Path) -> int:
    """Rows in a results file; 0 for one interrupted while it was
    created (no file, an empty one, or one without its tables yet)."""
    try:
        return len(read_rows(path))
    except InputError:
        return 0


def sweep_args(line: Path) -> list[str]:
    """20 points x 3 replications, one replication a task."""
    return ["sweep", str(line), "--vary", "buffers.0=0:19", "-r", "3",
            "--seed", "9", "--chunk", "1", "--quiet"]


@pytest.fixture(scope="module")
def long_line(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sweep line with a 50x longer horizon (rows take a while)."""
    path = tmp_path_factory.mktemp("faults") / "line.toml"
    path.write_text(LINE.read_text().replace("horizon = 2000.0",
                                             "horizon = 100000.0"))
    return path


@pytest.fixture(scope="module")
def reference(long_line: Path) -> list[dict[str, object]]:
    """The rows of the same sweep run without interruption."""
    out = long_line.with_name("reference.duckdb")
    code, _, err = run_here([*sweep_args(long_line), "--out", str(out)])
    assert code == 0, err
    return rows(out)


def _created(out: Path) -> bool:
    return out.exists()


def _has_rows(out: Path) -> bool:
    # the write-ahead log holds ~16 kB once the tables exist and grows by
    # ~40 kB with the first committed rows; that commit is whole once the
    # log stops growing (a log read mid-write, 61,579 bytes of 62,109,
    # lost the commit to the kill: 0 rows, 1 run in 50 under load)
    wal = out.with_name(out.name + ".wal")

    def size() -> int:
        return wal.stat().st_size if wal.exists() else 0

    before = size()
    if before <= 30_000:
        return False
    time.sleep(0.05)
    return size() == before


@pytest.mark.parametrize("moment", ["file-created", "rows-committed"])
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL],
                         ids=["SIGINT", "SIGKILL"])
def test_interrupted_sweep_resumes_to_the_reference_rows(
        moment: str, sig: signal.Signals, long_line: Path,
        reference: list[dict[str, object]], tmp_path: Path) -> None:
    """Interrupt, then the same command: the reference rows, each once."""
    out = tmp_path / "cut.duckdb"
    args = [*sweep_args(long_line), "--out", str(out)]
    proc = start(args, tmp_path)
    ready = _created if moment == "file-created" else _has_rows
    wait_until(proc, lambda: ready(out))
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=120)
    kept = stored_rows(out)
    if sig == signal.SIGINT and proc.returncode != 0:
        lines = [ln for ln in err.splitlines() if ln.strip()]
        assert proc.returncode == 130, err
        assert len(lines) == 1 and "Traceback" not in err, err
        assert f"interrupted; {kept} of 60 rows are saved" in lines[0], (
            kept, lines[0])
    elif sig == signal.SIGKILL:
        assert proc.returncode in (-signal.SIGKILL, 0)
    if moment == "rows-committed" and proc.returncode != 0:
        assert 0 < kept < 60
    code, stdout, stderr = run_here([*args, "--json"])
    assert code == 0, stderr
    result = json.loads(stdout)
    assert result["rows_reused"] == kept
    assert result["rows_computed"] == 60 - kept
    got = rows(out)
    assert len({(r["point_index"], r["replication"]) for r in got}) == 60
    assert got == reference


def test_ctrl_c_in_a_long_simulation_is_130_and_one_line(
        tmp_path: Path) -> None:
    """SIGINT while the kernel simulates (threads on both cores): exit
    130, one line, nothing on standard output."""
    proc = start(["simulate", str(FOUR), "--horizon", "1e8", "-n", "2",
                  "--json"], tmp_path)
    # imports take 2-4 CPU s; the whole run takes about 30
    wait_until(proc, lambda: cpu_seconds(proc.pid) >= 7.0)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert proc.returncode == 130, err[-3000:]
    assert lines == ["error: interrupted; no partial output was written"]
    assert out == ""


def test_ctrl_c_in_the_plan_leaves_no_report(tmp_path: Path) -> None:
    """SIGINT while the built-in plant is planned: exit 130, one line, no
    report and no temporary file left in the folder."""
    proc = start(["plan", "--report", "plant.html", "--quiet"], tmp_path)
    wait_until(proc, lambda: cpu_seconds(proc.pid) >= 8.0)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    lines = [ln for ln in err.splitlines() if ln.strip()
             and not ln.startswith("warning:")]
    assert proc.returncode == 130, err[-3000:]
    assert lines == ["error: interrupted; no partial output was written"]
    assert sorted(p.name for p in tmp_path.iterdir()) == []


# ------------------------------------------------ --workers 2 (local Dask)

def marked_processes(mark: str) -> list[int]:
    """Processes whose environment carries ``TAKTPLAN_TEST_MARK=mark``
    (the command and every process it started, however detached)."""
    found = []
    needle = f"TAKTPLAN_TEST_MARK={mark}".encode()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if needle in (entry / "environ").read_bytes():
                    found.append(int(entry.name))
    return found


def children(pid: int) -> list[int]:
    """Processes whose parent is ``pid``."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                stat = (entry / "stat").read_text().rsplit(")", 1)[1]
                if int(stat.split()[1]) == pid:
                    out.append(int(entry.name))
    return out


def gone(mark: str, limit_s: float = 30.0) -> list[int]:
    """The marked processes still alive after up to ``limit_s``."""
    deadline = time.monotonic() + limit_s
    while marked_processes(mark) and time.monotonic() < deadline:
        time.sleep(0.2)
    return marked_processes(mark)


def test_workers_2_sweep_ends_clean_with_the_same_csv(
        long_line: Path, tmp_path: Path) -> None:
    """A sweep on 2 local Dask workers: exit 0, nothing on standard
    error (no leaked-semaphore warning), no process left, and `results
    --csv` byte for byte the in-process one."""
    args = ["sweep", str(LINE), "--vary", "buffers.1=0:5", "-r", "4",
            "--seed", "11", "--chunk", "1", "--quiet"]
    mark = f"workers-{os.getpid()}-{time.monotonic_ns()}"
    proc = start([*args, "--workers", "2", "--out", "dask.duckdb"],
                        tmp_path, mark)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert err.strip() == ""
    assert gone(mark) == []
    code, _, err = run_here([*args, "--out", str(tmp_path / "here.duckdb")])
    assert code == 0, err
    csv = [run_here(["results", str(tmp_path / name), "--csv"])[1]
           for name in ("dask.duckdb", "here.duckdb")]
    assert csv[0].count("\n") == 7  # header and 6 points
    assert csv[0] == csv[1]


@pytest.mark.parametrize("moment", ["cluster-starting", "rows-running"])
def test_ctrl_c_to_the_group_with_workers_is_one_line(
        moment: str, long_line: Path, tmp_path: Path) -> None:
    """Ctrl-C as a terminal sends it (SIGINT to the whole process group:
    the command and its Dask workers), while the cluster starts and while
    rows run: exit 130, one truthful line (the rows the file holds, or
    nothing written), no process left."""
    out = tmp_path / "w.duckdb"
    args = [*sweep_args(long_line), "--workers", "2", "--out", str(out)]
    mark = f"ctrlc-{os.getpid()}-{time.monotonic_ns()}"
    proc = start(args, tmp_path, mark)
    if moment == "cluster-starting":
        wait_until(proc, lambda: len(children(proc.pid)) >= 2)
    else:
        wait_until(proc, lambda: out.exists())
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=300)
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert proc.returncode == 130, err[-3000:]
    assert len(lines) == 1, err[-3000:]
    if out.exists():
        assert f"interrupted; {stored_rows(out)} of 60 rows are saved" \
            in lines[0] or "the rows finished so far are saved" in \
            lines[0], lines[0]
    else:
        assert lines[0] == ("error: interrupted; no partial output was "
                            "written")
    assert gone(mark) == []


def test_cluster_start_is_retried_then_refused_in_one_line(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A start that fails (a worker killed while it started: "Nanny
    failed to start") is tried again; failing twice it is one line."""
    import distributed

    from taktplan.experiment.executors import local_cluster_executor

    real = distributed.LocalCluster
    calls: list[int] = []

    def flaky(*args: object, **kwargs: object) -> object:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("Nanny failed to start.")
        return real(*args, **kwargs)

    monkeypatch.setattr(distributed, "LocalCluster", flaky)
    executor = local_cluster_executor(1)
    try:
        assert len(calls) == 2
        assert list(executor.imap_unordered(abs, [-3])) == [3]
    finally:
        executor.close()

    def broken(*args: object, **kwargs: object) -> object:
        raise RuntimeError("Nanny failed to start.")

    monkeypatch.setattr(distributed, "LocalCluster", broken)
    with pytest.raises(InputError) as got:
        local_cluster_executor(2)
    assert "\n" not in got.value.message
    assert "--workers 2" in got.value.message
    assert "did not start in 2 attempts" in got.value.message
