"""Issue 21 and issue 16 item 8: hostile inputs and the command line.

Every case runs ``python -m taktplan`` as a subprocess in an empty folder
and asserts the contract: exit 2, exactly one line on standard error
naming the file (or ``<command line>``) and the field or flag, no
traceback, nothing left behind. Each was a traceback, a hang or a
usage box before the fix.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.test_bad_inputs import run

ROOT = Path(__file__).resolve().parents[1]
LINE = (ROOT / "examples" / "four_machine_line.toml").read_text()
TINY = (ROOT / "tests" / "data" / "tiny_scenario.toml").read_text()
SWEEP_LINE = str(ROOT / "tests" / "data" / "sweep_line.toml")
SIM = ["--replications", "2", "--json"]


def _line(old: str, new: str) -> str:
    assert old in LINE
    return LINE.replace(old, new, 1)


def _tiny(old: str, new: str) -> str:
    assert old in TINY
    return TINY.replace(old, new, 1)


_FIXED = '[[segments]]\nname = "body"\nkind = "fixed"\n'
#: (id, command, file text or None, the place the line must name)
CASES = [
    ("line-cycle-1e308", "simulate", _line("cycle_time = 1.0",
                                           "cycle_time = 1e308"),
     "stations[0].process_times"),
    ("line-repair-cv-1e308", "simulate", _line(
        "mttr = 10.0", 'mttr = 10.0\nrepair = "lognormal"\n'
        "repair_cv = 1e308"), "stations[0].repair_cv"),
    ("line-process-cv-1e308", "simulate", _line(
        "cycle_time = 1.0", 'cycle_time = 1.0\nprocess = "lognormal"\n'
        "process_cv = 1e308"), "stations[0].process_cv"),
    ("line-horizon-1e308", "simulate", _line("horizon = 20000.0",
                                             "horizon = 1e308"), "horizon"),
    ("line-warmup-1e308", "simulate", _line("warmup = 500.0",
                                            "warmup = 1e308"), "warmup"),
    ("line-mtbf-1e-300", "simulate", _line("mtbf = 100.0",
                                           "mtbf = 1e-300"),
     "stations[0].mtbf"),
    ("line-cycle-1e11-work", "simulate", _line("cycle_time = 1.0",
                                               "cycle_time = 1e11"),
     "events, more than the 2e+09"),
    ("line-parallel-1e9", "simulate", _line(
        "mttr = 10.0", "mttr = 10.0\nparallel = 1000000000"),
     "stations[0].parallel"),
    ("line-mttr-1e308", "simulate", _line("mttr = 10.0", "mttr = 1e308"),
     "stations[0].mttr"),
    ("line-seed-negative", "simulate", _line(
        "warmup = 500.0", "warmup = 500.0\nseed = -1"), "seed"),
    ("line-seed-70-bits", "simulate", _line(
        "warmup = 500.0", "warmup = 500.0\nseed = 1180591620717411303424"),
     "seed"),
    ("scenario-deep-arrays", "plan", TINY + "\n[assumptions]\nx = "
     + "[" * 5000 + "]" * 5000 + "\n", "line 78"),
    ("scenario-deep-tables", "plan", "x = " + "{a=" * 3000 + "1"
     + "}" * 3000 + "\n", "line 1"),
    ("scenario-empty-balanced-segment", "plan", _tiny(
        '[[segments]]\nname = "line"', '[[segments]]\nname = "empty"\n'
        'kind = "balanced"\nareas = ["nothing"]\n\n[[segments]]\n'
        'name = "line"'), "segments[0].areas"),
    ("scenario-rampup-target-1e18", "plan", _tiny(
        "target_volume_per_year = 60000",
        "target_volume_per_year = 1000000000000000000"),
     "rampup.target_volume_per_year"),
    ("scenario-fixed-stations-1e9", "plan", _tiny(
        '[[segments]]\nname = "line"', _FIXED + "stations = 1000000000\n"
        'cycle_time_s = 30\n\n[[segments]]\nname = "line"'),
     "segments[0].stations"),
    ("scenario-fixed-cycle-1e308", "plan", _tiny(
        '[[segments]]\nname = "line"', _FIXED + "stations = 2\n"
        'cycle_time_s = 1e308\n\n[[segments]]\nname = "line"'),
     "segments[0].cycle_time_s"),
    ("scenario-warmup-1e308", "plan", _tiny(
        "[rampup]", "[simulation]\nwarmup_h = 1e308\n\n[rampup]"),
     "simulation.warmup_h"),
    ("scenario-mtbf-1e-300", "plan", _tiny(
        "availability = 0.99\nmttr_min = 5", "mtbf_min = 1e-300\n"
        "mttr_min = 5"), "segments[0].reliability.mtbf_min"),
    ("scenario-mttr-1e308", "plan", _tiny(
        "availability = 0.99\nmttr_min = 5", "availability = 0.99\n"
        "mttr_min = 1e308"), "segments[0].reliability.mttr_min"),
    ("scenario-repair-cv-1e308", "plan", _tiny(
        "availability = 0.99\nmttr_min = 5", "availability = 0.99\n"
        'mttr_min = 5\nrepair = "lognormal"\nrepair_cv = 1e308'),
     "segments[0].reliability.repair_cv"),
    ("scenario-unknown-station-reliability", "plan", _tiny(
        "[rampup]", "[segments.station_reliability.nosuch]\n"
        "mtbf_min = 100\nmttr_min = 5\n\n[rampup]"),
     "segments[0].station_reliability.nosuch"),
    # found by tests/test_fuzz_contract.py: valid by the scenario's own
    # checks, refused only when the line was built ("<line>: ...")
    ("scenario-paced-parallel", "plan", _tiny(
        '[[segments]]\nname = "line"', _FIXED + "stations = 3\n"
        "cycle_time_s = 30\nparallel = 2\nbuffer_after = 2\n\n"
        '[[segments]]\nname = "line"'), "segments[0].parallel"),
    ("scenario-paced-without-buffer", "plan", _tiny(
        '[[segments]]\nname = "line"', _FIXED + "stations = 3\n"
        'cycle_time_s = 30\n\n[[segments]]\nname = "line"'),
     "segments[0].buffer_after"),
    ("scenario-mtbf-without-mttr", "plan", _tiny(
        "availability = 0.99\nmttr_min = 5", "mtbf_min = 100"),
     "segments[0].reliability"),
    ("scenario-lognormal-repair-cv-0", "plan", _tiny(
        "availability = 0.99\nmttr_min = 5", "availability = 0.99\n"
        'mttr_min = 5\nrepair = "lognormal"\nrepair_cv = 0'),
     "segments[0].reliability"),
    ("line-horizon-lost-beside-warmup", "simulate", _line(
        "horizon = 20000.0", "horizon = 1e-300"), "horizon"),
    ("csplib-1e9-cars", "sequence", "1000000000 1 1\n1\n2\n"
     "0 1000000000 1\n", "line 1"),
]

ARGS = {"simulate": SIM, "plan": ["--quiet", "--json"],
        "sequence": ["--time-limit", "2", "--json"]}


def _assert_one_line(proc: object, *parts: str) -> str:
    lines = [ln for ln in proc.stderr.splitlines()  # type: ignore
             if ln.strip()]
    assert proc.returncode == 2, proc.stderr[-2000:]  # type: ignore
    assert "Traceback" not in proc.stderr  # type: ignore
    assert len(lines) == 1, proc.stderr  # type: ignore
    assert lines[0].startswith("error: ")
    for part in parts:
        assert part in lines[0], (part, lines[0])
    return lines[0]


@pytest.mark.parametrize(("command", "text", "where"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_hostile_file_is_one_line_before_work(
        command: str, text: str, where: str, tmp_path: Path) -> None:
    """Each file is refused up front: one line with file and field."""
    path = tmp_path / "in" / ("bad.txt" if command == "sequence"
                              else "bad.toml")
    path.parent.mkdir()
    path.write_text(text)
    work = tmp_path / "work"
    work.mkdir()
    proc = run([command, str(path), *ARGS[command]], work)
    _assert_one_line(proc, "bad.", where)
    assert list(work.iterdir()) == []


FOUR = str(ROOT / "examples" / "four_machine_line.toml")
JACKSON = str(ROOT / "benchmarks" / "instances" / "salbp" / "JACKSON.IN2")
CARSEQ = str(ROOT / "benchmarks" / "instances" / "carseq" / "10-93.txt")
TINY_FILE = str(ROOT / "tests" / "data" / "tiny_scenario.toml")
TALBP = str(ROOT / "tests" / "data" / "talbp" / "tiny.alb")
FLAG_CASES = [
    # above the scenario model's limits: each was a pydantic traceback
    (["plan", TINY_FILE, "--replications", "10001", "--quiet"],
     "--replications"),
    (["compare", TINY_FILE, TINY_FILE, "--replications", "10001"],
     "--replications"),
    (["compare", TINY_FILE, TINY_FILE, "--seed", str(2**63)], "--seed"),
    # a DuckDB INT32 column and a C ssize_t: tracebacks
    (["sweep", SWEEP_LINE, "--vary", "buffers.0=1,2", "-r", str(2**63 - 1),
      "--out", "s.duckdb", "--quiet"], "--replications"),
    (["optimize-buffers", SWEEP_LINE, "--target", "30", "--replications",
      str(10**20), "--quiet"], "--replications"),
    (["simulate", FOUR, "-n", "100001", "--json"], "--replications"),
    # a two-sided search of 10^7 mated stations ran out of memory
    (["balance", TALBP, "-m", "10000000", "--json"], "--stations"),
    (["simulate", FOUR, "--seed", "-5", "--json"], "--seed"),
    (["simulate", FOUR, "-n", "0"], "--replications"),
    (["simulate", FOUR, "--horizon", "inf", "--json"], "--horizon"),
    (["simulate", FOUR, "--warmup", "nan", "--json"], "--warmup"),
    # a scenario simulates its calendar's year: these were ignored
    (["simulate", TINY_FILE, "--horizon", "100", "--json"], "--horizon"),
    (["simulate", "--warmup", "5"], "--warmup"),
    (["balance", JACKSON, "-c", "7", "--seed", "-5"], "--seed"),
    (["balance", JACKSON, "-c", "7", "--time-limit", "nan"],
     "--time-limit"),
    (["balance", JACKSON, "-c", "7", "--time-limit", "inf"],
     "--time-limit"),
    (["sequence", CARSEQ, "--time-limit", "nan"], "--time-limit"),
    (["balance", JACKSON, "-c", "7", "--node-limit", "-1"], "--node-limit"),
    (["sweep", SWEEP_LINE, "--vary", "buffers.0=1,2", "-r", "2", "--seed",
      str(2**64), "--out", "s.duckdb", "--quiet"], "--seed"),
    (["sweep", SWEEP_LINE, "--vary", "buffers.0=0:100000000000:1", "-r",
      "2", "--out", "r.duckdb", "--quiet"], "--vary"),
    (["optimize-buffers", SWEEP_LINE, "--target", "30", "--max-total",
      "100000000", "--quiet"], "--max-total"),
    (["optimize-buffers", SWEEP_LINE, "--target", "inf", "--quiet"],
     "--target"),
    (["optimize-buffers", SWEEP_LINE, "--target", "nan", "--quiet"],
     "--target"),
    (["plan", "--report", ".", "--quiet"], "--report"),
    # a local cluster of a million processes (0 workers: none to run on)
    (["sweep", SWEEP_LINE, "--vary", "buffers.0=1,2", "-r", "2",
      "--workers", "1000000", "--out", "w.duckdb", "--quiet"], "--workers"),
    (["plan", "--workers", "0", "--quiet"], "--workers"),
    (["bogus-command"], "bogus-command"),
    (["balance", JACKSON, "--no-such-flag"], "--no-such-flag"),
]


@pytest.mark.parametrize(("args", "flag"), FLAG_CASES,
                         ids=[" ".join(a[:1] + a[-3:]) for a, _ in
                              FLAG_CASES])
def test_bad_flag_is_one_line(args: list[str], flag: str,
                              tmp_path: Path) -> None:
    """A refused flag value or a usage error: one line, exit 2, no box,
    no file left behind (a 64-bit+ seed leaves no results file)."""
    line = _assert_one_line(run(args, tmp_path), "<command line>", flag)
    assert "╭" not in line
    assert list(tmp_path.iterdir()) == []


def test_flag_limits_show_in_help(tmp_path: Path) -> None:
    """The command line refuses what the models refuse, and says so in
    --help (the replications of a plan end at the scenario's 10,000)."""
    for command in ("plan", "compare"):
        out = " ".join(run([command, "--help"], tmp_path).stdout.split())
        assert "[2<=x<=10000]" in out, out
        assert "[0<=x<=9223372036854775807]" in out, out


def test_largest_seed_reaches_cp_sat(tmp_path: Path) -> None:
    """CP-SAT takes a 32-bit seed: the largest seed the command line
    allows was a traceback in `sequence` (the exact model runs)."""
    proc = run(["sequence", CARSEQ, "--seed", str(2**63 - 1),
                "--time-limit", "1", "--json"], tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr


def test_points_file_is_blamed_not_the_command_line(tmp_path: Path) -> None:
    """A bad value in a points file names that file and its point."""
    points = tmp_path / "pts.toml"
    points.write_text('[[points]]\n"buffers.0" = "x"\n')
    proc = run(["sweep", SWEEP_LINE, "--points", str(points), "-r", "2",
                "--out", "p.duckdb", "--quiet"], tmp_path)
    line = _assert_one_line(proc, "pts.toml", "points[0]", "buffers.0")
    assert "<command line>" not in line
    assert not (tmp_path / "p.duckdb").exists()


def test_empty_results_file_is_resumed(tmp_path: Path) -> None:
    """A sweep killed before its tables existed left an empty file (or a
    DuckDB file without tables): the same command continues it."""
    import duckdb

    (tmp_path / "empty.duckdb").write_bytes(b"")
    duckdb.connect(str(tmp_path / "bare.duckdb")).close()
    for name in ("empty.duckdb", "bare.duckdb"):
        proc = run(["sweep", SWEEP_LINE, "--vary", "buffers.0=1,2", "-r",
                    "2", "--out", name, "--quiet"], tmp_path)
        assert proc.returncode == 0, proc.stderr
    a = run(["results", "empty.duckdb", "--csv"], tmp_path)
    b = run(["results", "bare.duckdb", "--csv"], tmp_path)
    assert a.returncode == 0 and a.stdout == b.stdout
    assert a.stdout.count("\n") == 3  # header + 2 points


def test_stale_report_temporary_is_removed(tmp_path: Path) -> None:
    """A SIGKILL during the report's write leaves a hidden temporary; the
    next write removes it."""
    from taktplan.files import write_text_atomically

    stale = tmp_path / ".r.html.abc123.tmp"
    stale.write_text("")
    write_text_atomically(tmp_path / "r.html", "<html></html>")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.html"]


def test_help_renders_plain(tmp_path: Path) -> None:
    """16.8: no emoji from ':b:', '[[points]]' kept, flags without a
    value type."""
    out = run(["sweep", "--help"], tmp_path).stdout
    assert "KEY=a:b:step" in out and "🅱" not in out
    assert "([[points]])" in out
    assert "<bool>" not in out
    assert "--json " in out or "--json\n" in out
