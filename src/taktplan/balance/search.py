"""The compiled searches' drivers: memory, budgets and both directions.

:func:`run_search` runs one search of :mod:`._kernel` (depth-first
BB&R, beam, best-first) on a prepared instance; :func:`search_both`
races the instance and its mirror; :func:`search_depth_first_rounds`
is the mixed-model balance's variant. The solvers
(:mod:`.exact`, :mod:`.salbp2`, :mod:`.mixed`) and the warm-up
(:mod:`.warmup`) call them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from taktplan.balance._binpack import FITS, NO_FIT, fits_in_bins, new_memo
from taktplan.balance._kernel import (
    ENDED,
    bbr_search,
    beam_search,
    beam_state,
    cbfs_search,
    cbfs_state,
)
from taktplan.balance.arcflow import arc_flow_bound
from taktplan.balance.prepare import Prepared, prepare
from taktplan.stop_request import kernel_safe_interrupts, raise_if_stopped

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

#: Hash-table memory budget of the search, in bytes. Halved with
#: :data:`KEPT_MEMORY` (256 and 512 MB before): a 300-task line that runs
#: its search to the limit peaked at 1,075 MB, now 693 MB, with the same
#: line and bound, and Scholl's 269 and the generated 100-task lines give
#: the same results in the same time (measured 2026-12-08).
STATE_MEMORY = 1 << 27

#: A beam width that keeps every state: the complete breadth-first
#: search, whose budget stops it between nodes so that it can go on.
UNBOUNDED = 1 << 62


def max_states(n_tasks: int) -> int:
    """Largest power of two of table entries within :data:`STATE_MEMORY`."""
    words = (n_tasks + 63) // 64
    per_entry = 8 * words + 4
    size = 1
    while size * 2 * per_entry <= STATE_MEMORY:
        size *= 2
    return size


def max_archive(n_tasks: int) -> int:
    """States the best-first search may keep within :data:`STATE_MEMORY`."""
    words = (n_tasks + 63) // 64
    return STATE_MEMORY // (8 * words + 40)


def state_memo(prep: Prepared, use_mt: bool,
               memo: np.ndarray | None) -> np.ndarray | None:
    """The bin-packing memory a search gets: none without ``use_mt``
    or in several dimensions (its kernel is then compiled without the
    bin packing), else ``memo`` or a fresh one."""
    if not use_mt or prep.cap.size != 1:
        return None
    return new_memo(BIN_PACKING_BUDGET) if memo is None else memo


@dataclass(frozen=True)
class SearchRun:
    """What one search of :func:`run_search` found and spent.

    Parameters
    ----------
    best
        Stations of the best line: below the ``ub`` asked for when the
        search found a better line (then in ``station_of``).
    station_of
        0-based station of each task in that line (``-1`` if none).
    complete
        The search was exhaustive: no line with fewer than ``best``
        stations exists.
    nodes
        Nodes expanded.
    work
        Work done (see :data:`WORK_PER_SECOND`).
    state
        Where a best-first or breadth-first search stopped, to go on
        from (``resume`` of :func:`run_search`); ``None`` when it ended
        (or the search cannot go on).
    """

    best: int
    station_of: np.ndarray
    complete: bool
    nodes: int
    work: int
    state: tuple[Any, ...] | None = None


def run_search(prep: Prepared, ub: int, lb: int, time_limit: float, *,
               width: int = 0, max_loads: int = 1 << 62,
               max_leaves: int = 1 << 62, kw: np.ndarray | None = None,
               node_limit: int = 1 << 62, work_limit: int = 1 << 62,
               best_first: bool = False, use_mt: bool = True,
               memo: np.ndarray | None = None,
               resume: tuple[Any, ...] | None = None) -> SearchRun:
    """Run one BB&R search on prepared arrays.

    Parameters
    ----------
    prep
        The prepared instance.
    ub
        Only lines with fewer stations are sought.
    lb
        A proved lower bound (the search stops when it reaches it).
    time_limit
        CPU seconds (:func:`search_clock`; a safety net: ``node_limit``
        and ``work_limit`` give the same answer on every machine).
    width
        States kept per station for the beam search; ``0`` runs the
        depth-first (or cyclic best-first) search instead.
    max_loads, max_leaves
        Per-node truncation of the depth-first search (``max_leaves``
        also of the best-first search).
    kw
        Preference of each task in a load (sort key).
    node_limit
        Nodes expanded at most.
    work_limit
        Work done at most (:data:`WORK_PER_SECOND`).
    best_first
        Run the cyclic best-first search (:func:`._kernel.cbfs_search`).
    use_mt
        Prune with Martello & Toth's L2 and Fekete & Schepers' bounds
        on the tasks left, and with exact bin packing at the states
        they leave one station short.
    memo
        The bin-packing memory (:func:`._binpack.new_memo`) to share
        with other searches of the instance; a fresh one if ``None``.
        Only searches with ``use_mt`` in one dimension use it.
    resume
        The :attr:`SearchRun.state` of an earlier call of the same
        best-first or complete breadth-first search (same instance and
        arguments, ``ub`` no greater): it goes on from where that one
        stopped, with this call's budgets. ``None`` starts afresh.

    Returns
    -------
    SearchRun
    """
    n = prep.n_tasks
    pw = prep.positional_weight
    rank = np.lexsort((np.arange(n), -pw)).astype(np.int64)
    tail_order = np.lexsort((np.arange(n), -prep.tail)).astype(np.int64)
    args = (prep.times, prep.after,
            np.zeros(n) if kw is None else np.asarray(kw, np.float64),
            prep.cap, prep.pred_ptr, prep.pred_idx, prep.succ_ptr,
            prep.succ_idx, prep.dom, prep.tail, tail_order, prep.w2,
            prep.w3, prep.has_succ, rank, prep.desc, prep.fsw, bool(use_mt),
            state_memo(prep, use_mt, memo),
            int(ub), int(lb), float(max(time_limit, 0.0)), max_states(n),
            int(max(node_limit, 0)), int(max(work_limit, 0)))
    with kernel_safe_interrupts():
        if width > 0:
            state = beam_state(n) if resume is None else resume
            best, station_of, complete, nodes, _, work, state = beam_search(
                *args, int(width), state)
            ended = int(state[-1][7]) == ENDED
        elif best_first:
            state = cbfs_state(n, int(lb)) if resume is None else resume
            best, station_of, complete, nodes, _, work, state = cbfs_search(
                *args, int(max_leaves), max_archive(n), state)
            ended = int(state[-1][3]) == ENDED
        else:
            best, station_of, complete, nodes, _, work = bbr_search(
                *args, int(max_loads), int(max_leaves))
            ended = True
        # Ctrl-C ended the kernel (its clock read infinite): raise here,
        # in Python, where it is safe (taktplan.stop_request)
        raise_if_stopped()
    return SearchRun(int(best), station_of, bool(complete), int(nodes),
                     int(work), None if ended else state)


#: Loads looked at per node by the best-first search of
#: :func:`search_both` at first: few make each node cheap and reach
#: tight lines soonest (Scholl's 63 slowest instances, solver CPU under
#: load 10: 55 s with 10,000, 37 s with 1,000, 31 s with 300; with 150
#: SCHOLL c=1483 was not proved in 93 s).
BEST_FIRST_LOADS = 300

#: Loads a node of the best-first search looks at in the rounds of
#: :func:`search_both` without a lead direction (SALBP-2's), as in BB&R.
UNLED_BEST_FIRST_LOADS = 10_000

#: A best-first search of :func:`search_both` truncated to its end
#: without a line starts afresh with this many times the loads, up to
#: :data:`MAX_BEST_FIRST_LOADS`.
BEST_FIRST_GROWTH = 10
MAX_BEST_FIRST_LOADS = 30_000

#: Share of such a best-first search with more loads, per unit of the
#: first one's: where the line is already optimal (ARC111 c=7520) it
#: only holds up the breadth-first search that proves it (8.3 s to
#: 17.4 s at the whole share).
ESCALATED_SHARE = 0.2

#: Hoffman-style load preferences tried by the beam searches: weights of
#: a task's positional weight, of its immediate successors (per cycle)
#: and a per-task penalty (per cycle), as in Sewell & Jacobson's
#: multi-start Hoffman heuristic.
PREFERENCES = ((0.0, 0.0, 0.0), (0.0, 0.005, 0.02), (0.005, 0.0, 0.0),
               (0.01, 0.01, 0.01), (0.02, 0.0, 0.03), (0.0, 0.02, 0.0))


def preference(prep: Prepared, alpha: float, beta: float,
               gimmel: float) -> np.ndarray:
    """The per-task load preference ``kw`` for one weight setting."""
    n_succ = np.diff(prep.succ_ptr).astype(np.float64)
    scale = float(prep.cap.sum())
    return alpha * prep.positional_weight + (beta * n_succ - gimmel) / scale


def bfs_share(mine: int, other: int) -> float:
    """Share of a round for one direction's breadth-first search."""
    if 4 * mine < other:
        return 0.25
    if mine > 4 * other:
        return 2.0
    return 1.0


