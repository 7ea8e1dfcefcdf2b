"""Field notes: Markdown front matter checks, per-note import, visit logs all-or-nothing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook

from compintel.errors import DataFileError
from compintel.notes import import_notes, import_visit_log, parse_note

NOTES = Path(__file__).resolve().parent / "data" / "notes"
GOOD = NOTES / "2026-05-14-kesarpur.md"




def key_for(path: Path) -> str:
    return "notes/" + path.name


def write_note(path: Path, front: str, body: str = "Met the buyer; nothing new.") -> Path:
    path.write_text(f"---\n{front}\n---\n{body}\n", encoding="utf-8")
    return path


# -- parsing -----------------------------------------------------------------------------------

def test_good_note_is_parsed(catalog):
    note = parse_note(GOOD, catalog, key="notes/a.md")
    assert (note.date, note.customer, note.plant, note.grade, note.competitor, note.author) == (
        "2026-05-14", "navika-motors", "navika-motors/kesarpur", "observed", "vitreon", "R. Iyer")
    assert note.contacts == ("SQA head", "buyer")
    assert note.url == "note:notes/a.md"
    assert note.body.startswith("Line-side at Kesarpur") and "---" not in note.body


def test_unknown_customer_suggests_the_catalog_name(catalog):
    with pytest.raises(DataFileError) as caught:
        parse_note(NOTES / "unknown-customer.md", catalog, key="notes/unknown-customer.md")
    error = caught.value
    assert (error.path, error.line, error.field) == ("notes/unknown-customer.md", 3, "customer")
    assert str(error).startswith("notes/unknown-customer.md:3: customer: unknown customer "
                                 "'Navica Motors' (did you mean 'Navika Motors'")


def test_bad_grade_names_its_line(catalog):
    with pytest.raises(DataFileError) as caught:
        parse_note(NOTES / "bad-grade.md", catalog, key="notes/bad-grade.md")
    assert str(caught.value) == ("notes/bad-grade.md:5: grade: 'confirmed' is not a grade "
                                 "(use observed, reported or rumoured)")


@pytest.mark.parametrize(("front", "line", "field", "text"), [
    ("date: 2026-05-14\ncustomer: Navika", 1, "grade", "required field missing"),
    ("date: 2026-05-14\ncustomer: Navika\ngrade:", 4, "grade", "required field missing"),
    ("date: 2026-05-14\ncustomr: Navika\ngrade: observed", 3, "customr", "did you mean 'customer'"),
    ("date: 14 May\ncustomer: Navika\ngrade: observed", 2, "date", "not a full date"),
    ("date: 2026-05-14\ncustomer: Navika\nplant: Sagarpet\ngrade: observed", 4, "plant",
     "belongs to Dhruva Automobiles"),
    ("date: 2026-05-14\ncustomer: Navika\ncompetitor: Vitrion\ngrade: observed", 4, "competitor",
     "did you mean 'Vitreon Auto Glass'"),
    ("date: 2026-05-14\ncustomer: Navika\ngrade: observed\ngrade: reported", 5, "grade",
     "given twice"),
    ("date: 2026-05-14\ncustomer: [Navika]\ngrade: observed", 3, "customer", "single value"),
])
def test_front_matter_errors_name_line_and_field(catalog, tmp_path, front, line, field, text):
    path = write_note(tmp_path / "n.md", front)
    with pytest.raises(DataFileError) as caught:
        parse_note(path, catalog, key="n.md")
    assert (caught.value.line, caught.value.field) == (line, field)
    assert text in str(caught.value)


def test_yaml_syntax_error_and_missing_front_matter(catalog, tmp_path):
    path = write_note(tmp_path / "n.md", "date: 2026-05-14\ncustomer: [Navika\ngrade: observed")
    with pytest.raises(DataFileError, match=r"^n\.md:\d+: front matter"):
        parse_note(path, catalog, key="n.md")
    plain = tmp_path / "plain.md"
    plain.write_text("Just text, no front matter.\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="no front matter"):
        parse_note(plain, catalog)


def test_empty_body_is_an_error(catalog, tmp_path):
    path = write_note(tmp_path / "n.md", "date: 2026-05-14\ncustomer: Navika\ngrade: observed",
                      body="  \n")
    with pytest.raises(DataFileError, match="no text") as caught:
        parse_note(path, catalog, key="n.md")
    assert caught.value.line == 6     # the line after the closing ---


def test_yaml_words_stay_names(catalog, tmp_path):
    # "NML" is fine; and author "No" must not become the boolean False
    path = write_note(tmp_path / "n.md", "date: '2026-05-14'\ncustomer: NML\nauthor: No\n"
                      "grade: Rumored\ncontacts: buyer; SQA head")
    note = parse_note(path, catalog, key="n.md")
    assert (note.customer, note.author, note.grade, note.contacts) == (
        "navika-motors", "No", "rumoured", ("buyer", "SQA head"))


# -- importing -----------------------------------------------------------------------------------

def test_import_notes_keeps_good_ones_and_reports_bad_ones(store, catalog):
    paths = [GOOD, NOTES / "unknown-customer.md", NOTES / "bad-grade.md"]
    result = import_notes(store, catalog, paths, key_for=key_for)
    assert (result.new, result.changed, result.unchanged) == (1, 0, 0)
    assert len(result.errors) == 2
    assert result.errors[0].startswith("notes/unknown-customer.md:3: customer:")
    assert all("\n" not in error for error in result.errors)
    (document,) = store.query("SELECT * FROM documents")
    assert (document["url"], document["kind"], document["author"], document["published_at"]) == (
        "note:notes/2026-05-14-kesarpur.md", "note", "R. Iyer", "2026-05-14")
    assert document["text"].startswith("Line-side at Kesarpur")
    (note,) = store.query("SELECT * FROM field_notes")
    assert note["document_id"] == document["id"]
    assert (note["path"], note["note_date"], note["customer_id"], note["plant_id"], note["grade"],
            note["competitor_id"]) == ("notes/2026-05-14-kesarpur.md", "2026-05-14",
                                       "navika-motors", "navika-motors/kesarpur", "observed",
                                       "vitreon")
    assert json.loads(note["contacts"]) == ["SQA head", "buyer"]


def test_reimport_unchanged_then_changed_front_matter(store, catalog, tmp_path):
    path = tmp_path / "note.md"
    shutil.copy(GOOD, path)
    import_notes(store, catalog, [path], key_for=key_for)
    before = [tuple(r) for r in store.query("SELECT * FROM documents")]
    again = import_notes(store, catalog, [path], key_for=key_for)
    assert (again.new, again.changed, again.unchanged, again.errors) == (0, 0, 1, [])
    assert [tuple(r) for r in store.query("SELECT * FROM documents")] == before
    path.write_text(path.read_text(encoding="utf-8").replace("grade: observed", "grade: reported"),
                    encoding="utf-8")
    changed = import_notes(store, catalog, [path], key_for=key_for)
    assert (changed.new, changed.changed, changed.unchanged) == (0, 1, 0)
    assert store.query("SELECT grade FROM field_notes")[0]["grade"] == "reported"
    assert store.row_counts()["documents"] == 1


# -- visit logs ----------------------------------------------------------------------------------

def test_visit_log_imports_one_note_per_row(store, catalog):
    result = import_visit_log(store, catalog, NOTES / "visit_log.csv", key="notes/visits.csv")
    assert (result.new, result.changed, result.unchanged, result.removed) == (3, 0, 0, 0)
    rows = store.query("SELECT d.url, d.published_at, f.path, f.customer_id, f.plant_id, f.grade, "
                       "f.competitor_id, f.contacts FROM documents d JOIN field_notes f "
                       "ON f.document_id = d.id ORDER BY d.url")
    assert [tuple(r) for r in rows] == [
        ("note:notes/visits.csv#row2", "2026-05-14", "notes/visits.csv#row2", "navika-motors",
         "navika-motors/kesarpur", "observed", "vitreon", '["SQA head", "buyer"]'),
        ("note:notes/visits.csv#row3", "2026-06-03", "notes/visits.csv#row3", "dhruva-auto",
         "dhruva-auto/mirajganj", "reported", "clarity-glassworks", '["stores in-charge"]'),
        ("note:notes/visits.csv#row4", "2026-06-20", "notes/visits.csv#row4", "meridian-mobility",
         None, "rumoured", "sunmarg", None),
    ]
    again = import_visit_log(store, catalog, NOTES / "visit_log.csv", key="notes/visits.csv")
    assert (again.new, again.changed, again.unchanged) == (0, 0, 3)


def test_visit_log_bad_row_rejects_the_whole_file(store, catalog, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Visit Date", "OEM", "Grade", "Notes"])
    sheet.append(["14/05/2026", "Navika", "observed", "Buyer asked for the Koru quote revision."])
    sheet.append(["15/05/2026", "Navika", "heard", "Vitreon visited the SQA head."])
    path = tmp_path / "visits.xlsx"
    workbook.save(path)
    with pytest.raises(DataFileError) as caught:
        import_visit_log(store, catalog, path, key="notes/visits.xlsx")
    assert str(caught.value).startswith("notes/visits.xlsx:3: Grade: 'heard' is not a grade")
    assert store.row_counts()["documents"] == 0 and store.row_counts()["field_notes"] == 0


def test_visit_log_reimport_drops_removed_rows(store, catalog, tmp_path):
    path = tmp_path / "visits.csv"
    lines = (NOTES / "visit_log.csv").read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    import_visit_log(store, catalog, path, key="v.csv")
    path.write_text("\n".join(lines[:3]) + "\n", encoding="utf-8")
    result = import_visit_log(store, catalog, path, key="v.csv")
    assert (result.unchanged, result.removed) == (2, 1)
    assert store.row_counts()["documents"] == 2 and store.row_counts()["field_notes"] == 2
