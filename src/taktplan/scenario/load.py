"""Loading a scenario from TOML, with one clear message per mistake."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from taktplan.errors import InputError, key_path
from taktplan.files import read_toml
from taktplan.scenario.checks import check_scenario
from taktplan.scenario.model import Scenario

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails

BUILTIN = "lcv_plant"
_FIX_DOC = "see README.md, 'The scenario format'"


def builtin_scenario_path(name: str = BUILTIN) -> Path:
    """Path of a built-in scenario shipped with the package."""
    ref = resources.files("taktplan.scenarios") / f"{name}.toml"
    return Path(str(ref))


def _describe(error: ErrorDetails, data: dict[str, Any]) -> tuple[str, str]:
    kind = error["type"]
    loc = tuple(p for p in error["loc"]
                if not (isinstance(p, str) and p.startswith("function-")))
    if kind == "extra_forbidden":
        return (f"unknown key '{loc[-1]}'",
                f"remove it or correct its spelling ({_FIX_DOC})")
    if kind == "missing":
        return "required key is missing", f"add it ({_FIX_DOC})"
    given = error.get("input")
    text = error["msg"]
    if isinstance(given, float) and given != given:
        text = "is NaN"
    elif kind == "finite_number":
        text = "is not a finite number"
    elif not isinstance(given, dict | list):
        text = f"{text} (got {given!r})"
    return text, "correct the value"


def is_scenario(raw: dict[str, Any]) -> bool:
    """Whether a TOML file's dict is a plant scenario: it has ``[meta]``
    and ``[[segments]]`` (a line given alone has neither)."""
    return "segments" in raw and "meta" in raw


def parse_scenario(data: dict[str, Any], source: str | Path) -> Scenario:
    """Validate a scenario dict, raising :class:`InputError` on mistakes."""
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        # An unknown key is usually a misspelt one, which also leaves a
        # required key missing: name the misspelling first.
        errors = sorted(exc.errors(),
                        key=lambda e: e["type"] != "extra_forbidden")
        first = errors[0]
        problem, fix = _describe(first, data)
        loc = tuple(p for p in first["loc"] if not (
            isinstance(p, str) and p.startswith("function-")))
        raise InputError(source, key_path(loc), problem, fix) from None
    check_scenario(scenario, source)
    return scenario


def load_scenario(path: str | Path | None = None) -> Scenario:
    """Load and check a scenario file (the built-in plant when ``None``)."""
    source = builtin_scenario_path() if path is None else Path(path)
    return parse_scenario(read_toml(source), source)
