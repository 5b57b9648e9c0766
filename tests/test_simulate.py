"""The simulator: exact cases, properties, seeds, the model's checks."""

from __future__ import annotations

import json

import numpy as np
import pytest

from taktplan.errors import InputError
from taktplan.simulate import (
    Line,
    ShiftCalendar,
    Station,
    simulate,
    simulate_replication,
)
from taktplan.simulate.distributions import weibull_shape

# one xdist worker compiles the numba kernels once for all these tests
pytestmark = pytest.mark.xdist_group("simulate")


def _st(name: str, t: float | list[float], **kw: object) -> Station:
    return Station(name, np.atleast_1d(np.asarray(t, dtype=float)),
                   **kw)  # type: ignore[arg-type]


def _unreliable(k: int = 4, b: int = 3) -> Line:
    return Line(tuple(_st(f"M{i}", 1.0 + 0.05 * i, mtbf=60.0 + 10 * i,
                          mttr=6.0) for i in range(k)), (b,) * (k - 1))


def test_deterministic_line_runs_at_the_bottleneck_rate() -> None:
    """No failures: exactly horizon / slowest cycle jobs leave."""
    line = Line((_st("A", 1.0), _st("B", 2.0), _st("C", 1.5)), (0, 2))
    res = simulate(line, horizon=1000.0, warmup=10.0, replications=2,
                   seed=0)
    assert [r.departures for r in res.replications] == [500, 500]
    assert res.throughput.mean == 0.5
    np.testing.assert_allclose(res.fractions, [[0.5, 0.5, 0, 0, 0],
                                               [1, 0, 0, 0, 0],
                                               [0.75, 0, 0.25, 0, 0]])
    assert res.bottleneck == "B"
    assert res.momentary_share[1] == pytest.approx(1.0)


def test_fractions_sum_to_one_and_littles_law_holds() -> None:
    """Each station's five fractions sum to 1; WIP = throughput x flow."""
    res = simulate(_unreliable(), horizon=50_000.0, warmup=1000.0,
                   replications=3, seed=11)
    for r in res.replications:
        np.testing.assert_allclose(r.fractions.sum(axis=1), 1.0,
                                   atol=1e-9)
        assert r.wip == pytest.approx(r.throughput * r.flow_time, rel=0.01)
        for levels in r.buffer_levels:
            assert levels.sum() == pytest.approx(1.0, abs=1e-9)
    working = res.fractions[:, 0]
    assert working * np.array([1.0, 1.05, 1.1, 1.15]) == pytest.approx(
        res.throughput.mean * np.array([1.0, 1.05, 1.1, 1.15]) ** 2,
        rel=0.01)


def test_same_seed_same_numbers_and_seeds_recorded() -> None:
    """Replications are a pure function of (line, params, seed)."""
    a = simulate(_unreliable(), horizon=5000.0, warmup=100.0,
                 replications=3, seed=42)
    b = simulate(_unreliable(), horizon=5000.0, warmup=100.0,
                 replications=3, seed=42)
    c = simulate(_unreliable(), horizon=5000.0, warmup=100.0,
                 replications=3, seed=43)
    assert [r.throughput for r in a.replications] == \
        [r.throughput for r in b.replications]
    assert [r.throughput for r in a.replications] != \
        [r.throughput for r in c.replications]
    assert [r.spawn_key for r in a.replications] == [(0,), (1,), (2,)]
    one = simulate_replication(
        _unreliable(), horizon=5000.0, warmup=100.0,
        seed_sequence=np.random.SeedSequence(42).spawn(3)[1])
    assert one.throughput == a.replications[1].throughput


def test_paced_segment_adds_the_repairs_of_all_its_stations() -> None:
    """Two paced stations: an index lasts 1 plus both repairs, 1/1.2."""
    line = Line((_st("A", 1.0, mtbf=100.0, mttr=10.0),
                 _st("B", 1.0, mtbf=100.0, mttr=10.0)), (0,), ((0, 1),))
    res = simulate(line, horizon=100_000.0, warmup=1000.0, replications=8,
                   seed=4)
    assert res.throughput.contains(1 / 1.2)


