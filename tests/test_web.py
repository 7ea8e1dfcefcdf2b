"""compintel.web against a local HTTP server: robots, retries, timeouts, redirects, caps."""

from __future__ import annotations

import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import TypeVar

import pytest
from localweb import ALLOW_LOCAL, LocalWeb, Response, redirect, unanswered_address

from compintel.errors import FetchError
from compintel.web import (
    CHUNK,
    FEED_TYPES,
    HTML_TYPES,
    BodyTooLarge,
    Fetcher,
    FetchResult,
    HostThrottle,
    RobotsDisallowed,
    RobotsUnavailable,
    merged_robots,
)
from compintel.workspace import HttpSettings

T = TypeVar("T")

FAST = replace(HttpSettings(), connect_timeout=0.3, read_timeout=0.3, min_host_interval=0.0,
               backoff_factor=0.01, allow_private=ALLOW_LOCAL)
PAGE = "<html><body><p>Kestrel quoted Rs 410 — “firm” — to Navika’s café team.</p></body></html>"


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(FAST) as fetcher:
        yield fetcher


def fetch_error(fetcher: Fetcher, url: str, **kwargs: object) -> FetchError:
    with pytest.raises(FetchError) as info:
        fetcher.fetch(url, **kwargs)  # type: ignore[arg-type]
    return info.value


# -- robots.txt ----------------------------------------------------------------------------

def test_robots_disallow_means_no_request_to_the_page(local_web: LocalWeb,
                                                      fetcher: Fetcher) -> None:
    local_web.robots("User-agent: *\nDisallow: /private/\n")
    local_web.route("/private/plan.html", Response(body=PAGE))
    error = fetch_error(fetcher, local_web.url("/private/plan.html"))
    assert isinstance(error, RobotsDisallowed)
    assert error.reason == "robots.txt disallows this URL"
    assert local_web.hits("/private/plan.html") == []
    assert not fetcher.can_fetch(local_web.url("/private/other"))
    local_web.route("/public.html", Response(body=PAGE))
    assert fetcher.fetch(local_web.url("/public.html")).status == 200


def test_robots_group_for_our_user_agent(local_web: LocalWeb) -> None:
    local_web.robots("User-agent: compintel\nDisallow: /\n\nUser-agent: *\nAllow: /\n")
    local_web.route("/news", Response(body=PAGE))
    with Fetcher(FAST) as ours:
        assert isinstance(fetch_error(ours, local_web.url("/news")), RobotsDisallowed)
    with Fetcher(replace(FAST, user_agent="otherbot/2.0")) as other:
        assert other.fetch(local_web.url("/news")).status == 200
    assert len(local_web.hits("/news")) == 1


def test_robots_checked_for_each_redirect_hop(local_web: LocalWeb, fetcher: Fetcher) -> None:
    local_web.robots("User-agent: *\nDisallow: /private/\n")
    local_web.route("/go", redirect("/private/x"))
    error = fetch_error(fetcher, local_web.url("/go"))
    assert isinstance(error, RobotsDisallowed)
    assert "redirect target" in error.reason
    assert local_web.hits("/private/x") == []


def test_robots_fetched_once_per_host_with_our_user_agent(local_web: LocalWeb,
                                                          fetcher: Fetcher) -> None:
    local_web.route("/a", Response(body=PAGE))
    fetcher.fetch(local_web.url("/a"))
    fetcher.fetch(local_web.url("/a"))
    fetcher.fetch(local_web.url("/a", host="localhost"))
    robots = local_web.hits("/robots.txt")
    assert [r.host for r in robots] == ["127.0.0.1", "localhost"]
    assert robots[0].headers["User-Agent"] == FAST.user_agent


@pytest.mark.parametrize(("status", "allowed"), [(404, True), (410, True), (401, True),
                                                 (403, True), (500, False), (503, False)])
