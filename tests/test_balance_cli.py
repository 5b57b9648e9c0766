"""`taktplan balance`: JSON output, tables, and bad input (exit 2)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from taktplan.cli import app

DATA = Path(__file__).resolve().parents[1] / "benchmarks/instances/salbp"
runner = CliRunner()


def test_json_salbp1_gives_the_known_optimum() -> None:
    """BUXEY at c=27 needs 13 stations; every task 1..29 appears once."""
    result = runner.invoke(app, ["balance", str(DATA / "BUXEY.IN2"),
                                 "--cycle-time", "27", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["status"] == "optimal"
    assert out["n_stations"] == 13 == len(out["stations"])
    assert out["lower_bound"] == out["upper_bound"] == 13
    assert out["cycle_time"] == 27
    assert sorted(t for s in out["stations"] for t in s) == list(range(1,
                                                                       30))
    assert max(out["loads"]) <= 27


def test_json_salbp2_gives_the_known_cycle() -> None:
    """BUXEY with 8 stations: the shortest cycle is 41."""
    result = runner.invoke(app, ["balance", str(DATA / "BUXEY.IN2"),
                                 "--stations", "8", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["cycle_time"] == 41 and out["status"] == "optimal"
    assert len(out["stations"]) <= 8


def test_table_output_names_the_status() -> None:
    """Without --json a table with one row per station is printed."""
    result = runner.invoke(app, ["balance", str(DATA / "MERTENS.IN2"),
                                 "-c", "6"])
    assert result.exit_code == 0
    assert "optimal" in result.stdout and "station" in result.stdout


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "taktplan", "balance",
                           *args], capture_output=True, text=True,
                          env=os.environ.copy(), timeout=120, check=False)


@pytest.mark.parametrize(("content", "args", "words"), [
    ("3\n1\n1\n1\n1,2\n2,3\n3,1\n-1,-1\n", ["-c", "5"], "precedence cycle"),
    ("3\n1\n9\n1\n1,2\n-1,-1\n", ["-c", "5"], "longer than the cycle"),
    ("3\n1\n1\n", ["-c", "5"], "truncated"),
    ("3\n1\n1\n1\n1,2\n-1,-1\n", ["-m", "0"], "below 1"),
    ("3\n1\n1\n1\n1,2\n-1,-1\n", ["-m", "2", "-c", "4"], "exactly one"),
])
def test_bad_input_exits_2_with_one_line(tmp_path: Path, content: str,
                                         args: list[str],
                                         words: str) -> None:
    """Bad input: exit 2, one line on stderr, no traceback."""
    f = tmp_path / "bad.IN2"
    f.write_text(content)
    done = _run(str(f), *args)
    assert done.returncode == 2
    assert words in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr


def test_missing_file_exits_2(tmp_path: Path) -> None:
    """A missing file: exit 2 and the path in the message."""
    done = _run(str(tmp_path / "none.IN2"), "-c", "5")
    assert done.returncode == 2
    assert "none.IN2" in done.stderr and "not found" in done.stderr


@pytest.mark.parametrize("as_json", [False, True])
def test_small_line_is_balanced_without_numpy(tmp_path: Path,
                                              as_json: bool) -> None:
    """A three-task line is read, solved, checked and printed in plain
    Python: the command imports neither numpy nor numba (issue 19 item 5;
    numpy alone is 0.12 s of CPU) and gives the hand-worked line, 1 -> 2
    with times 2 3 4 at cycle 5: {3}, {1, 2}."""
    f = tmp_path / "three.IN2"
    f.write_text("3\n2\n3\n4\n1,2\n-1,-1\n")
    flags = ["--json"] if as_json else []
    code = ("import sys; from taktplan.cli import main\n"
            f"sys.argv = ['taktplan', 'balance', {str(f)!r}, '-c', '5', "
            f"*{flags!r}]\n"
            "try:\n    main()\nfinally:\n"
            "    print(sorted(m for m in ('numpy', 'numba') "
            "if m in sys.modules), file=sys.stderr)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True,
                         text=True, env=os.environ.copy(), timeout=120,
                         check=True)
    assert out.stderr.strip() == "[]"
    if as_json:
        line = json.loads(out.stdout)
        assert line["stations"] == [[3], [1, 2]]
        assert line["loads"] == [4, 5]
        assert line["status"] == "optimal"
        assert line["lower_bound"] == line["n_stations"] == 2
    else:
        text = " ".join(out.stdout.split())
        assert "2 stations at cycle time 5 — optimal" in text
        assert "│ 1 │ 4 │ 1 │ 3 │ │ 2 │ 5 │ 0 │ 1 2 │" in text


def test_file_name_is_printed_as_given(tmp_path: Path) -> None:
    """A file name that looks like console markup is printed as it is
    (rich read '[red]' as a style and dropped it from the header)."""
    f = tmp_path / "[red]three.IN2"
    f.write_text("3\n2\n3\n4\n1,2\n-1,-1\n")
    out = runner.invoke(app, ["balance", str(f), "-c", "5"])
    assert out.exit_code == 0, out.output
    # rich wraps a long path anywhere: compare without the white space
    assert "[red]three.IN2:2stations" in "".join(out.output.split())


def test_two_sided_summary_counts_in_the_singular() -> None:
    """One mated station at a cycle every task fits: '1 mated station',
    not '1 mated stations'; both sides staffed, so '2 operators'."""
    tiny = Path(__file__).resolve().parent / "data" / "talbp" / "tiny.alb"
    result = runner.invoke(app, ["balance", str(tiny), "-c", "100"])
    assert result.exit_code == 0, result.output
    flat = " ".join(result.stdout.split())
    assert "1 mated station, 2 operators at cycle time 100" in flat
