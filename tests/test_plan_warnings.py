"""Inputs that contradict each other are flagged (issue 16, item 6)."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from taktplan.capacity import takt
from taktplan.cli import app
from taktplan.plant.consistency import scenario_warnings, volumes_in
from taktplan.scenario import load_scenario, parse_scenario

TINY = Path(__file__).parent / "data" / "tiny_scenario.toml"
runner = CliRunner()


def warned(scenario) -> dict[str, str]:
    """The scenario's warnings by field."""
    t = takt(scenario.calendar, scenario.targets.annual_volume,
             scenario.targets.availability)
    return {w.field: w.message for w in scenario_warnings(scenario, t)}


def test_volumes_named_in_text() -> None:
    """"(100,000/yr)", "60000 a year" and "100k/yr" are volumes."""
    assert volumes_in("Relocated LCV plant, phase one (100,000/yr)") == [
        100_000]
    assert volumes_in("60000 a year on one shift; 100k/yr later") == [
        60_000, 100_000]
    assert volumes_in("8 stations at 105 s") == []


def test_builtin_plant_has_no_contradiction() -> None:
    """The built-in plant says one thing: no warnings."""
    assert warned(load_scenario()) == {}


def test_changed_volume_leaves_rampup_title_and_slow_fixed_segment() -> None:
    """60,000 a year on one shift: the ramp-up still climbs to 100,000,
    the title says 100,000, and body (105 s) and paint (110 s) are
    slower than the design cycle 100.4 s."""
    s = load_scenario().with_changes({"targets.annual_volume": 60_000,
                                      "calendar.shifts_per_day": 1})
    got = warned(s)
    assert "100,000 a year" in got["rampup.target_volume_per_year"]
    assert "100,000 a year" in got["meta.name"]
    body = got["segments[0].cycle_time_s"]
    assert "105.0 s a vehicle" in body and "design cycle 100.4 s" in body
    assert "110.0 s a vehicle" in got["segments[1].cycle_time_s"]
    assert "costs" not in got


def test_missing_costs_is_said() -> None:
    """The tiny plant gives no [costs]: the default EUR figures rank
    the changes, and the plan says what they are: a station's 230,000
    holds its operators, which cost nothing on their own (it claimed
    "the built-in plant's figures", whose station is 50,000 plus
    90,000 an operator)."""
    got = warned(load_scenario(TINY))
    assert ("default figures in EUR (buffer place 2,500, station 230,000 "
            "with its operators, operator 0, extra shift 6,300,000 a year)"
            in got["costs"])
    assert set(got) == {"costs"}


def test_compare_without_costs_prices_operators_in_the_station(
        tmp_path: Path) -> None:
    """compare without [costs]: the tiny line's 2 stations at 230,000
    (operators included), its 2 operators at operator_per_year = 0, and
    the second shift at 6,300,000."""
    got = runner.invoke(app, ["compare", str(TINY), str(TINY),
                              "--replications", "2", "--json",
                              "--report", str(tmp_path / "c.html")])
    assert got.exit_code == 0, got.output
    plan = json.loads(got.stdout)["plans"][0]
    assert (plan["stations"], plan["operators"]) == (2, 2)
    assert plan["recommended_change"] is None
    assert plan["cost_per_year"] == 2 * 230_000 + 2 * 0 + 6_300_000


def test_new_line_needs_no_rampup() -> None:
    """Without [rampup]: no move, no climb, demand = target / 50 weeks."""
    data = tomllib.loads(TINY.read_text())
    del data["rampup"]
    s = parse_scenario(data, "new_line.toml")
    r = s.rampup
    assert (r.start_volume_per_year, r.target_volume_per_year) == (
        60_000, 60_000)
    assert r.relocation_window_weeks == 0
    assert r.weekly_demand == pytest.approx(1_200)
    changed = s.with_changes({"targets.annual_volume": 50_000})
    assert changed.rampup.target_volume_per_year == 50_000
    assert "rampup.target_volume_per_year" not in warned(changed)


def test_plan_shows_warnings_in_terminal_json_and_report(
        tmp_path: Path) -> None:
    """The tiny plant without [costs]: the warning is on standard
    error, under "warnings" in --json and at the top of the report."""
    report = tmp_path / "r.html"
    args = ["plan", str(TINY), "--replications", "2", "--report",
            str(report)]
    got = runner.invoke(app, args)
    assert got.exit_code == 0, got.output
    assert "warning: costs: no [costs] table" in " ".join(
        got.stderr.split())
    assert 'id="warnings"' in report.read_text()
    got = runner.invoke(app, [*args, "--json"])
    assert got.exit_code == 0, got.output
    warnings = json.loads(got.stdout)["warnings"]
    assert [w["field"] for w in warnings] == ["costs"]
    # --json: each warning is also one line on standard error (standard
    # output stays the JSON); before, only the JSON had it
    lines = [ln for ln in got.stderr.splitlines() if ln.strip()]
    assert [ln.split(":")[:2] for ln in lines] == [["warning", " costs"]]


