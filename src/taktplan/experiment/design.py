"""Design points: the cartesian product of ``--vary`` lists, or a file."""

from __future__ import annotations

import csv
import itertools
import json
import math
import tomllib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from taktplan.errors import InputError
from taktplan.experiment.keys import CLI, Value, parse_scalar, parse_vary
from taktplan.files import decode_utf8, read_input_bytes
from taktplan.limits import MAX_DESIGN_POINTS

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path


@dataclass(frozen=True)
class DesignPoint:
    """One design point: its index in the design and its KEY values.

    The index is part of every replication's seed, so a design is always
    listed in the same order (the ``--vary`` order, last KEY fastest).
    """

    index: int
    values: tuple[tuple[str, Value], ...]
    #: Where the point was given: a points file and its row, or the
    #: command line (errors in its values name this place).
    source: str = field(default=CLI, compare=False)
    where: str = field(default="", compare=False)

    @property
    def label(self) -> str:
        """``KEY=value`` pairs, comma-separated (``base`` when empty)."""
        if not self.values:
            return "base"
        return ", ".join(f"{k}={v}" for k, v in self.values)

    def as_json(self) -> str:
        """The values as a JSON object (KEY order kept)."""
        return json.dumps(dict(self.values))


def cartesian(varies: Sequence[tuple[str, Sequence[Value]]]
              ) -> tuple[DesignPoint, ...]:
    """Every combination of the values of each KEY (the last fastest).

    No KEY at all gives the single base point.
    """
    keys = [k for k, _ in varies]
    dup = {k for k in keys if keys.count(k) > 1}
    if dup:
        raise InputError(CLI, f"--vary {sorted(dup)[0]}",
                         "the same KEY is varied twice",
                         "give each KEY once with all its values")
    count = math.prod(len(vals) for _, vals in varies)
    if count > MAX_DESIGN_POINTS:
        raise InputError(CLI, "--vary", f"the design has {count:,} points, "
                         f"more than {MAX_DESIGN_POINTS:,}",
                         "use fewer values or coarser ranges")
    combos = itertools.product(*(vals for _, vals in varies))
    return tuple(DesignPoint(i, tuple(zip(keys, combo, strict=True)))
                 for i, combo in enumerate(combos))


def design_from_args(vary: Sequence[str], points_file: Path | None
                     ) -> tuple[DesignPoint, ...]:
    """The design of a ``sweep`` command line: ``--vary`` or ``--points``."""
    if points_file is not None:
        if vary:
            raise InputError(CLI, "--points", "given together with --vary",
                             "use one of the two")
        return read_points(points_file)
    return cartesian([parse_vary(v) for v in vary])


def _point_row(row: dict[str, Any], i: int, source: Path,
               where: str) -> DesignPoint:
    if not row:
        raise InputError(source, where, "a design point with no KEY",
                         "give at least one KEY = value")
    values: list[tuple[str, Value]] = []
    for key, value in row.items():
        if isinstance(value, str):
            value = parse_scalar(value)
        if not isinstance(value, int | float | bool | str):
            raise InputError(source, f"{where}.{key}",
                             "is not a single value",
                             "give a number, a boolean or a string")
        values.append((str(key).strip(), value))
    return DesignPoint(i, tuple(values), str(source), where)


def read_points(path: Path) -> tuple[DesignPoint, ...]:
    """Design points from a CSV file (a header of KEYs, a row per point)
    or a TOML file (``[[points]]`` tables of ``"KEY" = value``)."""
    text = decode_utf8(path, read_input_bytes(
        path, "give a CSV or TOML file of design points"))
    if path.suffix.lower() == ".toml":
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise InputError(path, None, f"is not valid TOML ({exc})",
                             "fix the TOML syntax") from None
        rows = data.get("points")
        if not isinstance(rows, list) or set(data) != {"points"}:
            raise InputError(path, None, "has no [[points]] list only",
                             'write [[points]] tables of "KEY" = value')
        points = [_point_row(r, i, path, f"points[{i}]")
                  for i, r in enumerate(rows) if isinstance(r, dict)]
    else:
        reader = csv.DictReader(text.splitlines())
        if not reader.fieldnames or any(not (f or "").strip()
                                        for f in reader.fieldnames):
            raise InputError(path, "line 1", "no header of KEYs",
                             "start the CSV with a header like "
                             "buffers.0,buffers.1")
        points = []
        for i, row in enumerate(reader):
            if None in row or any(v is None or v.strip() == ""
                                  for v in row.values()):
                raise InputError(path, f"line {i + 2}",
                                 "has a missing or extra value",
                                 "give one value per header KEY")
            points.append(_point_row(row, i, path, f"line {i + 2}"))
    if not points:
        raise InputError(path, None, "lists no design points",
                         "give at least one point")
    if len(points) > MAX_DESIGN_POINTS:
        raise InputError(path, None, f"lists {len(points):,} design points, "
                         f"more than {MAX_DESIGN_POINTS:,}",
                         "split the design into several sweeps")
    return tuple(points)
