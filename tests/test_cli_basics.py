"""The command line exists, prints its version and its help."""

from __future__ import annotations

from typer.testing import CliRunner

from taktplan import __version__
from taktplan.cli import app

runner = CliRunner()


def test_version_prints_package_version() -> None:
    """`taktplan --version` prints the installed version."""
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"taktplan {__version__}"


def test_every_command_has_help() -> None:
    """Each sub-command answers --help with exit 0."""
    for command in ["plan", "balance", "sequence", "simulate", "sweep"]:
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0, command
        assert "Usage" in result.stdout
