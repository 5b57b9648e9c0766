"""Where replications run: in this process, or on a Dask cluster.

An executor maps a picklable function over tasks and yields the results
as they complete (in any order). Dask's distributed scheduler does the
scheduling, the retries and the data movement; a task whose worker dies
is run again elsewhere by the scheduler, and because every task is a
pure function of its arguments the rerun gives the same result.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import tempfile
import uuid
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any, Protocol, TypeVar

from taktplan.errors import InputError
from taktplan.experiment.interrupts import sigint_deferred

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

T = TypeVar("T")
R = TypeVar("R")


class Executor(Protocol):
    """Runs ``fn`` over tasks, yielding results as they complete."""

    name: str

    @property
    def workers(self) -> int:
        """How many tasks can run at once."""
        ...

    def imap_unordered(self, fn: Callable[[T], R],
                       tasks: Sequence[T]) -> Iterator[R]:
        """Yield ``fn(task)`` for every task, in completion order."""
        ...

    def close(self) -> None:
        """Release what the executor started."""
        ...


@dataclass
class InProcessExecutor:
    """Runs every task here, one after the other, in order."""

    name: str = "in-process"

    @property
    def workers(self) -> int:
        """One: tasks run here, one at a time."""
        return 1

    def imap_unordered(self, fn: Callable[[T], R],
                       tasks: Sequence[T]) -> Iterator[R]:
        """Yield ``fn(task)`` for each task in turn."""
        for task in tasks:
            yield fn(task)

    def close(self) -> None:
        """Nothing to release."""


@dataclass
class DaskExecutor:
    """Runs tasks on a dask.distributed cluster through ``client``.

    ``retries`` re-runs a task that raised (a lost worker is handled by
    the scheduler itself, up to its ``allowed-failures``).
    """

    client: Any
    name: str = "dask"
    retries: int = 2
    owns_cluster: Any = None
    key_prefix: str = field(
        default_factory=lambda: f"taktplan-{uuid.uuid4().hex[:12]}")
    _submitted: int = field(default=0, repr=False)

    @property
    def workers(self) -> int:
        """Worker threads of the cluster (at least 1)."""
        info = self.client.scheduler_info()["workers"].values()
        return max(1, sum(int(w.get("nthreads", 1)) for w in info))

    def imap_unordered(self, fn: Callable[[T], R],
                       tasks: Sequence[T]) -> Iterator[R]:
        """Submit every task, yield results as they complete."""
        from distributed import as_completed

        base = self._submitted
        self._submitted += len(tasks)
        futures = [self.client.submit(fn, t, pure=False,
                                      retries=self.retries,
                                      key=f"{self.key_prefix}-{base + i}")
                   for i, t in enumerate(tasks)]
        try:
            for fut in as_completed(futures):
                yield fut.result()
                fut.release()
        finally:
            for fut in futures:
                fut.cancel()

    def close(self) -> None:
        """Close the client (and the local cluster if we started it).

        A cluster of our own is torn down with dask's logs silenced, and
        they stay so: a nanny whose worker a terminal's Ctrl-C (sent to
        the whole process group) killed can log a ``CancelledError``
        traceback at ERROR while it closes, after the command's one line
        (once in a fresh-clone CI run under load, 2026-12-08); the rows
        are in the store by then, and nothing in that teardown is for
        the user to act on.
        """
        if self.owns_cluster is not None:
            logging.getLogger("distributed").setLevel(logging.CRITICAL)
        self.client.close()
        if self.owns_cluster is not None:
            self.owns_cluster.close()


@contextlib.contextmanager
def children_stderr(log: IO[bytes]) -> Iterator[None]:
    """Give processes started in the block ``log`` as their standard
    error (they inherit file descriptor 2); this process gets its own
    back on leaving. A worker that a terminal's Ctrl-C (sent to the whole
    process group) kills then prints its traceback there, not under the
    command's one line."""
    sys.stderr.flush()
    saved = os.dup(2)
    os.dup2(log.fileno(), 2)
    try:
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)


def _last_line(log: IO[bytes]) -> str:
    log.seek(0)
    lines = [ln.strip() for ln in log.read().decode(errors="replace")
             .splitlines() if ln.strip()]
    return lines[-1] if lines else ""


def local_cluster_executor(workers: int, attempts: int = 2
                           ) -> DaskExecutor:
    """Start a LocalCluster of ``workers`` processes, one thread each.

    Ctrl-C while the cluster starts is held until the start ends, then
    the cluster is stopped and :class:`KeyboardInterrupt` raised
    (interrupted half-way, a start left leaked semaphores behind, or
    ended in "Nanny failed to start"). The workers write their standard
    error to a temporary file. A start that fails otherwise (a worker
    killed while it started) is tried ``attempts`` times, then refused
    in one line with the last line the workers wrote.
    """
    from distributed import Client, LocalCluster

    if workers < 1:
        raise InputError("<command line>", "--workers", "must be >= 1",
                         "give the number of worker processes")
    # the workers keep writing to it while they live: no with-block
    log = tempfile.TemporaryFile()  # noqa: SIM115
    for attempt in range(1, attempts + 1):
        with sigint_deferred() as interrupted, children_stderr(log):
            try:
                # Each worker runs under a nanny that restarts it if it
                # dies; the dashboard takes any free port (8787 may be
                # taken).
                cluster = LocalCluster(n_workers=workers,
                                       threads_per_worker=1,
                                       processes=True,
                                       dashboard_address=":0",
                                       silence_logs=40)
                executor = DaskExecutor(Client(cluster),
                                        name=f"local-{workers}",
                                        owns_cluster=cluster)
            except Exception as exc:
                failure: Exception | None = exc
            else:
                failure = None
                if interrupted:
                    executor.close()
        if interrupted:
            raise KeyboardInterrupt
        if failure is None:
            return executor
        if attempt == attempts:
            reason = _last_line(log) or " ".join(str(failure).split()) \
                or type(failure).__name__
            raise InputError(
                "<command line>", f"--workers {workers}",
                f"the local Dask cluster did not start in {attempts} "
                f"attempts ({reason[:200]})",
                "run the command again, or without --workers") from None
    raise AssertionError("unreachable")  # pragma: no cover


def scheduler_executor(address: str, timeout_s: float = 10.0
                       ) -> DaskExecutor:
    """Connect to an existing scheduler (``tcp://HOST:PORT``)."""
    import socket
    from urllib.parse import urlsplit

    from distributed import Client

    where = f"--scheduler {address}"
    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    try:
        host, port = parts.hostname, parts.port
    except ValueError:
        host, port = None, None
    if not host or not port:
        raise InputError("<command line>", where, "is not tcp://HOST:PORT",
                         "give the scheduler's address, e.g. "
                         "tcp://10.0.0.5:8786")
    try:
        # Fail at once on a refused connection (the client would retry
        # until its timeout).
        socket.create_connection((host, port), timeout=timeout_s).close()
        client = Client(address, timeout=timeout_s)
    except (OSError, TimeoutError, ValueError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError("<command line>", where,
                         f"no Dask scheduler answers there ({reason})",
                         "start one with `dask scheduler` or check the "
                         "host and port") from None
    return DaskExecutor(client, name=f"scheduler {address}")