def test_robots_status(local_web: LocalWeb, fetcher: Fetcher, status: int,
                       allowed: bool) -> None:
    """RFC 9309: a 4xx robots.txt allows all, a 5xx forbids the site for the run."""
    local_web.route("/robots.txt", Response(status, b"nope", "text/plain"))
    local_web.route("/a", Response(body=PAGE))
    if allowed:
        assert fetcher.fetch(local_web.url("/a")).status == 200
    else:
        error = fetch_error(fetcher, local_web.url("/a"))
        assert isinstance(error, RobotsUnavailable)
        assert error.reason == (f"robots.txt answered HTTP {status}; "
                                "not fetching this site in this run")
        assert local_web.hits("/a") == []


def test_robots_timeout_forbids_the_site_for_the_run(local_web: LocalWeb,
                                                     fetcher: Fetcher) -> None:
    """Issue 12, case 9: an unreachable robots.txt means disallow (RFC 9309), and says so."""
    local_web.route("/robots.txt", Response(body="User-agent: *\nAllow: /", delay=2.0,
                                            content_type="text/plain"))
    local_web.route("/a", Response(body=PAGE))
    local_web.route("/b", Response(body=PAGE))
    error = fetch_error(fetcher, local_web.url("/a"))
    assert isinstance(error, RobotsUnavailable)
    assert error.reason == "robots.txt timed out; not fetching this site in this run"
    assert isinstance(fetch_error(fetcher, local_web.url("/b")), RobotsUnavailable)
    assert len(local_web.hits("/robots.txt")) == 1      # asked once in the run
    assert local_web.hits("/a") == local_web.hits("/b") == []


def test_robots_connection_error_forbids_the_site(fetcher: Fetcher) -> None:
    with LocalWeb() as gone:
        url = gone.url("/a")
    error = fetch_error(fetcher, url)
    assert isinstance(error, RobotsUnavailable)
    assert error.reason.startswith("robots.txt could not be read (could not connect: ")
    assert error.reason.endswith("; not fetching this site in this run")


def test_robots_groups_for_one_agent_are_merged(local_web: LocalWeb, fetcher: Fetcher) -> None:
    """Issue 12, case 9: a second ``User-agent: *`` group counts too."""
    local_web.robots("User-agent: *\nDisallow: /private/\n\n"
                     "User-agent: otherbot\nDisallow: /\n\n"
                     "User-agent: *\nDisallow: /drafts/\n")
    local_web.route("/news", Response(body=PAGE))
    assert fetcher.fetch(local_web.url("/news")).status == 200
    for path in ("/private/a", "/drafts/b"):
        assert isinstance(fetch_error(fetcher, local_web.url(path)), RobotsDisallowed)
        assert local_web.hits(path) == []


def test_merged_robots_keeps_agents_apart() -> None:
    lines = merged_robots("User-agent: A\nUser-agent: b\nDisallow: /x # no\n"
                          "Sitemap: http://h/s.xml\nuser-agent: a\n\nAllow: /y\n")
    assert lines == ["sitemap: http://h/s.xml", "", "user-agent: A", "disallow: /x",
                     "allow: /y", "", "user-agent: b", "disallow: /x"]


def test_robots_ignored_when_turned_off(local_web: LocalWeb) -> None:
    local_web.robots("User-agent: *\nDisallow: /\n")
    local_web.route("/a", Response(body=PAGE))
    with Fetcher(replace(FAST, respect_robots=False)) as fetcher:
        assert fetcher.fetch(local_web.url("/a")).status == 200
    assert local_web.hits("/robots.txt") == []


