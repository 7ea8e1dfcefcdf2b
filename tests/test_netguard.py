"""Issue 12, cases 1 and 5: no request to internal addresses, and no request without an end.

Every test here talks to 127.0.0.1 only. The ``connections`` fixture hooks ``socket.connect``
and the resolver: it records every address a connection is attempted to and lets only
127.0.0.1 through (anything else raises at once, so even a regression sends nothing off this
machine); invented names (``*.test``) resolve through a table, never through DNS.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest
from gatherweb import Item, listing_page, make_workspace, rss, source_table
from localweb import ALLOW_LOCAL, LocalWeb, Response, redirect

from compintel import Workbench
from compintel.errors import FetchError, WorkspaceError
from compintel.netguard import AddressPolicy, AddressRefused, address_kind
from compintel.web import Fetcher
from compintel.workspace import HttpSettings, parse_settings

FAST = replace(HttpSettings(), connect_timeout=0.5, read_timeout=0.5, min_host_interval=0.0,
               backoff_factor=0.01, allow_private=ALLOW_LOCAL)
PAGE = "<html><body><p>Kestrel quoted Rs 410 to Navika.</p></body></html>"
RSS_TYPE = "application/rss+xml"


@dataclass
class Connections:
    """Addresses a connection was attempted to, and a fake DNS table for ``*.test`` names."""

    attempted: list[str] = field(default_factory=list)
    dns: dict[str, list[str]] = field(default_factory=dict)    # name -> answers, in turn

    def refused_attempts(self) -> list[str]:
        return [address for address in self.attempted if address != "127.0.0.1"]


@pytest.fixture
def connections(monkeypatch: pytest.MonkeyPatch) -> Connections:
    seen = Connections()
    real_connect = socket.socket.connect
    real_getaddrinfo = socket.getaddrinfo

    def connect(sock: socket.socket, address: object) -> None:
        host = address[0] if isinstance(address, tuple) else str(address)
        seen.attempted.append(str(host))
        if host != "127.0.0.1":
            raise ConnectionRefusedError(f"test hook: no connection to {host}")
        real_connect(sock, address)

    def create_connection(address: tuple[str, int], *args: object, **kwargs: object) -> None:
        seen.attempted.append(str(address[0]))
        raise ConnectionRefusedError("test hook: create_connection is not used by compintel")

    def getaddrinfo(host: object, port: object, *args: object, **kwargs: object) -> list:
        name = str(host).lower()
        if name in seen.dns:
            answers = seen.dns[name]
            answer = answers.pop(0) if len(answers) > 1 else answers[0]
            family = socket.AF_INET6 if ":" in answer else socket.AF_INET
            sockaddr = (answer, port, 0, 0) if family == socket.AF_INET6 else (answer, port)
            return [(family, socket.SOCK_STREAM, 6, "", sockaddr)]
        if name.endswith(".test"):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real_getaddrinfo(host, port, *args, **kwargs)     # literals and localhost

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return seen


# -- case 1: SSRF ----------------------------------------------------------------------------

HOSTILE = [
    ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"),
    ("http://2852039166/", "2852039166 (169.254.169.254) is a link-local address"),
    ("http://0251.0376.0251.0376/", "0251.0376.0251.0376 (169.254.169.254) is a link-local"),
    ("http://0xa9fea9fe/", "0xa9fea9fe (169.254.169.254) is a link-local address"),
    ("http://127.0.0.1:{port}@169.254.169.254/", "169.254.169.254 is a link-local address"),
    ("http://10.0.0.1/", "10.0.0.1 is a private address"),
    ("http://[::1]:{port}/", "::1 is a loopback address"),
    ("http://[::ffff:169.254.169.254]/", "is a link-local address"),
    ("http://[::ffff:10.0.0.1]/", "is a private address"),
    ("http://0.0.0.0:{port}/", "0.0.0.0 is a unspecified address"),
    ("http://127.0.0.2:{port}/", "127.0.0.2 is a loopback address"),
    ("http://0177.0.0.2:{port}/", "0177.0.0.2 (127.0.0.2) is a loopback address"),
    ("http://224.0.0.1/", "224.0.0.1 is a multicast address"),
    ("http://100.64.0.1/", "100.64.0.1 is a non-public address"),
    ("http://[fe80::1]/", "fe80::1 is a link-local address"),
    ("http://[fec0::1]/", "fec0::1 is a site-local address"),
    ("http://metadata.test/", "metadata.test (169.254.169.254) is a link-local address"),
]


@pytest.mark.parametrize(("url", "reason"), HOSTILE)
def test_internal_address_is_refused_before_any_connection(
        local_web: LocalWeb, connections: Connections, url: str, reason: str) -> None:
    connections.dns["metadata.test"] = ["169.254.169.254"]
    url = url.format(port=local_web.port)
    with Fetcher(FAST) as fetcher, pytest.raises(AddressRefused) as info:
        fetcher.fetch(url)
    assert info.value.reason.startswith("refused: ")
    assert reason in info.value.reason
    assert info.value.reason.endswith("(allow it with [http] allow_private)")
    assert "\n" not in info.value.reason
    assert connections.attempted == []          # not even robots.txt was asked
    assert local_web.requests == []


@pytest.mark.parametrize(("target", "reason"), HOSTILE)
def test_redirect_to_an_internal_address_is_refused(
        local_web: LocalWeb, connections: Connections, target: str, reason: str) -> None:
    connections.dns["metadata.test"] = ["169.254.169.254"]
    target = target.format(port=local_web.port)
    local_web.route("/go", redirect(target))
    with Fetcher(FAST) as fetcher, pytest.raises(AddressRefused) as info:
        fetcher.fetch(local_web.url("/go"))
    assert info.value.reason.startswith(f"redirect to {target}: refused: ")
    assert reason in info.value.reason
    assert info.value.url == local_web.url("/go")
    assert connections.refused_attempts() == []
    assert [r.path for r in local_web.requests] == ["/robots.txt", "/go"]


def test_a_scoped_ipv6_address_connects_nowhere(
        local_web: LocalWeb, connections: Connections) -> None:
    local_web.route("/go", redirect("http://[fe80::1%25lo]/"))
    with Fetcher(FAST) as fetcher:
        for url in ("http://[fe80::1%25lo]/", "http://[::1%25lo]/", local_web.url("/go")):
            with pytest.raises(FetchError):
                fetcher.fetch(url)
    assert connections.refused_attempts() == []


def test_a_robots_txt_redirect_to_an_internal_address_is_refused(
        local_web: LocalWeb, connections: Connections) -> None:
    """robots.txt is fetched hop by hop too: its redirect to the metadata address connects
    nowhere, and the site is skipped for the run (robots.txt could not be read)."""
    local_web.route("/robots.txt", redirect("http://169.254.169.254/latest/meta-data/"))
    local_web.route("/a", Response(body=PAGE))
    with Fetcher(FAST) as fetcher, pytest.raises(FetchError) as info:
        fetcher.fetch(local_web.url("/a"))
    assert info.value.reason.startswith("robots.txt could not be read (refused: ")
    assert connections.refused_attempts() == []
    assert [r.path for r in local_web.requests] == ["/robots.txt"]


def test_a_dns_answer_that_changes_after_the_check_is_checked_again(
        local_web: LocalWeb, connections: Connections) -> None:
    """DNS rebinding: the connection resolves once more, checks, and connects to that address."""
    connections.dns["rebind.test"] = ["127.0.0.1", "10.0.0.1"]    # then 10.0.0.1 for good
    local_web.route("/a", Response(body=PAGE))
    settings = replace(FAST, respect_robots=False)
    with Fetcher(settings) as fetcher, pytest.raises(AddressRefused) as info:
        fetcher.fetch(f"http://rebind.test:{local_web.port}/a")
    assert info.value.reason == ("refused: rebind.test (10.0.0.1) is a private address "
                                 "(allow it with [http] allow_private)")
    assert connections.refused_attempts() == []
    assert local_web.requests == []


def test_a_name_connects_to_its_checked_address_and_keeps_its_host_header(
        local_web: LocalWeb, connections: Connections) -> None:
    connections.dns["intranet.test"] = ["127.0.0.1"]
    local_web.route("/a", Response(body=PAGE))
    url = f"http://intranet.test:{local_web.port}/a"
    with Fetcher(replace(FAST, allow_private=("intranet.test",))) as fetcher:
        assert fetcher.fetch(url).body == PAGE.encode()
    with Fetcher(replace(FAST, allow_private=())) as fetcher:
        with pytest.raises(AddressRefused):
            fetcher.fetch(url)
        assert not fetcher.can_fetch(url)
    assert [r.headers["Host"] for r in local_web.hits("/a")] == [f"intranet.test:{local_web.port}"]
    assert set(connections.attempted) == {"127.0.0.1"}


def test_feed_and_listing_links_to_internal_addresses_are_refused(
        local_web: LocalWeb, connections: Connections, tmp_path: Path) -> None:
    hostile = ["http://169.254.169.254/latest/meta-data/", "http://2852039166/x",
               f"http://127.0.0.1:{local_web.port}@169.254.169.254/y", "http://10.0.0.1/z"]
    items = [Item(f"Story {n}", link, "teaser") for n, link in enumerate(hostile)]
    local_web.route("/feed.xml", Response(body=rss(items), content_type=RSS_TYPE))
    local_web.route("/latest", Response(body=listing_page(hostile)))
    root = make_workspace(tmp_path / "ws", source_table(
        name="wire", kind="feed", url=local_web.url("/feed.xml"), fetch_articles=True)
        + source_table(name="latest", kind="listing", url=local_web.url("/latest"),
                       hosts=["169.254.169.254", "2852039166", "10.0.0.1"]))
    with Workbench.open(root) as wb:
        report = wb.gather()
    refused = [line for line in report.failures if ": refused: " in line]
    assert len(refused) >= len(hostile)             # every feed link (and listing link) named
    assert any(line.startswith("wire: http://169.254.169.254/") for line in refused)
    assert connections.refused_attempts() == []


def test_address_kinds() -> None:
    def kind(text: str) -> str | None:
        return address_kind(ipaddress.ip_address(text))

    assert kind("93.184.216.34") is None and kind("2606:2800:220:1::1") is None
    assert kind("2002:7f00:1::") == "loopback"          # 6to4 around 127.0.0.1
    assert kind("64:ff9b::a9fe:a9fe") == "link-local"   # NAT64 around the metadata address
    assert kind("::ffff:192.168.1.1") == "private"
    assert kind("fc00::1") == "private" and kind("ff02::1") == "multicast"
    assert kind("240.0.0.1") == "reserved" and kind("::") == "unspecified"
    assert kind("fec0::1") == "site-local"      # deprecated, but routed inside some networks


def test_allow_private_names_hosts_and_ranges() -> None:
    policy = AddressPolicy(["10.20.0.0/16", "127.0.0.1", "Intranet.Example.", "[::1]"])
    ip = ipaddress.ip_address
    assert policy.refusal("10.20.3.4", ip("10.20.3.4")) is None
    assert policy.refusal("10.21.0.1", ip("10.21.0.1")) is not None
    assert policy.refusal("x", ip("::ffff:10.20.0.9")) is None     # mapped: the IPv4 counts
    assert policy.refusal("intranet.example", ip("10.9.9.9")) is None
    assert policy.refusal("127.0.0.1", ip("127.0.0.1")) is None
    assert policy.refusal("127.0.0.2", ip("127.0.0.2")) is not None
    assert policy.refusal("[::1]", ip("::1")) is None


def test_allow_private_setting(tmp_path: Path) -> None:
    config = tmp_path / "compintel.toml"
    config.write_text('[http]\nallow_private = ["127.0.0.1", "10.20.0.0/16"]\n')
    assert parse_settings(config).http.allow_private == ("127.0.0.1", "10.20.0.0/16")
    assert HttpSettings().allow_private == ()
    config.write_text('[http]\nallow_private = "10.0.0.0/8"\n')
    with pytest.raises(WorkspaceError, match="http.allow_private: expected a list of strings"):
        parse_settings(config)


# -- case 5: deadlines and retry budgets ---------------------------------------------------

def timed(call: Callable[[], object]) -> tuple[float, BaseException | None]:
    start = time.monotonic()
    try:
        call()
    except Exception as exc:  # noqa: BLE001 - returned to the test
        return time.monotonic() - start, exc
    return time.monotonic() - start, None


def test_a_trickling_body_fails_at_the_request_deadline(local_web: LocalWeb) -> None:
    # One byte every 0.25 s: each read is well inside the read timeout, the whole is not.
    local_web.route("/trickle", Response(body=b"x" * 40, chunk_size=1, chunk_delay=0.25))
    settings = replace(FAST, read_timeout=2.0, request_deadline=1.0, respect_robots=False)
    with Fetcher(settings) as fetcher:
        elapsed, error = timed(lambda: fetcher.fetch(local_web.url("/trickle")))
    assert isinstance(error, FetchError)
    assert error.reason == "no complete response within the 1 s request deadline"
    assert 0.9 <= elapsed < 2.0


def test_slow_headers_fail_at_the_request_deadline(local_web: LocalWeb) -> None:
    local_web.route("/slow", Response(body=PAGE, delay=3.0))
    settings = replace(FAST, read_timeout=10.0, request_deadline=0.6)
    with Fetcher(settings) as fetcher:
        elapsed, error = timed(lambda: fetcher.fetch(local_web.url("/slow")))
    assert isinstance(error, FetchError)
    # robots.txt came back at once; the page's own request hit its deadline
    assert error.reason == "no complete response within the 0.6 s request deadline"
    assert elapsed < 1.5


def test_retry_waits_are_capped_per_url(local_web: LocalWeb) -> None:
    local_web.route("/busy", Response(429, headers={"Retry-After": "1"}))
    settings = replace(FAST, retries=5, retry_wait_per_url=2.5, respect_robots=False)
    with Fetcher(settings) as fetcher:
        elapsed, error = timed(lambda: fetcher.fetch(local_web.url("/busy")))
    assert isinstance(error, FetchError)
    assert error.reason == ("HTTP 429; retrying would wait 3 s in all, "
                            "over the 2.5 s limit per URL")
    assert len(local_web.hits("/busy")) == 3
    assert elapsed < 3.0


def test_retry_waits_are_capped_per_run_and_the_run_goes_on(local_web: LocalWeb) -> None:
    for path in ("/one", "/two"):
        local_web.route(path, Response(503, headers={"Retry-After": "1"}), Response(body=PAGE))
    local_web.route("/fast", Response(body=PAGE))
    settings = replace(FAST, retries=3, retry_wait_per_run=1.5, respect_robots=False)
    with Fetcher(settings) as fetcher:
        assert fetcher.fetch(local_web.url("/one")).status == 200     # waited 1 s
        error = timed(lambda: fetcher.fetch(local_web.url("/two")))[1]
        assert isinstance(error, FetchError)
        assert error.reason == "HTTP 503; the run's 1.5 s of retry waits are spent"
        assert fetcher.fetch(local_web.url("/fast")).status == 200    # no retry needed
    assert len(local_web.hits("/two")) == 1


def test_a_slow_host_fails_alone_in_a_gather(local_web: LocalWeb, tmp_path: Path) -> None:
    local_web.route("/slow", Response(body=PAGE * 20, chunk_size=4, chunk_delay=0.2))
    local_web.route("/ok", Response(body=PAGE))
    root = make_workspace(tmp_path / "ws", source_table(
        name="slow", kind="page", url=local_web.url("/slow"))
        + source_table(name="ok", kind="page", url=local_web.url("/ok")),
        request_deadline=1.0, respect_robots=False)
    with Workbench.open(root) as wb:
        start = time.monotonic()
        report = wb.gather()
        elapsed = time.monotonic() - start
    assert report.failures == [f"slow: {local_web.url('/slow')}: "
                               "no complete response within the 1 s request deadline"]
    assert [row["new"] for row in report.rows] == [0, 1]
    assert elapsed < 5.0


def test_deadline_settings(tmp_path: Path) -> None:
    config = tmp_path / "compintel.toml"
    config.write_text("[http]\nrequest_deadline = 20\nretry_wait_per_url = 30\n"
                      "retry_wait_per_run = 90\n")
    http = parse_settings(config).http
    assert (http.request_deadline, http.retry_wait_per_url, http.retry_wait_per_run) == \
        (20.0, 30.0, 90.0)
    assert (HttpSettings().request_deadline, HttpSettings().retry_wait_per_url,
            HttpSettings().retry_wait_per_run) == (60.0, 120.0, 600.0)
