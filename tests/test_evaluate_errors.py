"""``compintel eval`` on labelled files it cannot measure: one line naming the file and line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from compintel.cli import main
from compintel.errors import DataFileError
from compintel.evaluate import load_labelled

GOOD = json.dumps({"id": "a", "text": "Vitreon PPM at 380.", "signals": [{"type": "quality_ppm"}]})


def error_for(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError) as raised:
        load_labelled(path)
    return raised.value.format()


@pytest.mark.parametrize("text", ["", "\n\n  \n"], ids=["empty", "blank-lines"])
def test_a_file_without_labelled_texts_is_an_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "set.jsonl"
    assert error_for(path, text).startswith(f"{path}: no labelled texts (")


def test_eval_on_an_empty_file_is_one_line_and_status_2(tmp_path: Path, demo_workspace: Path,
                                                       capsys) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_text("", encoding="utf-8")
    assert main(["eval", str(path), "-w", str(demo_workspace)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"error: {path}: no labelled texts (") and captured.err.count("\n") == 1


@pytest.mark.parametrize("line, message", [
    ({"text": "x"}, "missing field 'id'"),
    ({"id": "b", "entities": []}, "missing field 'text'"),
    ({"id": "b", "text": "Vitreon", "entities": [{"text": "Vitreon"}]}, "entity 1: missing field 'label'"),
    ({"id": "b", "text": "Vitreon", "entities": [{"label": "ORG"}]}, "entity 1: missing field 'text'"),
    ({"id": "b", "text": "x", "signals": [{"type": "pricing"}, {"company": "vitreon"}]},
     "signal 2: missing field 'type'"),
    ({"id": "b", "text": "x", "entities": ["x"]}, "entity 1: must be a JSON object, not 'x'"),
    ([1, 2], "a labelled text must be a JSON object like {\"id\": ..., \"text\": ...}"),
    ('{"id": "b", "text": ', "not valid JSON: Expecting value at column 21"),
    ({"id": "b", "text": 5}, "\"text\" must be the text to tag, not 5"),
    ({"id": "b", "text": None}, "\"text\" must be the text to tag, not None"),
    ({"id": "b", "text": "x", "entities": None}, "\"entities\" must be a list, not None"),
    ({"id": "b", "text": "x", "signals": [{"type": "pricing", "company": "vitreon", "value": "abc"}]},
     "signal 1: value must be a number, not 'abc'"),
])
def test_a_malformed_line_names_file_line_and_what_is_wrong(tmp_path: Path, line, message) -> None:
    path = tmp_path / "set.jsonl"
    bad = line if isinstance(line, str) else json.dumps(line)
    assert error_for(path, f"{GOOD}\n\n{bad}\n").startswith(f"{path}:3: {message} (see docs/formats.md")


def test_eval_on_a_malformed_line_says_which_field(tmp_path: Path, demo_workspace: Path, capsys) -> None:
    path = tmp_path / "set.jsonl"
    path.write_text(GOOD + '\n{"text": "x"}\n', encoding="utf-8")
    assert main(["eval", str(path), "-w", str(demo_workspace)]) == 2
    assert capsys.readouterr().err.startswith(f"error: {path}:2: missing field 'id' (")