def test_robots_redirect_body_is_not_read(local_web: LocalWeb) -> None:
    """A robots.txt redirect with a huge (or gzip-bomb) body: the hop's body is never read,
    the redirect is still followed, and its target's rules apply."""
    local_web.route("/robots.txt", Response(301, headers={"Location": "/rules.txt"},
                                            stream_bytes=100_000_000, encoding="gzip"))
    local_web.route("/rules.txt", Response(body="User-agent: *\nDisallow: /private/\n",
                                           content_type="text/plain"))
    local_web.route("/ok", Response(body=PAGE))
    with Fetcher(replace(FAST, max_bytes=CAP)) as fetcher:
        response, peak = _with_peak(lambda: fetcher.fetch(local_web.url("/ok")))
        assert response.body == PAGE.encode()
        assert isinstance(fetch_error(fetcher, local_web.url("/private/x")), RobotsDisallowed)
    assert peak < 8 * CAP               # decoding the 100 MB hop body would need far more
    assert len(local_web.hits("/rules.txt")) == 1


def test_robots_redirects_are_limited(local_web: LocalWeb) -> None:
    local_web.route("/robots.txt", redirect("/robots.txt"))
    local_web.route("/ok", Response(body=PAGE))
    with Fetcher(replace(FAST, max_redirects=3)) as fetcher:
        error = fetch_error(fetcher, local_web.url("/ok"))
    assert isinstance(error, RobotsUnavailable)
    assert error.reason.startswith("robots.txt could not be read (")
    assert len(local_web.hits("/robots.txt")) == 4
    assert local_web.hits("/ok") == []


# -- retries -------------------------------------------------------------------------------

def test_429_with_retry_after_then_success(local_web: LocalWeb, fetcher: Fetcher) -> None:
    local_web.route("/a", Response(429, headers={"Retry-After": "1"}), Response(body=PAGE))
    result = fetcher.fetch(local_web.url("/a"))
    assert result.status == 200
    first, second = local_web.hits("/a")
    assert second.time - first.time >= 0.95     # waited as asked (a lower bound only)


def test_retry_after_longer_than_the_limit_fails(local_web: LocalWeb, fetcher: Fetcher) -> None:
    local_web.route("/a", Response(503, headers={"Retry-After": "3600"}), Response(body=PAGE))
    error = fetch_error(fetcher, local_web.url("/a"))
    assert error.reason == "Retry-After 3600 s exceeds the 120 s limit"
    assert error.status == 503
    assert len(local_web.hits("/a")) == 1


def test_500_then_success(local_web: LocalWeb, fetcher: Fetcher) -> None:
    local_web.route("/a", Response(500), Response(502), Response(body=PAGE))
    assert fetcher.fetch(local_web.url("/a")).body == PAGE.encode()
    assert len(local_web.hits("/a")) == 3


def test_500_forever_fails_after_the_retries(local_web: LocalWeb) -> None:
    local_web.route("/a", Response(500))
    with Fetcher(replace(FAST, retries=2)) as fetcher:
        error = fetch_error(fetcher, local_web.url("/a"))
    assert error.reason == "HTTP 500 after 2 retries"
    assert error.status == 500
    assert len(local_web.hits("/a")) == 3


def test_client_errors_are_not_retried(local_web: LocalWeb, fetcher: Fetcher) -> None:
    error = fetch_error(fetcher, local_web.url("/missing"))
    assert (error.reason, error.status) == ("HTTP 404 Not Found", 404)
    assert len(local_web.hits("/missing")) == 1


# -- timeouts ------------------------------------------------------------------------------

def test_connect_timeout() -> None:
    with unanswered_address() as (host, port), \
            Fetcher(replace(FAST, respect_robots=False)) as fetcher:
        error = fetch_error(fetcher, f"http://{host}:{port}/page")
    assert error.reason == "timed out connecting after 0.3 s"


def test_read_timeout_before_headers(local_web: LocalWeb, fetcher: Fetcher) -> None:
    local_web.route("/slow", Response(body=PAGE, delay=2.0))
    error = fetch_error(fetcher, local_web.url("/slow"))
    assert error.reason == "timed out waiting for a response after 0.3 s"


