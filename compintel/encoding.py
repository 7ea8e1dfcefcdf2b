"""Bytes → text for downloaded pages and feeds, the way a browser would decide.

Order: (1) a byte-order mark, (2) the HTTP ``Content-Type`` charset, (3) the document's own
declaration (``<meta charset>``, ``<meta http-equiv="Content-Type">``, ``<?xml encoding?>``),
(4) detection: strict UTF-8 first, then charset-normalizer. A declaration is skipped when it
is wrong: strict decoding fails, or it names a single-byte charset while the bytes are valid
UTF-8 with non-ASCII sequences (then UTF-8 wins). Never the ISO-8859-1 default that
``requests`` applies to ``text/*``; declared ISO-8859-1 and US-ASCII mean windows-1252, as in
browsers.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

import charset_normalizer
from bs4.dammit import EncodingDetector

# Labels browsers read differently from Python (WHATWG Encoding Standard), keyed by the
# canonical Python codec name.
_WHATWG = {
    "iso8859-1": "cp1252",
    "ascii": "cp1252",
    "iso8859-9": "cp1254",
    "iso8859-11": "cp874",
    "tis-620": "cp874",
    "gb2312": "gbk",
    "shift_jis": "cp932",
    "euc_kr": "cp949",
    "big5": "big5hkscs",
}
# Codecs where one character may span several bytes; all others in Python are single-byte.
_MULTI_BYTE = ("utf", "gb", "big5", "shift_jis", "cp932", "cp949", "cp950", "euc", "iso2022",
               "hz", "johab")
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))
# windows-1252 bytes Python leaves undefined; browsers map them to the C1 control of the
# same number, so a page "declared latin-1" never fails to decode.
_CP1252_HOLES = {0x81, 0x8D, 0x8F, 0x90, 0x9D}
# How much more "chaos" (charset-normalizer's 0..1 mess score) windows-1252 may show than
# the best guess and still be preferred: short Western texts are often guessed as cp1257
# or cp1250, which garbles the few accented letters. compintel reads English-language
# industry pages, where windows-1252 is by far the likeliest legacy encoding.
_CP1252_TOLERANCE = 0.1


def _cp1252_holes(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    chars = []
    for byte in error.object[error.start:error.end]:
        if byte not in _CP1252_HOLES:
            raise error
        chars.append(chr(byte))
    return "".join(chars), error.end


codecs.register_error("compintel-cp1252", _cp1252_holes)


@dataclass(frozen=True)
class Decoded:
    """Decoded text, the Python codec used, and which step chose it."""

    text: str
    encoding: str
    source: str     # "bom", "http", "document", "utf-8-override", "detected" or "fallback"


def codec_for(label: str | None) -> str | None:
    """The Python codec a browser would use for a charset label; None if unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    try:
        info = codecs.lookup(label)
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True):    # base64, zlib and the like
        return None
    return _WHATWG.get(info.name, info.name)


def is_single_byte(codec: str) -> bool:
    """Whether ``codec`` maps every byte to at most one character."""
    name = codecs.lookup(codec).name.replace("-", "_")
    return not name.startswith(_MULTI_BYTE)


def _strict(body: bytes, codec: str) -> str | None:
    errors = "compintel-cp1252" if codec == "cp1252" else "strict"
    try:
        return body.decode(codec, errors)
    except (UnicodeDecodeError, LookupError):
        return None


def _utf8_with_non_ascii(body: bytes) -> str | None:
    if body.isascii():
        return None
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _declared(body: bytes, codec: str | None, source: str) -> Decoded | None:
    if codec is None:
        return None
    if is_single_byte(codec):
        utf8 = _utf8_with_non_ascii(body)
        if utf8 is not None:
            return Decoded(utf8, "utf-8", "utf-8-override")
    text = _strict(body, codec)
    return Decoded(text, codec, source) if text is not None else None


def _document_codec(body: bytes) -> str | None:
    codec = codec_for(EncodingDetector.find_declared_encoding(body, is_html=True))
    # A declaration the ASCII-based scan could read cannot truly be UTF-16/32 (those need
    # a BOM); browsers take it to mean UTF-8.
    if codec and codec.startswith(("utf-16", "utf-32")):
        return "utf-8"
    return codec


def _detect(body: bytes) -> Decoded:
    try:
        return Decoded(body.decode("utf-8"), "utf-8", "detected")
    except UnicodeDecodeError:
        pass
    matches = charset_normalizer.from_bytes(body)
    best = matches.best()
    if best is not None:
        for match in matches:
            if ("cp1252" in match.could_be_from_charset
                    and match.chaos <= best.chaos + _CP1252_TOLERANCE):
                text = _strict(body, "cp1252")
                if text is not None:
                    return Decoded(text, "cp1252", "detected")
                break
        return Decoded(str(best), best.encoding, "detected")
    text = _strict(body, "cp1252")
    if text is not None:
        return Decoded(text, "cp1252", "fallback")
    return Decoded(body.decode("utf-8", "replace"), "utf-8", "fallback")


def decode(body: bytes, http_charset: str | None = None) -> Decoded:
    """Decode a downloaded body; ``http_charset`` is the Content-Type header's charset."""
    for bom, codec in _BOMS:
        if body.startswith(bom):
            # A BOM is unambiguous; browsers keep it even if a later byte is invalid.
            return Decoded(body.decode(codec, "replace"), codec.removesuffix("-sig"), "bom")
    decoded = _declared(body, codec_for(http_charset), "http")
    if decoded is None:
        decoded = _declared(body, _document_codec(body), "document")
    return decoded if decoded is not None else _detect(body)
