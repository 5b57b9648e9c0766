"""The window re-solve of SALBP-1 lines (taktplan.balance.window)."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import load_benchmark

from taktplan.balance import check_line
from taktplan.balance.heuristic import greedy_lines
from taktplan.balance.prepare import prepare
from taktplan.balance.upper import LARGE_TASKS
from taktplan.balance.window import (
    improve_by_windows,
    improve_long_line,
    open_window,
    solve_charge,
    solve_window,
    splice,
    window_arcs,
    window_ends,
)

gen = load_benchmark("salbpgen")


def _stations(station_of: np.ndarray) -> list[list[int]]:
    m = int(station_of.max()) + 1
    return [np.flatnonzero(station_of == s).tolist() for s in range(m)]


# A hand-worked line, cycle 10: p (10) before everything, q (10) after
# everything, and between them a = 6, c = 6, b = 4, d = 4 with a -> d.
# The line {p} {a} {c} {b, d} {q} has 5 stations; its window of
# stations 1-3 holds a, c, b, d (20 units, 2 stations' worth), which fit
# as {a, b} {c, d}: the window saves a station.
TIMES = np.array([10, 6, 6, 4, 4, 10])  # p a c b d q
ARCS = np.array([[0, 1], [0, 2], [0, 3], [0, 4], [1, 4], [1, 5], [2, 5],
                 [3, 5], [4, 5]])
LINE = np.array([0, 1, 2, 3, 3, 4])


def test_window_arcs_keeps_only_arcs_inside() -> None:
    inside = window_arcs(ARCS, np.array([1, 2, 3, 4]), 6)
    assert inside.tolist() == [[0, 3]]  # a -> d, renumbered


def test_hand_worked_window_saves_a_station() -> None:
    window = open_window(TIMES, 10, ARCS, LINE, 1, 4)
    assert window.tasks.tolist() == [1, 2, 3, 4]
    assert window.local.tolist() == [0, 1, 2, 2]
    assert (window.width, window.lb) == (3, 2)
    line = solve_window(TIMES, 10, window)
    assert line.n_stations == 2
    spliced = splice(LINE, 1, 3, line)
    assert spliced[0] == 0 and spliced[5] == 3  # p first, q last
    check_line(_stations(spliced), TIMES, ARCS, 10)
    out = improve_by_windows(TIMES, 10, ARCS, LINE, 1, sizes=(4,))
    assert (out.n_stations, out.saved) == (4, 1)
    check_line(_stations(out.station_of), TIMES, ARCS, 10)


def test_window_at_its_bound_is_not_solved() -> None:
    # stations 0-1 hold p and a: 16 units, two tasks that cannot share
    window = open_window(TIMES, 10, ARCS, LINE, 0, 2)
    assert window.lb == window.width == 2
    line = solve_window(TIMES, 10, window)
    assert (line.n_stations, line.nodes) == (2, 0)
    assert line.station_of.tolist() == [0, 1]


def test_window_ends_cover_the_line() -> None:
    counts = np.array([2, 2, 1, 3, 2, 2, 1])  # 13 tasks on 7 stations
    spans = window_ends(counts, 4)
    assert spans[0] == (0, 2)
    assert spans[-1][1] == 7
    assert all(counts[a:b].sum() >= 4 for a, b in spans)
    assert window_ends(counts, 100) == [(0, 7)]


@pytest.mark.parametrize("seed", range(6))
def test_windows_keep_random_lines_valid_and_never_longer(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = 60
    times = rng.integers(5, 60, n)
    arcs = np.array([(i, j) for i in range(n) for j in range(i + 1, n)
                     if rng.random() < 0.05], dtype=np.int64).reshape(-1, 2)
    cap = 100
    fwd = prepare(times[:, None], np.array([cap]), arcs)
    of, m = greedy_lines(fwd, 0, seed)
    out = improve_by_windows(times, cap, arcs, of, 1, sizes=(12, 24),
                             max_solves=4, seed=seed)
    assert out.n_stations <= m
    assert out.n_stations == int(out.station_of.max()) + 1
    assert out.saved == m - out.n_stations
    check_line(_stations(out.station_of), times, arcs, cap)


def test_generated_line_shortened_from_the_rules_line() -> None:
    # 400 tasks, chains, order strength 0.6, middle times: the priority
    # rules leave 240 stations against a bound of 210; four windows
    # solved take it to 225, the same line on every run.
    inst = gen.generate(400, "chains", 0.6, "middle", 0)
    fwd = prepare(inst.times[:, None], np.array([inst.cycle]), inst.arcs)
    of, m = greedy_lines(fwd, 20, 0)
    assert m == 240
    a = improve_by_windows(inst.times, inst.cycle, inst.arcs, of, 210,
                           max_solves=4)
    b = improve_by_windows(inst.times, inst.cycle, inst.arcs, of, 210,
                           max_solves=4)
    assert np.array_equal(a.station_of, b.station_of)
    assert (a.n_stations, a.solves) == (225, 4)
    check_line(_stations(a.station_of), inst.times, inst.arcs, inst.cycle)


def test_windows_stop_once_their_charges_reach_the_budget() -> None:
    # The line above: its first window solved holds 241 tasks, charged
    # 0.3 + 241**2 / 40,000 = 1.752 s, and spends a budget of 1 s alone
    # (10 of the 240 stations saved); a budget of 3 s stops after the
    # second (2 more), where a count of two solves stops too, at the same
    # line.
    inst = gen.generate(400, "chains", 0.6, "middle", 0)
    fwd = prepare(inst.times[:, None], np.array([inst.cycle]), inst.arcs)
    of, _ = greedy_lines(fwd, 20, 0)
    one = improve_by_windows(inst.times, inst.cycle, inst.arcs, of, 210,
                             max_solves=1000, budget=1.0)
    assert (one.n_stations, one.solves) == (230, 1)
    assert one.charged == pytest.approx(solve_charge(241))
    assert solve_charge(241) == pytest.approx(0.3 + 241 ** 2 / 40_000)
    three = improve_by_windows(inst.times, inst.cycle, inst.arcs, of, 210,
                               max_solves=1000, budget=3.0)
    counted = improve_by_windows(inst.times, inst.cycle, inst.arcs, of,
                                 210, max_solves=2)
    assert (three.n_stations, three.solves) == (228, 2)
    assert three.charged >= 3.0
    assert np.array_equal(three.station_of, counted.station_of)
    check_line(_stations(three.station_of), inst.times, inst.arcs,
               inst.cycle)


def test_improve_long_line_opens_windows_only_on_long_lines() -> None:
    inst = gen.generate(100, "chains", 0.6, "middle", 0)
    cap = np.array([inst.cycle])
    fwd = prepare(inst.times[:, None], cap, inst.arcs)
    bwd = prepare(inst.times[:, None], cap, inst.arcs[:, ::-1])
    of, m = greedy_lines(fwd, 20, 0)
    assert inst.times.size < LARGE_TASKS
    line = improve_long_line(fwd, bwd, of, m, 1)  # far below: never reached
    assert (line.window_solves, line.window_saved) == (0, 0)


def test_a_long_lines_phase_spends_its_budget_in_shares() -> None:
    """improve_long_line's budget on a line of LARGE_TASKS or more: the
    beams and local searches up to UPPER_SHARE of it (or the first
    width alone), the first windows out of what is left, the wide pass
    WIDE_SHARE of what is left then; each pass can overrun only by the
    window it was solving. ``charged`` is the sum, the line valid."""
    from taktplan.balance.upper import improve_line
    from taktplan.balance.window import UPPER_SHARE

    inst = gen.generate(400, "chains", 0.6, "middle", 0)
    cap = np.array([inst.cycle])
    fwd = prepare(inst.times[:, None], cap, inst.arcs)
    bwd = prepare(inst.times[:, None], cap, inst.arcs[:, ::-1])
    of, m = greedy_lines(fwd, 20, 0)
    budget = 4.0
    line = improve_long_line(fwd, bwd, of, m, 210, budget=budget)
    beams = improve_line(fwd, bwd, of, m, 210,
                         budget=UPPER_SHARE * budget)
    assert line.beam_work == beams.beam_work
    assert line.charged == pytest.approx(beams.charged
                                         + line.window_charged)
    assert line.window_solves >= 1 and line.window_saved >= 1
    assert line.charged <= max(budget, beams.charged) + solve_charge(480)
    assert line.n_stations < beams.n_stations
    check_line(_stations(line.station_of), inst.times, inst.arcs,
               inst.cycle)
    again = improve_long_line(fwd, bwd, of, m, 210, budget=budget)
    assert np.array_equal(again.station_of, line.station_of)