def test_read_timeout_between_chunks(local_web: LocalWeb, fetcher: Fetcher) -> None:
    local_web.route("/stall", Response(body=PAGE, chunk_size=10, chunk_delay=2.0))
    error = fetch_error(fetcher, local_web.url("/stall"))
    assert error.reason == "timed out reading the body (0.3 s without data)"


def test_connection_refused() -> None:
    with LocalWeb() as gone:
        url = gone.url("/a")
    with Fetcher(replace(FAST, respect_robots=False)) as fetcher:
        error = fetch_error(fetcher, url)
    assert error.reason.startswith("could not connect: ")
    assert "refused" in error.reason


# -- redirects -----------------------------------------------------------------------------

def test_redirect_loop(local_web: LocalWeb, fetcher: Fetcher) -> None:
    local_web.route("/a", redirect("/b"))
    local_web.route("/b", redirect("/a"))
    error = fetch_error(fetcher, local_web.url("/a"))
    assert error.reason == "redirect loop after 5 hops"
    assert len(local_web.hits("/a")) + len(local_web.hits("/b")) == 6


def test_too_many_redirects(local_web: LocalWeb) -> None:
    for n in range(5):
        local_web.route(f"/{n}", redirect(f"/{n + 1}", status=301))
    local_web.route("/5", Response(body=PAGE))
    with Fetcher(replace(FAST, max_redirects=3)) as fetcher:
        error = fetch_error(fetcher, local_web.url("/0"))
        assert error.reason == "more than 3 redirects"
        assert local_web.hits("/4") == []
    with Fetcher(replace(FAST, max_redirects=5)) as fetcher:
        assert fetcher.fetch(local_web.url("/0")).final_url == local_web.url("/5")


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://127.0.0.1/x",
                                    "javascript:alert(1)"])
def test_redirect_to_non_http_target(local_web: LocalWeb, fetcher: Fetcher, target: str) -> None:
    local_web.route("/a", redirect(target))
    error = fetch_error(fetcher, local_web.url("/a"))
    assert error.reason == f"redirect to non-http URL {target}"
    assert error.url == local_web.url("/a")


@pytest.mark.parametrize(("location", "final_path"), [
    ("../news/item?id=7", "/news/item?id=7"),
    ("/abs/path", "/abs/path"),
    ("next", "/dir/next"),
])
def test_relative_redirect(local_web: LocalWeb, fetcher: Fetcher, location: str,
                           final_path: str) -> None:
    local_web.route("/dir/start", redirect(location, status=307))
    local_web.route(final_path, Response(body=PAGE))
    result = fetcher.fetch(local_web.url("/dir/start"))
    assert (result.url, result.final_url) == (local_web.url("/dir/start"),
                                              local_web.url(final_path))
    assert result.body == PAGE.encode()


def test_redirect_to_another_host(local_web: LocalWeb, fetcher: Fetcher) -> None:
    local_web.route("/a", redirect(local_web.url("/b", host="localhost"), status=301))
    local_web.route("/b", Response(body=PAGE))
    assert fetcher.fetch(local_web.url("/a")).final_url == local_web.url("/b", host="localhost")
    assert [r.host for r in local_web.hits("/b")] == ["localhost"]


def test_redirect_body_is_not_read(local_web: LocalWeb) -> None:
    """A redirect hop's body (here 100 MB of gzip bomb) is never read: requests would read a
    redirect's whole body into memory even with allow_redirects off."""
    local_web.route("/hop", Response(302, headers={"Location": "/end"},
                                     stream_bytes=100_000_000, encoding="gzip"))
    local_web.route("/end", Response(body=PAGE))
    with Fetcher(replace(FAST, max_bytes=CAP)) as fetcher:
        response, peak = _with_peak(lambda: fetcher.fetch(local_web.url("/hop")))
        assert response.body == PAGE.encode()
    assert peak < 8 * CAP


# -- bodies --------------------------------------------------------------------------------

