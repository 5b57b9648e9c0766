"""The ``taktplan`` console script: Ctrl-C while it starts is one line.

Importing the command line (typer, rich, the commands) and typer's
building of the commands take about a tenth of a second, before the
command's own handler (:func:`taktplan.cli.app.guarded`) is in place; a
Ctrl-C then printed a ``KeyboardInterrupt`` traceback and ended the
process by the signal (exit -2; 2 of 30 SIGINTs sent 0.05-0.9 s after
the start, measured). This module imports nothing but the standard
library, so its handler is in place before the rest loads. (Python's
own start-up, the first 0.02 s, comes before any code of ours.)
"""

from __future__ import annotations

import os
import signal
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from types import FrameType


def _interrupted_while_starting(signum: int,
                                frame: FrameType | None) -> None:
    # nothing was computed or written yet: leave at once, as documented
    sys.stderr.write("error: interrupted; no partial output was written\n")
    sys.stderr.flush()
    os._exit(130)


def main() -> None:
    """Run the command line (:func:`taktplan.cli.main`), a Ctrl-C before
    the command's own handler takes over (the import, typer building
    the commands from their signatures, parsing the flags) ending the
    process with exit 130 and the one line."""
    signal.signal(signal.SIGINT, _interrupted_while_starting)
    from taktplan.cli import main as run

    run()
