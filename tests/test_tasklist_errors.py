"""Bad task lists: exit 2, one line naming the file and the row or cell.

The tiny scenario's tasks as ``tasks.csv`` (header on row 1, t1 on row 2
... t6 on row 7; columns A id, B name, C area, D time_s, E time_s:A,
F time_s:B, G predecessors), each spoiled one way.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook
from tasklist_helpers import TINY_CSV, tiny_folder
from typer.testing import CliRunner

from taktplan.cli import app
from taktplan.errors import InputError

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]


def _swap(old: str, new: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, 1)

    return edit


def _drop_column(k: int) -> Callable[[str], str]:
    def edit(text: str) -> str:
        import csv
        import io

        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        for row in csv.reader(io.StringIO(text)):
            writer.writerow(row[:k] + row[k + 1:])
        return out.getvalue()

    return edit


#: case -> (edit of TINY_CSV, texts the one error line must hold).
BAD: dict[str, tuple[Callable[[str], str], list[str]]] = {
    "time_not_a_number": (_swap("t2,,assembly,30", "t2,,assembly,thirty"),
                          ["cell D3", "time_s 'thirty'",
                           "as a number"]),
    "negative_time": (_swap("t6,,assembly,35", "t6,,assembly,-35"),
                      ["cell D7", "greater than or equal to 0"]),
    "nan_time": (_swap("t6,,assembly,35", "t6,,assembly,nan"),
                 ["cell D7", "finite number"]),
    "variant_time_not_a_number": (_swap(",20,60,", ",20,6o,"),
                                  ["cell F4", "time_s:B '6o'"]),
    "unknown_predecessor": (_swap("t2,,assembly,30,,,t1",
                                  "t2,,assembly,30,,,t9"),
                            ["cell G3", "unknown predecessor 't9'"]),
    "duplicate_id": (_swap("t6,", "t5,"),
                     ["cell A7", "task id 't5' is used twice"]),
    "missing_id_column": (_drop_column(0),
                          ["row 1", "no 'id' column"]),
    "precedence_cycle": (_swap("t1,,assembly,40,,,", "t1,,assembly,40,,,t6"),
                         ["cell G2", "cycle t1 -> t2 -> t4 -> t6 -> t1"]),
    "unknown_variant_column": (_swap("time_s:B", "time_s:C"),
                               ["cell F1", "unknown variant 'C'", "A, B"]),
    "empty_file": (lambda text: "", ["task list is empty"]),
    "blank_lines_only": (lambda text: "\r\n\r\n,,\r\n",
                         ["task list is empty"]),
    "header_only": (lambda text: text.splitlines()[0] + "\n",
                    ["row 1", "header but no tasks"]),
    "unknown_column": (_swap("predecessors", "predecesors"),
                       ["cell G1", "unknown column 'predecesors'"]),
    "duplicate_column": (_swap("time_s:A", "time_s"),
                         ["cell E1", "given twice"]),
    "empty_id": (_swap("t4,,", ",,"), ["cell A5", "'id' is empty"]),
    "no_time": (_swap("t6,,assembly,35", "t6,,assembly,"),
                ["row 7", "time_s"]),
    "bad_id": (_swap("t6,", "t 6,"), ["cell A7", "pattern"]),
    "area_without_segment": (_swap("t6,,assembly", "t6,,paint"),
                             ["cell C7", "no segment takes area 'paint'"]),
    "value_without_header": (_swap("t6,,assembly,35,,,t4",
                                   "t6,,assembly,35,,,t4,oops"),
                             ["cell H7", "without a header"]),
    "bad_quotes": (_swap("t6,,", 't6,"a"b,'), ["row 7", "not valid CSV"]),
    "not_utf8": (lambda text: text.replace("t6", "t\udcff"),
                 ["line 7", "not UTF-8"]),
}


def _check(args: list[str]) -> tuple[int, str]:
    result = runner.invoke(app, ["check", *args])
    return result.exit_code, result.stderr.strip()


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_task_list_gives_one_line_exit_2(case: str,
                                             tmp_path: Path) -> None:
    """Each kind of bad list: exit 2, the file and its row or cell named."""
    edit, needles = BAD[case]
    scenario = tiny_folder(tmp_path, csv_text=None)
    tasks = tmp_path / "tasks.csv"
    tasks.write_bytes(edit(TINY_CSV).encode("utf-8", "surrogateescape"))
    code, message = _check([str(scenario)])
    assert code == 2, message
    assert len(message.splitlines()) == 1, message
    assert message.startswith(f"error: {tasks}: "), message
    for needle in needles:
        assert needle in message, (needle, message)
    assert "Traceback" not in message


def _workbook(path: Path, sheet: str, rows: list[list[object]]) -> None:
    book = Workbook()
    ws = book.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    book.save(path)


def _tiny_rows() -> list[list[object]]:
    import csv
    import io

    rows: list[list[object]] = []
    for row in csv.reader(io.StringIO(TINY_CSV)):
        rows.append([float(c) if c.replace(".", "").isdigit() else c or None
                     for c in row])
    return rows


def test_xlsx_reads_like_csv_and_names_sheet_cells(tmp_path: Path) -> None:
    """The same list as a workbook: same tasks; a bad cell is sheet + C7."""
    from taktplan.scenario import load_scenario

    rows = _tiny_rows()
    scenario = tiny_folder(tmp_path, 'tasks = "tasks.xlsx"', csv_text=None)
    _workbook(tmp_path / "tasks.xlsx", "Work", rows)
    assert load_scenario(scenario).tasks == load_scenario(
        tiny_folder(tmp_path / "csv")).tasks
    rows[3][3] = "lots"  # t3's time_s: cell D4
    _workbook(tmp_path / "tasks.xlsx", "Work", rows)
    code, message = _check([str(scenario)])
    assert code == 2
    assert message.startswith(f"error: {tmp_path / 'tasks.xlsx'}: sheet "
                              "'Work', cell D4: time_s 'lots'"), message


def test_missing_sheet_is_named(tmp_path: Path) -> None:
    """tasks = { file, sheet } naming a sheet that is not there."""
    scenario = tiny_folder(
        tmp_path, 'tasks = { file = "tasks.xlsx", sheet = "Tasks" }',
        csv_text=None)
    _workbook(tmp_path / "tasks.xlsx", "Work", _tiny_rows())
    code, message = _check([str(scenario)])
    assert code == 2
    assert "tasks.xlsx: sheet 'Tasks': no such sheet" in message
    assert "'Work'" in message


def test_named_sheet_is_read(tmp_path: Path) -> None:
    """The scenario's sheet is read, not the first one."""
    from taktplan.scenario import load_scenario

    scenario = tiny_folder(
        tmp_path, 'tasks = { file = "tasks.xlsx", sheet = "B" }',
        csv_text=None)
    book = Workbook()
    book.active.title = "A"
    book["A"].append(["nonsense"])
    sheet = book.create_sheet("B")
    for row in _tiny_rows():
        sheet.append(row)
    book.save(tmp_path / "tasks.xlsx")
    assert len(load_scenario(scenario).tasks) == 6


