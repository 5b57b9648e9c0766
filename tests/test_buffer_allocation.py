"""Buffer allocation: exact search against exhaustive enumeration."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from typer.testing import CliRunner

from taktplan.cli import app
from taktplan.errors import InputError
from taktplan.experiment.buffer_plan import parse_limits
from taktplan.experiment.buffers import (
    allocate_buffers,
    enumerate_allocations,
    neighbours,
)
from taktplan.experiment.evaluators import evaluator_for
from taktplan.experiment.runner import read_input

ROOT = Path(__file__).resolve().parents[1]
FOUR = ROOT / "examples" / "four_machine_line.toml"
runner = CliRunner()


def separable(alloc: tuple[int, ...]) -> float:
    """A hand-checkable throughput: each buffer recovers part of a loss."""
    losses = (0.20, 0.05, 0.10)
    th = 1.0
    for b, loss in zip(alloc, losses, strict=True):
        th *= 1.0 - loss / (1.0 + b)
    return th


def test_hand_worked_separable_case() -> None:
    """Target 0.84: buffers (2, 0, 1), total 3 -- worked out by hand."""
    # Total 2 at best: (1,0,1) = .9 * .95 * .95 = .812 < .84.
    # Total 3: (2,0,1) = .9333 * .95 * .95 = .8423, the best of the ten
    # (next (1,1,1) = .9 * .975 * .95 = .8336).
    got = allocate_buffers(separable, 0.84, lower=(0, 0, 0),
                           upper=(10, 10, 10), max_total=20)
    brute = enumerate_allocations(separable, 0.84, lower=(0, 0, 0),
                                  upper=(10, 10, 10), max_total=20)
    assert got.status == "optimal"
    assert got.allocation == brute[0] == (2, 0, 1)
    assert math.isclose(got.throughput, (1 - 0.2 / 3) * 0.95 * 0.95)
    assert got.bound == got.objective == 3


@pytest.mark.parametrize("target", [0.70, 0.80, 0.86, 0.90, 0.93, 0.95])
def test_search_equals_enumeration(target: float) -> None:
    """Same least total and allocation as enumerating totals <= 20."""
    lo, hi = (0, 1, 0), (8, 9, 10)
    got = allocate_buffers(separable, target, lower=lo, upper=hi,
                           max_total=20)
    brute = enumerate_allocations(separable, target, lower=lo, upper=hi,
                                  max_total=20)
    if brute is None:
        assert got.status == "infeasible"
        assert got.allocation is None
    else:
        assert got.status == "optimal"
        assert got.allocation == brute[0]


def test_curve_is_best_per_total_and_rises() -> None:
    """The trade-off curve gives the enumerated best at every total."""
    got = allocate_buffers(separable, 0.9, lower=(0, 0, 0),
                           upper=(6, 6, 6), max_total=12)
    for point in got.curve:
        best = max(separable((a, b, point.total - a - b))
                   for a in range(7) for b in range(7)
                   if 0 <= point.total - a - b <= 6)
        assert point.exact
        assert math.isclose(point.throughput, best)
    ths = [p.throughput for p in got.curve]
    assert ths == sorted(ths)


def test_neighbours_respect_limits() -> None:
    """One less at a buffer, or one moved, inside the limits."""
    got = neighbours((1, 0), (0, 0), (1, 5))
    assert sorted(got) == [(0, 0), (0, 1)]


def test_limits_parse_and_errors() -> None:
    """--limits: one for all, one per buffer, MIN:MAX; bad ones refused."""
    assert parse_limits(None, 2, 7) == ((0, 0), (7, 7))
    assert parse_limits("4", 3, 9) == ((0, 0, 0), (4, 4, 4))
    assert parse_limits("1:4,6,0:0", 3, 9) == ((1, 0, 0), (4, 6, 0))
    for bad in ("1,2", "x", "5:2"):
        with pytest.raises(InputError):
            parse_limits(bad, 3, 9)


class Decomposition(dict):  # type: ignore[type-arg]
    """Decomposition throughput of the 4-machine line, cached by
    allocation (the search's optimistic bounds go beyond total 20)."""

    def __init__(self) -> None:
        super().__init__()
        raw, source = read_input(FOUR)
        self.line = evaluator_for(raw, source).prepare(raw, source).line

    def __missing__(self, alloc: tuple[int, ...]) -> float:
        from dataclasses import replace

        from taktplan.simulate.analytic import decomposition_throughput

        value = decomposition_throughput(replace(self.line, buffers=alloc))
        self[alloc] = value
        return value


@pytest.fixture(scope="module")
def four_machine_table() -> Decomposition:
    """The analytic evaluator shared by search and enumeration."""
    return Decomposition()


@pytest.mark.parametrize("target_jph", [43.0, 44.5, 45.0, 45.6, 46.0,
                                        46.4, 47.0])
def test_four_machine_line_matches_enumeration(
        four_machine_table: Decomposition,
        target_jph: float) -> None:
    """Textbook 4-machine line: the enumerated allocation, total <= 20."""
    target = target_jph / 60.0  # the line's clock is in minutes
    got = allocate_buffers(four_machine_table.__getitem__, target,
                           lower=(0, 0, 0), upper=(20, 20, 20),
                           max_total=20)
    brute = enumerate_allocations(four_machine_table.__getitem__, target,
                                  lower=(0, 0, 0), upper=(20, 20, 20),
                                  max_total=20)
    if brute is None:
        assert got.status == "infeasible"
    else:
        assert got.status == "optimal"
        assert got.allocation == brute[0]
        assert got.throughput == brute[1]


def test_optimize_buffers_json_confirms_by_simulation(
        tmp_path: Path) -> None:
    """optimize-buffers --json: winner, neighbours simulated, curve."""
    line = tmp_path / "four.toml"
    line.write_text(FOUR.read_text().replace("horizon = 20000.0",
                                             "horizon = 3000.0"))
    got = runner.invoke(app, ["optimize-buffers", str(line), "--target",
                              "45", "--max-total", "12", "--limits", "8",
                              "-r", "3", "--seed", "2", "--json"])
    assert got.exit_code == 0, got.output
    out = json.loads(got.stdout)
    assert out["status"] == "optimal"
    assert sum(out["allocation"]) == out["total"] == out["bound"]
    assert out["analytic_jph"] >= 45.0
    sim = out["simulated"]
    assert sim["allocation"] == out["allocation"]
    assert sim["replications"] == 3
    assert sim["ci95_jph"][0] <= sim["simulated_jph"] <= sim["ci95_jph"][1]
    smaller = [n for n in out["neighbours"] if n["total"] < out["total"]]
    assert smaller and all(n["analytic_jph"] < 45.0 for n in smaller)
    assert [c["total"] for c in out["curve"]] == list(
        range(0, min(12, out["total"] + 5) + 1))
    assert all(0 <= b <= 8 for b in out["allocation"])


def test_optimize_buffers_bad_target_exits_2() -> None:
    """A target of 0 is an input error (exit 2)."""
    got = runner.invoke(app, ["optimize-buffers", str(FOUR), "--target",
                              "0"])
    assert got.exit_code == 2


def _short_line(tmp_path: Path) -> Path:
    line = tmp_path / "four.toml"
    line.write_text(FOUR.read_text().replace("horizon = 20000.0",
                                             "horizon = 3000.0"))
    return line


def test_optimize_buffers_says_plainly_when_none_reaches(
        tmp_path: Path) -> None:
    """At most 11 places: the analytic winner [3, 8, 0] promises 45.10
    jobs/h but simulates 44.73; no tried allocation reaches 45, and the
    command says so with the best found instead of naming a winner."""
    line = _short_line(tmp_path)
    args = ["optimize-buffers", str(line), "--target", "45", "--max-total",
            "11", "--limits", "8", "-r", "3", "--seed", "2"]
    got = runner.invoke(app, [*args, "--json"])
    assert got.exit_code == 0, got.output
    out = json.loads(got.stdout)
    assert out["allocation"] == [3, 8, 0]
    assert out["analytic_jph"] >= 45.0
    assert out["meets_target"] is False and out["answer"] is None
    sims = [c["simulated_jph"] for c in out["tried"]]
    assert max(sims) < 45.0
    assert out["best_found"]["simulated_jph"] == max(sims)
    text = runner.invoke(app, args)
    assert text.exit_code == 0, text.output
    flat = " ".join(text.stdout.split())
    assert "None of the 6 simulated allocations reaches 45.00 jobs/h" in flat
    assert "Least total buffer" not in flat


def test_optimize_buffers_answer_reaches_the_target_in_simulation(
        tmp_path: Path) -> None:
    """The README's example: the analytic winner (11 places) simulates
    below 45, so the answer is the least total of the simulated
    allocations whose mean reaches 45, with its 95% CI."""
    got = runner.invoke(app, ["optimize-buffers", str(FOUR), "--target", "45",
                              "--max-total", "20", "--limits", "10", "-r",
                              "10", "--json"])
    assert got.exit_code == 0, got.output
    out = json.loads(got.stdout)
    assert out["total"] == 11 and out["simulated"]["simulated_jph"] < 45.0
    ans = out["answer"]
    assert out["meets_target"] is True
    assert ans["simulated_jph"] >= 45.0
    assert ans["ci95_jph"][0] <= ans["simulated_jph"] <= ans["ci95_jph"][1]
    reaching = [c for c in out["tried"] if c["simulated_jph"] >= 45.0]
    assert ans["total"] == min(c["total"] for c in reaching) == 12
    assert ans["allocation"] == [3, 9, 0]
