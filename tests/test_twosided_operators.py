"""The local search's operator mode (:func:`.improve.fewer_positions`):
work gathered on fewer operator positions while every station keeps
the cycle.

Hand-worked cases:

- *Multi-manned station* (two operators a side, four positions): four
  either-side tasks of 2 at cycle 8, one on each position. All four fit
  one after the other on one position (8), so one operator does them:
  the search drains three positions.
- *Two mated stations* (one operator a side): task 0 left-only (5),
  task 1 right-only (4), tasks 2 and 3 either side (4 and 5), no arcs,
  cycle 10; the start puts 0 and 1 on station 1, 2 and 3 on station 2
  (four operators). Station 1 can take 2 behind 0 on the left (9) and
  3 behind 1 on the right (9), or station 2 take 0 behind 2 and 1
  behind 3: two operators, one station empty, and the operator bound
  ``ceil(18 / 10) = 2`` is met.
"""

from __future__ import annotations

import numpy as np
import pytest
from talbp_data import check_placement

from taktplan.balance.twosided import Budget, solve_talbp1
from taktplan.balance.twosided.heuristic import best_line
from taktplan.balance.twosided.improve import fewer_positions
from taktplan.balance.twosided.problem import (
    EITHER,
    LEFT,
    RIGHT,
    TwoSidedProblem,
)
from taktplan.balance.twosided.station import prepare


def _staffed(line: list[list[tuple[int, int, int]]]) -> int:
    return sum(len({q for _, q, _ in st}) for st in line)


def _cycle(p: TwoSidedProblem,
           line: list[list[tuple[int, int, int]]]) -> int:
    return max(s + int(p.times[i]) for st in line for i, _, s in st)


def test_a_multi_manned_station_drains_to_one_position() -> None:
    p = TwoSidedProblem(times=np.array([2, 2, 2, 2]),
                        sides=np.full(4, EITHER), arcs=np.zeros((0, 2), int),
                        operators_per_side=2)
    assert len(p.position_sides) == 4
    line = [[(i, i, 0) for i in range(4)]]
    out, used = fewer_positions(prepare(p), line, 8, 10_000, goal=1)
    assert _staffed(out) == 1 and _cycle(p, out) == 8
    assert 0 < used <= 10_000
    check_placement(p, out, 8)


@pytest.mark.parametrize("arcs", [[], [[0, 2], [1, 3]]])
def test_two_mated_stations_gather_on_the_first(arcs: list[list[int]]
                                                ) -> None:
    """With or without arcs from station 1's tasks to station 2's
    (each then starts where its predecessor ends, 5 and 4)."""
    p = TwoSidedProblem(times=np.array([5, 4, 4, 5]),
                        sides=np.array([LEFT, RIGHT, EITHER, EITHER]),
                        arcs=np.array(arcs, dtype=np.int64).reshape(-1, 2))
    left, right = (p.position_sides.index(LEFT),
                   p.position_sides.index(RIGHT))
    line = [[(0, left, 0), (1, right, 0)], [(2, left, 0), (3, right, 0)]]
    out, _ = fewer_positions(prepare(p), line, 10, 10_000, goal=2)
    assert _staffed(out) == 2 and _cycle(p, out) <= 10
    assert sum(bool(st) for st in out) == 1
    check_placement(p, out, 10)


def test_no_position_to_free_returns_the_line_itself() -> None:
    """Two tasks of 6 at cycle 10 on the two sides of one station: no
    position can take both, so the line comes back as it was."""
    p = TwoSidedProblem(times=np.array([6, 6]), sides=np.full(2, EITHER),
                        arcs=np.zeros((0, 2), int))
    line = [[(0, 0, 0), (1, 1, 0)]]
    out, _ = fewer_positions(prepare(p), line, 10, 1_000, goal=1)
    assert out is line


def test_random_lines_keep_the_cycle_and_the_rules() -> None:
    """Random two-sided instances with chains: the result is the start
    itself or a valid line within the cycle on fewer positions."""
    rng = np.random.default_rng(11)
    freed = 0
    for _ in range(25):
        n = 14
        p = TwoSidedProblem(
            times=rng.integers(1, 9, size=n), sides=rng.integers(0, 3, n),
            arcs=np.array([[i, i + 1] for i in range(0, n - 1)
                           if rng.random() < 0.4]).reshape(-1, 2),
            operators_per_side=int(rng.integers(1, 3)))
        c = 14
        prep = prepare(p)
        start = best_line(prep, c, n, 4, 0)
        assert start is not None
        out, _ = fewer_positions(prep, start, c, 5_000, goal=1)
        if out is start:
            continue
        freed += 1
        assert _staffed(out) < _staffed(start) and _cycle(p, out) <= c
        assert sorted(i for st in out for i, _, _ in st) == list(range(n))
        check_placement(p, out, c)
    assert freed > 0


def test_type_one_staffs_fewer_positions_with_two_operators_a_side() -> None:
    """A multi-manned line (two operators a side, four positions a
    station): eight either-side tasks of 3 in a chain, cycle 12. A chain
    does not run in parallel, so its 24 need two stations; each does
    its four tasks on one position: 2 operators of the 8 positions
    (the operator bound ``ceil(24 / 12) = 2``)."""
    p = TwoSidedProblem(times=np.full(8, 3), sides=np.full(8, EITHER),
                        arcs=np.array([[i, i + 1] for i in range(7)]),
                        operators_per_side=2)
    r = solve_talbp1(p, 12, Budget(backend="search"))
    assert (r.n_stations, r.operators, r.status) == (2, 2, "optimal")