@pytest.mark.parametrize(("tasks_line", "needles"), [
    ('tasks = "nowhere.csv"', ["scenario.toml: tasks:", "not found"]),
    ('tasks = "tasks.ods"', ["tasks.ods", "not found"]),
    ('tasks = { file = "tasks.csv", shet = "x" }',
     ["scenario.toml: tasks.shet:", "unknown key"]),
])
def test_bad_task_file_reference(tasks_line: str, needles: list[str],
                                 tmp_path: Path) -> None:
    """A task list the scenario names badly: exit 2, the key named."""
    scenario = tiny_folder(tmp_path, tasks_line)
    code, message = _check([str(scenario)])
    assert code == 2, message
    for needle in needles:
        assert needle in message, (needle, message)


def test_not_a_workbook(tmp_path: Path) -> None:
    """A .xlsx that is not one: exit 2 with the file named."""
    scenario = tiny_folder(tmp_path, 'tasks = "tasks.xlsx"')
    (tmp_path / "tasks.xlsx").write_text(TINY_CSV)
    code, message = _check([str(scenario)])
    assert code == 2
    assert f"{tmp_path / 'tasks.xlsx'}: is not a readable XLSX" in message


def test_plan_writes_nothing_on_a_bad_list(tmp_path: Path) -> None:
    """A real process: one stderr line, exit 2, no report, no traceback."""
    scenario = tiny_folder(tmp_path, csv_text=None)
    edit, _ = BAD["precedence_cycle"]
    (tmp_path / "tasks.csv").write_text(edit(TINY_CSV))
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT / "src"), *filter(None, [env.get("PYTHONPATH")])])
    env["COLUMNS"] = "300"
    report = tmp_path / "r.html"
    proc = subprocess.run(
        [sys.executable, "-m", "taktplan", "plan", str(scenario),
         "--report", str(report)],
        capture_output=True, text=True, env=env, check=False, timeout=300)
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "tasks.csv: cell G2: precedence cycle" in lines[0]
    assert not report.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "scenario.toml", "tasks.csv"]


