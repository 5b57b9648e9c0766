"""SALBP-1 and SALBP-2: known optima, the checker, CP-SAT cross-checks."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_equal

from taktplan.balance import (
    InvalidLineError,
    SalbpProblem,
    check_line,
    solve_salbp1,
)
from taktplan.balance.cpsat import solve_salbp1_cpsat
from taktplan.balance.prepare import increment_times, prepare
from taktplan.balance.salbp2 import cycle_lower_bound, solve_salbp2
from taktplan.errors import InputError
from taktplan.formats.salbp import read_in2

DATA = Path(__file__).resolve().parents[1] / "benchmarks/instances/salbp"


def _table(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(newline="") as handle:
        return list(csv.DictReader(handle))


#: One instance per graph, each proved in well under a second in the
#: recorded benchmark run (BENCHMARKS.md), with the table's optimum.
SAMPLE = [
    ("ARC111", 6267, 25), ("ARC83", 6842, 12), ("BARTHOL2", 84, 51),
    ("BARTHOLD", 705, 8), ("BOWMAN8", 20, 5), ("BUXEY", 33, 11),
    ("GUNTHER", 69, 8), ("HAHN", 2806, 6), ("HESKIA", 205, 5),
    ("JACKSON", 13, 4), ("JAESCHKE", 6, 8), ("KILBRID", 110, 6),
    ("LUTZ1", 2020, 8), ("LUTZ2", 18, 28), ("LUTZ3", 92, 19),
    ("MANSOOR", 94, 2), ("MERTENS", 10, 3), ("MITCHELL", 21, 5),
    ("MUKHERJE", 183, 24), ("ROSZIEG", 32, 4), ("SAWYER30", 27, 13),
    ("SCHOLL", 2322, 30), ("TONGE70", 527, 7), ("WARNECKE", 56, 29),
    ("WEE-MAG", 40, 60),
]


def test_sample_covers_every_graph_with_table_optima() -> None:
    """The sample holds each of the 25 graphs once, with the table value."""
    table = {(r["graph"], int(r["cycle_time"])): int(r["optimal_stations"])
             for r in _table("optima.csv")}
    assert len({g for g, _, _ in SAMPLE}) == 25 == len(SAMPLE)
    for g, c, m in SAMPLE:
        assert table[g, c] == m


@pytest.mark.parametrize(("graph", "cycle", "optimum"), SAMPLE)
def test_known_salbp1_optimum_on_every_graph(graph: str, cycle: int,
                                             optimum: int) -> None:
    """Each of the 25 graphs: the table's optimum, found and proved."""
    p = read_in2(DATA / f"{graph}.IN2")
    res = solve_salbp1(p, cycle, time_limit=60.0)
    assert res.n_stations == optimum
    assert res.status == "optimal" and res.lower_bound == optimum
    check_line(res.stations, p.times, p.arcs, cycle)
    assert int(res.loads.max()) <= cycle


@pytest.mark.parametrize(("graph", "cycle", "optimum"), [
    ("JAESCHKE", 6, 8), ("MANSOOR", 48, 4), ("BUXEY", 30, 12),
    ("SAWYER30", 25, 14),
])
def test_known_salbp1_optimum_below_the_largest_cycle(
        graph: str, cycle: int, optimum: int) -> None:
    """More table optima, below each graph's largest cycle time."""
    res = solve_salbp1(read_in2(DATA / f"{graph}.IN2"), cycle,
                       time_limit=20.0)
    assert (res.n_stations, res.status) == (optimum, "optimal")


@pytest.mark.parametrize(("graph", "stations", "cycle"), [
    ("BUXEY", 7, 47), ("BUXEY", 10, 34), ("SAWYER30", 9, 37),
    ("LUTZ1", 8, 1860),
])
def test_known_salbp2_optimum(graph: str, stations: int, cycle: int) -> None:
    """SALBP-2 optima from salbp2_optima.csv."""
    row = [r for r in _table("salbp2_optima.csv")
           if r["graph"] == graph and int(r["stations"]) == stations]
    assert int(row[0]["optimal_cycle_time"]) == cycle
    p = read_in2(DATA / f"{graph}.IN2")
    res = solve_salbp2(p, stations, time_limit=20.0)
    assert res.cycle_time == cycle and res.status == "optimal"
    assert res.n_stations <= stations
    check_line(res.stations, p.times, p.arcs, cycle)


