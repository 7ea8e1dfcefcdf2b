"""The catalog: built-in pack plus workspace catalog, lookups, suggestions and bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from compintel.catalog import load_catalog
from compintel.errors import CatalogError
from compintel.tomlfile import key_lines, line_of


def workspace_catalog(tmp_path: Path, text: str) -> Path:
    sources = tmp_path / "sources"
    sources.mkdir(exist_ok=True)
    (sources / "catalog.toml").write_text(text, encoding="utf-8")
    return sources


def test_a_workspace_entry_adds_aliases_and_overrides_fields(tmp_path: Path) -> None:
    sources = workspace_catalog(tmp_path, '[[company]]\nid = "fuyao"\nrole = "competitor"\n'
                                          'aliases = ["FY Glass India"]\n\n'
                                          '[[company]]\nid = "newco"\nname = "Newco Glass Ltd"\n'
                                          'role = "competitor"\nabbreviations = ["NGL"]\n')
    catalog = load_catalog(sources)
    fuyao = catalog["fuyao"]
    assert "FY Glass India" in fuyao.aliases and "Fuyao Glass" in fuyao.aliases
    assert catalog.resolve("NGL", "company").id == "newco"
    assert catalog.resolve("newco glass ltd", "company").label == "COMPETITOR"


def test_our_company_is_chosen_per_workspace(tmp_path: Path) -> None:
    assert load_catalog().own.id == "asahi-india-glass"
    catalog = load_catalog(our_company="saint-gobain-sekurit")
    assert catalog.own.id == "saint-gobain-sekurit"
    assert catalog["asahi-india-glass"].label == "COMPETITOR"
    with pytest.raises(CatalogError, match="did you mean"):
        load_catalog(our_company="saint-gobain-sekurt")


def test_lookups_fold_case_accents_and_hyphens_and_suggest() -> None:
    catalog = load_catalog()
    assert catalog.resolve("sisecam", "company").id == "sisecam"
    assert catalog.resolve("Saint Gobain Sekurit", "company").id == "saint-gobain-sekurit"
    with pytest.raises(CatalogError, match="did you mean 'Maruti Suzuki India'"):
        catalog.resolve("Marutti", "company", role="customer")
    with pytest.raises(CatalogError, match="ambiguous"):
        catalog.resolve("Manesar", "plant")
    assert catalog.resolve("Manesar", "plant", company="maruti-suzuki").id == "maruti-suzuki/manesar"
    assert catalog.owner("honda-cars/tapukara") == "honda-cars"


@pytest.mark.parametrize(("text", "line", "field"), [
    ('[[company]]\nid = "x"\nname = 5\n', 3, "company.name"),
    ('[[plant]]\nid = "x/p"\nname = "P"\ncompany = [1]\n', 4, "plant.company"),
    ('[[company]]\nid = "x"\nname = "X"\nrole = "friend"\n', 4, "company.role"),
    ('[[company]]\nname = "No id"\n', 1, "company.id"),
    ('[[company]]\nid = "x"\nname = "X"\ncolour = "red"\n', 4, "company.colour"),
    ('pack = 1\n', 1, "pack"),
    ('company = ["a"]\n', 1, None),
    ('[[plant]]\nid = "z/p"\nname = "P"\ncompany = "nobody"\n', 2, "plant.company"),
])
def test_bad_catalog_files_name_file_line_and_field(tmp_path: Path, text: str, line: int,
                                                    field: str | None) -> None:
    sources = workspace_catalog(tmp_path, text)
    with pytest.raises(CatalogError) as caught:
        load_catalog(sources)
    error = caught.value
    assert error.path == str(sources / "catalog.toml")
    assert error.line == line
    assert error.field == field
    assert "\n" not in error.format()


def test_every_entry_knows_the_line_of_its_id(tmp_path: Path) -> None:
    text = ('[[company]]\nid = "a"\nname = "A"\n\n[[plant]]\n# a comment\nid = "a/p"\n'
            'name = "P"\ncompany = "a"\n\n[[company]]\nname = "B"\nid = "b"\n[[company]]\n'
            'id = "c"\nname = "C"\n')
    assert key_lines(text, "id", "company") == [2, 13, 15]
    assert key_lines(text, "id", "plant") == [7]
    assert key_lines('[[company]]\nname = "no id"\n', "id", "company") == [1]
    # the same lines as asking line_of entry by entry, on the built-in pack
    pack = (Path(__file__).resolve().parent.parent / "compintel" / "data" / "domain"
            / "india-auto-glass.toml").read_text(encoding="utf-8")
    for kind in ("company", "plant", "vehicle", "technology"):
        lines = key_lines(pack, "id", kind)
        assert lines
        assert lines == [line_of(pack, "id", kind, index) for index in range(len(lines))]
    catalog = load_catalog(workspace_catalog(tmp_path, text))
    assert catalog["c"].defined_in.endswith("catalog.toml:15")


def test_an_entry_extended_in_another_file_keeps_every_files_sources(tmp_path) -> None:
    first, second = tmp_path / "a.toml", tmp_path / "b.toml"
    first.write_text('[[company]]\nid = "orlenhof"\nname = "Orlenhof AG"\nrole = "org"\n'
                     'source = ["https://example.org/a"]\n', encoding="utf-8")
    second.write_text('[[company]]\nid = "orlenhof"\naliases = ["Orlenhof"]\n'
                      'source = ["https://example.org/b"]\n', encoding="utf-8")
    catalog = load_catalog(extra_files=[first, second])
    assert catalog["orlenhof"].attrs["source"] == ("https://example.org/a", "https://example.org/b")
    assert catalog["orlenhof"].aliases == ("Orlenhof",)


def test_bodies_are_organisations_no_signal_is_about(tmp_path) -> None:
    catalog = load_catalog()
    assert catalog["crisil"].role == "body" and catalog["crisil"].label == "ORG"


def test_a_known_company_in_the_wrong_role_is_named_as_what_it_is(catalog) -> None:
    # not "unknown customer 'vitreon' (did you mean 'Citroën'?)": the catalog knows it
    with pytest.raises(CatalogError) as caught:
        catalog.resolve("vitreon", "company", role="customer")
    assert caught.value.message == "'Vitreon Auto Glass' is a competitor, not a customer"
    assert caught.value.hint == "it goes where a competitor is asked for, as in --competitor vitreon"
    with pytest.raises(CatalogError) as caught:
        catalog.resolve("navika-motors", "company", role="competitor")
    assert caught.value.format() == ("'Navika Motors' is a customer, not a competitor (it goes where "
                                     "a customer is asked for, as in --customer navika-motors)")
    with pytest.raises(CatalogError, match="'CRISIL' is an industry body, not a customer "
                                           r'\(if it is a customer, set role = "customer" on id "crisil"'):
        catalog.resolve("CRISIL", "company", role="customer")
    with pytest.raises(CatalogError, match="is our own company, not a competitor .*our_company"):
        catalog.resolve("kestrel-glass", "company", role="competitor")
    # several roles allowed (a supplier column): the message names the roles asked for
    with pytest.raises(CatalogError, match="'Navika Motors' is a customer, not a supplier"):
        catalog.resolve("Navika Motors", "company", role=("competitor", "own", "org"), what="supplier")
    # a name the catalog does not know still gets "unknown … did you mean"
    with pytest.raises(CatalogError, match=r"unknown customer 'Navikka' \(did you mean 'Navika Motors'"):
        catalog.resolve("Navikka", "company", role="customer")
    assert catalog.resolve("vitreon", "company", role="competitor").id == "vitreon"
