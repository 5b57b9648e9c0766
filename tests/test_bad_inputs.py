"""Every file of the bad-input corpus gets exit 2 and one clear line.

Each file under ``tests/bad_inputs/<reader>/`` (listed with its expected
place in ``manifest.toml``) runs through its command as a real
subprocess, in an empty working folder; valid-but-odd files (CRLF,
comments after ``-1,-1``, the DOS end-of-file byte, a UTF-8 BOM) must be
read correctly instead.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "bad_inputs"
MANIFEST = tomllib.loads((CORPUS / "manifest.toml").read_text())
SCHOLL = ROOT / "benchmarks" / "instances" / "salbp"

#: The command each reader's files run through (FILE is the input).
COMMANDS = {
    "scenario": ["plan", "FILE", "--quiet", "--report", "report.html"],
    "line": ["simulate", "FILE", "--json"],
    "in2": ["balance", "FILE", "--cycle-time", "10", "--json"],
    "alb": ["balance", "FILE", "--json"],
    "csplib": ["sequence", "FILE", "--format", "csplib", "--time-limit",
               "2", "--json"],
    "roadef": ["sequence", "FILE", "--format", "roadef", "--time-limit",
               "2", "--json"],
}


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``python -m taktplan ARGS`` in ``cwd`` with this source first."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT / "src"), *filter(None, [env.get("PYTHONPATH")])])
    env["COLUMNS"] = "200"
    return subprocess.run([sys.executable, "-m", "taktplan", *args],
                          cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=300, check=False)


# git keeps no empty folders, so the corpus's empty ROADEF instance
# directory is made here when a fresh clone lacks it.
(CORPUS / "roadef" / "empty_dir").mkdir(exist_ok=True)


def corpus_files() -> list[str]:
    """Every corpus entry on disk (files, and ROADEF directories)."""
    found = []
    for reader in COMMANDS:
        for entry in sorted((CORPUS / reader).iterdir()):
            found.append(f"{reader}/{entry.name}")
    return found


def test_manifest_lists_the_corpus() -> None:
    """The manifest and the corpus on disk name the same files."""
    assert sorted(MANIFEST) == sorted(corpus_files())


@pytest.mark.parametrize("entry", corpus_files())
def test_bad_input_exits_2_with_one_line(entry: str,
                                         tmp_path: Path) -> None:
    """Exit 2, one line naming the file and place, no traceback, no file."""
    reader = entry.split("/")[0]
    path = CORPUS / entry
    args = [str(path) if a == "FILE" else a for a in COMMANDS[reader]]
    proc = run(args, tmp_path)
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert proc.returncode == 2, (proc.returncode, proc.stderr[-2000:])
    assert "Traceback" not in proc.stderr
    assert len(lines) == 1, proc.stderr
    line = lines[0]
    assert line.startswith("error: ")
    assert path.name in line, line
    where = MANIFEST[entry]["where"]
    assert where in line, (where, line)
    assert proc.stdout == ""
    assert list(tmp_path.iterdir()) == []


#: Corpus files through the experiment commands, which read the same
#: scenario and line files (and `results` a DuckDB file).
EXPERIMENT_CASES = [
    ("line/time_negative.toml", ["sweep", "FILE", "--vary", "buffers.0=1,2",
                                 "--replications", "2", "--out",
                                 "out.duckdb", "--quiet"]),
    ("scenario/cycle.toml", ["sweep", "FILE", "--vary",
                             "targets.availability=0.8,0.9",
                             "--replications", "2", "--out", "out.duckdb",
                             "--quiet"]),
    ("line/mtbf_zero.toml", ["optimize-buffers", "FILE", "--target", "30",
                             "--quiet"]),
    ("line/binary.toml", ["results", "FILE"]),
]


@pytest.mark.parametrize(("entry", "command"), EXPERIMENT_CASES,
                         ids=[f"{c[1][0]}:{c[0]}" for c in EXPERIMENT_CASES])
def test_bad_input_through_experiment_commands(
        entry: str, command: list[str], tmp_path: Path) -> None:
    """sweep, optimize-buffers, results: exit 2, one line, no file."""
    path = CORPUS / entry
    proc = run([str(path) if a == "FILE" else a for a in command], tmp_path)
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert len(lines) == 1 and path.name in lines[0], proc.stderr
    assert "Traceback" not in proc.stderr
    assert list(tmp_path.iterdir()) == []


def _odd(text: bytes, name: str, tmp_path: Path) -> Path:
    target = tmp_path / "in" / name
    target.parent.mkdir(exist_ok=True)
    target.write_bytes(text)
    return target


def _json(proc: subprocess.CompletedProcess[str]) -> dict:
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    return json.loads(proc.stdout)


def _crlf(text: bytes) -> bytes:
    return text.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


#: Valid but odd SALBP files: (name, bytes, cycle time, optimal stations).
ODD_SALBP = [
    # Scholl's own files: CRLF throughout, DOS EOF byte 0x1A at the end.
    ("ARC83.IN2", (SCHOLL / "ARC83.IN2").read_bytes(), 5048, 16),
    ("LUTZ2.IN2", (SCHOLL / "LUTZ2.IN2").read_bytes(), 20, 25),
    ("JACKSON_lf.IN2", (SCHOLL / "JACKSON.IN2").read_bytes()
     .replace(b"\r\n", b"\n"), 7, 8),
    ("JACKSON_comment.IN2", (SCHOLL / "JACKSON.IN2").read_bytes()
     + b"this graph: Jackson (1956)\r\n; 3,4 deleted\r\n\x1a", 7, 8),
    ("JACKSON_bom.IN2", b"\xef\xbb\xbf" + (SCHOLL / "JACKSON.IN2")
     .read_bytes(), 7, 8),
    ("JACKSON_blank.IN2", (SCHOLL / "JACKSON.IN2").read_bytes()
     .replace(b"\r\n", b"\r\n\r\n", 3) + b"\r\n\r\n", 7, 8),
    ("tiny_crlf.alb", _crlf((CORPUS / "alb" / "cycle_short.alb")
                            .read_bytes().replace(b"\n4\n\n<order", b"\n10\n"
                                                  b"\n<order")), 10, 2),
]


@pytest.mark.parametrize(("name", "data", "cycle", "optimum"), ODD_SALBP,
                         ids=[o[0] for o in ODD_SALBP])
def test_odd_salbp_files_are_read(name: str, data: bytes, cycle: int,
                                  optimum: int, tmp_path: Path) -> None:
    """CRLF, 0x1A, a BOM, comments after -1,-1: the known optimum."""
    path = _odd(data, name, tmp_path)
    out = _json(run(["balance", str(path), "--cycle-time", str(cycle),
                     "--time-limit", "30", "--json"], tmp_path))
    assert len(out["stations"]) == optimum
    assert out["status"] == "optimal"


TINY_CSPLIB = b"5 2 3\n1 2\n2 3\n0 2 1 0\n1 2 0 1\n2 1 1 1\n"
ODD_CSPLIB = [
    ("crlf.txt", _crlf(TINY_CSPLIB)),
    ("bom.txt", b"\xef\xbb\xbf" + TINY_CSPLIB),
    ("comments.txt", b"# tiny instance\n" + TINY_CSPLIB.replace(
        b"2 3\n", b"2 3   # q\n", 1) + b"# end\n\n"),
    ("tabs.txt", TINY_CSPLIB.replace(b" ", b"\t")),
]


@pytest.mark.parametrize(("name", "data"), ODD_CSPLIB,
                         ids=[o[0] for o in ODD_CSPLIB])
def test_odd_csplib_files_are_read(name: str, data: bytes,
                                   tmp_path: Path) -> None:
    """CRLF, a BOM, comments, tabs: 5 cars sequenced with 0 violations."""
    path = _odd(data, name, tmp_path)
    out = _json(run(["sequence", str(path), "--format", "csplib",
                     "--time-limit", "2", "--json"], tmp_path))
    assert sorted(out["sequence"]) == [0, 0, 1, 1, 2]
    assert out["violations"] == 0



TINY_LINE = (CORPUS.parents[1] / "examples" / "four_machine_line.toml")
ODD_LINES = [
    ("crlf.toml", _crlf(TINY_LINE.read_bytes())),
    ("bom.toml", b"\xef\xbb\xbf" + TINY_LINE.read_bytes()),
]


@pytest.mark.parametrize(("name", "data"), ODD_LINES,
                         ids=[o[0] for o in ODD_LINES])
def test_odd_line_files_are_read(name: str, data: bytes,
                                 tmp_path: Path) -> None:
    """A CRLF or BOM line file gives the plain file's exact numbers."""
    path = _odd(data, name, tmp_path)
    args = ["--replications", "2", "--horizon", "500", "--json"]
    odd = _json(run(["simulate", str(path), *args], tmp_path))
    plain = _json(run(["simulate", str(TINY_LINE), *args], tmp_path))
    assert odd["throughput"] == plain["throughput"]
    assert [s["name"] for s in odd["stations"]] == ["M1", "M2", "M3", "M4"]


