"""Shared pytest fixtures."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from localweb import LocalWeb


@pytest.fixture
def local_web() -> Iterator[LocalWeb]:
    """A started local HTTP server (see tests/localweb.py); stopped after the test."""
    with LocalWeb() as web:
        yield web
