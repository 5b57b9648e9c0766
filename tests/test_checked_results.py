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
    from taktplan.balance import InvalidLineError, exact, solve_salbp1
    from taktplan.formats.salbp import read_salbp

    def broken(fwd, bwd, ub, station_of, lb, deadline, target=0,
               node_limit=None):
        return 1, np.zeros_like(station_of), 1, 0

    monkeypatch.setattr(exact, "search_both", broken)
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


def test_plan_with_a_lying_verdict_writes_no_report(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """`taktplan plan` whose verdict flips "misses" to "reaches": exit 3."""
    import taktplan.pipeline as pipeline
    from taktplan.plant.check import PlanCheckError

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
    from taktplan.plant.check import PlanCheckError, check_plan

    good = plan(ROOT / "tests" / "data" / "tiny_scenario.toml",
                replications=3, recommend_changes=False)
    check_plan(good)  # the honest plan passes
    out = dataclasses.replace(good.verdict.output,
                              high=good.verdict.output.high + 1.0)
    bad = dataclasses.replace(
        good, verdict=dataclasses.replace(good.verdict, output=out))
    with pytest.raises(PlanCheckError, match="interval"):
        check_plan(bad)