def _with_peak(call: Callable[[], T]) -> tuple[T, int]:
    """``call()``'s result and the peak of Python allocations while it ran."""
    tracemalloc.start()
    try:
        result = call()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _fetch_measuring_peak(fetcher: Fetcher, url: str) -> tuple[BodyTooLarge, int]:
    def refused() -> BodyTooLarge:
        with pytest.raises(BodyTooLarge) as info:
            fetcher.fetch(url)
        return info.value

    return _with_peak(refused)


CAP = 1_000_000


def test_oversize_streamed_body_stops_at_the_cap(local_web: LocalWeb) -> None:
    local_web.route("/huge", Response(stream_bytes=300_000_000))   # no Content-Length
    with Fetcher(replace(FAST, max_bytes=CAP)) as fetcher:
        error, peak = _fetch_measuring_peak(fetcher, local_web.url("/huge"))
    assert error.reason == "body exceeds 1,000,000 bytes"
    assert CAP < error.received <= CAP + CHUNK
    assert peak < 8 * CAP           # reading the 300 MB would need far more


def test_gzip_bomb_is_capped_on_decoded_bytes(local_web: LocalWeb) -> None:
    # ~50 MB that compresses to well under the 1 MB cap.
    local_web.route("/bomb", Response(stream_bytes=50_000_000, encoding="gzip"))
    with Fetcher(replace(FAST, max_bytes=CAP)) as fetcher:
        error, peak = _fetch_measuring_peak(fetcher, local_web.url("/bomb"))
    assert error.reason == "body exceeds 1,000,000 bytes"
    assert CAP < error.received <= CAP + CHUNK
    assert peak < 8 * CAP


def test_declared_oversize_body_is_refused_before_reading(local_web: LocalWeb) -> None:
    local_web.route("/big", Response(body=b"x" * (CAP + 1)))
    with Fetcher(replace(FAST, max_bytes=CAP)) as fetcher:
        error = fetch_error(fetcher, local_web.url("/big"))
    assert isinstance(error, BodyTooLarge)
    assert error.received == 0
    assert error.reason == "body exceeds 1,000,000 bytes (Content-Length 1,000,001)"


def test_body_exactly_at_the_cap_is_fine(local_web: LocalWeb) -> None:
    local_web.route("/edge", Response(body=b"x" * 1000, chunk_size=300))
    with Fetcher(replace(FAST, max_bytes=1000)) as fetcher:
        assert len(fetcher.fetch(local_web.url("/edge")).body) == 1000


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_compressed_response_is_decoded(local_web: LocalWeb, fetcher: Fetcher,
                                        encoding: str) -> None:
    local_web.route("/z", Response(body=PAGE * 50, encoding=encoding))
    result = fetcher.fetch(local_web.url("/z"))
    assert result.body == (PAGE * 50).encode()
    assert local_web.hits("/z")[0].bytes_sent < len(result.body) // 5   # it was compressed
    assert encoding in local_web.hits("/z")[0].headers["Accept-Encoding"]


# -- conditional requests --------------------------------------------------------------------

def test_etag_gives_304(local_web: LocalWeb, fetcher: Fetcher) -> None:
    local_web.route("/feed", Response(body=PAGE, etag='"v7"'))
    first = fetcher.fetch(local_web.url("/feed"))
    assert (first.not_modified, first.etag, first.body) == (False, '"v7"', PAGE.encode())
    again = fetcher.fetch(local_web.url("/feed"), etag=first.etag)
    assert (again.status, again.not_modified, again.body, again.etag) == (304, True, b"", '"v7"')
    assert again.text() == ""
    assert local_web.hits("/feed")[1].headers["If-None-Match"] == '"v7"'
    changed = fetcher.fetch(local_web.url("/feed"), etag='"v6"')
    assert (changed.status, changed.not_modified) == (200, False)


