"""One position freed by a one-sided station at an end of a two-sided
line (taktplan.balance.twosided.one_sided_end)."""

from __future__ import annotations

import numpy as np
import pytest
from talbp_data import TALBP, check_placement, needs_data, random_line

from taktplan.balance.twosided import Budget, TwoSidedProblem, solve_talbp1
from taktplan.balance.twosided.one_sided_end import (
    closed_end_sets,
    end_splits,
    one_sided_station,
)
from taktplan.balance.twosided.problem import EITHER, LEFT, RIGHT
from taktplan.formats.talbp import read_talbp


def _chain_and_free() -> TwoSidedProblem:
    """Tasks 0 -> 1 -> 2 (times 3, 2, 2; sides E, R, L) and 3, 4 free
    (times 1, 1; E, L)."""
    return TwoSidedProblem(times=np.array([3, 2, 2, 1, 1]),
                           sides=np.array([EITHER, RIGHT, LEFT, EITHER,
                                           LEFT]),
                           arcs=np.array([[0, 1], [1, 2]]))


def test_end_sets_are_closed_one_sided_and_within_the_cycle() -> None:
    """At cycle 4 the last station's left set takes task 2 (its only
    follower-free task of side L or E), then 3 and 4 (1 each): work 4,
    the cycle; its right set cannot take 2 (left-only) so it holds 3 and
    the free left-only 4 is refused: {3}, work 1. The first station's
    left set starts from the roots: 0 (3), then 3 (1): work 4."""
    p = _chain_and_free()
    got = {(e.last, e.side): (e.tasks, e.work) for e in end_splits(p, 4)}
    assert got[(True, LEFT)] == ((2, 3, 4), 4)
    assert got[(True, RIGHT)] == ((3,), 1)
    assert got[(False, LEFT)] == ((0, 3), 4)
    splits = end_splits(p, 4)
    assert [e.work for e in splits] == sorted((e.work for e in splits),
                                              reverse=True)
    assert all(set(e.rest) | set(e.tasks) == set(range(5))
               and not set(e.rest) & set(e.tasks) for e in splits)


def test_the_one_sided_station_runs_its_tasks_back_to_back() -> None:
    p = _chain_and_free()
    split = next(e for e in end_splits(p, 4) if e.last and e.side == LEFT)
    station = one_sided_station(p, split)
    assert [q for _, q, _ in station] == [0, 0, 0]  # the left position
    starts = {i: s for i, _, s in station}
    assert sorted(starts.values()) == [0, 1, 2]
    assert starts[2] + 2 <= 4


@needs_data
@pytest.mark.parametrize("c", [326, 435, 544])
def test_p65_end_sets_keep_precedence_and_sides(c: int) -> None:
    """Every end set of P65: closed under followers (last station) or
    predecessors (first), of one side or either, within the cycle."""
    p = read_talbp(TALBP / "P65_5_0.txt")
    arcs = [(int(a), int(b)) for a, b in p.arcs]
    for e in end_splits(p, c):
        inside = set(e.tasks)
        assert 0 < e.work == int(p.times[list(e.tasks)].sum()) <= c
        assert all(int(p.sides[i]) in (EITHER, e.side) for i in inside)
        if e.last:
            assert all(b in inside for a, b in arcs if a in inside)
        else:
            assert all(a in inside for a, b in arcs if b in inside)


@needs_data
@pytest.mark.parametrize(("c", "m"), [(2266, 6), (2643, 5), (1133, 11)])
def test_p205_frees_the_last_position(c: int, m: int) -> None:
    """P205 at cycle 2266 / 2643: 6 / 5 stations and 11 / 9 operators
    (the bounds); 12 / 10 operators before (BENCHMARKS.md, two-sided
    rounds 8 and 10): the last station's right set (at 2266: 12 tasks,
    2252) leaves a rest that fits one mated station fewer (at 2643 with
    the local search's kicks of 5 moves). At 1133, 11 stations and 21
    operators (22 before): the rest on 10 stations by type II's rounds
    of seeds and windows, tried before fitting 11 stations."""
    p = read_talbp(TALBP / "P205_6_0.txt")
    r = solve_talbp1(p, c, Budget.for_seconds(30))
    assert (r.n_stations, r.operators, r.status) == (m, 2 * m - 1,
                                                      "optimal")
    sides = [[pos.side for pos in st.positions if pos.tasks]
             for st in r.line]
    assert sum(len(s) for s in sides) == 2 * m - 1


def test_a_line_with_one_side_at_its_end_passes_the_checker() -> None:
    """The tiny line at cycle 4 from the first station's left set {0, 3}
    (back to back in the graph's topological order: 3, then 0), then a mated station: 4 and 2 on the left
    (2 waits for 1 on the right, which ends at 2), 1 on the right."""
    p = _chain_and_free()
    split = next(e for e in end_splits(p, 4)
                 if not e.last and e.side == LEFT)
    first = one_sided_station(p, split)
    assert first == [(3, 0, 0), (0, 0, 1)]
    check_placement(p, [first, [(1, 1, 0), (4, 0, 0), (2, 0, 2)]], 4)


@pytest.mark.parametrize("seed", range(12))
def test_closed_end_sets_are_every_closed_one_sided_set(seed: int) -> None:
    """Random 9-task lines: the enumeration gives exactly the sets a
    brute force over all 512 subsets gives: on one side (or either),
    closed under predecessors (first station) or followers (last), of
    work between ``least`` and ``c``; the most work first."""
    n = 9
    p = random_line(seed, n, 7, 0.3)
    times, sides, arcs = p.times, p.sides, p.arcs
    c, least = 12, 6
    got = closed_end_sets(p, c, least, 10**6)
    want = set()
    for bits in range(1, 1 << n):
        tasks = [i for i in range(n) if bits >> i & 1]
        work = int(times[tasks].sum())
        if not least <= work <= c:
            continue
        for last in (False, True):
            closed = all((b in tasks) if last else (a in tasks)
                         for a, b in arcs.tolist()
                         if (a if last else b) in tasks)
            for side in (LEFT, RIGHT):
                if closed and all(sides[i] in (side, EITHER)
                                  for i in tasks):
                    want.add((tuple(tasks), side, last))
    assert {(e.tasks, e.side, e.last) for e in got} == want
    assert len(got) == len(want)
    assert [e.work for e in got] == sorted((e.work for e in got),
                                           reverse=True)
    for e in got:
        assert set(e.rest) == set(range(n)) - set(e.tasks)


@needs_data
def test_an_end_set_s_rest_decided_by_the_load_search() -> None:
    """P65 at 341: 8 stations, and 15 operators = ceil(5099 / 341). The
    first station's left position takes an end set of 341 units, and
    the load search fills the rest on 7 mated stations (16 units of
    idle); before, the fits of the greedy end sets left 16 operators."""
    p = read_talbp(TALBP / "P65_8_0.txt")
    r = solve_talbp1(p, 341, Budget.for_seconds(30))
    assert (r.n_stations, r.operators, r.status, r.backend) == (
        8, 15, "optimal", "loads")
