"""Results that cannot lie: a broken solver becomes an error, not an answer.

Each test breaks a solver on purpose (monkeypatch) and shows that the
independent checker stops the wrong line or sequence before it is
returned or printed.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from taktplan.cli import app

ROOT = Path(__file__).resolve().parents[1]
JACKSON = ROOT / "benchmarks" / "instances" / "salbp" / "JACKSON.IN2"
TINY_CSPLIB = "5 2 3\n1 2\n2 3\n0 2 1 0\n1 2 0 1\n2 1 1 1\n"


def _fails_with(result: object, error: type[BaseException]) -> None:
    """The command's checker raised ``error``: one line, exit 3, no answer."""
    from taktplan.errors import ResultCheckError

    assert issubclass(error, ResultCheckError)
    assert result.exit_code == 3, result.output  # type: ignore[attr-defined]
    lines = result.stderr.strip().splitlines()  # type: ignore[attr-defined]
    assert len(lines) == 1 and "internal check failed" in lines[0]
    assert "Traceback" not in result.stderr  # type: ignore[attr-defined]
    assert '"stations"' not in result.stdout  # type: ignore
    assert '"sequence"' not in result.stdout  # type: ignore


def test_exact_balancer_with_a_broken_search_raises(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A search that puts every task on station 0 fails the checker."""
    from taktplan.balance import InvalidLineError, exact
    from taktplan.balance.search import RoundsOutcome
    from taktplan.formats.salbp import read_salbp

    def broken(fwd, bwd, ub, station_of, lb, deadline, target=0,
               node_limit=None, work_limit=None, lead=None):
        return RoundsOutcome(1, np.zeros_like(station_of), 1, 0, 0, False)

    def one_task_a_station(prep, restarts, seed):
        n = prep.times.shape[0]  # above the bound: the search runs
        return np.arange(n, dtype=np.int64), n

    monkeypatch.setattr(exact, "greedy_lines", one_task_a_station)
    monkeypatch.setattr(exact, "search_both", broken)
    with pytest.raises(InvalidLineError, match="exceeds"):
        exact.solve_exact(read_salbp(JACKSON), 7, time_limit=1)


def test_small_balancer_with_a_broken_search_raises(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The plain-Python path for small instances is checked the same way."""
    from taktplan.balance import InvalidLineError, small, solve_salbp1
    from taktplan.formats.salbp import read_salbp

    def broken(times, preds, cap):
        return [0] * len(times)

    monkeypatch.setattr(small, "fewest_stations", broken)
    with pytest.raises(InvalidLineError, match="exceeds"):
        solve_salbp1(read_salbp(JACKSON), 7, time_limit=1)


def test_balance_command_checks_the_line(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """`taktplan balance` with a solver that swaps two stations: error."""
    import taktplan.balance as balance
    from taktplan.balance import InvalidLineError

    real = balance.solve_salbp1

    def swapped(problem, cycle_time=None, **kwargs):
        good = real(problem, cycle_time, **kwargs)
        stations = (good.stations[1], good.stations[0], *good.stations[2:])
        return dataclasses.replace(good, stations=stations)

    monkeypatch.setattr(balance, "solve_salbp1", swapped)
    # JACKSON's 11 tasks take the plain-Python path: swap its stations too
    real_small = balance.solve_small

    def swapped_small(times, arcs, cycle_time):
        good = real_small(times, arcs, cycle_time)
        stations = (good.stations[1], good.stations[0], *good.stations[2:])
        return dataclasses.replace(good, stations=stations)

    monkeypatch.setattr(balance, "solve_small", swapped_small)
    result = CliRunner().invoke(app, ["balance", str(JACKSON),
                                      "--cycle-time", "7", "--json"])
    _fails_with(result, InvalidLineError)


def test_car_sequencing_with_a_broken_search_raises(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A local search that drops a car fails the checker inside solve."""
    from taktplan.sequence import (
        CarSequencingInstance,
        SequenceCheckError,
        solve_car_sequencing,
    )
    from taktplan.sequence import solve as solve_module

    real = solve_module.run_search

    def broken(problem, start, **kwargs):
        out = real(problem, start, **kwargs)
        wrong = np.array(out.sequence, copy=True)
        wrong[0] = (wrong[0] + 1) % 3  # one car of the wrong class
        return dataclasses.replace(out, sequence=wrong, objective=0)

    monkeypatch.setattr(solve_module, "run_search", broken)
    inst = CarSequencingInstance(np.array([2, 2, 1]),
                                 np.array([[1, 0], [0, 1], [1, 1]]),
                                 np.array([1, 2]), np.array([2, 3]))
    with pytest.raises(SequenceCheckError, match="class"):
        solve_car_sequencing(inst, time_limit=2, seed=0, exact=False)


def test_sequence_command_checks_the_claimed_violations(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """`taktplan sequence` with a solver that under-reports: error."""
    import taktplan.sequence as sequence
    from taktplan.sequence import SequenceCheckError

    def lying(instance, **kwargs):
        seq = np.repeat(np.arange(instance.n_classes), instance.class_counts)
        return sequence.SequenceResult(
            sequence=seq, violations=0,
            violations_per_option=np.zeros(instance.n_options, dtype=int),
            violation_mask=np.zeros((seq.size, instance.n_options), bool),
            lower_bound=0, status="optimal", runtime_s=0.0)

    monkeypatch.setattr(sequence, "solve_car_sequencing", lying)
    path = tmp_path / "tiny.txt"
    path.write_text(TINY_CSPLIB)
    result = CliRunner().invoke(app, ["sequence", str(path), "--format",
                                      "csplib", "--json"])
    _fails_with(result, SequenceCheckError)


def test_roadef_command_checks_the_objective(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """`taktplan sequence --format roadef` with a wrong objective: error."""
    import taktplan.sequence.roadef as roadef

    corpus = ROOT / "tests" / "bad_inputs" / "roadef" / "ratio_text"
    folder = tmp_path / "tiny"
    folder.mkdir()
    for name in ("paint_batch_limit.txt", "optimization_objectives.txt",
                 "vehicles.txt"):
        (folder / name).write_bytes((corpus / name).read_bytes())
    (folder / "ratios.txt").write_text(
        "Ratio;Prio;Ident;\n1/2;1;HPRC1;\n2/3;0;LPRC1;\n")
    real = roadef.solve_roadef

    def lying(instance, **kwargs):
        good = real(instance, **kwargs)
        return dataclasses.replace(good, objective=good.objective - 1)

    monkeypatch.setattr(roadef, "solve_roadef", lying)
    result = CliRunner().invoke(app, ["sequence", str(folder), "--format",
                                      "roadef", "--json"])
    from taktplan.sequence import SequenceCheckError

    _fails_with(result, SequenceCheckError)


def test_an_honest_solver_still_prints(tmp_path: Path) -> None:
    """Unpatched, the same tiny CSPLib file prints its checked answer."""
    path = tmp_path / "tiny.txt"
    path.write_text(TINY_CSPLIB)
    result = CliRunner().invoke(app, ["sequence", str(path), "--format",
                                      "csplib", "--time-limit", "2",
                                      "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["violations"] == 0


LINE_TOML = """buffers = [2, 2]
horizon = 2000.0
warmup = 100.0
replications = 2
[[stations]]
name = "M1"
cycle_time = 1.0
mtbf = 50.0
mttr = 5.0
[[stations]]
name = "M2"
cycle_time = 1.2
mtbf = 80.0
mttr = 4.0
[[stations]]
name = "M3"
cycle_time = 1.0
"""


def _three_stations():  # type: ignore[no-untyped-def]
    from taktplan.simulate import Line, Station

    return Line(tuple(Station(n, np.array([t]), mtbf=60.0, mttr=5.0)
                      for n, t in (("A", 1.0), ("B", 1.2), ("C", 1.0))),
                (2, 2))


def _break_kernel(monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    """Patch the serial kernel so one of its outputs is wrong."""
    from taktplan.simulate import serial_kernel

    real = serial_kernel.run_serial

    def broken(*args):  # type: ignore[no-untyped-def]
        acc, hist, who, best, bs, be, sums, seg = real(*args)
        if how == "fractions":
            acc[1, 2] += 0.01 * (args[17] - args[16])  # starved too long
        elif how == "departures":
            sums[0] *= 2  # twice the jobs out
            sums[6] -= sums[0] / 2
        elif how == "conservation":
            sums[4] += 1  # a job comes in from nowhere
        elif how == "buffer":
            hist[0, 0] *= 0.5  # half the empty time lost
        return acc, hist, who, best, bs, be, sums, seg

    monkeypatch.setattr(serial_kernel, "run_serial", broken)


@pytest.mark.parametrize(("how", "match"), [
    ("fractions", "summing to 1"), ("departures", "capacity"),
    ("conservation", "not conserved"), ("buffer", "buffer after A")])
def test_simulate_with_a_broken_kernel_raises(
        monkeypatch: pytest.MonkeyPatch, how: str, match: str) -> None:
    """Each broken kernel output is stopped by check_simulation."""
    from taktplan.simulate import simulate
    from taktplan.simulate.check import SimulationCheckError

    _break_kernel(monkeypatch, how)
    with pytest.raises(SimulationCheckError, match=match):
        simulate(_three_stations(), horizon=2000.0, warmup=100.0,
                 replications=2, seed=1, workers=1)


def test_simulate_command_checks_the_result(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """`taktplan simulate --json` with a broken kernel prints nothing."""
    from taktplan.simulate.check import SimulationCheckError

    path = tmp_path / "line.toml"
    path.write_text(LINE_TOML)
    _break_kernel(monkeypatch, "fractions")
    result = CliRunner().invoke(app, ["simulate", str(path), "--json"])
    _fails_with(result, SimulationCheckError)


def test_check_simulation_on_edited_results() -> None:
    """A checked result passes; edited fields (shares, WIP) do not."""
    from taktplan.simulate import simulate
    from taktplan.simulate.check import (
        SimulationCheckError,
        check_simulation,
        throughput_bound,
    )

    line = _three_stations()
    good = simulate(line, horizon=2000.0, warmup=100.0, replications=2,
                    seed=3, workers=1)
    check_simulation(line, good)
    rep = good.replications[0]
    # B (1.2) bounds the rate: 1/1.2, plus a job being done and one
    # done before the window, plus what the buffer and C hold (3)
    assert throughput_bound(line, 2000.0) == pytest.approx(
        (2000 / 1.2 + 2 + 3) / 2000)
    for field, value, match in (
            ("momentary_share", rep.momentary_share + 0.5, "momentary"),
            ("wip", 99.0, "WIP"), ("wip", -0.1, "WIP"),
            ("throughput", rep.throughput + 0.01, "departures")):
        bad = dataclasses.replace(rep, **{field: value})
        wrong = dataclasses.replace(
            good, replications=(bad, *good.replications[1:]))
        with pytest.raises(SimulationCheckError, match=match):
            check_simulation(line, wrong)


def test_plan_with_a_lying_verdict_writes_no_report(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """`taktplan plan` whose verdict flips "misses" to "reaches": exit 3."""
    import taktplan.pipeline as pipeline
    from taktplan.plan_check import PlanCheckError

    real = pipeline.make_verdict

    def lying(scenario, result, output):  # noqa: ANN001, ANN202
        good = real(scenario, result, output)
        return dataclasses.replace(good, meets_target=not good.meets_target)

    monkeypatch.setattr(pipeline, "make_verdict", lying)
    report = tmp_path / "report.html"
    result = CliRunner().invoke(app, [
        "plan", str(ROOT / "tests" / "data" / "tiny_scenario.toml"),
        "--quiet", "--report", str(report), "--replications", "2"])
    _fails_with(result, PlanCheckError)
    assert not report.exists()


def test_plan_checker_names_a_wrong_interval() -> None:
    """A plan whose interval is not the years' t-interval fails the check."""
    from taktplan.pipeline import plan
    from taktplan.plan_check import PlanCheckError, check_plan

    good = plan(ROOT / "tests" / "data" / "tiny_scenario.toml",
                replications=3, recommend_changes=False)
    check_plan(good)  # the honest plan passes
    out = dataclasses.replace(good.verdict.output,
                              high=good.verdict.output.high + 1.0)
    bad = dataclasses.replace(
        good, verdict=dataclasses.replace(good.verdict, output=out))
    with pytest.raises(PlanCheckError, match="interval"):
        check_plan(bad)
