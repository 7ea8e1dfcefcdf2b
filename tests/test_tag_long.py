"""Long documents: tagged in pieces under spaCy's limit with their offsets kept; past the
workspace's size limit, left untagged and named (issue 12)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from compintel import Workbench
from compintel.cli import main
from compintel.nlp import Tagger
from compintel.nlp.text import split_long_text

PARAGRAPH = ("Vitreon PPM at Kesarpur was 380 this month. Navika Motors is reviewing the Koru "
             "backlite business.\n\n")
LAST = "Clarity Glassworks quoted Rs 4,100 per windshield to Dhruva Automobiles."


@pytest.fixture(scope="module")
def tagger(catalog) -> Tagger:
    return Tagger(catalog, recall=False)


def test_split_long_text_cuts_at_paragraphs_and_keeps_every_character() -> None:
    text = PARAGRAPH * 50 + LAST
    pieces = split_long_text(text, limit=1_000)
    assert len(pieces) > 5
    assert "".join(piece for _, piece in pieces) == text
    assert all(len(piece) <= 1_000 for _, piece in pieces)
    assert all(text[offset:offset + len(piece)] == piece for offset, piece in pieces)
    assert all(piece.endswith("\n\n") for _, piece in pieces[:-1])       # whole paragraphs
    # no break to cut at: cut anyway, nothing lost
    solid = "x" * 2_500
    assert "".join(piece for _, piece in split_long_text(solid, limit=1_000)) == solid


def test_a_document_over_a_million_characters_is_tagged_with_its_offsets(tagger) -> None:
    text = PARAGRAPH * 12_000 + LAST          # 1.2 million characters: spaCy alone refuses it
    assert len(text) > 1_000_000
    result = tagger.tag(text)
    assert [(s.type, s.company_id, s.value) for s in result.signals] == [
        ("quality_ppm", "vitreon", 380.0), ("pricing", "clarity-glassworks", 4100.0)]
    for signal in result.signals:
        assert text[signal.start:signal.end] == signal.text
    last = result.mentions[-1]
    assert (last.text, text[last.start:last.end]) == ("Dhruva Automobiles", "Dhruva Automobiles")
    assert last.start > 1_000_000


@pytest.fixture
def workspace_with_a_long_note(built_demo: Path, tmp_path: Path) -> Path:
    root = tmp_path / "demo"
    shutil.copytree(built_demo, root)
    settings = root / "compintel.toml"
    settings.write_text(settings.read_text(encoding="utf-8") + "\n[tag]\nmax_document_chars = 200000\n",
                        encoding="utf-8")
    note = root / "sources" / "demo" / "notes" / "2026-10-30-navika-kesarpur-long.md"
    note.write_text("---\ndate: 2026-10-30\ncustomer: Navika Motors\nplant: Kesarpur\nauthor: Test\n"
                    "grade: observed\n---\n" + PARAGRAPH * 3_000, encoding="utf-8")
    return root


def test_a_document_over_the_workspace_limit_is_named_and_the_rest_tagged(workspace_with_a_long_note,
                                                                          capsys) -> None:
    root = workspace_with_a_long_note
    with Workbench.open(root) as wb:
        assert not wb.import_files().failed
        before = wb.store.query("SELECT COUNT(*) FROM signals")[0][0]
        run = wb.tag()
        assert len(run.too_long) == 1
        assert "2026-10-30-navika-kesarpur-long.md" in run.too_long[0]
        assert "max_document_chars" in run.too_long[0]
        assert wb.store.query("SELECT COUNT(*) FROM signals")[0][0] == before     # nothing lost
    status = main(["tag", "-w", str(root)])
    err = capsys.readouterr().err
    assert status == 1 and "not tagged:" in err and "2026-10-30-navika-kesarpur-long.md" in err