def direction_preferences(fwd: Prepared, bwd: Prepared
                          ) -> dict[bool, list[np.ndarray]]:
    """The load preferences of :data:`PREFERENCES` for each direction,
    keyed by ``mirror`` (``False`` forward, ``True`` on the mirror)."""
    return {mirror: [preference(p, *w) for w in PREFERENCES]
            for mirror, p in ((False, fwd), (True, bwd))}


#: Bins the exact bin packing may try in all the searches of one
#: instance (:func:`._binpack.new_memo`).
BIN_PACKING_BUDGET = 20_000_000

#: Bin-packing sets a search of :func:`search_both` may try per node of
#: its budget, when the rounds are counted in nodes: else one search on
#: a direction where each state asks for many sets spends the whole
#: :data:`BIN_PACKING_BUDGET` (WEE-MAG c=47 on the mirror: 15.5 million
#: sets in 577 nodes) and leaves none to the one that proves the line.
BINS_PER_NODE = 2_000

#: Bins :func:`root_bin_packing` may try per question.
ROOT_BIN_PACKING_NODES = 100_000


#: Bins :func:`root_bin_packing` may try per question when asked again
#: in round :data:`BIN_PACKING_ROUND` (WEE-MAG c=54: not settled in
#: 100,000, no fit in 30 bins within 1,000,000, 0.07 s).
ROOT_BIN_PACKING_RETRY = 1_000_000


