"""KEY paths into a raw input dict, and the values a sweep gives them.

A KEY is a dotted path into the TOML dict *before* validation: a dict is
entered by its key, a list by the item's index or by the value of its
``name`` (or ``id``) key. So ``buffers.3`` is the fourth buffer of a line
file, ``stations.S7.mttr`` the repair time of station ``S7`` and
``segments.paint.buffer_after`` the buffer after the paint segment of a
plant scenario. A line file also accepts a leading ``line.`` (the issue's
``line.buffers.3``).
"""

from __future__ import annotations

import copy
import math
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from taktplan.errors import InputError
from taktplan.limits import MAX_DESIGN_POINTS

CLI = "<command line>"
Value = int | float | bool | str


def _item_names(items: list[Any]) -> list[str]:
    names = []
    for item in items:
        if isinstance(item, dict):
            for k in ("name", "id"):
                if isinstance(item.get(k), str):
                    names.append(item[k])
                    break
    return names


def _step(node: Any, part: str, key: str, source: str) -> tuple[Any, Any]:
    """The child of ``node`` at ``part`` and the index/key to reach it."""
    if isinstance(node, dict):
        if part not in node:
            known = ", ".join(sorted(map(str, node))) or "none"
            raise InputError(source, key, f"unknown key '{part}'",
                             f"use one of: {known}")
        return node[part], part
    if isinstance(node, list):
        if part.lstrip("-").isdigit():
            i = int(part)
            if not 0 <= i < len(node):
                raise InputError(source, key,
                                 f"index {i} is out of range (the list has "
                                 f"{len(node)} items)",
                                 f"use 0..{len(node) - 1}")
            return node[i], i
        for i, item in enumerate(node):
            if isinstance(item, dict) and part in (item.get("name"),
                                                   item.get("id")):
                return item, i
        names = ", ".join(_item_names(node)) or "none"
        raise InputError(source, key, f"no item named '{part}'",
                         f"use an index or one of: {names}")
    raise InputError(source, key, f"'{part}' goes below a plain value",
                     "shorten the KEY to the value itself")


def resolve_key(data: dict[str, Any], key: str,
                source: str = CLI) -> tuple[Any, ...]:
    """The concrete path (dict keys and list indices) that ``key`` names.

    Raises :class:`InputError` for an unknown key, a missing item or an
    index out of range. The leaf must exist in ``data``: a sweep varies
    values the input gives, so a typo is never taken for a new key.
    """
    parts = [p for p in key.split(".")]
    if not key or any(p == "" for p in parts):
        raise InputError(source, key or "KEY", "is not a dotted KEY path",
                         "write it like buffers.3 or stations.S7.mttr")
    if parts[0] == "line" and "line" not in data and "stations" in data:
        parts = parts[1:]
    node: Any = data
    path: list[Any] = []
    for part in parts:
        node, step = _step(node, part, key, source)
        path.append(step)
    if isinstance(node, dict | list):
        raise InputError(source, key, "names a table or a list, not a value",
                         "give the path down to one value")
    return tuple(path)


def _check_type(old: Any, new: Value, key: str, source: str) -> None:
    number = (int, float)
    old_num = isinstance(old, number) and not isinstance(old, bool)
    new_num = isinstance(new, number) and not isinstance(new, bool)
    if old_num != new_num or isinstance(old, bool) != isinstance(new, bool) \
            or (isinstance(old, str) != isinstance(new, str)):
        raise InputError(source, key,
                         f"value {new!r} has the wrong type (the input "
                         f"has {type(old).__name__} {old!r} there)",
                         f"give {type(old).__name__} values")


def apply_point(data: dict[str, Any], values: tuple[tuple[str, Value], ...],
                source: str = CLI) -> dict[str, Any]:
    """A deep copy of ``data`` with each ``(KEY, value)`` set.

    The caller re-validates the result with the input's own model.
    """
    out = copy.deepcopy(data)
    for key, value in values:
        path = resolve_key(out, key, source)
        node: Any = out
        for step in path[:-1]:
            node = node[step]
        _check_type(node[path[-1]], value, key, source)
        node[path[-1]] = value
    return out


