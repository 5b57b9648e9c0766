"""The window search of two-sided type II (:mod:`taktplan.balance.
twosided.windows`): sub-problems, validity, and what it reaches."""

from __future__ import annotations

import numpy as np
import pytest
from talbp_data import TALBP, check_placement, needs_data

from taktplan.balance.twosided import TwoSidedProblem
from taktplan.balance.twosided.bounds import cycle_bound
from taktplan.balance.twosided.windows import (
    fewer_operators_by_windows,
    shorten_by_windows,
    sub_problem,
)
from taktplan.formats.talbp import read_talbp


def test_sub_problem_keeps_inner_arcs_and_shifts_pins() -> None:
    """Tasks 1, 3, 4 of a five-task chain with pins: the arcs between
    them only (3->4), renumbered 0..2, pins moved to the window's own
    station numbers, rules between outside tasks dropped."""
    p = TwoSidedProblem(
        times=np.array([1, 2, 3, 4, 5]), sides=np.array([0, 1, 2, 0, 1]),
        arcs=np.array([[0, 1], [1, 2], [2, 3], [3, 4]]),
        together=((3, 4),), apart=((0, 2),),
        fixed_station=np.array([-1, -1, 5, 6, -1]))
    sub = sub_problem(p, [1, 3, 4], first_station=4)
    assert sub.times.tolist() == [2, 4, 5]
    assert sub.sides.tolist() == [1, 0, 1]
    assert sub.arcs.tolist() == [[1, 2]]
    assert sub.together == ((1, 2),) and sub.apart == ()
    assert sub.fixed_station.tolist() == [-1, 2, -1]


def test_a_window_moves_work_to_the_idle_station() -> None:
    """Four independent either-side tasks of 3, 3, 2, 2 on two stations:
    all on the first (cycle 5, its two positions 3+2 each) leaves the
    second empty; the window of both stations gives cycle 3 (3 | 3 on
    one, 2 | 2 on the other), the least possible."""
    p = TwoSidedProblem(times=np.array([3, 3, 2, 2]),
                        sides=np.zeros(4, dtype=np.int64),
                        arcs=np.zeros((0, 2), dtype=np.int64))
    line = [[(0, 0, 0), (2, 0, 3), (1, 1, 0), (3, 1, 3)], []]
    r = shorten_by_windows(p, line, 2, 1.0)
    assert r.cycle == 3
    check_placement(p, r.line, 3)


@needs_data
@pytest.mark.parametrize("m", [5, 6, 7, 8])
def test_p65_windows_shorten_the_local_search_line(m: int) -> None:
    """P65 from the line of the greedy rules and the move-by-move local
    search (cycle 521 / 440 / 378 / 335 for m = 5..8): one unit of the
    pool for windows, counted, shortens it (to 511 / 427 / 371 / 321;
    515 / 433 / 371 / 323 before a window that helps sent the work and
    the windows back to their first size), and the line stays valid."""
    from taktplan.balance.twosided import Budget
    from taktplan.balance.twosided.least_cycle import _short_line
    from taktplan.balance.twosided.station import prepare
    p = read_talbp(TALBP / f"P65_{m}_0.txt")
    lb = cycle_bound(p, m)
    line, start = _short_line(p, prepare(p), m, lb, Budget())
    assert line is not None
    r = shorten_by_windows(p, line, m, 1.0, floor=lb)
    assert lb <= r.cycle < start
    assert r.work <= 1.02  # CP-SAT stops a little past its limit
    check_placement(p, r.line, r.cycle)


@needs_data
@pytest.mark.parametrize("m", [5, 8])
def test_type2_rounds_stay_valid_counted_and_repeatable(m: int) -> None:
    """Type II's rounds of local search and windows on P65 (the same
    start as above, one unit of work): the cycle between the bound and
    the start (511 and 322 measured), the moves and windows within the
    unit (CP-SAT stops a little past its limit), the line valid, and
    the same line from the same seed."""
    from taktplan.balance.twosided import Budget
    from taktplan.balance.twosided.budget import RunCounter
    from taktplan.balance.twosided.least_cycle import (
        _short_line,
        _shorten_in_rounds,
    )
    from taktplan.balance.twosided.station import prepare
    p = read_talbp(TALBP / f"P65_{m}_0.txt")
    prep = prepare(p)
    lb = cycle_bound(p, m)
    line, start = _short_line(p, prep, m, lb, Budget())
    assert line is not None
    runs = [_shorten_in_rounds(p, prep, line, m, 1.0, lb, Budget(),
                               RunCounter(Budget(), p)) for _ in range(2)]
    r = runs[0]
    assert lb <= r.cycle < start
    assert r.work <= 1.02
    check_placement(p, r.line, r.cycle)
    assert runs[1].line == r.line and runs[1].work == r.work