def root_bin_packing(prep: Prepared, lb: int, ub: int, memo: np.ndarray,
                     nodes: int = ROOT_BIN_PACKING_NODES
                     ) -> tuple[int, bool]:
    """``lb`` raised while the tasks provably do not fit in ``lb``
    stations as bins (exact bin packing, :mod:`._binpack`, at most
    ``nodes`` bins per question; one dimension), up to ``ub``; and
    whether that is the fewest bins (a packing into ``lb`` bins was
    found, or ``lb == ub``)."""
    sizes = np.sort(prep.times[:, 0])[::-1].copy()
    while lb < ub:
        answer = fits_in_bins(sizes, sizes.size, lb, int(prep.cap[0]),
                              nodes, memo)
        if answer != NO_FIT:
            return lb, answer == FITS
        lb += 1
    return lb, True


#: Round of :func:`search_both` after which a gap left open, with the
#: root's bin packing not settled, is narrowed by asking the bin
#: completion again with :data:`ROOT_BIN_PACKING_RETRY` bins.
BIN_PACKING_ROUND = 0

#: Round after which the arc-flow model (:mod:`.arcflow`) settles what
#: the bin completion left open: late, because it is costly on long
#: cycles (8 CPU s on ARC111 c=7520, where it proved nothing: the
#: searches prove that line in round 3) and the import of CP-SAT (near
#: a second) is not to be paid by the instances the searches close.
ARC_FLOW_ROUND = 4


#: Work (as the kernels count it: eligible tasks scanned, tasks summed
#: over, bin-packing sets) that one core does in a second, measured on
#: Scholl's hardest instances and every kind of search (7e7 to 2.7e8 a
#: CPU second on an AMD EPYC core): turns a time limit into a budget
#: that gives the same answer on any machine and any load.
WORK_PER_SECOND = 100_000_000

#: The first round's work of :func:`search_both` and
#: :func:`search_depth_first_rounds` (tripled each round).
FIRST_ROUND_WORK = WORK_PER_SECOND // 20

#: A search on a work budget of ``S`` seconds stops at ``SAFETY_FACTOR
#: * S`` seconds of CPU time at the latest (work that runs far slower
#: than :data:`WORK_PER_SECOND` says), and says so
#: (:attr:`RoundsOutcome.safety_net_hit`).
SAFETY_FACTOR = 3.0


