"""`taktplan compare`, common random numbers, and plans on executors."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TypeVar

import numpy as np
import pytest
from typer.testing import CliRunner

from taktplan.cli import app
from taktplan.compare import paired_difference
from taktplan.simulate import Line, Station, simulate
from taktplan.simulate.over_time import OverTime

DATA = Path(__file__).parent / "data"
TINY = DATA / "tiny_scenario.toml"
FREE = DATA / "tiny_scenario_free.toml"
BAD = Path(__file__).parent / "bad_inputs" / "scenario" / "cycle.toml"
T = TypeVar("T")
R = TypeVar("R")


@pytest.fixture(scope="module")
def compared(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The tiny plant against itself with free stations, 3 years each."""
    out = tmp_path_factory.mktemp("compare")
    result = CliRunner().invoke(app, [
        "compare", str(TINY), str(FREE), str(TINY), "--json",
        "--replications", "3", "--report", str(out / "compare.html")])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_compare_json_keys(compared: dict[str, object]) -> None:
    """One plan per file in the order given, with the contract's keys;
    one difference per later plan with its ci95 pair."""
    plans = compared["plans"]
    assert isinstance(plans, list)
    assert [p["scenario"] for p in plans] == [str(TINY), str(FREE),
                                              str(TINY)]
    for p in plans:
        for key in ("scenario", "annual_output",
                    "probability_reaching_target", "stations",
                    "bottleneck", "cost_per_year"):
            assert key in p
        assert p["stations"] == 2
        # one operator at each of the one-sided line's two stations
        assert p["operators"] == 2
        assert p["operators_per_segment"] == {"line": 2}
        assert p["rampup_reached_within_horizon"] is True
    diffs = compared["differences"]
    assert isinstance(diffs, list) and len(diffs) == 2
    for d in diffs:
        lo, hi = d["annual_output"]["ci95"]
        assert lo <= d["annual_output"]["mean"] <= hi
    # common random numbers: the same plan twice differs by nothing
    assert diffs[1]["annual_output"] == {"mean": 0.0, "ci95": [0.0, 0.0]}
    assert plans[0]["annual_output"] == plans[2]["annual_output"]
    # the free line's difference is the paired years' difference
    first = plans[0]["annual_output"]
    assert diffs[0]["annual_output"]["mean"] == pytest.approx(
        plans[1]["annual_output"] - first)


def test_compare_report_names_each_plan(
        compared: dict[str, object]) -> None:
    """The report's table has the operators row, and its loss tree one
    bar per plan, named by the plan (not "whole line" and "segment B")."""
    page = Path(str(compared["report"])).read_text()
    assert "Operators a shift" in page
    assert "A: Tiny plant, at its output" in page
    assert "segment B:" not in page and "whole line, at its output" not in page


def test_paired_difference_is_a_t_interval() -> None:
    """Differences 1, 2, 3: mean 2, half-width t(0.975, 2) * 1 / sqrt 3."""
    d = paired_difference("b", np.array([10.0, 10.0, 10.0]),
                          np.array([11.0, 12.0, 13.0]))
    assert d.mean == 2.0
    assert d.high - d.mean == pytest.approx(4.302652729911275 / 3 ** 0.5)


@pytest.mark.parametrize(("args", "named"), [
    ([str(TINY)], str(TINY)),
    ([str(TINY), str(DATA / "missing.toml")], "missing.toml"),
    ([str(TINY), str(BAD)], "cycle.toml"),
])
def test_compare_bad_input_exits_2_naming_the_file(
        tmp_path: Path, args: list[str], named: str) -> None:
    """Fewer than two scenarios, a missing or bad file: exit 2, one line
    naming the file, no report written."""
    report = tmp_path / "c.html"
    result = CliRunner().invoke(app, ["compare", *args, "--report",
                                      str(report)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and named in lines[0]
    assert not report.exists()


class Reversed:
    """An executor that runs tasks last to first (any order must do)."""

    def imap_unordered(self, fn: Callable[[T], R],
                       tasks: Sequence[T]) -> Iterator[R]:
        """Yield ``fn(task)`` from the last task to the first."""
        for task in reversed(tasks):
            yield fn(task)


def _line() -> Line:
    st = tuple(Station(f"M{i}", [1.0, 1.4], mtbf=50.0, mttr=5.0)
               for i in range(4))
    return Line(st, (2, 0, 3), ((1, 2),))


def test_executor_gives_the_same_numbers() -> None:
    """Replications on an executor (in any order) equal the threads'."""
    kw = {"horizon": 2000.0, "warmup": 50.0, "replications": 4, "seed": 9,
          "over_time": OverTime(100.0, 0.0, 200.0)}
    here = simulate(_line(), **kw)
    there = simulate(_line(), **kw, executor=Reversed())
    assert [r.throughput for r in there.replications] == \
        [r.throughput for r in here.replications]
    np.testing.assert_array_equal(there.fractions, here.fractions)
    np.testing.assert_array_equal(there.output_bins, here.output_bins)
    assert there.replications[0].trace is not None


@pytest.mark.xdist_group("dask")
def test_dask_cluster_gives_the_same_numbers() -> None:
    """A local Dask cluster of one worker process: the same numbers."""
    from taktplan.experiment.executors import local_cluster_executor

    kw = {"horizon": 2000.0, "warmup": 50.0, "replications": 3, "seed": 4}
    here = simulate(_line(), **kw)
    executor = local_cluster_executor(1)
    try:
        there = simulate(_line(), **kw, executor=executor)
    finally:
        executor.close()
    assert [r.throughput for r in there.replications] == \
        [r.throughput for r in here.replications]
    np.testing.assert_array_equal(there.fractions, here.fractions)


def test_operators_of_a_two_sided_parallel_segment(tmp_path: Path) -> None:
    """The tiny plant two-sided with its segment doubled: one mated
    station of two operators, twice: 4 operators a shift, costed at
    operator_per_year in the line's cost (fixed segments would count
    none)."""
    from types import SimpleNamespace

    from taktplan.comparison_json import line_cost_per_year, segment_operators
    from taktplan.plant.balance_stage import balance_plant
    from taktplan.scenario import load_scenario

    text = TINY.read_text().replace(
        'kind = "balanced"\n',
        'kind = "balanced"\ntwo_sided = true\nparallel = 2\npaced = false\n')
    text = text.replace('id = "t1"\n', 'id = "t1"\nside = "L"\n')
    text = text.replace('id = "t3"\n', 'id = "t3"\nside = "R"\n')
    path = tmp_path / "two.toml"
    path.write_text(text + "\n[costs]\noperator_per_year = 1000\n"
                    "station_per_year = 0\nextra_shift_per_year = 0\n")
    scenario = load_scenario(path)
    plan = SimpleNamespace(scenario=scenario,
                           balance=balance_plant(scenario, 194.4),
                           line=None, recommendation=None)
    assert segment_operators(plan) == {"line": 4}  # type: ignore[arg-type]
    assert line_cost_per_year(plan) == 4000.0  # type: ignore[arg-type]