ROADEF_FILES = {
    "ratios.txt": b"Ratio;Prio;Ident;\n1/2;1;HPRC1;\n2/3;0;LPRC1;\n",
    "paint_batch_limit.txt": b"limitation;\n2;\n",
    "optimization_objectives.txt": (
        b"rank;objective name;\n"
        b"1;high_priority_level_and_easy_to_satisfy_ratio_constraints;\n"
        b"2;paint_color_batches;\n3;low_priority_level_ratio_constraints;\n"),
    "vehicles.txt": (
        b"Date;SeqRank;Ident;Paint Color;HPRC1;LPRC1\n"
        b"2003 1 1;1;Y1;1;1;0\n2003 1 1;2;Y2;2;0;1\n"
        b"2003 1 2;3;A;1;1;1\n2003 1 2;4;B;1;0;0\n"
        b"2003 1 2;5;C;2;1;0\n2003 1 2;6;D;2;0;1\n"),
}


@pytest.mark.parametrize("odd", ["crlf", "bom", "no_final_newline"])
def test_odd_roadef_instances_are_read(odd: str, tmp_path: Path) -> None:
    """CRLF, a BOM on every file, no final newline: the same objective."""
    folder = tmp_path / "in" / odd
    folder.mkdir(parents=True)
    for name, data in ROADEF_FILES.items():
        if odd == "crlf":
            data = _crlf(data)
        elif odd == "bom":
            data = b"\xef\xbb\xbf" + data
        else:
            data = data.rstrip(b"\n")
        (folder / name).write_bytes(data)
    out = _json(run(["sequence", str(folder), "--format", "roadef",
                     "--time-limit", "2", "--json"], tmp_path))
    assert sorted(out["sequence"]) == ["A", "B", "C", "D"]
    # Hand-worked optimum: high 1/2 over Y1 Y2 + today, colours 1 2 | ...
    assert out["objective"] == 1000
