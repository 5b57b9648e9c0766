"""The drift model's overload, and the swap search that lowers it."""

from __future__ import annotations

import numpy as np
import pytest

from taktplan.sequence.overload import (
    _trace,
    _window,
    overload_seconds,
    reduce_overload,
)

#: One station, cycle 10 s, drift 5 s: the heavy variant takes 16 s.
LOADS = np.array([[16.0, 4.0]])


@pytest.mark.parametrize(("seq", "expected"), [
    ([0, 0, 1, 1], 7.0),  # second heavy: backlog 12, 7 s beyond the drift
    ([0, 1, 0, 1], 2.0),  # each heavy: backlog 6, 1 s beyond the drift
    ([1, 1, 1, 1], 0.0),
])
def test_overload_of_a_hand_worked_day(seq: list[int],
                                       expected: float) -> None:
    """Backlog b = min(D, max(0, b + t - c)), overload counted in sweep two."""
    assert overload_seconds(np.array(seq), LOADS, 10.0, 5.0) == expected


def test_windowed_change_equals_recomputation() -> None:
    """Every swap's windowed overload change equals a full recomputation."""
    rng = np.random.default_rng(3)
    loads = rng.uniform(80.0, 150.0, size=(12, 4))
    cycle, drift = 110.0, 25.0
    seq = rng.integers(0, 4, size=60)
    n_st, n = loads.shape[0], seq.size
    step = loads - cycle
    b1, b2, o2 = (np.empty((n_st, n)) for _ in range(3))
    for k in range(n_st):
        _trace(k, seq, step, drift, b1, b2, o2)
    for _ in range(400):
        i, j = sorted(rng.choice(n, 2, replace=False))
        before = overload_seconds(seq, loads, cycle, drift)
        seq[i], seq[j] = seq[j], seq[i]
        exact = overload_seconds(seq, loads, cycle, drift) - before
        changed = [k for k in range(n_st) if step[k, seq[i]] != step[k, seq[j]]]
        delta = sum(_window(k, seq, step, drift, b1, b2, o2, i, j, False)
                    for k in changed)
        assert delta == pytest.approx(exact, abs=1e-6)
        if rng.random() < 0.5:  # keep the swap: update the stored traces
            for k in changed:
                _window(k, seq, step, drift, b1, b2, o2, i, j, True)
        else:
            seq[i], seq[j] = seq[j], seq[i]


def test_search_keeps_the_mix_and_reports_the_exact_overload() -> None:
    """Counts kept, overload never up, reported seconds recomputed exactly."""
    rng = np.random.default_rng(8)
    loads = rng.uniform(80.0, 150.0, size=(10, 3))
    start = np.repeat(np.arange(3), [20, 15, 10])
    result = reduce_overload(start, loads, 110.0, 20.0, seed=4,
                             max_moves=3000)
    assert np.array_equal(np.bincount(result.sequence, minlength=3),
                          [20, 15, 10])
    assert result.seconds < result.start_seconds
    assert result.seconds == overload_seconds(result.sequence, loads,
                                              110.0, 20.0)
    again = reduce_overload(start, loads, 110.0, 20.0, seed=4,
                            max_moves=3000)
    assert np.array_equal(again.sequence, result.sequence)
