"""``compintel tag-text`` through the real console script: the JSON Lines contract of
DESIGN.md ("Entities and signals"), with and without a workspace."""

from __future__ import annotations

import json
import os
import re
import select
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import copy_demo

from compintel.workspace import CONFIG_NAME, ENV_VAR

COMPINTEL = Path(__file__).resolve().parents[1] / ".venv" / "bin" / "compintel"
ENTITY_KEYS = {"text", "start", "end", "label", "id"}
SIGNAL_KEYS = {"type", "text", "start", "end", "company", "customer", "technology", "value", "unit"}
LABELS = {"OWN_COMPANY", "COMPETITOR", "CUSTOMER", "ORG", "TECHNOLOGY", "PLANT", "VEHICLE"}
SIGNAL_TYPES = {"quality_ppm", "delivery_performance", "vendor_rating", "pricing",
                "share_of_business", "supply_win", "supply_loss", "rfq", "technology_launch",
                "capacity", "customer_engagement", "partnership", "financial_result"}


def tag_text(lines: list[str], cwd: Path, *args: str) -> tuple[list[dict[str, Any]], subprocess.CompletedProcess]:
    env = {k: v for k, v in os.environ.items() if k != ENV_VAR}
    done = subprocess.run([str(COMPINTEL), "tag-text", *args], cwd=cwd, env=env,
                          input="".join(line + "\n" for line in lines),
                          capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert "Traceback" not in done.stderr, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()], done


def item(item_id: Any, text: str, **extra: Any) -> str:
    return json.dumps({"id": item_id, "text": text, **extra}, ensure_ascii=False)


def by_text(result: dict[str, Any]) -> dict[str, tuple[str, str | None]]:
    return {e["text"]: (e["label"], e["id"]) for e in result["entities"]}


def check_shape_and_offsets(result: dict[str, Any], text: str) -> None:
    """The contract's keys, and offsets that slice the input text to the reported strings."""
    assert set(result) == {"id", "entities", "signals"}
    for entity in result["entities"]:
        assert set(entity) == ENTITY_KEYS, entity
        assert entity["label"] in LABELS
        assert isinstance(entity["start"], int) and isinstance(entity["end"], int)
        assert text[entity["start"]:entity["end"]] == entity["text"], entity
    for signal in result["signals"]:
        assert set(signal) >= SIGNAL_KEYS, signal
        assert signal["type"] in SIGNAL_TYPES
        assert text[signal["start"]:signal["end"]] == signal["text"], signal
        assert signal["value"] is None or isinstance(signal["value"], int | float)


# -- without a workspace: the built-in domain pack alone --------------------------------------

# Facts from the domain notes (../shared/domain/india-auto-glass.md), no invented events.
FACTS = {
    "sgsil": "Saint-Gobain Sekurit India makes laminated windshields at Chakan.",
    "ais": "AIS has a plant at Bawal.",
    "unicode": "₹ 😀 Şişecam makes float glass at Halol; SGSIL has plants at Chakan and Bhosari.",
    "emoji-first": "🚗🚗 Asahi India Glass has a plant at Bawal, and Sekurit makes windshields at Chakan.",
}
N_LINES = 300


@pytest.fixture(scope="module")
def no_workspace(tmp_path_factory: pytest.TempPathFactory):
    """One run of 300 lines (facts, bad lines, fillers) from a folder with no workspace."""
    folder = tmp_path_factory.mktemp("no-workspace")
    if any((p / CONFIG_NAME).exists() for p in (folder, *folder.parents)):
        pytest.skip("a folder above the temporary directory is a compintel workspace")
    special = [item(key, text) for key, text in FACTS.items()] + [
        "this is not JSON",
        "",
        "[1, 2, 3]",
        json.dumps({"id": "no-text"}),
        json.dumps({"id": 42, "text": "AIS has a plant at Bawal."}),
        json.dumps({"id": None, "text": ""}),
        json.dumps({"id": {"nested": [1, "x"]}, "text": "SGSIL has a plant at Bhosari."}),
    ]
    fillers = [item(f"n{i:03d}", f"Line {i}: Sekurit makes windshields at Chakan.")
               for i in range(N_LINES - len(special))]
    lines = special[:6] + fillers + special[6:]
    results, done = tag_text(lines, folder, "--strict")
    return lines, results, done


