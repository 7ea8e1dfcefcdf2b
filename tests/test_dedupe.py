"""Near-duplicate grouping: syndicated copies match, related stories do not."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from compintel import dedupe
from compintel.dedupe import (
    DUPLICATE_THRESHOLD,
    band_keys,
    is_near_duplicate,
    signature,
    signature_from_bytes,
    signature_to_bytes,
    similarity,
    words,
)

# A wire story (fictional) as the agency sent it.
ORIGINAL = """\
Sunmarg Safety Glass will set up a tempered glass line close to Dhruva Automobiles' Sagarpet
plant, the company told suppliers on Tuesday. The line is planned for 1.2 million sets a year
of side and back glass, which would make it the largest tempering operation in the region.

Sunmarg did not give a start date, but two equipment vendors said furnaces have been ordered
for delivery next spring. Being close to the customer matters for tempered parts, because a
short truck run cuts breakage in transit and lets a supplier refill the line several times a
day.

Buyers at Dhruva have complained this year about missed delivery slots from an incumbent
supplier. A nearby plant gives Sunmarg an argument in the next sourcing round, one purchase
manager said, speaking on condition of anonymity. The Vistar, which went into production in
April, uses more glass per vehicle than the models it sits beside on the Sagarpet line.

Sunmarg's managing director said at a supplier meet last month that the company wanted to be
the supplier that never stops a line. The company has raised money from its promoters for the
project and expects to hire about three hundred people for the new site."""

# The same story as a second site ran it: new headline, one sentence cut, one added,
# typographic quotes and different line wrapping.
SYNDICATED = """\
Sunmarg plans big tempering plant next to Dhruva

Sunmarg Safety Glass will set up a tempered glass line close to Dhruva Automobiles’ Sagarpet plant,
the company told suppliers on Tuesday. The line is planned for 1.2 million sets a year of side and
back glass, which would make it the largest tempering operation in the region.

Sunmarg did not give a start date, but two equipment vendors said furnaces have been ordered for
delivery next spring. Being close to the customer matters for tempered parts, because a short truck
run cuts breakage in transit and lets a supplier refill the line several times a day.

Buyers at Dhruva have complained this year about missed delivery slots from an incumbent supplier.
A nearby plant gives Sunmarg an argument in the next sourcing round, one purchase manager said,
speaking on condition of anonymity.

Sunmarg’s managing director said at a supplier meet last month that the company wanted to be the
supplier that never stops a line. The company has raised money from its promoters for the project
and expects to hire about three hundred people for the new site. Shares of listed glass makers
were little changed on the news."""

# A different story on the same topic, with much of the same vocabulary.
RELATED = """\
Clarity Glassworks says it will add a second tempering furnace at Ghiloth to win back the
confidence of Dhruva Automobiles, whose Sagarpet and Mirajganj plants have had missed delivery
slots this year. The company told suppliers on Monday that the furnace would raise its side and
back glass output and that it has ordered equipment for delivery in the summer.

