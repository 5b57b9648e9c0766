"""`taktplan simulate` (filled by issue #5)."""

from __future__ import annotations

from taktplan.cli.app import app, not_yet


@app.command(
    help="Not available yet (issue #5).",
    epilog="Example: taktplan simulate --help",
)
def simulate() -> None:
    """Not available yet (issue #5)."""
    not_yet("simulate", 5)