def _names_the_list(command: str, scenario: Path,
                    needles: list[str]) -> None:
    """``check`` or ``plan`` of ``scenario`` stops with exit 2 and one
    line naming its folder's tasks.csv and holding ``needles``; the plan
    writes no report."""
    folder = scenario.parent
    args = [command, str(scenario)]
    if command == "plan":
        args += ["--report", str(folder / "r.html")]
    result = runner.invoke(app, args)
    message = result.stderr.strip()
    assert result.exit_code == 2, message
    assert len(message.splitlines()) == 1, message
    assert message.startswith(f"error: {folder / 'tasks.csv'}: "), message
    for needle in needles:
        assert needle in message, (needle, message)
    assert not (folder / "r.html").exists()


#: Lists that read well but ask the impossible at the tiny plant's
#: planning cycle (194.4 s; a station holds 194.4 s weighted, one variant
#: up to 243 s): case -> (edit of TINY_CSV, texts the line must hold).
TOO_LONG: dict[str, tuple[Callable[[str], str], list[str]]] = {
    # t2 (row 3) weighs 300 s: its time_s cell D3
    "weighted_time": (_swap("t2,,assembly,30", "t2,,assembly,300"),
                      ["cell D3", "task 't2' takes 300.0 s on average",
                       "194.4 s"]),
    # t3's average (row 4) is mostly its 2000 s for B: cell F4, not D4
    "weighted_time_of_a_variant": (_swap(",20,60,", ",20,2000,"),
                                   ["cell F4", "takes 515.0 s on average"]),
    # absurdly long: a readable number, not 13 digits
    "weighted_time_huge": (_swap("t2,,assembly,30", "t2,,assembly,1e12"),
                           ["cell D3", "takes 1e+12 s on average"]),
    # t3 (row 4) takes 400 s for B in its own column F
    "variant_column": (_swap(",20,60,", ",20,400,"),
                       ["cell F4", "task 't3' takes 400.0 s for B",
                        "243.0 s"]),
    # t5 (row 6) takes its time_s (D6) for B, which has no value of its own
    "variant_from_time_s": (_swap("t5,,assembly,,0,45,",
                                  "t5,,assembly,400,0,,"),
                            ["cell D6", "task 't5' takes 400.0 s for B"]),
}


@pytest.mark.parametrize("command", ["check", "plan"])
@pytest.mark.parametrize("case", sorted(TOO_LONG))
def test_task_too_long_names_its_cell(case: str, command: str,
                                      tmp_path: Path) -> None:
    """A task longer than the cycle allows: the task list's cell, not
    ``tasks[i]`` of the scenario (check and plan alike)."""
    edit, needles = TOO_LONG[case]
    scenario = tiny_folder(tmp_path, csv_text=edit(TINY_CSV))
    _names_the_list(command, scenario, needles)


def test_backward_arc_names_the_predecessors_cell(tmp_path: Path) -> None:
    """t4 (row 5, assembly) needs t2 moved to a later segment's area: the
    error names t4's predecessors cell G5 of the task list."""
    scenario = tiny_folder(tmp_path, csv_text=_swap(
        "t2,,assembly", "t2,,paint")(TINY_CSV))
    text = scenario.read_text()
    scenario.write_text(text.replace("[rampup]", """[[segments]]
name = "trim"
kind = "balanced"
areas = ["paint"]

[rampup]""", 1))
    code, message = _check([str(scenario)])
    assert code == 2, message
    assert message.startswith(
        f"error: {tmp_path / 'tasks.csv'}: cell G5: task 't4' in segment "
        "'line' needs 't2' of a later segment"), message


