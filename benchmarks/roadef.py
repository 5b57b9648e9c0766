"""Run the ROADEF 2005 (Renault) set-A instances and print the objectives.

Usage (from the repository root)::

    PYTHONPATH=src python benchmarks/roadef.py [SET_A_DIR] [--time-limit 30]
        [--seed 0] [--only PREFIX ...]

``SET_A_DIR`` defaults to ``../shared/data/carseq/roadef2005/set_A``
(research-use data: it is read from there, never copied into the
project). For each instance the table gives the objective order, the
file's own order (today's cars in SeqRank order) as a baseline measured
in the same run, our sequence's three components and weighted objective,
the colour-change lower bound, and the time. Every sequence passes the
independent checker. For six instances the file order's objective is also
compared with the value of Renault's validator (see ``RENAULT_FILE_ORDER``)
to confirm that the objective is computed as the challenge did.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DEFAULTS = (ROOT.parent / "shared/data/carseq/roadef2005/set_A",
            ROOT.parent.parent / "shared/data/carseq/roadef2005/set_A")

#: Objective of the file order as reported by Renault's validator (quoted
#: in the unit tests of a public Java implementation, SolutionValidatorTest).
RENAULT_FILE_ORDER = {
    "064_38_2_EP_RAF_ENP_ch2": 28_046_050,
    "022_3_4_EP_RAF_ENP": 2_070_002,
    "022_3_4_RAF_EP_ENP": 11_048_005,
    "024_38_5_EP_ENP_RAF": 106_134_392,
    "039_38_4_EP_RAF_ch1": 115_229_000,
    "039_38_4_RAF_EP_ch1": 69_392_000,
}


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("set_a", nargs="?", type=Path, default=None)
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", nargs="*", default=None)
    args = parser.parse_args(argv)
    folder = args.set_a or next((p for p in DEFAULTS if p.is_dir()), None)
    if folder is None or not folder.is_dir():
        print("ROADEF set A not found; give its directory", file=sys.stderr)
        return 2

    from taktplan.formats.roadef import read_roadef
    from taktplan.sequence.check_roadef import check_roadef
    from taktplan.sequence.roadef import components, solve_roadef, weighted

    names = sorted(p.name for p in folder.iterdir() if p.is_dir())
    if args.only:
        names = [n for n in names if any(n.startswith(p) for p in args.only)]
    warm = read_roadef(folder / names[0])
    solve_roadef(warm, time_limit=0.2, seed=0)
    print("| instance | cars | order | file order (RAF/EP/ENP) = obj. "
          "| ours RAF | ours EP | ours ENP | ours obj. | RAF bound | s |")
    print("|---|---:|---|---|---:|---:|---:|---:|---:|---:|")
    mismatches = []
    for name in names:
        inst = read_roadef(folder / name)
        base = components(inst, np.arange(len(inst.idents)))
        base_obj = weighted(inst, base)
        if name in RENAULT_FILE_ORDER and (
                RENAULT_FILE_ORDER[name] != base_obj):
            mismatches.append(name)
        res = solve_roadef(inst, time_limit=args.time_limit, seed=args.seed)
        check = check_roadef(inst, res.order)
        assert check.objective == res.objective, name
        bound = res.lower_bound // max(inst.weight("RAF"), 1)
        print(f"| {name} | {len(inst.idents)} | "
              f"{'>'.join(inst.objective_order)} | "
              f"{base[0]}/{base[1]}/{base[2]} = {base_obj} | "
              f"{res.color_changes} | {res.high_violations} | "
              f"{res.low_violations} | {res.objective} | {bound} | "
              f"{res.runtime_s:.1f} |", flush=True)
    checked = [n for n in names if n in RENAULT_FILE_ORDER]
    print(f"\nfile-order objective equals Renault's validator on "
          f"{len(checked) - len(mismatches)} of {len(checked)} instances"
          + (f" (differs: {', '.join(mismatches)})" if mismatches else ""))
    return 0


if __name__ == "__main__":
    t0 = time.perf_counter()
    code = main()
    print(f"total wall time {time.perf_counter() - t0:.0f} s")
    sys.exit(code)