def search_clock() -> float:
    """CPU seconds of this process (:func:`time.process_time`): the
    clock of the searches' safety nets. Unlike wall time, other jobs on
    a busy machine do not run it down (a net on wall time bit at a
    twentieth of a core's share on a loaded machine)."""
    return time.process_time()


def work_for(seconds: float) -> int:
    """The work budget of a time limit (:data:`WORK_PER_SECOND`)."""
    return int(max(seconds, 0.0) * WORK_PER_SECOND)


def safety_deadline(seconds: float) -> float:
    """The safety net of a ``seconds`` work budget, as a
    :func:`search_clock` deadline (:data:`SAFETY_FACTOR`)."""
    return search_clock() + SAFETY_FACTOR * max(seconds, 0.0)


@dataclass(frozen=True)
class RoundsOutcome:
    """What :func:`search_both` or :func:`search_depth_first_rounds`
    found and spent.

    Parameters
    ----------
    ub
        Stations of the best line.
    station_of
        0-based station of each task in it.
    lb
        Proved lower bound (``lb == ub``: the line is optimal).
    nodes, work
        Nodes expanded and work done, all searches together.
    safety_net_hit
        The safety net (a :func:`search_clock` deadline), not a work or
        node budget, ended the rounds with the line not proved: another
        machine may give another line.
    """

    ub: int
    station_of: np.ndarray
    lb: int
    nodes: int
    work: int
    safety_net_hit: bool


class _Rounds:
    """The budgets of a schedule of rounds: nodes or work, and the
    safety net on :func:`search_clock`."""

    def __init__(self, deadline: float, node_limit: int | None,
                 work_limit: int | None) -> None:
        self.deadline = deadline
        self.node_limit = node_limit
        self.work_limit = work_limit
        self.nodes = 0
        self.work = 0
        self.round_work = FIRST_ROUND_WORK
        self.round_nodes = 64
        self.hit = False

    def spent(self) -> bool:
        """No budget left: nodes, work, or (recorded) the safety net."""
        if self.node_limit is not None and self.nodes >= self.node_limit:
            return True
        if self.work_limit is not None and self.work >= self.work_limit:
            return True
        if search_clock() >= self.deadline:
            self.hit = True
            return True
        return False

    def limits(self, part: float) -> dict[str, Any]:
        """``run_search`` budgets for a search given ``part`` of the
        round: nodes when the rounds count nodes, else work; time only
        as the safety net."""
        left = max(self.deadline - search_clock(), 0.0)
        if self.node_limit is not None:
            return {"time_limit": left, "node_limit": min(
                int(self.round_nodes * part) + 1,
                self.node_limit - self.nodes)}
        work = int(self.round_work * part) + 1
        if self.work_limit is not None:
            work = min(work, self.work_limit - self.work)
        return {"time_limit": left, "work_limit": work}

    def add(self, run: SearchRun) -> None:
        """Count a search's nodes and work."""
        self.nodes += run.nodes
        self.work += run.work

    def next_round(self) -> None:
        """Triple the budget."""
        self.round_work *= 3
        self.round_nodes *= 3

    def outcome(self, ub: int, station_of: np.ndarray,
                lb: int) -> RoundsOutcome:
        """The result; the safety net counts only if it left a gap."""
        return RoundsOutcome(ub, station_of, lb, self.nodes, self.work,
                             self.hit and lb < ub)


#: Round of :func:`search_both` from which only the best-first and
#: breadth-first searches run (they go on from round to round): on
#: Scholl's slowest instances the line is always found by the former
#: and proved by the latter, never by the depth-first search or the
#: beams, which restart each round.
ONLY_RESUMED_ROUND = 2

#: Memory the stopped searches of :func:`search_both` may keep to go on
#: from, in bytes; a search that would exceed it starts afresh next
#: round instead.
KEPT_MEMORY = 1 << 28


def state_bytes(state: tuple[Any, ...]) -> int:
    """Bytes held by a search's :attr:`SearchRun.state`: its arrays, and
    for the heaps of the best-first search (typed lists, slow to walk)
    twice the 16 bytes of an entry per state archived (the heaps grow
    by doubling)."""
    total = 0
    rows = 0
    for part in state:
        if isinstance(part, np.ndarray):
            total += part.nbytes
            if part.ndim == 2 and part.dtype == np.uint64:
                rows = max(rows, part.shape[0])
        else:  # a typed list of heaps
            total += 32 * rows
    return total


