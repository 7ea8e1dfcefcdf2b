"""The ``compintel`` command: help, exit statuses, one-line errors, init, status, import,
gather with a broken sources file, eval floors. Mostly in-process through ``cli.main``; a few
through the installed console script to prove the real entry point behaves the same."""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import copy_demo

from compintel import UserError
from compintel.cli import build_parser, main
from compintel.demo import prepare
from compintel.store import Store, latest_version
from compintel.workspace import CONFIG_NAME, ENV_VAR

REPO = Path(__file__).resolve().parents[1]
COMPINTEL = REPO / ".venv" / "bin" / "compintel"
LABELLED = Path(__file__).resolve().parent / "data" / "cli" / "labelled.jsonl"


@pytest.fixture(autouse=True)
def _no_ambient_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from an empty folder with no workspace in the environment (the repo is one)."""
    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.chdir(tmp_path)


def run_cli(args: list[str], cwd: Path, stdin: str = "") -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != ENV_VAR}
    return subprocess.run([str(COMPINTEL), *args], cwd=cwd, env=env, input=stdin,
                          capture_output=True, text=True, timeout=120)


def one_error_line(stderr: str) -> str:
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    assert lines[0].startswith("error: ")
    return lines[0]


# -- help -------------------------------------------------------------------------------------

def _verbs(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()):
    """(argv prefix, sub-parser) for every verb, nested ones included."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield (*prefix, name), sub
                yield from _verbs(sub, (*prefix, name))


VERBS = list(_verbs(build_parser()))


def test_every_documented_verb_exists() -> None:
    names = {" ".join(argv) for argv, _ in VERBS}
    assert {"init", "gather", "import", "tag", "tag-text", "report", "demo", "status", "eval",
            "catalog", "catalog candidates", "sources"} <= names


