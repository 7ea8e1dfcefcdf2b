"""``compintel demo``: the whole pipeline on the bundled, fictional demo workspace.

The repository root is the demo workspace (``compintel.toml`` + ``sources/``). Given another
folder, empty or not there yet, the demo copies the bundled demo into it first; a folder holding
anything else, a workspace of the user's own above all, is refused. A demo workspace is known by
its ``compintel.toml``: ``fictional = true``, which the demo's own sets.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TextIO

from .errors import UserError
from .workbench import Workbench
from .workspace import CONFIG_NAME, parse_settings

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def bundled_demo() -> Path:
    """The project's own demo workspace (the repository root)."""
    if not (PROJECT_ROOT / CONFIG_NAME).is_file() or not (PROJECT_ROOT / "sources" / "demo").is_dir():
        raise UserError("the bundled demo workspace is not available in this installation",
                        hint="clone the repository and run `make demo` there")
    return PROJECT_ROOT


def copy_demo(target: Path) -> Path:
    """Copy the demo workspace's settings and sources into ``target``."""
    source = bundled_demo()
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source / CONFIG_NAME, target / CONFIG_NAME)
    shutil.copytree(source / "sources", target / "sources", dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return target


def is_demo_workspace(path: Path) -> bool:
    """Whether ``path`` is a demo workspace: its settings say its world is fictional."""
    config = path / CONFIG_NAME
    return config.is_file() and parse_settings(config).fictional


def prepare(workspace: str | Path | None) -> Workbench:
    """The demo's workbench: the bundled demo, ``workspace`` when it is a demo workspace, or a
    copy of the demo made in ``workspace`` when that is empty or not there yet."""
    if workspace is None:
        return Workbench.open(bundled_demo())
    path = Path(workspace).expanduser()
    if not is_demo_workspace(path):
        # the demo gathers, imports and reports everything in its workspace: never someone's own
        if (path / CONFIG_NAME).is_file():
            what = f"a workspace that is not the demo (its {CONFIG_NAME} does not say fictional = true)"
        elif path.exists() and not path.is_dir():
            what = "not a folder"
        elif path.is_dir() and any(not entry.name.startswith(".") for entry in path.iterdir()):
            what = "a folder that is not empty"
        else:
            what = None
        if what:
            raise UserError(f"{path} is {what}: `compintel demo` runs only on the fictional demo",
                            hint="give -w a new or empty folder for a copy of the demo; on a workspace "
                                 "of your own run gather, import, tag and report")
        copy_demo(path)
    return Workbench.open(path)


def run_demo(workspace: str | Path | None = None, *, period: str = "2026-10",
             progress: bool = False, out: TextIO) -> int:
    """Gather, import, tag and report; prints each step and the index page's path."""
    with prepare(workspace) as wb:
        note = " (fictional data)" if wb.workspace.settings.fictional else ""
        print(f"demo workspace: {wb.root}{note}", file=out)
        gathered = wb.gather(progress=progress)
        totals = {key: sum(row[key] for row in gathered.rows)
                  for key in ("new", "changed", "unchanged", "failed")}
        print(f"gather: {len(gathered.rows)} sources — {totals['new']} new, {totals['changed']} changed, "
              f"{totals['unchanged']} unchanged, {totals['failed']} failed", file=out)
        for problem in [*gathered.errors, *gathered.failures]:
            print(f"  problem: {problem}", file=out)
        imported = wb.import_files()
        rows = sum(f.rows for f in imported.files if f.status != "failed")
        print(f"import: {len(imported.files)} files, {rows} rows", file=out)
        for failure in imported.failed:
            print(f"  problem: {failure.message}", file=out)
        tagged = wb.tag(progress=progress)
        print(f"tag: {tagged.tagged} documents tagged, {tagged.up_to_date} up to date — "
              f"{tagged.signals} signals", file=out)
        run = wb.report(period=period, progress=progress)
        for result in run.results:
            state = "ok" if result.status == "ok" else f"FAILED: {result.error}"
            print(f"report: {result.customer_id:<20} {state}", file=out)
        print(f"\nOpen the reports: {run.index_path}", file=out)
        failed = gathered.failures or gathered.errors or imported.failed or run.failed
        return 1 if failed else 0
