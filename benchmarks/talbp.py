"""The classic two-sided benchmark graphs P9-P205: proved or not, and CPU.

Runs the 39 type-II instances (variant 0 of ``../shared/data/talbp``:
least cycle for the given mated stations) and type-I runs of the same
graphs at the cycle times the two-sided literature uses (Kim, Kim & Kim
2000; Lee, Kim & Kim 2001; Hu et al. 2008), one after the other on one
core, every line checked by the independent checker, and prints per
set: instances, proved optimal, mean / median / max CPU seconds.

Example::

    PYTHONPATH=src python benchmarks/talbp.py
    PYTHONPATH=src python benchmarks/talbp.py --graphs P9 P12 --verbose
    # type I off the literature's list: every 9th cycle from 195 to 519
    PYTHONPATH=src python benchmarks/talbp.py --graphs P148 --kinds I \
        --cycle-range 195 520 9 --seconds 10
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE.parent.parent / "shared" / "data" / "talbp" / \
    "Singletype_Cobot_TALBP2"

#: Type-I cycle times of the two-sided literature per graph.
CYCLES = {
    "P9": (3, 4, 5, 6),
    "P12": (4, 5, 6, 7, 8),
    "P16": (15, 16, 18, 19, 20, 21, 22),
    "P24": (18, 20, 24, 25, 30, 35, 40),
    "P65": (326, 381, 435, 490, 544),
    "P148": (204, 255, 306, 357, 408, 459, 510),
    "P205": (1133, 1322, 1510, 1699, 1888, 2077, 2266, 2454, 2643, 2832),
}
GRAPHS = tuple(CYCLES)


def _stations_of(graph: str, data: Path) -> list[int]:
    return sorted(int(p.stem.split("_")[1])
                  for p in data.glob(f"{graph}_*_0.txt"))


def run(graphs: list[str], data: Path, kinds: list[str], seconds: float,
        work: float | None, nodes: int | None,
        verbose: bool, seed: int = 0,
        cycles: range | None = None) -> list[dict[str, object]]:
    """Solve every instance; one record per run (type I at ``cycles``
    instead of the literature's where given)."""
    from taktplan.balance.twosided import Budget, solve_talbp1, solve_talbp2
    from taktplan.balance.twosided.finish import check_result
    from taktplan.formats.talbp import read_talbp

    # budgets in work from the time limit (Budget.for_seconds); the CPU
    # clock is only a safety net (3 x seconds), the wall clock a looser
    # one, so the deterministic budgets decide even on a loaded machine
    budget = Budget.for_seconds(seconds, seed=seed)
    budget = replace(budget, time_limit=900.0,
                     nodes=budget.nodes if nodes is None else nodes,
                     work=budget.work if work is None else work)
    records = []
    for graph in graphs:
        stations = _stations_of(graph, data)
        problem = read_talbp(data / f"{graph}_{stations[0]}_0.txt")
        jobs: list[tuple[str, int]] = []
        if "II" in kinds:
            jobs += [("TALBP-2", m) for m in stations]
        if "I" in kinds:
            jobs += [("TALBP-1", c) for c in (cycles or CYCLES[graph])]
        for kind, value in jobs:
            cpu0 = time.process_time()
            if kind == "TALBP-2":
                result = solve_talbp2(problem, value, budget)
            else:
                result = solve_talbp1(problem, value, budget)
            cpu = time.process_time() - cpu0
            check_result(problem, result)
            rec = {"graph": graph, "kind": kind, "given": value,
                   "cycle_time": result.cycle_time,
                   "stations": result.n_stations,
                   "operators": result.operators,
                   "lower_bound": result.lower_bound,
                   "operators_lower_bound": result.operators_lower_bound,
                   "status": result.status, "backend": result.backend,
                   "nodes": result.nodes, "limit_hit": result.limit_hit,
                   "cpu_s": round(cpu, 3), "checked": True,
                   "within": cpu <= seconds}
            records.append(rec)
            if verbose:
                print(json.dumps(rec), flush=True)
    return records


def table(records: list[dict[str, object]]) -> str:
    """Markdown summary per (kind, graph)."""
    out = ["| set | instances | proved optimal | mean CPU s | median CPU s "
           "| max CPU s | within the limit | lines checked |",
           "|---|---|---|---|---|---|---|---|"]
    keys = sorted({(str(r["kind"]), str(r["graph"])) for r in records},
                  key=lambda k: (k[0], GRAPHS.index(k[1])))
    for kind, graph in keys:
        rows = [r for r in records if r["kind"] == kind
                and r["graph"] == graph]
        cpu = [float(str(r["cpu_s"])) for r in rows]
        proved = sum(r["status"] == "optimal" for r in rows)
        out.append(f"| {kind} {graph} | {len(rows)} | {proved} | "
                   f"{statistics.mean(cpu):.2f} | "
                   f"{statistics.median(cpu):.2f} | {max(cpu):.2f} | "
                   f"{sum(bool(r.get('within', True)) for r in rows)} | "
                   f"{sum(bool(r['checked']) for r in rows)} |")
    return "\n".join(out)


def main() -> None:
    """Parse the arguments, run, print the tables."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--graphs", nargs="*", default=list(GRAPHS))
    ap.add_argument("--kinds", nargs="*", default=["II", "I"],
                    choices=["I", "II"])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--seconds", type=float, default=30.0,
                    help="the time limit of a run, turned into work "
                         "budgets (Budget.for_seconds); CPU seconds")
    ap.add_argument("--work", type=float, default=None,
                    help="CP-SAT deterministic time per run (overrides "
                         "--seconds' share)")
    ap.add_argument("--nodes", type=int, default=None,
                    help="station-oriented search nodes per run "
                         "(overrides --seconds' share)")
    ap.add_argument("--seed", type=int, default=0,
                    help="seed of the heuristics and CP-SAT (a run's "
                         "spread over seeds says what is noise)")
    ap.add_argument("--cycle-range", type=int, nargs=3,
                    metavar=("LO", "HI", "STEP"),
                    help="type-I cycles range(LO, HI, STEP) instead of "
                         "the literature's (solve the problem, not the "
                         "list)")
    ap.add_argument("--json", type=Path, help="write every record here")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    records = run(args.graphs, args.data, args.kinds, args.seconds,
                  args.work, args.nodes, args.verbose, args.seed,
                  range(*args.cycle_range) if args.cycle_range else None)
    if args.json:
        args.json.write_text(json.dumps(records, indent=1))
    print(table(records))
    print()
    print("| graph | type | given | cycle | stations | operators | bound | "
          "status | CPU s |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in records:
        print(f"| {r['graph']} | {r['kind']} | {r['given']} | "
              f"{r['cycle_time']} | {r['stations']} | {r['operators']} | "
              f"{r['lower_bound']} | {r['status']} | {r['cpu_s']} |")


if __name__ == "__main__":
    main()
