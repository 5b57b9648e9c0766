"""Bin-packing bounds of the states, the best-first search, node budgets."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from numpy.testing import assert_equal

from taktplan.balance import SalbpProblem, solve_salbp1
from taktplan.balance._binpack import mt_bound
from taktplan.balance.search import run_search
from taktplan.balance.heuristic import greedy_lines
from taktplan.balance.mixed import MixedModelProblem, balance_mixed_model
from taktplan.balance.prepare import fs_bound, fs_weights, prepare
from taktplan.formats.salbp import read_in2

DATA = Path(__file__).resolve().parents[1] / "benchmarks/instances/salbp"

#: Three 60s, no two in one station, and three 45s that fit two by two
#: but never beside a 60: 3 + 2 = 5 stations, while LB1 = ceil(315/100)
#: = 4 and LB2 = LB3 = 3.
SIXTIES = np.array([60, 60, 60, 45, 45, 45], dtype=np.int64)


def test_martello_toth_bound_by_hand() -> None:
    """L2 with k = 45: the 60s alone, 135 of 45s beside them: 3 + 2 = 5."""
    assert mt_bound(SIXTIES, 6, 100) == 5
    # Without the 45s only the three big items count.
    assert mt_bound(SIXTIES, 3, 100) == 3
    # Small items that fill the big ones' room add nothing:
    # 6 + 4 per station, three stations.
    assert mt_bound(np.array([6, 6, 6, 4, 4, 4]), 6, 10) == 3
    assert mt_bound(np.zeros(0, np.int64), 0, 10) == 0


def test_fekete_schepers_weights_by_hand() -> None:
    """u_1 is LB2 (0, 1/2, 1 station); u_2 rounds to halves of a station."""
    w = fs_weights(np.array([[4], [5], [7]]), np.array([10]), count=2)
    # k = 1: 2*4 = 8 < 10 -> 0; 2*5 = 10 exact -> 5; 2*7 = 14 -> 10.
    # k = 2 (times 2): 12 -> 10; 15 -> 10; 21 -> 20.
    assert_equal(w[:, 0, :], [[0, 10], [5, 10], [10, 20]])
    assert fs_bound(w, np.array([10])) == 2  # ceil(15/10), ceil(40/20)


def test_root_bound_uses_martello_toth() -> None:
    """The six-task instance is proved at the root with 5 stations."""
    prep = prepare(SIXTIES[:, None], np.array([100]),
                   np.zeros((0, 2), np.int64))
    assert -(-SIXTIES.sum() // 100) == 4
    assert prep.lower_bound() == 5
    res = solve_salbp1(SalbpProblem(times=SIXTIES,
                                    arcs=np.zeros((0, 2), np.int64)),
                       100, time_limit=10.0)
    assert (res.n_stations, res.lower_bound, res.status) == (5, 5,
                                                             "optimal")


def test_wee_mag_bounds_close_at_the_root() -> None:
    """WEE-MAG c=32 and c=49: L2 and u_4 reach the optima 61 and 32."""
    p = read_in2(DATA / "WEE-MAG.IN2")
    for c, want in ((32, 61), (49, 32)):
        prep = prepare(p.times[:, None], np.array([c]), p.arcs)
        assert prep.lower_bound() == want
        assert -(-int(p.times.sum()) // c) < want


def test_best_first_search_finds_and_proves_an_optimum() -> None:
    """Cyclic best-first alone proves KILBRID c=79 at the table's 7."""
    p = read_in2(DATA / "KILBRID.IN2")
    prep = prepare(p.times[:, None], np.array([79]), p.arcs)
    _, ub = greedy_lines(prep, 5, 0)
    found = run_search(prep, ub + 1, 1, 30.0, best_first=True)
    assert (found.best, found.complete) == (7, True)
    assert found.station_of.max() == 6 and found.nodes > 0
    assert found.work >= found.nodes


def test_node_limit_makes_the_search_stop_and_repeat() -> None:
    """A node budget stops the search the same way on every run."""
    p = read_in2(DATA / "BARTHOLD.IN2")
    runs = [solve_salbp1(p, 403, time_limit=30.0, node_limit=40)
            for _ in range(2)]
    assert runs[0].stations == runs[1].stations
    assert runs[0].nodes == runs[1].nodes <= 40


def test_mixed_model_default_budget_is_in_nodes() -> None:
    """balance_mixed_model repeats itself exactly under its node budget."""
    rng = np.random.default_rng(4)
    n = 24
    arcs = np.array([(i, j) for j in range(1, n) for i in range(j)
                     if rng.random() < 0.1]).reshape(-1, 2)
    problem = MixedModelProblem(
        task_ids=tuple(f"t{i}" for i in range(n)),
        times=rng.uniform(1.0, 9.0, (n, 2)), weights=np.array([0.6, 0.4]),
        arcs=arcs, cycle_time=20.0, variant_limit=24.0)
    a = balance_mixed_model(problem, time_limit=30.0, seed=1)
    b = balance_mixed_model(problem, time_limit=30.0, seed=1)
    assert a.stations == b.stations and a.n_stations >= a.lower_bound