def test_last_modified_gives_304(local_web: LocalWeb, fetcher: Fetcher) -> None:
    stamp = "Tue, 04 Mar 2025 10:00:00 GMT"
    local_web.route("/page", Response(body=PAGE, last_modified=stamp))
    first = fetcher.fetch(local_web.url("/page"))
    assert first.last_modified == stamp
    again = fetcher.fetch(local_web.url("/page"), last_modified=stamp)
    assert (again.not_modified, again.last_modified) == (True, stamp)
    assert local_web.hits("/page")[1].headers["If-Modified-Since"] == stamp
    older = fetcher.fetch(local_web.url("/page"), last_modified="Mon, 03 Mar 2025 10:00:00 GMT")
    assert not older.not_modified


def test_304_to_an_unconditional_request_is_an_error(local_web: LocalWeb,
                                                     fetcher: Fetcher) -> None:
    local_web.route("/odd", Response(304, content_type=None))
    assert fetch_error(fetcher, local_web.url("/odd")).status == 304


# -- politeness ----------------------------------------------------------------------------

def test_per_host_interval(local_web: LocalWeb) -> None:
    local_web.route("/a", Response(body=PAGE))
    settings = replace(FAST, min_host_interval=1.0, respect_robots=False)
    with Fetcher(settings) as fetcher:
        fetcher.fetch(local_web.url("/a"))                      # host 127.0.0.1
        fetcher.fetch(local_web.url("/a", host="localhost"))    # another host: no wait
        fetcher.fetch(local_web.url("/a"))                      # 127.0.0.1 again: waits
    first, other, second = local_web.hits("/a")
    assert (first.host, other.host, second.host) == ("127.0.0.1", "localhost", "127.0.0.1")
    assert second.time - first.time >= 0.99
    assert other.time - first.time < 0.9


def test_host_throttle_is_thread_safe() -> None:
    throttle = HostThrottle(0.2)
    starts: list[float] = []
    lock = threading.Lock()

    def ask() -> None:
        throttle.wait("example.org")
        with lock:
            starts.append(time.monotonic())

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    starts.sort()
    assert all(b - a >= 0.19 for a, b in zip(starts, starts[1:], strict=False))


def test_interval_zero_disables_the_wait() -> None:
    throttle = HostThrottle(0)
    assert throttle.wait("h") == 0 and throttle.wait("h") == 0


def test_user_agent_is_sent(local_web: LocalWeb) -> None:
    agent = "compintel-test/9.9 (+mailto:kam@example.com)"
    local_web.route("/a", Response(body=PAGE))
    with Fetcher(replace(FAST, user_agent=agent)) as fetcher:
        fetcher.fetch(local_web.url("/a"))
    assert [r.headers["User-Agent"] for r in local_web.requests] == [agent, agent]


@pytest.mark.parametrize("url", ["ftp://{host}/a", "file:///etc/passwd", "{host}/a",
                                 "javascript:alert(1)", "http:///a", "mailto:x@{host}",
                                 "http://[::1/a"])
def test_non_http_url_is_rejected_without_a_request(local_web: LocalWeb, fetcher: Fetcher,
                                                    url: str) -> None:
    url = url.format(host=f"127.0.0.1:{local_web.port}")
    error = fetch_error(fetcher, url)
    assert error.reason == "only http(s) URLs can be fetched"
    assert local_web.requests == []


# -- content types and text ----------------------------------------------------------------

def test_content_type_mismatch(local_web: LocalWeb, fetcher: Fetcher) -> None:
    local_web.route("/doc", Response(body=b"%PDF-1.7" + b"x" * 100_000,
                                     content_type="application/pdf"))
    error = fetch_error(fetcher, local_web.url("/doc"), accept=HTML_TYPES)
    assert error.reason == ("content type application/pdf is not one of "
                            "application/xhtml+xml, text/html")
    assert local_web.hits("/doc")[0].headers["Accept"].startswith("application/xhtml+xml, ")