def kept_bytes(kept: dict[Any, tuple[Any, ...]]) -> int:
    """Bytes held by all the kept states."""
    return sum(state_bytes(state) for state in kept.values())


def _resumable(mirror: bool, run: dict[str, Any]
               ) -> tuple[bool, str] | None:
    """The key under which a search of :func:`search_both`'s rounds
    keeps its state: the best-first and the complete breadth-first
    searches go on from round to round; the others start afresh."""
    if run.get("best_first"):
        return (mirror, "best-first")
    if run.get("width") == UNBOUNDED:
        return (mirror, "breadth-first")
    return None


#: Share of the best-first and breadth-first searches in the direction
#: that does not lead (:func:`lead_direction`), per unit of the lead's.
TRAIL_SHARE = 0.1

#: Share of the breadth-first search, per unit of the best-first one's,
#: in a direction whose best-first search has not ended yet.
LEAD_BFS_SHARE = 1.0

#: Share of the depth-first search and the beams (rounds 0 and 1) in
#: the direction that does not lead, per unit of the lead's.
TRAIL_QUICK = 1.0


#: Whether the best-first searches of :func:`search_both` prune with
#: the bin-packing bounds of the states.
BEST_FIRST_MT = False


#: Load preferences of the Hoffman-style dives (weights as in
#: :data:`PREFERENCES`), in the order tried.
DIVE_PREFERENCES = tuple((a, b, g) for a in (0.0, 0.005, 0.01)
                         for b in (0.0, 0.005, 0.01)
                         for g in (0.0, 0.01, 0.02, 0.03))

#: Dives tried in the lead direction by :func:`hoffman_dives`, and
#: then in the other.
DIVES = 8
TRAIL_DIVES = 2

#: Loads looked at per station by a dive: the best of the first ones
#: (by the load preference) is taken.
DIVE_LOADS = 500

#: What the dives' work costs one core, in units a second, where a
#: long line charges them to its time limit (generated lines of 1,000
#: and 3,000 tasks: 1.5-4.2 * 10**8, faster than the searches'
#: :data:`WORK_PER_SECOND`; 3,000 tasks, mixed OS 0.6 middle: 5.1e9
#: units in 12.5 s).
DIVE_WORK_PER_SECOND = 300_000_000


@dataclass(frozen=True)
class DiveOutcome:
    """What :func:`hoffman_dives` found: the line (``ub`` stations,
    ``station_of`` 0-based) and the work its dives did (the search's
    units, :data:`WORK_PER_SECOND`)."""

    ub: int
    station_of: np.ndarray
    work: int


def hoffman_dives(fwd: Prepared, bwd: Prepared, lead: bool, ub: int,
                  station_of: np.ndarray, lb: int, deadline: float
                  ) -> DiveOutcome:
    """Shorten the line by greedy dives (Hoffman-style, as in Sewell &
    Jacobson's multi-start heuristic) before the searches.

    Each dive is the depth-first search limited to ``ub`` nodes with at
    most :data:`DIVE_LOADS` loads looked at per station, under one load
    preference of :data:`DIVE_PREFERENCES`: it takes, station by
    station, the best load by that preference and the bounds. The first
    :data:`DIVES` preferences in the lead direction (``lead``: the
    mirror), then :data:`TRAIL_DIVES` in the other, until the line
    reaches ``lb``. Each dive is bounded in nodes and loads, so the
    answer is the same on any machine; ``deadline`` (a
    :func:`search_clock` time) is only a safety net."""
    work = 0
    for mirror, dives in ((lead, DIVES), (not lead, TRAIL_DIVES)):
        prep = bwd if mirror else fwd
        for weights in DIVE_PREFERENCES[:dives]:
            if ub <= lb or search_clock() >= deadline:
                return DiveOutcome(ub, station_of, work)
            found = run_search(prep, ub, lb,
                               max(deadline - search_clock(), 0.0),
                               kw=preference(prep, *weights), use_mt=False,
                               max_leaves=DIVE_LOADS, node_limit=ub)
            work += found.work
            if found.best < ub:
                ub = found.best
                station_of = (ub - 1 - found.station_of if mirror
                              else found.station_of)
    return DiveOutcome(ub, station_of, work)


