"""`taktplan sweep` (filled by issue #6)."""

from __future__ import annotations

from taktplan.cli.app import app, not_yet


@app.command(
    help="Not available yet (issue #6).",
    epilog="Example: taktplan sweep --help",
)
def sweep() -> None:
    """Not available yet (issue #6)."""
    not_yet("sweep", 6)
