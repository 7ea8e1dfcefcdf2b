"""Corrections a KAM makes to signals (issue 11, part 3): kept in the workspace's
``corrections.toml``, applied by ``Workbench.signals()``, surviving re-tagging, and reported
as orphaned when the sentence they name is gone. On a copy of the tagged demo workspace: a
real SQLite store and the real tagger."""

from __future__ import annotations

import re
import shutil
import sqlite3
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from compintel import UserError, Workbench
from compintel.cli import main
from compintel.corrections import Correction, match
from compintel.workspace import ENV_VAR


@pytest.fixture
def workspace(built_demo: Path, tmp_path: Path) -> Path:
    """A private copy of the gathered, imported and tagged demo workspace."""
    root = tmp_path / "ws"
    shutil.copytree(built_demo, root, ignore=shutil.ignore_patterns("compintel.db*", "reports"))
    with sqlite3.connect(built_demo / "compintel.db") as source, \
            sqlite3.connect(root / "compintel.db") as target:
        source.backup(target)
    return root


@pytest.fixture(autouse=True)
def _no_ambient_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.chdir(tmp_path)


def pick(frame: pd.DataFrame, **where) -> pd.Series:
    """The first signal whose columns have the given values (and, for ``value=True``, a figure)."""
    rows = frame
    for column, wanted in where.items():
        rows = rows[rows[column].notna()] if wanted is True else rows[rows[column] == wanted]
    assert not rows.empty, f"the demo has no signal with {where}"
    return rows.iloc[0]


def same_signal(frame: pd.DataFrame, signal: pd.Series) -> pd.DataFrame:
    """Rows of ``frame`` that are ``signal`` as the tagger gave it (ids differ after a re-tag)."""
    rows = frame[(frame["document_url"] == signal["document_url"]) & (frame["start"] == signal["start"])
                 & (frame["text"] == signal["text"])]
    return rows[(rows["type"] == signal["type"]) & _same(rows["company_id"], signal["company_id"])
                & _same(rows["value"], signal["value"])]


def _same(column: pd.Series, value) -> pd.Series:
    return column.isna() if pd.isna(value) else column == value


def now_as(wb: Workbench, signal: pd.Series, **corrected) -> pd.DataFrame:
    """``signal`` as :meth:`Workbench.signals` gives it now (found by its uncorrected self)."""
    ids = same_signal(wb.signals(one_per_story=False, apply_corrections=False), signal)["id"]
    frame = wb.signals(one_per_story=False, **corrected)
    return frame[frame["id"].isin(ids)]


def retag_everything(wb: Workbench) -> None:
    """What a pipeline upgrade does: every document's tags are stale and tagged again."""
    with wb.store.transaction() as db:
        db.execute("UPDATE tag_state SET pipeline_version = 'an older pipeline'")
    run = wb.tag()
    assert run.up_to_date == 0 and run.tagged > 0


# -- the Python API ---------------------------------------------------------------------------

