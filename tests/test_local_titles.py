"""Local files gathered from a folder source get a title: a heading, a short first line, or
the file's name."""

from __future__ import annotations

from pathlib import Path

from gatherweb import make_workspace, source_table
from test_gather import documents, gather

from compintel.gather import local_title


def test_a_markdown_heading_a_short_first_line_or_the_files_name_is_the_title(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws", source_table(name="clips", kind="folder", path="clips"))
    clips = root / "sources" / "clips"
    clips.mkdir()
    (clips / "visit.md").write_text("Notes for the file\n\n## Navika Kesarpur visit ##\n\nVitreon PPM 380.\n",
                                    encoding="utf-8")
    (clips / "memo.txt").write_text("Sunmarg price memo\nSunmarg raised sidelite prices by 4%.\n",
                                    encoding="utf-8")
    (clips / "dhruva_quote-notes.txt").write_text("x" * 200 + "\nClarity quoted Rs 2,150.\n", encoding="utf-8")
    gather(root)
    titles = {url.rsplit("/", 1)[-1]: doc["title"] for url, doc in documents(root).items()}
    assert titles == {"visit.md": "Navika Kesarpur visit", "memo.txt": "Sunmarg price memo",
                      "dhruva_quote-notes.txt": "dhruva quote notes"}


def test_a_file_without_a_heading_is_named_by_its_file() -> None:
    assert local_title(Path("q3-review.md"), "Plain text, no heading.") == "q3 review"
