"""The compiled greedy line (:mod:`taktplan.balance.twosided._construct`)
makes the moves of the Python station fill the exact search uses
(:class:`~taktplan.balance.twosided.station.StationState`).

The reference below is that fill driven by the greedy's rule: append
the movable task with the largest (boost, priority, earlier start, lower
position), the first of equal keys in task then position order; the
boost puts the members of a together group the station opened, and
their predecessors, first, then what a pin on this station needs; a
station that cannot finish a group it opened is filled again without
that group. Random
lines with sides, together groups, apart pairs, pins, two operators a
side and weighted variants, at five cycles, with and without a cap on
staffed positions and on stations, must come out the same task for
task.
"""

from __future__ import annotations

import numpy as np

from taktplan.balance.twosided.heuristic import (
    LineArrays,
    Placement,
    construct,
    rules,
)
from taktplan.balance.twosided.problem import LEFT, TwoSidedProblem
from taktplan.balance.twosided.station import (
    Prepared,
    StationState,
    prepare,
)


def _reference(prep: Prepared, c: int, prio: np.ndarray, max_stations: int,
               max_positions: int | None) -> Placement | None:
    urgent = LineArrays.of(prep).urgent
    done = staffed = 0
    line: Placement = []
    while done != prep.full:
        k = len(line)
        if k >= max_stations:
            return None
        banned: set[int] = set()  # groups the station could not finish
        while True:
            st = _fill(prep, c, k, done, staffed, prio, urgent, banned,
                       max_positions)
            split = [i for i, _, _ in st.placed  # the first opened
                     if prep.group_mask[i] & ~st.tasks]
            if not split:
                break
            group = prep.group_mask[split[0]]
            if any(prep.pin[j] >= 0 for j in range(prep.n)
                   if (group >> j) & 1):
                return None
            banned.add(group)
        if st.tasks == 0 and any(p > k and not (done >> i) & 1
                                 for i, p in enumerate(prep.pin)):
            line.append([])
            continue
        if not st.can_close() or st.tasks == 0:
            return None
        line.append(list(st.placed))
        staffed += sum(1 for u in st.pos_used if u)
        done |= st.tasks
    return line


def _fill(prep: Prepared, c: int, k: int, done: int, staffed: int,
          prio: np.ndarray, urgent: np.ndarray, banned: set[int],
          max_positions: int | None) -> StationState:
    """Station ``k`` filled by the greedy's rule, no task of a
    ``banned`` group (by its group's mask)."""
    st = StationState(prep, c, k, done)
    while True:
        moves = [mv for mv in st.moves(canonical=False)
                 if prep.group_mask[mv[0]] not in banned]
        if max_positions is not None and (
                staffed + sum(1 for u in st.pos_used if u)
                >= max_positions):
            moves = [mv for mv in moves if st.pos_used[mv[1]]]
        if not moves:
            return st
        open_groups = st.tasks & prep.grouped_mask
        needed = _group_predecessors(prep, st.tasks, done | st.tasks)

        def key(mv: tuple[int, int, int]) -> tuple[float, ...]:
            i, q, start = mv
            boost = (2.0 if prep.group_mask[i] & open_groups
                     or (needed >> i) & 1
                     else 1.0 if 0 <= urgent[i] <= k else 0.0)
            return (boost, prio[i], -start, -q)

        st.push(*max(moves, key=key))  # max keeps the first of ties


def _group_predecessors(prep: Prepared, station: int, have: int) -> int:
    """The tasks not in ``have`` that precede, directly or not, an
    unplaced member of a together group with a member in ``station``."""
    todo = [j for i in range(prep.n) if (station >> i) & 1
            and (prep.grouped_mask >> i) & 1
            for j in range(prep.n)
            if (prep.group_mask[i] >> j) & 1 and not (have >> j) & 1]
    needed = 0
    while todo:
        for a in prep.preds[todo.pop()]:
            if not (have >> a) & 1 and not (needed >> a) & 1:
                needed |= 1 << a
                todo.append(a)
    return needed


