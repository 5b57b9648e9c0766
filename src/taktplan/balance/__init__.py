"""Line balancing: SALBP-1, SALBP-2 and mixed-model lines.

Public entry points:

- :func:`solve_salbp1` fewest stations for a cycle time (exact BB&R);
- :func:`solve_salbp2` shortest cycle for a station count;
- :func:`balance_mixed_model` the plant's mixed-model line;
- :func:`check_line` the independent checker every solver calls.

The SALBP-2 and mixed-model names are loaded on first use (PEP 562):
they import numba and the compiled kernels, which a small SALBP-1
instance does not need (see :mod:`.salbp1`).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from taktplan.balance.check import InvalidLineError as InvalidLineError
from taktplan.balance.check import check_line as check_line
from taktplan.balance.problem import SalbpProblem as SalbpProblem
from taktplan.balance.result import SalbpResult as SalbpResult
from taktplan.balance.salbp1 import solve_salbp1 as solve_salbp1

if TYPE_CHECKING:
    from taktplan.balance.mixed import MixedModelBalance as MixedModelBalance
    from taktplan.balance.mixed import MixedModelProblem as MixedModelProblem
    from taktplan.balance.mixed import (
        balance_mixed_model as balance_mixed_model,
    )
    from taktplan.balance.salbp2 import solve_salbp2 as solve_salbp2

#: Names loaded on first use, and the module of each.
_LAZY = {"MixedModelBalance": "mixed", "MixedModelProblem": "mixed",
         "balance_mixed_model": "mixed", "solve_salbp2": "salbp2"}

__all__ = [
    "InvalidLineError",
    "MixedModelBalance",
    "MixedModelProblem",
    "SalbpProblem",
    "SalbpResult",
    "balance_mixed_model",
    "check_line",
    "solve_salbp1",
    "solve_salbp2",
]


def __getattr__(name: str) -> object:
    if name in _LAZY:
        return getattr(import_module(f"taktplan.balance.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