def test_content_type_match_ignores_parameters_and_case(local_web: LocalWeb,
                                                        fetcher: Fetcher) -> None:
    local_web.route("/feed", Response(body="<rss/>", content_type="Application/RSS+XML; q=1"))
    local_web.route("/page", Response(body=PAGE, content_type="text/plain"))
    assert fetcher.fetch(local_web.url("/feed"), accept=FEED_TYPES).content_type == \
        "application/rss+xml"
    assert fetcher.fetch(local_web.url("/page"), accept={"text/*"}).content_type == "text/plain"


def test_missing_content_type_fails_when_types_are_required(local_web: LocalWeb,
                                                            fetcher: Fetcher) -> None:
    local_web.route("/x", Response(body=PAGE, content_type=None))
    error = fetch_error(fetcher, local_web.url("/x"), accept=HTML_TYPES)
    assert error.reason.startswith("no content type")
    assert fetcher.fetch(local_web.url("/x")).body == PAGE.encode()   # fine when any type goes


def test_text_without_charset_is_not_read_as_latin1(local_web: LocalWeb,
                                                    fetcher: Fetcher) -> None:
    local_web.route("/a", Response(body=PAGE.encode("utf-8"), content_type="text/html"))
    result = fetcher.fetch(local_web.url("/a"))
    assert result.charset is None
    assert result.text() == PAGE


def test_text_uses_header_charset(local_web: LocalWeb, fetcher: Fetcher) -> None:
    local_web.route("/a", Response(body=PAGE.encode("cp1252"),
                                   content_type='text/html; charset="ISO-8859-1"'))
    result = fetcher.fetch(local_web.url("/a"))
    assert result.charset == "ISO-8859-1"
    assert result.text() == PAGE
    assert result.decoded().encoding == "cp1252"


def test_fetch_result_is_plain_data() -> None:
    result = FetchResult("http://a/", "http://a/", 200, False, "text/html", None, b"hi",
                         None, None)
    assert result.text() == "hi" and result.notes == ()


# -- politeness across processes (issue 12, case 10) ----------------------------------------

def test_throttles_sharing_a_pace_file_keep_the_interval_between_them(tmp_path) -> None:
    """Two throttles on one file stand for two processes: their starts queue up."""
    path = str(tmp_path / "compintel.db-hosts")
    throttles = [HostThrottle(0.25, path), HostThrottle(0.25, path)]
    starts: list[float] = []
    lock = threading.Lock()

    def ask(throttle: HostThrottle) -> None:
        for _ in range(3):
            throttle.wait("example.org")
            with lock:
                starts.append(time.monotonic())

    threads = [threading.Thread(target=ask, args=(throttle,)) for throttle in throttles]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for throttle in throttles:
        throttle.close()
    starts.sort()
    assert len(starts) == 6
    # slots are 0.25 s apart; a sleep may overrun by a few ms, so the next start looks early
    assert all(b - a >= 0.2 for a, b in zip(starts, starts[1:], strict=False))


FETCH_ONCE = """
import sys
from pathlib import Path
from compintel.web import Fetcher
from compintel.workspace import Workspace
with Fetcher(Workspace.load(Path(sys.argv[1])).settings.http) as fetcher:
    fetcher.fetch(sys.argv[2])
"""


def test_two_processes_sharing_a_workspace_keep_the_host_interval(local_web: LocalWeb,
                                                                  tmp_path) -> None:
    import subprocess
    import sys

    from gatherweb import make_workspace

    local_web.route("/a", Response(body=PAGE))
    root = make_workspace(tmp_path / "ws", "", min_host_interval=1.0, respect_robots=False)
    processes = [subprocess.Popen([sys.executable, "-c", FETCH_ONCE, str(root),
                                   local_web.url("/a")]) for _ in range(2)]
    assert [process.wait(timeout=60) for process in processes] == [0, 0]
    first, second = local_web.hits("/a")
    assert second.time - first.time >= 0.95
    assert (root / "compintel.db-hosts").is_file()
