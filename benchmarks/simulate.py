"""Simulation speed: taktplan against SimPy on the same line, same run.

1. The issue's line: 10 stations, deterministic cycle 1.0, exponential
   MTBF 100 / MTTR 10 (operation-dependent), buffers of 5, 100,000 time
   units after a warm-up of 1,000. SimPy (benchmarks/simpy_line.py) and
   taktplan each run several replications; the table gives wall and CPU
   time per replication, jobs per second of wall time, the ratio and the
   two throughputs with their 95% CIs.
2. A plant-sized line: 60 stations for one simulated year of a 3,720
   productive-hour calendar at ~30 jobs/hour (two variants in a random
   mix, lognormal repairs), as free stations with buffers of 3, and as 6
   paced segments of 10 stations decoupled by buffers of 6.

Run: PYTHONPATH=src python benchmarks/simulate.py [--simpy-replications 5]
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from simpy_line import simpy_line  # noqa: E402

from taktplan.simulate import (  # noqa: E402
    Line,
    ShiftCalendar,
    Station,
    simulate,
    t_interval,
)
from taktplan.simulate.over_time import OverTime  # noqa: E402


def line10() -> Line:
    """The issue's 10-station line."""
    st = tuple(Station(f"M{i + 1}", np.array([1.0]), mtbf=100.0, mttr=10.0)
               for i in range(10))
    return Line(st, (5,) * 9)


def line60(paced: bool) -> Line:
    """60 stations near a 120 s takt, two variants, reliable-ish."""
    rng = np.random.default_rng(60)
    st = tuple(
        Station(f"S{i + 1:02d}",
                np.array([rng.uniform(100, 118), rng.uniform(95, 120)]),
                mtbf=rng.uniform(6, 12) * 3600, mttr=rng.uniform(120, 600),
                repair="lognormal", repair_cv=1.0)
        for i in range(60))
    if paced:
        return Line(st, tuple(0 if (i + 1) % 10 else 6 for i in range(59)),
                    tuple((10 * k, 10 * k + 9) for k in range(6)),
                    time_unit_s=1.0)
    return Line(st, (3,) * 59, time_unit_s=1.0)


def _timed(fn):  # type: ignore[no-untyped-def]
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - w, time.process_time() - c


