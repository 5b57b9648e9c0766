"""Exact bin packing (arc flow, CP-SAT): the station bound of WEE-MAG."""

from __future__ import annotations

from itertools import product
from pathlib import Path

import numpy as np
import pytest

from taktplan.balance import solve_salbp1
from taktplan.balance.binpacking import bin_packing_bound, fits_in_bins
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
        assert fits_in_bins(np.array(sizes), capacity, bins) == \
            brute_force_fits(sizes, capacity, bins), (sizes, capacity, bins)


def test_equal_items_share_a_bin() -> None:
    """Two 8s and a 3 fill one bin of 28; three 10s need two bins of 25."""
    assert fits_in_bins(np.array([8, 8, 3]), 28, 1) is True
    assert fits_in_bins(np.array([10, 10, 10]), 25, 1) is False
    assert fits_in_bins(np.array([10, 10, 10]), 25, 2) is True


def test_wee_mag_54_needs_31_bins_beyond_the_bounds() -> None:
    """WEE-MAG at c=54: L2 and Fekete-Schepers give 30, the packing 31
    (the table's optimum, so the line is proved by packing alone)."""
    p = read_in2(DATA / "WEE-MAG.IN2")
    prep = prepare(p.times[:, None], np.array([54]), p.arcs)
    assert prep.lower_bound() == 30
    assert fits_in_bins(prep.times[:, 0], 54, 30) is False
    assert bin_packing_bound(prep.times[:, 0], 54, 30, 31) == 31


def test_wee_mag_54_is_proved_optimal() -> None:
    """The exact balance proves 31 stations (open gap before this bound)."""
    p = read_in2(DATA / "WEE-MAG.IN2")
    res = solve_salbp1(p, 54, time_limit=60.0)
    assert (res.n_stations, res.lower_bound, res.status) == (31, 31,
                                                             "optimal")
