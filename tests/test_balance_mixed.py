"""Mixed-model balancing: fewest stations, then smooth variant loads."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_equal

from taktplan.balance import (
    MixedModelProblem,
    balance_mixed_model,
    check_line,
)
from taktplan.errors import InputError


def _four_tasks(**change: object) -> MixedModelProblem:
    fields: dict[str, object] = {
        "task_ids": ("A", "B", "C", "D"),
        "times": np.array([[4.0, 6.0], [6.0, 4.0], [5.0, 5.0], [5.0, 5.0]]),
        "weights": np.array([0.5, 0.5]),
        "arcs": np.zeros((0, 2), dtype=int),
        "cycle_time": 10.0,
        "variant_limit": 12.0,
    }
    fields.update(change)
    return MixedModelProblem(**fields)  # type: ignore[arg-type]


def test_hand_worked_case_pairs_the_mirror_tasks() -> None:
    """Two stations; A with B and C with D make every variant load 10 s."""
    res = balance_mixed_model(_four_tasks(), time_limit=2.0, seed=0)
    assert res.status == "optimal"
    assert res.n_stations == 2 and res.lower_bound == 2
    assert res.smoothness == pytest.approx(0.0, abs=1e-12)
    assert_allclose(res.loads, [[10.0, 10.0], [10.0, 10.0]])
    assert_allclose(res.weighted_loads, [10.0, 10.0])
    pairs = {frozenset(s) for s in res.stations}
    assert pairs == {frozenset({0, 1}), frozenset({2, 3})}


def _random_segment(seed: int, n: int = 60, variants: int = 5
                    ) -> MixedModelProblem:
    rng = np.random.default_rng(seed)
    base = rng.uniform(5, 40, n)
    times = np.round(base[:, None] * rng.uniform(0.5, 1.6, (n, variants)),
                     1)
    times[rng.random((n, variants)) < 0.15] = 0.0
    arcs = [(int(i), j) for j in range(1, n)
            for i in rng.choice(j, size=min(j, 2), replace=False)
            if rng.random() < 0.6]
    w = np.array([0.4, 0.25, 0.15, 0.1, 0.1])[:variants]
    return MixedModelProblem(tuple(f"T{i}" for i in range(n)), times,
                             w / w.sum(), np.array(arcs), 60.0, 75.0)


def test_segment_line_is_valid_and_near_its_bound() -> None:
    """A 60-task, 5-variant segment: valid line within 2 of its bound."""
    p = _random_segment(3)
    res = balance_mixed_model(p, time_limit=3.0, seed=0)
    check_line(res.stations, p.times @ p.weights, p.arcs, p.cycle_time)
    check_line(res.stations, p.times, p.arcs, p.variant_limit)
    assert res.n_stations - res.lower_bound <= 2
    assert res.lower_bound >= int(np.ceil((p.times @ p.weights).sum() / 60))
    assert_allclose(res.loads.sum(axis=0), p.times.sum(axis=0))
    assert_equal(sorted(t for s in res.stations for t in s), list(range(60)))


def test_same_seed_same_line() -> None:
    """Two runs with one seed give the same stations and smoothness."""
    p = _random_segment(5, n=40)
    a = balance_mixed_model(p, time_limit=2.0, seed=7)
    b = balance_mixed_model(p, time_limit=2.0, seed=7)
    assert a.stations == b.stations
    assert a.smoothness == b.smoothness


@pytest.mark.parametrize(("change", "words"), [
    ({"times": np.array([[12.0, 12.0], [6, 4], [5, 5], [5, 5]])},
     "task A has weighted time"),
    ({"times": np.array([[4.0, 6], [14.0, 6.0], [5, 5], [5, 5]])},
     "task B takes 14.0 s in variant 0"),
    ({"arcs": np.array([[0, 1], [1, 2], [2, 0]])}, "precedence cycle"),
    ({"weights": np.array([0.5, 0.6])}, "do not sum to 1"),
    ({"variant_limit": 9.0}, "variant limit"),
])
def test_bad_mixed_input_raises_input_error(change: dict[str, object],
                                            words: str) -> None:
    """Bad mixed-model data raises InputError naming the fault."""
    with pytest.raises(InputError, match=words):
        balance_mixed_model(_four_tasks(**change), time_limit=1.0)
