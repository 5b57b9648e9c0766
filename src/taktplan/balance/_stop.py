"""Ctrl-C as compiled code reads it (numba).

:func:`stop_asked` is the one object-mode call of the large line's beams
and local searches (:mod:`._upper`, :mod:`.twosided._improve`); the
exact searches read the mark through their clock
(:func:`._kernel._now`). See :mod:`taktplan.stop_request`.
"""

from __future__ import annotations

import numba

from taktplan.stop_request import stop_requested


@numba.njit(cache=True)
def stop_asked() -> bool:
    """Whether Ctrl-C was pressed since the command (or the library
    call) started: 0.75 us a call, so a kernel may read it every few
    milliseconds of its work."""
    with numba.objmode(stop="boolean"):
        stop = stop_requested()
    return stop
