"""`taktplan sweep` and `taktplan results` on the command line."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from taktplan.cli import app

LINE = Path(__file__).parent / "data" / "sweep_line.toml"
runner = CliRunner()


def taktplan(*args: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m taktplan`` in a subprocess."""
    return subprocess.run([sys.executable, "-m", "taktplan", *args],
                          capture_output=True, text=True, timeout=120,
                          env=dict(os.environ), check=False)


def test_sweep_json_then_results_csv(tmp_path: Path) -> None:
    """sweep --json reports the rows; results --csv prints the summary."""
    out = tmp_path / "r.duckdb"
    got = runner.invoke(app, ["sweep", str(LINE), "--vary",
                              "buffers.0=0:2:2", "--vary",
                              "stations.C.cycle_time=0.8,0.9", "-r", "3",
                              "--seed", "4", "--out", str(out), "--json"])
    assert got.exit_code == 0, got.output
    payload = json.loads(got.stdout)
    assert payload["status"] == "complete"
    assert (payload["points"], payload["rows_computed"]) == (4, 12)
    assert payload["summary"][3]["label"] == ("buffers.0=2, "
                                              "stations.C.cycle_time=0.9")
    table = runner.invoke(app, ["results", str(out), "--csv"])
    assert table.exit_code == 0, table.output
    rows = list(csv.DictReader(io.StringIO(table.stdout)))
    assert len(rows) == 4
    assert float(rows[0]["throughput_mean"]) == pytest.approx(
        payload["summary"][0]["throughput_mean"])
    again = runner.invoke(app, ["sweep", str(LINE), "--vary",
                                "buffers.0=0:2:2", "--vary",
                                "stations.C.cycle_time=0.8,0.9", "-r", "3",
                                "--seed", "4", "--out", str(out), "--json"])
    assert json.loads(again.stdout)["rows_computed"] == 0
    shown = runner.invoke(app, ["results", str(out)])
    assert shown.exit_code == 0
    assert "95% CI" in shown.stdout


@pytest.mark.parametrize(("args", "message"), [
    (["--vary", "buffers.0=a,b"], "wrong type"),
    (["--vary", "buffers.0=5:1:1"], "is empty"),
    (["--vary", "buffers.0=-1,2"], "buffers"),
    (["--vary", "buffers.0=1", "--points", str(LINE)], "use one of"),
    (["--vary", "stations.B.mttr=1", "--workers", "2", "--scheduler",
      "tcp://127.0.0.1:1"], "use one of the two"),
    (["-r", "0"], "--replications"),
])
def test_bad_input_exits_2_and_writes_nothing(args: list[str],
                                              message: str,
                                              tmp_path: Path) -> None:
    """Bad types, ranges, values, flags: exit 2, the reason, no file."""
    out = tmp_path / "never.duckdb"
    got = runner.invoke(app, ["sweep", str(LINE), "-r", "2", *args,
                              "--out", str(out)])
    assert got.exit_code == 2, got.output
    assert message in got.output
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("args", "message"), [
    (["--vary", "bufers.0=1,2"], "unknown key 'bufers'"),
    (["--scheduler", "tcp://127.0.0.1:1"], "no Dask scheduler answers"),
])
def test_bad_input_one_line_no_traceback(args: list[str], message: str,
                                         tmp_path: Path) -> None:
    """In a real process: one line on stderr, exit 2, no file."""
    out = tmp_path / "never.duckdb"
    got = taktplan("sweep", str(LINE), *args, "-r", "2", "--out", str(out))
    assert got.returncode == 2, got.stderr
    lines = got.stderr.strip().splitlines()
    assert len(lines) == 1, got.stderr
    assert message in lines[0]
    assert "Traceback" not in got.stderr
    assert list(tmp_path.iterdir()) == []


def test_results_of_other_scenario_exit_2(tmp_path: Path) -> None:
    """Sweeping another scenario into a results file: exit 2, unchanged."""
    out = tmp_path / "r.duckdb"
    first = runner.invoke(app, ["sweep", str(LINE), "-r", "2", "--out",
                                str(out), "--quiet"])
    assert first.exit_code == 0, first.output
    other = tmp_path / "other.toml"
    other.write_text(LINE.read_text().replace("horizon = 2000.0",
                                              "horizon = 1000.0"))
    before = out.read_bytes()
    got = runner.invoke(app, ["sweep", str(other), "-r", "2", "--out",
                              str(out)])
    assert got.exit_code == 2
    assert "another scenario" in got.output
    assert out.read_bytes() == before


def test_results_of_missing_or_bad_file_exit_2(tmp_path: Path) -> None:
    """results on a missing or non-DuckDB file: one line, exit 2."""
    bad = tmp_path / "x.duckdb"
    bad.write_text("not a database")
    for path in (bad, tmp_path / "missing.duckdb"):
        got = runner.invoke(app, ["results", str(path)])
        assert got.exit_code == 2
        assert len(got.output.strip().splitlines()) == 1


def test_killed_sweep_process_resumes_to_the_same_rows(
        tmp_path: Path) -> None:
    """SIGKILL of `taktplan sweep` mid-run, then the same command: exact."""
    import signal
    import time

    from taktplan.experiment.store import read_rows

    line = tmp_path / "line.toml"
    # rows of about 0.15 s each (20 of them): the kill lands mid-run
    # however fast the process starts (with 60 rows of 25 ms, a start-up
    # 1.2 s shorter let the run finish before the log was seen growing)
    line.write_text(LINE.read_text().replace("horizon = 2000.0",
                                             "horizon = 5000000.0"))
    args = ["sweep", str(line), "--vary", "buffers.0=0:9", "-r", "2",
            "--seed", "9", "--chunk", "1", "--quiet"]
    cut, ref = tmp_path / "cut.duckdb", tmp_path / "ref.duckdb"
    proc = subprocess.Popen([sys.executable, "-m", "taktplan", *args,
                             "--out", str(cut)], env=dict(os.environ),
                            stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    wal = cut.with_name(cut.name + ".wal")
    deadline = time.monotonic() + 60
    # the write-ahead log holds ~16 kB once the file is set up and grows
    # by ~40 kB with the first rows (committed after about 0.5 s): kill
    # then
    while time.monotonic() < deadline and proc.poll() is None:
        if wal.exists() and wal.stat().st_size > 30_000:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    partial = len(read_rows(cut))
    assert 0 < partial < 20
    again = taktplan(*args, "--out", str(cut), "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["rows_reused"] == partial
    whole = runner.invoke(app, [*args, "--out", str(ref)])
    assert whole.exit_code == 0, whole.output

    def rows(path: Path) -> list[dict[str, object]]:
        return [{k: v for k, v in r.items() if k not in ("run_id",
                                                         "runtime_s")}
                for r in read_rows(path)]

    assert rows(cut) == rows(ref)