def test_fixed_and_rejected_signals_stay_so_after_retagging(workspace: Path) -> None:
    with Workbench.open(workspace) as wb:
        raw = wb.signals(one_per_story=False)
        assert not raw["corrected"].any()
        ppm = pick(raw, type="quality_ppm", company_id="vitreon", document_kind="note", value=True)
        rating = pick(raw, type="vendor_rating", company_id="vitreon")
        win = pick(raw, type="supply_win")

        wb.correct(int(ppm["id"]), value=1234, unit="ppm", reason="SQA board said 1234", by="R. Iyer")
        wb.correct(int(rating["id"]), company="Kestrel", reason="that rating is ours")
        wb.reject(int(win["id"]), reason="a 70/30 split, not a win")

        def check() -> None:
            fixed = now_as(wb, ppm)
            assert fixed[["value", "unit", "company_id"]].values.tolist() == [[1234.0, "ppm", "vitreon"]]
            assert fixed["corrected"].tolist() == [True]
            note = fixed["correction_note"].iloc[0]
            assert f"figure was {ppm['value']:g} ppm" in note and "SQA board said 1234" in note
            ours = now_as(wb, rating)
            assert ours["company_id"].tolist() == ["kestrel-glass"]
            assert ours["corrected"].tolist() == [True]
            assert "company was Vitreon" in ours["correction_note"].iloc[0]
            assert now_as(wb, win).empty
            frame = wb.signals(one_per_story=False)
            assert frame["corrected"].sum() == 2              # nothing else was touched
            # the filters see corrected values: the rating is Kestrel's, the win is gone
            assert now_as(wb, rating, customer=rating["customer_id"],
                          types=["vendor_rating"])["company_id"].tolist() == ["kestrel-glass"]
            assert now_as(wb, win, types=["supply_win"]).empty

        check()
        assert len(wb.signals(one_per_story=False)) == len(raw) - 1
        # the tagger's own output is still there for whoever asks for it
        untouched = now_as(wb, ppm, apply_corrections=False)
        assert untouched["value"].tolist() == [ppm["value"]]
        assert len(now_as(wb, win, apply_corrections=False)) == 1

        old_ids = set(raw["id"])
        retag_everything(wb)
        assert not set(now_as(wb, ppm)["id"]) & old_ids       # new rows, new ids
        check()
        assert (wb.corrections()["status"] == "applied").all()


def test_a_correction_can_move_a_signal_to_another_customer_and_type(workspace: Path) -> None:
    with Workbench.open(workspace) as wb:
        raw = wb.signals(one_per_story=False)
        signal = pick(raw, type="pricing", customer_id="navika-motors")
        wb.correct(int(signal["id"]), customer="Dhruva Automobiles", type="financial_result")
        assert now_as(wb, signal, customer="navika-motors").empty
        moved = now_as(wb, signal, customer="dhruva-auto", types=["financial_result"])
        assert moved[["customer_id", "type"]].values.tolist() == [["dhruva-auto", "financial_result"]]
        assert now_as(wb, signal, types=["pricing"]).empty
        if isinstance(signal["plant_id"], str):          # a Navika plant is no Dhruva plant
            assert moved["plant_id"].isna().all()