def test_one_output_line_per_input_line_in_order(no_workspace) -> None:
    lines, results, done = no_workspace
    assert done.returncode == 1, done.stderr      # --strict, and some lines had errors
    assert done.stderr == ""
    assert len(lines) == N_LINES and len(results) == N_LINES
    for line, result in zip(lines, results, strict=True):
        try:
            sent = json.loads(line)
        except json.JSONDecodeError:
            assert result["id"] is None
            continue
        if isinstance(sent, dict):
            assert result["id"] == sent.get("id")      # any JSON value is echoed as given
    fillers = [r["id"] for r in results if isinstance(r["id"], str) and re.fullmatch(r"n\d{3}", r["id"])]
    assert fillers == [f"n{i:03d}" for i in range(N_LINES - 11)]
    assert results[-3]["id"] == 42 and results[-1]["id"] == {"nested": [1, "x"]}


def test_bad_lines_get_an_error_object_and_the_run_goes_on(no_workspace) -> None:
    lines, results, _ = no_workspace
    errors = {lines[i]: r for i, r in enumerate(results) if "error" in r}
    assert set(errors) == {"this is not JSON", "", "[1, 2, 3]", json.dumps({"id": "no-text"})}
    for result in errors.values():
        assert set(result) == {"id", "error"}
        assert isinstance(result["error"], str) and result["error"]
    assert errors["this is not JSON"]["id"] is None
    assert errors[""]["id"] is None                      # a blank line is a line too
    assert errors["[1, 2, 3]"]["id"] is None
    assert errors[json.dumps({"id": "no-text"})]["id"] == "no-text"
    # lines after the bad ones were tagged
    assert all("entities" in r for r in results[6:-5])


def test_empty_text_gives_empty_lists(no_workspace) -> None:
    lines, results, _ = no_workspace
    empty = results[lines.index(json.dumps({"id": None, "text": ""}))]
    assert empty == {"id": None, "entities": [], "signals": []}


def test_output_shape_and_character_offsets(no_workspace) -> None:
    lines, results, _ = no_workspace
    for line, result in zip(lines, results, strict=True):
        if "error" not in result:
            check_shape_and_offsets(result, json.loads(line)["text"])


def test_facts_tag_the_right_companies_without_a_workspace(no_workspace) -> None:
    lines, results, _ = no_workspace
    found = {r["id"]: by_text(r) for r in results if isinstance(r["id"], str) and r["id"] in FACTS}
    assert found["sgsil"]["Saint-Gobain Sekurit India"] == ("COMPETITOR", "saint-gobain-sekurit")
    assert found["sgsil"]["Chakan"] == ("PLANT", "saint-gobain-sekurit/chakan")
    assert found["sgsil"]["laminated windshields"][0] == "TECHNOLOGY"
    # the domain pack's own company is AIS when no workspace says otherwise
    assert found["ais"]["AIS"] == ("OWN_COMPANY", "asahi-india-glass")
    assert found["ais"]["Bawal"] == ("PLANT", "asahi-india-glass/bawal")
    assert found["unicode"]["Şişecam"] == ("COMPETITOR", "sisecam")
    assert found["unicode"]["SGSIL"] == ("COMPETITOR", "saint-gobain-sekurit")
    assert found["emoji-first"]["Asahi India Glass"] == ("OWN_COMPANY", "asahi-india-glass")
    assert found["emoji-first"]["Sekurit"] == ("COMPETITOR", "saint-gobain-sekurit")


def test_offsets_count_characters_not_bytes_or_utf16_units(no_workspace) -> None:
    lines, results, _ = no_workspace
    result = next(r for r in results if r.get("id") == "unicode")
    text = FACTS["unicode"]
    sisecam = next(e for e in result["entities"] if e["text"] == "Şişecam")
    # "₹ 😀 " is four characters (seven UTF-16 units, nine UTF-8 bytes)
    assert (sisecam["start"], sisecam["end"]) == (4, 11)
    assert text.index("SGSIL") == next(e["start"] for e in result["entities"] if e["text"] == "SGSIL")


def test_a_text_that_is_not_unicode_gets_an_error_and_the_run_goes_on(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != ENV_VAR}
    bad_bytes = b'{"id": 1, "text": "ab\xff\xfe AIS"}'
    bad_escape = b'{"id": 2, "text": "ab\\ud800 AIS"}'
    good = item(3, "AIS has a plant at Bawal.").encode("utf-8")
    done = subprocess.run([str(COMPINTEL), "tag-text"], cwd=tmp_path, env=env,
                          input=b"\n".join([bad_bytes, bad_escape, good, b""]),
                          capture_output=True, timeout=120)
    assert b"Traceback" not in done.stderr
    results = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    assert len(results) == 3
    assert set(results[0]) == set(results[1]) == {"id", "error"}
    assert results[2]["id"] == 3 and by_text(results[2])["AIS"][0] == "OWN_COMPANY"


