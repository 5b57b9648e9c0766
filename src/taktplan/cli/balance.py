"""`taktplan balance` (filled by issue #3)."""

from __future__ import annotations

from taktplan.cli.app import app, not_yet


@app.command(
    help="Not available yet (issue #3).",
    epilog="Example: taktplan balance --help",
)
def balance() -> None:
    """Not available yet (issue #3)."""
    not_yet("balance", 3)
