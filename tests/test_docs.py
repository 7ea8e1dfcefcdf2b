"""The generated documentation is up to date."""

from __future__ import annotations

import importlib.util

from conftest import REPO


def test_the_list_of_pages_behind_the_press_voice_sets_is_up_to_date() -> None:
    spec = importlib.util.spec_from_file_location("labelling_sources", REPO / "docs" / "labelling_sources.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert (REPO / "docs" / "labelling-sources.md").read_text(encoding="utf-8") == module.render(), \
        "run .venv/bin/python docs/labelling_sources.py"
