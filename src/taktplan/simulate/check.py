"""An independent checker for simulation results.

It knows nothing of the kernels: it checks what must hold for any
simulation of the line, from the line and the result alone. Every
simulation runs it before its result is returned, so the command line
prints and stores only checked results. Its cost is a few array
operations per replication.

What it checks (per replication):

- time fractions: each within [0, 1] and each station's working, blocked,
  starved, down and overload summing to 1 (tolerance 1e-6), and so each
  unit's (a paced segment as one);
- bottleneck shares within [0, 1], the momentary and the sole shares each
  summing to at most 1;
- throughput within a true upper bound: a station with deterministic
  processing completes at most ``parallel / shortest time`` jobs per time
  unit, and the last station can release in the window at most those plus
  one partly done and one finished job per server plus what the line
  downstream of it can hold (random processing times give no hard bound,
  so such stations are not used for it; failures only lower the rate);
- conservation of jobs: in the line at the start + entered == departed +
  in the line at the end;
- WIP between 0 and what the line can hold; buffer level distributions
  with no negative share, summing to 1 over the levels 0..capacity (time
  above capacity would be missing from that sum).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from taktplan.errors import ResultCheckError

if TYPE_CHECKING:
    from taktplan.simulate.model import Line
    from taktplan.simulate.results import ReplicationResult, SimulationResult

TOL_SUM = 1e-6
TOL = 1e-9


class SimulationCheckError(ResultCheckError):
    """A simulation result breaks an invariant (a simulator bug)."""


def _fail(k: int, what: str) -> SimulationCheckError:
    return SimulationCheckError(
        f"simulation result, replication {k}: {what}")


def throughput_bound(line: Line, horizon: float) -> float:
    """A true upper bound on the jobs per time unit leaving ``line``.

    Over a window of length ``horizon`` (``inf`` when no station has
    deterministic processing times).
    """
    bound = math.inf
    hold = 0  # places downstream of station i: stations and buffers
    for i in range(len(line.stations) - 1, -1, -1):
        s = line.stations[i]
        shortest = float(np.min(s.process_times))
        if s.process == "deterministic" and shortest > 0:
            # completions in the window (one per server may have started
            # before it) + jobs done before it, still blocked in the
            # station or anywhere downstream
            jobs = horizon * s.parallel / shortest + 2 * s.parallel + hold
            bound = min(bound, jobs / horizon)
        hold += s.parallel + (line.buffers[i - 1] if i > 0 else 0)
    return bound


def check_replication(line: Line, rep: ReplicationResult, k: int = 0
                      ) -> None:
    """Raise :class:`SimulationCheckError` if a replication is impossible.

    Parameters
    ----------
    line
        The simulated line.
    rep
        Its result.
    k
        The replication's index (for the message).
    """
    names = line.names
    h = rep.horizon
    if not (rep.departures >= 0 and rep.throughput >= 0
            and abs(rep.throughput * h - rep.departures) <= 1e-6 * max(
                1.0, rep.departures)):
        raise _fail(k, f"throughput {rep.throughput} does not match "
                    f"{rep.departures} departures in {h}")
    bound = throughput_bound(line, h)
    if rep.throughput > bound * (1 + TOL):
        raise _fail(k, f"throughput {rep.throughput:.6g} above the line's "
                    f"capacity {bound:.6g}")
    if None not in (rep.jobs_in, rep.wip_start, rep.wip_end) and (
            rep.wip_start + rep.jobs_in  # type: ignore[operator]
            != rep.departures + rep.wip_end):  # type: ignore[operator]
        raise _fail(k, f"jobs not conserved: {rep.wip_start} in the line "
                    f"+ {rep.jobs_in} in != {rep.departures} out + "
                    f"{rep.wip_end} left in the line")
    capacity = sum(s.parallel for s in line.stations) + sum(line.buffers)
    if not -TOL <= rep.wip <= capacity * (1 + TOL):
        raise _fail(k, f"WIP {rep.wip:.6g} outside 0..{capacity}")
    if not rep.detailed:
        return
    f = np.asarray(rep.fractions)
    if f.shape != (len(names), 5):
        raise _fail(k, f"fractions of shape {f.shape}")
    bad = np.flatnonzero(((f < -TOL) | (f > 1 + TOL)).any(axis=1)
                         | (np.abs(f.sum(axis=1) - 1) > TOL_SUM))
    if bad.size:
        i = int(bad[0])
        raise _fail(k, f"station {names[i]}: working, blocked, starved, "
                    f"down, overload {f[i].tolist()} are not fractions "
                    "summing to 1")
    u = np.asarray(rep.unit_fractions)
    if u.size and ((u < -TOL).any() or (np.abs(u.sum(axis=1) - 1)
                                        > TOL_SUM).any()):
        raise _fail(k, f"unit fractions {u.tolist()} are not fractions "
                    "summing to 1")
    for label, share in (("momentary", rep.momentary_share),
                         ("sole", rep.sole_share),
                         ("shifting", rep.shifting_share)):
        s = np.asarray(share)
        if (s < -TOL).any() or (s > 1 + TOL).any():
            raise _fail(k, f"{label} bottleneck shares {s.tolist()} "
                        "outside [0, 1]")
        if label != "shifting" and s.sum() > 1 + TOL:
            raise _fail(k, f"{label} bottleneck shares sum to "
                        f"{s.sum():.12g} > 1")
    for b, levels in enumerate(rep.buffer_levels):
        lv = np.asarray(levels)
        if lv.size > line.buffers[b] + 1 or (lv < -TOL).any() or abs(
                lv.sum() - 1) > TOL_SUM:
            raise _fail(k, f"buffer after {names[b]}: levels {lv.tolist()}"
                        f" are not shares of 0..{line.buffers[b]} summing "
                        "to 1")


def check_simulation(line: Line, result: SimulationResult) -> None:
    """Raise :class:`SimulationCheckError` if ``result`` cannot be right.

    Checks every replication (see the module notes) and that the result
    belongs to ``line``.
    """
    if tuple(result.names) != tuple(line.names):
        raise SimulationCheckError("simulation result: its stations are "
                                   "not the line's")
    if not result.replications:
        raise SimulationCheckError("simulation result: no replications")
    for k, rep in enumerate(result.replications):
        check_replication(line, rep, k)