def lead_direction(fwd: Prepared, bwd: Prepared) -> bool:
    """The direction to search first: ``True`` the mirror.

    The one with fewer ways to fill its first stations (Sewell &
    Jacobson's rule): the product, over the first five stations ``m``,
    of the tasks whose earliest station (:attr:`.Prepared.head`) is at
    most ``m``; forward on a tie."""
    def openness(prep: Prepared) -> int:
        product = 1
        for m in range(1, 6):
            product *= int(np.count_nonzero(prep.head <= m))
        return product

    return openness(bwd) < openness(fwd)


def search_both(fwd: Prepared, bwd: Prepared, ub: int,
                station_of: np.ndarray, lb: int, deadline: float,
                target: int = 0, node_limit: int | None = None,
                work_limit: int | None = None,
                lead: bool | None = None) -> RoundsOutcome:
    """Improve a line and prove it, forward and on the mirror.

    Rounds of tripling budget. In each, forward and on the mirror: the
    cyclic best-first search with at most :data:`UNLED_BEST_FIRST_LOADS`
    loads per node (Sewell & Jacobson's phase II: it finds tight lines
    fast) and the complete breadth-first search (their phase III: it
    proves what the others cannot), each with the whole budget (the
    breadth-first search gets twice that in a direction where it made
    far more headway in the last round, a quarter in the other); the
    complete depth-first search with a third; and beam searches of width
    ``2**round`` under each load preference of :data:`PREFERENCES`
    sharing a third (these two kinds only before round
    :data:`ONLY_RESUMED_ROUND`). The searches that look for lines leave
    out the bin-packing bounds of the states (they cost more time than
    they save there); the complete ones use them. A complete search that
    ends proves its line optimal. With ``target``, stop as soon as a
    line with at most ``target`` stations is found.

    With ``lead`` (``True``: the mirror; :func:`lead_direction`) one
    direction leads instead: its searches go first in each round, the
    other's best-first and breadth-first searches get
    :data:`TRAIL_SHARE` of the lead's share, its depth-first search and
    beams :data:`TRAIL_QUICK`; the best-first searches look at
    :data:`BEST_FIRST_LOADS` loads a node, and one truncated to its end
    without a line starts afresh with :data:`BEST_FIRST_GROWTH` times
    more (up to :data:`MAX_BEST_FIRST_LOADS`) at
    :data:`ESCALATED_SHARE` of its share. SALBP-1 (:func:`.exact.solve_exact`)
    runs so; on Scholl's 63 slowest instances it took the solver's CPU
    from 91 s to 33 s.

    The best-first and breadth-first searches do not restart: each goes
    on from where its last round's budget stopped it (its state kept,
    within :data:`KEPT_MEMORY`), and one that ran to its end without a
    proof is not run again unless the line improves. The budgets so
    buy new states each round instead of the same ones again (ARC111
    c=7520: 31 s to 10 s of CPU).

    The rounds' budgets are counted in work (:data:`WORK_PER_SECOND`,
    ``work_limit`` in all; the first round :data:`FIRST_ROUND_WORK`),
    or in nodes expanded with ``node_limit`` (``node_limit`` in all), so
    the answer does not depend on the machine; ``deadline`` (a
    :func:`search_clock` time) is a safety net whose biting is
    reported. In one dimension the root bound is first raised by exact
    bin packing (:func:`root_bin_packing`), asked again with a larger
    budget after round :data:`BIN_PACKING_ROUND`, and a gap still open
    after round :data:`ARC_FLOW_ROUND` by the arc-flow model, which
    settles what the node budgets of the former may leave open
    (:func:`.arcflow.arc_flow_bound`).
    """
    budget = _Rounds(deadline, node_limit, work_limit)
    rounds = 0
    bfs_nodes = {False: 0, True: 0}
    prefs = direction_preferences(fwd, bwd)
    # Where each best-first and breadth-first search stopped (it goes on
    # from there next round), and those that ran to their end.
    kept: dict[tuple[bool, str], tuple[Any, ...]] = {}
    ended: set[tuple[bool, str]] = set()
    # Loads a node of each direction's best-first search looks at.
    # (SALBP-2's rounds, without a lead direction, keep
    # :data:`UNLED_BEST_FIRST_LOADS` and no growth.)
    first_loads = (BEST_FIRST_LOADS if lead is not None
                   else UNLED_BEST_FIRST_LOADS)
    loads = {False: first_loads, True: first_loads}
    memo = new_memo(BIN_PACKING_BUDGET) if fwd.cap.size == 1 else None
    # The arc-flow model is asked only what bin completion left open.
    packed = memo is None
    if memo is not None:
        lb, packed = root_bin_packing(fwd, lb, ub, memo)
    while lb < ub and ub > target and not budget.spent():
        # (direction, search, share of the round's budget)
        weight = {False: 1.0, True: 1.0}
        bfs_weight = {False: 1.0, True: 1.0}
        if lead is not None:
            # The lead direction gets the whole share, the other a
            # small one; its breadth-first search, until its
            # best-first search ended, a part.
            weight[not lead] = TRAIL_SHARE
            for mirror in (False, True):
                bfs_weight[mirror] = (1.0 if (mirror, "best-first") in ended
                                      else LEAD_BFS_SHARE)
        plan: list[tuple[bool, dict, float]] = [
            (mirror, dict(best_first=True, max_leaves=loads[mirror],
                          use_mt=BEST_FIRST_MT),
             weight[mirror] * (1.0 if loads[mirror] <= first_loads
                               else ESCALATED_SHARE))
            for mirror in (False, True)]
        # The direction whose breadth-first search expanded far more
        # states in the last round gets twice the budget, the other a
        # quarter (huge loads per state make a direction hopeless).
        plan += [(mirror, dict(width=UNBOUNDED),
                  weight[mirror] * bfs_weight[mirror]
                  * (1.0 if lead is not None else
                     bfs_share(bfs_nodes[mirror], bfs_nodes[not mirror])))
                 for mirror in (False, True)]
        if lead is not None:
            plan.sort(key=lambda item: item[0] != lead)
        if rounds < ONLY_RESUMED_ROUND:
            plan += [(mirror, dict(), 1 / 3) for mirror in (False, True)]
            beams = [(mirror, dict(width=1 << min(rounds, 20), kw=kw,
                                   use_mt=False))
                     for mirror in (False, True) for kw in prefs[mirror]]
            plan += [(mirror, run, 1 / (3 * len(beams)))
                     for mirror, run in beams]
            if lead is not None:
                plan = [(mirror, run, part * (1.0 if mirror == lead
                                               or "best_first" in run
                                               or run.get("width")
                                               == UNBOUNDED
                                               else TRAIL_QUICK))
                        for mirror, run, part in plan]
        for mirror, run, part in plan:
            if lb >= ub or ub <= target or budget.spent():
                break
            prep = bwd if mirror else fwd
            limits = budget.limits(part)
            if memo is not None and node_limit is not None:
                # the search's share of the bin packing, in proportion
                # to its nodes
                memo[-1, 1] = min(BIN_PACKING_BUDGET, int(memo[-1, 0])
                                  + BINS_PER_NODE * limits["node_limit"])
            run.setdefault("kw", prefs[mirror][0])
            key = _resumable(mirror, run)
            if key in ended:
                continue
            resume = None if key is None else kept.pop(key, None)
            found = run_search(prep, ub, lb, memo=memo, **limits, **run,
                               resume=resume)
            budget.add(found)
            if key is not None:
                if found.state is None:
                    if (lead is not None and key[1] == "best-first"
                            and not found.complete and found.best >= ub
                            and loads[mirror] * BEST_FIRST_GROWTH
                            <= MAX_BEST_FIRST_LOADS):
                        # Truncated to its end without a line: afresh
                        # next round, with more loads a node.
                        loads[mirror] *= BEST_FIRST_GROWTH
                    else:
                        ended.add(key)
                elif kept_bytes(kept) + state_bytes(found.state) \
                        <= KEPT_MEMORY:
                    kept[key] = found.state
            if run.get("width") == UNBOUNDED:
                bfs_nodes[mirror] = found.nodes
            if found.best < ub:
                ub = found.best
                station_of = (ub - 1 - found.station_of if mirror
                              else found.station_of)
                ended.clear()  # a smaller ub makes a new search differ
            if found.complete:
                lb = ub
        if (lb < ub and rounds == BIN_PACKING_ROUND and not packed
                and memo is not None and not budget.spent()):
            # A memory of its own: the searches' share of the bin
            # packing may have spent the shared one's budget.
            lb, packed = root_bin_packing(fwd, lb, ub,
                                          new_memo(BIN_PACKING_BUDGET),
                                          ROOT_BIN_PACKING_RETRY)
        if (lb < ub and rounds == ARC_FLOW_ROUND and not packed
                and not budget.spent()):
            lb = arc_flow_bound(fwd.times[:, 0], int(fwd.cap[0]), lb, ub)
        budget.next_round()
        rounds += 1
    return budget.outcome(ub, station_of, lb)