def main() -> None:
    """Print the two tables."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--simpy-replications", type=int, default=5)
    ap.add_argument("--replications", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    horizon, warmup = 100_000.0, 1_000.0

    line = line10()
    simulate(line, horizon=100.0, warmup=0.0, replications=2, seed=0)
    res, wall, cpu = _timed(lambda: simulate(
        line, horizon=horizon, warmup=warmup,
        replications=args.replications, seed=args.seed, workers=1))
    ours_wall = wall / args.replications
    ours_cpu = cpu / args.replications
    ours_jobs = np.mean([r.departures for r in res.replications])
    threaded, t_wall, _ = _timed(lambda: simulate(
        line, horizon=horizon, warmup=warmup,
        replications=args.replications, seed=args.seed))
    assert threaded.throughput == res.throughput
    t_wall /= args.replications
    lean, l_wall, l_cpu = _timed(lambda: simulate(
        line, horizon=horizon, warmup=warmup,
        replications=args.replications, seed=args.seed, workers=1,
        detail=False))
    assert lean.throughput == res.throughput
    l_wall /= args.replications
    l_cpu /= args.replications
    # over-time recording: output per 1,000 units in every replication,
    # a trace of 10,000 units of the first
    rec, r_wall, r_cpu = _timed(lambda: simulate(
        line, horizon=horizon, warmup=warmup,
        replications=args.replications, seed=args.seed, workers=1,
        over_time=OverTime(1_000.0, 0.0, 10_000.0)))
    assert rec.throughput == res.throughput
    r_wall /= args.replications
    r_cpu /= args.replications

    sp_tp, sp_wall, sp_cpu = [], [], []
    for k in range(args.simpy_replications):
        tp, w, c = _timed(lambda k=k: simpy_line(
            [1.0] * 10, [5] * 9, 100.0, 10.0, horizon, warmup,
            seed=args.seed * 1000 + k))
        sp_tp.append(tp)
        sp_wall.append(w)
        sp_cpu.append(c)
    sp = t_interval(np.array(sp_tp))
    sp_w, sp_c = float(np.mean(sp_wall)), float(np.mean(sp_cpu))
    ours = res.throughput
    gap = abs(ours.mean - sp.mean)
    allowed = math.hypot(ours.half_width, sp.half_width)

    print("## 10-station line, 100,000 time units per replication\n")
    print("| simulator | replications | wall s/rep | CPU s/rep | "
          "jobs/s (wall) | throughput | 95% CI |")
    print("|---|---|---|---|---|---|---|")
    print(f"| SimPy 4 | {sp.n} | {sp_w:.3f} | {sp_c:.3f} | "
          f"{sp.mean * horizon / sp_w:,.0f} | {sp.mean:.4f} | "
          f"[{sp.low:.4f}, {sp.high:.4f}] |")
    print(f"| taktplan, 1 thread | {ours.n} | {ours_wall:.4f} | "
          f"{ours_cpu:.4f} | {ours_jobs / ours_wall:,.0f} | "
          f"{ours.mean:.4f} | [{ours.low:.4f}, {ours.high:.4f}] |")
    print(f"| taktplan, 1 thread, throughput only | {ours.n} | "
          f"{l_wall:.4f} | {l_cpu:.4f} | {ours_jobs / l_wall:,.0f} | "
          f"{ours.mean:.4f} | [{ours.low:.4f}, {ours.high:.4f}] |")
    print(f"| taktplan, 1 thread, over-time recording | {ours.n} | "
          f"{r_wall:.4f} | {r_cpu:.4f} | {ours_jobs / r_wall:,.0f} | "
          f"{ours.mean:.4f} | [{ours.low:.4f}, {ours.high:.4f}] |")
    print(f"| taktplan, {os.cpu_count()} threads | {ours.n} | {t_wall:.4f} "
          f"| - | {ours_jobs / t_wall:,.0f} | {ours.mean:.4f} | "
          f"[{ours.low:.4f}, {ours.high:.4f}] |")
    print(f"\nspeed-up: {sp_w / ours_wall:.0f}x wall and "
          f"{sp_c / ours_cpu:.0f}x CPU on one thread, "
          f"{sp_w / t_wall:.0f}x wall on all threads, {sp_c / l_cpu:.0f}x "
          "CPU throughput only (as the SimPy model); throughput difference "
          f"{gap:.4f} vs combined CI half-width {allowed:.4f} "
          f"({'agree' if gap <= allowed else 'DISAGREE'})\n")

    cal = ShiftCalendar(shifts_per_day=2, shift_hours=8.0, break_hours=0.5,
                        working_days_per_year=248)
    year = cal.productive_time(1.0, 1.0)
    print(f"## 60 stations, one year ({cal.productive_hours_per_year:,.0f}"
          " productive hours)\n")
    print("| line (1 thread) | wall s/rep | CPU s/rep | jobs/hour | "
          "per year | bottleneck |")
    print("|---|---|---|---|---|---|")
    shift = cal.productive_hours_per_shift * 3600.0
    for paced, over in ((False, None), (True, None),
                        (False, OverTime(shift, 0.0, 2 * shift)),
                        (True, OverTime(shift, 0.0, 2 * shift))):
        big = line60(paced)
        simulate(big, horizon=3600.0, warmup=0.0, replications=1, seed=0,
                 variant_mix=np.array([0.6, 0.4]))
        r, w, c = _timed(lambda big=big: simulate(
            big, horizon=year, warmup=3600.0, replications=3, seed=2,
            calendar=cal, variant_mix=np.array([0.6, 0.4]), workers=1,
            over_time=over))
        name = "6 paced segments of 10" if paced else "60 free, buffers 3"
        if over is not None:
            name += ", over-time recording (shifts, a day's trace)"
        per_year = r.per_year.mean if r.per_year else float("nan")
        print(f"| {name} | {w / 3:.3f} | {c / 3:.3f} | "
              f"{r.jobs_per_hour.mean:.2f} | {per_year:,.0f} | "
              f"{r.bottleneck} |")


if __name__ == "__main__":
    main()
