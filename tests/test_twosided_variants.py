"""Two-sided mixed-model segments: the variants' weighted mean station
time, the compiled local search with variants, and the plant's trim
segment fitted with every variant kept.

Hand-worked station (``_mirrored``): task 0 left-only, task 1
right-only, no arcs, demand-weighted times 6 and 6. Variant A takes
(10, 2), variant B (2, 10), equal demand. Together on one mated station
the weighted times end at 6 and each variant at 10 (its limit 12), so
the weighted times and the variant limits both allow one station at
cycle 8; but whichever variant comes, the station takes 10, so on
average 10 > 8: the station cannot keep a cycle of 8, and with the
variants weighed (``extra_weights``) two stations are needed.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from taktplan.balance.twosided import Budget, solve_talbp1
from taktplan.balance.twosided.cpsat import solve_cpsat
from taktplan.balance.twosided.improve import improve_cycle, within_extra
from taktplan.balance.twosided.problem import LEFT, RIGHT, TwoSidedProblem
from taktplan.balance.twosided.resequence import resequence
from taktplan.balance.twosided.station import prepare


def _mirrored(weighted: bool = True) -> TwoSidedProblem:
    return TwoSidedProblem(
        times=np.array([6, 6]), sides=np.array([LEFT, RIGHT]),
        arcs=np.zeros((0, 2), dtype=np.int64),
        extra_times=np.array([[10, 2], [2, 10]]), extra_limits=(12, 12),
        extra_weights=(1, 1) if weighted else ())


def _positions(p: TwoSidedProblem) -> tuple[int, int]:
    sides = p.position_sides
    return sides.index(LEFT), sides.index(RIGHT)


@pytest.mark.parametrize(("weighted", "stations"), [(True, 2), (False, 1)])
def test_the_variants_mean_splits_the_mirrored_station(
        weighted: bool, stations: int) -> None:
    r = solve_talbp1(_mirrored(weighted), 8, Budget(backend="search"))
    assert (r.n_stations, r.status) == (stations, "optimal")


def test_every_check_of_the_mean_rejects_the_one_station() -> None:
    """The builder (above), the re-sequencing model, CP-SAT's model and
    the line check all say no to one station at 8, yes without the
    weights."""
    for weighted in (True, False):
        p = _mirrored(weighted)
        left, right = _positions(p)
        one = [[(0, left, 0), (1, right, 0)]]
        assert (resequence(p, 8, one) is None) == weighted
        assert within_extra(prepare(p), one, 8) != weighted
        out = solve_cpsat(p, c=8, m=1, c_high=8, work_limit=5.0)
        assert (out.line is None and out.proved) == weighted


def test_local_search_brings_a_variant_within_its_limit() -> None:
    """Three either-side tasks of weighted time 3; the variant takes 6,
    1, 1 within 6. Start: 0 then 1 on the left, 2 on the right: the
    weighted times end at 6, the variant at 7 on the left. One move of
    task 1 behind task 2 on the right ends both at 6."""
    p = TwoSidedProblem(times=np.array([3, 3, 3]), sides=np.zeros(3, int),
                        arcs=np.zeros((0, 2), int),
                        extra_times=np.array([[6], [1], [1]]),
                        extra_limits=(6,))
    prep = prepare(p)
    left, right = _positions(p)
    line = [[(0, left, 0), (2, right, 0), (1, left, 3)]]
    assert not within_extra(prep, line, 6)
    better, used = improve_cycle(prep, line, 100, target=6)
    assert better is not line and 0 < used <= 100
    assert within_extra(prep, better, 6)
    assert max(s + prep.t[i] for i, _, s in better[0]) == 6
    on = {i: q for i, q, _ in better[0]}
    assert on[0] == left and on[1] == on[2] == right
    # without the moves it needs, the start comes back unchanged
    assert improve_cycle(prep, line, 0, target=6)[0] is line


def test_local_search_with_variants_returns_lines_that_keep_them() -> None:
    """From a weighted-only start that breaks the variants, on random
    instances: the result is the start itself or keeps every variant
    limit and the weighted mean."""
    rng = np.random.default_rng(3)
    for _ in range(20):
        n = 12
        t = rng.integers(2, 9, size=(n, 3))
        p = TwoSidedProblem(
            times=t.mean(axis=1).astype(np.int64) + 1,
            sides=rng.integers(0, 3, size=n),
            arcs=np.array([[i, i + 1] for i in range(0, n - 1, 3)]),
            extra_times=t, extra_limits=(14, 14, 14), extra_weights=(1, 1, 1))
        prep = prepare(p)
        relaxed = prepare(replace(p, extra_times=None, extra_limits=(),
                                  extra_weights=()))
        from taktplan.balance.twosided.heuristic import best_line
        start = best_line(relaxed, 12, n, 4, 0)
        assert start is not None
        m = len(start)
        out, _ = improve_cycle(prep, start, 2_000, target=12)
        assert out is start or within_extra(prep, out, 12)
        assert len(out) == m
        assert sorted(i for st in out for i, _, _ in st) == list(range(n))


def test_plant_trim_fits_13_stations_with_every_variant_kept() -> None:
    """The built-in plant's trim segment (95 tasks, 6 variants): 14
    mated stations by the greedy lines, 13 by the fit from the weighted
    line with every variant within 150.66 s and each station's
    demand-weighted mean of its variant times within the load limit
    (116.9 s; before the mean was kept a station averaged 127.7 s)."""
    from taktplan.plant.balance_stage import segment_problem
    from taktplan.plant.two_sided_stage import balance_two_sided_segment
    from taktplan.scenario import load_scenario

    sc = load_scenario()
    cycle = 120.528
    load_limit = cycle * sc.balancing.load_factor
    limit = cycle * (1.0 + sc.sequencing.variant_overload)
    trim = next(s for s in sc.segments if s.name == "trim")
    mixed = segment_problem(sc, trim, load_limit, limit)
    seg = balance_two_sided_segment(sc, trim, mixed, load_limit)
    assert len(seg.station_tasks) == 13 and seg.lower_bound == 12
    assert seg.loads.max() <= mixed.variant_limit + 1e-6
    assert seg.weighted_loads.max() <= load_limit + 0.05


def test_operator_windows_keep_the_variants() -> None:
    """Three either-side tasks (weighted 4, 4, 2; one variant 4, 4, 3
    within 10, weight 1) at cycle 10, on three positions of two
    stations: the window re-solved with the fewest positions (CP-SAT,
    then one order per position) puts all three on one position (10 in
    the weighted times, 11 for the variant: over its limit, so not that)
    or two; the line keeps the variant and its mean."""
    from taktplan.balance.twosided.windows import fewer_operators_by_windows

    p = TwoSidedProblem(times=np.array([4, 4, 2]), sides=np.zeros(3, int),
                        arcs=np.zeros((0, 2), int),
                        extra_times=np.array([[4], [4], [3]]),
                        extra_limits=(10,), extra_weights=(1,))
    left, right = _positions(p)
    line = [[(0, left, 0), (1, right, 0)], [(2, left, 0)]]
    won = fewer_operators_by_windows(p, line, 10, 5.0)
    assert won.operators == 2
    assert within_extra(prepare(p), won.line, 10)
    assert sorted(i for st in won.line for i, _, _ in st) == [0, 1, 2]


def test_plant_chassis_with_two_operators_a_side_drains_positions() -> None:
    """The built-in plant's chassis segment staffed by up to two
    operators a side (four positions a station): the operator mode of
    the local search gathers the work, so the 6 mated stations need
    at most 21 operators (24 when every position was staffed, 22 with
    the operator windows alone, 20 when the mode ran all its moves;
    the operator bound is 17), every station within the variants'
    limit and the load limit."""
    from taktplan.plant.balance_stage import segment_problem
    from taktplan.plant.two_sided_stage import balance_two_sided_segment
    from taktplan.scenario import load_scenario

    sc = load_scenario()
    cycle = 120.528
    load_limit = cycle * sc.balancing.load_factor
    limit = cycle * (1.0 + sc.sequencing.variant_overload)
    base = next(s for s in sc.segments if s.name == "chassis")
    chassis = base.model_copy(update={"max_operators_per_side": 2})
    mixed = segment_problem(sc, chassis, load_limit, limit)
    seg = balance_two_sided_segment(sc, chassis, mixed, load_limit)
    assert len(seg.station_tasks) == 6
    assert sum(seg.station_operators) <= 21
    assert seg.operators_lower_bound == 17
    assert seg.loads.max() <= mixed.variant_limit + 1e-6
    assert seg.weighted_loads.max() <= load_limit + 0.05


def _swap_only() -> TwoSidedProblem:
    """Four left-side tasks of weighted time 5, no arcs; the variant
    takes 6, 6, 1 and 1 within 10. Tasks 0 and 1 on station 1 end the
    weighted times at 10 but the variant at 12; tasks 2 and 3 fill
    station 2 to 10. Every move of one task puts 15 on a station; the
    swap of task 1 and task 2 ends both stations at 10 (variant 7)."""
    return TwoSidedProblem(times=np.full(4, 5), sides=np.full(4, LEFT),
                           arcs=np.zeros((0, 2), int),
                           extra_times=np.array([[6], [6], [1], [1]]),
                           extra_limits=(10,))


def test_a_swap_brings_the_variant_within_where_no_move_does() -> None:
    p = _swap_only()
    prep = prepare(p)
    left, _ = _positions(p)
    line = [[(0, left, 0), (1, left, 5)], [(2, left, 0), (3, left, 5)]]
    assert not within_extra(prep, line, 10)
    better, _ = improve_cycle(prep, line, 1000, kick=0, target=10)
    assert better is not line
    assert within_extra(prep, better, 10)
    assert sorted(sorted(i for i, _, _ in st) for st in better) in (
        [[0, 2], [1, 3]], [[0, 3], [1, 2]])


def _three_stations(pin: tuple[int, int] | None) -> TwoSidedProblem:
    """Tasks 0 -> 1 -> 2, either side, times 6, 6 and 2, one variant
    equal to them within 10; ``pin``: a task and its station
    (0-based)."""
    fixed = np.full(3, -1)
    if pin is not None:
        fixed[pin[0]] = pin[1]
    return TwoSidedProblem(times=np.array([6, 6, 2]), sides=np.zeros(3, int),
                           arcs=np.array([[0, 1], [1, 2]]),
                           fixed_station=fixed,
                           extra_times=np.array([[6], [6], [2]]),
                           extra_limits=(10,))


@pytest.mark.parametrize(("pin", "stations"), [
    (None, [[0], [1, 2]]),    # the lightest merged into the one before
    ((0, 0), [[0], [1, 2]]),  # the pin is before the merged station
    ((2, 2), None),           # every merge would move the pinned task
])
def test_fit_by_merging_drops_the_lightest_station(
        pin: tuple[int, int] | None,
        stations: list[list[int]] | None) -> None:
    from taktplan.balance.twosided.budget import RunCounter
    from taktplan.balance.twosided.fits import _fit_by_merging

    p = _three_stations(pin)
    prep = prepare(p)
    left, _ = _positions(p)
    line = [[(0, left, 0)], [(1, left, 0)], [(2, left, 0)]]
    budget = Budget(backend="search")
    out = _fit_by_merging(prep, 10, line, 6, budget, RunCounter(budget, p))
    if stations is None:
        assert out is None
        return
    assert out is not None
    assert [sorted(i for i, _, _ in st) for st in out] == stations
    assert within_extra(prep, out, 10)
    starts = {i: s for st in out for i, _, s in st}
    assert starts[2] >= starts[1] + 6  # precedence within the station


def test_type2_refuses_stations_the_variants_work_rules_out() -> None:
    """Three left-side tasks of 40, 40 and 50 s in one variant, whose
    limit is 80 s: its left work (130 s) needs two stations at any
    cycle, so one station is refused at once, naming the variant and
    the count; two stations hold it."""
    from taktplan.balance.twosided import solve_talbp2
    from taktplan.errors import InputError

    p = TwoSidedProblem(times=np.array([5, 5, 5]), sides=np.full(3, LEFT),
                        arcs=np.zeros((0, 2), int),
                        extra_times=np.array([[40], [40], [50]]),
                        extra_limits=(80,), extra_names=("JVB",))
    with pytest.raises(InputError) as err:
        solve_talbp2(p, 1, Budget(backend="search"))
    assert err.value.message == (
        "<data>: number of stations: JVB's work (130) needs at least 2 "
        "stations within its limit 80, more than 1; give at least 2 "
        "stations or raise its limit")
    assert solve_talbp2(p, 2, Budget(backend="search")).n_stations == 2
