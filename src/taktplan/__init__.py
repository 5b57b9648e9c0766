"""taktplan: design and prove assembly lines.

Takt and calendar (``taktplan.capacity``), line balancing
(``taktplan.balance``), mixed-model sequencing (``taktplan.sequence``),
line simulation (``taktplan.simulate``), experiments
(``taktplan.experiment``) and the plant plan with its report.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from taktplan.errors import InputError as InputError

if TYPE_CHECKING:
    from taktplan.plan_result import Plan

    __version__: str

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


def __getattr__(name: str) -> str:
    # __version__ on first use (PEP 562): importlib.metadata costs about
    # 0.05 s of CPU, a sixth of `taktplan balance` on a three-task line
    # (measured), and only --version and the experiment store ask.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            value = version("taktplan")
        except PackageNotFoundError:  # running from a source tree
            value = "0.0.0+src"
        globals()["__version__"] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
