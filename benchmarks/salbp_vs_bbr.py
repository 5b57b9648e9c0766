"""taktplan against the reference BB&R code, side by side, on Scholl's set.

Builds the C code of Sewell & Jacobson's BB&R (``../shared/anchors/
bbr-salbp-2014``, or ``--anchor``) in a temporary folder, then runs both
solvers on every SALBP-1 instance of ``optima.csv``, one after the other,
pinned to one core: taktplan in this process (``solve_salbp1``), BB&R as
a child process (``salb -b 1 -t LIMIT``). It prints one line per instance
(stations, proved, CPU seconds of each), both totals and their ratio.

CPU time, not wall time: the machine is shared. Our CPU per instance is
the solver's; the whole process's CPU (imports, kernel loading, warm-up,
the .alb writing) is printed beside the total. BB&R's is given two ways:
the child's CPU (``getrusage``, user + system), which includes its
start-up (on some machines seconds of system time an instance, zeroing
its preallocated memory), and the search CPU it prints itself
(``cpu = S``, which leaves out its reading, memory set-up and Hoffman
heuristic; the latter's CPU, also printed by it, is shown beside it);
the totals and the ratio against each. (BB&R writes
``results.out`` in its working folder: it runs in the temporary one.)

Without a C compiler (or ``make``) the reference is skipped, saying so,
and only taktplan runs.

Example::

    PYTHONPATH=src python benchmarks/salbp_vs_bbr.py --time-limit 60
    PYTHONPATH=src python benchmarks/salbp_vs_bbr.py --only SCHOLL:1394
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "instances" / "salbp"
ANCHOR = HERE.parent.parent / "shared" / "anchors" / "bbr-salbp-2014"
HOFFMAN = re.compile(r"MHH upper bound: \d+ \(([0-9.eE+-]+)s\)")
RESULT = re.compile(r"verified_optimality = (\d); value = (\d+); "
                    r"cpu = ([0-9.eE+-]+)")


@dataclass(frozen=True)
class Run:
    """One solver on one instance.

    ``cpu`` is ours the solver's CPU, BB&R's the child process's (user +
    system, its start-up included); ``own`` is the search CPU BB&R
    prints itself (``cpu = S``: its clock starts after its reading,
    its memory set-up and its Hoffman heuristic), and ``hoffman`` the
    CPU it prints for that heuristic (``MHH upper bound: U (S s)``);
    both ``None`` for ours.
    """

    stations: int
    proved: bool
    cpu: float
    own: float | None = None
    hoffman: float | None = None


def build_reference(anchor: Path, folder: Path) -> Path | None:
    """Copy and build BB&R in ``folder``; its binary, or ``None`` with a
    message on stderr when there is no compiler or the build fails."""
    if not anchor.is_dir():
        print(f"reference skipped: no BB&R source at {anchor}",
              file=sys.stderr)
        return None
    if shutil.which("make") is None or not (shutil.which("cc")
                                            or shutil.which("gcc")):
        print("reference skipped: no C compiler (cc/gcc) or make on PATH",
              file=sys.stderr)
        return None
    src = folder / "bbr"
    shutil.copytree(anchor, src)
    for junk in src.glob("obj/*.o"):
        junk.unlink()
    done = subprocess.run(["make", "-C", str(src)], capture_output=True,
                          text=True, check=False)
    binary = src / "salb"
    if done.returncode != 0 or not binary.exists():
        print(f"reference skipped: build failed:\n{done.stderr[-500:]}",
              file=sys.stderr)
        return None
    return binary


def write_alb(path: Path, times: list[int], arcs: list[tuple[int, int]],
              cycle: int) -> None:
    """An .alb file BB&R reads (LF line ends, 1-based tasks)."""
    lines = ["<number of tasks>", str(len(times)), "", "<cycle time>",
             str(cycle), "", "<task times>"]
    lines += [f"{i + 1} {t}" for i, t in enumerate(times)]
    lines += ["", "<precedence relations>"]
    lines += [f"{a + 1},{b + 1}" for a, b in arcs]
    lines += ["", "<end>", ""]
    path.write_text("\n".join(lines))


def run_reference(binary: Path, alb: Path, limit: float) -> Run:
    """BB&R on one file: stations, verified, child CPU seconds (user +
    system) and the search CPU it reports."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run([str(binary), "-b", "1", "-t", str(limit),
                           str(alb)], capture_output=True, text=True,
                          check=False, cwd=alb.parent)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime
           + after.ru_stime - before.ru_stime)
    found = RESULT.search(done.stdout)
    if found is None:
        return Run(0, False, cpu)
    mhh = HOFFMAN.search(done.stdout)
    return Run(int(found.group(2)), found.group(1) == "1", cpu,
               float(found.group(3)),
               None if mhh is None else float(mhh.group(1)))


def rows(data: Path, only: list[str] | None) -> list[tuple[str, int, int]]:
    """(graph, cycle time, optimal stations) of the set, filtered."""
    with (data / "optima.csv").open(newline="") as handle:
        table = [(r["graph"], int(r["cycle_time"]),
                  int(r["optimal_stations"])) for r in csv.DictReader(handle)]
    if not only:
        return table
    keep = []
    for g, c, m in table:
        for spec in only:
            graph, _, cycle = spec.partition(":")
            if g == graph and (not cycle or int(cycle) == c):
                keep.append((g, c, m))
                break
    return keep


