"""Type I's fits: a line of ``m`` mated stations within cycle ``c``
from the type-II side, where the greedy lines end above the bound.

The greedy line of ``m`` stations with the least cycle is pushed under
``c`` by the local search in its target mode and by CP-SAT windows
(:mod:`.windows`), from several starts (both directions, the
variants' weighted times); a count between the bound and the greedy
line is reached by merging two stations first. Every move and unit of
work is booked on the run's :class:`~.budget.RunCounter`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from taktplan.balance.twosided.bounds import cycle_bound
from taktplan.balance.twosided.budget import (
    CPSAT_WORK_PER_SECOND,
    NODES_PER_SECOND,
    WINDOW_SHARE,
    Budget,
    RunCounter,
)
from taktplan.balance.twosided.finish import kept_line
from taktplan.balance.twosided.heuristic import (
    Placement,
    cycle_of,
    staffed_positions,
)
from taktplan.balance.twosided.improve import (
    fewer_positions,
    improve_cycle,
)
from taktplan.balance.twosided.least_cycle import heuristic_cycle
from taktplan.balance.twosided.reverse import reversed_problem, unreverse
from taktplan.balance.twosided.station import Prepared, prepare
from taktplan.balance.twosided.windows import shorten_by_windows

if TYPE_CHECKING:
    from taktplan.balance.twosided.problem import TwoSidedProblem


#: Type I's fits search with this many times the moves (it has no load
#: search, and the fit decides its runs): P205 with 9 stations at 1322
#: ends at 1369 after 600,000 moves and reaches 1323 after 1,200,000.
FIT_MOVES = 2


def fit_stations(problem: TwoSidedProblem, prep: Prepared, c: int, m: int,
                  budget: Budget, count: RunCounter, both_ways: bool = True
                  ) -> tuple[Placement | None, Placement | None]:
    """A line of ``m`` stations within cycle ``c`` from the type-II side:
    the greedy line of ``m`` stations with the least cycle, shortened by
    the local search and then by the window search on the load search's
    share and CP-SAT's work (``None`` when it stays above ``c``), and
    that shortest line of ``m`` stations whatever its cycle (a hint).
    With ``both_ways`` the greedy line and local search also run on the
    graph read backwards (the one-sided end's rest skips it: 4-5 s on
    P205, see :func:`free_one_position`)."""
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
    local search on :data:`FIT_MOVES` times the moves and, with
    ``seeds``, while the line stays above ``c``, by :data:`_EXTRA_SEEDS`
    more seeds on a quarter of that each; the shortest line."""
    start = line + [[] for _ in range(m - len(line))]
    moves = FIT_MOVES * budget.moves
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
    """:func:`fit_stations` for a problem with extra dimensions
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


def fit_downwards(problem: TwoSidedProblem, prep: Prepared, c: int,
                   lb: int, line: Placement, budget: Budget,
                   count: RunCounter) -> Placement:
    """``line`` with one station fewer at a time, fitted (by a merge,
    :func:`_fit_by_merging`, else :func:`fit_stations`), until a fit
    fails or ``lb`` stations. For a
    problem with extra dimensions (variants), whose fits are hardest at
    the bound: the plant's trim segment has 14 stations by the greedy
    lines, 13 by the fit and a bound of 12; and on a plain problem,
    down to one above the bound where the bound's own fit failed."""
    m = len(line) - 1
    while m >= lb:
        fewer = _fit_by_merging(prep, c, line, m - lb, budget, count)
        if fewer is None:
            fewer, _ = fit_stations(problem, prep, c, m, budget, count)
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


def drain_positions(prep: Prepared, line: Placement, c: int, goal: int,
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
