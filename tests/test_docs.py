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


def test_the_readme_settings_block_shows_the_defaults() -> None:
    import re
    import tomllib
    from dataclasses import asdict

    from compintel.workspace import WorkspaceSettings

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"^Settings \(all optional.*?^```toml\n(.*?)^```", readme, re.S | re.M).group(1)
    documented = tomllib.loads(block)
    defaults = asdict(WorkspaceSettings())
    for section in ("http", "report", "tag", "tables"):
        for key, value in documented[section].items():
            if key != "user_agent":             # the README's asks for a contact
                assert value == defaults[section][key] or (value, defaults[section][key]) == ([], ()), \
                    f"[{section}] {key}"
    # the retry and redirect limits the comments refer to are there to be found
    assert {"retries", "backoff_factor", "max_retry_after", "max_redirects", "request_deadline",
            "retry_wait_per_url", "retry_wait_per_run"} <= set(documented["http"])
