"""Type I of two-sided balancing: fewest mated stations, then fewest
staffed operator positions, at a given cycle time
(:func:`solve_talbp1`).

From the side-aware bound and the greedy line it tries the one-sided
end first where that pays, the load search and a probe of the station
search where a line at the bound idles little, then fits the bound's
station count from the type-II side (local search, windows, variants,
merges), decides the rest exactly, and last drains operator positions.
"""

from __future__ import annotations

import math
import time
from dataclasses import replace
from typing import TYPE_CHECKING

from taktplan.balance.twosided.bounds import (
    cycle_bound,
    operators_bound,
    stations_bound,
)
from taktplan.balance.twosided.budget import (
    CPSAT_WORK_PER_SECOND,
    NODES_PER_SECOND,
    WINDOW_SHARE,
    Budget,
    RunCounter,
    check_backend,
    loads_as_cpsat,
    use_cpsat,
)
from taktplan.balance.twosided.cpsat import solve_cpsat
from taktplan.balance.twosided.finish import (
    checked_result,
    found_line,
    kept_line,
)
from taktplan.balance.twosided.heuristic import (
    Placement,
    best_line,
    cycle_of,
    staffed_positions,
)
from taktplan.balance.twosided.improve import (
    fewer_positions,
    improve_cycle,
)
from taktplan.balance.twosided.least_cycle import (
    heuristic_cycle,
    shortest_line,
)
from taktplan.balance.twosided.loads import (
    IDLE_GATE,
    applicable,
    idles_under,
    line_idles_under,
    worth_trying,
)
from taktplan.balance.twosided.one_sided_end import (
    EndSplit,
    closed_end_sets,
    end_splits,
    one_sided_station,
)
from taktplan.balance.twosided.reverse import reversed_problem, unreverse
from taktplan.balance.twosided.station import Prepared, prepare
from taktplan.balance.twosided.windows import (
    fewer_operators_by_windows,
    shorten_by_windows,
    sub_problem,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from taktplan.balance.twosided.problem import TwoSidedProblem
    from taktplan.balance.twosided.result import TwoSidedResult

def solve_talbp1(problem: TwoSidedProblem, cycle_time: int,
                 budget: Budget = Budget(),
                 progress: Callable[[float], None] | None = None
                 ) -> TwoSidedResult:
    """Fewest mated stations, then operators, at ``cycle_time``.

    Parameters
    ----------
    problem
        The instance (its own cycle time is ignored).
    cycle_time
        The cycle time.
    budget
        Search budgets and the backend (``"auto"``, ``"search"``,
        ``"cp-sat"``).
    progress
        Called with the share of the budgets spent (0 to 1, growing) as
        the searches book their work.

    Returns
    -------
    TwoSidedResult
        Checked; ``status == "optimal"`` when both the stations and the
        operators meet their lower bounds.
    """
    check_backend(budget.backend)
    cpu0 = time.process_time()
    c = int(cycle_time)
    problem.check_cycle_time(c)
    prep = prepare(problem)
    count = RunCounter(budget, problem, progress)
    count.fit_extra = loads_as_cpsat(budget)
    count.moves_free = _FIT_MOVES * budget.moves
    count.start_progress()
    lb = stations_bound(problem, c)
    line = best_line(prep, c, problem.n_tasks + 1, budget.restarts,
                     budget.seed)
    ub = len(line) if line is not None else problem.n_tasks + 1
    ub = max(ub, int(problem.group_station.max()) + 1)
    how = "heuristic" if lb < ub else "bound"
    if line is not None and _end_first_wanted(problem, c, lb, budget):
        goal = 2 * lb - 1
        if lb == ub and staffed_positions(line) > goal:
            # the cheap ways first (P148 at 255-510: 0.2-0.4 s)
            line = best_line(prep, c, lb, budget.restarts, budget.seed,
                             max_positions=goal) or line
            line = _drain_positions(prep, line, c, goal, budget, count)
        if lb < ub or staffed_positions(line) > goal:
            ended = _end_by_loads(problem, c, lb, count)
            if ended is not None:
                line, ub, how = ended, len(ended), "loads"
            else:
                ended = _end_first(problem, c, lb, budget, count)
                if ended is not None:
                    line, ub, how = ended, len(ended), "heuristic"
    near: Placement | None = None  # lb stations, cycle above c: a hint
    if (lb < ub and budget.backend in ("auto", "search")
            and worth_trying(problem, c, lb)):
        # a line of lb stations idles under half a task: the load search
        # decides it where the fits and the search cannot (P65 at 319:
        # 8 stations refuted in 5 s, which type II's 320 says; 9 proved)
        decided, found = count.by_loads(problem, c, lb)
        if decided and found is None:
            lb += 1
            how = "loads" if lb >= ub else how
        elif found is not None:
            line, ub, how = found, len(found), "loads"
    if (lb < ub and budget.backend in ("auto", "search")
            and line_idles_under(problem, c, lb, _PROBE_IDLE)):
        # a probe of the station search before the fits spend its nodes:
        # a tight cycle is often filled at once (P148 at 366: 7 stations
        # in 643 nodes, where the fits end at 8 and leave no nodes)
        hit = count.limit_hit
        decided, found = count.search(prep, c, lb,
                                      limit=int(budget.nodes * _PROBE_I))
        count.limit_hit = hit
        if decided and found is None:
            lb += 1
            how = "search" if lb >= ub else how
        elif found is not None:
            line, ub, how = found, len(found), "search"
    if lb < ub and problem.extra_limits and line is not None:
        line = _fit_downwards(problem, prep, c, lb, line, budget, count)
        ub = len(line)
    elif lb < ub:
        fewer, near = _fit_stations(problem, prep, c, lb, budget, count)
        if fewer is not None:
            line, ub = fewer, len(fewer)
        elif ub - lb >= 2 and line is not None:
            # a station count between the bound and the greedy line's
            # (P205 at 944: 13 does not fit, the greedy line has 15;
            # merged or fitted from the top, 14)
            line = _fit_downwards(problem, prep, c, lb + 1, line, budget,
                                  count)
            ub = len(line)
    if budget.backend in ("auto", "search"):
        while lb < ub:
            decided, found = count.search(prep, c, lb)
            if not decided:
                break
            if found is None:
                lb += 1
                how = "search" if lb >= ub else how
            else:
                line, ub, how = found, len(found), "search"
    if use_cpsat(problem, budget):
        while lb < ub and count.cpsat_work() > 0:
            out = solve_cpsat(problem, c=c, m=lb, c_high=c,
                              hint=near if near and len(near) == lb else None,
                              work_limit=count.cpsat_work(),
                              time_limit=count.wall_left(), seed=budget.seed)
            count.spent(out.work)
            if out.line is not None:
                line, ub, how = out.line, len(out.line), "cp-sat"
            elif out.proved:
                lb += 1
            else:
                count.limit_hit = True
                break
        if lb < ub:
            count.limit_hit = True
    line = found_line(problem, line, "", problem.cycle_advice)
    m = len(line)
    # Valid at any station count: every one of the m stations is staffed.
    op_lb = operators_bound(problem, c, m)
    ops = staffed_positions(line)
    if ops > op_lb and lb == m:
        fewer = best_line(prep, c, m, budget.restarts, budget.seed,
                          max_positions=op_lb)
        if fewer is not None:
            line, ops = fewer, staffed_positions(fewer)
    if ops > op_lb:
        line = _drain_positions(prep, line, c, op_lb, budget, count)
        ops = staffed_positions(line)
    if lb == m and ops > op_lb == 2 * m - 1 and applicable(problem):
        ended = _end_by_loads(problem, c, m, count)
        if ended is not None:
            line, ops, how = ended, staffed_positions(ended), "loads"
        else:
            ended = _free_one_position(problem, c, m, budget, count)
            if ended is not None:
                line, ops, how = ended, staffed_positions(ended), "heuristic"
    if budget.backend in ("auto", "search") and lb == m:
        while op_lb < ops:
            decided, found = count.search(prep, c, m, max_positions=op_lb)
            if not decided:
                break
            if found is None:
                op_lb += 1
            else:
                line, ops, how = found, staffed_positions(found), "search"
    # a mixed-model segment's windows are re-sequenced (one order per
    # position for every variant); they run at any station count, as the
    # plant keeps its line whether or not the count is proved (chassis
    # with two operators a side: 24 -> 22 operators on 6 stations)
    windows_ok = (use_cpsat(problem, budget) and lb == m) or (
        bool(problem.extra_limits)
        and budget.backend in ("auto", "cp-sat"))
    if ops > op_lb and windows_ok and count.cpsat_work() > 0:
        won = fewer_operators_by_windows(
            problem, line, c, count.cpsat_work() * WINDOW_SHARE,
            seed=budget.seed, floor=op_lb, time_left=count.wall_left)
        count.spent(won.work)
        if won.operators < ops:
            line, ops, how = won.line, won.operators, "cp-sat"
    if (ops > op_lb and use_cpsat(problem, budget) and lb == m
            and count.cpsat_work() > 0):
        out = solve_cpsat(problem, c=c, m=m, c_high=c, hint=line,
                          minimise_operators=True,
                          work_limit=count.cpsat_work(),
                          time_limit=count.wall_left(), seed=budget.seed)
        count.spent(out.work)
        if out.line is not None and staffed_positions(out.line) <= ops:
            line, ops = out.line, staffed_positions(out.line)
            how = "cp-sat" if how != "search" else how
        op_lb = max(op_lb, out.value if out.proved else out.bound)
        if out.limit_hit:
            count.limit_hit = True
    status = "optimal" if lb >= len(line) and op_lb >= ops else "feasible"
    if progress is not None:
        progress(1.0)
    return checked_result(problem, "TALBP-1", status, c, lb,
                          min(op_lb, ops), line, cpu0, count, how,
                          pad_to=None)


#: The share of the station search's nodes type I probes its bound with
#: before the fits, where a line at the bound idles less than
#: ``_PROBE_IDLE`` mean task times (there the search's bounds prune
#: hard: P148 at 258 and 366, 1.0 and 0 tasks, are filled in 1,700 and
#: 1,800 nodes; where the line idles more the fits are quicker, P65 at
#: 381, 3 tasks: 0.6 s by the probe, 0.02 s by the fits).
_PROBE_I = 0.25
_PROBE_IDLE = 2.0
#: Type I's fits search with this many times the moves (it has no load
#: search, and the fit decides its runs): P205 with 9 stations at 1322
#: ends at 1369 after 600,000 moves and reaches 1323 after 1,200,000.
_FIT_MOVES = 2

def _fit_stations(problem: TwoSidedProblem, prep: Prepared, c: int, m: int,
                  budget: Budget, count: RunCounter, both_ways: bool = True
                  ) -> tuple[Placement | None, Placement | None]:
    """A line of ``m`` stations within cycle ``c`` from the type-II side:
    the greedy line of ``m`` stations with the least cycle, shortened by
    the local search and then by the window search on the load search's
    share and CP-SAT's work (``None`` when it stays above ``c``), and
    that shortest line of ``m`` stations whatever its cycle (a hint).
    With ``both_ways`` the greedy line and local search also run on the
    graph read backwards (the one-sided end's rest skips it: 4-5 s on
    P205, see :func:`_free_one_position`)."""
    if problem.extra_limits:
        return _fit_with_variants(problem, prep, c, m, budget, count)
    line, cycle = heuristic_cycle(problem, prep, m, cycle_bound(problem, m),
                                  budget)
    if line is None:
        return None, None
    if cycle > c:
        line = _improve_to(prep, line, m, c, budget, count,
                           seeds=not both_ways)
        cycle = cycle_of(prep, line)
    starts = [(cycle, line)]
    back = reversed_problem(problem) if both_ways else None
    if cycle > c and back is not None:
        # the same from the graph read backwards, as type II does (P205
        # at 1133: 11 stations at cycle 1119 that way)
        bprep = prepare(back)
        other, bcycle = heuristic_cycle(back, bprep, m,
                                        cycle_bound(back, m), budget)
        if other is not None and bcycle > c:
            other = _improve_to(bprep, other, m, c, budget, count,
                                seeds=False)
            bcycle = cycle_of(bprep, other)
        if other is not None:
            starts.append((bcycle, unreverse(other, problem.times)))
    starts.sort(key=lambda s: s[0])
    return _fit_by_windows(problem, prep, c, m, starts, budget, count)


def _improve_to(prep: Prepared, line: Placement, m: int, c: int,
                budget: Budget, count: RunCounter, seeds: bool) -> Placement:
    """``line`` (padded to ``m`` stations) shortened towards ``c`` by the
    local search on :data:`_FIT_MOVES` times the moves and, with
    ``seeds``, while the line stays above ``c``, by :data:`_EXTRA_SEEDS`
    more seeds on a quarter of that each; the shortest line."""
    start = line + [[] for _ in range(m - len(line))]
    moves = _FIT_MOVES * budget.moves
    best, used = improve_cycle(prep, start, moves, budget.seed, target=c)
    count.moved(used)
    for r in range(1, 1 + (_EXTRA_SEEDS if seeds else 0)):
        if cycle_of(prep, best) <= c:
            break
        other, used = improve_cycle(prep, start, moves // 4,
                                    budget.seed + r, target=c)
        count.moved(used)
        if cycle_of(prep, other) < cycle_of(prep, best):
            best = other
    return best


#: Seeds the fit's local search tries after the first, while the line
#: stays above the cycle, where the fit runs one direction only (the one
#: -sided end's rest; the two directions of the bound's fit are two
#: starts already): where the search ends depends on its seed (P148 at
#: 306, the rest on 8 stations: seeds 0-3 end at 313, 316, 306 and 321).
_EXTRA_SEEDS = 2


def _fit_with_variants(problem: TwoSidedProblem, prep: Prepared, c: int,
                       m: int, budget: Budget, count: RunCounter
                       ) -> tuple[Placement | None, Placement | None]:
    """:func:`_fit_stations` for a problem with extra dimensions
    (variants): the local search scores the variants too and starts
    from the greedy line on the weighted times alone, which breaks them
    (the greedy that keeps them packs the variant-heavy tasks first and
    leaves chains of one side that no move undoes: the plant's trim
    segment with 13 stations ended at 1209 against 1169 from there, and
    fitted from the weighted line, before the variants' mean was kept);
    the windows then re-solve with every variant kept."""
    start, _ = _weighted_start(problem, m, budget)
    if start is None:
        return None, None
    padded = start + [[] for _ in range(m - len(start))]
    best: tuple[int, Placement] | None = None
    for r in range(_VARIANT_STARTS):
        line, used = improve_cycle(prep, padded,
                                   budget.moves // _VARIANT_STARTS,
                                   budget.seed + r, target=c)
        count.moved(used)
        if line is padded:
            break  # not even the variants fit: other seeds seldom do
        cycle = cycle_of(prep, line)
        if best is None or cycle < best[0]:
            best = (cycle, line)
        if cycle <= c:
            break
    if best is None:
        return None, None
    return _fit_by_windows(problem, prep, c, m, [best], budget, count)


#: Seeds of the local search for a problem with extra dimensions, each
#: on an equal share of the moves, until one fits: the search from the
#: weighted line ends at the cycle or a few percent above it, by its
#: seed (the plant's trim segment with 13 stations: 5 of 8 seeds fit on
#: a million moves each, chassis with 9: 7 of 8).
_VARIANT_STARTS = 4


def _fit_by_windows(problem: TwoSidedProblem, prep: Prepared, c: int, m: int,
                    starts: list[tuple[int, Placement]], budget: Budget,
                    count: RunCounter
                    ) -> tuple[Placement | None, Placement | None]:
    """The best of ``starts`` (cycle, line of ``m`` stations), shortened
    by the window search where it is above ``c``: the fitted line
    (``None`` when it stays above) and the shortest line (a hint)."""
    cycle, line = starts[0]
    if cycle > c and budget.backend in ("auto", "cp-sat"):
        # type I has no load search: its share goes here after the
        # pool's, and what it takes comes out of the station search's
        # nodes too (P205's type-I runs already take 17-30 s, and the
        # search decides none of them). A window search that ends with
        # every window decided is started again from its own line while
        # that helps (each start offers narrow windows again: P205 at
        # 1510 from 1553 ends at 1520, and from there reaches 1510),
        # then from the other direction's line; one whose pace says it
        # will not reach c stops early.
        share = count.cpsat_work() * WINDOW_SHARE
        limit = share + count.fit_extra
        spent = 0.0
        for here, start in starts:
            while cycle > c and spent < limit:
                won = shorten_by_windows(problem, start, m, limit - spent,
                                         seed=budget.seed, floor=c,
                                         time_left=count.wall_left,
                                         give_up=True)
                spent += won.work
                if won.cycle < cycle:
                    line, cycle = won.line, won.cycle
                if won.cycle >= here or won.gave_up:
                    break
                start, here = won.line, won.cycle
        count.spent(min(spent, share))
        beyond = max(0.0, spent - share)
        count.fit_extra = max(0.0, count.fit_extra - beyond)
        count.nodes_left = max(0, count.nodes_left - int(
            beyond / CPSAT_WORK_PER_SECOND * NODES_PER_SECOND))
    return (kept_line(prep, line) if cycle <= c else None), line


def _fit_downwards(problem: TwoSidedProblem, prep: Prepared, c: int,
                   lb: int, line: Placement, budget: Budget,
                   count: RunCounter) -> Placement:
    """``line`` with one station fewer at a time, fitted (by a merge,
    :func:`_fit_by_merging`, else :func:`_fit_stations`), until a fit
    fails or ``lb`` stations. For a
    problem with extra dimensions (variants), whose fits are hardest at
    the bound: the plant's trim segment has 14 stations by the greedy
    lines, 13 by the fit and a bound of 12; and on a plain problem,
    down to one above the bound where the bound's own fit failed."""
    m = len(line) - 1
    while m >= lb:
        fewer = _fit_by_merging(prep, c, line, m - lb, budget, count)
        if fewer is None:
            fewer, _ = _fit_stations(problem, prep, c, m, budget, count)
        if fewer is None:
            break
        line = fewer
        m = len(line) - 1
    return line


def _fit_by_merging(prep: Prepared, c: int, line: Placement, tries: int,
                    budget: Budget, count: RunCounter) -> Placement | None:
    """``line`` with one station fewer within ``c`` and every variant's
    limit: one of its ``tries`` (at most :data:`_MERGE_TRIES`)
    least-loaded stations merged into the station before it (the first
    into the next), the local search (:data:`_MERGE_MOVES` of the moves
    each, with swaps) spreading what overflows. A start that keeps the
    line's variants where they are: the plant's trim copied four times
    (380 tasks) fits 53, 52 and 51 stations this way, and from the
    weighted times alone not even 56. The fit downwards gives it one
    try per station the line would still be above its bound: the
    tighter the line, the less often a merge fits (the plant's trim at
    its bound of 12 and chassis at 9: none of 6 tries did, 4 s each),
    and at the bound the fit from the weighted times runs anyway.
    ``None`` when no merge fits. Only stations after the last one with
    a pinned task (the stations after a merge shift), and not merging
    tasks that must be apart."""
    last_pin = max(prep.pin, default=-1)
    loads = [sum(int(prep.t[i]) for i, _, _ in st) for st in line]
    lightest = sorted((k for k in range(len(line)) if last_pin < max(k, 1)),
                      key=lambda k: (loads[k], k))
    for k in lightest[:min(tries, _MERGE_TRIES)]:
        start = _merged(prep, line, k)
        into = start[k - 1 if k > 0 else 0]
        mask = sum(1 << i for i, _, _ in into)
        if any(prep.apart_mask[i] & mask for i, _, _ in into):
            continue
        out, used = improve_cycle(prep, start,
                                  int(budget.moves * _MERGE_MOVES),
                                  budget.seed, target=c)
        count.moved(used)
        # a line the search improved may still be above c (it lowers
        # the time above c first): fitted only within it
        if out is not start and cycle_of(prep, out) <= c:
            return kept_line(prep, out) or out
    return None


def _merged(prep: Prepared, line: Placement, k: int) -> Placement:
    """``line`` without station ``k``: its tasks after those of the
    station before it on the same positions (station 0's before those
    of station 1), so precedence holds."""
    out = [list(st) for st in line]
    into = k - 1 if k > 0 else 1
    first, then = (out[into], out[k]) if into < k else (out[k], out[into])
    shift = max((s + int(prep.t[i]) for i, _, s in first), default=0)
    out[into] = first + [(i, q, s + shift) for i, q, s in then]
    del out[k]
    return out


#: Stations :func:`_fit_by_merging` tries to merge away, the least
#: loaded first, and the share of the moves each gets.
_MERGE_TRIES = 6
_MERGE_MOVES = 0.125


def _weighted_start(problem: TwoSidedProblem, m: int, budget: Budget
                    ) -> tuple[Placement | None, int]:
    """The greedy line of ``m`` stations on the weighted times alone, its
    variants (extra dimensions) unchecked: a start for the local search
    where the variants' limits leave the greedy no line of ``m``
    stations at any cycle (the plant's trim segment at 12 and 13)."""
    relaxed = replace(problem, extra_times=None, extra_limits=(),
                      extra_weights=())
    rprep = prepare(relaxed)
    return heuristic_cycle(relaxed, rprep, m, cycle_bound(relaxed, m),
                           budget)


def _drain_positions(prep: Prepared, line: Placement, c: int, goal: int,
                     budget: Budget, count: RunCounter) -> Placement:
    """``line`` with positions freed by the local search's operator mode
    (:func:`.improve.fewer_positions`) while each run frees one, down to
    ``goal`` staffed positions; each run on the budget's moves, out of
    the local search's share that the fits left (none left: no run; P205
    at 1133 spends its whole budget on fitting 11 stations, and a run
    that frees nothing costs 1.5-2 s there)."""
    while staffed_positions(line) > goal:
        moves = min(budget.moves, count.moves_free)
        if moves <= 0:
            break
        fewer, used = fewer_positions(prep, line, c, moves, goal,
                                      budget.seed)
        count.moved(used)
        if fewer is line:
            break
        line = fewer
    return line


def _free_one_position(problem: TwoSidedProblem, c: int, m: int,
                       budget: Budget, count: RunCounter
                       ) -> Placement | None:
    """A line of at most ``m`` stations at ``c`` with ``2 m - 1``
    positions or fewer: one end station one-sided
    (:mod:`.one_sided_end`), the rest fitted like the bound's stations
    (:func:`_fit_stations`) on ``m - 1``, for the :data:`_END_TRIES`
    end sets with the most work; ``None`` when no rest fits."""
    for split in end_splits(problem, c)[:_END_TRIES]:
        rest = list(split.rest)
        sub = sub_problem(problem, rest)
        fitted, _ = _fit_stations(sub, prepare(sub), c, m - 1, budget, count,
                                  both_ways=False)
        if fitted is not None:
            return _with_end(problem, split, fitted)
    return None


def _end_by_loads(problem: TwoSidedProblem, c: int, m: int,
                  count: RunCounter) -> Placement | None:
    """A line of ``m`` stations at ``c`` with ``2 m - 1`` positions: an
    end station one-sided on one of the end sets that leave the rest
    within ``m - 1`` mated stations (:func:`.closed_end_sets`), the rest
    decided by the load search where it idles under half a task. The
    rest idles what its end set holds above the least such set, so the
    sets with the most work whose rest is still under the gate come
    first: their rests are the easiest to fill (P65 at 341: the first
    end set tried, 341 units, leaves a rest of 16 units of idle that the
    load search fills). ``None`` when no such end set's rest fits within
    the load search's share."""
    n, work = problem.n_tasks, int(problem.times.sum())
    if n > _END_TASKS_PER_STATION * max(1, m - 1) or (
            (c, m) in count.ends_failed):
        return None
    least = work - 2 * c * (m - 1)
    for split in closed_end_sets(problem, c, max(1, least), _END_SET_NODES):
        # the rest idles split.work - least: under the load search's gate
        # (worth_trying, without building the rest for every set)
        if not idles_under(split.work - least, work - split.work,
                           len(split.rest), IDLE_GATE):
            continue
        rest = sub_problem(problem, list(split.rest))
        decided, found = count.by_loads(rest, c, m - 1)
        if found is not None:
            return _with_end(problem, split, found)
        if not decided:
            break
    count.ends_failed.add((c, m))
    return None


#: Nodes of the end sets' enumeration (:func:`.closed_end_sets`).
_END_SET_NODES = 200_000
#: :func:`_end_by_loads` runs on lines of at most this many tasks a
#: station: P65 (8 a station at 341) is decided in 1-5e7 units of work
#: a rest; P205's rests (20-47 a station at 1133-2643) ran out of 3e7
#: or took the run's whole share (P205 at 1888: 0.6 s -> 21 s, at 2643
#: 1.4 s -> 30 s, the same lines).
_END_TASKS_PER_STATION = 16


def _with_end(problem: TwoSidedProblem, split: EndSplit,
              fitted: Placement) -> Placement:
    """The line of ``fitted`` (the stations of ``split.rest``, numbered
    in it) and the one-sided end station of ``split``."""
    others = [[(split.rest[i], q, s) for i, q, s in st] for st in fitted]
    end = one_sided_station(problem, split)
    return [*others, end] if split.last else [end, *others]


def _end_first_wanted(problem: TwoSidedProblem, c: int, lb: int,
                      budget: Budget) -> bool:
    """Whether type I tries :func:`_end_first` before fitting ``lb``
    stations: the operator bound at ``lb`` stations is ``2 lb - 1``, so
    a line of ``lb`` stations with one one-sided end station is optimal
    in both, and the windows (CP-SAT) are at hand."""
    return (budget.backend == "auto" and not problem.extra_limits
            and problem.two_sided and problem.operators_per_side == 1
            and applicable(problem)
            and operators_bound(problem, c, lb) == 2 * lb - 1)


def _end_first(problem: TwoSidedProblem, c: int, m: int, budget: Budget,
               count: RunCounter) -> Placement | None:
    """A line of ``m`` stations at ``c`` with ``2 m - 1`` positions: one
    end station one-sided (:mod:`.one_sided_end`) and the rest on
    ``m - 1`` stations by type II's heuristics (:func:`shortest_line`,
    stopping at ``c``); ``None`` when no rest fits. Type II's rounds of
    seeds and windows fit where type I's fit of ``m`` stations and then
    the draining of a position do not: P205 at 1133, 11 stations, the
    last station's right set (1121) and the rest on 10 stations at 1132
    in 6 s (the fit from the same rest: 1159; 22 operators before, 21
    now, the bound).

    Each try is a run of :data:`_END_TRY_SECONDS` (where the rest ends
    jumps with its budget as much as with its seed, so the tries are
    alike at any time limit), on the two end sets with the most work in
    turn, a new seed for each pair, as many as :data:`_END_FIRST_SHARE`
    of the run's CP-SAT work buys, none below :data:`_END_TRIES_FEWEST`
    (one try of a 10 s run took half its budget, and the fits after it
    ran over: 15 s of CPU); each is booked whole against the run's
    budgets."""
    splits = end_splits(problem, c)[:2]
    one = Budget.for_seconds(_END_TRY_SECONDS)
    tries = int(_END_FIRST_SHARE * budget.work / one.work + 1e-9)
    if tries < _END_TRIES_FEWEST or not splits:
        return None
    for k in range(min(tries, _END_TRIES_MOST)):
        if count.cpu_left() <= 0:
            break  # the run's CPU safety net
        split = splits[k % len(splits)]
        # the try's safety nets, within the run's
        part = replace(one, seed=budget.seed + k // len(splits),
                       time_limit=min(one.time_limit, budget.time_limit),
                       cpu_limit=min(one.cpu_limit or math.inf,
                                     count.cpu_left()))
        count.charge(part)
        sub = sub_problem(problem, list(split.rest))
        lb = cycle_bound(sub, m - 1)
        if lb > c:
            continue
        sprep = prepare(sub)
        short = shortest_line(sub, sprep, m - 1, lb, c, part,
                              RunCounter(part, sub))
        if short.line is None or short.cycle > c:
            continue
        fitted = kept_line(sprep, short.line)
        if fitted is not None:
            return _with_end(problem, split, fitted)
    return None


#: CPU seconds' budgets of each try of :func:`_end_first`, the share of
#: the run's CP-SAT work its tries may take, the fewest and the most
#: tries (P205 at 1133, the rest on 10 stations, the two end sets with
#: the most work: 5 s runs with seeds 0-3 fit on one or the other with
#: seeds 0, 1 and 3; 10 s runs with seed 0 on neither, 20 s on one).
_END_TRY_SECONDS = 5.0
_END_FIRST_SHARE = 1 / 2
_END_TRIES_FEWEST = 2
_END_TRIES_MOST = 8


#: End sets :func:`_free_one_position` tries, the most work first (it
#: leaves the least to the rest; P205 at 2266 and 1888: the last
#: station's right set). Each costs the greedy lines and the local
#: search on the rest, one direction (3-5 s on P205), and windows.
_END_TRIES = 1
