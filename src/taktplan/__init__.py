"""taktplan: design and prove assembly lines.

Takt and calendar (``taktplan.capacity``), line balancing
(``taktplan.balance``), mixed-model sequencing (``taktplan.sequence``),
line simulation (``taktplan.simulate``), experiments
(``taktplan.experiment``) and the plant plan with its report.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

from taktplan.errors import InputError as InputError

if TYPE_CHECKING:
    from taktplan.plan_result import Plan

try:
    __version__ = version("taktplan")
except PackageNotFoundError:  # running from a source tree
    __version__ = "0.0.0+src"

__all__ = ["InputError", "__version__", "plan", "plan_to_dict"]


def plan(*args: Any, **kwargs: Any) -> Plan:
    """Plan a plant; see :func:`taktplan.pipeline.plan` (imported lazily)."""
    from taktplan.pipeline import plan as _plan

    return _plan(*args, **kwargs)


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """The plan's numbers as a JSON-ready dict; see
    :func:`taktplan.plan_json.plan_to_dict` (imported lazily)."""
    from taktplan.plan_json import plan_to_dict as _plan_to_dict

    return _plan_to_dict(plan)
