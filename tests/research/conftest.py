"""Fixtures of the research tests; the builders are in research_fixtures.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from .research_fixtures import build_db


@pytest.fixture(scope="session")
def research_db(tmp_path_factory) -> Path:
    """A database file built once per session; tests must not write to it."""
    return build_db(tmp_path_factory.mktemp("research") / "wardnews.db")
