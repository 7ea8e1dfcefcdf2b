"""compintel.encoding: BOM, then header charset, then the page's own declaration, then detection."""

from __future__ import annotations

import codecs

import pytest

from compintel.encoding import codec_for, decode, is_single_byte

# Em dash and curly quotes exist in windows-1252 but not in ISO-8859-1; é exists in both.
TEXT = "Rs 410 — “quoted” café"
LATIN1_TEXT = "Le café à Pune: 25 °C, ½ prix, señor Vitreon"


def page(text: str, head: str = "") -> str:
    return f"<html><head>{head}<title>t</title></head><body><p>{text}</p></body></html>"


def para(decoded_text: str) -> str:
    return decoded_text.split("<p>")[1].split("</p>")[0]


META_1252 = '<meta charset="windows-1252">'
META_UTF8 = '<meta charset="utf-8">'
META_LATIN1_EQUIV = '<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">'


@pytest.mark.parametrize(("header", "head", "source"), [
    ("utf-8", "", "http"),                          # right header
    (None, META_UTF8, "document"),                  # right meta
    ("iso-8859-1", "", "utf-8-override"),           # wrong single-byte header
    ("windows-1252", META_1252, "utf-8-override"),  # wrong header and wrong meta
    (None, META_LATIN1_EQUIV, "utf-8-override"),    # wrong http-equiv meta
    ("shift_jis", "", "detected"),                  # wrong multi-byte header: strict decode fails
    (None, "", "detected"),                         # no declaration at all
])
def test_utf8_pages(header: str | None, head: str, source: str) -> None:
    decoded = decode(page(TEXT, head).encode("utf-8"), header)
    assert para(decoded.text) == TEXT
    assert decoded.encoding == "utf-8"
    assert decoded.source == source


@pytest.mark.parametrize(("header", "head", "source"), [
    ("windows-1252", "", "http"),                   # right header
    ("ISO-8859-1", "", "http"),                     # latin-1 means windows-1252, as in browsers
    ("us-ascii", "", "http"),                       # so does US-ASCII
    (None, META_1252, "document"),                  # right meta
    (None, META_LATIN1_EQUIV, "document"),          # http-equiv meta saying latin-1
    ("utf-8", META_1252, "document"),               # wrong header, right meta
    ("utf-8", META_UTF8, "detected"),               # wrong header and wrong meta
    (None, "", "detected"),                         # nothing declared
])
def test_windows_1252_pages(header: str | None, head: str, source: str) -> None:
    decoded = decode(page(TEXT, head).encode("cp1252"), header)
    assert para(decoded.text) == TEXT
    assert decoded.encoding == "cp1252"
    assert decoded.source == source


@pytest.mark.parametrize(("header", "head", "source"), [
    ("iso-8859-1", "", "http"),
    ("latin1", "", "http"),
    (None, META_LATIN1_EQUIV, "document"),
    ("utf-8", "", "detected"),                      # wrong header
    (None, META_UTF8, "detected"),                  # wrong meta
    (None, "", "detected"),                         # nothing declared
])
def test_iso_8859_1_pages(header: str | None, head: str, source: str) -> None:
    decoded = decode(page(LATIN1_TEXT, head).encode("latin-1"), header)
    assert para(decoded.text) == LATIN1_TEXT
    assert decoded.source == source


def test_header_beats_a_wrong_meta_when_the_header_is_right() -> None:
    decoded = decode(page(TEXT, META_1252).encode("utf-8"), "utf-8")
    assert para(decoded.text) == TEXT
    assert decoded.source == "http"


def test_latin1_declaration_never_fails_on_bytes_windows_1252_leaves_undefined() -> None:
    # 0x81 is undefined in Python's cp1252; browsers map it to U+0081.
    decoded = decode(page("a\x81b").encode("latin-1"), "iso-8859-1")
    assert para(decoded.text) == "a\x81b"
    assert decoded.encoding == "cp1252"


@pytest.mark.parametrize("declared", ["ISO-8859-1", "windows-1252"])
def test_xml_declaration(declared: str) -> None:
    feed = (f'<?xml version="1.0" encoding="{declared}"?>\n'
            f"<rss><channel><title>{TEXT}</title></channel></rss>")
    decoded = decode(feed.encode("cp1252"), None)
    assert decoded.text.split("<title>")[1].split("</title>")[0] == TEXT
    assert (decoded.encoding, decoded.source) == ("cp1252", "document")


def test_xml_declaration_naming_latin1_over_utf8_bytes_yields_utf8() -> None:
    feed = f'<?xml version="1.0" encoding="ISO-8859-1"?><rss><title>{TEXT}</title></rss>'
    decoded = decode(feed.encode("utf-8"), None)
    assert TEXT in decoded.text
    assert decoded.source == "utf-8-override"


def test_utf8_bom_beats_a_wrong_header() -> None:
    body = codecs.BOM_UTF8 + page(TEXT, META_1252).encode("utf-8")
    decoded = decode(body, "windows-1252")
    assert decoded.text.startswith("<html>")        # the BOM itself is not text
    assert para(decoded.text) == TEXT
    assert (decoded.encoding, decoded.source) == ("utf-8", "bom")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_bom(codec: str) -> None:
    bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
    decoded = decode(bom + page(TEXT).encode(codec), "iso-8859-1")
    assert decoded.text == page(TEXT)
    assert decoded.source == "bom"


def test_meta_declaring_utf16_without_bom_means_utf8() -> None:
    decoded = decode(page(TEXT, '<meta charset="utf-16">').encode("utf-8"), None)
    assert para(decoded.text) == TEXT
    assert decoded.source == "document"


def test_unknown_label_is_skipped() -> None:
    decoded = decode(page(TEXT, '<meta charset="no-such-charset">').encode("cp1252"),
                     "x-bogus")
    assert para(decoded.text) == TEXT


def test_empty_body() -> None:
    assert decode(b"", "utf-8").text == ""
    assert decode(b"", None).text == ""


@pytest.mark.parametrize(("label", "codec"), [
    ("ISO-8859-1", "cp1252"), ("latin1", "cp1252"), ("US-ASCII", "cp1252"),
    ("windows-1252", "cp1252"), ("UTF8", "utf-8"), (' "utf-8" ', "utf-8"),
    ("iso-8859-15", "iso8859-15"), ("no-such", None), ("base64", None), ("", None),
    (None, None),
])
def test_codec_for(label: str | None, codec: str | None) -> None:
    assert codec_for(label) == codec


def test_is_single_byte() -> None:
    assert is_single_byte("cp1252") and is_single_byte("iso8859-15") and is_single_byte("koi8-r")
    assert not is_single_byte("utf-8") and not is_single_byte("shift_jis")
    assert not is_single_byte("gb18030") and not is_single_byte("utf-16")
