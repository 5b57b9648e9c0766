"""Compile kernels in a second process while the plan works.

numba compiles each kernel on its first call and keeps the machine code
in its on-disk cache. On a fresh checkout the plan therefore spends most
of its first run compiling. On two cores the work is split: the plan
compiles the depth-first balancing search while a child process
compiles, on tiny inputs (same argument types, so the same machine
code), the other balancing kernels (the beam and best-first searches,
the greedy heuristic, the smoothing); then the plan balances and
compiles the sequencing kernels while the child compiles the simulation
kernel. The plan waits for the child's word before it balances and
before it simulates, and then only loads the cache.

Run as ``python -m taktplan.precompile`` it compiles the child's share
in the calling process.
"""

from __future__ import annotations

import subprocess
import sys
from types import TracebackType

import numpy as np

#: What the child reports, in this order, as it fills the cache.
BALANCE = "balance"
SIMULATION = "simulation"


def _tiny_balance():  # noqa: ANN202  (a Prepared)
    """The balance warm-up's 4-task instance (search cannot be skipped)."""
    from taktplan.balance.warmup import tiny_instance

    return tiny_instance()[0]


def compile_depth_first() -> None:
    """Compile (or load) the depth-first balancing search, in this process."""
    from taktplan.balance.exact import run_search

    run_search(_tiny_balance(), 4, 1, 60.0, use_mt=False)


def compile_balance_helpers() -> None:
    """Compile the beam search, the heuristic and the smoothing (the mixed
    balance's variants, without bin packing).

    The plan compiles the depth-first search itself meanwhile, and finds
    these in the cache when its warm-up reaches them.
    """
    from taktplan.balance.exact import run_search
    from taktplan.balance.heuristic import greedy_lines
    from taktplan.balance.smooth import smooth_loads

    prep = _tiny_balance()
    run_search(prep, 4, 1, 60.0, width=1, use_mt=False)
    greedy_lines(prep, 2, 0)
    t = np.array([[3.0, 2.0], [3.0, 4.0], [2.0, 2.0], [2.0, 1.0]])
    smooth_loads(t, np.array([0.5, 0.5]), np.array([0, 0, 1, 1]), 2,
                 prep.pred_ptr, prep.pred_idx, prep.succ_ptr, prep.succ_idx,
                 5.0, 6.0, np.arange(4, dtype=np.int64), 2)


def compile_sequencing_kernels() -> None:
    """Run the car-sequencing and overload kernels once, tiny."""
    from taktplan.plant.overload import reduce_overload
    from taktplan.sequence import CarSequencingInstance, solve_car_sequencing

    instance = CarSequencingInstance(
        class_counts=np.array([2, 2], dtype=np.int64),
        options=np.array([[1], [0]], dtype=np.int64),
        p=np.array([1], dtype=np.int64), q=np.array([2], dtype=np.int64),
        class_names=("a", "b"), option_names=("r",))
    result = solve_car_sequencing(instance, time_limit=5.0, seed=0,
                                  exact=False, max_iterations=100)
    loads = np.array([[2.0, 1.0], [1.0, 2.0]])
    reduce_overload(result.sequence, loads, 1.5, 0.2, seed=0, max_moves=10)


def compile_simulation_kernels(serial: bool = False) -> None:
    """Run the simulation kernel once on a plant-like line, tiny.

    The line has what the plant's lines have: a paced segment, a
    parallel station, failures with lognormal repairs, two variants,
    work overload; it runs with the over-time record (the plan's years)
    and without (its what-if screening). With ``serial`` also the kernel
    of plain serial lines, which the plan does not use.
    """
    from taktplan.simulate import simulate
    from taktplan.simulate.model import Line, Station
    from taktplan.simulate.over_time import OverTime

    times = np.array([1.0, 0.8])
    line = Line(
        stations=(
            Station("a", times, mtbf=50.0, mttr=2.0, repair="lognormal",
                    repair_cv=0.5, overload_times=np.array([0.2, 0.0])),
            Station("b", times, mtbf=50.0, mttr=2.0),
            Station("c", times * 1.5, parallel=2),
        ),
        buffers=(0, 2), segments=((0, 1),))
    for record in (None, OverTime(50.0, 0.0, 100.0)):
        simulate(line, horizon=200.0, warmup=10.0, replications=1, seed=0,
                 variant_sequence=np.array([0, 1], dtype=np.int64),
                 workers=1, over_time=record)
    if serial:
        plain = Line(stations=(Station("d", times, mtbf=50.0, mttr=2.0),
                               Station("e", times)), buffers=(1,))
        simulate(plain, horizon=200.0, warmup=10.0, replications=1, seed=0,
                 workers=1)


class BackgroundCompile:
    """A child process that fills numba's cache (see the module).

    Use as a context manager around the work it overlaps, and call
    :meth:`wait` before the first stage that needs those kernels. The
    child is stopped on leaving the context if it is still running (an
    error or Ctrl-C in the parent), and a child that fails costs nothing
    but the time: the parent then compiles the kernels itself.

    Attributes
    ----------
    done
        The stages the child has reported compiled.
    """

    def __init__(self) -> None:
        self._child: subprocess.Popen[bytes] | None = None
        self.done: set[str] = set()

    def __enter__(self) -> BackgroundCompile:
        if _simulation_cached():
            return self
        try:
            self._child = subprocess.Popen(
                [sys.executable, "-m", "taktplan.precompile"],
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL)
        except OSError:
            self._child = None
        return self

    def wait(self, stage: str = SIMULATION) -> None:
        """Block until the child has compiled ``stage`` (or has failed).

        ``stage`` is :data:`BALANCE` (the balancing kernels other than
        the depth-first search) or :data:`SIMULATION` (everything).
        """
        child = self._child
        if child is None or stage in self.done:
            return
        assert child.stdout is not None
        for line in child.stdout:
            self.done.add(line.decode().strip())
            if stage in self.done:
                break
        if stage == SIMULATION or stage not in self.done:
            self._end(kill=False)

    def _end(self, *, kill: bool) -> None:
        child, self._child = self._child, None
        if child is not None:
            if kill:
                child.kill()
            child.wait()
            if child.stdout is not None:
                child.stdout.close()

    def __exit__(self, exc_type: type[BaseException] | None,
                 exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._end(kill=True)


def _simulation_cached() -> bool:
    """Whether numba's cache already holds the plan's simulation kernel
    (the child's last work: then it has nothing left to do)."""
    try:
        from pathlib import Path

        from taktplan.simulate import kernel

        cache = kernel.run_line._cache  # noqa: SLF001  (numba's own)
        return Path(cache._cache_path,  # noqa: SLF001
                    cache._cache_file._index_name).exists()  # noqa: SLF001
    except Exception:  # noqa: BLE001  (any doubt: compile ahead)
        return False


if __name__ == "__main__":
    try:
        compile_balance_helpers()
        print(BALANCE, flush=True)
        compile_simulation_kernels()
        print(SIMULATION, flush=True)
    except KeyboardInterrupt:
        sys.exit(130)
