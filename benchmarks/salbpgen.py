"""Seeded SALBP-1 instances like SALBPGen's, and taktplan on them.

Otto, Otto & Scholl (2013, "SALBPGen - A systematic data generator for
(simple) assembly line balancing", European Journal of Operational
Research 228(1)) generate lines by size, graph structure, order
strength and task-time distribution. This is a generator in that
spirit (not their code, and not their instances), seeded so that a run
can be repeated:

- sizes ``n`` = 20, 50, 100, 1000 (any ``n`` works);
- structure ``mixed`` (arcs anywhere nearby), ``chains`` (arcs extend
  chains: a task with no successor yet to one with no predecessor) or
  ``bottlenecks`` (about one task in 25 collects and spreads most arcs);
- order strength (share of task pairs ordered by precedence) about
  0.2, 0.6 or 0.9: arcs are added until it is within
  :data:`OS_BAND` of the target, and an arc that would overshoot the
  band is skipped;
- task times ``low`` (peak at the bottom: about a tenth of the cycle),
  ``middle`` (peak at half the cycle) or ``bimodal`` (seven tasks in
  ten low, three in the middle); cycle 1,000.

Run as a script, it solves every combination (seeds 0..k-1, or from
``--first-seed``) with
``solve_salbp1`` on a node budget and prints, per size and structure,
the stations found, the lower bound, how many are proved and the gap.

Example::

    PYTHONPATH=src python benchmarks/salbpgen.py --sizes 20 50 100 1000
    PYTHONPATH=src python benchmarks/salbpgen.py --write DIR  # .alb files
    PYTHONPATH=src python benchmarks/salbpgen.py --write DIR --for-bbr
"""

from __future__ import annotations

import argparse
import heapq
import itertools
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

STRUCTURES = ("mixed", "chains", "bottlenecks")
ORDER_STRENGTHS = (0.2, 0.6, 0.9)
TIME_SHAPES = ("low", "middle", "bimodal")
SIZES = (20, 50, 100, 1000)
CYCLE = 1000

#: Order strength reached is within this of the target.
OS_BAND = 0.02

_POP = np.array([bin(b).count("1") for b in range(256)], dtype=np.int64)


@dataclass(frozen=True)
class Instance:
    """One generated line: times, 0-based arcs, cycle and its recipe."""

    name: str
    times: np.ndarray
    arcs: np.ndarray
    cycle: int
    order_strength: float


def task_times(rng: np.random.Generator, n: int, shape: str,
               cycle: int = CYCLE) -> np.ndarray:
    """``n`` integer task times in ``[1, cycle]`` of one shape."""
    def draw(mean: float, sd: float, size: int) -> np.ndarray:
        out = np.empty(0)
        while out.size < size:
            x = rng.normal(mean * cycle, sd * cycle, 2 * size + 8)
            out = np.concatenate([out, x[(x >= 1) & (x <= cycle)]])
        return np.rint(out[:size])

    if shape == "low":
        t = draw(0.1, 0.1, n)
    elif shape == "middle":
        t = draw(0.5, 0.15, n)
    elif shape == "bimodal":
        low = rng.random(n) < 0.7
        t = np.where(low, draw(0.1, 0.1, n), draw(0.5, 0.15, n))
    else:
        raise ValueError(f"unknown time shape {shape!r}")
    return np.clip(t, 1, cycle).astype(np.int64)


def order_strength(n: int, arcs: np.ndarray) -> float:
    """Share of the ``n (n - 1) / 2`` task pairs ordered by the arcs."""
    from taktplan.balance.problem import transitive_closure

    if n < 2:
        return 0.0
    closure = transitive_closure(n, np.asarray(arcs, np.int64).reshape(-1, 2))
    return float(closure.sum()) / (n * (n - 1) / 2)


