"""Canonical URLs, URL checks and safe file names."""

from __future__ import annotations

import pytest

from compintel.errors import UserError
from compintel.urls import (
    MAX_FILENAME_BYTES,
    MAX_FILENAME_CHARS,
    TRACKING_PARAMS,
    UrlError,
    canonical_url,
    is_http_url,
    safe_filename,
)


def test_two_spellings_of_one_url_are_equal() -> None:
    a = ("HTTPS://Autoglass-Daily.EXAMPLE:443/news/2026/./09/../09/sunmarg-line"
         "?utm_source=rss&b=2&fbclid=XYZ&a=1#comments")
    b = "https://autoglass-daily.example/news/2026/09/sunmarg-line?a=1&b=2"
    assert canonical_url(a) == canonical_url(b) == b


@pytest.mark.parametrize("param", sorted(TRACKING_PARAMS) + ["utm_campaign", "UTM_Medium"])
def test_tracking_parameters_are_removed(param: str) -> None:
    url = f"https://x.example/story?id=42&{param}=abc"
    assert canonical_url(url) == "https://x.example/story?id=42"


def test_tracking_list_covers_the_usual_names() -> None:
    for name in ("fbclid", "gclid", "mc_cid", "mc_eid", "ref", "ref_src", "igshid", "_ga",
                 "cmpid", "ocid"):
        assert name in TRACKING_PARAMS


def test_query_sorted_by_name_repeated_names_keep_order_blank_values_kept() -> None:
    assert canonical_url("https://x.example/s?z=1&tag=b&a=&tag=a&flag") == (
        "https://x.example/s?a=&flag&tag=b&tag=a&z=1")
    assert canonical_url("https://x.example/s?utm_source=a") == "https://x.example/s"


def test_relative_urls_resolve_against_base() -> None:
    base = "https://x.example/news/2026/index.html?utm_source=a"
    assert canonical_url("../about/", base) == "https://x.example/news/about/"
    assert canonical_url("/story?ref=home", base) == "https://x.example/story"
    assert canonical_url("//cdn.example/a.js", base) == "https://cdn.example/a.js"
    assert canonical_url("?page=2", base) == "https://x.example/news/2026/index.html?page=2"


def test_ports_hosts_and_schemes() -> None:
    assert canonical_url("http://X.example:80/") == "http://x.example/"
    assert canonical_url("http://x.example:8080") == "http://x.example:8080/"
    assert canonical_url("https://x.example:80/") == "https://x.example:80/"
    assert canonical_url("http://x.example/a") != canonical_url("https://x.example/a")
    assert canonical_url("https://x.example./a") == "https://x.example/a"
    assert canonical_url("https://bücher.example/") == "https://xn--bcher-kva.example/"
    assert canonical_url("mailto:Desk@X.example") == "mailto:Desk@X.example"


def test_trailing_slash_policy_keeps_non_root_slash_and_adds_root_slash() -> None:
    assert canonical_url("https://x.example") == "https://x.example/"
    assert canonical_url("https://x.example/news/") == "https://x.example/news/"
    assert canonical_url("https://x.example/news") == "https://x.example/news"


def test_percent_encoding_is_normalised() -> None:
    assert canonical_url("https://x.example/%7Euser/a%2fb/%41") == "https://x.example/~user/a%2Fb/A"
    assert canonical_url("https://x.example/glass news/é?q=a b") == (
        "https://x.example/glass%20news/%C3%A9?q=a%20b")
    assert canonical_url("https://x.example/100%/x") == "https://x.example/100%25/x"
    # a reserved character stays encoded: %2F is not /
    assert canonical_url("https://x.example/a%2Fb") != canonical_url("https://x.example/a/b")


def test_bad_urls_raise_a_user_error() -> None:
    with pytest.raises(UrlError) as info:
        canonical_url("/news/story")
    assert isinstance(info.value, UserError) and isinstance(info.value, ValueError)
    with pytest.raises(UrlError):
        canonical_url("http://x.example:99999/")
    with pytest.raises(UrlError):
        canonical_url("http:///path-only")


@pytest.mark.parametrize("url,ok", [
    ("https://x.example/a", True),
    ("HTTP://x.example", True),
    ("ftp://x.example/a", False),
    ("javascript:alert(1)", False),
    ("/relative/path", False),
    ("https://", False),
    ("https://x.example:notaport/", False),
    ("https://x.example/a b", False),
    ("", False),
    (None, False),
])
def test_is_http_url(url: object, ok: bool) -> None:
    assert is_http_url(url) is ok


@pytest.mark.parametrize("name,expected", [
    ("Navika Q3 report.html", "Navika Q3 report.html"),
    ("../../etc/passwd", "_.._etc_passwd"),
    ("C:\\Users\\kam\\notes.md", "C_Users_kam_notes.md"),
    ("a<b>c:d\"e|f?g*h", "a_b_c_d_e_f_g_h"),
    ("tab\there\x00nul\x1b", "tab here_nul_"),
    ("CON", "_CON"),
    ("nul.txt", "_nul.txt"),
    ("lpt9.csv", "_lpt9.csv"),
    ("", "unnamed"),
    ("..", "unnamed"),
    ("  . ", "unnamed"),
    ("/", "_"),
])
def test_safe_filename(name: str, expected: str) -> None:
    assert safe_filename(name) == expected


def test_safe_filename_limits_length_and_keeps_extension() -> None:
    long_name = "Kestrel " * 60 + ".xlsx"
    result = safe_filename(long_name)
    assert len(result) <= MAX_FILENAME_CHARS and result.endswith(".xlsx")
    wide = safe_filename("गुणवत्ता" * 40 + ".md")
    assert len(wide.encode("utf-8")) <= MAX_FILENAME_BYTES and wide.endswith(".md")
    assert "/" not in safe_filename("a/" * 200)


def test_credentials_are_left_out_of_canonical_urls() -> None:
    assert canonical_url("https://kam:secret@news.example/a?b=1") == "https://news.example/a?b=1"


def test_an_unparseable_url_is_a_url_error_even_with_a_base() -> None:
    with pytest.raises(UrlError):
        canonical_url("http://[bad/story", "https://news.example/feed")