def test_compare_json_prints_warnings_on_stderr(tmp_path: Path) -> None:
    """compare --json: each plan's warning, named by file, one line on
    standard error; standard output is the JSON alone."""
    got = runner.invoke(app, ["compare", str(TINY), str(TINY),
                              "--replications", "2", "--json",
                              "--report", str(tmp_path / "c.html")])
    assert got.exit_code == 0, got.output
    json.loads(got.stdout)
    lines = [ln for ln in got.stderr.splitlines() if ln.strip()]
    assert len(lines) == 2, got.stderr
    for line in lines:
        assert line.startswith(f"warning: {TINY}: costs: no [costs] table")


def test_two_sided_rules_on_a_one_sided_segment_are_warned(
        tmp_path: Path) -> None:
    """On a one-sided segment the balance reads no sides, zones, pins
    or together/apart rules: t4 together with t5 planned silently with
    the two on different stations. Now a warning at t4's
    together_with (and one for the sides), in the terminal, the JSON
    and the report; the tiny plant without them has none."""
    from tasklist_helpers import TINY_CSV, tiny_folder

    from taktplan.plant.consistency import one_sided_rule_warnings

    csv = TINY_CSV.replace("predecessors\n", "predecessors,side,"
                           "together_with\n").replace(
        't4,,assembly,50,,,"t2, t3"', 't4,,assembly,50,,,"t2, t3",,t5')
    csv = csv.replace("t1,,assembly,40,,,", "t1,,assembly,40,,,,L")
    scenario = tiny_folder(tmp_path, csv_text=csv)
    report = tmp_path / "r.html"
    args = ["plan", str(scenario), "--replications", "2", "--report",
            str(report)]
    got = runner.invoke(app, args)
    assert got.exit_code == 0, got.output
    text = " ".join(got.stderr.split())
    listed = tmp_path / "tasks.csv"
    assert (f"warning: {listed}: cell I5: together_with of task 't4' is "
            "ignored: segment 'line' is one-sided") in text
    assert f"warning: {listed}: cell H2: side of task 't1' is ignored" in text
    assert "set two_sided = true on the segment or clear together_with" \
        in text
    assert "together_with of task &#x27;t4&#x27; is ignored" in \
        report.read_text()
    got = runner.invoke(app, [*args, "--json"])
    fields = [w["field"] for w in json.loads(got.stdout)["warnings"]]
    assert f"{listed}: cell I5" in fields and f"{listed}: cell H2" in fields
    assert one_sided_rule_warnings(load_scenario(TINY)) == []
    # without a task list's places: the task's key
    keys = one_sided_rule_warnings(load_scenario(scenario))
    assert [w.field for w in keys] == ["tasks[0].side",
                                       "tasks[3].together_with"]


def test_check_shows_the_warnings_that_need_no_solving(
        tmp_path: Path) -> None:
    """check prints the one-sided segment's ignored rules (and the
    missing [costs]) as plan does, on standard error and under
    "warnings" in --json; before, only plan showed them."""
    from tasklist_helpers import TINY_CSV, tiny_folder

    csv = TINY_CSV.replace("predecessors\n", "predecessors,side,"
                           "together_with\n").replace(
        't4,,assembly,50,,,"t2, t3"', 't4,,assembly,50,,,"t2, t3",,t5')
    scenario = tiny_folder(tmp_path, csv_text=csv)
    listed = tmp_path / "tasks.csv"
    got = runner.invoke(app, ["check", str(scenario)])
    assert got.exit_code == 0, got.output
    text = " ".join(got.stderr.split())
    assert (f"warning: {listed}: cell I5: together_with of task 't4' is "
            "ignored: segment 'line' is one-sided") in text
    assert "warning: costs: no [costs] table" in text
    got = runner.invoke(app, ["check", str(scenario), "--json"])
    assert got.exit_code == 0, got.output
    fields = [w["field"] for w in json.loads(got.stdout)["warnings"]]
    assert fields == ["costs", f"{listed}: cell I5"]
    got = runner.invoke(app, ["check", "--json"])  # the built-in plant
    assert json.loads(got.stdout)["warnings"] == []
