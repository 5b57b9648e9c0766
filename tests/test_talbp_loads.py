"""The load search of two-sided lines (taktplan.balance.twosided.loads)."""

from __future__ import annotations

import numpy as np
import pytest
from talbp_data import TALBP, check_placement, needs_data, random_line

from taktplan.balance.twosided import (
    Budget,
    TwoSidedProblem,
    solve_talbp1,
    solve_talbp2,
)
from taktplan.balance.twosided.bounds import cycle_bound, stations_bound
from taktplan.balance.twosided.cpsat import solve_cpsat
from taktplan.balance.twosided.loads import (
    applicable,
    fits_by_loads,
    idle_budget,
    worth_trying,
)
from taktplan.formats.talbp import read_talbp

# a (L, 2) -> b (R, 2) -> d (L, 2), and e (R, 2) free: in one station d
# waits for b, which waits for a, so the left idles while b runs.
WAIT = TwoSidedProblem(times=np.array([2, 2, 2, 2]),
                       sides=np.array([1, 2, 1, 2]),
                       arcs=np.array([[0, 1], [1, 2]]))


def test_a_wait_across_sides_needs_idle() -> None:
    """Hand-worked: at c = 4 the line has no idle, yet d cannot start
    before b ends at 4: no line. At c = 6 (4 units of idle): a 0-2 (L),
    b 2-4 (R), d 4-6 (L), e on the right."""
    assert idle_budget(WAIT, 4, 1) == 0
    no = fits_by_loads(WAIT, 4, 1, 10_000)
    assert no.decided and no.line is None
    yes = fits_by_loads(WAIT, 6, 1, 10_000)
    assert yes.decided and yes.line is not None
    check_placement(WAIT, yes.line, 6)
    start = {i: s for i, _, s in yes.line[0]}
    assert (start[0], start[1], start[2]) == (0, 2, 4)
    # two stations at 4: a and e first, then b and d in the second
    two = fits_by_loads(WAIT, 4, 2, 10_000)
    assert two.line is not None
    check_placement(WAIT, two.line, 4)


def test_out_of_work_is_undecided() -> None:
    out = fits_by_loads(WAIT, 6, 1, 1)
    assert not out.decided and out.line is None


def test_only_plain_two_sided_lines() -> None:
    assert applicable(WAIT)
    together = TwoSidedProblem(times=WAIT.times, sides=WAIT.sides,
                               arcs=WAIT.arcs, together=((0, 3),))
    assert not applicable(together)
    assert not worth_trying(together, 8, 1)


@pytest.mark.parametrize("seed", range(6))
def test_same_answer_as_cp_sat(seed: int) -> None:
    """Random 9-task lines, each cycle from the bound up: the load search
    and the CP-SAT model agree on every decision, and every line found
    passes the checker."""
    p = random_line(seed, 9, 8, 0.25)
    m = 2
    lb = cycle_bound(p, m)
    answers = []
    for c in range(lb, lb + 6):
        ours = fits_by_loads(p, c, m, 10_000_000)
        cp = solve_cpsat(p, c=c, m=m, c_high=c, work_limit=50.0)
        assert ours.decided and (cp.line is not None or cp.proved)
        assert (ours.line is not None) == (cp.line is not None), c
        if ours.line is not None:
            check_placement(p, ours.line, c)
        answers.append(ours.line is not None)
    assert answers[-1]  # the heuristic's room: some cycle fits


@needs_data
def test_p65_five_stations_fit_the_work_bound() -> None:
    """P65 with 5 mated stations: 5,099 units of work, so 510 leaves one
    unit of idle in the whole line, and a line exists there (optimal)."""
    p = read_talbp(TALBP / "P65_5_0.txt")
    assert idle_budget(p, 510, 5) == 1
    out = fits_by_loads(p, 510, 5, 10**9)
    assert out.line is not None
    check_placement(p, out.line, 510)
    r = solve_talbp2(p, 5, Budget.for_seconds(10))
    assert (r.cycle_time, r.status, r.lower_bound) == (510, "optimal", 510)


@needs_data
def test_p65_eight_stations_do_not_fit_319() -> None:
    """P65 with 8 stations: 319 (5 units of idle) has no line, 320 has."""
    p = read_talbp(TALBP / "P65_8_0.txt")
    assert cycle_bound(p, 8) == 319
    no = fits_by_loads(p, 319, 8, 10**9)
    assert no.decided and no.line is None
    yes = fits_by_loads(p, 320, 8, 10**9)
    assert yes.line is not None
    check_placement(p, yes.line, 320)


def _random_line(seed: int) -> TwoSidedProblem:
    return random_line(seed, 8, 8, 0.3)


def _fewest_stations(p: TwoSidedProblem, c: int) -> int:
    m = 1
    while fits_by_loads(p, c, m, 10**7).line is None:
        m += 1
    return m


# (seed, cycle): lines whose station bound is one below the optimum and
# idles less than half a task at the bound (found by enumerating seeds)
SHORT_BOUND = [(0, 14), (13, 8), (14, 18), (15, 9), (41, 8)]


@pytest.mark.parametrize(("seed", "c"), SHORT_BOUND)
def test_type1_refutes_its_station_bound_by_loads(seed: int, c: int) -> None:
    """Without the station search's nodes and without CP-SAT, type I
    proves the fewest stations by the load search: it refutes the bound's
    count, where the line idles under half a task."""
    p = _random_line(seed)
    lb = stations_bound(p, c)
    assert worth_trying(p, c, lb)
    assert fits_by_loads(p, c, lb, 10**7).decided
    best = _fewest_stations(p, c)
    assert best == lb + 1
    r = solve_talbp1(p, c, Budget(nodes=0, backend="search"))
    assert (r.n_stations, r.lower_bound) == (best, best)
    # without the load search's share the bound stays where it was
    r0 = solve_talbp1(p, c, Budget(nodes=0, backend="search", loads=0))
    assert r0.lower_bound == lb


@needs_data
def test_p65_type1_at_320_finds_the_bounds_eight_stations() -> None:
    """P65 at 320: 8 stations idle 21 units, under half a task (39), and
    the load search finds the line the heuristics miss (before: 9
    stations, 17 operators, not proved, at the same 10 s)."""
    p = read_talbp(TALBP / "P65_8_0.txt")
    r = solve_talbp1(p, 320, Budget.for_seconds(10))
    assert (r.n_stations, r.operators, r.status, r.backend) == (
        8, 16, "optimal", "loads")
