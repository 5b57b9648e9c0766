"""A Ctrl-C that compiled code can see, and where it may not be raised.

The command's mark of a Ctrl-C (:mod:`taktplan.cli.app` sets and
clears it; every output path checks it), read by the searches too.

The exact SALBP searches read the CPU clock in numba's object mode
(:func:`taktplan.balance._kernel._now`), the only Python they run. A
``KeyboardInterrupt`` raised there, or in numba's unpickling of the
object-mode call, can crash the process (a segmentation fault, exit
-11, no message: measured on ``taktplan balance`` with SIGINT 1.1 s
after the start, 3 times in 10). So the command's SIGINT handler marks
the stop here and, inside such code, does not raise but sends itself
the signal again: the clock reads infinite, the search ends at its next
deadline check, and the handler, called again in the Python that
follows, raises there.
"""

from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from types import FrameType

_stop = False

#: Source files whose Python runs inside compiled kernels (object mode),
#: as ``FrameType.f_code.co_filename`` ends.
_INSIDE_KERNELS = ("/taktplan/balance/_kernel.py",
                   "/taktplan/stop_request.py",
                   "/numba/core/serialize.py")


def request_stop() -> None:
    """Mark that the user asked to stop (Ctrl-C)."""
    global _stop
    _stop = True


def clear() -> None:
    """Forget an earlier stop (a new command starts)."""
    global _stop
    _stop = False


def stop_requested() -> bool:
    """Whether :func:`request_stop` was called since :func:`clear`."""
    return _stop


def inside_kernel(frame: FrameType | None) -> bool:
    """Whether ``frame`` is Python run by a compiled kernel, where an
    exception must not be raised (see the module text)."""
    return frame is not None and frame.f_code.co_filename.replace(
        "\\", "/").endswith(_INSIDE_KERNELS)


def cpu_clock() -> float:
    """CPU seconds of the process, or infinity once a stop was asked
    for, so that a search past its deadline ends at once."""
    return math.inf if _stop else time.process_time()
