"""The plant's two-sided segments (issue 18): balance, operators, costs.

The tiny plant of ``tiny_scenario.toml`` made two-sided: weighted work
196.25 s at the 194.4 s cycle needed two one-sided stations; one mated
station holds it (the longest chain t1-t3-t4-t6 is 155 s), with two
operators (ceil(196.25 / 194.4) = 2 is also the operators' bound).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from taktplan.errors import InputError
from taktplan.plan_json import segment_operators_json
from taktplan.plant.balance_stage import balance_plant
from taktplan.plant.design import Design
from taktplan.scenario import load_scenario

TINY = Path(__file__).parent / "data" / "tiny_scenario.toml"


def _two_sided(tmp_path: Path, extra: str = "",
               task_extra: dict[str, str] | None = None) -> Path:
    text = TINY.read_text()
    text = text.replace('kind = "balanced"\n',
                        'kind = "balanced"\ntwo_sided = true\n' + extra)
    for tid, line in (task_extra or {}).items():
        text = text.replace(f'id = "{tid}"\n', f'id = "{tid}"\n{line}\n')
    out = tmp_path / "two.toml"
    out.write_text(text)
    return out


def test_tiny_plant_two_sided_is_one_mated_station(tmp_path: Path) -> None:
    """One mated station, two operators, proved; every variant's station
    time within the variant limit; the JSON keys of the issue."""
    path = _two_sided(tmp_path, task_extra={"t1": 'side = "L"',
                                            "t3": 'side = "R"'})
    sc = load_scenario(path)
    b = balance_plant(sc, 194.4)
    seg = b.segments[0]
    assert (seg.n_stations, seg.operators, b.operators) == (1, 2, 2)
    assert seg.status == "optimal" and seg.lower_bound == 1
    assert seg.operators_lower_bound == b.operators_lower_bound == 2
    assert (seg.loads <= b.variant_limit_s + 1e-9).all()
    out = segment_operators_json(seg)
    assert out["two_sided"] is True and out["operators"] == 2
    assert out["operators_lower_bound"] == 2
    assert out["station_operators"] == {"line-01": 2}
    positions = out["station_positions"]["line-01"]
    sides = {p["side"]: p["tasks"] for p in positions}
    assert "t1" in sides["L"] and "t3" in sides["R"]


def test_one_sided_segment_counts_one_operator_a_station() -> None:
    """Without two_sided the operators equal the stations."""
    b = balance_plant(load_scenario(TINY), 194.4)
    seg = b.segments[0]
    assert seg.operators == seg.n_stations == b.operators == 2
    assert seg.operators_lower_bound == seg.lower_bound == 2
    assert segment_operators_json(seg)["two_sided"] is False
    assert segment_operators_json(seg)["operators_lower_bound"] == 2


def test_zoning_in_the_scenario(tmp_path: Path) -> None:
    """t6 pinned to the zone 'pit' (station 2) and t2 apart from t1: the
    line keeps both."""
    path = _two_sided(tmp_path, extra="zones = { pit = 2 }\n",
                      task_extra={"t6": 'zone = "pit"',
                                  "t2": 'apart_from = ["t1"]'})
    b = balance_plant(load_scenario(path), 194.4)
    st = b.segments[0].station_tasks
    where = {t: k for k, ts in enumerate(st) for t in ts}
    assert where["t6"] == 1 and where["t1"] != where["t2"]


def test_only_staffed_positions_are_listed(tmp_path: Path) -> None:
    """Two operators a side allowed, three needed (t1 on the left, t3 on
    the right, t6 in the pit at station 2): the stations list the
    positions that have work, one per operator, none empty (the unused
    places showed as empty Yamazumi bars and JSON entries)."""
    path = _two_sided(tmp_path, extra="max_operators_per_side = 2\n"
                                      "zones = { pit = 2 }\n",
                      task_extra={"t1": 'side = "L"', "t3": 'side = "R"',
                                  "t6": 'zone = "pit"'})
    seg = balance_plant(load_scenario(path), 194.4).segments[0]
    assert seg.n_stations == 2
    for k, positions in enumerate(seg.station_positions):
        assert all(tasks for _, tasks in positions)
        assert len(positions) == seg.operators_of(k)
    assert seg.operators == sum(len(p) for p in seg.station_positions)


@pytest.mark.parametrize("task_extra,words", [
    ({"t6": 'zone = "roof"'}, "zone 'roof', which segment 'line' does not"),
    ({"t2": 'together_with = ["t9"]'}, "names 't9', not a task"),
    ({"t2": 'together_with = ["t1"]\napart_from = ["t1"]'},
     "t2 must be apart from t1 and also together"),
])
def test_bad_zoning_is_input_error(tmp_path: Path, task_extra: dict[str, str],
                                   words: str) -> None:
    """An unknown zone or task and rules that cannot both hold."""
    sc = load_scenario(_two_sided(tmp_path, task_extra=task_extra))
    with pytest.raises(InputError, match=words.replace("(", r"\(")):
        balance_plant(sc, 194.4)


def test_a_parallel_station_adds_its_operators(tmp_path: Path) -> None:
    """A parallel copy of the mated station costs the station plus its
    two operators; a rebalance's added operators are paid too."""
    sc = load_scenario(_two_sided(tmp_path))
    sc = sc.model_copy(update={"costs": sc.costs.model_copy(
        update={"station_per_year": 50_000.0,
                "operator_per_year": 90_000.0})})
    b = balance_plant(sc, 194.4)
    d = Design(parallel=(("line-01", 2),))
    assert d.cost(sc, balance=b) == pytest.approx(50_000 + 2 * 90_000)
    assert Design().cost(sc, added_stations=1, added_operators=2) == \
        pytest.approx(50_000 + 2 * 90_000)


def test_cache_tells_two_sided_from_one_sided(tmp_path: Path) -> None:
    """The stages' cache (sweeps, what-if) keys on the segment's sides:
    the same plant made two-sided is balanced again, not served the
    one-sided line (2 stations) from the cache."""
    from taktplan.plant.stages import balanced_plant

    one = balanced_plant(load_scenario(TINY))
    two = balanced_plant(load_scenario(_two_sided(tmp_path)))
    assert one.balance is not None and two.balance is not None
    assert one.balance.segments[0].n_stations == 2
    assert two.balance.segments[0].two_sided
    assert two.balance.segments[0].n_stations == 1


def test_two_sided_segment_reports_its_smoothness(tmp_path: Path) -> None:
    """A two-sided segment's smoothness is the same measure as a
    one-sided one's, worked by hand from its loads (it was reported as
    0.0, perfectly smooth, whatever the loads)."""
    import math

    import numpy as np

    sc = load_scenario(_two_sided(tmp_path))
    seg = balance_plant(sc, 194.4).segments[0]
    p = np.asarray(sc.shares, dtype=float)
    p = p / p.sum()
    dev = seg.loads - (seg.loads @ p)[:, None]
    want = math.sqrt(float((dev ** 2 @ p).sum()) / seg.n_stations)
    assert want > 0
    assert seg.smoothness == pytest.approx(want)
