"""Simulating a line: one replication, or many with independent streams."""

from __future__ import annotations

import math
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Protocol, TypeVar

import numpy as np

from taktplan.errors import InputError
from taktplan.simulate.check import check_replication, check_simulation
from taktplan.simulate.distributions import (
    GEOMETRIC_FROM_ZERO,
    parameters,
)
from taktplan.simulate.over_time import (
    MAX_BINS,
    OverTime,
    Trace,
    trace_capacity,
)
from taktplan.simulate.results import ReplicationResult, SimulationResult

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

    from taktplan.simulate.model import Line, ShiftCalendar

MAX_GRID = 200_000
_THREAD = threading.local()
T = TypeVar("T")
R = TypeVar("R")


class ReplicationExecutor(Protocol):
    """Anything that maps a picklable function over tasks, yielding the
    results in any order (the executors of ``taktplan.executors``)."""

    def imap_unordered(self, fn: Callable[[T], R],
                       tasks: Sequence[T]) -> Iterator[R]:
        """Yield ``fn(task)`` for every task, in completion order."""
        ...


@dataclass(frozen=True)
class _Arrays:
    """The line flattened into the kernel's arrays."""

    kind: np.ndarray
    first: np.ndarray
    size: np.ndarray
    cap: np.ndarray
    buf: np.ndarray
    lag: np.ndarray
    soff: np.ndarray
    nsrv: np.ndarray
    ptime: np.ndarray
    povl: np.ndarray
    proc: tuple[np.ndarray, np.ndarray, np.ndarray]
    fail: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]
    rep: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]
    width: int
    unit_of_buffer: np.ndarray
    serial: bool


def _flatten(line: Line) -> _Arrays:
    n = len(line.stations)
    seg_at = {a: b for a, b in line.segments}
    kind, first, size, cap, buf, lag = [], [], [], [], [], []
    unit_of_buffer = np.full(max(n - 1, 0), -1, dtype=np.int64)
    i = 0
    total_lag = 0
    while i < n:
        last = seg_at.get(i, i)
        m = last - i + 1
        is_seg = last > i
        kind.append(1 if is_seg else 0)
        first.append(i)
        size.append(m)
        cap.append(m if is_seg else line.stations[i].parallel)
        if is_seg:
            total_lag += m
        lag.append(total_lag)
        if last < n - 1:
            buf.append(line.buffers[last])
            unit_of_buffer[last] = len(kind) - 1
        else:
            buf.append(0)
        i = last + 1
    nsrv = np.array([s.parallel for s in line.stations], dtype=np.int64)
    soff = np.concatenate([[0], np.cumsum(nsrv)[:-1]]).astype(np.int64)

    def dist(kinds: list[str], cvs: list[float]) -> tuple[np.ndarray, ...]:
        ps = [parameters(k, cv) for k, cv in zip(kinds, cvs, strict=True)]
        return (np.array([p[0] for p in ps], dtype=np.int64),
                np.array([p[1] for p in ps]), np.array([p[2] for p in ps]))

    st = line.stations
    pc, pa, pb = dist([s.process for s in st], [s.process_cv for s in st])
    fc, fa, fb = dist([s.failure for s in st], [s.failure_cv for s in st])
    fc = np.where(fc == 5, GEOMETRIC_FROM_ZERO, fc)
    rc, ra, rb = dist([s.repair for s in st], [s.repair_cv for s in st])
    fmean = np.array([s.mtbf for s in st])
    rmean = np.array([s.mttr for s in st])
    span = (total_lag + max(size) * 2 + max(cap) + max(buf, default=0)
            + 8)
    width = 1 << math.ceil(math.log2(span))
    return _Arrays(
        np.array(kind, dtype=np.int64), np.array(first, dtype=np.int64),
        np.array(size, dtype=np.int64), np.array(cap, dtype=np.int64),
        np.array(buf, dtype=np.int64), np.array(lag, dtype=np.int64),
        soff, nsrv, np.ascontiguousarray(line.process_matrix()),
        np.ascontiguousarray(line.overload_matrix()), (pc, pa, pb),
        (fc, fmean, fa, fb), (rc, rmean, ra, rb), width,
        unit_of_buffer, not seg_at and all(s.parallel == 1 for s in st))