def test_signals_at_no_customer_are_chosen_in_sql_and_follow_corrections(
        workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from compintel import corrections
    from compintel.threec.model import GENERAL_TYPES, ReportModel

    read: list[pd.DataFrame] = []
    apply = corrections.apply

    def recording(entries, frame, *args):
        read.append(frame)                    # the rows the store gave, before the corrections
        return apply(entries, frame, *args)

    monkeypatch.setattr(corrections, "apply", recording)
    with Workbench.open(workspace) as wb:
        window = {"since": "2025-11", "until": "2026-10", "types": GENERAL_TYPES}

        def general_ids() -> list[int]:
            """The general signals as the report used to choose them: all, then in pandas."""
            frame = wb.signals(**window)
            return frame.loc[frame["customer_id"].isna(), "id"].tolist()

        def report_ids() -> list[int]:
            return ReportModel(wb, "navika-motors", "2026-10").general_signals["id"].tolist()

        everyone = wb.signals(**window)
        assert everyone["customer_id"].notna().any() and everyone["customer_id"].isna().any()
        general = wb.signals(**window, no_customer=True)
        assert general["id"].tolist() == general_ids() == report_ids()
        assert general["customer_id"].isna().all()
        # other customers' signals are not read at all
        assert read[-1]["customer_id"].isna().all() and len(read[-1]) < len(everyone)

        # a correction may give a signal a customer, or make one at no customer a general type
        raw = wb.signals(since=window["since"], until=window["until"], one_per_story=False)
        customerless = raw[raw["customer_id"].isna()]
        moved = pick(customerless, type="capacity")
        retyped = pick(customerless[~customerless["type"].isin(GENERAL_TYPES)], company_id=True)
        dropped = pick(customerless[customerless["id"] != moved["id"]], type="technology_launch")
        wb.correct(int(moved["id"]), customer="Navika Motors", reason="the line is for Navika")
        wb.correct(int(retyped["id"]), type="capacity")
        wb.reject(int(dropped["id"]))
        assert now_as(wb, moved, types=GENERAL_TYPES, no_customer=True).empty
        assert now_as(wb, moved, customer="navika-motors")["customer_id"].tolist() == ["navika-motors"]
        assert now_as(wb, retyped, **window, no_customer=True)["type"].tolist() == ["capacity"]
        assert now_as(wb, dropped, no_customer=True).empty
        after = wb.signals(**window, no_customer=True)
        assert after["customer_id"].isna().all() and after["id"].tolist() != general["id"].tolist()
        assert after["id"].tolist() == general_ids() == report_ids()
        with pytest.raises(UserError, match="not both"):
            wb.signals("navika-motors", no_customer=True)


def test_dropping_a_figure_and_correcting_again_merges_into_one_entry(workspace: Path) -> None:
    with Workbench.open(workspace) as wb:
        signal = pick(wb.signals(one_per_story=False), type="capacity", value=True)
        wb.correct(int(signal["id"]), value="none", reason="a count inside a name")
        fixed = now_as(wb, signal)
        assert fixed["value"].isna().all() and fixed["unit"].isna().all() and fixed["corrected"].all()
        if "previous_value" in fixed:
            assert fixed["previous_value"].isna().all()
        wb.correct(int(signal["id"]), type="customer_engagement", by="kam")
        entries = tomllib.loads(wb.corrections_path.read_text(encoding="utf-8"))["correction"]
        assert len(entries) == 1
        assert entries[0]["set"] == {"type": "customer_engagement", "value": "none"}
        assert entries[0]["reason"] == "a count inside a name" and entries[0]["by"] == "kam"
        assert now_as(wb, signal)["type"].tolist() == ["customer_engagement"]
        wb.uncorrect(int(signal["id"]))
        assert not wb.signals(one_per_story=False)["corrected"].any()
        with pytest.raises(UserError, match="has no correction"):
            wb.uncorrect(int(signal["id"]))


def test_unknown_names_units_and_ids_get_clear_errors_and_store_nothing(workspace: Path) -> None:
    with Workbench.open(workspace) as wb:
        signal_id = int(pick(wb.signals(one_per_story=False), type="quality_ppm")["id"])
        with pytest.raises(UserError, match=r"unknown customer 'Navikka' \(did you mean 'Navika Motors'"):
            wb.correct(signal_id, customer="Navikka")
        with pytest.raises(UserError, match=r"unknown company 'Vitreonn' \(did you mean 'Vitreon"):
            wb.correct(signal_id, company="Vitreonn")
        with pytest.raises(UserError, match="unknown unit 'furlongs'") as refused:
            wb.correct(signal_id, unit="furlongs")
        assert "points" not in str(refused.value.hint)      # a score in points is a %
        with pytest.raises(UserError, match="unknown unit 'points'"):
            wb.correct(signal_id, unit="points")
        with pytest.raises(UserError, match="unknown signal type 'quality'"):
            wb.correct(signal_id, type="quality")
        with pytest.raises(UserError, match="nothing to correct"):
            wb.correct(signal_id)
        with pytest.raises(UserError, match="no signal with id 987654"):
            wb.reject(987654)
        assert not wb.corrections_path.exists()


def test_a_hand_written_correction_applies_and_keeps_its_comments(workspace: Path) -> None:
    with Workbench.open(workspace) as wb:
        signal = pick(wb.signals(one_per_story=False), company_id="vitreon", document_kind="note",
                      value=True)
        sentence = " ".join(signal["text"].split())
        # by hand: the company by its display name, the sentence with other spacing and case
        wb.corrections_path.write_text(
            "# checked with the SQA head, 3 Nov\n\n"
            "[[correction]]\n"
            "# the board figure, not the rumour\n"
            f'document = "{signal["document_url"]}"\n'
            f'sentence = "  {sentence.upper()}  "\n'
            f'type = "{signal["type"]}"\n'
            'company = "Vitreon Auto Glass"\n'
            "set = { value = 42 }   # a trailing comment\n", encoding="utf-8")
        fixed = now_as(wb, signal)
        assert fixed["value"].tolist() == [42.0] and fixed["corrected"].all()
        wb.correct(int(signal["id"]), unit="%")
        text = wb.corrections_path.read_text(encoding="utf-8")
        assert text.startswith("# checked with the SQA head, 3 Nov\n")
        assert "# the board figure, not the rumour" in text
        assert text.count("[[correction]]") == 1
        assert tomllib.loads(text)["correction"][0]["set"] == {"value": 42, "unit": "%"}


def test_tagged_value_tells_apart_two_signals_of_one_sentence() -> None:
    signals = pd.DataFrame({
        "document_url": ["note:a.md"] * 3, "type": ["quality_ppm"] * 3,
        "company_id": ["vitreon", "vitreon", "kestrel-glass"], "company_name": [None] * 3,
        "text": ["Vitreon PPM 380 at Kesarpur and 120 at Ambeli; ours 72."] * 3,
        "value": [380.0, 120.0, 72.0]})
    entry = Correction(document="note:a.md", sentence="vitreon ppm 380 at kesarpur and 120 at ambeli; ours 72.",
                       type="quality_ppm", company="vitreon", tagged_value=120.0, reject=True)
    assert match([entry], signals) == {0: [1]}
    # a sentence the tagger now splits in two still finds its signal
    split = signals.assign(text=["Vitreon PPM 380 at Kesarpur and 120 at Ambeli;"] * 3)
    assert match([entry], split) == {0: [1]}
    assert match([entry], signals.assign(document_url="note:b.md")) == {}


# -- malformed files --------------------------------------------------------------------------

GOOD = ('[[correction]]\ndocument = "note:x.md"\nsentence = "Their PPM 380."\n'
        'type = "quality_ppm"\ncompany = "vitreon"\nreject = true\n\n')

MALFORMED = {
    "syntax": (GOOD + '[[correction]]\ndocument = "note:y.md\n', 9, "TOML syntax error"),
    "unknown key": (GOOD + '[[correction]]\ndocument = "note:y.md"\nsentence = "s"\n'
                    'type = "pricing"\nreject = true\nwhy = "x"\n', 13, "unknown key 'why'"),
    "unknown type": (GOOD.replace('"quality_ppm"', '"ppm"'), 4, "unknown signal type 'ppm'"),
    "unknown company": (GOOD.replace("reject = true", 'set = { company = "Vitreonn" }'), 6,
                        "unknown company 'Vitreonn' (did you mean 'Vitreon Auto Glass'"),
    "bad value": (GOOD.replace("reject = true", 'set = { value = "lots" }'), 6, "value must be a number"),
    "no change": (GOOD.replace("reject = true\n", ""), 1, "this correction changes nothing"),
    "both": (GOOD.replace("reject = true", 'reject = true\nset = { value = 3 }'), 6,
             "either rejects its signal or sets fields"),
    "twice": (GOOD + GOOD, 8, "the same signal as the correction at line 1"),
}


@pytest.mark.parametrize("case", list(MALFORMED))
def test_a_malformed_file_is_one_line_with_file_and_line(case: str, workspace: Path, capsys) -> None:
    text, line, message = MALFORMED[case]
    path = workspace / "corrections.toml"
    path.write_text(text, encoding="utf-8")
    with Workbench.open(workspace) as wb:
        signals_before = wb.store.row_counts()["signals"]
        with pytest.raises(UserError) as raised:
            wb.signals()
        assert raised.value.format().startswith(f"{path}:{line}: ")
        assert message in raised.value.format()
        with pytest.raises(UserError):              # nothing is written over a broken file
            wb.reject(int(wb.signals(apply_corrections=False)["id"].iloc[0]))
        assert wb.store.row_counts()["signals"] == signals_before
    assert path.read_text(encoding="utf-8") == text
    assert main(["signals", "-w", str(workspace)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith(f"error: {path}:{line}: ") and message in err[0]


# -- orphans ----------------------------------------------------------------------------------

def test_a_correction_whose_sentence_is_gone_is_reported_orphaned(workspace: Path, capsys) -> None:
    with Workbench.open(workspace) as wb:
        notes = wb.signals(one_per_story=False)
        notes = notes[notes["document_url"].str.endswith(".md")]
        signal = pick(notes, value=True)
        kept = pick(notes[notes["document_url"] != signal["document_url"]], value=True)
        wb.correct(int(signal["id"]), value=777, reason="to be orphaned")
        wb.reject(int(kept["id"]))
        note = workspace / signal["document_url"].removeprefix("note:")
        evidence = signal["text"].strip()
        text = note.read_text(encoding="utf-8")
        assert evidence in text
        note.write_text(text.replace(evidence, "Nothing to report on this line today."),
                        encoding="utf-8")
        assert not wb.import_files().failed
        wb.tag()

        table = wb.corrections().set_index("reason", drop=False)
        orphan = table.loc["to be orphaned"]
        assert orphan["status"] == "orphaned" and orphan["signal_ids"] == []
        assert "no longer in the document" in orphan["detail"]
        assert (table["status"] == "applied").sum() == 1         # the other one still applies
        after = wb.signals(one_per_story=False)
        assert 777.0 not in after["value"].tolist()
        assert now_as(wb, kept).empty
        line = int(orphan["line"])
    assert main(["signals", "corrections", "-w", str(workspace)]) == 0
    out = capsys.readouterr().out
    assert f"orphaned: {workspace / 'corrections.toml'}:{line}: the sentence is no longer" in out
    # the entry is kept, not silently dropped
    assert "to be orphaned" in (workspace / "corrections.toml").read_text(encoding="utf-8")


def test_a_deleted_document_orphans_its_correction(workspace: Path) -> None:
    with Workbench.open(workspace) as wb:
        signal = pick(wb.signals(one_per_story=False), document_kind="note")
        wb.reject(int(signal["id"]))
        with wb.store.transaction() as db:
            db.execute("DELETE FROM documents WHERE url = ?", (signal["document_url"],))
        row = wb.corrections().iloc[0]
        assert row["status"] == "orphaned"
        assert row["detail"] == "the document is no longer in the store"


# -- the CLI ----------------------------------------------------------------------------------

def listed_ids(out: str) -> list[int]:
    return [int(found.group(1)) for line in out.splitlines() if (found := re.match(r"(\d+)  ", line))]


def test_cli_lists_the_signals_at_no_customer(workspace: Path, capsys) -> None:
    ws = ["-w", str(workspace)]
    assert main(["signals", *ws, "--no-customer", "-t", "capacity", "-n", "0"]) == 0
    listed = listed_ids(capsys.readouterr().out)
    with Workbench.open(workspace) as wb:
        frame = wb.signals(types=["capacity"], one_per_story=False)
    assert listed and sorted(listed) == sorted(frame.loc[frame["customer_id"].isna(), "id"])
    assert main(["signals", *ws, "--no-customer", "-c", "navika-motors"]) == 2
    assert "not both" in capsys.readouterr().err


@pytest.mark.parametrize("signals_options, search_options, expected", [
    (["-t", "bogus"], ["-t", "bogus"], "error: unknown signal type 'bogus' (types: quality_ppm, "),
    (["-t", "capacity", "-t", "bogus"], ["-t", "bogus"], "error: unknown signal type 'bogus' "),
    (["--since", "garbage"], ["--since", "garbage"], "error: since: 'garbage' is not a date or a month"),
    (["--since", "2026-13"], ["--since", "2026-13"], "error: since: '2026-13' is not a date or a month"),
    (["--until", "2026-02-30"], None, "error: until: '2026-02-30' is not a date or a month "
                                      "(write YYYY-MM or YYYY-MM-DD)"),
])
def test_cli_signals_refuses_the_filters_search_refuses(signals_options, search_options, expected,
                                                        workspace: Path, capsys) -> None:
    ws = ["-w", str(workspace)]
    assert main(["signals", *ws, *signals_options]) == 2
    captured = capsys.readouterr()
    line = captured.err.strip()
    assert line.startswith(expected) and "\n" not in line and captured.out == ""
    if search_options is not None:          # word for word what `compintel search` says
        assert main(["search", "glass", *ws, *search_options]) == 2
        assert capsys.readouterr().err.strip() == line


def test_signals_checks_its_filters_and_reads_a_year_as_search_does(workspace: Path) -> None:
    with Workbench.open(workspace) as wb:
        for bad in ({"since": "garbage"}, {"until": "garbage"}, {"until": "2026-02-30"},
                    {"since": "2026-13"}, {"types": ["bogus"]}):
            with pytest.raises(UserError, match="is not a date or a month|unknown signal type"):
                wb.signals(**bad)
        year = wb.signals(until="2026", one_per_story=False)
        assert year["observed_at"].str.startswith("2026").any()
        assert year["id"].tolist() == wb.signals(until="2026-12-31", one_per_story=False)["id"].tolist()
        since_year = wb.signals(since="2026", one_per_story=False)
        assert since_year["id"].tolist() == wb.signals(since="2026-01-01", one_per_story=False)["id"].tolist()


def test_cli_round_trip(workspace: Path, capsys) -> None:
    ws = ["-w", str(workspace)]
    assert main(["signals", *ws, "--customer", "Navika Motors", "--type", "quality_ppm",
                 "--company", "Vitreon", "--limit", "3"]) == 0
    out = capsys.readouterr().out
    ids = listed_ids(out)
    assert len(ids) == 3 and "3 of " in out
    with Workbench.open(workspace) as wb:
        listed = wb.signals(one_per_story=False).set_index("id").loc[ids]
    assert set(listed["type"]) == {"quality_ppm"} and set(listed["company_id"]) == {"vitreon"}
    assert set(listed["customer_id"]) == {"navika-motors"}
    fixed, rejected = ids[0], ids[1]

    assert main(["signals", "correct", str(fixed), *ws, "--value", "4,321", "--unit", "ppm",
                 "--company", "ours", "--reason", "our board figure", "--by", "R. Iyer"]) == 0
    assert "company → kestrel-glass, value → 4321" in capsys.readouterr().out
    assert main(["signals", "reject", str(rejected), *ws, "--reason", "a rumour"]) == 0
    capsys.readouterr()

    entries = tomllib.loads((workspace / "corrections.toml").read_text(encoding="utf-8"))["correction"]
    assert [e.get("reject", False) for e in entries] == [False, True]
    assert entries[0]["set"] == {"company": "kestrel-glass", "value": 4321, "unit": "ppm"}
    assert entries[0]["by"] == "R. Iyer" and entries[1]["reason"] == "a rumour"
    assert entries[0]["type"] == "quality_ppm" and entries[0]["company"] == "vitreon"

    assert main(["signals", *ws, "--customer", "navika-motors", "--type", "quality_ppm", "-n", "0"]) == 0
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if line.startswith(f"{fixed} "))
    assert "4321 ppm" in row and "Kestrel" in row and " * " in row
    assert rejected not in listed_ids(out)

    assert main(["signals", "corrections", *ws]) == 0
    out = capsys.readouterr().out
    assert out.count("applied") == 2 and "orphaned" not in out

    assert main(["signals", "correct", str(fixed), *ws, "--customer", "Navikka"]) == 2
    assert "did you mean 'Navika Motors'" in capsys.readouterr().err
    assert main(["signals", "undo", str(rejected), *ws]) == 0
    capsys.readouterr()
    assert main(["signals", *ws, "-c", "navika-motors", "-t", "quality_ppm", "-n", "0"]) == 0
    assert rejected in listed_ids(capsys.readouterr().out)


def test_a_correction_covers_the_syndicated_copies_of_its_story(workspace: Path) -> None:
    with Workbench.open(workspace) as wb:
        everything = wb.signals(one_per_story=False)
        copies = everything.groupby(["story_id", "type", "company_id", "text"])["document_url"].nunique()
        story, kind, company, text = copies[copies > 1].index[0]
        shown = pick(wb.signals(), story_id=story, type=kind, company_id=company, text=text)
        wb.reject(int(shown["id"]), reason="not this story")
        # the story's other copy does not step in for the rejected one
        for frame in (wb.signals(), wb.signals(one_per_story=False)):
            left = frame[(frame["story_id"] == story) & (frame["type"] == kind)
                         & (frame["company_id"] == company) & (frame["text"] == text)]
            assert left.empty
