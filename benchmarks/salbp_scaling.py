"""How CPU time and memory of ``solve_salbp1`` grow with the line's size.

For each ``n`` (default 100, 300, 1,000, 3,000) one generated line of
:mod:`salbpgen` (structure, order strength and time shape as given) is
solved in a fresh child process, so that each size's peak memory is its
own. The child prints the CPU seconds of the preparation (both
directions: closure, dominance, bounds), of the priority rules, of the
large-line phase (beam and local search, :mod:`taktplan.balance.upper`)
and of the exact search on a node budget, the stations and the bound,
and its peak resident memory after the warm-up and at the end.

Example::

    PYTHONPATH=src python benchmarks/salbp_scaling.py
    PYTHONPATH=src python benchmarks/salbp_scaling.py --sizes 100 300 \\
        --shape middle --node-limit 2000
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def child(n: int, structure: str, strength: float, shape: str,
          node_limit: int) -> dict[str, float | int]:
    """Solve one line in this process; the measurements."""
    sys.path.insert(0, str(HERE))
    import numpy as np
    import salbpgen

    from taktplan.balance.cover import cover_bound
    from taktplan.balance.exact import warm_up
    from taktplan.balance.heuristic import greedy_lines
    from taktplan.balance.pairs import pair_bound
    from taktplan.balance.prepare import prepare
    from taktplan.balance.search import search_both, search_clock
    from taktplan.balance.upper import wanted
    from taktplan.balance.upper import warm_up as warm_up_upper
    from taktplan.balance.window import improve_long_line

    warm_up()
    warm_up_upper()
    inst = salbpgen.generate(n, structure, strength, shape, 0)
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    cap = np.array([inst.cycle])
    cpu = time.process_time()
    fwd = prepare(inst.times[:, None], cap, inst.arcs)
    bwd = prepare(inst.times[:, None], cap, inst.arcs[:, ::-1])
    lb = max(fwd.lower_bound(), bwd.lower_bound())
    t_prep = time.process_time() - cpu
    cpu = time.process_time()
    station_of, ub = greedy_lines(fwd, 20, 0)
    rev_of, rev_ub = greedy_lines(bwd, 20, 0)
    if rev_ub < ub:
        station_of, ub = rev_ub - 1 - rev_of, rev_ub
    t_rules, greedy = time.process_time() - cpu, ub
    cpu = time.process_time()
    if ub > lb:  # as solve_salbp1 does (the cover bound from 400 tasks)
        t = fwd.times[:, 0]
        lb = max(lb, pair_bound(fwd.closure, t, inst.cycle))
        if n >= 400 and ub > lb:
            lb = max(lb, cover_bound(fwd.closure, t, inst.cycle,
                                     fwd.pred_ptr, fwd.pred_idx))
    t_bounds = time.process_time() - cpu
    cpu = time.process_time()
    beam = moves = 0
    if wanted(n, ub, lb):
        line = improve_long_line(fwd, bwd, station_of, ub, lb, 0)
        station_of, ub = line.station_of, line.n_stations
        beam, moves = line.beam_work, line.moves
    t_upper, upper = time.process_time() - cpu, ub
    cpu = time.process_time()
    found = search_both(fwd, bwd, ub, station_of, lb,
                        search_clock() + 600.0, node_limit=node_limit)
    ub, station_of, lb, nodes = (found.ub, found.station_of, found.lb,
                                 found.nodes)
    t_search = time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"n": n, "lb": lb, "greedy": greedy, "upper": upper,
            "stations": ub, "prepare_s": t_prep, "rules_s": t_rules,
            "bounds_s": t_bounds,
            "upper_s": t_upper, "search_s": t_search, "nodes": nodes,
            "beam_work": beam, "moves": moves, "rss_warm_mb": base / 1024,
            "rss_peak_mb": peak / 1024}


def main(argv: list[str] | None = None) -> int:
    """Run one child per size and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", nargs="*", type=int,
                        default=[100, 300, 1000, 3000])
    parser.add_argument("--structure", default="mixed")
    parser.add_argument("--strength", type=float, default=0.6)
    parser.add_argument("--shape", default="bimodal")
    parser.add_argument("--node-limit", type=int, default=2000,
                        help="nodes of the exact search (default 2000)")
    parser.add_argument("--child", type=int, default=None,
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        print(json.dumps(child(args.child, args.structure, args.strength,
                               args.shape, args.node_limit)))
        return 0
    print(f"{args.structure}, order strength {args.strength}, "
          f"{args.shape} times, cycle 1000, {args.node_limit} nodes")
    print("| n | lb | rules | beam+LS | found | prepare s | rules s | "
          "bounds s | beam+LS s | search s | beam work | moves | "
          "RSS warm MB | RSS peak MB |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
          "---:|---:|")
    for n in args.sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(n), "--structure",
             args.structure, "--strength", str(args.strength), "--shape",
             args.shape, "--node-limit", str(args.node_limit)],
            capture_output=True, text=True, check=True, env=os.environ)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"| {r['n']} | {r['lb']} | {r['greedy']} | {r['upper']} | "
              f"{r['stations']} | {r['prepare_s']:.2f} | "
              f"{r['rules_s']:.2f} | {r['bounds_s']:.2f} | "
              f"{r['upper_s']:.2f} | "
              f"{r['search_s']:.2f} | {r['beam_work']:.2e} | "
              f"{r['moves']:.1e} | {r['rss_warm_mb']:.0f} | "
              f"{r['rss_peak_mb']:.0f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
