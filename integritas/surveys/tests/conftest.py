"""Fixtures shared by the surveys tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture
def export_dir(settings: Any, tmp_path: Path) -> Path:
    """The folder of the exports prepared in the background, a fresh one for the test."""
    settings.EXPORT_DIR = tmp_path / "exports"
    return Path(settings.EXPORT_DIR)
