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
in the calling process. What to compile lives beside the kernels
(:mod:`taktplan.balance.warmup`, :mod:`taktplan.sequence.warmup`,
:mod:`taktplan.simulate.warmup`); this module only runs the child.
"""

from __future__ import annotations

import subprocess
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from types import TracebackType

#: What the child reports, in this order, as it fills the cache.
BALANCE = "balance"
SIMULATION = "simulation"


class BackgroundCompile:
    """A child process that fills numba's cache (see the module).

    Use as a context manager around the work it overlaps; call
    :meth:`start` once the inputs have passed their checks, and
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
        self._started = False
        self.done: set[str] = set()

    def __enter__(self) -> BackgroundCompile:
        return self

    def start(self) -> None:
        """Start the child (once), unless numba's cache already holds
        its last kernel."""
        if self._started:
            return
        self._started = True
        # numba loads here, not when the pipeline imports this module:
        # `import taktplan.pipeline` takes 1.5 s without numba and scipy
        # against 10 s with them (python -X importtime, loaded machine),
        # paid before a bad scenario can be reported.
        from taktplan.simulate.warmup import is_cached

        if is_cached():
            return
        try:
            self._child = subprocess.Popen(
                [sys.executable, "-m", "taktplan.precompile"],
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL)
        except OSError:
            self._child = None

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


def compile_child_share() -> None:
    """The child's work: the balancing helpers, then the simulation
    kernel, saying each stage on standard output when it is done."""
    from taktplan.balance.warmup import compile_balance_helpers
    from taktplan.simulate.warmup import warm_up

    compile_balance_helpers()
    print(BALANCE, flush=True)
    warm_up()
    print(SIMULATION, flush=True)


if __name__ == "__main__":
    try:
        compile_child_share()
    except KeyboardInterrupt:
        sys.exit(130)
