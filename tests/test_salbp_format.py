"""Readers for Scholl's .IN2 and Otto's .alb SALBP formats."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_equal

from taktplan.errors import InputError
from taktplan.formats.salbp import read_alb, read_in2, read_salbp

DATA = Path(__file__).resolve().parents[1] / "benchmarks/instances/salbp"


def _graphs() -> list[dict[str, str]]:
    with (DATA / "graphs.csv").open(newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("row", _graphs(), ids=lambda r: r["graph"])
def test_every_scholl_graph_matches_its_table_row(row: dict[str, str]
                                                  ) -> None:
    """Task count, arcs, time range and sum agree with graphs.csv."""
    p = read_in2(DATA / f"{row['graph']}.IN2")
    assert p.n_tasks == int(row["n_tasks"])
    assert len(p.arcs) == int(row["n_arcs"])
    assert int(p.times.min()) == int(row["t_min"])
    assert int(p.times.max()) == int(row["t_max"])
    assert int(p.times.sum()) == int(row["t_sum"])
    n = p.n_tasks
    strength = 200.0 * p.closure.sum() / (n * (n - 1))
    assert strength == pytest.approx(float(row["order_strength_pct"]),
                                     abs=0.006)


def test_arc111_stops_at_the_terminator() -> None:
    """The three deleted arcs after ARC111's -1,-1 are not read."""
    p = read_in2(DATA / "ARC111.IN2")
    assert len(p.arcs) == 176
    assert not any((p.arcs == [[42, 90]]).all(axis=1))


def test_dos_eof_byte_and_crlf_are_read(tmp_path: Path) -> None:
    """CRLF line ends and a trailing 0x1A byte do not disturb the reader."""
    f = tmp_path / "tiny.IN2"
    f.write_bytes(b"3\r\n2\r\n3\r\n4\r\n1,2\r\n2,3\r\n-1,-1\r\n\x1a")
    p = read_in2(f)
    assert_equal(p.times, [2, 3, 4])
    assert_equal(p.arcs, [[0, 1], [1, 2]])


def test_alb_reader_reads_sections(tmp_path: Path) -> None:
    """An .alb file gives times, arcs and its cycle time."""
    f = tmp_path / "tiny.alb"
    f.write_text(
        "<number of tasks>\n4\n\n<cycle time>\n10\n\n<order strength>\n"
        "0,5\n\n<task times>\n1 4\n2 5\n3 6\n4 3\n\n"
        "<precedence relations>\n1,2\n1,3\n3,4\n\n<end>\n")
    p = read_salbp(f)
    assert p.cycle_time == 10
    assert_equal(p.times, [4, 5, 6, 3])
    assert_equal(np.sort(p.arcs, axis=0), [[0, 1], [0, 2], [2, 3]])


BAD_IN2 = {
    "truncated times": ("3\n2\n3\n", "line 3"),
    "no terminator": ("2\n2\n3\n1,2\n", "line 4"),
    "not a number": ("2\n2\nx\n-1,-1\n", "line 3"),
    "arc out of range": ("2\n2\n3\n1,5\n-1,-1\n", "line 4"),
    "precedence cycle": ("3\n1\n1\n1\n1,2\n2,3\n3,1\n-1,-1\n", "line"),
    "bad pair": ("2\n2\n3\n1;2;3\n-1,-1\n", "line 4"),
    "empty": ("", "empty"),
}


@pytest.mark.parametrize("name", sorted(BAD_IN2))
def test_bad_in2_raises_input_error_with_line(tmp_path: Path,
                                              name: str) -> None:
    """Bad .IN2 content raises InputError naming the file and the line."""
    text, where = BAD_IN2[name]
    f = tmp_path / "bad.IN2"
    f.write_text(text)
    with pytest.raises(InputError) as info:
        read_in2(f)
    assert str(f) in info.value.message
    assert where in info.value.message


def test_missing_file_raises_input_error(tmp_path: Path) -> None:
    """A missing file is an InputError, not FileNotFoundError."""
    with pytest.raises(InputError, match="not found"):
        read_salbp(tmp_path / "nope.IN2")


def test_alb_without_end_is_truncated(tmp_path: Path) -> None:
    """An .alb file without <end> is reported as truncated."""
    f = tmp_path / "cut.alb"
    f.write_text("<number of tasks>\n2\n<task times>\n1 3\n2 4\n")
    with pytest.raises(InputError, match="truncated"):
        read_alb(f)
