"""The large-instance upper-bound phase (taktplan.balance.upper): the
station beam search, the local search that empties stations, and
solve_salbp1 on generated 1,000-task lines."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from conftest import load_benchmark

from taktplan.balance import SalbpProblem, check_line, solve_salbp1
from taktplan.balance._upper import empty_stations, station_beam
from taktplan.balance.heuristic import greedy_lines
from taktplan.balance.prepare import prepare
from taktplan.balance.result import stations_from
from taktplan.balance.upper import beam_rules, improve_line

gen = load_benchmark("salbpgen")


def _prep(times: list[int], arcs: list[tuple[int, int]], c: int):
    return prepare(np.array(times)[:, None], np.array([c]),
                   np.array(arcs, dtype=np.int64).reshape(-1, 2),
                   increment=False)


def test_beam_on_a_chain_finds_next_fit() -> None:
    # chain 0 -> 1 -> ... -> 5, times 6 4 7 3 5 5, cycle 10: the line
    # must cut the chain into runs of at most 10: {6,4} {7,3} {5,5}.
    times = [6, 4, 7, 3, 5, 5]
    prep = _prep(times, [(i, i + 1) for i in range(5)], 10)
    of, m, work = station_beam(
        prep.times[:, 0].copy(), 10, prep.w2[:, 0].copy(),
        prep.w3[:, 0].copy(), prep.pred_ptr, prep.succ_ptr, prep.succ_idx,
        beam_rules(prep), 4, 6, 0.3, 0, 10**9)
    assert m == 3
    assert of.tolist() == [0, 0, 1, 1, 2, 2]
    assert work > 0


def test_beam_pairs_long_and_short_tasks() -> None:
    # no arcs, times 7 7 7 3 3 3, cycle 10: three stations of 7 + 3
    # (a greedy that takes the 3s together needs four).
    times = [3, 3, 3, 7, 7, 7]
    prep = _prep(times, [], 10)
    of, m, _ = station_beam(
        prep.times[:, 0].copy(), 10, prep.w2[:, 0].copy(),
        prep.w3[:, 0].copy(), prep.pred_ptr, prep.succ_ptr, prep.succ_idx,
        beam_rules(prep), 8, 12, 0.3, 0, 10**9)
    assert m == 3
    loads = np.bincount(of, weights=np.array(times))
    assert loads.tolist() == [10.0, 10.0, 10.0]


def test_beam_runs_out_of_work() -> None:
    prep = _prep([3, 3, 3, 7, 7, 7], [], 10)
    _, m, work = station_beam(
        prep.times[:, 0].copy(), 10, prep.w2[:, 0].copy(),
        prep.w3[:, 0].copy(), prep.pred_ptr, prep.succ_ptr, prep.succ_idx,
        beam_rules(prep), 8, 12, 0.3, 0, 5)
    assert m == -1
    assert work > 5


def test_local_search_empties_stations() -> None:
    # four tasks of 5, no arcs, cycle 10, one station each: two suffice.
    prep = _prep([5, 5, 5, 5], [], 10)
    of, m, tried = empty_stations(
        prep.times[:, 0].copy(), 10, prep.pred_ptr, prep.pred_idx,
        prep.succ_ptr, prep.succ_idx, np.arange(4, dtype=np.int64), 2,
        10_000, 0, 0.02, 4)
    assert m == 2
    assert np.bincount(of).tolist() == [2, 2]
    assert tried < 10_000


def test_local_search_keeps_precedence() -> None:
    # 0 -> 1 -> 2 -> 3, times 5 each, cycle 10, one station each: the
    # only two-station line is {0,1} {2,3}.
    prep = _prep([5, 5, 5, 5], [(0, 1), (1, 2), (2, 3)], 10)
    of, m, _ = empty_stations(
        prep.times[:, 0].copy(), 10, prep.pred_ptr, prep.pred_idx,
        prep.succ_ptr, prep.succ_idx, np.arange(4, dtype=np.int64), 2,
        100_000, 0, 0.02, 4)
    assert m == 2
    assert of.tolist() == [0, 0, 1, 1]


def test_improve_line_is_seeded_and_valid() -> None:
    inst = gen.generate(400, "mixed", 0.6, "middle", 0)
    cap = np.array([inst.cycle])
    fwd = prepare(inst.times[:, None], cap, inst.arcs)
    bwd = prepare(inst.times[:, None], cap, inst.arcs[:, ::-1])
    start = np.arange(400, dtype=np.int64)  # one task a station
    order = SalbpProblem(times=inst.times, arcs=inst.arcs).topological_order
    start[order] = np.arange(400)
    a = improve_line(fwd, bwd, start, 400, fwd.lower_bound(), seed=1)
    b = improve_line(fwd, bwd, start, 400, fwd.lower_bound(), seed=1)
    assert np.array_equal(a.station_of, b.station_of)
    assert a.n_stations == b.n_stations < 400
    assert a.moves == b.moves and a.beam_work == b.beam_work
    stations = stations_from(a.station_of, order)
    assert len(stations) == a.n_stations
    check_line(stations, inst.times, inst.arcs, inst.cycle)


def test_thousand_tasks_low_times_proved_at_the_bound() -> None:
    # The 1,000-task line of the benchmark's table (mixed, order
    # strength 0.2, low times): the beam reaches the bound, 131.
    inst = gen.generate(1000, "mixed", 0.2, "low", 0)
    res = solve_salbp1(SalbpProblem(times=inst.times, arcs=inst.arcs),
                       inst.cycle, node_limit=1)
    assert res.status == "optimal"
    assert res.n_stations == res.lower_bound == 131


def test_wide_gap_calls_the_phase_and_it_finds_lutz2_11() -> None:
    # LUTZ2 at cycle 11: the rules leave 50 stations against a bound of
    # 45; the optimum is 49 (Scholl's table), which the phase finds.
    from taktplan.balance.upper import wanted
    from taktplan.formats.salbp import read_salbp

    p = read_salbp(Path(__file__).resolve().parent.parent / "benchmarks"
                   / "instances" / "salbp" / "LUTZ2.IN2")
    cap = np.array([11])
    fwd = prepare(p.times[:, None], cap, p.arcs)
    bwd = prepare(p.times[:, None], cap, p.arcs[:, ::-1])
    lb = max(fwd.lower_bound(), bwd.lower_bound())
    of, ub = greedy_lines(fwd, 20, 0)
    assert (lb, ub) == (45, 50)
    assert wanted(p.n_tasks, ub, lb)
    assert not wanted(p.n_tasks, lb + 1, lb)
    assert wanted(400, lb + 1, lb)
    line = improve_line(fwd, bwd, of, ub, lb)
    assert line.n_stations == 49
    check_line(stations_from(line.station_of, p.topological_order),
               p.times, p.arcs, 11)


def test_beam_draws_are_uniform_and_seeded() -> None:
    """The beam's generator: draws in [0, 1), mean and spread of a
    uniform (100,000 draws: within 5 standard errors), the same stream
    for the same seed, another for another seed."""
    from taktplan.balance._upper import _seeded, _uniform

    rng = _seeded(7)
    u = np.array([_uniform(rng) for _ in range(100_000)])
    assert u.min() >= 0.0 and u.max() < 1.0
    assert abs(u.mean() - 0.5) < 5 * (1 / 12) ** 0.5 / 100_000 ** 0.5
    assert abs(u.var() - 1 / 12) < 0.002
    again = _seeded(7)
    assert [_uniform(again) for _ in range(5)] == u[:5].tolist()
    other = _seeded(8)
    assert [_uniform(other) for _ in range(5)] != u[:5].tolist()


def _fill_by_scanning(t, cap, prep, deg, avail, prio, noise, rng):
    """The fill as a scan of the whole list at each pick (the kernel
    keeps only the tasks still in the running)."""
    from taktplan.balance._upper import _uniform

    rem, load, extra, work = cap, [], [], 0
    while True:
        pick, best = -1, -1e300
        for j in [*avail, *extra]:
            work += 1
            if j in load or t[j] > rem:
                continue
            score = prio[j] + (noise * _uniform(rng) if noise > 0 else 0.0)
            if score > best:
                best, pick = score, j
        if pick < 0:
            return load, cap - rem, work
        load.append(pick)
        rem -= t[pick]
        for k in prep.succ_idx[prep.succ_ptr[pick]:prep.succ_ptr[pick + 1]]:
            deg[k] -= 1
            if deg[k] == 0:
                extra.append(int(k))


def test_fill_picks_as_a_scan_of_the_whole_list() -> None:
    """Random 40-task graphs, every rule with and without noise: the
    kernel's fill picks the same tasks, draws the same noise (the
    generators end in the same state) and counts the same work as a
    scan of the whole ready list at each pick."""
    from taktplan.balance._upper import _fill, _seeded

    for seed in range(20):
        rng = np.random.default_rng(seed)
        n = 40
        times = rng.integers(1, 60, n)
        arcs = [(i, j) for i in range(n) for j in range(i + 1, n)
                if rng.random() < 0.08]
        prep = _prep(times.tolist(), arcs, 100)
        t = prep.times[:, 0].copy()
        deg = np.diff(prep.pred_ptr).astype(np.int64)
        avail = np.flatnonzero(deg == 0).astype(np.int64)
        for prio in beam_rules(prep):
            for noise in (0.0, 0.3):
                ours_rng, ref_rng = _seeded(seed), _seeded(seed)
                out = np.empty(n, np.int64)
                size, load, work = _fill(
                    t, 100, prep.succ_ptr, prep.succ_idx, deg.copy(),
                    avail, avail.size, prio, noise, out,
                    np.empty(n, np.int64), 1, np.zeros(n, np.int64),
                    ours_rng)
                ref = _fill_by_scanning(t, 100, prep, deg.copy(),
                                        avail.tolist(), prio, noise,
                                        ref_rng)
                assert (out[:size].tolist(), load, work) == ref
                assert ours_rng[0] == ref_rng[0]


def _line_400(shape: str = "middle"):
    inst = gen.generate(400, "chains", 0.6, shape, 0)
    cap = np.array([inst.cycle])
    fwd = prepare(inst.times[:, None], cap, inst.arcs)
    bwd = prepare(inst.times[:, None], cap, inst.arcs[:, ::-1])
    of, ub = greedy_lines(fwd, 20, 0)
    return inst, fwd, bwd, of, ub, fwd.lower_bound()


def test_a_budget_runs_a_wider_beam_only_where_its_charge_fits() -> None:
    """improve_line with a budget: the first width always runs; the
    next only where the last width's beams, scaled by the widths, and a
    local search's charge fit in what is left; a budget that fits every
    width gives the unbudgeted line, work for work."""
    from taktplan.balance.upper import (
        BEAM_WIDTH,
        BEAM_WIDTH_LARGE,
        MOVES_PER_TASK,
        _beam_then_search,
        moves_charge,
    )

    inst, fwd, bwd, of, ub, lb = _line_400()
    full = improve_line(fwd, bwd, of, ub, lb)
    ample = improve_line(fwd, bwd, of, ub, lb, budget=1e9)
    assert np.array_equal(full.station_of, ample.station_of)
    assert (full.beam_work, full.moves, full.charged) == (
        ample.beam_work, ample.moves, ample.charged)
    first = _beam_then_search(fwd, bwd, of, ub, lb, 0, BEAM_WIDTH)
    second = _beam_then_search(fwd, bwd, of, ub, lb, 0, BEAM_WIDTH_LARGE)
    # the rules leave 240 stations against 210: every width runs
    assert full.beam_work > first.beam_work + second.beam_work
    only = improve_line(fwd, bwd, of, ub, lb, budget=0.0)
    assert (only.beam_work, only.moves) == (first.beam_work, first.moves)
    assert only.charged == pytest.approx(first.charged)
    ls = moves_charge(MOVES_PER_TASK * 400)
    predicted = (first.charged - moves_charge(first.moves)) * (
        BEAM_WIDTH_LARGE / BEAM_WIDTH) + ls
    for budget, widths in ((first.charged + predicted * 0.99, 1),
                           (first.charged + predicted * 1.01, 2)):
        line = improve_line(fwd, bwd, of, ub, lb, budget=budget)
        ran = [first, second][:widths]
        assert line.beam_work == sum(r.beam_work for r in ran)
        assert line.charged == pytest.approx(sum(r.charged for r in ran))
        check_line(stations_from(line.station_of, SalbpProblem(
            times=inst.times, arcs=inst.arcs).topological_order),
            inst.times, inst.arcs, inst.cycle)