def _random_problem(seed: int, n: int) -> SalbpProblem:
    rng = np.random.default_rng(seed)
    times = rng.integers(1, 10, n)
    arcs = [(int(i), j) for j in range(1, n)
            for i in rng.choice(j, size=min(j, 2), replace=False)
            if rng.random() < 0.5]
    return SalbpProblem(times=times, arcs=np.array(arcs).reshape(-1, 2))


@pytest.mark.parametrize("seed", range(6))
def test_bbr_agrees_with_cpsat_on_small_instances(seed: int) -> None:
    """BB&R and CP-SAT prove the same optimum on random small graphs."""
    p = _random_problem(seed, 14)
    c = int(p.times.max()) + 5 + seed
    ours = solve_salbp1(p, c, time_limit=10.0)
    sat = solve_salbp1_cpsat(p, c, time_limit=20.0)
    assert ours.status == sat.status == "optimal"
    assert ours.n_stations == sat.n_stations


@pytest.mark.parametrize(("graph", "cycle"), [("MERTENS", 7), ("JACKSON", 9),
                                              ("BOWMAN8", 20)])
def test_cpsat_finds_the_table_optimum(graph: str, cycle: int) -> None:
    """The CP-SAT backend on Scholl graphs agrees with the table."""
    want = {(r["graph"], int(r["cycle_time"])): int(r["optimal_stations"])
            for r in _table("optima.csv")}[graph, cycle]
    res = solve_salbp1_cpsat(read_in2(DATA / f"{graph}.IN2"), cycle,
                             time_limit=20.0)
    assert (res.n_stations, res.status) == (want, "optimal")


def test_same_seed_same_line() -> None:
    """Two solves with one seed give the same stations."""
    p = read_in2(DATA / "KILBRID.IN2")
    a = solve_salbp1(p, 79, seed=3, time_limit=10.0)
    b = solve_salbp1(p, 79, seed=3, time_limit=10.0)
    assert a.stations == b.stations


def test_checker_rejects_each_kind_of_fault() -> None:
    """Overload, broken precedence, a missing and a doubled task fail."""
    times = np.array([3, 4, 5])
    arcs = np.array([[0, 1], [1, 2]])
    check_line([[0, 1], [2]], times, arcs, 7)
    for bad, words in [([[0, 1, 2]], "exceeds"), ([[1], [0], [2]], "follow"),
                       ([[0, 1]], "no station"),
                       ([[0, 1], [1, 2]], "stations 1 and 2")]:
        with pytest.raises(InvalidLineError, match=words):
            check_line(bad, times, arcs, 12 if "and" in words else 7)


def test_bounds_of_a_hand_worked_instance() -> None:
    """LB1 = ceil(27/10) = 3 but LB2 = ceil(3 + 1/2) = 4, the optimum."""
    times = np.array([[6], [6], [6], [5], [4]])
    prep = prepare(times, np.array([10]), np.array([[0, 1], [1, 2]]))
    # Three 6s pairwise apart (weight 1 each) and a 5 of exactly half
    # the cycle (weight 1/2): in halves 2 + 2 + 2 + 1 = 7.
    assert_equal(prep.w2.sum(), 7)
    assert prep.lower_bound() == 4
    assert_equal(increment_times(np.array([3, 6, 9]), 10), [3, 6, 10])
    assert cycle_lower_bound(np.array([5, 4, 4, 1]), 2) == 8


def test_cycle_shorter_than_a_task_is_input_error() -> None:
    """A cycle below the longest task time raises InputError."""
    with pytest.raises(InputError, match="longer than the cycle"):
        solve_salbp1(read_in2(DATA / "MERTENS.IN2"), 5)
