"""The pair bound (taktplan.balance.pairs): hand-worked cases, the
matching against scipy's, and never above a proved optimum."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from conftest import load_benchmark
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import maximum_bipartite_matching

from taktplan.balance import SalbpProblem, solve_salbp1
from taktplan.balance.cpsat import solve_salbp1_cpsat
from taktplan.balance.pairs import can_share, double_cover_matching, pair_bound
from taktplan.balance.prepare import prepare
from taktplan.balance.problem import transitive_closure
from taktplan.formats.salbp import read_in2

DATA = Path(__file__).resolve().parents[1] / "benchmarks/instances/salbp"
gen = load_benchmark("salbpgen")


def _closure(n: int, arcs: list[tuple[int, int]]) -> np.ndarray:
    return transitive_closure(n, np.array(arcs, np.int64).reshape(-1, 2))


def test_chain_of_sixties_then_forties_needs_three_stations() -> None:
    """60 -> 60 -> 40 -> 40 at c = 100: bin packing pairs each 60 with a
    40 (2 stations), but on the chain only the middle 60 and 40 meet (the
    first 60 and a 40 would take the second 60 along): 4 - 1 = 3, the
    optimum (next fit on a chain)."""
    times = np.array([60, 60, 40, 40])
    chain = [(0, 1), (1, 2), (2, 3)]
    cl = _closure(4, chain)
    ok = can_share(cl, times, 100, np.arange(4))
    assert ok.sum() == 2 * 2  # {1, 2} and {2, 3}, both ways
    assert ok[1, 2] and ok[2, 3] and not ok[0, 2] and not ok[0, 1]
    assert pair_bound(cl, times, 100) == 3
    prep = prepare(times[:, None], np.array([100]), np.array(chain))
    assert prep.lower_bound() == 2
    res = solve_salbp1(SalbpProblem(times=times, arcs=np.array(chain)), 100)
    assert (res.n_stations, res.status) == (3, "optimal")
    # Without precedence the 60s and 40s pair up: 4 - 2 = 2.
    assert pair_bound(_closure(4, []), times, 100) == 2


def test_tasks_between_count() -> None:
    """50 -> b -> 45 share a station only if b's time fits beside them."""
    for b, share in ((4, True), (5, True), (6, False)):
        times = np.array([50, b, 45])
        ok = can_share(_closure(3, [(0, 1), (1, 2)]), times, 100,
                       np.array([0, 2]))
        assert bool(ok[0, 1]) is share and bool(ok[1, 0]) is share


def test_no_long_tasks_no_bound() -> None:
    """Tasks of at most a third of the cycle: nothing to pair, 0."""
    times = np.array([30, 33, 10])
    assert pair_bound(_closure(3, [(0, 1)]), times, 100) == 0


def test_matching_equals_scipys() -> None:
    """Greedy plus augmenting paths: scipy's Hopcroft-Karp size on random
    graphs of several densities."""
    rng = np.random.default_rng(7)
    for trial in range(60):
        k = int(rng.integers(1, 40))
        adj = rng.random((k, k)) < [0.02, 0.1, 0.3, 0.8][trial % 4]
        want = int((maximum_bipartite_matching(
            csr_matrix(adj.astype(np.int8)), perm_type="column") >= 0).sum())
        assert double_cover_matching(adj) == want


def test_never_above_the_scholl_optima() -> None:
    """All 269 Scholl instances: at most the optimum; above the bin
    packing bounds on BOWMAN8 c=20, JACKSON c=7 and LUTZ2 c=11 (4 -> 5,
    7 -> 8 = optima; 45 -> 46 of 49)."""
    with open(DATA / "optima.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 269
    graphs: dict[str, SalbpProblem] = {}
    raised = {}
    for row in rows:
        g, c = row["graph"], int(row["cycle_time"])
        opt = int(row["optimal_stations"])
        p = graphs.setdefault(g, read_in2(DATA / f"{g}.IN2"))
        prep = prepare(p.times[:, None], np.array([c]), p.arcs)
        bound = pair_bound(prep.closure, prep.times[:, 0], c)
        assert bound <= opt, (g, c)
        if bound > prep.lower_bound():
            raised[g, c] = (prep.lower_bound(), bound, opt)
    assert raised == {("BOWMAN8", 20): (4, 5, 5), ("JACKSON", 7): (7, 8, 8),
                      ("LUTZ2", 11): (45, 46, 49)}


@pytest.mark.parametrize("structure", gen.STRUCTURES)
@pytest.mark.parametrize("target", gen.ORDER_STRENGTHS)
def test_never_above_cpsat_optima_of_generated_lines(structure: str,
                                                     target: float) -> None:
    """Generated 20-task lines, middle and bimodal times: at most CP-SAT's
    proved optimum (and the solver's, which uses the bound)."""
    for shape in ("middle", "bimodal"):
        inst = gen.generate(20, structure, target, shape, 1)
        problem = SalbpProblem(times=inst.times, arcs=inst.arcs)
        cp = solve_salbp1_cpsat(problem, inst.cycle, time_limit=60.0)
        assert cp.status == "optimal"
        prep = prepare(inst.times[:, None], np.array([inst.cycle]),
                       inst.arcs)
        assert pair_bound(prep.closure, prep.times[:, 0],
                          inst.cycle) <= cp.n_stations
        ours = solve_salbp1(problem, inst.cycle)
        assert (ours.n_stations, ours.status) == (cp.n_stations, "optimal")


def test_hundred_task_dense_lines_bound_and_optimum() -> None:
    """n = 100, order strength 0.9, middle times (seed 0): the solver
    proves 59, 66 and 57 stations; the bin packing bounds are 52, 54
    and 50, the pair bound 58, 64 and 56."""
    for structure, want, bp, pairs in (("mixed", 59, 52, 58),
                                       ("chains", 66, 54, 64),
                                       ("bottlenecks", 57, 50, 56)):
        inst = gen.generate(100, structure, 0.9, "middle", 0)
        prep = prepare(inst.times[:, None], np.array([inst.cycle]),
                       inst.arcs)
        assert prep.lower_bound() == bp
        assert pair_bound(prep.closure, prep.times[:, 0],
                          inst.cycle) == pairs
        res = solve_salbp1(SalbpProblem(times=inst.times, arcs=inst.arcs),
                           inst.cycle, node_limit=200_000)
        assert (res.n_stations, res.status) == (want, "optimal")
