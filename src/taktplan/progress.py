"""Progress bars for the plan's stages, in a terminal or a notebook.

:func:`stage_bars` opens one rich bar per stage (capacity, ramp-up,
balancing, sequencing, simulating, trying changes) and returns the
``(stage, fraction done)`` callback that :func:`taktplan.pipeline.plan`
calls. A finished bar stays on screen with its time. rich draws in a
Jupyter notebook as well as in a terminal; :func:`in_notebook` tells
``plan()`` to show the bars there without being asked.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

#: A stage callback: stage name and the fraction of it done (0 to 1).
StageProgress = Callable[[str, float], None]

#: The bar's label of each stage of the plan.
STAGES = {"capacity": "Capacity", "rampup": "Ramp-up and stock",
          "balance": "Balancing", "sequence": "Sequencing",
          "simulate": "Simulating a year", "improve": "Trying changes"}


def in_notebook() -> bool:
    """Whether this runs in a Jupyter (IPython kernel) session."""
    shell = sys.modules.get("IPython")
    get = getattr(shell, "get_ipython", None)
    ip = get() if callable(get) else None
    return ip is not None and "IPKernelApp" in getattr(ip, "config", {})


@contextmanager
def stage_bars(console: Console | None = None
               ) -> Iterator[StageProgress]:
    """Show a bar per stage while the block runs; yield the callback.

    Bars are not transient: each finished stage keeps its bar at 100 %
    with the time it took; if the block raises they are cleared, so that
    the error is the only line left.
    """
    console = console or Console(stderr=True)
    with Progress(TextColumn("{task.description:<20}"), BarColumn(),
                  TextColumn("{task.percentage:>3.0f}%"),
                  TimeElapsedColumn(), console=console,
                  transient=False) as bars:
        tasks: dict[str, TaskID] = {}

        def report(stage: str, done: float) -> None:
            if stage not in tasks:
                tasks[stage] = bars.add_task(STAGES.get(stage, stage),
                                             total=1.0)
            bars.update(tasks[stage], completed=done)

        try:
            yield report
        except BaseException:
            # An error stays the only line on standard error.
            bars.live.transient = True
            raise