def test_operator_windows_empty_positions() -> None:
    """Four independent either-side tasks of 3, 2, 3, 2 at cycle 5, one
    per position on two stations (4 operators): the window of both
    stations fits them on 2 positions (3 + 2 each), the work bound
    ceil(10 / 5)."""
    p = TwoSidedProblem(times=np.array([3, 2, 3, 2]),
                        sides=np.zeros(4, dtype=np.int64),
                        arcs=np.zeros((0, 2), dtype=np.int64))
    line = [[(0, 0, 0), (1, 1, 0)], [(2, 0, 0), (3, 1, 0)]]
    r = fewer_operators_by_windows(p, line, 5, 1.0, floor=2)
    assert r.operators == 2 and r.cycle <= 5
    check_placement(p, r.line, 5)


@needs_data
def test_p205_type1_operators_at_2832_proved() -> None:
    """P205 at cycle 2832: 5 stations and 9 operators (the bound), which
    the 30-second budget reached only with the operator windows (10
    before: BENCHMARKS.md, round 5)."""
    from taktplan.balance.twosided import Budget, solve_talbp1
    p = read_talbp(TALBP / "P205_4_0.txt")
    r = solve_talbp1(p, 2832, Budget.for_seconds(30))
    assert (r.n_stations, r.operators, r.status) == (5, 9, "optimal")


@needs_data
def test_windows_give_up_a_floor_their_pace_will_not_reach() -> None:
    """P65 with 5 stations from the greedy and local-search line, asked
    for cycle 300 (below the work bound 510, so never reached): with
    ``give_up`` the windows stop once a quarter of the work is spent
    (plus the one window running then, at up to four times its first
    work after rounds where none helped), without it they spend it
    all."""
    from taktplan.balance.twosided import Budget
    from taktplan.balance.twosided.least_cycle import _short_line
    from taktplan.balance.twosided.station import prepare
    from taktplan.balance.twosided.windows import WINDOW_COST, WINDOW_WORK
    p = read_talbp(TALBP / "P65_5_0.txt")
    line, _ = _short_line(p, prepare(p), 5, cycle_bound(p, 5), Budget())
    assert line is not None
    quit_ = shorten_by_windows(p, line, 5, 0.8, floor=300, give_up=True)
    full = shorten_by_windows(p, line, 5, 0.8, floor=300)
    assert quit_.gave_up and not full.gave_up
    assert 0.2 <= quit_.work <= 0.2 + 4 * WINDOW_WORK * WINDOW_COST
    assert full.work >= 0.8 - 1e-9 and full.cycle <= quit_.cycle
    check_placement(p, quit_.line, quit_.cycle)


@needs_data
@pytest.mark.parametrize(("c", "m"), [(1322, 9), (1510, 8), (1699, 7)])
def test_p205_type1_fits_the_bounds_stations(c: int, m: int) -> None:
    """P205 at cycle 1322 / 1510 / 1699: the bound's 9 / 8 / 7 stations
    and 18 / 16 / 14 operators (the work bound), which the 30-second
    budget reaches only with the load search's share spent on windows
    and the window search started again from its own line (10 / 9
    stations before: BENCHMARKS.md, two-sided round 8), and at 1699 with
    the compiled local search's kicks of 5 moves (8 stations before:
    round 10)."""
    from taktplan.balance.twosided import Budget, solve_talbp1
    p = read_talbp(TALBP / "P205_9_0.txt")
    r = solve_talbp1(p, c, Budget.for_seconds(30))
    assert (r.n_stations, r.operators, r.status) == (m, 2 * m, "optimal")
    assert r.lower_bound == m and r.operators_lower_bound == 2 * m