def test_toml_variant_time_from_time_s_names_time_s(tmp_path: Path) -> None:
    """In ``[[tasks]]`` tables a variant's too-long time that comes from
    ``time_s`` names ``tasks[i].time_s`` (the key to change)."""
    text = (Path(__file__).parent / "data" / "tiny_scenario.toml"
            ).read_text()
    scenario = tmp_path / "scenario.toml"
    scenario.write_text(text.replace("times_s = { A = 0, B = 45 }",
                                     "time_s = 400\ntimes_s = { A = 0 }"))
    code, message = _check([str(scenario)])
    assert code == 2, message
    assert message.startswith(f"error: {scenario}: tasks[4].time_s: task "
                              "'t5' takes 400.0 s for B"), message


def _with_cached_value(path: Path, cell: str, value: str) -> None:
    """Store a calculated value for a formula cell, as a spreadsheet
    program does on saving (openpyxl writes formulas without one)."""
    import zipfile

    member = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(path) as old:
        items = [(i, old.read(i.filename)) for i in old.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info, data in items:
            if info.filename == member:
                text = data.decode()
                start = text.index(f'<c r="{cell}"')
                end = text.index("</c>", start)
                assert "<v />" in text[start:end], text[start:end]
                text = (text[:start] + text[start:end].replace(
                    "<v />", f"<v>{value}</v>") + text[end:])
                data = text.encode()
            new.writestr(info, data)


def test_formula_without_saved_value_is_named(tmp_path: Path) -> None:
    """A formula cell that no spreadsheet program has calculated (as
    openpyxl writes it) is not read as empty: t3's time for B would
    silently become another time. Exit 2 naming the cell."""
    rows = _tiny_rows()
    rows[3][5] = "=E4*3"  # t3's time_s:B (F4) as a formula: 60
    scenario = tiny_folder(tmp_path, 'tasks = "tasks.xlsx"', csv_text=None)
    _workbook(tmp_path / "tasks.xlsx", "tasks", rows)
    code, message = _check([str(scenario)])
    assert code == 2, message
    assert message.startswith(
        f"error: {tmp_path / 'tasks.xlsx'}: sheet 'tasks', cell F4: the "
        "formula '=E4*3' has no calculated value saved"), message
    assert "spreadsheet program" in message


def test_formula_with_saved_value_reads_the_value(tmp_path: Path) -> None:
    """A formula as a spreadsheet program saves it: its value is read."""
    from taktplan.scenario import load_scenario

    rows = _tiny_rows()
    rows[3][5] = "=E4*3"
    scenario = tiny_folder(tmp_path, 'tasks = "tasks.xlsx"', csv_text=None)
    _workbook(tmp_path / "tasks.xlsx", "tasks", rows)
    _with_cached_value(tmp_path / "tasks.xlsx", "F4", "60")
    assert load_scenario(scenario).tasks == load_scenario(
        tiny_folder(tmp_path / "csv")).tasks


#: The tiny list with the two-sided columns (H side, I zone,
#: J together_with, K apart_from); t6 on row 7 gets the edits.
TWO_SIDED_CSV = """\
id,name,area,time_s,time_s:A,time_s:B,predecessors,side,zone,together_with,apart_from
t1,,assembly,40,,,,L,,,
t2,,assembly,30,,,t1,R,,,
t3,,assembly,,20,60,t1,,,,
t4,,assembly,50,,,"t2, t3",,,,
t5,,assembly,,0,45,t4,,,,
t6,,assembly,35,,,t4,,{zone},{together},{apart}
"""

#: case -> (t6's zone, together_with, apart_from; texts of the line).
TWO_SIDED_BAD = {
    "unknown_zone": ("dock", "", "",
                     ["cell I7", "zone 'dock', which segment 'line' does "
                      "not name"]),
    "together_with_no_task": ("", "t9", "",
                              ["cell J7", "names 't9', not a task of "
                               "segment 'line'"]),
    "apart_and_together": ("", "t4", "t4",
                           ["row 7 ('t6')", "t6 must be apart from t4 and "
                            "also together with it"]),
}

#: The tiny list with side and station columns (H side, I station,
#: J together_with, K apart_from), for the rules checked against the
#: cycle (194.4 s, a side of a mated station holds 194.4 s weighted).
RULES_CSV = """\
id,name,area,time_s,time_s:A,time_s:B,predecessors,side,station,together_with,apart_from
t1,,assembly,40,,,,L,,,
t2,,assembly,30,,,t1,R,,,
t3,,assembly,,20,60,t1,,,,
t4,,assembly,50,,,"t2, t3",,,,
t5,,assembly,,0,45,t4,,,,
t6,,assembly,35,,,t4,,,,
"""

#: case -> (edit of RULES_CSV, texts the line must hold). The times are
#: seconds as the list gives them, the tasks its ids, and the advice the
#: plant's (its cycle comes from the volume: no "raise the cycle time").
RULES_BAD: dict[str, tuple[Callable[[str], str], list[str]]] = {
    # t1 (40 s, L) together with t6 (160 s, L): 200 s on the left side
    "together_one_side": (
        _swap("t6,,assembly,35,,,t4,,,,", "t6,,assembly,160,,,t4,L,,t1,"),
        ["row 2 ('t1')", "t1, t6 (bound together) need 200.0 s on the "
         "left side, more than one side of a station holds (194.4 s)",
         "split the group, move one of them to the right side or E, or "
         "lower the volume"]),
    # t1 (40 s, L) with t6 (L; A 10 s, B 220 s): 102.5 s weighted, but
    # 260 s of B's work on the left, over B's limit (243 s); check said
    # valid and plan failed with "raise the budget"
    "together_one_side_for_a_variant": (
        _swap("t6,,assembly,35,,,t4,,,,", "t6,,assembly,,10,220,t4,L,,t1,"),
        ["row 2 ('t1')", "t1, t6 (bound together) need 260.0 s for B on "
         "the left side, more than one side of a station holds (243.0 s)",
         "split the group, move one of them to the right side or E, or "
         "raise sequencing.variant_overload or lower the volume"]),
    # both pinned to station 1: the same 200 s on the left
    "pinned_one_side": (
        lambda text: text.replace(
            "t1,,assembly,40,,,,L,,,", "t1,,assembly,40,,,,L,1,,").replace(
            "t6,,assembly,35,,,t4,,,,", "t6,,assembly,160,,,t4,L,1,,"),
        ["t1, t6 (pinned to station 1) need 200.0 s on the left side",
         "pin fewer of them to station 1, move one of them to the right "
         "side or E, or lower the volume"]),
    "apart_from_itself": (
        _swap("t6,,assembly,35,,,t4,,,,", "t6,,assembly,35,,,t4,,,,t6"),
        ["cell K7", "task 't6' lists itself in apart_from"]),
    # the segment's 6 tasks make at most 6 stations
    "pin_beyond_the_segment": (
        _swap("t6,,assembly,35,,,t4,,,,", "t6,,assembly,35,,,t4,,7,,"),
        ["row 7 ('t6')", "t6 is pinned to station 7 but a line of 6 tasks "
         "has at most 6 stations"]),
    # t6 (160 s, L) at station 1 after t1 (40 s, L): 200 s of left work
    # before it ends, two stations at least
    "pin_before_its_predecessors": (
        _swap("t6,,assembly,35,,,t4,,,,", "t6,,assembly,160,,,t4,L,1,,"),
        ["row 7 ('t6')", "t6 is pinned to station 1 but it and its "
         "predecessors t1, t2, t3, t4 need at least 2 stations",
         "pin it to station 2 or later"]),
    # t1 at station 6 of 6, its followers with 180 s more on the left
    "pin_before_too_many_followers": (
        lambda text: text.replace(
            "t1,,assembly,40,,,,L,,,", "t1,,assembly,40,,,,L,6,,").replace(
            't4,,assembly,50,,,"t2, t3",,,,',
            't4,,assembly,180,,,"t2, t3",L,,,'),
        ["row 2 ('t1')", "t1 is pinned to station 6 but it and its "
         "followers t2, t3, t4, t5, t6 need at least 1 more station after "
         "it; a line of 6 tasks has at most 6",
         "pin it to station 5 or earlier"]),
}


def _two_sided_folder(folder: Path, csv_text: str) -> Path:
    scenario = tiny_folder(folder, csv_text=csv_text)
    text = scenario.read_text()
    scenario.write_text(text.replace(
        'kind = "balanced"\n',
        'kind = "balanced"\ntwo_sided = true\nzones = { pit = 1 }\n', 1))
    return scenario


@pytest.mark.parametrize("command", ["check", "plan"])
@pytest.mark.parametrize("case", sorted(TWO_SIDED_BAD))
def test_two_sided_rules_name_the_task_list(case: str, command: str,
                                            tmp_path: Path) -> None:
    """A two-sided rule that cannot hold (a zone the segment lacks, a
    together task not in the segment, apart and together at once): check
    finds it without solving, and both name the task list's cell or row,
    not ``<scenario>: tasks[5]``."""
    zone, together, apart, needles = TWO_SIDED_BAD[case]
    scenario = _two_sided_folder(tmp_path, TWO_SIDED_CSV.format(
        zone=zone, together=together, apart=apart))
    _names_the_list(command, scenario, needles)


@pytest.mark.parametrize("command", ["check", "plan"])
@pytest.mark.parametrize("case", sorted(RULES_BAD))
def test_two_sided_rules_against_the_cycle(case: str, command: str,
                                           tmp_path: Path) -> None:
    """Rules that no line at the cycle can keep (a group's work on one
    side, a pin its predecessors or followers cannot reach, a pin
    beyond the segment, a task apart from itself): check finds them
    without solving (it said valid, and plan stopped in the balance
    with ``task 2``, tenths of a second and "raise the cycle time"),
    and both print the same line in seconds and the list's ids."""
    edit, needles = RULES_BAD[case]
    scenario = _two_sided_folder(tmp_path, edit(RULES_CSV))
    _names_the_list(command, scenario, needles)


def test_balance_refuses_with_the_check_s_message(tmp_path: Path) -> None:
    """The balance itself (not only the checks before it) refuses a
    group over one side's room with the very message of ``check``: one
    validation, not two copies."""
    from taktplan.plant.balance_stage import balance_plant
    from taktplan.plant.input_checks import check_two_sided_rules
    from taktplan.scenario.load import load_scenario_source

    edit, needles = RULES_BAD["together_one_side"]
    loaded = load_scenario_source(_two_sided_folder(tmp_path,
                                                    edit(RULES_CSV)))
    assert loaded.task_list is not None
    place = loaded.task_list.place
    with pytest.raises(InputError) as checked:
        check_two_sided_rules(loaded.scenario, 194.4, loaded.source, place)
    with pytest.raises(InputError) as balanced:
        balance_plant(loaded.scenario, 194.4, source=loaded.source,
                      place=place)
    assert str(checked.value) == str(balanced.value)
    assert needles[1] in str(balanced.value)


def test_two_sided_list_that_holds_plans(tmp_path: Path) -> None:
    """The same columns with rules that hold: check passes, t6 in zone
    pit (station 1) is read as such."""
    from taktplan.scenario import load_scenario

    scenario = _two_sided_folder(tmp_path, TWO_SIDED_CSV.format(
        zone="", together="t4", apart="t5"))
    code, message = _check([str(scenario)])
    assert code == 0, message
    t6 = load_scenario(scenario).tasks[5]
    assert (t6.together_with, t6.apart_from) == (("t4",), ("t5",))


def test_two_sided_toml_names_the_scenario_file(tmp_path: Path) -> None:
    """In [[tasks]] tables the plan names the scenario file (not
    ``<scenario>``) and the task's key."""
    text = (Path(__file__).parent / "data" / "tiny_scenario.toml"
            ).read_text()
    scenario = tmp_path / "scenario.toml"
    scenario.write_text(text.replace(
        'kind = "balanced"\n', 'kind = "balanced"\ntwo_sided = true\n', 1
    ).replace('id = "t6"\n', 'id = "t6"\nzone = "dock"\n'))
    result = runner.invoke(app, ["plan", str(scenario), "--report",
                                 str(tmp_path / "r.html")])
    message = result.stderr.strip()
    assert result.exit_code == 2, message
    assert message.startswith(f"error: {scenario}: tasks[5].zone: "), message


def test_sweep_point_too_long_names_the_task_list(tmp_path: Path) -> None:
    """A sweep's design point that makes one task too long (243,000 a
    year: a 48 s cycle, and t4 weighs 50 s) names the task list's cell
    D5 and the point, not '<scenario>: tasks[3]'."""
    scenario = tiny_folder(tmp_path)
    result = runner.invoke(app, [
        "sweep", str(scenario), "--vary", "targets.annual_volume=243000",
        "-r", "1", "--out", str(tmp_path / "s.duckdb"), "--quiet"])
    message = result.stderr.strip()
    assert result.exit_code == 2, message
    assert message.startswith(
        f"error: {tmp_path / 'tasks.csv'}: cell D5: task 't4' takes 50.0 s "
        "on average"), message
    assert "(at design point targets.annual_volume=243000)" in message


def test_simulate_scenario_names_the_task_list(tmp_path: Path) -> None:
    """taktplan simulate of a scenario with a task list: the same cell."""
    scenario = tiny_folder(tmp_path, csv_text=_swap(
        "t2,,assembly,30", "t2,,assembly,300")(TINY_CSV))
    result = runner.invoke(app, ["simulate", str(scenario)])
    message = result.stderr.strip().splitlines()[-1]
    assert result.exit_code == 2, message
    assert message.startswith(
        f"error: {tmp_path / 'tasks.csv'}: cell D3: task 't2' takes 300.0 s "
        "on average"), message


def test_compare_names_the_task_list(tmp_path: Path) -> None:
    """taktplan compare of a scenario whose list has a too-long task: its
    cell, not '<scenario>: tasks[1]'."""
    good = tiny_folder(tmp_path / "a")
    bad = tiny_folder(tmp_path / "b", csv_text=_swap(
        "t2,,assembly,30", "t2,,assembly,300")(TINY_CSV))
    result = runner.invoke(app, ["compare", str(good), str(bad),
                                 "--replications", "2", "--report",
                                 str(tmp_path / "c.html")])
    message = result.stderr.strip().splitlines()[-1]
    assert result.exit_code == 2, message
    assert message.startswith(
        f"error: {tmp_path / 'b' / 'tasks.csv'}: cell D3: task 't2' takes "
        "300.0 s on average"), message


def test_formatted_empty_cells_far_away_are_not_rows(tmp_path: Path) -> None:
    """A workbook whose sheet reaches row 1,048,576 only through a
    formatted empty cell (a format applied too far) is read as its 6
    tasks, not refused as larger than 100,000 rows; reaching column XFD
    too (17 billion cells for openpyxl to yield) is refused at once."""
    from openpyxl import load_workbook
    from openpyxl.styles import Font

    from taktplan.scenario import load_scenario

    scenario = tiny_folder(tmp_path, 'tasks = "tasks.xlsx"', csv_text=None)
    _workbook(tmp_path / "tasks.xlsx", "tasks", _tiny_rows())
    book = load_workbook(tmp_path / "tasks.xlsx")
    book["tasks"].cell(row=1_048_576, column=1).font = Font(bold=True)
    book.save(tmp_path / "tasks.xlsx")
    assert load_scenario(scenario).tasks == load_scenario(
        tiny_folder(tmp_path / "csv")).tasks
    book["tasks"].cell(row=3, column=16_384).font = Font(bold=True)
    book.save(tmp_path / "tasks.xlsx")
    code, message = _check([str(scenario)])
    assert code == 2, message
    assert message.startswith(
        f"error: {tmp_path / 'tasks.xlsx'}: sheet 'tasks': its used range "
        "spans 1,048,576 rows x 16,384 columns"), message