# -- with the demo workspace ------------------------------------------------------------------

# Fictional demo-world sentences (sources/demo/WORLD.md)
DEMO = {
    "ppm": "Vitreon PPM at Kesarpur rose to 380 this month.",
    "quote": "😀 ₹ — Sunmarg quoted ₹3,850 a windshield for the Aarohi, per Meridian’s buyer.",
    "otif": "🚚 Delivery review. Clarity’s OTIF at Mirajganj was 86% in July.",
    "ais": "AIS has a plant at Bawal.",
    "sgsil": "Saint-Gobain Sekurit India makes laminated windshields at Chakan.",
    "kestrel": "Kestrel Safety Glass makes windshields at Dharuhera.",
}


@pytest.fixture(scope="module")
def demo_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_demo(tmp_path_factory.mktemp("tagtext") / "demo")


@pytest.fixture(scope="module")
def with_demo(demo_root: Path, tmp_path_factory: pytest.TempPathFactory):
    lines = [item(key, text) for key, text in DEMO.items()]
    lines.append(item("ctx", "Their PPM went up to 310 in September.",
                      context={"customer": "Navika Motors", "competitor": "Vitreon",
                               "grade": "observed"}))
    results, done = tag_text(lines, tmp_path_factory.mktemp("elsewhere"), "--workspace",
                             str(demo_root), "--strict")
    assert done.returncode == 0, done.stderr     # --strict, and no line had an error
    assert len(results) == len(lines)
    return {r["id"]: r for r in results}


def test_workspace_catalog_sets_our_company(with_demo) -> None:
    assert by_text(with_demo["ais"])["AIS"] == ("COMPETITOR", "asahi-india-glass")
    assert by_text(with_demo["kestrel"])["Kestrel Safety Glass"] == ("OWN_COMPANY", "kestrel-glass")
    assert by_text(with_demo["sgsil"])["Saint-Gobain Sekurit India"] == ("COMPETITOR", "saint-gobain-sekurit")


def test_signals_carry_company_customer_value_and_unit(with_demo) -> None:
    for key, text in DEMO.items():
        check_shape_and_offsets(with_demo[key], text)
    (ppm,) = [s for s in with_demo["ppm"]["signals"] if s["type"] == "quality_ppm"]
    assert (ppm["company"], ppm["customer"], ppm["value"], ppm["unit"]) == \
        ("Vitreon Auto Glass", "Navika Motors", 380, "ppm")
    assert (ppm["start"], ppm["end"]) == (0, len(DEMO["ppm"]))

    (quote,) = [s for s in with_demo["quote"]["signals"] if s["type"] == "pricing"]
    assert (quote["company"], quote["customer"], quote["value"], quote["unit"]) == \
        ("Sunmarg Safety Glass", "Meridian Mobility", 3850, "INR")
    assert quote["technology"] == "laminated windshield"
    assert by_text(with_demo["quote"])["Aarohi"] == ("VEHICLE", "meridian-mobility/aarohi")

    (otif,) = [s for s in with_demo["otif"]["signals"] if s["type"] == "delivery_performance"]
    assert (otif["company"], otif["customer"], otif["value"], otif["unit"]) == \
        ("Clarity Glassworks", "Dhruva Automobiles", 86, "%")
    # the evidence is the second sentence, located by character offsets after an emoji
    assert DEMO["otif"][otif["start"]:otif["end"]].startswith("Clarity’s OTIF")
    assert otif["start"] == DEMO["otif"].index("Clarity")


def test_context_attributes_a_pronoun_signal(with_demo) -> None:
    (signal,) = with_demo["ctx"]["signals"]
    assert (signal["type"], signal["company"], signal["customer"], signal["value"], signal["unit"]) \
        == ("quality_ppm", "Vitreon Auto Glass", "Navika Motors", 310, "ppm")


def test_the_workspace_is_found_from_the_current_folder(demo_root: Path) -> None:
    results, done = tag_text([item("ais", DEMO["ais"])], demo_root / "sources")
    assert done.returncode == 0
    assert by_text(results[0])["AIS"] == ("COMPETITOR", "asahi-india-glass")


