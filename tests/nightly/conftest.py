"""Fixtures of the nightly tests; the helpers are in ``helpers.py``."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def db(tmp_path) -> Path:
    """A fresh database path in the test's own folder (logs go beside it)."""
    return tmp_path / "wardnews.db"
