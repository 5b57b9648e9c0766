"""Run every benchmark script once with short limits (``make bench``).

A smoke run: each script prints its tables on a small share of its
instances with short limits, so that ``make bench`` shows in a few
minutes that every benchmark still runs. The numbers recorded in
BENCHMARKS.md come from the full runs whose commands it gives.
The ROADEF benchmark runs only when its data (set A, from
https://www.roadef.org/challenge/2005/en/) is found.

Usage: python benchmarks/run_all.py [--only NAME ...]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

#: Script and the flags of its short run.
RUNS: dict[str, list[str]] = {
    "salbp": ["salbp.py", "--time-limit", "1", "--graphs", "MERTENS",
              "BOWMAN8", "JAESCHKE", "JACKSON"],
    "carseq": ["carseq.py", "--time-limit", "1", "--only", "4-72",
               "10-93"],
    "simulate": ["simulate.py", "--simpy-replications", "1",
                 "--replications", "2"],
    "sweep": ["sweep.py", "--horizon", "500", "--workers", "1"],
    "roadef": ["roadef.py", "--time-limit", "1", "--only", "022"],
}


def children_cpu() -> float:
    """CPU seconds used so far by finished child processes."""
    use = resource.getrusage(resource.RUSAGE_CHILDREN)
    return use.ru_utime + use.ru_stime


def main(argv: list[str] | None = None) -> int:
    """Run the scripts in turn; exit 1 if any fails."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", default=None,
                        choices=sorted(RUNS), help="run only these")
    args = parser.parse_args(argv)
    failed = []
    for name, (script, *flags) in RUNS.items():
        if args.only and name not in args.only:
            continue
        print(f"== {name}: python benchmarks/{script} {' '.join(flags)}",
              flush=True)
        before = children_cpu()
        code = subprocess.call([sys.executable, str(HERE / script), *flags])
        cpu = children_cpu() - before
        if name == "roadef" and code == 2:
            print(f"== {name}: skipped (ROADEF set A not found)\n")
            continue
        print(f"== {name}: exit {code}, {cpu:.1f} s CPU\n", flush=True)
        if code != 0:
            failed.append(name)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
