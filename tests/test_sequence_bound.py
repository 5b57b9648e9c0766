"""Car sequencing: the two-option lower bound (Lagrangian DP)."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest

from taktplan.formats.carseq import read_carseq
from taktplan.sequence import (
    CarSequencingInstance,
    check_sequence,
    count_violations,
)
from taktplan.sequence.bound import _pair_dp, pair_lower_bound
from taktplan.sequence.construct import greedy_sequence
from taktplan.sequence.localsearch import csplib_problem, run_search

DATA = Path(__file__).resolve().parents[1] / "benchmarks/instances/carseq"


def _excess(y: list[int], p: int, q: int) -> int:
    return sum(max(0, sum(y[s:s + q]) - p) for s in range(len(y) - q + 1))


def _random_instance(rng: np.random.Generator, n: int,
                     m: int) -> CarSequencingInstance:
    n_cls = int(rng.integers(2, 5))
    opts = rng.integers(0, 2, size=(n_cls, m))
    counts = np.zeros(n_cls, dtype=np.int64)
    for c in rng.integers(0, n_cls, size=n):
        counts[c] += 1
    q = rng.integers(2, 5, size=m)
    p = np.array([int(rng.integers(1, qk)) for qk in q])
    return CarSequencingInstance(class_counts=counts, options=opts, p=p,
                                 q=q)


def _brute_optimum(inst: CarSequencingInstance) -> int:
    cars = np.repeat(np.arange(inst.n_classes), inst.class_counts)
    return min(count_violations(inst, np.array(perm))
               for perm in set(itertools.permutations(cars)))


def test_pair_dp_matches_enumeration() -> None:
    rng = np.random.default_rng(1)
    for _ in range(40):
        n = int(rng.integers(3, 9))
        q1, q2 = int(rng.integers(1, 5)), int(rng.integers(1, 5))
        p1, p2 = int(rng.integers(1, q1 + 1)), int(rng.integers(1, q2 + 1))
        n1, n2 = int(rng.integers(0, n + 1)), int(rng.integers(0, n + 1))
        lam = float(rng.choice([-1.0, 0.0, 0.5, 1.0]))
        best = np.inf
        for ones1 in itertools.combinations(range(n), n1):
            y1 = [int(t in ones1) for t in range(n)]
            e1 = _excess(y1, p1, q1)
            for ones2 in itertools.combinations(range(n), n2):
                y2 = [int(t in ones2) for t in range(n)]
                both = len(set(ones1) & set(ones2))
                best = min(best, e1 + _excess(y2, p2, q2) + lam * both)
        assert _pair_dp(n, p1, q1, n1, p2, q2, n2, lam) == pytest.approx(
            best)


def test_pair_bound_is_below_the_optimum() -> None:
    rng = np.random.default_rng(2)
    tight = 0
    for _ in range(30):
        inst = _random_instance(rng, int(rng.integers(4, 8)), 2)
        opt = _brute_optimum(inst)
        for lam in (-1.0, 0.5, 1.0):
            bound = pair_lower_bound(inst, 0, 1, lam)
            assert bound <= opt
            tight += bound == opt > 0
    assert tight > 0


def test_pair_bound_proves_pb_400_03_optimal_at_12() -> None:
    # Options 3 and 5 (1/3 and 1/5): 131 and 80 of 400 cars, only 8 with
    # both. The local search finds 12; the bound says no order has fewer.
    inst = read_carseq(DATA / "pb_400_03.txt")
    assert pair_lower_bound(inst, 2, 4, 1.0) == 12
    assert pair_lower_bound(inst, 2, 4, 0.0) == 0
    found = run_search(csplib_problem(inst), greedy_sequence(inst, seed=0),
                       time_limit=60.0, seed=0, target=12,
                       max_iterations=20_000_000, similar=0.5)
    assert found.objective == 12


def test_pair_bound_on_hard_100_car_instances() -> None:
    # The CSPLib optima of 10-93 (3) and 6-76 (6), proved here by one pair.
    assert pair_lower_bound(read_carseq(DATA / "10-93.txt"), 0, 1) == 3
    assert pair_lower_bound(read_carseq(DATA / "6-76.txt"), 0, 2) == 6


def test_solver_stops_at_the_pair_bound() -> None:
    # 6-76 (optimum 6): the bound proves what the search finds, so the
    # solve ends with status optimal after its first phase, not the limit.
    from taktplan.sequence import solve_car_sequencing

    inst = read_carseq(DATA / "6-76.txt")
    res = solve_car_sequencing(inst, time_limit=20, seed=0,
                               max_iterations=2_000_000)
    assert (res.violations, res.lower_bound, res.status) == (6, 6, "optimal")
    assert res.extra["cpu_s"] < 15


def test_pair_bound_for_tries_the_failing_pairs() -> None:
    # pb_400_01 (open in known.csv, best known 1): options 1 and 3 prove
    # that no order has 0 violations; the work cap is a size, so a small
    # cap skips every pair and leaves the one-option bounds (0 here).
    from taktplan.sequence.bound import pair_bound_for

    inst = read_carseq(DATA / "pb_400_01.txt")
    seq = run_search(csplib_problem(inst), greedy_sequence(inst, seed=0),
                     time_limit=60.0, seed=0, max_iterations=2_000_000,
                     similar=0.5).sequence
    assert pair_bound_for(inst, seq, max_work=3e9) == (1, (0, 2))
    assert pair_bound_for(inst, seq, max_work=1e6) == (0, None)


#: pb_300_05, 28 violations (known.csv: 29): found by
#: ``benchmarks/carseq.py --rows --time-limit 60 --seed 0`` (commit 4effeb8).
PB_300_05_28 = """
19 6 11 7 14 1 16 7 11 14 9 1 15 7 11 5 18 0 14 9 11 5 17 11 5 12 5 15
12 5 14 3 14 4 3 14 5 12 4 5 12 1 14 8 1 14 9 11 4 18 11 5 7 11 5 17 1
14 7 1 15 5 12 14 1 17 5 11 7 14 1 17 5 11 7 14 0 18 5 11 7 15 1 5 7
11 4 18 1 14 7 11 5 13 14 7 11 5 13 14 7 11 5 18 0 14 9 11 5 17 11 5
12 5 14 0 18 14 1 7 15 1 12 5 14 2 5 14 3 14 4 3 14 5 11 8 5 11 9 14 0
18 14 1 14 8 1 14 9 11 11 10 14 1 7 14 0 18 5 11 7 15 1 18 14 11 7 16
1 14 7 11 5 18 0 14 7 11 5 17 1 14 7 1 14 10 11 14 9 11 16 7 11 5 12 6
11 7 14 1 16 7 11 14 18 1 15 7 11 5 18 0 14 9 11 5 8 11 5 12 5 14 2 5
14 3 14 4 3 14 5 12 4 5 12 5 11 8 5 11 9 14 0 18 14 1 7 15 1 12 5 14 2
5 14 3 14 4 3 14 1 14 8 1 14 9 11 4 9 11 5 12 4 5 12 5 14 2 5 14 3 14
0 18 14 1 14 17 1 14 3 14 0 18 5 11 7 11 6 19
"""


def test_pb_300_05_sequence_beats_known_with_28() -> None:
    inst = read_carseq(DATA / "pb_300_05.txt")
    seq = np.array(PB_300_05_28.split(), dtype=np.int64)
    report = check_sequence(inst, seq)
    assert report.violations == 28
    assert report.per_option == (20, 0, 2, 4, 2)