def _variants(line: Line, sequence: np.ndarray | None,
              mix: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    nv = line.n_variants
    if sequence is not None and mix is not None:
        raise InputError("<simulate>", None, "both a variant sequence and "
                         "a mix", "give one of them")
    if sequence is not None:
        seq = np.asarray(sequence, dtype=np.int64).ravel()
        if seq.size == 0 or seq.min() < 0 or seq.max() >= nv:
            raise InputError("<simulate>", "variant_sequence",
                             f"entries must be in 0..{nv - 1}",
                             "give variant indices of the line")
        return seq, np.ones(nv)
    if mix is None:
        if nv > 1:
            return np.arange(nv, dtype=np.int64), np.ones(nv)
        return np.zeros(1, dtype=np.int64), np.ones(1)
    w = np.asarray(mix, dtype=float).ravel()
    if w.size != nv or np.any(w < 0) or not w.sum() > 0:
        raise InputError("<simulate>", "variant_mix",
                         f"need {nv} non-negative weights",
                         "give one share per variant")
    cdf = np.cumsum(w / w.sum())
    cdf[-1] = 1.0
    return np.zeros(0, dtype=np.int64), cdf


def _grid_step(line: Line, horizon: float, grid_step: float | None) -> float:
    if grid_step is None:
        t = line.process_matrix()
        positive = t[t > 0]
        grid_step = float(positive.min()) / 2
    return max(grid_step, horizon / MAX_GRID)


def _grid(size: int) -> tuple[np.ndarray, ...]:
    """This thread's bottleneck grid arrays (reused: the kernel clears them).

    Fresh arrays of this size cost page faults worth a third of a short
    replication; one set per thread (at most ``MAX_GRID`` entries) is kept.
    """
    grid = getattr(_THREAD, "grid", None)
    if grid is None or grid[0].size != size:
        grid = (np.zeros(size), np.full(size, -1, dtype=np.int64),
                np.zeros(size), np.zeros(size))
        _THREAD.grid = grid
    return grid


#: The record arrays when nothing is recorded (the kernels get None).
_NO_RECORD: tuple[np.ndarray, ...] = (np.zeros(0), np.zeros((0, 0, 9)),
                                      np.zeros(0, dtype=np.int64),
                                      np.ones(3))


def _record_arrays(line: Line, a: _Arrays, horizon: float, warmup: float,
                   over_time: OverTime | None, trace: bool
                   ) -> tuple[tuple[np.ndarray, ...], tuple[float, float]]:
    """The kernel's ``rec`` argument, and the trace window.

    Without a request the arrays are empty (shared, never written; the
    kernels are given None).
    """
    n = len(line.stations)
    if over_time is None:
        return _NO_RECORD, (0.0, 0.0)
    n_bins = min(math.ceil(horizon / over_time.bin_width), MAX_BINS)
    r0 = warmup + over_time.trace_start
    r1 = min(r0 + over_time.trace_length, warmup + horizon)
    rows = 0
    if trace and r1 > r0:
        slowest = float(np.max(a.ptime.min(axis=1) / a.nsrv))
        hold = int(a.nsrv.sum() + sum(line.buffers))
        rows = trace_capacity(slowest, r1 - r0, hold)
    rec = (np.zeros(max(n_bins, 1)), np.zeros((n, rows, 9)),
           np.zeros(n, dtype=np.int64),
           np.array([over_time.bin_width, r0, r1]))
    return rec, (r0, r1)


def _entropy(ss: np.random.SeedSequence) -> int | tuple[int, ...]:
    e = ss.entropy
    if isinstance(e, (int, np.integer)):
        return int(e)
    return tuple(int(x) for x in e)  # type: ignore[union-attr]


def _check_times(horizon: float, warmup: float) -> None:
    if not (math.isfinite(horizon) and horizon > 0):
        raise InputError("<simulate>", "horizon", "must be > 0",
                         "give the simulated time after warm-up")
    if not (math.isfinite(warmup) and warmup >= 0):
        raise InputError("<simulate>", "warmup", "must be >= 0",
                         "give the warm-up time")


def simulate_replication(
    line: Line,
    *,
    horizon: float,
    warmup: float,
    seed_sequence: np.random.SeedSequence,
    variant_sequence: np.ndarray | None = None,
    variant_mix: np.ndarray | None = None,
    grid_step: float | None = None,
    detail: bool = True,
    over_time: OverTime | None = None,
) -> ReplicationResult:
    """Simulate one replication: a pure function of its arguments.

    Parameters
    ----------
    line
        The line.
    horizon
        Measured time after the warm-up (line time units).
    warmup
        Time simulated and then discarded.
    seed_sequence
        Drives all random draws (give ``SeedSequence(seed).spawn(n)[k]``
        for independent replications).
    variant_sequence
        Variant indices sent down the line in a cycle (default: all
        variants in turn).
    variant_mix
        Shares of variants drawn independently for each job (instead of a
        sequence).
    grid_step
        Time resolution of the bottleneck detection (default: half the
        shortest processing time).
    detail
        ``False`` keeps only throughput, WIP and flow time (no time
        fractions, buffer levels or bottleneck): a faster pass for
        searches.
    over_time
        Record the output per bin and a trace of the stations (see
        :class:`~taktplan.simulate.over_time.OverTime`; its
        ``replication`` is ignored here: this replication is traced).
        ``None`` (the default) records nothing and costs nothing.

    Returns
    -------
    ReplicationResult
        Throughput, time fractions, bottleneck shares, WIP, flow time and
        buffer levels over the window ``[warmup, warmup + horizon]``.
    """
    _check_times(horizon, warmup)
    start = time.perf_counter()
    a = _flatten(line)
    seq, cdf = _variants(line, variant_sequence, variant_mix)
    dt = _grid_step(line, horizon, grid_step) if detail else 2.0 * horizon
    if over_time is not None:
        over_time.check()
    rep = _replicate(line, a, seq, cdf, horizon, warmup, dt, seed_sequence,
                     detail, start, over_time, True)
    check_replication(line, rep)
    return rep


def _replicate(line: Line, a: _Arrays, seq: np.ndarray, cdf: np.ndarray,
               horizon: float, warmup: float, dt: float,
               seed_sequence: np.random.SeedSequence, detail: bool,
               start: float, over_time: OverTime | None = None,
               trace: bool = False) -> ReplicationResult:
    """One replication of a line already flattened (see the public one).

    Unchecked: the callers run the result checker.
    """
    from taktplan.simulate.kernel import bottleneck_shares, run_line
    from taktplan.simulate.serial_kernel import run_serial

    rng = np.random.Generator(np.random.PCG64(seed_sequence))
    w0, w1 = float(warmup), float(warmup + horizon)
    grid = _grid(math.ceil((w1 - w0) / dt))
    rec, window = _record_arrays(line, a, horizon, warmup, over_time, trace)
    # None compiles the kernels without the overload or record work
    # (with it their loops ran up to 25 % slower, measured)
    tail = (*grid, a.povl if a.povl.any() else None,
            rec if over_time is not None else None)
    if a.serial:
        acc, hist, who, _best, bs, be, sums, seg_acc = run_serial(
            rng, a.buf, a.ptime, *a.proc, *a.fail, *a.rep, seq, cdf, w0, w1,
            dt, a.width, detail, *tail)
    else:
        acc, hist, who, _best, bs, be, sums, seg_acc = run_line(
            rng, a.kind, a.first, a.size, a.cap, a.buf, a.lag, a.soff,
            a.nsrv, a.ptime, *a.proc, *a.fail, *a.rep, seq, cdf, w0, w1, dt,
            a.width, detail, *tail)
    n = len(line.stations)
    momentary, sole, shifting = bottleneck_shares(who, bs, be, n, w0, dt)
    span = dt * who.size
    fractions = acc / (horizon * a.nsrv[:, None])
    departures = int(sums[0])
    levels = []
    for b in range(n - 1):
        u = a.unit_of_buffer[b]
        if u < 0:
            levels.append(np.ones(1))
        else:
            h = hist[u, : line.buffers[b] + 1]
            levels.append(h / horizon)
    units = np.empty((a.kind.size, 5))
    for u in range(a.kind.size):
        i = int(a.first[u])
        units[u] = (seg_acc[u] / horizon if a.kind[u] == 1
                    else acc[i] / (horizon * a.nsrv[i]))
    bins, rows, counts, _ = rec
    tr = None
    if rows.shape[1] > 0:
        stations = tuple(rows[i, : min(int(counts[i]), rows.shape[1])]
                         .copy() for i in range(n))
        tr = Trace(window[0], window[1], stations,
                   tuple(int(x) for x in a.nsrv),
                   bool((counts > rows.shape[1]).any()))
    return ReplicationResult(
        seed_entropy=_entropy(seed_sequence),
        spawn_key=tuple(int(k) for k in seed_sequence.spawn_key),
        horizon=float(horizon), warmup=float(warmup),
        departures=departures, throughput=departures / horizon,
        fractions=fractions, momentary_share=momentary / span,
        sole_share=sole / span, shifting_share=shifting / span,
        wip=float(sums[1] / horizon),
        flow_time=float(sums[2] / departures) if departures else math.nan,
        buffer_levels=tuple(levels) if detail else (),
        runtime_s=time.perf_counter() - start, detailed=detail,
        jobs_in=int(sums[4]), wip_start=int(sums[5]), wip_end=int(sums[6]),
        unit_fractions=units if detail else np.zeros((0, 5)),
        output_bins=None if over_time is None else bins.astype(np.int64),
        trace=tr)


def _indexed_replication(
    line: Line, a: _Arrays, seq: np.ndarray, cdf: np.ndarray,
    horizon: float, warmup: float, dt: float, detail: bool,
    over_time: OverTime | None, traced: int,
    task: tuple[int, np.random.SeedSequence],
) -> tuple[int, ReplicationResult]:
    """Replication ``task[0]`` on its stream ``task[1]`` (an executor's
    task: module-level, so it pickles)."""
    k, ss = task
    return k, _replicate(line, a, seq, cdf, horizon, warmup, dt, ss,
                         detail, time.perf_counter(), over_time,
                         k == traced)


def simulate(
    line: Line,
    *,
    horizon: float,
    warmup: float,
    replications: int,
    seed: int,
    variant_sequence: np.ndarray | None = None,
    variant_mix: np.ndarray | None = None,
    calendar: ShiftCalendar | None = None,
    progress: Callable[[int, int], None] | None = None,
    grid_step: float | None = None,
    workers: int | None = None,
    detail: bool = True,
    over_time: OverTime | None = None,
    executor: ReplicationExecutor | None = None,
) -> SimulationResult:
    """Simulate ``replications`` independent replications of ``line``.

    Replication ``k`` draws from ``SeedSequence(seed).spawn(replications)
    [k]``, so results are reproducible and streams independent. See
    :func:`simulate_replication` for the parameters; ``calendar`` adds
    jobs per year (the simulated time is productive shift time, see
    :class:`ShiftCalendar`), ``progress(done, total)`` is called after each
    replication. ``workers`` threads run replications side by side (the
    kernel releases the GIL; default: one per core, ``1`` for serial);
    the numbers do not depend on it. ``over_time`` records the output
    per bin of every replication and a trace of one (off by default:
    see :class:`~taktplan.simulate.over_time.OverTime`); it changes no
    other number. ``executor`` runs the replications elsewhere (a Dask
    cluster, say) instead of on threads here: each is a pure function of
    its seed stream, so the numbers are the same.
    """
    if not (isinstance(replications, int) and replications >= 1):
        raise InputError("<simulate>", "replications", "must be >= 1",
                         "give the number of replications")
    if workers is None:
        workers = min(replications, os.cpu_count() or 1)
    start = time.perf_counter()
    streams = np.random.SeedSequence(seed).spawn(replications)
    _check_times(horizon, warmup)
    a = _flatten(line)
    seq, cdf = _variants(line, variant_sequence, variant_mix)
    dt = _grid_step(line, horizon, grid_step) if detail else 2.0 * horizon
    if over_time is not None:
        over_time.check()
    traced = -1 if over_time is None else over_time.replication
    index = {id(ss): k for k, ss in enumerate(streams)}

    def one(ss: np.random.SeedSequence) -> ReplicationResult:
        # the same as simulate_replication, the line flattened once
        return _replicate(line, a, seq, cdf, horizon, warmup, dt, ss,
                          detail, time.perf_counter(), over_time,
                          index[id(ss)] == traced)

    reps: list[ReplicationResult] = []
    if executor is not None:
        task = partial(_indexed_replication, line, a, seq, cdf, horizon,
                       warmup, dt, detail, over_time, traced)
        done: dict[int, ReplicationResult] = {}
        for k, rep in executor.imap_unordered(
                task, list(enumerate(streams))):
            done[k] = rep
            if progress is not None:
                progress(len(done), replications)
        reps = [done[k] for k in range(replications)]
    elif workers <= 1:
        for ss in streams:
            reps.append(one(ss))
            if progress is not None:
                progress(len(reps), replications)
    else:
        # the kernel releases the GIL: replications run on all cores
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for rep in pool.map(one, streams):
                reps.append(rep)
                if progress is not None:
                    progress(len(reps), replications)
    result = SimulationResult(
        names=line.names, replications=tuple(reps), seed=int(seed),
        units=tuple((int(f), int(f + m - 1))
                    for f, m in zip(a.first, a.size, strict=True)),
        time_unit_s=line.time_unit_s, calendar=calendar,
        runtime_s=time.perf_counter() - start)
    check_simulation(line, result)
    return result
