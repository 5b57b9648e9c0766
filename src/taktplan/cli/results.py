"""`taktplan results`: the summary of a sweep's DuckDB file."""

from __future__ import annotations

import csv
import io
import math
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from taktplan.cli.app import app, console, guarded, print_json


def _clean(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def summary_records(table: Any) -> list[dict[str, Any]]:
    """The summary rows as JSON-ready dicts (every column)."""
    return [{c: _clean(v) for c, v in zip(table.columns, row, strict=True)}
            for row in table.rows]


def _fmt(x: Any) -> str:
    """A number as a person reads it in a table: 96,663 not 9.666e+04;
    four significant digits in fixed notation (0.7748, 45.09); exponent
    notation only below 0.001."""
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "-"
    if isinstance(x, bool) or not isinstance(x, int | float):
        return str(x)
    size = abs(x)
    if size == 0:
        return "0"
    if size < 1e-3:
        return f"{x:.3e}"
    text = f"{x:.{max(0, 3 - math.floor(math.log10(size)))}f}"
    if size >= 1000 or abs(float(text)) >= 1000 or \
            (x == int(x) and size >= 1):
        return f"{x:,.0f}"
    return text


def summary_table(table: Any) -> Any:
    """A rich table: each point with n and its headline metrics' CIs."""
    from rich.table import Table

    col = {c: i for i, c in enumerate(table.columns)}
    heads = [m for m in table.headline if f"{m}_mean" in col]
    if not heads:
        heads = [c[:-5] for c in table.columns if c.endswith("_mean")][:3]
    out = Table(title="Mean and 95% confidence interval per design point")
    out.add_column("point", justify="right")
    out.add_column("design", overflow="fold", ratio=2)
    out.add_column("n", justify="right")
    for m in heads:
        out.add_column(f"{m} [95% CI]", justify="right", ratio=1)
    for row in table.rows:
        cells = [str(row[col["point_index"]]), str(row[col["label"]]),
                 str(row[col["n"]])]
        for m in heads:
            lo, hi = row[col[f"{m}_ci_low"]], row[col[f"{m}_ci_high"]]
            cells.append(f"{_fmt(row[col[f'{m}_mean']])} "
                         f"[{_fmt(lo)}, {_fmt(hi)}]")
        out.add_row(*cells)
    return out


@app.command(
    help="Print the summary of a sweep's results FILE: per design point "
         "the number of replications and the mean and t-based 95% "
         "confidence interval of its metrics.",
    epilog="Example: taktplan results results.duckdb --csv > summary.csv",
)
@guarded
def results(
    file: Annotated[
        Path, typer.Argument(help="DuckDB file written by taktplan sweep.",
                             show_default=False),
    ],
    as_csv: Annotated[
        bool, typer.Option("--csv", help="Print every column as CSV."),
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object."),
    ] = False,
    experiment: Annotated[
        str | None,
        typer.Option("--experiment", help="Only this experiment id.",
                     show_default=False),
    ] = None,
) -> None:
    """Print a results file's summary."""
    from taktplan.experiment.store import summary

    table = summary(file, experiment)
    if as_csv:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(table.columns)
        for row in table.rows:
            writer.writerow(["" if _clean(v) is None else v for v in row])
        sys.stdout.write(buf.getvalue())
    elif as_json:
        print_json({"file": str(file), "points": summary_records(table)})
    else:
        console.print(summary_table(table))
