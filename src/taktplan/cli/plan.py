"""`taktplan plan` (the capacity stage until the other stages land)."""

from __future__ import annotations

from taktplan.cli.app import app, not_yet


@app.command(help="Plan the plant (being built).")
def plan() -> None:
    """Plan the plant."""
    not_yet("plan", 2)
