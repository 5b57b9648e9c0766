"""The covering-LP bound (taktplan.balance.cover): hand-worked cases,
the loads enumerated against brute force, and never above a proved
optimum (Scholl's set, generated lines checked by CP-SAT)."""

from __future__ import annotations

import csv
import itertools
from pathlib import Path

import numpy as np
import pytest
from conftest import load_benchmark

from taktplan.balance import SalbpProblem
from taktplan.balance.cover import convex_loads, cover_bound
from taktplan.balance.cpsat import solve_salbp1_cpsat
from taktplan.balance.prepare import prepare
from taktplan.balance.problem import transitive_closure
from taktplan.formats.salbp import read_in2

DATA = Path(__file__).resolve().parents[1] / "benchmarks/instances/salbp"
gen = load_benchmark("salbpgen")


def _bound(times: list[int], arcs: list[tuple[int, int]], cap: int,
           max_loads: int = 300_000) -> int:
    prep = prepare(np.array(times)[:, None], np.array([cap]),
                   np.array(arcs, np.int64).reshape(-1, 2), increment=False)
    return cover_bound(prep.closure, prep.times[:, 0], cap, prep.pred_ptr,
                       prep.pred_idx, max_loads)


def test_chain_is_next_fit() -> None:
    """60 -> 60 -> 40 -> 40 at c = 100: only consecutive tasks share, the
    LP over intervals of a chain is integral: 3 (next fit)."""
    assert _bound([60, 60, 40, 40], [(0, 1), (1, 2), (2, 3)], 100) == 3


def test_triangle_of_halves_is_one_and_a_half() -> None:
    """Three unrelated tasks of 50 at c = 100: any two share, the LP
    covers with three halves of pairs (1.5), rounded up to 2 (the
    optimum); a task of 10 (fits beside one of them) changes nothing."""
    assert _bound([50, 50, 50], [], 100) == 2
    assert _bound([50, 50, 50, 10], [], 100) == 2


def test_task_between_must_come_along() -> None:
    """a -> b -> c with 50, 60, 50 at c = 100: a and c fit by time but
    b lies between them, so no two share: 3 stations."""
    assert _bound([50, 60, 50], [(0, 1), (1, 2)], 100) == 3


def test_too_many_loads_gives_up() -> None:
    """Twenty unrelated tasks of 1 at c = 100: 2**20 loads, over a cap
    of 1,000: 0 (skipped)."""
    assert _bound([1] * 20, [], 100, max_loads=1_000) == 0


def test_loads_against_brute_force() -> None:
    """Random 9-task orders: every convex load that fits is contained in
    a load returned, and every load returned is convex and fits."""
    rng = np.random.default_rng(3)
    for _ in range(30):
        n = 9
        arcs = [(i, j) for i in range(n) for j in range(i + 1, n)
                if rng.random() < 0.25]
        t = rng.integers(5, 60, n).astype(np.int64)
        cap = 100
        cl = transitive_closure(n, np.array(arcs, np.int64).reshape(-1, 2))
        prep = prepare(t[:, None], np.array([cap]),
                       np.array(arcs, np.int64).reshape(-1, 2),
                       increment=False)
        order = np.argsort(cl.sum(axis=0), kind="stable").astype(np.int64)
        ptr, idx, nodes = convex_loads(t, cap, prep.closure, prep.pred_ptr,
                                       prep.pred_idx, order, 10**6)
        assert nodes > 0
        got = [frozenset(idx[ptr[r]:ptr[r + 1]].tolist())
               for r in range(ptr.size - 1)]

        def convex(s: frozenset[int]) -> bool:
            return all(k in s for i in s for j in s for k in range(n)
                       if cl[i, k] and cl[k, j])

        for s in got:
            assert convex(s) and t[list(s)].sum() <= cap
        for size in range(1, n + 1):
            for combo in itertools.combinations(range(n), size):
                s = frozenset(combo)
                if t[list(combo)].sum() <= cap and convex(s):
                    assert any(s <= g for g in got), s


def test_never_above_the_scholl_optima() -> None:
    """All 269 Scholl instances whose loads number at most 300,000: at
    most the optimum."""
    with open(DATA / "optima.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    graphs: dict[str, SalbpProblem] = {}
    tried = 0
    for row in rows:
        g, c = row["graph"], int(row["cycle_time"])
        opt = int(row["optimal_stations"])
        p = graphs.setdefault(g, read_in2(DATA / f"{g}.IN2"))
        prep = prepare(p.times[:, None], np.array([c]), p.arcs)
        bound = cover_bound(prep.closure, prep.times[:, 0], c,
                            prep.pred_ptr, prep.pred_idx)
        assert bound <= opt, (g, c)
        tried += bound > 0
    assert tried >= 20


@pytest.mark.parametrize("structure", gen.STRUCTURES)
@pytest.mark.parametrize("target", gen.ORDER_STRENGTHS)
def test_never_above_cpsat_optima_of_generated_lines(structure: str,
                                                     target: float) -> None:
    """Generated 20-task lines, middle and bimodal times, two seeds: at
    most CP-SAT's proved optimum."""
    for shape, seed in itertools.product(("middle", "bimodal"), (1, 2)):
        inst = gen.generate(20, structure, target, shape, seed)
        problem = SalbpProblem(times=inst.times, arcs=inst.arcs)
        cp = solve_salbp1_cpsat(problem, inst.cycle, time_limit=60.0)
        assert cp.status == "optimal"
        prep = prepare(inst.times[:, None], np.array([inst.cycle]),
                       inst.arcs)
        assert cover_bound(prep.closure, prep.times[:, 0], inst.cycle,
                           prep.pred_ptr, prep.pred_idx) <= cp.n_stations


def test_thousand_task_dense_chains_line() -> None:
    """n = 1,000, chains, order strength 0.9, middle times (seed 0): the
    LP is 521.5, so 522, two above the pair bound (520)."""
    inst = gen.generate(1000, "chains", 0.9, "middle", 0)
    prep = prepare(inst.times[:, None], np.array([inst.cycle]), inst.arcs)
    assert cover_bound(prep.closure, prep.times[:, 0], inst.cycle,
                       prep.pred_ptr, prep.pred_idx) == 522


def test_small_line_proved_by_the_cover_bound() -> None:
    # A 100-task generated line (bottlenecks, OS 0.6, middle times, seed
    # 1): the bin-packing bounds say 49 and the search alone did not
    # close 51/49; the covering LP over its 2,374 convex loads (within
    # MAX_LOADS_SMALL) says 51, so the line is proved at the root.
    from taktplan.balance import solve_salbp1
    from taktplan.balance.cover import MAX_LOADS_SMALL

    inst = gen.generate(100, "bottlenecks", 0.6, "middle", 1)
    fwd = prepare(inst.times[:, None], np.array([inst.cycle]), inst.arcs)
    assert fwd.lower_bound() == 49
    assert cover_bound(fwd.closure, fwd.times[:, 0], inst.cycle,
                       fwd.pred_ptr, fwd.pred_idx, MAX_LOADS_SMALL) == 51
    res = solve_salbp1(SalbpProblem(times=inst.times, arcs=inst.arcs),
                       inst.cycle, time_limit=60.0)
    assert res.n_stations == 51
    assert res.status == "optimal"
