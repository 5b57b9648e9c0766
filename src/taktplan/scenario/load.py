"""Loading a scenario from TOML, with one clear message per mistake."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from taktplan.errors import InputError, key_path
from taktplan.files import read_toml
from taktplan.scenario.checks import check_scenario, toml_task_place
from taktplan.scenario.model import Scenario
from taktplan.scenario.tasklist import TaskList, read_task_list

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails

    from taktplan.scenario.checks import TaskPlace

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


@dataclass(frozen=True)
class LoadedScenario:
    """A checked scenario and the task-list file its tasks came from.

    ``task_list`` is ``None`` when the tasks are ``[[tasks]]`` tables of
    the scenario file itself.
    """

    scenario: Scenario
    source: str
    task_list: TaskList | None


def parse_scenario(data: dict[str, Any], source: str | Path) -> Scenario:
    """Validate a scenario dict, raising :class:`InputError` on mistakes.

    ``tasks`` may name a task-list file (CSV or XLSX) relative to
    ``source``'s folder instead of holding ``[[tasks]]`` tables.
    """
    return parse_scenario_source(data, source).scenario


def parse_scenario_source(data: dict[str, Any],
                          source: str | Path) -> LoadedScenario:
    """:func:`parse_scenario`, keeping the task list read (if any)."""
    spec = data.get("tasks")
    if not isinstance(spec, str | dict):
        scenario = _validate(data, source)
        check_scenario(scenario, source)
        return LoadedScenario(scenario, str(source), None)
    path, sheet = _task_file(spec, source)
    shell = _validate({**data, "tasks": []}, source)
    tasks = read_task_list(path, shell.variant_ids, sheet)
    scenario = shell.model_copy(update={"tasks": tasks.tasks})
    check_scenario(scenario, source, place=tasks.place)
    return LoadedScenario(scenario, str(source), tasks)


def inline_task_list(data: dict[str, Any],
                     source: str | Path) -> dict[str, Any]:
    """``data`` with a named task-list file replaced by its tasks.

    For those who work on the raw dict (sweeps address and hash it): the
    tasks become ``[[tasks]]`` tables, so an edited task list changes
    the dict. Other dicts are returned as they are.
    """
    if not isinstance(data.get("tasks"), str | dict):
        return data
    tasks = parse_scenario_source(data, source).scenario.tasks
    return {**data, "tasks": [t.model_dump(exclude_defaults=True)
                              for t in tasks]}


def _task_file(spec: str | dict[str, Any],
               source: str | Path) -> tuple[Path, str | None]:
    """The task-list path (relative to the scenario's folder) and sheet."""
    if isinstance(spec, dict):
        unknown = sorted(set(spec) - {"file", "sheet"})
        if unknown:
            raise InputError(source, f"tasks.{unknown[0]}",
                             f"unknown key '{unknown[0]}'",
                             'give tasks = { file = "tasks.xlsx", '
                             'sheet = "tasks" } or tasks = "FILE"')
        name, sheet = spec.get("file"), spec.get("sheet")
        if not isinstance(name, str) or not name:
            raise InputError(source, "tasks.file", "required key is "
                             "missing or not a file name",
                             "give the task list's file name")
        if sheet is not None and not isinstance(sheet, str):
            raise InputError(source, "tasks.sheet", "is not a sheet name",
                             "give the worksheet's name as text")
    else:
        name, sheet = spec, None
    path = Path(name)
    if not path.is_absolute():
        path = Path(source).parent / path
    if not path.exists():
        raise InputError(source, "tasks", f"task list '{name}' not found "
                         f"(looked for {path})", "check the file name; it "
                         "is relative to the scenario file's folder")
    return path, sheet


def _validate(data: dict[str, Any], source: str | Path) -> Scenario:
    try:
        return Scenario.model_validate(data)
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


def load_scenario(path: str | Path | None = None) -> Scenario:
    """Load and check a scenario file (the built-in plant when ``None``)."""
    return load_scenario_source(path).scenario


def load_scenario_source(path: str | Path | None = None) -> LoadedScenario:
    """:func:`load_scenario`, keeping the task list read (if any)."""
    source = builtin_scenario_path() if path is None else Path(path)
    loaded = parse_scenario_source(read_toml(source), source)
    if path is None:
        return LoadedScenario(loaded.scenario, "built-in", None)
    return loaded


def task_places(path: str | Path) -> TaskPlace | None:
    """Where the scenario file at ``path`` had each of its tasks read: the
    task list's places (its rows and cells), or ``None`` for ``[[tasks]]``
    tables (their default ``tasks[i]`` is right).

    For those who validate the scenario's raw dict with its task list
    inlined (sweeps): the tasks keep the list's order, so the places
    hold for them.
    """
    loaded = load_scenario_source(path)
    return None if loaded.task_list is None else loaded.task_list.place


def lazy_task_places(path: str | Path) -> TaskPlace:
    """:func:`task_places` of ``path``, read only when an error names a
    task (a sweep's design points then read no file again)."""

    def at(index: int, field: str | None = None) -> tuple[str, str]:
        found = task_places(path) or toml_task_place(path)
        return found(index, field)

    return at
