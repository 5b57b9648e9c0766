"""Bad scenarios: one clear line naming file and place, exit 2, no report."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from taktplan.cli import app
from taktplan.errors import InputError
from taktplan.scenario import load_scenario

TINY = Path(__file__).parent / "data" / "tiny_scenario.toml"
runner = CliRunner()


def _swap(old: str, new: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, 1)

    return edit


BAD: dict[str, tuple[Callable[[str], str], list[str]]] = {
    "malformed_toml": (_swap("[calendar]", "[calendar"),
                       ["line 5", "not valid TOML"]),
    "unknown_key": (_swap("shift_length_min", "shift_lenght_min"),
                    ["calendar.shift_lenght_min", "unknown key"]),
    "wrong_type": (_swap("shifts_per_day = 2", 'shifts_per_day = "two"'),
                   ["calendar.shifts_per_day", "'two'"]),
    "negative_time": (_swap("time_s = 40", "time_s = -40"),
                      ["tasks[0].time_s", "-40"]),
    "nan_time": (_swap("time_s = 30", "time_s = nan"),
                 ["tasks[1].time_s", "NaN"]),
    "precedence_cycle": (
        _swap('id = "t1"\narea = "assembly"\n',
              'id = "t1"\narea = "assembly"\npredecessors = ["t6"]\n'),
        ["tasks[0].predecessors", "cycle t1 -> t2 -> t4 -> t6 -> t1"]),
    "task_without_station": (
        _swap('id = "t6"\narea = "assembly"', 'id = "t6"\narea = "paint"'),
        ["tasks[5].area", "no station can do it"]),
    "task_longer_than_cycle": (_swap("time_s = 50", "time_s = 500"),
                               ["tasks[3]", "no station can take it"]),
    "variant_overload": (_swap("A = 0, B = 45", "A = 0, B = 260"),
                         ["tasks[4].times_s.B", "overload"]),
    "shares_not_one": (_swap("share = 0.25", "share = 0.35"),
                       ["variants[].share", "sum to 1.1"]),
    "unknown_variant": (_swap("A = 20, B = 60", "A = 20, C = 60"),
                        ["tasks[2].times_s.C", "unknown variant"]),
    "unknown_predecessor": (_swap('predecessors = ["t1"]',
                                  'predecessors = ["t9"]'),
                            ["tasks[1].predecessors", "'t9'"]),
    "missing_key": (_swap("annual_volume = 60000\n", ""),
                    ["targets.annual_volume", "missing"]),
    "not_utf8": (lambda text: text.replace("Tiny", "Tiny\udcff"),
                 ["not UTF-8"]),
}


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bad.toml"
    path.write_bytes(text.encode("utf-8", "surrogateescape"))
    return path


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_scenario_gives_one_line_exit_2(case: str,
                                            tmp_path: Path) -> None:
    """Each kind of bad scenario: exit 2, file and place named, no report."""
    edit, needles = BAD[case]
    path = _write(tmp_path, edit(TINY.read_text()))
    report = tmp_path / "report.html"
    result = runner.invoke(app, ["plan", str(path), "--report",
                                 str(report)])
    assert result.exit_code == 2, result.output
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1, message
    assert str(path) in message
    for needle in needles:
        assert needle in message, (needle, message)
    assert "Traceback" not in result.output
    assert not report.exists()
    assert not list(tmp_path.glob(".report.html*"))


def test_missing_file_is_named(tmp_path: Path) -> None:
    """A missing scenario file: exit 2 with its path and 'not found'."""
    path = tmp_path / "nowhere.toml"
    result = runner.invoke(app, ["plan", str(path)])
    assert result.exit_code == 2
    assert f"{path}: file not found" in result.stderr


def test_subprocess_bad_input_has_no_traceback(tmp_path: Path) -> None:
    """Run as a real process: one stderr line, exit 2, nothing on stdout."""
    path = _write(tmp_path, BAD["precedence_cycle"][0](TINY.read_text()))
    proc = subprocess.run(
        [sys.executable, "-m", "taktplan", "plan", str(path), "--report",
         str(tmp_path / "r.html")],
        capture_output=True, text=True, env=os.environ.copy(), check=False)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "r.html").exists()


def test_library_raises_input_error() -> None:
    """The library raises InputError (not pydantic's) for bad files."""
    with pytest.raises(InputError, match="file not found"):
        load_scenario("does-not-exist.toml")


def test_tiny_scenario_loads() -> None:
    """The tiny fixture is valid and its variant times resolve."""
    s = load_scenario(TINY)
    t3 = s.tasks[2]
    assert (t3.time_for("A"), t3.time_for("B")) == (20, 60)
    assert s.tasks[0].time_for("B") == 40