def _random_problem(seed: int) -> TwoSidedProblem:
    """Up to 40 tasks, sparse arcs, random sides; two together pairs of
    tasks with no path between them (a path would bind its tasks too),
    two apart pairs, every third a pin to station 1 or 2 of a task
    without predecessors, every other two operators a side and two
    variants (every fourth weighted)."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(8, 40))
    arcs = [(i, j) for i in range(n) for j in range(i + 1, n)
            if rng.random() < 0.08]
    reach = np.eye(n, dtype=bool)
    for i, j in sorted(arcs, key=lambda a: -a[0]):
        reach[i] |= reach[j]
    sides = rng.integers(0, 3, n)
    together: list[tuple[int, int]] = []
    apart: list[tuple[int, int]] = []
    for _ in range(2):
        a, b = (int(x) for x in sorted(rng.choice(n, 2, replace=False)))
        if not reach[a, b] and (sides[a] == sides[b]
                                or 0 in (sides[a], sides[b])):
            together.append((a, b))
        a, b = (int(x) for x in sorted(rng.choice(n, 2, replace=False)))
        if (a, b) not in together:
            apart.append((a, b))
    fixed = np.full(n, -1)
    free = [i for i in range(n) if not any(j == i for _, j in arcs)]
    if seed % 3 == 0 and free:
        fixed[int(rng.choice(free))] = int(rng.integers(0, 2))
    variants = seed % 2 == 1
    return TwoSidedProblem(
        times=rng.integers(1, 30, n), sides=sides,
        arcs=np.array(arcs, dtype=np.int64).reshape(-1, 2),
        together=tuple(together), apart=tuple(apart), fixed_station=fixed,
        operators_per_side=1 + seed % 2,
        extra_times=rng.integers(1, 40, (n, 2)) if variants else None,
        extra_limits=(80, 80) if variants else (),
        extra_weights=(1, 2) if seed % 4 == 1 else ())


def _lines_equal(seed: int) -> int:
    """Compare on one random problem; the lines the greedy found."""
    p = _random_problem(seed)
    prep = prepare(p)
    arrays = LineArrays.of(prep)
    rng = np.random.default_rng(seed + 100)
    longest = max(prep.t)
    lines = 0
    for c in (longest, int(longest * 1.3), 2 * longest, 3 * longest,
              sum(prep.t) // 4 + longest):
        base = rules(prep)
        prios = base + [r * rng.uniform(0.7, 1.3, prep.n) for r in base]
        for prio in prios:
            for max_positions in (None, 2 * (prep.n // 3) + 1):
                for max_stations in (prep.n + 1, 3):
                    want = _reference(prep, c, prio, max_stations,
                                      max_positions)
                    got = construct(prep, c, prio, max_stations,
                                    max_positions, arrays)
                    assert got == want, (seed, c, max_positions,
                                         max_stations)
                    lines += got is not None
    return lines


def test_compiled_greedy_makes_the_station_fills_moves() -> None:
    found = [_lines_equal(seed) for seed in range(24)]
    # the greedy gives lines on most (on some the rules stop it at
    # every cycle tried): the comparison covers lines, not only "none"
    assert sum(1 for x in found if x > 0) >= 20


def test_a_group_the_station_cannot_finish_moves_to_the_next() -> None:
    """Left-side tasks a (3 s), x (3 s), y (6 s) and b (4 s) at cycle
    10; a and x together, y before x; priority a, y, b, x. The station
    takes a, then y for x's sake (9 s), and x no longer fits: the group
    is split. Filled again without it: y and b (10 s); the next station
    takes a and x. (Without the refill the greedy gave no line.)"""
    a, x, y, b = range(4)
    p = TwoSidedProblem(times=np.array([3, 3, 6, 4]),
                        sides=np.full(4, LEFT), arcs=np.array([[y, x]]),
                        together=((a, x),))
    left = p.position_sides.index(LEFT)
    line = construct(prepare(p), 10, np.array([4.0, 1.0, 3.0, 2.0]), 5)
    assert line == [[(y, left, 0), (b, left, 6)],
                    [(a, left, 0), (x, left, 3)]]


def test_a_merge_left_above_the_cycle_is_not_a_fit() -> None:
    """Seed 3's line at cycle 29 (together groups, apart pairs, a pin,
    two operators a side, two variants): the fit downwards merged two
    stations and the local search lowered the time above the cycle
    without reaching it; that line was taken as fitted and the checker
    rejected it (a task running 11..30). Now it is solved, every task
    within the cycle."""
    from taktplan.balance.twosided import Budget, solve_talbp1

    result = solve_talbp1(_random_problem(3), 29, Budget.for_seconds(2))
    assert result.n_stations >= result.lower_bound
    assert all(task.finish <= 29 for station in result.line
               for position in station.positions for task in position.tasks)


def test_the_solver_reports_its_progress_as_it_books_work() -> None:
    """Seed 3's line at cycle 29 spends most of its budgets (7 stations
    against a bound of 5): the share reported grows through several
    steps between 0 and 1 and ends at 1."""
    from taktplan.balance.twosided import Budget, solve_talbp1

    seen: list[float] = []
    solve_talbp1(_random_problem(3), 29, Budget.for_seconds(2),
                 progress=seen.append)
    assert seen == sorted(seen) and seen[-1] == 1.0
    assert len([x for x in seen if 0.0 < x < 1.0]) >= 3
