"""Canonical URLs, URL checks and safe file names.

A document is keyed by its canonical URL, so two spellings of one address must give the same
string. :func:`canonical_url` therefore:

* resolves a relative URL against ``base`` and removes ``.``/``..`` path segments;
* lower-cases the scheme and host (IDNA-encodes a non-ASCII host), drops a trailing dot on the
  host, the default port (80 for http, 443 for https) and the fragment;
* drops tracking parameters (:data:`TRACKING_PARAMS`, and any ``utm_*``), case-insensitively;
* sorts the remaining query parameters by name (values of a repeated name keep their order);
* normalises percent-encoding: escapes of unreserved characters are decoded, other escapes
  upper-cased, characters that may not appear raw (space, non-ASCII, ``"<>`` …) are encoded;
* writes an empty path as ``/``.

Kept on purpose: ``http`` and ``https`` stay distinct (a site may serve either or both), and a
trailing ``/`` on a non-root path is kept — ``/news/`` and ``/news`` are different resources
to many servers, and the canonical URL must still fetch. Copies that differ only so are caught
by the content fingerprint and the near-duplicate check (:mod:`compintel.dedupe`).
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urljoin, urlsplit, urlunsplit

from .errors import UserError

# Query parameters that identify a campaign, click or referrer, never the resource.
TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "ttclid",
    "li_fat_id", "mc_cid", "mc_eid", "ref", "ref_src", "ref_url", "referrer", "igshid",
    "igsh", "_ga", "_gl", "_hsenc", "_hsmi", "__hssc", "__hstc", "__hsfp", "hsctatracking",
    "cmpid", "ocid", "icid", "mkt_tok", "oly_anon_id", "oly_enc_id", "vero_id", "vero_conv",
    "s_cid", "sr_share", "spm", "trk", "trkcampaign", "ito", "ncid", "cid_source",
})
TRACKING_PREFIXES = ("utm_",)

DEFAULT_PORTS = {"http": 80, "https": 443}
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
# Characters RFC 3986 allows raw in a path or query besides the unreserved ones.
_PATH_SAFE = _UNRESERVED | frozenset("!$&'()*+,;=:@/%")
_QUERY_SAFE = _PATH_SAFE | frozenset("?")
_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")

MAX_FILENAME_CHARS = 120
MAX_FILENAME_BYTES = 200
_WINDOWS_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL"] + [f"COM{i}" for i in range(1, 10)]
    + [f"LPT{i}" for i in range(1, 10)])
_FILENAME_BAD = re.compile(r'[\x00-\x1f\x7f-\x9f/\\<>:"|?*]+')


class UrlError(UserError, ValueError):
    """A URL that cannot be made absolute or parsed."""


def is_http_url(url: object) -> bool:
    """True if ``url`` is an absolute http(s) URL with a host."""
    if not isinstance(url, str) or not url or any(c.isspace() or ord(c) < 32 for c in url):
        return False
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises on a non-numeric or out-of-range port
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def is_tracking_param(name: str) -> bool:
    """True if a query parameter named ``name`` only tracks the visitor."""
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def canonical_url(url: str, base: str | None = None) -> str:
    """The canonical form of ``url`` (resolved against ``base``); see the module docstring.

    Non-http(s) URLs (``mailto:``, ``file:``…) are returned with only the scheme lower-cased.
    Raises :class:`UrlError` if the result is not absolute or cannot be parsed.
    """
    raw = url.strip()
    try:
        if base:
            raw = urljoin(base.strip(), raw)
        parts = urlsplit(raw)
    except ValueError as exc:
        raise UrlError(f"cannot parse URL {url!r}: {exc}") from None
    scheme = parts.scheme.lower()
    if not scheme:
        raise UrlError(f"relative URL {url!r} without a base URL",
                       hint="give an absolute http(s) URL")
    if scheme not in DEFAULT_PORTS:
        return scheme + raw[len(parts.scheme):]
    try:
        host = _canonical_host(parts.hostname or "")
        port = parts.port
    except (ValueError, UnicodeError) as exc:
        raise UrlError(f"bad host or port in URL {url!r}: {exc}") from None
    if not host:
        raise UrlError(f"URL {url!r} has no host")
    netloc = host
    if port is not None and port != DEFAULT_PORTS[scheme]:
        netloc += f":{port}"
    # user:password@ is left out: credentials must not end up in stored URLs and logs
    path = _remove_dot_segments(_normalise_escapes(parts.path or "/", _PATH_SAFE)) or "/"
    query = _canonical_query(parts.query)
    return urlunsplit((scheme, netloc, path, query, ""))


def _canonical_host(host: str) -> str:
    host = host.rstrip(".").lower()
    if host.startswith("[") or ":" in host:  # IPv6 literal: urlsplit strips the brackets
        return f"[{host.strip('[]')}]"
    if not host.isascii():
        host = host.encode("idna").decode("ascii")
    return host


def _canonical_query(query: str) -> str:
    kept = []
    for piece in query.split("&"):
        if not piece:
            continue
        name = piece.split("=", 1)[0]
        if is_tracking_param(_decode_unreserved(name)):
            continue
        kept.append(_normalise_escapes(piece, _QUERY_SAFE))
    kept.sort(key=lambda piece: piece.split("=", 1)[0])  # stable: repeated names keep order
    return "&".join(kept)


def _decode_unreserved(text: str) -> str:
    def repl(match: re.Match[str]) -> str:
        char = chr(int(match.group(1), 16))
        return char if char in _UNRESERVED else "%" + match.group(1).upper()
    return _ESCAPE.sub(repl, text)


def _normalise_escapes(text: str, safe: frozenset[str]) -> str:
    text = _decode_unreserved(text)
    out = []
    for index, char in enumerate(text):
        escape_start = char == "%" and _ESCAPE.match(text, index) is not None
        if escape_start or (char in safe and char != "%"):
            out.append(char)
        else:
            out.append("".join(f"%{byte:02X}" for byte in char.encode("utf-8")))
    return "".join(out)


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 section 5.2.4, on a path that is already absolute."""
    if "." not in path:
        return path
    output: list[str] = []
    segments = path.split("/")
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if segment == ".":
            if last:
                output.append("")
        elif segment == "..":
            if len(output) > 1:
                output.pop()
            if last:
                output.append("")
        else:
            output.append(segment)
    result = "/".join(output)
    return result if result.startswith("/") else "/" + result