def test_segment_between_buffers_deterministic() -> None:
    """A paced segment of 1.0 / 1.5 / 1.2 indexes every 1.5."""
    line = Line((_st("in", 1.0), _st("a", 1.0), _st("b", 1.5),
                 _st("c", 1.2), _st("out", 1.0)), (2, 0, 0, 2),
                ((1, 3),))
    res = simulate(line, horizon=1500.0, warmup=50.0, replications=1,
                   seed=0)
    assert res.replications[0].departures == 1000
    np.testing.assert_allclose(res.fractions.sum(axis=1), 1.0)


def test_parallel_servers_share_the_work() -> None:
    """Two servers of cycle 2 keep pace with stations of cycle 1."""
    line = Line((_st("A", 1.0), _st("B", 2.0, parallel=2), _st("C", 1.0)),
                (1, 1))
    res = simulate(line, horizon=1000.0, warmup=20.0, replications=1,
                   seed=0)
    assert res.replications[0].departures == 1000
    assert res.fractions[1, 0] == pytest.approx(1.0)


def test_variant_sequence_and_mix() -> None:
    """Times 1 and 3 alternating give 0.5 jobs per unit, in a mix too."""
    line = Line((_st("A", [1.0, 3.0]),), ())
    seq = simulate(line, horizon=1000.0, warmup=0.0, replications=1, seed=0,
                   variant_sequence=np.array([0, 1]))
    assert seq.replications[0].departures == 500
    mix = simulate(line, horizon=20_000.0, warmup=0.0, replications=8,
                   seed=0, variant_mix=np.array([0.5, 0.5]))
    assert mix.throughput.contains(0.5)


@pytest.mark.parametrize("kind", ["exponential", "lognormal", "gamma",
                                  "weibull"])
def test_processing_distributions_keep_their_mean(kind: str) -> None:
    """One station alone produces 1 / mean whatever the distribution."""
    line = Line((_st("A", 2.0, process=kind, process_cv=0.7),), ())
    res = simulate(line, horizon=50_000.0, warmup=0.0, replications=8,
                   seed=1)
    assert res.throughput.contains(0.5)


def test_weibull_shape_of_cv_one_is_exponential() -> None:
    """A Weibull with CV 1 has shape 1."""
    assert weibull_shape(1.0) == pytest.approx(1.0, rel=1e-9)


def test_calendar_gives_vehicles_per_year() -> None:
    """Per year = jobs per productive hour x 248 x 2 x 7.5 hours."""
    cal = ShiftCalendar(shifts_per_day=2, shift_hours=8.0,
                        break_hours=0.5, working_days_per_year=248)
    assert cal.productive_hours_per_year == 3720.0
    line = Line((_st("A", 120.0),), (), time_unit_s=1.0)
    res = simulate(line, horizon=cal.productive_time(0.01, 1.0),
                   warmup=0.0, replications=1, seed=0, calendar=cal)
    assert res.jobs_per_hour.mean == pytest.approx(30.0)
    assert res.per_year is not None
    assert res.per_year.mean == pytest.approx(30.0 * 3720.0)


def test_bottleneck_is_the_slow_unreliable_station() -> None:
    """The station with the least capacity is found by active periods."""
    st = (_st("A", 1.0, mtbf=100.0, mttr=5.0),
          _st("B", 1.0, mtbf=50.0, mttr=15.0),
          _st("C", 1.0, mtbf=100.0, mttr=5.0))
    res = simulate(Line(st, (4, 4)), horizon=30_000.0, warmup=500.0,
                   replications=3, seed=9)
    assert res.bottleneck == "B"
    assert res.momentary_share[1] == max(res.momentary_share)


def test_to_dict_is_json_ready() -> None:
    """The JSON output has the documented keys and no NaN."""
    res = simulate(_unreliable(), horizon=2000.0, warmup=100.0,
                   replications=2, seed=1)
    d = json.loads(json.dumps(res.to_dict(), allow_nan=False))
    assert {"throughput", "ci95", "replications", "stations",
            "bottleneck", "seeds"} <= d.keys()
    assert set(d["stations"][0]) >= {"name", "working", "blocked",
                                     "starved", "down"}