def process_cpu() -> float:
    """CPU seconds of this process so far (user + system)."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    return me.ru_utime + me.ru_stime


def main(argv: list[str] | None = None) -> int:
    """Parse the flags, run both solvers, print the table and totals."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--time-limit", type=float, default=60.0,
                        help="CPU seconds per instance for BB&R, seconds "
                        "for taktplan's safety net (default 60)")
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--anchor", type=Path, default=ANCHOR,
                        help="folder with BB&R's C source")
    parser.add_argument("--only", nargs="*", default=None,
                        metavar="GRAPH[:CYCLE]")
    parser.add_argument("--core", type=int, default=None,
                        help="pin to this core (default: the first one "
                        "this process may use)")
    parser.add_argument("--no-reference", action="store_true",
                        help="run taktplan alone")
    args = parser.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        core = (args.core if args.core is not None
                else min(os.sched_getaffinity(0)))
        os.sched_setaffinity(0, {core})

    from taktplan.balance import solve_salbp1
    from taktplan.balance.upper import warm_up as warm_up_upper
    from taktplan.balance.warmup import warm_up
    from taktplan.formats.salbp import read_salbp

    warm_up()  # compile or load the kernels before any instance's clock
    warm_up_upper()  # and the large-line phase's (a cold cache charged
    # ~8 s of compiling to LUTZ2 c=12 and c=14 without it)

    table = rows(args.data, args.only)
    with tempfile.TemporaryDirectory(prefix="bbr-") as tmp:
        folder = Path(tmp)
        binary = (None if args.no_reference
                  else build_reference(args.anchor, folder))
        problems = {}
        ours: list[Run] = []
        theirs: list[Run] = []
        print(f"{'instance':<22} {'opt':>4} | {'ours':>4} {'prv':>3} "
              f"{'cpu s':>8} | {'bbr':>4} {'prv':>3} {'cpu s':>8} "
              f"{'own s':>8} {'mhh s':>6}")
        for graph, cycle, want in table:
            if graph not in problems:
                problems[graph] = read_salbp(args.data / f"{graph}.IN2")
            problem = problems[graph]
            cpu = time.process_time()
            res = solve_salbp1(problem, cycle, time_limit=args.time_limit)
            mine = Run(res.n_stations, res.status == "optimal",
                       time.process_time() - cpu)
            ours.append(mine)
            line = (f"{graph + ' c=' + str(cycle):<22} {want:>4} | "
                    f"{mine.stations:>4} {'yes' if mine.proved else 'NO':>3} "
                    f"{mine.cpu:8.3f}")
            if binary is not None:
                alb = folder / f"{graph}_{cycle}.alb"
                write_alb(alb, [int(t) for t in problem.times],
                          [(int(a), int(b)) for a, b in problem.arcs],
                          cycle)
                ref = run_reference(binary, alb, args.time_limit)
                theirs.append(ref)
                line += (f" | {ref.stations:>4} "
                         f"{'yes' if ref.proved else 'NO':>3} {ref.cpu:8.3f} "
                         f"{_own(ref):>8} "
                         f"{'-' if ref.hoffman is None else ref.hoffman:>6}")
            print(line, flush=True)
    report(table, ours, theirs, process_cpu())
    return 0


def _own(run: Run) -> str:
    """BB&R's own reported CPU, or ``-`` when it printed none."""
    return "-" if run.own is None else f"{run.own:.3f}"


def report(table: list[tuple[str, int, int]], ours: list[Run],
           theirs: list[Run], whole: float) -> None:
    """Print the totals and the ratio."""
    if not ours:
        return
    wrong = [f"{g} c={c}" for (g, c, m), r in zip(table, ours, strict=True)
             if r.stations != m or not r.proved]
    total = sum(r.cpu for r in ours)
    print(f"\ninstances: {len(ours)}")
    print(f"taktplan: optimal and proved {len(ours) - len(wrong)}, "
          f"solver CPU total {total:.1f} s, median "
          f"{statistics.median(r.cpu for r in ours):.3f} s, max "
          f"{max(r.cpu for r in ours):.2f} s; whole process CPU "
          f"{whole:.1f} s")
    if wrong:
        print("  not optimal-and-proved: " + ", ".join(wrong))
    if theirs:
        ref_total = sum(r.cpu for r in theirs)
        verified = sum(r.proved for r in theirs)
        equal = sum(r.stations == m for (_, _, m), r in
                    zip(table, theirs, strict=True))
        own = [r.own if r.own is not None else r.cpu for r in theirs]
        own_total = sum(own)
        print(f"BB&R:     verified {verified}, value equals the table "
              f"{equal}, child CPU (user + system) total {ref_total:.1f} s,"
              f" median {statistics.median(r.cpu for r in theirs):.3f} s,"
              f" max {max(r.cpu for r in theirs):.2f} s")
        print(f"          own reported cpu total {own_total:.1f} s, median "
              f"{statistics.median(own):.3f} s, max {max(own):.2f} s"
              + ("" if all(r.own is not None for r in theirs) else
                 " (child CPU where it printed none)")
              + f"; its Hoffman heuristic, not in that cpu, "
              f"{sum(r.hoffman or 0.0 for r in theirs):.1f} s")
        print(f"ratio taktplan / BB&R: solver {total / ref_total:.2f}, "
              f"whole process {whole / ref_total:.2f} (against its child "
              f"CPU); solver {total / max(own_total, 1e-9):.2f}, whole "
              f"process {whole / max(own_total, 1e-9):.2f} (against its "
              f"own reported cpu)")
    else:
        print("BB&R: not run")


if __name__ == "__main__":
    sys.exit(main())
