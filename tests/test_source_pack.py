"""The bundled pack of real public sources: valid, switched off, never fetched by tests."""

from __future__ import annotations

import pytest

from compintel import UserError, Workbench
from compintel.catalog import load_catalog
from compintel.sources import load_sources
from compintel.workbench import source_packs


def test_the_pack_loads_cleanly_and_every_source_is_off(tmp_path) -> None:
    pack = source_packs()["india-auto"]
    (tmp_path / pack.name).write_text(pack.read_text(encoding="utf-8"), encoding="utf-8")
    loaded = load_sources(tmp_path, load_catalog())
    assert loaded.errors == []
    assert len(loaded.sources) >= 20
    assert all(not source.enabled for source in loaded.sources)
    assert all(source.url.startswith(("https://", "http://")) for source in loaded.sources)
    assert loaded.of_kind("feed", "page", "listing", "folder") == []


def test_add_pack_copies_it_once_and_gathering_fetches_nothing(tmp_path) -> None:
    wb = Workbench.init(tmp_path / "ws")
    try:
        path = wb.add_source_pack("india-auto")
        assert path.parent == wb.workspace.sources_dir
        assert [s.name for s in wb.sources.sources][:2] == ["autocarpro-national", "autocarpro-industry"]
        with pytest.raises(UserError, match="already exists"):
            wb.add_source_pack("india-auto")
        with pytest.raises(UserError, match="packs: india-auto"):
            wb.add_source_pack("nope")
        report = wb.gather()
        assert report.outcomes == [] and report.errors == []
        assert wb.store.row_counts()["gather_log"] == 0
    finally:
        wb.close()
