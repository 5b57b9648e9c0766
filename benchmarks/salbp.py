"""Scholl's SALBP benchmark: every instance, our count against the table.

Runs the 269 SALBP-1 instances (graph, cycle time) of ``optima.csv`` and,
with ``--salbp2``, the 269 confirmed SALBP-2 instances (graph, stations)
of ``salbp2_optima.csv``, one after the other on one core, and prints:
instances, optimal found, optimality proved, mean / median / max time,
and every instance where our value differs from the table.

Example::

    PYTHONPATH=src python benchmarks/salbp.py --time-limit 60
    PYTHONPATH=src python benchmarks/salbp.py --salbp2 --graphs BUXEY
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "instances" / "salbp"


def _rows(path: Path, graphs: set[str] | None,
          only: list[str] | None = None) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows = [r for r in rows if graphs is None or r["graph"] in graphs]
    if only:
        rows = [r for r in rows if any(_match(r, o) for o in only)]
    return rows


def _match(row: dict[str, str], spec: str) -> bool:
    """``GRAPH`` or ``GRAPH:VALUE`` (cycle time or station count)."""
    graph, _, value = spec.partition(":")
    if row["graph"] != graph:
        return False
    size = row.get("cycle_time", row.get("stations"))
    return not value or size == value


def run(kind: str, data: Path, time_limit: float,
        graphs: set[str] | None, verbose: bool,
        only: list[str] | None = None) -> dict[str, object]:
    """Solve every instance of one set; return the summary figures."""
    from taktplan.balance import solve_salbp1
    from taktplan.balance.salbp2 import solve_salbp2
    from taktplan.formats.salbp import read_salbp

    table = "optima.csv" if kind == "SALBP-1" else "salbp2_optima.csv"
    rows = _rows(data / table, graphs, only)
    problems = {}
    times: list[float] = []
    cpus: list[float] = []
    found = proved = 0
    differ: list[str] = []
    for row in rows:
        g = row["graph"]
        if g not in problems:
            problems[g] = read_salbp(data / f"{g}.IN2")
        start = time.perf_counter()
        cpu = time.process_time()
        if kind == "SALBP-1":
            res = solve_salbp1(problems[g], int(row["cycle_time"]),
                               time_limit=time_limit)
            ours, want = res.n_stations, int(row["optimal_stations"])
            key = f"{g} c={row['cycle_time']}"
        else:
            res = solve_salbp2(problems[g], int(row["stations"]),
                               time_limit=time_limit)
            ours, want = res.cycle_time, int(row["optimal_cycle_time"])
            key = f"{g} m={row['stations']}"
        elapsed = time.perf_counter() - start
        used = time.process_time() - cpu
        times.append(elapsed)
        cpus.append(used)
        found += ours == want
        proved += ours == want and res.status == "optimal"
        if ours != want or res.status != "optimal":
            differ.append(f"{key}: ours {ours} ({res.status}, bound "
                          f"{res.lower_bound}), table {want}, "
                          f"{elapsed:.2f} s")
        if verbose:
            print(f"{key:<22} {ours:>6} {want:>6} {res.status:<9} "
                  f"{elapsed:8.3f} s {used:8.3f} s cpu", flush=True)
    return {"set": kind, "instances": len(rows), "found": found,
            "proved": proved, "times": times, "cpus": cpus,
            "differ": differ}


def report(summary: dict[str, object]) -> None:
    """Print one set's table and its differences."""
    times = summary["times"]
    assert isinstance(times, list)
    print(f"\n{summary['set']}")
    print("| instances | optimal found | optimality proved | mean s "
          "| median s | max s | total s |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    if times:
        print(f"| {summary['instances']} | {summary['found']} | "
              f"{summary['proved']} | {statistics.fmean(times):.3f} | "
              f"{statistics.median(times):.3f} | {max(times):.2f} | "
              f"{sum(times):.1f} |")
        cpus = summary["cpus"]
        assert isinstance(cpus, list)
        print(f"CPU time: mean {statistics.fmean(cpus):.3f} s, median "
              f"{statistics.median(cpus):.3f} s, max {max(cpus):.2f} s, "
              f"total {sum(cpus):.1f} s")
    differ = summary["differ"]
    assert isinstance(differ, list)
    print(f"instances not optimal-and-proved: {len(differ)}")
    for line in differ:
        print(f"  {line}")


def main(argv: list[str] | None = None) -> int:
    """Parse the flags, run the sets, print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--time-limit", type=float, default=60.0,
                        help="seconds per instance (default 60)")
    parser.add_argument("--data", type=Path, default=DATA,
                        help="folder with the .IN2 files and tables")
    parser.add_argument("--graphs", nargs="*", default=None,
                        help="only these graphs (IN2 stems)")
    parser.add_argument("--only", nargs="*", default=None,
                        metavar="GRAPH[:N]",
                        help="only these instances: a graph, or a graph and "
                        "its cycle time (SALBP-1) or stations (SALBP-2), "
                        "e.g. SCHOLL:1394")
    parser.add_argument("--salbp2", action="store_true",
                        help="also run the SALBP-2 set")
    parser.add_argument("--only-salbp2", action="store_true",
                        help="run only the SALBP-2 set")
    parser.add_argument("--verbose", action="store_true",
                        help="print one line per instance")
    args = parser.parse_args(argv)
    graphs = set(args.graphs) if args.graphs else None
    kinds = [] if args.only_salbp2 else ["SALBP-1"]
    if args.salbp2 or args.only_salbp2:
        kinds.append("SALBP-2")
    for kind in kinds:
        report(run(kind, args.data, args.time_limit, graphs, args.verbose,
                   args.only))
    return 0


if __name__ == "__main__":
    sys.exit(main())
