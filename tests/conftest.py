"""Shared pytest fixtures."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from localweb import LocalWeb


@pytest.fixture
def local_web() -> Iterator[LocalWeb]:
    """A started local HTTP server (see tests/localweb.py); stopped after the test."""
    with LocalWeb() as web:
        yield web


# -- workspaces ------------------------------------------------------------------------------

REPO = Path(__file__).resolve().parent.parent


def copy_demo(target: Path) -> Path:
    """A fresh copy of the bundled demo workspace (settings and sources) at ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / "compintel.toml", target / "compintel.toml")
    shutil.copytree(REPO / "sources", target / "sources", ignore=shutil.ignore_patterns("__pycache__"))
    return target


@pytest.fixture
def demo_workspace(tmp_path: Path) -> Path:
    """A copy of the demo workspace nobody else touches (nothing gathered yet)."""
    return copy_demo(tmp_path / "demo")


@pytest.fixture(scope="session")
def built_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo workspace gathered, imported and tagged once per test session. Read-only!"""
    from compintel import Workbench

    root = copy_demo(tmp_path_factory.mktemp("built") / "demo")
    with Workbench.open(root) as wb:
        wb.gather()
        wb.import_files()
        wb.tag()
    return root


@pytest.fixture(scope="session")
def catalog():
    """The demo catalog (built-in pack + sources/catalog.toml), Kestrel as our company."""
    from compintel.catalog import load_catalog

    return load_catalog(REPO / "sources", "kestrel-glass")


@pytest.fixture
def store(tmp_path: Path):
    """An empty store, migrated to the latest schema, in a file of its own."""
    from compintel.store import Store

    with Store.open(tmp_path / "s.db") as opened:
        yield opened
