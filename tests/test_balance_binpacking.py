"""Exact bin packing: the station bounds that close WEE-MAG c=47 and 54.

Two solvers: the arc-flow model on CP-SAT at the root
(:mod:`taktplan.balance.arcflow`) and the compiled bin completion
with memory for the states of the search (:mod:`taktplan.balance._binpack`).
"""

from __future__ import annotations

from itertools import product
from pathlib import Path

import numpy as np
import pytest

from taktplan.balance import solve_salbp1
from taktplan.balance._binpack import (
    FITS,
    NO_FIT,
    SAMPLE_EVERY,
    TRIAL_STATES,
    UNKNOWN,
    new_memo,
    state_fits,
)
from taktplan.balance._binpack import fits_in_bins as completion_fits
from taktplan.balance.arcflow import arc_flow_bound, arc_flow_fits
from taktplan.balance.prepare import prepare
from taktplan.formats.salbp import read_in2

DATA = Path(__file__).resolve().parents[1] / "benchmarks/instances/salbp"


def brute_force_fits(sizes: list[int], capacity: int, bins: int) -> bool:
    """Every assignment of items to bins, for tiny cases."""
    for assign in product(range(bins), repeat=len(sizes)):
        loads = [0] * bins
        for size, b in zip(sizes, assign):
            loads[b] += size
        if max(loads) <= capacity:
            return True
    return False


@pytest.mark.parametrize("seed", range(12))
def test_arc_flow_agrees_with_brute_force(seed: int) -> None:
    """Random small cases, several of one size in a bin included."""
    rng = np.random.default_rng(seed)
    capacity = int(rng.integers(6, 20))
    sizes = rng.integers(1, capacity + 1, int(rng.integers(2, 8))).tolist()
    for bins in range(1, 4):
        assert arc_flow_fits(np.array(sizes), capacity, bins) == \
            brute_force_fits(sizes, capacity, bins), (sizes, capacity, bins)


def test_equal_items_share_a_bin() -> None:
    """Two 8s and a 3 fill one bin of 28; three 10s need two bins of 25."""
    assert arc_flow_fits(np.array([8, 8, 3]), 28, 1) is True
    assert arc_flow_fits(np.array([10, 10, 10]), 25, 1) is False
    assert arc_flow_fits(np.array([10, 10, 10]), 25, 2) is True


def test_wee_mag_54_needs_31_bins_beyond_the_bounds() -> None:
    """WEE-MAG at c=54: L2 and Fekete-Schepers give 30, the packing 31
    (the table's optimum, so the line is proved by packing alone)."""
    p = read_in2(DATA / "WEE-MAG.IN2")
    prep = prepare(p.times[:, None], np.array([54]), p.arcs)
    assert prep.lower_bound() == 30
    assert arc_flow_fits(prep.times[:, 0], 54, 30) is False
    assert arc_flow_bound(prep.times[:, 0], 54, 30, 31) == 31


def test_wee_mag_54_is_proved_optimal() -> None:
    """The exact balance proves 31 stations (open gap before this bound)."""
    p = read_in2(DATA / "WEE-MAG.IN2")
    res = solve_salbp1(p, 54, time_limit=60.0)
    assert (res.n_stations, res.lower_bound, res.status) == (31, 31,
                                                             "optimal")


def completion(sizes: list[int], capacity: int, bins: int,
               memo: np.ndarray | None = None) -> int:
    """The compiled bin completion on ``sizes`` (any order)."""
    desc = np.sort(np.array(sizes, dtype=np.int64))[::-1].copy()
    return completion_fits(desc, desc.size, bins, capacity, 10**6,
                           new_memo(10**9) if memo is None else memo)


