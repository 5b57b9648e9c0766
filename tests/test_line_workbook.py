"""`plan --export line.xlsx`: the workbook's sheets against the plan's JSON."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from tasklist_helpers import TINY
from typer.testing import CliRunner

from taktplan.cli import app
from taktplan.files import write_file_atomically
from taktplan.plant.line_workbook import SUMMARY, json_value
from taktplan.scenario import load_scenario

runner = CliRunner()


def _rows(book: Any, sheet: str) -> list[dict[str, Any]]:
    values = list(book[sheet].iter_rows(values_only=True))
    header = values[0]
    return [dict(zip(header, row, strict=True)) for row in values[1:]]


@pytest.fixture(scope="module")
def tiny_export(tmp_path_factory: pytest.TempPathFactory
                ) -> tuple[dict[str, Any], Path]:
    """The tiny plant planned once with --json and --export."""
    folder = tmp_path_factory.mktemp("export")
    line = folder / "line.xlsx"
    result = runner.invoke(app, [
        "plan", str(TINY), "--json", "--replications", "2", "--report",
        str(folder / "r.html"), "--export", str(line)])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout), line


def test_workbook_sheets_match_the_plan(
        tiny_export: tuple[dict[str, Any], Path]) -> None:
    """stations, loads, sequence and summary agree with --json."""
    payload, line = tiny_export
    assert payload["export"] == str(line)
    scenario = load_scenario(TINY)
    book = load_workbook(line, read_only=True)
    assert book.sheetnames == ["stations", "loads", "sequence", "summary"]

    stations = _rows(book, "stations")
    tasks: dict[str, list[str]] = defaultdict(list)
    times: dict[tuple[str, str], float] = defaultdict(float)
    by_id = {t.id: t for t in scenario.tasks}
    for row in stations:
        tasks[row["station"]].append(row["task"])
        for v in scenario.variant_ids:
            assert row[f"time_s:{v}"] == by_id[row["task"]].time_for(v)
            times[row["station"], v] += row[f"time_s:{v}"]
    expected = {name: ids for seg in payload["balance"]["segments"]
                for name, ids in seg["station_tasks"].items()}
    assert dict(tasks) == expected
    assert sorted(r["task"] for r in stations) == sorted(by_id)

    loads = _rows(book, "loads")
    cycle = payload["balance"]["cycle_s"]
    assert len(loads) == len(expected) * (len(scenario.variant_ids) + 1)
    for row in loads:
        assert row["cycle_s"] == pytest.approx(cycle)
        assert row["utilisation"] == pytest.approx(row["load_s"] / cycle)
        if row["variant"] != "demand-weighted":
            assert row["load_s"] == pytest.approx(
                times[row["station"], row["variant"]])
    seg = payload["balance"]["segments"][0]
    assert max(r["load_s"] for r in loads
               if r["variant"] != "demand-weighted") == pytest.approx(
        seg["max_variant_load_s"])
    assert max(r["load_s"] for r in loads
               if r["variant"] == "demand-weighted") == pytest.approx(
        seg["max_weighted_load_s"])

    sequence = _rows(book, "sequence")
    assert [r["variant"] for r in sequence] == payload["sequence"][
        "sequence"]
    assert [r["position"] for r in sequence] == list(
        range(1, len(sequence) + 1))
    assert (payload["sequence"]["violations"] == 0) == all(
        r["rule_violations"] == 0 for r in sequence)

    summary = _rows(book, "summary")
    assert len(summary) >= 15
    for row in summary:
        want = json_value(payload, row["json_key"])
        if isinstance(want, bool):
            want = "yes" if want else "no"
        if isinstance(want, float):
            assert row["value"] == pytest.approx(want), row
        else:
            assert row["value"] == want, row
    keys = {r["json_key"] for r in summary}
    assert {"capacity.takt_s", "balance.stations",
            "verdict.annual_output"} <= keys
    assert keys <= {path for _, path, _ in SUMMARY}
    book.close()


def test_export_name_is_checked_before_planning(tmp_path: Path) -> None:
    """--export to a non-.xlsx name: exit 2 at once, nothing written."""
    result = runner.invoke(app, ["plan", str(TINY), "--report",
                                 str(tmp_path / "r.html"), "--export",
                                 str(tmp_path / "line.csv")])
    assert result.exit_code == 2
    assert "line.csv: is not an XLSX file name" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_failed_write_leaves_nothing(tmp_path: Path) -> None:
    """A writer failing half-way leaves neither the file nor a temp file."""
    target = tmp_path / "line.xlsx"

    def half(tmp: Path) -> None:
        tmp.write_bytes(b"PK half a workbook")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_file_atomically(target, half)
    assert list(tmp_path.iterdir()) == []
    target.write_bytes(b"old")
    with pytest.raises(OSError):
        write_file_atomically(target, half)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["line.xlsx"]


def test_one_sided_line_has_no_side_column(
        tiny_export: tuple[dict[str, Any], Path]) -> None:
    """The tiny plant's one-sided line: no side or operator columns (every
    task's model side is the default 'E', which says nothing there)."""
    _, line = tiny_export
    book = load_workbook(line, read_only=True)
    header = next(book["stations"].iter_rows(max_row=1, values_only=True))
    assert header[:3] == ("segment", "station", "task")


def test_two_sided_stations_give_the_balanced_side(tmp_path: Path) -> None:
    """On a two-sided line each task's row has the side and operator the
    balance gave it (the plan JSON's station_positions), not its model
    side: a task that may go either side ('E') is on 'L' or 'R'."""
    text = TINY.read_text().replace(
        'kind = "balanced"\n', 'kind = "balanced"\ntwo_sided = true\n', 1)
    scenario = tmp_path / "two_sided.toml"
    scenario.write_text(text)
    line = tmp_path / "line.xlsx"
    result = runner.invoke(app, [
        "plan", str(scenario), "--json", "--replications", "2", "--report",
        str(tmp_path / "r.html"), "--export", str(line)])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    expected = {(station, k + 1, pos["side"], task)
                for seg in payload["balance"]["segments"]
                for station, positions in seg["station_positions"].items()
                for k, pos in enumerate(positions)
                for task in pos["tasks"]}
    rows = _rows(load_workbook(line, read_only=True), "stations")
    assert {(r["station"], r["operator"], r["side"], r["task"])
            for r in rows} == expected
    assert len(rows) == 6
    assert {r["side"] for r in rows} <= {"L", "R"}


def test_export_to_a_directory_is_refused_before_planning(
        tmp_path: Path) -> None:
    """--export naming a folder: exit 2 at once with one line, no
    traceback, no report."""
    folder = tmp_path / "line.xlsx"
    folder.mkdir()
    result = runner.invoke(app, ["plan", str(TINY), "--report",
                                 str(tmp_path / "r.html"), "--export",
                                 str(folder)])
    assert result.exit_code == 2, result.output
    assert result.stderr.strip() == (
        f"error: <command line>: --export: {folder} is a directory; give "
        "the path of a file to write")
    assert [p.name for p in tmp_path.iterdir()] == ["line.xlsx"]


def test_unwritable_target_is_an_input_error(tmp_path: Path) -> None:
    """A target the rename cannot replace (a folder) is an InputError
    naming it, and no temporary file is left."""
    from taktplan.errors import InputError

    folder = tmp_path / "out.csv"
    (folder / "inside").mkdir(parents=True)
    with pytest.raises(InputError, match="out.csv: cannot be written"):
        write_file_atomically(folder, lambda tmp: tmp.write_text("x"))
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]