def search_depth_first_rounds(fwd: Prepared, bwd: Prepared, ub: int,
                              station_of: np.ndarray, lb: int,
                              deadline: float, node_limit: int | None = None,
                              work_limit: int | None = None
                              ) -> RoundsOutcome:
    """The schedule of the mixed-model balance: depth first, then beams.

    Rounds of tripling work (:data:`FIRST_ROUND_WORK` first); in each,
    forward and on the mirror, the complete depth-first search with
    most of the budget, then beam searches of width ``2**round`` under
    each load preference, all without the bin-packing bounds of the
    states. On the plant's multi-capacity lines (a weighted load and one
    per variant) this finds and proves tight lines within a second or
    two where the best-first and breadth-first rounds of
    :func:`search_both` stall on nodes with huge numbers of loads. It
    ends after ``node_limit`` nodes or ``work_limit`` work in all, so
    that a line not proved is the same on any machine; ``deadline`` is
    the safety net (reported when it bites).
    """
    budget = _Rounds(deadline, None, work_limit)
    rounds = 0
    prefs = direction_preferences(fwd, bwd)

    def spent() -> bool:
        return budget.spent() or (node_limit is not None
                                  and budget.nodes >= node_limit)

    while lb < ub and not spent():
        for mirror, prep in ((False, fwd), (True, bwd)):
            runs = [(0, prefs[mirror][0])]
            runs += [(1 << min(rounds, 20), kw) for kw in prefs[mirror]]
            for width, kw in runs:
                if lb >= ub or spent():
                    break
                part = 1.0 if width == 0 else 1 / (3 * len(runs))
                found = run_search(prep, ub, lb, width=width, kw=kw,
                                   use_mt=False, **budget.limits(part))
                budget.add(found)
                if found.best < ub:
                    ub = found.best
                    station_of = (ub - 1 - found.station_of if mirror
                                  else found.station_of)
                if found.complete:
                    lb = ub
        budget.next_round()
        rounds += 1
    return budget.outcome(ub, station_of, lb)


