"""Loading a scenario from TOML, with one clear message per mistake."""

from __future__ import annotations

import re
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from taktplan.errors import InputError
from taktplan.files import decode_utf8
from taktplan.limits import MAX_TOML_DEPTH
from taktplan.scenario.checks import check_scenario
from taktplan.scenario.model import Scenario

BUILTIN = "lcv_plant"
_FIX_DOC = "see README.md, 'The scenario format'"


def builtin_scenario_path(name: str = BUILTIN) -> Path:
    """Path of a built-in scenario shipped with the package."""
    ref = resources.files("taktplan.scenarios") / f"{name}.toml"
    return Path(str(ref))


def read_toml(path: str | Path) -> dict[str, Any]:
    """Read a TOML file into a dict, or raise :class:`InputError`."""
    source = Path(path)
    try:
        raw = source.read_bytes()
    except FileNotFoundError:
        raise InputError(source, None, "file not found",
                         "check the path") from None
    except IsADirectoryError:
        raise InputError(source, None, "is a directory, not a file",
                         "give the path of a .toml file") from None
    except OSError as exc:
        raise InputError(source, None, f"cannot be read ({exc.strerror})",
                         "check the path and its permissions") from None
    text = decode_utf8(source, raw)
    deep = _too_deep(text)
    if deep is not None:
        raise InputError(source, f"line {deep}", f"arrays or tables nested "
                         f"more than {MAX_TOML_DEPTH} deep",
                         "flatten the value (no scenario or line key nests "
                         "that deep)")
    try:
        return tomllib.loads(text)
    except RecursionError:
        raise InputError(source, None, "nested too deeply to read",
                         "flatten the nested arrays or tables") from None
    except tomllib.TOMLDecodeError as exc:
        where, problem = _toml_place(str(exc))
        if where is None and "end of document" in str(exc):
            where = f"line {text.count(chr(10)) + 1} (end of file)"
        raise InputError(source, where, f"is not valid TOML ({problem})",
                         "fix the TOML syntax there") from None


def _too_deep(text: str) -> int | None:
    """The line where brackets and braces first nest deeper than
    :data:`~taktplan.limits.MAX_TOML_DEPTH` (strings and comments are
    skipped), or ``None``. The TOML reader recurses per level, so a deep
    file would otherwise end in a RecursionError."""
    depth = 0
    line = 1
    quote = ""
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\n":
            line += 1
            if quote in ('"', "'"):
                quote = ""
        elif quote:
            if ch == "\\" and quote in ('"', '"""'):
                i += 1
            elif text.startswith(quote, i):
                i += len(quote) - 1
                quote = ""
        elif ch == "#":
            end = text.find("\n", i)
            i = len(text) if end < 0 else end
            continue
        elif ch in "\"'":
            quote = ch * 3 if text.startswith(ch * 3, i) else ch
            i += len(quote) - 1
        elif ch in "[{":
            depth += 1
            if depth > MAX_TOML_DEPTH:
                return line
        elif ch in "]}":
            depth = max(0, depth - 1)
        i += 1
    return None


def _toml_place(message: str) -> tuple[str | None, str]:
    match = re.search(r"\(at line (\d+), column (\d+)\)", message)
    problem = re.sub(r"\s*\(at .*?\)", "", message).strip() or "syntax"
    if match:
        return f"line {match.group(1)}, column {match.group(2)}", problem
    return None, problem


def key_path(loc: tuple[int | str, ...]) -> str:
    """Render a pydantic error location as ``tasks[3].times_s.SCP``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


def _describe(error: dict[str, Any], data: dict[str, Any]) -> tuple[str,
                                                                    str]:
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