@pytest.mark.parametrize("seed", range(12))
def test_bin_completion_agrees_with_brute_force(seed: int) -> None:
    """Random small cases; one memory shared by the questions of one
    capacity, as in a search, changes no answer."""
    rng = np.random.default_rng(100 + seed)
    capacity = int(rng.integers(6, 20))
    memo = new_memo(10**9)
    for _ in range(6):
        sizes = rng.integers(1, capacity + 1,
                             int(rng.integers(2, 8))).tolist()
        for bins in range(1, 4):
            want = FITS if brute_force_fits(sizes, capacity, bins) else NO_FIT
            assert completion(sizes, capacity, bins) == want
            assert completion(sizes, capacity, bins, memo) == want


def test_bin_completion_agrees_with_arc_flow_on_larger_cases() -> None:
    """20-30 items, tight and loose bin counts: both exact solvers agree."""
    rng = np.random.default_rng(7)
    for _ in range(40):
        capacity = int(rng.integers(20, 60))
        sizes = rng.integers(1, capacity + 1, int(rng.integers(20, 31)))
        low = -(-int(sizes.sum()) // capacity)
        for bins in (low, low + 1):
            want = arc_flow_fits(sizes, capacity, bins)
            assert completion(sizes.tolist(), capacity, bins) == (
                FITS if want else NO_FIT)


def test_wee_mag_bin_completion_matches_the_arc_flow() -> None:
    """Packing alone: 31 bins at c=54 (30 do not do), 32 at c=47."""
    times = read_in2(DATA / "WEE-MAG.IN2").times.tolist()
    assert completion(times, 54, 30) == NO_FIT
    assert completion(times, 54, 31) == FITS
    assert completion(times, 47, 31) == NO_FIT
    assert completion(times, 47, 32) == FITS


def test_state_packing_stops_asking_where_it_does_not_prune() -> None:
    """After the trial states, a search that found too few states not
    fitting is answered one time in SAMPLE_EVERY; one that found many,
    every time."""
    sizes = np.array([6, 6, 6], dtype=np.int64)  # 3 bins of 10, not 2
    memo = new_memo(10**9)
    assert state_fits(sizes, 3, 2, 10, memo) == NO_FIT
    memo[-2, :2] = (TRIAL_STATES, 0)
    answers = [state_fits(sizes, 3, 2, 10, memo) for _ in range(64)]
    assert answers.count(NO_FIT) == 64 // SAMPLE_EVERY == 2
    assert answers.count(UNKNOWN) == 62
    memo[-2, :2] = (TRIAL_STATES, TRIAL_STATES)
    assert state_fits(sizes, 3, 2, 10, memo) == NO_FIT


def test_bin_packing_budget_leaves_questions_open() -> None:
    """With its budget spent the memory answers no new question (a
    deterministic cap on the cost), except what arithmetic settles."""
    memo = new_memo(0)
    times = read_in2(DATA / "WEE-MAG.IN2").times.tolist()
    assert completion(times, 54, 30, memo) == UNKNOWN
    assert completion(times, 10, 1, memo) == NO_FIT  # sum beyond the bin


def test_wee_mag_47_is_proved_optimal() -> None:
    """Only precedence rules out 32 stations (the tasks fit in 32 bins):
    the states' bin packing proves the table's corrected 33."""
    p = read_in2(DATA / "WEE-MAG.IN2")
    res = solve_salbp1(p, 47, time_limit=60.0)
    assert (res.n_stations, res.lower_bound, res.status) == (33, 33,
                                                             "optimal")


def test_wee_mag_47_is_proved_on_a_node_budget() -> None:
    """On node-counted rounds each search gets a share of the bin
    packing in proportion to its nodes: the mirror's breadth-first
    search no longer spends the whole budget before the forward one
    proves 33 (without the shares: 32..33 after 200,000 nodes)."""
    p = read_in2(DATA / "WEE-MAG.IN2")
    res = solve_salbp1(p, 47, time_limit=600.0, node_limit=200_000)
    assert (res.n_stations, res.lower_bound, res.status) == (33, 33,
                                                             "optimal")
    assert res.nodes < 200_000