Dhruva's buyers have asked every glass supplier for weekly reports on deliveries. A purchase
manager said the next sourcing round for the Vistar and Prayan would weigh delivery records as
heavily as price. Clarity's managing director said at a dealer meet that the company has hired
people for logistics and expects the line to run three shifts by the end of the year."""


def test_syndicated_copy_is_near_duplicate_and_a_band_candidate() -> None:
    a, b = signature(ORIGINAL), signature(SYNDICATED)
    assert similarity(a, b) >= DUPLICATE_THRESHOLD
    assert is_near_duplicate(a, b)
    assert set(band_keys(a)) & set(band_keys(b)), "LSH banding must offer the copy as candidate"


def test_related_story_with_shared_vocabulary_is_not_grouped() -> None:
    a, c = signature(ORIGINAL), signature(RELATED)
    assert similarity(a, c) < 0.2
    assert not is_near_duplicate(a, c)
    assert not set(band_keys(a)) & set(band_keys(c))
    # The two stories do share much of their vocabulary: the test is not trivially easy.
    shared = set(words(ORIGINAL)) & set(words(RELATED))
    assert len(shared) >= 40


def test_similarity_estimates_jaccard_of_shingles() -> None:
    exact = len(dedupe.shingles(ORIGINAL) & dedupe.shingles(SYNDICATED)) / len(
        dedupe.shingles(ORIGINAL) | dedupe.shingles(SYNDICATED))
    assert similarity(signature(ORIGINAL), signature(SYNDICATED)) == pytest.approx(exact, abs=0.12)


def test_normalisation_lowercases_strips_punctuation_keeps_numbers() -> None:
    assert words("Vitreon’s PPM: 380 (up from 1,50); Rs 5,00,000!") == [
        "vitreons", "ppm", "380", "up", "from", "150", "rs", "500000"]
    assert similarity(signature("VITREON wins the Koru backlite order, at 6.5% lower price."),
                      signature("Vitreon wins the koru backlite order at 6.5 % lower price")) == 1.0
    # Numbers are content: a different figure is a different shingle.
    assert words("PPM rose to 380") != words("PPM rose to 150")


def test_short_and_empty_texts() -> None:
    empty = signature("")
    assert band_keys(empty) == []
    assert similarity(empty, signature("  ... ")) == 0.0
    assert similarity(signature("Vitreon wins"), signature("vitreon WINS!")) == 1.0
    assert similarity(signature("Vitreon wins"), signature("Vitreon loses")) < 0.2
    assert len(band_keys(signature("Kestrel"))) == dedupe.BANDS


def test_signature_bytes_round_trip() -> None:
    sig = signature(ORIGINAL)
    data = signature_to_bytes(sig)
    back = signature_from_bytes(data)
    assert band_keys(back) == band_keys(sig)
    assert similarity(back, sig) == 1.0
    with pytest.raises(ValueError):
        signature_from_bytes(b"not a signature")
    with pytest.raises(ValueError):
        signature_from_bytes(data[:-4])


def test_signatures_equal_across_processes() -> None:
    code = ("import sys; from compintel.dedupe import signature, band_keys, signature_to_bytes;"
            "s = signature(sys.stdin.read()); print(signature_to_bytes(s).hex());"
            "print(','.join(map(str, band_keys(s))))")
    runs = [subprocess.run([sys.executable, "-c", code], input=ORIGINAL, capture_output=True,
                           text=True, check=True, env={**os.environ, "PYTHONHASHSEED": seed})
            for seed in ("1", "2")]
    assert runs[0].stdout == runs[1].stdout
    here = signature(ORIGINAL)
    hex_bytes, keys = runs[0].stdout.split()
    assert hex_bytes == signature_to_bytes(here).hex()
    assert [int(key) for key in keys.split(",")] == band_keys(here)


def test_band_keys_are_compact_integers_and_a_migrated_store_gets_them_back(demo_workspace) -> None:
    from compintel import Workbench
    from compintel.gather import backfill_bands

    keys = band_keys(signature(ORIGINAL))
    assert all(isinstance(key, int) and -(2 ** 63) <= key < 2 ** 63 for key in keys)
    with Workbench.open(demo_workspace) as wb:
        wb.gather()
        before = wb.store.query("SELECT band_key, document_id FROM document_bands ORDER BY 1, 2")
        stories = wb.store.query("SELECT id, story_id FROM documents ORDER BY id")
        assert before and all(isinstance(row[0], int) for row in before)
        # a store migrated to 0008 has its documents' MinHashes but no band keys
        with wb.store.transaction() as db:
            db.execute("DELETE FROM document_bands")
        assert backfill_bands(wb.store) > 0
        assert wb.store.query("SELECT band_key, document_id FROM document_bands ORDER BY 1, 2") == before
        assert backfill_bands(wb.store) == 0                  # nothing left to do
        wb.gather()                                           # and gathering again groups as before
        assert wb.store.query("SELECT id, story_id FROM documents ORDER BY id") == stories


def test_a_single_shared_band_is_no_candidate(tmp_path, monkeypatch) -> None:
    """Texts sharing boilerplate share a band now and then; only two or more shared bands make
    a candidate, so comparisons do not grow with the store (copies still group: see above)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    import bench_regather

    from compintel import Workbench
    from compintel import dedupe as module

    compared = []
    original = module.is_near_duplicate
    monkeypatch.setattr(module, "is_near_duplicate",
                        lambda a, b, threshold=module.DUPLICATE_THRESHOLD: compared.append(1) or original(a, b, threshold))
    root = bench_regather.build(tmp_path / "ws", 600)
    with Workbench.open(root) as wb:
        wb.gather()
        pairs = wb.store.query(
            "SELECT COUNT(*) FROM (SELECT a.document_id, b.document_id FROM document_bands a JOIN document_bands b "
            "ON a.band_key = b.band_key AND a.document_id < b.document_id GROUP BY 1, 2)")[0][0]
    assert pairs > 1_000                      # many pairs share a band …
    assert len(compared) < pairs / 20         # … few are compared
