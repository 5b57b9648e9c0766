"""Task lists from CSV and XLSX: round trips, init, check, tasks export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from tasklist_helpers import TINY, TINY_CSV, tiny_folder
from typer.testing import CliRunner

from taktplan.cli import app
from taktplan.errors import InputError
from taktplan.scenario import load_scenario
from taktplan.scenario.load import builtin_scenario_path
from taktplan.scenario.tasklist import read_task_list, write_task_list

runner = CliRunner()
def test_tiny_task_list_gives_the_inline_tasks(tmp_path: Path) -> None:
    """The CSV list reads as the same tasks as the [[tasks]] tables."""
    inline = load_scenario(TINY)
    from_file = load_scenario(tiny_folder(tmp_path))
    assert from_file.tasks == inline.tasks
    assert from_file == inline
    t3 = from_file.tasks[2]
    assert t3.time_s is None
    assert t3.times_s == {"A": 20.0, "B": 60.0}
    assert from_file.tasks[3].predecessors == ("t2", "t3")


def _dialects(text: str) -> dict[str, bytes]:
    """The same CSV as spreadsheets write it: separators, BOM, line ends."""
    import csv
    import io

    rows = list(csv.reader(io.StringIO(text)))

    def dump(sep: str, decimal_comma: bool = False) -> str:
        out = io.StringIO()
        writer = csv.writer(out, delimiter=sep, lineterminator="\n")
        for row in rows:
            writer.writerow([c.replace(".", ",") if decimal_comma
                             and c.replace(".", "").isdigit() else c
                             for c in row])
        return out.getvalue()

    comma, semi = dump(","), dump(";", decimal_comma=True)
    return {
        "comma-lf": comma.encode(),
        "comma-crlf": comma.replace("\n", "\r\n").encode(),
        "comma-bom-crlf": b"\xef\xbb\xbf"
        + comma.replace("\n", "\r\n").encode(),
        "semicolon-decimal-comma-lf": semi.encode(),
        "semicolon-bom-crlf": b"\xef\xbb\xbf"
        + semi.replace("\n", "\r\n").encode(),
        "excel-sep-line": ("sep=;\r\n" + semi.replace("\n", "\r\n")).encode(),
        "tab": dump("\t").encode(),
    }


@pytest.fixture(scope="module")
def builtin_csv(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The built-in task list written as CSV by ``tasks export``."""
    path = tmp_path_factory.mktemp("export") / "tasks.csv"
    result = runner.invoke(app, ["tasks", "export", "--out", str(path)])
    assert result.exit_code == 0, result.output
    return path.read_text()


@pytest.mark.parametrize("dialect", sorted(_dialects(TINY_CSV)))
def test_every_csv_dialect_reads_the_builtin_tasks(
        dialect: str, builtin_csv: str, tmp_path: Path) -> None:
    """Comma/semicolon/tab, BOM or not, LF or CRLF: the same 218 tasks."""
    builtin = load_scenario()
    path = tmp_path / "tasks.csv"
    path.write_bytes(_dialects(builtin_csv)[dialect])
    read = read_task_list(path, builtin.variant_ids)
    assert len(read.tasks) == 218
    assert read.tasks == builtin.tasks
    assert read.rows[0] == 2 and read.rows[-1] == 219


def test_xlsx_round_trip_is_exact(tmp_path: Path) -> None:
    """Written to XLSX and read back: the same tasks, times bit-exact."""
    builtin = load_scenario()
    path = write_task_list(tmp_path / "tasks.xlsx", builtin.tasks,
                           builtin.variant_ids)
    read = read_task_list(path, builtin.variant_ids)
    assert read.sheet == "tasks"
    assert read.tasks == builtin.tasks
    book = load_workbook(path, read_only=True)
    header = next(book["tasks"].iter_rows(max_row=1, values_only=True))
    book.close()
    assert header[:4] == ("id", "name", "area", "time_s")
    # the built-in plant's two-sided segments give 21 tasks a side
    assert "time_s:DCP4" in header
    assert header[-2:] == ("predecessors", "side")


def test_export_csv_reads_back_unchanged(tmp_path: Path,
                                         builtin_csv: str) -> None:
    """export -> scenario naming it -> export again: the same bytes."""
    scenario = tmp_path / "scenario.toml"
    text = builtin_scenario_path().read_text()
    begin = text.index("# --- tasks: generated")
    end = text.index("# --- end of tasks ---")
    first = text.index("[meta]")
    scenario.write_text(text[:first] + 'tasks = "tasks.csv"\n\n'
                        + text[first:begin] + text[end:])
    (tmp_path / "tasks.csv").write_text(builtin_csv)
    again = tmp_path / "again.csv"
    result = runner.invoke(app, ["tasks", "export", str(scenario), "--out",
                                 str(again)])
    assert result.exit_code == 0, result.output
    assert again.read_text() == builtin_csv
    assert load_scenario(scenario) == load_scenario()


