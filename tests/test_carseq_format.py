"""The CSPLib prob001 reader: real files and every kind of bad input."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_equal

from taktplan.errors import InputError
from taktplan.formats.carseq import read_carseq

DATA = Path(__file__).resolve().parents[1] / "benchmarks/instances/carseq"

GOOD = "4 2 2\n1 1\n2 3\n0 2 1 0\n1 2 0 1\n"


def test_reads_csplib_instance() -> None:
    """4-72 has 100 cars, 5 options with rules 1/2 2/3 1/3 2/5 1/5."""
    inst = read_carseq(DATA / "4-72.txt")
    assert inst.n_cars == 100
    assert inst.n_classes == 22
    assert_equal(inst.p, [1, 2, 1, 2, 1])
    assert_equal(inst.q, [2, 3, 3, 5, 5])
    assert_equal(inst.options[1], [1, 1, 1, 0, 0])
    assert inst.class_counts[1] == 10


def test_reads_small_file(tmp_path: Path) -> None:
    """A hand-written file gives back its numbers."""
    f = tmp_path / "tiny.txt"
    f.write_text(GOOD)
    inst = read_carseq(f)
    assert_equal(inst.class_counts, [2, 2])
    assert_equal(inst.options, np.array([[1, 0], [0, 1]]))


@pytest.mark.parametrize(
    ("text", "where", "words"),
    [
        ("4 2 2\n1 1\n2 3\n0 2 1 0\n1 1 0 1\n", "line 1", "sum to 3"),
        ("4 2 2\n3 1\n2 3\n0 2 1 0\n1 2 0 1\n", "line 2", "rule 3/2"),
        ("4 2 2\n0 1\n2 3\n0 2 1 0\n1 2 0 1\n", "line 2", "rule 0/2"),
        ("4 2 2\n1 1\n2 3\n0 2 1\n1 2 0 1\n", "line 4", "1 option flags"),
        ("4 2 2\n1 1\n2 3\n0 2 1 0\n1 2 0 2\n", "line 5", "0/1"),
        ("4 2 2\n1 1\n2 x\n0 2 1 0\n1 2 0 1\n", "line 3", "'x'"),
        ("4 2 2\n1 1\n2 3.5\n0 2 1 0\n1 2 0 1\n", "line 3", "'3.5'"),
        ("4 2 2\n1 1\n2 3\n0 2 1 0\n", "line 4", "truncated"),
        ("4 2\n1 1\n2 3\n", "line 1", "header"),
        ("", None, "empty"),
        ("4 2 2\n1 1\n2 3\n0 2 1 0\n0 2 0 1\n", "line 5", "repeated"),
    ],
)
def test_bad_input_names_file_and_line(
    tmp_path: Path, text: str, where: str | None, words: str
) -> None:
    """Each kind of bad file raises InputError naming file and line."""
    f = tmp_path / "bad.txt"
    f.write_text(text)
    with pytest.raises(InputError) as info:
        read_carseq(f)
    assert info.value.where == where
    assert str(f) in info.value.message
    assert words in info.value.message


def test_missing_file(tmp_path: Path) -> None:
    """A missing file is an InputError, not an OSError."""
    with pytest.raises(InputError, match="file not found"):
        read_carseq(tmp_path / "nope.txt")


def test_binary_file(tmp_path: Path) -> None:
    """Undecodable bytes are an InputError, not a UnicodeDecodeError."""
    f = tmp_path / "bin.txt"
    f.write_bytes(b"\xff\xfe\x00\x01")
    with pytest.raises(InputError):
        read_carseq(f)


def test_cli_bad_file_exits_2_one_line(tmp_path: Path) -> None:
    """`taktplan sequence` on a bad file: exit 2, one line, no traceback."""
    f = tmp_path / "bad.txt"
    f.write_text("4 2 2\n3 1\n2 3\n0 2 1 0\n1 2 0 1\n")
    proc = subprocess.run(
        [sys.executable, "-m", "taktplan", "sequence", str(f)],
        capture_output=True, text=True, check=False)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "line 2" in lines[0]
    assert "Traceback" not in proc.stderr