@pytest.mark.parametrize(("argv", "sub"), VERBS, ids=[" ".join(a) for a, _ in VERBS])
def test_help_for_every_verb(argv, sub, capsys) -> None:
    with pytest.raises(SystemExit) as exited:
        main([*argv, "--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: compintel " + " ".join(argv))
    options = [max(action.option_strings, key=len) for action in sub._actions
               if action.option_strings and action.help != argparse.SUPPRESS]
    assert "--workspace" in options and "--help" in options
    for option in options:
        assert option in out, option


def test_version(capsys) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.startswith("compintel ")


@pytest.mark.parametrize(("verb", "expected"), [
    ("report", ["--customer", "--period", "--parallel"]),
    ("eval", ["--min-entity-f1", "--min-signal-f1", "--min-attribution", "--min-figure",
              "--min-organisation-f1", "--min-technology-f1", "--min-role-accuracy",
              "--min-type-recall", "--errors"]),
    ("status", ["--json"]),
    ("import", ["--table", "--sheet"]),
    ("gather", ["--source"]),
    ("tag-text", ["--strict"]),
])
def test_help_names_the_key_options(verb, expected, capsys) -> None:
    with pytest.raises(SystemExit):
        main([verb, "--help"])
    out = capsys.readouterr().out
    for option in expected:
        assert option in out


def test_help_through_the_console_script(tmp_path: Path) -> None:
    done = run_cli(["report", "--help"], tmp_path)
    assert done.returncode == 0 and "--customer" in done.stdout and "--period" in done.stdout


# -- user errors: one line, status 2 ----------------------------------------------------------

@pytest.mark.parametrize("argv", [
    ["status"], ["gather"], ["import"], ["tag"], ["report"], ["sources"],
    ["catalog", "candidates"], ["eval", str(LABELLED)], ["tag-text"],
], ids=lambda argv: " ".join(argv[:2]))
def test_missing_workspace_is_one_line_and_status_2(argv, capsys) -> None:
    status = main([*argv, "--workspace", "/nonexistent"])
    assert status == 2
    captured = capsys.readouterr()
    line = one_error_line(captured.err)
    assert "/nonexistent" in line and "compintel init" in line
    assert captured.out == ""


def test_missing_workspace_through_the_console_script(tmp_path: Path) -> None:
    done = run_cli(["status", "--workspace", "/nonexistent"], tmp_path)
    assert done.returncode == 2
    line = one_error_line(done.stderr)
    assert "/nonexistent" in line and "compintel init" in line


def test_no_workspace_found_from_cwd(tmp_path: Path, capsys) -> None:
    if any((folder / CONFIG_NAME).exists() for folder in tmp_path.resolve().parents):
        pytest.skip("a folder above the temporary directory is a compintel workspace")
    assert main(["status"]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert "compintel init" in line


def test_unknown_customer_gets_a_did_you_mean(demo_workspace: Path, capsys) -> None:
    assert main(["import", "-w", str(demo_workspace)]) == 0
    capsys.readouterr()
    status = main(["report", "-w", str(demo_workspace), "--customer", "Marutti", "--period", "2026-10"])
    assert status == 2
    captured = capsys.readouterr()
    line = one_error_line(captured.err)
    assert "Marutti" in line and "did you mean" in line and "maruti-suzuki" in line
    assert not (demo_workspace / "reports" / "2026-10").exists()


def test_unknown_customer_through_the_console_script(demo_workspace: Path) -> None:
    done = run_cli(["report", "--customer", "Navka", "--period", "2026-10"], demo_workspace)
    assert done.returncode == 2
    line = one_error_line(done.stderr)
    assert "did you mean" in line and "navika-motors" in line


# -- gather with a malformed sources file -----------------------------------------------------

def test_gather_reports_a_bad_definition_and_gathers_the_rest(demo_workspace: Path, capsys) -> None:
    extra_dir = demo_workspace / "sources" / "extra"
    extra_dir.mkdir()
    (extra_dir / "memo.txt").write_text(
        "Sunmarg Safety Glass plans a second tempering furnace near Sagarpet.\n", encoding="utf-8")
    extra = demo_workspace / "sources" / "extra.toml"
    extra.write_text('[[source]]\nname = "extra-memo"\nkind = "page"\npath = "extra/memo.txt"\n\n'
                     '[[source]]\nname = "broken"\nkind = "feed"\nurl = "ftp://feeds.example/x"\n',
                     encoding="utf-8")
    status = main(["gather", "-w", str(demo_workspace)])
    captured = capsys.readouterr()
    assert status == 1
    errors = [line for line in captured.err.splitlines() if line.strip()]
    assert len(errors) == 1 and "Traceback" not in captured.err
    assert re.search(r"extra\.toml:9: source\.url: .*ftp://", errors[0]), errors[0]
    # the good sources, in this file and the others, were gathered
    table = captured.out
    for name in ("extra-memo", "autoglass-daily", "motorwire-india", "saved-article-pages"):
        assert re.search(rf"^{re.escape(name)}\s", table, re.M), name
    assert "broken" not in table
    with Store.open(demo_workspace / "compintel.db") as store:
        urls = {row[0] for row in store.query("SELECT url FROM documents")}
        assert "file:sources/extra/memo.txt" in urls
        assert store.row_counts()["documents"] > 10


# -- init -------------------------------------------------------------------------------------

def test_init_creates_a_workspace_and_keeps_existing_files(tmp_path: Path, capsys) -> None:
    root = tmp_path / "team-north"
    assert main(["init", str(root), "--name", "Team North"]) == 0
    assert "workspace ready" in capsys.readouterr().out
    for relative in ("compintel.toml", "sources/sources.toml", "sources/catalog.toml"):
        assert (root / relative).is_file(), relative
    assert (root / "reports").is_dir()
    with Store.open(root / "compintel.db", migrate=False) as store:
        assert store.version == latest_version()
    assert 'name = "Team North"' in (root / "compintel.toml").read_text(encoding="utf-8")

    edited = {
        "compintel.toml": '[workspace]\nname = "Edited"\n',
        "sources/sources.toml": '# my sources\n',
        "sources/catalog.toml": '# my catalog\n',
    }
    for relative, text in edited.items():
        (root / relative).write_text(text, encoding="utf-8")
    (root / "reports" / "keep.html").write_text("<p>old</p>", encoding="utf-8")
    with Store.open(root / "compintel.db") as store, store.transaction() as db:
        db.execute("INSERT INTO gather_runs (started_at) VALUES ('2026-10-01')")

    assert main(["init", str(root)]) == 0
    for relative, text in edited.items():
        assert (root / relative).read_text(encoding="utf-8") == text, relative
    assert (root / "reports" / "keep.html").read_text(encoding="utf-8") == "<p>old</p>"
    with Store.open(root / "compintel.db") as store:
        assert store.row_counts()["gather_runs"] == 1


def test_init_through_the_console_script(tmp_path: Path) -> None:
    done = run_cli(["init", "fresh"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "fresh" / "compintel.toml").is_file()
    assert (tmp_path / "fresh" / "compintel.db").is_file()
    # the new workspace is found from inside it
    done = run_cli(["status", "--json"], tmp_path / "fresh" / "reports")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["workspace"] == str((tmp_path / "fresh").resolve())


def test_init_on_a_file_is_a_user_error(tmp_path: Path, capsys) -> None:
    target = tmp_path / "a-file"
    target.write_text("x", encoding="utf-8")
    assert main(["init", str(target)]) == 2
    assert "not a folder" in one_error_line(capsys.readouterr().err)
    assert target.read_text(encoding="utf-8") == "x"


# -- demo -------------------------------------------------------------------------------------

def test_demo_refuses_a_workspace_that_is_not_the_demo(tmp_path: Path, capsys) -> None:
    root = tmp_path / "team-north"
    assert main(["init", str(root), "--name", "Team North"]) == 0
    capsys.readouterr()
    assert main(["demo", "-w", str(root)]) == 2
    captured = capsys.readouterr()
    error = one_error_line(captured.err)
    assert f"{root} is a workspace that is not the demo" in error and "new or empty folder" in error
    assert captured.out == ""                                   # no step of the pipeline ran
    with Store.open(root / "compintel.db") as store:
        assert store.row_counts()["gather_runs"] == 0
    assert 'name = "Team North"' in (root / CONFIG_NAME).read_text(encoding="utf-8")


def test_demo_refuses_a_folder_that_is_not_empty_and_takes_an_empty_one_or_a_demo(tmp_path: Path) -> None:
    papers = tmp_path / "papers"
    papers.mkdir()
    (papers / "minutes.txt").write_text("not a workspace", encoding="utf-8")
    with pytest.raises(UserError, match="is a folder that is not empty"):
        prepare(papers)
    assert [p.name for p in papers.iterdir()] == ["minutes.txt"]     # nothing copied into it
    (tmp_path / "empty").mkdir()
    (tmp_path / "kept").mkdir()
    (tmp_path / "kept" / ".keep").touch()           # hidden files only: as good as empty
    for folder in (tmp_path / "empty", tmp_path / "kept", tmp_path / "new", copy_demo(tmp_path / "copied")):
        with prepare(folder) as wb:
            assert wb.workspace.settings.fictional and (folder / "sources" / "demo").is_dir()


# -- status -----------------------------------------------------------------------------------

def test_status_prints_row_counts_and_json(demo_workspace: Path, capsys) -> None:
    assert main(["import", "-w", str(demo_workspace)]) == 0
    capsys.readouterr()
    with Store.open(demo_workspace / "compintel.db") as store:
        counts = store.row_counts()
    assert counts["sales"] > 0

    assert main(["status", "-w", str(demo_workspace)]) == 0
    out = capsys.readouterr().out
    assert f"schema v{latest_version()}" in out
    for table, rows in counts.items():
        assert re.search(rf"^{table}\s+{rows}\s*$", out, re.M), (table, rows)

    assert main(["status", "--json", "-w", str(demo_workspace)]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["tables"] == counts
    assert status["schema_version"] == latest_version()
    assert {row["source"] for row in status["sources"]} >= {"sales-plan-actual", "kam-field-notes"}
    assert status["last_report"] is None


def test_status_shows_when_notes_and_table_sources_were_imported(demo_workspace: Path, capsys) -> None:
    # one table source names a folder of table files rather than a file
    tables = demo_workspace / "sources" / "demo" / "tables"
    (tables / "sob").mkdir()
    (tables / "share_of_business.csv").rename(tables / "sob" / "share_of_business.csv")
    definitions = demo_workspace / "sources" / "sources.toml"
    text = definitions.read_text(encoding="utf-8")
    definitions.write_text(text.replace('path = "demo/tables/share_of_business.csv"',
                                        'path = "demo/tables/sob"'), encoding="utf-8")

    def status() -> dict[str, dict]:
        assert main(["status", "--json", "-w", str(demo_workspace)]) == 0
        return {row["source"]: row for row in json.loads(capsys.readouterr().out)["sources"]}

    assert main(["import", "-w", str(demo_workspace)]) == 0
    capsys.readouterr()
    sources = status()
    imported = {name for name, row in sources.items() if row["kind"] in ("notes", "table")}
    assert {"kam-field-notes", "kam-visit-log", "sales-plan-actual", "share-of-business"} <= imported
    assert all(sources[name]["last_import"] is not None for name in imported)
    assert all(row["last_import"] is None for name, row in sources.items() if name not in imported)
    with Store.open(demo_workspace / "compintel.db") as store:
        when = dict(store.query("SELECT path, imported_at FROM imports"))
    assert sources["sales-plan-actual"]["last_import"] == when["sources/demo/tables/sales_plan_actual.xlsx"]
    assert sources["share-of-business"]["last_import"] == when["sources/demo/tables/sob/share_of_business.csv"]

    assert main(["status", "-w", str(demo_workspace)]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^source\s+kind\s+last_gather\s+last_import\s", out, re.M)
    row = next(line for line in out.splitlines() if line.startswith("share-of-business "))
    assert sources["share-of-business"]["last_import"] in row


# -- import -----------------------------------------------------------------------------------

def test_import_with_a_bad_table_reports_file_row_column_and_imports_the_rest(
        demo_workspace: Path, capsys) -> None:
    complaints = demo_workspace / "sources" / "demo" / "tables" / "complaints.csv"
    lines = complaints.read_text(encoding="utf-8").splitlines(keepends=True)
    assert "03/11/2025" in lines[2]
    lines[2] = lines[2].replace("03/11/2025", "31/02/2025")   # no 31 February
    complaints.write_text("".join(lines), encoding="utf-8")

    status = main(["import", "-w", str(demo_workspace)])
    captured = capsys.readouterr()
    assert status == 1
    line = one_error_line(captured.err)
    assert "complaints.csv:3:" in line and "Raised On" in line and "31/02/2025" in line
    assert "sales_plan_actual.xlsx" in captured.out and "imported" in captured.out
    with Store.open(demo_workspace / "compintel.db") as store:
        counts = store.row_counts()
    assert counts["complaints"] == 0                      # all-or-nothing per file
    for table in ("sales", "share_of_business", "vendor_ratings", "rfqs", "receivables",
                  "production_volumes", "field_notes"):
        assert counts[table] > 0, table


def test_import_reports_a_bad_definition_and_imports_the_rest(demo_workspace: Path, capsys) -> None:
    """A table source without ``table =`` is one error line on stderr (file and line), even
    with -q; the good sources are imported and the status is 1."""
    extra = demo_workspace / "sources" / "extra.toml"
    extra.write_text('[[source]]\nname = "extra-sob"\nkind = "table"\n'
                     'path = "demo/tables/share_of_business.csv"\n', encoding="utf-8")
    status = main(["import", "-q", "-w", str(demo_workspace)])
    captured = capsys.readouterr()
    assert status == 1
    line = one_error_line(captured.err)
    assert re.search(r"extra\.toml:\d+: source\.table: a table source needs table", line), line
    assert "sales_plan_actual.xlsx" in captured.out and "imported" in captured.out
    with Store.open(demo_workspace / "compintel.db") as store:
        assert store.row_counts()["sales"] > 0


def test_import_with_only_a_bad_definition_is_an_error_not_nothing_to_import(
        tmp_path: Path, capsys) -> None:
    root = tmp_path / "ws"
    assert main(["init", str(root)]) == 0
    (root / "sources" / "plan.csv").write_text("Customer,Month,Plan\n", encoding="utf-8")
    (root / "sources" / "sources.toml").write_text(
        '[[source]]\nname = "plan"\nkind = "table"\npath = "plan.csv"\n', encoding="utf-8")
    capsys.readouterr()
    status = main(["import", "-w", str(root)])
    captured = capsys.readouterr()
    assert status == 1
    line = one_error_line(captured.err)
    assert re.search(r"sources\.toml:\d+: source\.table: ", line), line
    assert "nothing to import" not in captured.out


def test_import_through_the_console_script_then_again_changes_nothing(demo_workspace: Path,
                                                                       capsys) -> None:
    first = run_cli(["import"], demo_workspace)
    assert first.returncode == 0, first.stderr
    assert "imported" in first.stdout
    assert main(["import", "-w", str(demo_workspace)]) == 0
    rows = [line for line in capsys.readouterr().out.splitlines()[2:] if line.strip()]
    assert len(rows) == 9                                   # two note sources, seven tables
    for row in rows:
        assert re.search(r"\sunchanged\s+\d+\s*$", row), row


# -- eval floors ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def measured() -> dict[str, float]:
    from compintel.catalog import load_catalog
    from compintel.evaluate import evaluate, load_labelled
    from compintel.nlp import Tagger

    tagger = Tagger(load_catalog(REPO / "sources", "kestrel-glass"))
    return evaluate(tagger, load_labelled(LABELLED)).summary()


FLOOR_OPTIONS = {"entity_f1": "--min-entity-f1", "signal_f1": "--min-signal-f1",
                 "attribution_accuracy": "--min-attribution", "figure_accuracy": "--min-figure",
                 "organisation_f1": "--min-organisation-f1", "technology_f1": "--min-technology-f1",
                 "role_accuracy": "--min-role-accuracy"}


@pytest.mark.parametrize("metric", FLOOR_OPTIONS)
def test_eval_fails_when_a_floor_is_above_the_measured_value(metric, measured, demo_workspace,
                                                             capsys) -> None:
    floor = measured[metric] + 0.01
    status = main(["eval", str(LABELLED), "-w", str(demo_workspace), FLOOR_OPTIONS[metric], str(floor)])
    captured = capsys.readouterr()
    assert status == 1
    assert "4 texts" in captured.out
    below = captured.err.strip().splitlines()
    assert len(below) == 1 and below[0].startswith(f"below floor: {metric} ")


def test_eval_passes_when_floors_are_at_or_below_the_measured_values(measured, demo_workspace,
                                                                     capsys) -> None:
    assert measured["entity_f1"] > 0 and measured["signal_f1"] > 0
    at = [item for metric, option in FLOOR_OPTIONS.items() for item in (option, repr(measured[metric]))]
    assert main(["eval", str(LABELLED), "-w", str(demo_workspace), *at]) == 0
    below = [item for metric, option in FLOOR_OPTIONS.items()
             for item in (option, repr(max(measured[metric] - 0.05, 0.0)))]
    assert main(["eval", str(LABELLED), "-w", str(demo_workspace), *below]) == 0
    assert capsys.readouterr().err == ""


def test_eval_floor_through_the_console_script(measured, demo_workspace) -> None:
    done = run_cli(["eval", str(LABELLED), "--min-signal-f1", str(measured["signal_f1"] + 0.01)],
                   demo_workspace)
    assert done.returncode == 1
    assert "below floor: signal_f1" in done.stderr and "Traceback" not in done.stderr


def test_eval_on_a_malformed_labelled_file_is_a_user_error(tmp_path, demo_workspace, capsys) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "text": "x"}\n{"id": "b", "entities": []}\n', encoding="utf-8")
    assert main(["eval", str(bad), "-w", str(demo_workspace)]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert f"{bad}:2:" in line


def test_python_dash_m_runs_the_cli(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "compintel", "status", "-w", "/nonexistent"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=60,
                          env={k: v for k, v in os.environ.items() if k != ENV_VAR})
    assert done.returncode == 2
    one_error_line(done.stderr)


def test_a_store_from_a_newer_compintel_is_one_line_and_status_2(tmp_path: Path, capsys) -> None:
    root = tmp_path / "ws"
    assert main(["init", str(root)]) == 0
    capsys.readouterr()
    import sqlite3

    with sqlite3.connect(root / "compintel.db") as db:
        db.execute(f"PRAGMA user_version = {latest_version() + 1}")
    assert main(["status", "-w", str(root)]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert "compintel.db" in line and "upgrade compintel" in line


def test_a_store_that_is_not_sqlite_is_one_line_and_status_2(tmp_path: Path, capsys) -> None:
    root = tmp_path / "ws"
    assert main(["init", str(root)]) == 0
    capsys.readouterr()
    (root / "compintel.db").write_text("notes, not a database\n", encoding="utf-8")
    assert main(["status", "-w", str(root)]) == 2
    assert "not a compintel store" in one_error_line(capsys.readouterr().err)
    assert (root / "compintel.db").read_text(encoding="utf-8") == "notes, not a database\n"


def test_eval_on_a_missing_file_is_a_user_error(tmp_path, demo_workspace, capsys) -> None:
    assert main(["eval", str(tmp_path / "missing.jsonl"), "-w", str(demo_workspace)]) == 2
    assert "missing.jsonl" in one_error_line(capsys.readouterr().err)


def test_eval_on_a_file_that_is_not_utf8_is_a_user_error(tmp_path, demo_workspace, capsys) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b'\xff\xfe{"id": 1}\n')
    assert main(["eval", str(bad), "-w", str(demo_workspace)]) == 2
    assert "not UTF-8" in one_error_line(capsys.readouterr().err)


# -- arguments argparse refuses: one line, status 2 -------------------------------------------

@pytest.mark.parametrize(("argv", "expected"), [
    (["sources", "list", "extra"], "`compintel sources list` takes no name, got 'extra'"),
    (["sources", "packs", "india-auto"], "`compintel sources packs` takes no name, got 'india-auto'"),
    (["sources", "list", "a", "b"], "unrecognized arguments: b"),
    (["catalog", "candidates", "--limit", "-1", "--min-count", "0"], "--limit/-n: must be 0 or more, got -1"),
    (["catalog", "candidates", "--min-count", "0"], "--min-count: must be 1 or more, got 0"),
    (["catalog", "candidates", "--limit", "ten"], "--limit/-n: expected a whole number, got 'ten'"),
    (["signals", "--limit", "-5"], "--limit/-n: must be 0 or more, got -5"),
    (["search", "PPM", "-n", "-1"], "--limit/-n: must be 0 or more, got -1"),
    (["eval", "x.jsonl", "--errors", "-1"], "--errors: must be 0 or more, got -1"),
    (["train-recall", "--epochs", "0"], "--epochs: must be 1 or more, got 0"),
    (["catalog"], "the following arguments are required: ACTION"),
    (["report", "-j", "two"], "--parallel/-j: invalid int value: 'two'"),
    (["frobnicate"], "VERB: invalid choice: 'frobnicate'"),
], ids=lambda value: " ".join(value) if isinstance(value, list) else None)
def test_bad_arguments_are_one_line_and_status_2(argv, expected, capsys) -> None:
    assert main(argv) == 2          # refused before any workspace is looked for (there is none)
    captured = capsys.readouterr()
    line = one_error_line(captured.err)
    assert line.startswith(f"error: {expected}"), line
    assert captured.out == ""


def test_every_option_has_a_help_text() -> None:
    parser = build_parser()
    for argv, sub in [((), parser), *VERBS]:
        for action in sub._actions:
            if action.option_strings and action.help != argparse.SUPPRESS:
                assert action.help, f"compintel {' '.join(argv)} {action.option_strings[0]}"


def test_a_known_company_in_the_wrong_role_is_named_so(demo_workspace: Path, capsys) -> None:
    for argv, expected in (
            (["search", "PPM", "-c", "vitreon"],
             "error: 'Vitreon Auto Glass' is a competitor, not a customer (it goes where a "
             "competitor is asked for, as in --competitor vitreon)"),
            (["report", "-c", "vitreon"], "error: 'Vitreon Auto Glass' is a competitor, not a customer"),
            (["search", "PPM", "--competitor", "navika-motors"],
             "error: 'Navika Motors' is a customer, not a competitor (it goes where a customer is "
             "asked for, as in --customer navika-motors)")):
        assert main([*argv, "-w", str(demo_workspace)]) == 2
        assert one_error_line(capsys.readouterr().err).startswith(expected)


def test_stored_text_cannot_drive_the_terminal_through_a_table() -> None:
    from compintel.cli import _table

    printed = _table([{"title": "Vitreon \x1b]0;PWNED\x07\x1b[2J OTIF 61%", "snippet": "line one\nline two\x01"}],
                     ["title", "snippet"])
    assert "\x1b" not in printed and "\x07" not in printed and "\x01" not in printed
    assert len(printed.splitlines()) == 3          # header, rule and one row: no line break from the text
    assert "Vitreon ?]0;PWNED??[2J OTIF 61%" in printed