def test_export_xlsx_twice_gives_the_same_bytes(tmp_path: Path) -> None:
    """Two XLSX exports seconds apart are byte for byte the same: the
    document's created/modified times and every zip entry's time are
    fixed (they were the clock's)."""
    import time
    import zipfile

    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    for out in (first, second):
        result = runner.invoke(app, ["tasks", "export", "--out", str(out)])
        assert result.exit_code == 0, result.output
        if out is first:
            time.sleep(2.1)  # past the zip format's 2 s resolution
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        assert {e.date_time for e in archive.infolist()} == {
            (2000, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert core.count("2000-01-01T00:00:00Z") == 2
    assert load_workbook(first).properties.modified.year == 2000


def test_header_names_any_case_and_own_columns(tmp_path: Path) -> None:
    """ID/Time_S:a headers, '#' columns and blank rows are accepted."""
    text = TINY_CSV.replace("id,name,area,time_s,time_s:A",
                            "ID,Name,AREA,Time_S,TIME_S:a")
    lines = text.splitlines()
    lines = [ln + (",# notes" if k == 0 else ",anything")
             for k, ln in enumerate(lines)]
    lines.insert(3, ",,,,,,,")
    scenario = tiny_folder(tmp_path, csv_text="\n".join(lines) + "\n")
    assert load_scenario(scenario) == load_scenario(TINY)


def test_init_folder_is_the_builtin_plant(tmp_path: Path) -> None:
    """init writes scenario.toml + tasks.xlsx giving the built-in model."""
    folder = tmp_path / "my-plant"
    result = runner.invoke(app, ["init", str(folder)])
    assert result.exit_code == 0, result.output
    assert (folder / "tasks.xlsx").exists()
    text = (folder / "scenario.toml").read_text()
    assert 'tasks = "tasks.xlsx"' in text
    assert "[[tasks]]" not in text
    assert "(A)" in text  # the built-in plant's comments are kept
    assert load_scenario(folder / "scenario.toml") == load_scenario()


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    """A second init: exit 2, files kept; --force rewrites them."""
    folder = tmp_path / "plant"
    assert runner.invoke(app, ["init", str(folder)]).exit_code == 0
    (folder / "scenario.toml").write_text("# mine\n")
    result = runner.invoke(app, ["init", str(folder)])
    assert result.exit_code == 2
    assert "exists already" in result.stderr
    assert "--force" in result.stderr
    assert (folder / "scenario.toml").read_text() == "# mine\n"
    result = runner.invoke(app, ["init", str(folder), "--force"])
    assert result.exit_code == 0, result.output
    assert load_scenario(folder / "scenario.toml") == load_scenario()


def test_init_folder_balances_like_the_builtin(tmp_path: Path) -> None:
    """The folder's balance: the built-in plant's stations, task by task."""
    from taktplan.capacity import takt
    from taktplan.plant.balance_stage import balance_plant

    runner.invoke(app, ["init", str(tmp_path)])
    folder = load_scenario(tmp_path / "scenario.toml")
    builtin = load_scenario()
    cycle = takt(builtin.calendar, builtin.targets.annual_volume,
                 builtin.targets.availability).planning_cycle_s
    mine = balance_plant(folder, cycle, seed=folder.simulation.seed)
    theirs = balance_plant(builtin, cycle, seed=builtin.simulation.seed)
    assert [s.station_tasks for s in mine.segments] == [
        s.station_tasks for s in theirs.segments]
    # two-sided stations: the same task on the same side too
    assert [s.station_positions for s in mine.segments] == [
        s.station_positions for s in theirs.segments]
    assert sum(len(tasks) for s in mine.segments
               for tasks in s.station_tasks) == len(builtin.tasks) == 218
    # check's bound (mated stations) is a bound on the balance found
    from taktplan.plant.work_content import work_content

    bounds = [s.lower_bound for s in work_content(builtin).segments]
    assert bounds == [12, 9, 9]
    assert all(b <= s.n_stations for b, s in zip(bounds, theirs.segments,
                                                 strict=True))


def test_check_json_reports_what_it_read(tmp_path: Path) -> None:
    """check --json: tasks as read, work content, takt, bounds (by hand)."""
    scenario = tiny_folder(tmp_path)
    result = runner.invoke(app, ["check", str(scenario), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["task_list"] == str(tmp_path / "tasks.csv")
    assert [t["id"] for t in data["tasks"]] == [f"t{k}" for k in
                                                range(1, 7)]
    assert data["tasks"][2]["times_s"] == {"A": 20.0, "B": 60.0}
    # A: 40+30+20+50+0+35 = 175; B: 40+30+60+50+45+35 = 260.
    assert data["work_content_s"] == {"A": 175.0, "B": 260.0}
    assert data["weighted_work_content_s"] == pytest.approx(
        0.75 * 175 + 0.25 * 260)
    # 240 days x 2 x 450 min = 12,960,000 s / 60,000 = 216 s; x 0.9.
    assert data["takt_s"] == pytest.approx(216.0)
    assert data["planning_cycle_s"] == pytest.approx(194.4)
    seg = data["segments"][0]
    # weighted 196.25 / 194.4 -> 2; B 260 / (194.4 x 1.25 = 243) -> 2.
    assert seg["segment"] == "line" and seg["lower_bound"] == 2
    assert seg["two_sided"] is False
    assert data["areas"][0]["tasks"] == 6


@pytest.mark.parametrize(("sides", "bound"), [("", 1), ("L", 2)])
def test_check_bound_of_a_two_sided_segment(tmp_path: Path, sides: str,
                                            bound: int) -> None:
    """A two-sided segment's bound counts mated stations: each does up to
    one load limit a side. Either side (default): weighted 196.25 s over
    two sides, 98.1 / 194.4 -> 1 (B: 130 / 243 -> 1). All tasks left:
    the left side alone holds 196.25 / 194.4 -> 2."""
    csv_text = TINY_CSV.replace("predecessors\n", "predecessors,side\n")
    csv_text = "\n".join(line + f",{sides}" if k else line for k, line in
                         enumerate(csv_text.splitlines())) + "\n"
    scenario = tiny_folder(tmp_path, csv_text=csv_text)
    scenario.write_text(scenario.read_text().replace(
        'kind = "balanced"\n', 'kind = "balanced"\ntwo_sided = true\n', 1))
    result = runner.invoke(app, ["check", str(scenario), "--json"])
    assert result.exit_code == 0, result.output
    seg = json.loads(result.stdout)["segments"][0]
    assert (seg["two_sided"], seg["lower_bound"]) == (True, bound)


def test_check_text_names_the_list(tmp_path: Path) -> None:
    """check without --json prints the tables and says it is valid."""
    result = runner.invoke(app, ["check", str(tiny_folder(tmp_path))])
    assert result.exit_code == 0, result.output
    assert "6 tasks" in result.stdout
    assert "valid" in result.stdout


def test_check_does_not_load_numba() -> None:
    """check solves nothing, so it loads no compiled kernels (numba's
    import alone cost 0.8 s of CPU per check of the built-in plant)."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    code = ("import sys\n"
            "from typer.testing import CliRunner\n"
            "from taktplan.cli import app\n"
            "r = CliRunner().invoke(app, ['check', '--json'])\n"
            "assert r.exit_code == 0, r.output\n"
            "print('numba' in sys.modules)\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True,
                          text=True, check=True, timeout=300,
                          env={"PYTHONPATH": str(root / "src"),
                               "PATH": "/usr/bin:/bin"})
    assert proc.stdout.strip() == "False", proc.stderr


def test_sweep_input_holds_the_task_list(tmp_path: Path) -> None:
    """A sweep's raw input inlines the list: editing it changes the hash."""
    from taktplan.experiment.runner import content_hash, read_input
    from taktplan.scenario.load import parse_scenario

    scenario = tiny_folder(tmp_path)
    raw, _ = read_input(scenario)
    assert isinstance(raw["tasks"], list)
    assert parse_scenario(raw, scenario) == load_scenario(TINY)
    before = content_hash(raw)
    (tmp_path / "tasks.csv").write_text(TINY_CSV.replace(",35,", ",36,"))
    assert content_hash(read_input(scenario)[0]) != before


@pytest.mark.slow
def test_init_folder_plans_like_the_builtin(tmp_path: Path) -> None:
    """The whole plan of an init folder: the built-in balance and output."""
    import taktplan

    runner.invoke(app, ["init", str(tmp_path)])
    mine = taktplan.plan(tmp_path / "scenario.toml", replications=2,
                         recommend_changes=False)
    builtin = taktplan.plan(None, replications=2, recommend_changes=False)
    assert mine.balance is not None and builtin.balance is not None
    assert [s.station_tasks for s in mine.balance.segments] == [
        s.station_tasks for s in builtin.balance.segments]
    assert mine.verdict is not None and builtin.verdict is not None
    assert mine.verdict.output.mean == builtin.verdict.output.mean
    assert list(mine.verdict.output.per_replication) == list(
        builtin.verdict.output.per_replication)


def test_further_task_fields_are_columns(tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch
                                         ) -> None:
    """A task model with more fields (side, station, lists) reads and
    writes them as columns with no change to the reader."""
    from typing import Literal

    from taktplan.scenario import tasklist
    from taktplan.scenario.model import Task

    class SidedTask(Task):
        side: Literal["L", "R", "E"] = "E"
        station: int | None = None
        together_with: tuple[str, ...] = ()

    monkeypatch.setattr(tasklist, "Task", SidedTask)
    tasks = [SidedTask(id="a", area="x", time_s=10, side="L"),
             SidedTask(id="b", area="x", time_s=5, predecessors=("a",),
                       together_with=("a",), station=2)]
    path = tasklist.write_task_list(tmp_path / "t.csv", tasks, ["V"])
    assert path.read_text().splitlines() == [
        "id,name,area,time_s,predecessors,side,station,together_with",
        "a,,x,10.0,,L,,",
        "b,,x,5.0,a,E,2,a",
    ]
    back = tasklist.read_task_list(path, ["V"])
    assert back.tasks == tuple(tasks)
    path.write_text("id,area,time_s,SIDE,together_with\n"
                    "a,x,1,Q,\n")
    with pytest.raises(InputError, match=r"cell D2: side 'Q'"):
        tasklist.read_task_list(path, ["V"])