def parse_scalar(text: str) -> Value:
    """One value as written on the command line: int, float, bool, str."""
    t = text.strip()
    low = t.lower()
    if low in ("true", "false"):
        return low == "true"
    try:
        return int(t)
    except ValueError:
        pass
    try:
        x = float(t)
    except ValueError:
        if len(t) >= 2 and t[0] == t[-1] and t[0] in "'\"":
            return t[1:-1]
        return t
    return x


def _range(text: str, where: str, source: str) -> list[Value]:
    parts = text.split(":")
    if len(parts) not in (2, 3):
        raise InputError(source, where, f"range '{text}' is not a:b:step",
                         "write a range like 0:20:2")
    nums = [parse_scalar(p) for p in parts]
    if len(nums) == 2:
        nums.append(1)
    if not all(isinstance(x, int | float) and not isinstance(x, bool)
               and math.isfinite(x) for x in nums):
        raise InputError(source, where, f"range '{text}' is not numeric",
                         "write a range like 0:20:2 or 0.5:2:0.25")
    a, b, step = cast("list[int | float]", nums)
    if step == 0 or (b - a) * step < 0:
        raise InputError(source, where, f"range '{text}' is empty",
                         "give a:b:step with a step towards b (a <= b "
                         "for a positive step)")
    if all(isinstance(x, int) for x in nums):
        count = (int(b) - int(a)) // int(step) + 1
        if count > MAX_DESIGN_POINTS:
            raise InputError(source, where, f"range '{text}' has {count:,} "
                             f"values, more than {MAX_DESIGN_POINTS:,}",
                             "use a coarser step")
        return list(range(int(a), int(b) + (1 if step > 0 else -1),
                          int(step)))
    # Decimal arithmetic keeps 0.1 steps exact (no 0.30000000000000004),
    # and b is included when it lands on the grid.
    try:
        da, db, ds = (Decimal(p.strip()) for p in
                      ([*parts, "1"])[:3])
    except InvalidOperation:  # pragma: no cover - parse_scalar checked
        da, db, ds = Decimal(a), Decimal(b), Decimal(step)
    out: list[Value] = []
    k = 0
    while True:
        x = da + k * ds
        if (ds > 0 and x > db) or (ds < 0 and x < db):
            break
        out.append(float(x))
        k += 1
        if k > MAX_DESIGN_POINTS:
            raise InputError(source, where, f"range '{text}' has over a "
                             "million values", "use a coarser step")
    return out


def parse_values(text: str, where: str = "--vary",
                 source: str = CLI) -> list[Value]:
    """The values of ``V1,V2,...`` or of a range ``a:b:step``.

    A range includes ``b`` when ``a + k*step`` lands on it; a list may mix
    single values and ranges (``0,5:10:5``). Integers stay integers.
    """
    out: list[Value] = []
    for item in text.split(","):
        item = item.strip()
        if not item:
            raise InputError(source, where, f"empty value in '{text}'",
                             "give values like 1,2,3 or a range 0:20:2")
        if ":" in item and not (item[0] in "'\"" and item[-1] == item[0]):
            out.extend(_range(item, where, source))
        else:
            out.append(parse_scalar(item))
    if not out:
        raise InputError(source, where, "no values", "give at least one")
    return out


def parse_vary(text: str, source: str = CLI) -> tuple[str, list[Value]]:
    """Split ``KEY=V1,V2,...`` into the KEY and its values."""
    key, sep, values = text.partition("=")
    key = key.strip()
    if not sep or not key:
        raise InputError(source, f"--vary {text}", "is not KEY=VALUES",
                         "write it like --vary buffers.0=1,2,4")
    return key, parse_values(values, f"--vary {key}", source)
