"""The line-alone TOML reader and the `taktplan simulate` command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from taktplan.cli import app
from taktplan.errors import InputError
from taktplan.formats.line import read_line

runner = CliRunner()

GOOD = """
buffers = [5, 5]
horizon = 5000.0
warmup = 100.0
replications = 3
seed = 4

[[stations]]
name = "M1"
cycle_time = 1.0
process = "deterministic"
mtbf = 100.0
mttr = 10.0

[[stations]]
name = "M2"
cycle_time = 1.1

[[stations]]
name = "M3"
cycle_time = 0.9
process = "lognormal"
process_cv = 0.3
mtbf = 50.0
mttr = 4.0
repair = "gamma"
repair_cv = 0.5
"""

# one xdist worker compiles the numba kernels once for all these tests
pytestmark = pytest.mark.xdist_group("simulate")


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "line.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_reader_builds_the_line(tmp_path: Path) -> None:
    """A valid file gives the stations, buffers and run settings."""
    spec = read_line(_write(tmp_path, GOOD))
    assert spec.line.names == ("M1", "M2", "M3")
    assert spec.line.buffers == (5, 5)
    assert spec.line.stations[1].fails is False
    assert spec.line.stations[2].repair == "gamma"
    assert (spec.horizon, spec.warmup, spec.replications, spec.seed) == \
        (5000.0, 100.0, 3, 4)


@pytest.mark.parametrize(("old", "new", "where"), [
    ('cycle_time = 1.1', 'cycle_time = -1.1', "stations[1].cycle_time"),
    ('mtbf = 50.0', 'mtbf = 0.0', "stations[2].mtbf"),
    ('buffers = [5, 5]', 'buffers = [5, -1]', "buffers[1]"),
    ('buffers = [5, 5]', 'buffers = [5]', "buffers"),
    ('mttr = 4.0', 'mttr = 4.0\ncolour = "red"', "stations[2].colour"),
    ('process = "lognormal"', 'process = "normal"', "stations[2].process"),
    ('mttr = 10.0', '', "stations[0].mttr"),
])
def test_reader_names_the_bad_key(tmp_path: Path, old: str, new: str,
                                  where: str) -> None:
    """Bad values raise InputError with the file and the key path."""
    path = _write(tmp_path, GOOD.replace(old, new, 1))
    with pytest.raises(InputError) as info:
        read_line(path)
    assert info.value.where == where
    assert info.value.source == str(path)


def test_reader_rejects_no_stations_bad_toml_and_missing(
        tmp_path: Path) -> None:
    """No stations, broken TOML and a missing file are input errors."""
    with pytest.raises(InputError) as info:
        read_line(_write(tmp_path, "buffers = []\nhorizon = 10.0\n"
                         "stations = []\n"))
    assert info.value.where == "stations"
    with pytest.raises(InputError):
        read_line(_write(tmp_path, "buffers = [\n"))
    with pytest.raises(InputError):
        read_line(tmp_path / "nothing.toml")


def test_cli_json_has_the_documented_keys(tmp_path: Path) -> None:
    """--json prints throughput, ci95, replications, stations, bottleneck."""
    path = _write(tmp_path, GOOD)
    result = runner.invoke(app, ["simulate", str(path), "--json",
                                 "--replications", "2", "--seed", "9"])
    assert result.exit_code == 0, result.output
    d = json.loads(result.stdout)
    assert d["replications"] == 2
    assert d["seed"] == 9
    assert d["ci95"][0] <= d["throughput"] <= d["ci95"][1]
    assert [s["name"] for s in d["stations"]] == ["M1", "M2", "M3"]
    for s in d["stations"]:
        total = s["working"] + s["blocked"] + s["starved"] + s["down"]
        assert total == pytest.approx(1.0)
    assert d["bottleneck"] in {"M1", "M2", "M3"}


def test_cli_table_output(tmp_path: Path) -> None:
    """Without --json a person gets the throughput and the bottleneck."""
    result = runner.invoke(app, ["simulate", str(_write(tmp_path, GOOD))])
    assert result.exit_code == 0, result.output
    assert "throughput" in result.stdout
    assert "bottleneck" in result.stdout


@pytest.mark.parametrize("text", [
    GOOD.replace("mtbf = 50.0", "mtbf = 0.0"),
    GOOD.replace("buffers = [5, 5]", "buffers = [5, -1]"),
])
def test_cli_bad_input_exits_2_with_one_line(tmp_path: Path,
                                            text: str) -> None:
    """Bad input: exit 2, one line on stderr, no traceback."""
    path = _write(tmp_path, text)
    proc = subprocess.run(
        [sys.executable, "-m", "taktplan", "simulate", str(path)],
        capture_output=True, text=True, env=os.environ.copy(), check=False)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1
    assert str(path.name) in lines[0]
    assert "Traceback" not in proc.stderr