@pytest.mark.parametrize(("build", "where"), [
    (lambda: Line((), ()), "stations"),
    (lambda: Line((_st("A", -1.0),), ()), "stations[0].process_times"),
    (lambda: Line((_st("A", 1.0, mtbf=0.0, mttr=1.0),), ()),
     "stations[0].mtbf"),
    (lambda: Line((_st("A", 1.0), _st("B", 1.0)), (-1,)), "buffers[0]"),
    (lambda: Line((_st("A", 1.0), _st("B", 1.0)), ()), "buffers"),
    (lambda: Line((_st("A", 1.0), _st("B", 1.0), _st("C", 1.0)), (0, 0),
                  ((1, 2),)), "buffers[0]"),
])
def test_bad_lines_are_input_errors(build: object, where: str) -> None:
    """Bad values raise InputError naming the key path."""
    with pytest.raises(InputError) as info:
        build()  # type: ignore[operator]
    assert info.value.where == where


def test_throughput_only_pass_gives_the_same_throughput() -> None:
    """detail=False draws the same numbers and skips the statistics."""
    full = simulate(_unreliable(), horizon=5000.0, warmup=100.0,
                    replications=2, seed=8)
    fast = simulate(_unreliable(), horizon=5000.0, warmup=100.0,
                    replications=2, seed=8, detail=False)
    assert [r.departures for r in fast.replications] == \
        [r.departures for r in full.replications]
    assert fast.wip.mean == full.wip.mean
    d = fast.to_dict()
    assert d["bottleneck"] is None
    assert d["stations"] == []


def test_equal_lines_compare_and_hash_equal() -> None:
    """Stations hold arrays, yet equal lines are equal and hashable."""
    a = Line((_st("A", [1.0, 2.0], mtbf=10.0, mttr=1.0),), ())
    b = Line((_st("A", [1.0, 2.0], mtbf=10.0, mttr=1.0),), ())
    c = Line((_st("A", [1.0, 2.5], mtbf=10.0, mttr=1.0),), ())
    assert a == b
    assert hash(a) == hash(b)
    assert a != c


def test_no_departures_still_gives_valid_json() -> None:
    """A window too short for any job: throughput 0, flow time null."""
    line = Line((_st("A", 100.0),), ())
    d = simulate(line, horizon=10.0, warmup=0.0, replications=2,
                 seed=0).to_dict()
    text = json.dumps(d, allow_nan=False)
    assert d["throughput"] == 0.0
    assert d["flow_time"]["mean"] is None
    assert "NaN" not in text


def test_segment_starved_until_its_first_job_without_warmup() -> None:
    """No warm-up: a segment's wait for its first job counts as starved."""
    line = Line((_st("A", 1.0), _st("B", 1.0), _st("C", 1.0)), (1, 0),
                ((1, 2),))
    res = simulate(line, horizon=100.0, warmup=0.0, replications=1, seed=0)
    frac = res.fractions
    np.testing.assert_allclose(frac.sum(axis=1), 1.0, atol=1e-12)
    assert frac[1, 2] == pytest.approx(0.01)  # B waits [0, 1) for job 0


def test_shifting_shares_stay_within_the_window() -> None:
    """Long active periods reaching past a short window: shares <= 1."""
    rng = np.random.default_rng(60)
    st = tuple(_st(f"S{i}", [rng.uniform(100, 118), rng.uniform(95, 120)],
                   mtbf=rng.uniform(6, 12) * 3600,
                   mttr=rng.uniform(120, 600)) for i in range(60))
    res = simulate(Line(st, (3,) * 59), horizon=3600.0, warmup=0.0,
                   replications=2, seed=0, variant_mix=np.array([0.6, 0.4]))
    assert res.shifting_share.max() <= 1.0
    assert res.sole_share.sum() <= 1.0 + 1e-9