def tiny_instance() -> tuple[Prepared, Prepared]:
    """A 4-task instance and its mirror whose search cannot be skipped
    when claimed at 4 stations with bound 1 (the warm-ups'
    instance)."""
    times = np.array([[3], [3], [2], [2]], dtype=np.int64)
    cap = np.array([5], dtype=np.int64)
    arcs = np.array([[0, 2], [1, 3]], dtype=np.int64)
    return (prepare(times, cap, arcs, increment=False),
            prepare(times, cap, arcs[:, ::-1], increment=False))


def tiny_searches(kinds: Iterable[dict[str, Any]],
                  use_mt: Iterable[bool] = (False,)) -> None:
    """Run each kind of search of :func:`run_search` on the forward
    :func:`tiny_instance` (claimed at 4 stations, bound 1), for each
    ``use_mt``: the warm-ups' way to compile a search variant."""
    fwd, _ = tiny_instance()
    for mt in use_mt:
        for kind in kinds:
            run_search(fwd, 4, 1, 60.0, use_mt=mt, **kind)


def warm_once(body: Callable[[], None]) -> Callable[[], float]:
    """``body`` as a warm-up: the first call runs it and returns the
    seconds spent, later calls in the process return 0 at once."""
    done = False

    def warm_up() -> float:
        nonlocal done
        if done:
            return 0.0
        done = True
        start = time.perf_counter()
        body()
        return time.perf_counter() - start

    warm_up.__doc__ = body.__doc__
    return warm_up