def precedence_graph(rng: np.random.Generator, n: int, structure: str,
                     target: float) -> tuple[np.ndarray, float]:
    """Arcs ``i -> j`` (``i < j``) until the order strength is within
    :data:`OS_BAND` of ``target``; the arcs and the strength reached."""
    pairs = n * (n - 1) / 2
    if n < 2:
        return np.zeros((0, 2), np.int64), 0.0
    words = (n + 7) // 8
    # desc[i]: packed bits of the tasks after i (itself excluded);
    # anc[j]: of the tasks before j.
    desc = np.zeros((n, words), np.uint8)
    anc = np.zeros((n, words), np.uint8)
    bit = np.zeros((n, words), np.uint8)
    bit[np.arange(n), np.arange(n) // 8] = (1 << (7 - np.arange(n) % 8))
    indeg = np.zeros(n, np.int64)
    outdeg = np.zeros(n, np.int64)
    hubs = np.unique(np.linspace(0, n - 1, max(2, n // 25)).astype(int))
    ordered = 0
    arcs: list[tuple[int, int]] = []
    # Arcs reach further when a strong order is wanted.
    span = max(2.0, (1.0 - target) * n / 3.0)
    lo, hi = (target - OS_BAND) * pairs, (target + OS_BAND) * pairs
    for _ in range(60 * n + 1000):
        if ordered >= lo:
            break
        i, j = _candidate(rng, n, structure, span, hubs, indeg, outdeg)
        if i < 0 or _get(desc, i, j):
            continue
        a_rows = np.flatnonzero(np.unpackbits(anc[i], count=n)) .tolist()
        a_rows.append(i)
        gain_row = desc[j] | bit[j]
        old = _POP[desc[a_rows]].sum()
        new = _POP[desc[a_rows] | gain_row].sum()
        if ordered + (new - old) > hi:
            continue
        desc[a_rows] |= gain_row
        d_rows = np.flatnonzero(np.unpackbits(desc[j], count=n)).tolist()
        d_rows.append(j)
        gain = anc[i] | bit[i]
        anc[d_rows] |= gain
        ordered += int(new - old)
        indeg[j] += 1
        outdeg[i] += 1
        arcs.append((i, j))
    return (np.array(arcs, np.int64).reshape(-1, 2), ordered / pairs)


def _get(rows: np.ndarray, i: int, j: int) -> bool:
    return bool((rows[i, j // 8] >> (7 - j % 8)) & 1)


def _candidate(rng: np.random.Generator, n: int, structure: str,
               span: float, hubs: np.ndarray, indeg: np.ndarray,
               outdeg: np.ndarray) -> tuple[int, int]:
    """One arc to try, by the structure's preference."""
    step = 1 + int(rng.geometric(1.0 / span))
    if structure == "chains" and rng.random() < 0.85:
        free_out = np.flatnonzero(outdeg[:-1] == 0)
        if free_out.size:
            i = int(rng.choice(free_out))
            later = np.flatnonzero(indeg[i + 1:i + 1 + 4 * step] == 0)
            if later.size:
                return i, i + 1 + int(later[0])
    if structure == "bottlenecks" and rng.random() < 0.8:
        h = int(rng.choice(hubs))
        if rng.random() < 0.5 and h > 0:
            return max(0, h - step), h
        if h < n - 1:
            return h, min(n - 1, h + step)
    i = int(rng.integers(0, n - 1))
    return i, min(n - 1, i + step)


def generate(n: int, structure: str, target: float, shape: str,
             seed: int, cycle: int = CYCLE) -> Instance:
    """One seeded instance; tasks are renumbered at random."""
    if structure not in STRUCTURES:
        raise ValueError(f"unknown structure {structure!r}")
    rng = np.random.default_rng([seed, n, STRUCTURES.index(structure),
                                 round(target * 100),
                                 TIME_SHAPES.index(shape)])
    arcs, strength = precedence_graph(rng, n, structure, target)
    times = task_times(rng, n, shape, cycle)
    perm = rng.permutation(n)
    name = f"n{n}_{structure}_os{round(target * 100)}_{shape}_s{seed}"
    return Instance(name=name, times=times[np.argsort(perm)],
                    arcs=perm[arcs] if arcs.size else arcs, cycle=cycle,
                    order_strength=strength)


def topological(inst: Instance) -> Instance:
    """The same line with its tasks renumbered in a topological order
    (Kahn's, the lowest index first), so that every arc goes from a lower
    to a higher number, as the BB&R reference's reader requires (it
    asserts it); the tasks are otherwise generated in random order."""
    n = inst.times.size
    succ: list[list[int]] = [[] for _ in range(n)]
    indeg = [0] * n
    for a, b in inst.arcs.tolist():
        succ[a].append(b)
        indeg[b] += 1
    ready = [i for i in range(n) if indeg[i] == 0]
    heapq.heapify(ready)
    order: list[int] = []
    while ready:
        i = heapq.heappop(ready)
        order.append(i)
        for j in succ[i]:
            indeg[j] -= 1
            if indeg[j] == 0:
                heapq.heappush(ready, j)
    new = np.empty(n, np.int64)
    new[np.array(order, np.int64)] = np.arange(n)
    arcs = new[inst.arcs] if inst.arcs.size else inst.arcs
    return Instance(name=inst.name, times=inst.times[np.array(order)],
                    arcs=arcs, cycle=inst.cycle,
                    order_strength=inst.order_strength)


def write_alb(path: Path, inst: Instance, order_strength: bool = True
              ) -> None:
    """The instance as an Otto ``.alb`` file (1-based tasks); without the
    ``<order strength>`` section if ``order_strength`` is false (the BB&R
    reference's reader stops at it)."""
    lines = ["<number of tasks>", str(inst.times.size), "",
             "<cycle time>", str(inst.cycle), ""]
    if order_strength:
        lines += ["<order strength>", f"{inst.order_strength:.3f}", ""]
    lines += ["<task times>"]
    lines += [f"{i + 1} {t}" for i, t in enumerate(inst.times.tolist())]
    lines += ["", "<precedence relations>"]
    lines += [f"{a + 1},{b + 1}" for a, b in inst.arcs.tolist()]
    lines += ["", "<end>", ""]
    path.write_text("\n".join(lines))


def main(argv: list[str] | None = None) -> int:
    """Generate, solve and print the table by size and structure."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", nargs="*", type=int, default=list(SIZES))
    parser.add_argument("--structures", nargs="*", default=list(STRUCTURES))
    parser.add_argument("--shapes", nargs="*", default=list(TIME_SHAPES),
                        help="task-time shapes to run")
    parser.add_argument("--strengths", nargs="*", type=float,
                        default=list(ORDER_STRENGTHS),
                        help="order strengths to run")
    parser.add_argument("--seeds", type=int, default=1,
                        help="instances per combination (seeds 0..k-1)")
    parser.add_argument("--first-seed", type=int, default=0,
                        help="the seeds are this one and the k-1 after "
                        "it (fresh instances: the 1,000-task settings were "
                        "measured on seed 0)")
    parser.add_argument("--node-limit", type=int, default=None,
                        help="nodes of the exact search (default: the "
                        "solver's own budget)")
    parser.add_argument("--time-limit", type=float, default=60.0,
                        help="safety net, seconds per instance")
    parser.add_argument("--write", type=Path, default=None,
                        help="write the .alb files here and stop")
    parser.add_argument("--for-bbr", action="store_true",
                        help="with --write: tasks renumbered in a "
                        "topological order and no <order strength> "
                        "section, as the BB&R reference reads them")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    combos = list(itertools.product(args.sizes, args.structures,
                                    args.strengths, args.shapes,
                                    range(args.first_seed,
                                          args.first_seed + args.seeds)))
    if args.write is not None:
        args.write.mkdir(parents=True, exist_ok=True)
        for n, s, os_, shape, seed in combos:
            inst = generate(n, s, os_, shape, seed)
            if args.for_bbr:
                inst = topological(inst)
            write_alb(args.write / f"{inst.name}.alb", inst,
                      order_strength=not args.for_bbr)
        print(f"wrote {len(combos)} instances to {args.write}")
        return 0

    from taktplan.balance import SalbpProblem, solve_salbp1
    from taktplan.balance.exact import warm_up
    from taktplan.balance.upper import warm_up as warm_up_upper

    warm_up()  # compile or load the kernels before any instance's clock
    warm_up_upper()

    rows: dict[tuple[int, str], list[tuple[int, int, bool, float]]] = {}
    for n, s, os_, shape, seed in combos:
        inst = generate(n, s, os_, shape, seed)
        problem = SalbpProblem(times=inst.times, arcs=inst.arcs,
                               name=inst.name)
        cpu = time.process_time()
        res = solve_salbp1(problem, inst.cycle, time_limit=args.time_limit,
                           node_limit=args.node_limit)
        used = time.process_time() - cpu
        rows.setdefault((n, s), []).append(
            (res.n_stations, res.lower_bound, res.status == "optimal", used))
        if args.verbose:
            print(f"{inst.name:<34} OS {inst.order_strength:.3f} "
                  f"{res.n_stations:>4} lb {res.lower_bound:>4} "
                  f"{res.status:<9} {used:7.2f} s cpu", flush=True)
    print("\n| n | structure | instances | stations found (sum) | lower "
          "bound (sum) | proved | gap 0 | gap 1 | gap > 1 | max CPU s "
          "| mean CPU s |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for (n, s), got in rows.items():
        gaps = [m - lb for m, lb, _, _ in got]
        cpus = [c for *_, c in got]
        print(f"| {n} | {s} | {len(got)} | {sum(g[0] for g in got)} | "
              f"{sum(g[1] for g in got)} | {sum(g[2] for g in got)} | "
              f"{gaps.count(0)} | {gaps.count(1)} | "
              f"{sum(g > 1 for g in gaps)} | {max(cpus):.2f} | "
              f"{statistics.fmean(cpus):.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
