"""Where replications run: in this process, or on a Dask cluster.

An executor maps a picklable function over tasks and yields the results
as they complete (in any order). Dask's distributed scheduler does the
scheduling, the retries and the data movement; a task whose worker dies
is run again elsewhere by the scheduler, and because every task is a
pure function of its arguments the rerun gives the same result.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from taktplan.errors import InputError

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
        """Close the client (and the local cluster if we started it)."""
        self.client.close()
        if self.owns_cluster is not None:
            self.owns_cluster.close()


def local_cluster_executor(workers: int) -> DaskExecutor:
    """Start a LocalCluster of ``workers`` processes, one thread each."""
    from distributed import Client, LocalCluster

    if workers < 1:
        raise InputError("<command line>", "--workers", "must be >= 1",
                         "give the number of worker processes")
    # Each worker runs under a nanny that restarts it if it dies; the
    # dashboard takes any free port (8787 may be taken).
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1,
                           processes=True, dashboard_address=":0",
                           silence_logs=40)
    return DaskExecutor(Client(cluster), name=f"local-{workers}",
                        owns_cluster=cluster)


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
