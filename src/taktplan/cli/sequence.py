"""`taktplan sequence` (filled by issue #4)."""

from __future__ import annotations

from taktplan.cli.app import app, not_yet


@app.command(
    help="Not available yet (issue #4).",
    epilog="Example: taktplan sequence --help",
)
def sequence() -> None:
    """Not available yet (issue #4)."""
    not_yet("sequence", 4)