def safe_filename(name: str, *, default: str = "unnamed") -> str:
    """A file name made from user data: no separators, control or reserved characters.

    Reserved device names (``CON``, ``nul.txt``…) get a leading ``_``; the result is at most
    :data:`MAX_FILENAME_CHARS` characters and :data:`MAX_FILENAME_BYTES` UTF-8 bytes (the
    extension is kept when shortening) and never empty, ``.`` or ``..``.
    """
    text = unicodedata.normalize("NFC", str(name))
    text = re.sub(r"\s+", " ", text)  # tabs and newlines are spaces, not junk
    text = _FILENAME_BAD.sub("_", text).strip(" .")
    if not text:
        text = default
    if text.split(".", 1)[0].strip().upper() in _WINDOWS_RESERVED:
        text = "_" + text
    return _shorten(text)


def _shorten(text: str) -> str:
    def fits(candidate: str) -> bool:
        return (len(candidate) <= MAX_FILENAME_CHARS
                and len(candidate.encode("utf-8")) <= MAX_FILENAME_BYTES)
    if fits(text):
        return text
    stem, dot, suffix = text.rpartition(".")
    if not dot or not stem or len(suffix) > 10:
        stem, suffix = text, ""
    else:
        suffix = "." + suffix
    while stem and not fits(stem + suffix):
        stem = stem[:-1]
    return (stem.rstrip(" .") or "unnamed") + suffix