def test_a_broken_workspace_catalog_is_an_error_not_a_silent_fallback(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    (root / "sources").mkdir(parents=True)
    (root / "compintel.toml").write_text("[workspace]\nname = 'x'\n", encoding="utf-8")
    (root / "sources" / "catalog.toml").write_text("[[company]]\nid = 5\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != ENV_VAR}
    done = subprocess.run([str(COMPINTEL), "tag-text"], cwd=root, env=env, input=item(1, "AIS"),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stdout == ""
    assert "catalog.toml:2" in done.stderr and "Traceback" not in done.stderr


def test_bad_context_is_an_error_for_that_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != ENV_VAR}
    lines = "\n".join([
        json.dumps({"id": 1, "text": "x", "context": {"grade": "weird"}}),
        json.dumps({"id": 2, "text": "x", "context": {"date": "2026-13-45"}}),
        json.dumps({"id": 3, "text": "x", "error": "mine", "context": {"customer": "Nobody Motors"}}),
        json.dumps({"id": 4, "text": "Their PPM 380.", "context": {"customer": "Maruti Suzuki",
                                                                    "grade": "rumoured"}}),
    ]) + "\n"
    done = subprocess.run([str(COMPINTEL), "tag-text"], cwd=tmp_path, env=env, input=lines,
                          capture_output=True, text=True, timeout=120)
    results = [json.loads(line) for line in done.stdout.splitlines()]
    assert [sorted(r) for r in results[:3]] == [["error", "id"]] * 3
    assert "grade" in results[0]["error"] and "YYYY-MM-DD" in results[1]["error"]
    assert "Nobody Motors" in results[2]["error"]
    assert results[3]["signals"][0]["customer_id"] == "maruti-suzuki"
    assert results[3]["signals"][0]["grade"] == "rumoured"


def test_an_unknown_context_key_is_an_error_for_that_line(tmp_path: Path) -> None:
    text = "Their PPM 380."
    results, done = tag_text([
        item(1, text, context={"customr": "Maruti Suzuki"}),
        item(2, text, context={"customer": "Maruti Suzuki", "source": "visit"}),
        item(3, text, context={"customer": "Maruti Suzuki"}),
    ], tmp_path, "--strict")
    assert done.returncode == 1 and done.stderr == ""      # --strict: some lines had errors
    assert results[0] == {"id": 1, "error": "unknown context key 'customr' (did you mean 'customer'? "
                                            "keys: customer, plant, competitor, grade, date)"}
    assert results[1] == {"id": 2, "error": "unknown context key 'source' "
                                            "(keys: customer, plant, competitor, grade, date)"}
    check_shape_and_offsets(results[2], text)
    assert results[2]["signals"][0]["customer_id"] == "maruti-suzuki"


def test_a_context_value_that_is_no_text_is_an_error_for_that_line(tmp_path: Path) -> None:
    text = "Their PPM 380."
    results, done = tag_text([item(1, text, context={"customer": 5}),
                              item(2, text, context={"customer": "Maruti Suzuki", "grade": None})],
                             tmp_path)
    assert done.returncode == 0
    assert results[0] == {"id": 1, "error": "context customer must be text (a name, an id or a date), not 5"}
    assert results[1]["signals"][0]["customer_id"] == "maruti-suzuki"      # null: as if not given


def test_a_pipe_gets_each_answer_before_the_next_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != ENV_VAR}
    with subprocess.Popen([str(COMPINTEL), "tag-text"], cwd=tmp_path, env=env, text=True,
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL) as process:
        for number in range(3):
            process.stdin.write(item(number, "AIS has a plant at Bawal.") + "\n")
            process.stdin.flush()
            ready, _, _ = select.select([process.stdout], [], [], 60)
            assert ready, "no answer within 60 s: the line is waiting for a batch"
            answer = json.loads(process.stdout.readline())
            assert answer["id"] == number
        process.stdin.close()
        assert process.wait(timeout=60) == 0


def test_a_text_past_the_document_limit_is_an_error_for_its_line(catalog) -> None:
    from compintel.nlp import Tagger
    from compintel.tagtext import tag_lines

    tagger = Tagger(catalog, recall=False)

    lines = [json.dumps({"id": 1, "text": "Vitreon PPM 380 at Kesarpur. " * 4}),
             json.dumps({"id": 2, "text": "Vitreon PPM 380."})]
    first, second = tag_lines(lines, tagger, max_chars=50)
    assert first == {"id": 1, "error": "text too long: 116 characters, at most 50 ([tag] max_document_chars); "
                                       "split it"}
    assert second["signals"][0]["value"] == 380
