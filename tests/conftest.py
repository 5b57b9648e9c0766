"""Shared fixtures: paths to the repository's data and tiny instances."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def repo_root() -> Path:
    """The repository's top folder."""
    return ROOT
