"""KEY paths, value lists and ranges, design points and seeds."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from taktplan.errors import InputError
from taktplan.experiment.design import cartesian, read_points
from taktplan.experiment.keys import apply_point, parse_values, parse_vary
from taktplan.experiment.seeds import replication_seed

LINE = {"buffers": [1, 2, 3], "horizon": 10.0,
        "stations": [{"name": "S1", "cycle_time": 1.0, "mttr": 10},
                     {"name": "S7", "cycle_time": 2.0, "mttr": 5.0}]}
SCENARIO = {"calendar": {"shifts_per_day": 2},
            "segments": [{"name": "paint", "buffer_after": 4,
                          "reliability": {"mttr_min": 3.0}},
                         {"name": "trim", "buffer_after": 0,
                          "reliability": {"mttr_min": 2.0}}]}


def test_integer_range_includes_end_and_stays_int() -> None:
    """0:20:5 gives the ints 0, 5, 10, 15, 20."""
    values = parse_values("0:20:5")
    assert values == [0, 5, 10, 15, 20]
    assert all(type(v) is int for v in values)


def test_range_end_not_on_grid_is_left_out() -> None:
    """0:7:3 stops at 6 (7 is not on the grid)."""
    assert parse_values("0:7:3") == [0, 3, 6]


def test_float_range_is_exact_decimal() -> None:
    """0.1:0.3:0.1 gives 0.1, 0.2, 0.3 exactly (no 0.30000000000000004)."""
    assert parse_values("0.1:0.3:0.1") == [0.1, 0.2, 0.3]


def test_lists_mix_values_and_ranges() -> None:
    """Single values, ranges and strings mix in one list."""
    assert parse_values("1,4:6,2.5,true,abc") == [1, 4, 5, 6, 2.5, True,
                                                  "abc"]


@pytest.mark.parametrize("text", ["5:1:1", "0:10:0", "1:5:-1", "a:b",
                                  "1,,2", ""])
def test_empty_or_bad_ranges_are_input_errors(text: str) -> None:
    """An empty range, a zero step or a missing value is an InputError."""
    with pytest.raises(InputError):
        parse_values(text)


def test_vary_needs_key_and_values() -> None:
    """A --vary without '=' is an InputError; with it, key and values."""
    assert parse_vary("buffers.0=1,2") == ("buffers.0", [1, 2])
    with pytest.raises(InputError, match="KEY=VALUES"):
        parse_vary("buffers.0")


def test_apply_by_index_and_by_name() -> None:
    """Lists are addressed by index or by the item's name."""
    out = apply_point(LINE, (("buffers.2", 9), ("stations.S7.mttr", 1.5),
                             ("line.stations.0.mttr", 3)))
    assert out["buffers"] == [1, 2, 9]
    assert out["stations"][1]["mttr"] == 1.5
    assert out["stations"][0]["mttr"] == 3
    assert LINE["buffers"] == [1, 2, 3]  # the input is not changed


def test_apply_scenario_paths() -> None:
    """Scenario KEYs reach segments by name and the calendar."""
    out = apply_point(SCENARIO, (("segments.paint.buffer_after", 8),
                                 ("segments.trim.reliability.mttr_min", 1),
                                 ("calendar.shifts_per_day", 3)))
    assert out["segments"][0]["buffer_after"] == 8
    assert out["segments"][1]["reliability"]["mttr_min"] == 1
    assert out["calendar"]["shifts_per_day"] == 3


@pytest.mark.parametrize(("key", "value", "match"), [
    ("bufers.0", 1, "unknown key 'bufers'"),
    ("buffers.3", 1, "out of range"),
    ("stations.S9.mttr", 1.0, "no item named 'S9'"),
    ("stations.S1.mtr", 1.0, "unknown key 'mtr'"),
    ("stations.S1", 1.0, "not a value"),
    ("buffers.0", "big", "wrong type"),
    ("horizon", True, "wrong type"),
])
def test_bad_keys_and_types_are_input_errors(key: str, value: object,
                                             match: str) -> None:
    """Unknown KEYs and values of the wrong type name the KEY."""
    with pytest.raises(InputError, match=match) as info:
        apply_point(LINE, ((key, value),))
    assert key in info.value.message


def test_cartesian_order_last_key_fastest() -> None:
    """Points are numbered in product order, the last KEY fastest."""
    pts = cartesian([("a", [1, 2]), ("b", [10, 20, 30])])
    assert [p.index for p in pts] == list(range(6))
    assert pts[1].values == (("a", 1), ("b", 20))
    assert pts[3].label == "a=2, b=10"
    assert cartesian([])[0].label == "base"


def test_points_from_csv_and_toml(tmp_path: Path) -> None:
    """A CSV and a TOML points file give the same design."""
    csv = tmp_path / "p.csv"
    csv.write_text("buffers.0,stations.S7.mttr\n1,2.5\n3,4.0\n")
    toml = tmp_path / "p.toml"
    toml.write_text('[[points]]\n"buffers.0" = 1\n"stations.S7.mttr" = 2.5'
                    '\n[[points]]\n"buffers.0" = 3\n'
                    '"stations.S7.mttr" = 4.0\n')
    assert read_points(csv) == read_points(toml)
    assert read_points(csv)[1].values == (("buffers.0", 3),
                                          ("stations.S7.mttr", 4.0))


def test_points_csv_with_missing_value_is_input_error(
        tmp_path: Path) -> None:
    """A CSV row with a missing value names its line."""
    csv = tmp_path / "p.csv"
    csv.write_text("buffers.0,buffers.1\n1,2\n3\n")
    with pytest.raises(InputError, match="line 3"):
        read_points(csv)


def test_seed_is_the_spawn_tree_grandchild() -> None:
    """The seed of (point, rep) equals SeedSequence(seed).spawn tree's."""
    direct = replication_seed(7, 3, 2)
    tree = np.random.SeedSequence(7).spawn(5)[3].spawn(4)[2]
    assert direct.spawn_key == (3, 2)
    np.testing.assert_equal(direct.generate_state(4),
                            tree.generate_state(4))
