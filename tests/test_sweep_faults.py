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
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from taktplan.cli import _run
from taktplan.errors import InputError
from taktplan.experiment.store import read_rows

ROOT = Path(__file__).resolve().parents[1]
LINE = ROOT / "tests" / "data" / "sweep_line.toml"
FOUR = ROOT / "examples" / "four_machine_line.toml"
TICK = os.sysconf("SC_CLK_TCK")


def start(args: list[str], cwd: Path) -> subprocess.Popen[str]:
    """``python -m taktplan ARGS`` as a child process, this source first."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT / "src"), *filter(None, [env.get("PYTHONPATH")])])
    env["COLUMNS"] = "200"
    return subprocess.Popen([sys.executable, "-m", "taktplan", *args],
                            cwd=cwd, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


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


def run_here(args: list[str]) -> tuple[int, str, str]:
    """``taktplan ARGS`` in this process: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = _run(args)
        except SystemExit as exc:
            code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


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
    # ~40 kB with the first committed rows
    wal = out.with_name(out.name + ".wal")
    return wal.exists() and wal.stat().st_size > 30_000


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
