"""SALBP-1's led rounds: the lead direction, the dives, and the
best-first search that grows its loads (Scholl's set, known optima)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from taktplan.balance import search, solve_salbp1
from taktplan.balance.heuristic import greedy_lines
from taktplan.balance.prepare import Prepared, prepare
from taktplan.balance.search import hoffman_dives, lead_direction
from taktplan.formats.salbp import read_salbp

if TYPE_CHECKING:
    import pytest

DATA = Path(__file__).resolve().parents[1] / "benchmarks/instances/salbp"


def _both(graph: str, cycle: int) -> tuple[Prepared, Prepared]:
    p = read_salbp(DATA / f"{graph}.IN2")
    cap = np.array([cycle], np.int64)
    return (prepare(p.times[:, None], cap, p.arcs),
            prepare(p.times[:, None], cap, p.arcs[:, ::-1]))


def test_lead_direction_hand_worked() -> None:
    """A fork 0 -> {1, 2, 3} (cycle 10, times 6, 5, 5, 5): forward only
    task 0 can be in station 1 (6 + 5 > 10), the others from station 2
    (tasks with earliest station at most 1..5: 1, 4, 4, 4, 4, product
    256); on the mirror tasks 1-3 in station 1 and task 0 from station
    3 (6 + 15 > 20: 3, 3, 4, 4, 4, product 576). Forward leads; the
    join (arcs turned round) leads on its mirror."""
    times = np.array([[6], [5], [5], [5]], np.int64)
    cap = np.array([10], np.int64)
    arcs = np.array([[0, 1], [0, 2], [0, 3]], np.int64)
    fork = prepare(times, cap, arcs, increment=False)
    join = prepare(times, cap, arcs[:, ::-1], increment=False)
    assert [int(np.count_nonzero(fork.head <= m)) for m in range(1, 6)] \
        == [1, 4, 4, 4, 4]
    assert [int(np.count_nonzero(join.head <= m)) for m in range(1, 6)] \
        == [3, 3, 4, 4, 4]
    assert lead_direction(fork, join) is False
    assert lead_direction(join, fork) is True


def test_lead_direction_on_scholl() -> None:
    """SCHOLL is searched on the mirror (its best-first search finds
    c=1394's 50 there), ARC111 c=7520 forward (where the breadth-first
    search proves 21)."""
    assert lead_direction(*_both("SCHOLL", 1394)) is True
    assert lead_direction(*_both("ARC111", 7520)) is False


def test_dives_reach_barthol2_optimum() -> None:
    """BARTHOL2 c=91: the priority rules give 48 stations, the dives the
    table's 47 (a valid line: every task on a station below 47)."""
    fwd, bwd = _both("BARTHOL2", 91)
    station_of, ub = greedy_lines(fwd, 20, 0)
    assert ub == 48
    dived = hoffman_dives(fwd, bwd, lead_direction(fwd, bwd), ub,
                          station_of, 47, search.search_clock() + 60)
    best, line = dived.ub, dived.station_of
    assert best == 47 and dived.work > 0
    assert line.min() == 0 and line.max() == 46
    loads = np.bincount(line, weights=fwd.times[:, 0], minlength=47)
    assert loads.max() <= 91


def test_truncated_best_first_grows_its_loads(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """At 150 loads a node the best-first search on SCHOLL c=1483 runs
    to its end without the line (then not proved in 93 CPU s); started
    afresh with ten times the loads it finds the table's 47."""
    monkeypatch.setattr(search, "BEST_FIRST_LOADS", 150)
    res = solve_salbp1(read_salbp(DATA / "SCHOLL.IN2"), 1483,
                       time_limit=60.0)
    assert (res.n_stations, res.lower_bound, res.status) == (47, 47,
                                                             "optimal")
