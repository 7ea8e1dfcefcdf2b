"""Polite HTTP: robots.txt, a per-host pace, retries with backoff, capped bodies.

One :class:`Fetcher` per gather run. It follows redirects itself so every hop is checked
(http/https only, a public address unless ``allow_private`` names it, robots.txt, a hop
limit), retries 429 and 5xx with urllib3's ``Retry`` policy (honouring ``Retry-After`` up to
``max_retry_after``, with the total wait capped per URL and per run), bounds each request by
``request_deadline``, sends conditional requests, and streams bodies under ``max_bytes``
(counted after gzip/deflate decoding, so a compression bomb stops at the cap). The per-host
interval is kept in a small SQLite file beside the store, so processes sharing a workspace
keep it between them. Every failure is a :class:`~compintel.errors.FetchError` whose
``reason`` is one short line for the gather log.
"""

from __future__ import annotations

import logging
import re
import sqlite3
import threading
import time
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from email.message import Message
from types import TracebackType
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import requests
from requests.utils import requote_uri
from urllib3.exceptions import InvalidHeader, MaxRetryError, ReadTimeoutError
from urllib3.util.retry import Retry

from .encoding import Decoded, decode
from .errors import FetchError
from .netguard import AddressPolicy, AddressRefused, Deadline, GuardedAdapter, deadline_scope
from .urls import is_http_url
from .workspace import HttpSettings

log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, *range(500, 600)})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml",
                        "application/xml", "text/xml"})
CHUNK = 64 * 1024
ROBOTS_MAX_BYTES = 512 * 1024   # RFC 9309 asks crawlers to parse at least 500 KiB
PACE_STALE = 3600.0             # a shared reservation further ahead than this is a clock jump


class RobotsDisallowed(FetchError):
    """robots.txt forbids the URL (or a redirect target) for our User-Agent."""


class RobotsUnavailable(FetchError):
    """robots.txt answered 5xx or not at all: the site is skipped for this run (RFC 9309).

    A failure of the run, not a rule of the site: the next run asks again.
    """


class BodyTooLarge(FetchError):
    """The body grew past ``max_bytes``; ``received`` is how much was read before stopping."""

    def __init__(self, reason: str, *, url: str | None = None, status: int | None = None,
                 received: int = 0) -> None:
        super().__init__(reason, url=url, status=status)
        self.received = received


@dataclass(frozen=True)
class FetchResult:
    """One successful download (or a 304 confirming the cached copy is current)."""

    url: str                    # as requested
    final_url: str              # after redirects
    status: int
    not_modified: bool          # a 304: ``body`` is empty, keep the stored copy
    content_type: str | None    # media type only, lower case, e.g. "text/html"
    charset: str | None         # the Content-Type header's charset, as sent
    body: bytes
    etag: str | None
    last_modified: str | None
    notes: tuple[str, ...] = ()     # things the gather log should mention

    def decoded(self) -> Decoded:
        """The body as text, with the encoding chosen and why."""
        return decode(self.body, self.charset)

    def text(self) -> str:
        """The body as text (BOM, header charset, document declaration, detection)."""
        return self.decoded().text


class HostThrottle:
    """Keeps the starts of two requests to one host ``interval`` seconds apart.

    Thread-safe; with ``path`` (a SQLite file, e.g. beside the workspace's store) also across
    processes: each caller reserves its slot in one transaction before sleeping, so concurrent
    callers queue up behind it. Hosts are host names, ports ignored: politeness is owed to the
    machine, not the port.
    """

    def __init__(self, interval: float, path: str | None = None) -> None:
        self.interval = interval
        self.path = path or None
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None

    def wait(self, host: str) -> float:
        """Sleep until ``host`` may be asked again; returns the seconds slept."""
        if self.interval <= 0:
            return 0.0
        with self._lock:
            delay = self._reserve_shared(host) if self.path else None
            if delay is None:
                now = time.monotonic()
                start = max(now, self._next.get(host, now))
                self._next[host] = start + self.interval
                delay = start - now
        if delay > 0:
            time.sleep(delay)
        return delay

    def _reserve_shared(self, host: str) -> float | None:
        """Reserve the next slot for ``host`` in the shared file; None if it cannot be used."""
        try:
            if self._db is None:
                self._db = sqlite3.connect(self.path, timeout=30.0, isolation_level=None,
                                           check_same_thread=False)
                self._db.execute("CREATE TABLE IF NOT EXISTS host_pace "
                                 "(host TEXT PRIMARY KEY, next_at REAL NOT NULL)")
            db = self._db
            db.execute("BEGIN IMMEDIATE")   # one writer at a time, across processes
            try:
                now = time.time()       # wall clock: the one time processes share
                row = db.execute("SELECT next_at FROM host_pace WHERE host = ?",
                                 (host,)).fetchone()
                start = row[0] if row and now < row[0] <= now + PACE_STALE else now
                db.execute("INSERT INTO host_pace (host, next_at) VALUES (?, ?) "
                           "ON CONFLICT (host) DO UPDATE SET next_at = excluded.next_at",
                           (host, start + self.interval))
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            log.warning("%s: cannot share the per-host pace (%s); keeping it in this process",
                        self.path, exc)
            self.path = None
            return None
        return start - now

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None


@dataclass
class _Robots:
    parser: RobotFileParser
    denied: str | None = None       # why everything is disallowed (5xx, unreachable), if it is


_ROBOTS_RULES = frozenset({"allow", "disallow", "crawl-delay", "request-rate"})


def merged_robots(text: str) -> list[str]:
    """robots.txt lines with every group for one user-agent merged into one (RFC 9309 2.2.1).

    ``RobotFileParser`` keeps only the first group that names an agent and ends a group at a
    blank line; here a group is its user-agent lines and the rules after them, blank lines
    and comments aside, and rules for one agent in several groups all count.
    """
    rules: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    other: list[str] = []
    agents: list[str] = []
    in_rules = False
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        key, colon, value = line.partition(":")
        key, value = key.strip().lower(), value.strip()
        if not colon:
            continue
        if key == "user-agent":
            if in_rules:
                agents, in_rules = [], False
            agents.append(value.lower())
            names.setdefault(value.lower(), value)
            rules.setdefault(value.lower(), [])
        elif key in _ROBOTS_RULES:
            in_rules = True
            for agent in agents:
                rules[agent].append(f"{key}: {value}")
        else:
            other.append(f"{key}: {value}")     # sitemap and the like belong to no group
    lines = list(other)
    for agent, agent_rules in rules.items():
        lines += ["", f"user-agent: {names[agent]}", *agent_rules]
    return lines


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def _media_type(header: str | None) -> tuple[str | None, str | None]:
    if not header or not header.split(";", 1)[0].strip():
        return None, None
    message = Message()
    message["Content-Type"] = header
    return header.split(";", 1)[0].strip().lower(), message.get_param("charset") or None


def _accepts(media_type: str, accept: Collection[str]) -> bool:
    for wanted in accept:
        wanted = wanted.lower()
        if wanted == media_type or (wanted.endswith("/*") and
                                    media_type.startswith(wanted[:-1])):
            return True
    return False


def _cause(exc: BaseException) -> str:
    """The innermost readable cause of a connection error, e.g. "connection refused"."""
    text = str(exc)
    match = re.search(r"\[Errno -?\d+\] ([^)\]'\"]+)", text)
    if match:
        return match.group(1).strip().lower()
    match = re.search(r"Failed to resolve '([^']+)'", text)
    if match:
        return f"could not resolve host {match.group(1)}"
    return text.splitlines()[0][:200] if text else type(exc).__name__


class _HopSession(requests.Session):
    """A session that never looks past a redirect: the Fetcher follows redirects itself.

    ``Session.send`` reads a redirect's whole body into memory to find the next hop, even with
    ``allow_redirects=False`` (for ``Response.next``); a gzip bomb on a hop would be decoded
    in full. Here a hop's body is never read: closing the response drops the connection.
    """

    def resolve_redirects(self, *args: object, **kwargs: object) -> Iterator[requests.Response]:
        return iter(())


class Fetcher:
    """Downloads web pages and feeds politely; use as a context manager or call close()."""

    def __init__(self, settings: HttpSettings | None = None) -> None:
        self.settings = settings or HttpSettings()
        self._session = _HopSession()
        # No proxy from the environment: a proxy resolves names where they cannot be checked.
        self._session.trust_env = False
        self._policy = AddressPolicy(self.settings.allow_private)
        adapter = GuardedAdapter(self._policy)
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)
        self._session.headers["User-Agent"] = self.settings.user_agent
        self._session.max_redirects = self.settings.max_redirects  # robots.txt only
        self._throttle = HostThrottle(self.settings.min_host_interval, self.settings.pace_file)
        self._run_waited = 0.0      # retry waits of this run so far (retry_wait_per_run)
        self._retry = Retry(total=self.settings.retries, connect=0, read=0, redirect=0, other=0,
                            status=self.settings.retries, status_forcelist=RETRY_STATUSES,
                            backoff_factor=self.settings.backoff_factor,
                            respect_retry_after_header=True, raise_on_status=False)
        self._robots: dict[tuple[str, str], _Robots] = {}
        self._robots_locks: dict[tuple[str, str], threading.Lock] = {}
        self._lock = threading.Lock()

    # -- lifecycle -----------------------------------------------------------------
    def close(self) -> None:
        """Close pooled connections and the shared pace file."""
        self._session.close()
        self._throttle.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    # -- public --------------------------------------------------------------------
    def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
              accept: Collection[str] | None = None) -> FetchResult:
        """GET ``url``; ``accept`` lists allowed media types (``type/*`` works); None = any."""
        if not is_http_url(url):
            raise FetchError("only http(s) URLs can be fetched", url=url)
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        if accept:
            headers["Accept"] = ", ".join([*sorted(accept), "*/*;q=0.1"])
        chain = [url]
        notes: list[str] = []
        waited = [0.0]      # retry waits for this URL so far (retry_wait_per_url)
        while True:
            current = chain[-1]
            self._check_address(url, current)
            self._check_robots(url, current)
            response, deadline = self._get(url, current, headers, waited)
            target = self._redirect_target(url, current, response)
            if target is None:
                break
            chain.append(target)
            self._follow_limit(url, chain)
        with response, deadline_scope(deadline):
            return self._result(url, current, response, headers, accept, notes, deadline)

    def can_fetch(self, url: str) -> bool:
        """Whether ``url`` may be fetched: an allowed address, and robots.txt lets us."""
        try:
            self._check_address(url, url)
        except FetchError:
            return False
        if not self.settings.respect_robots:
            return True
        robots = self._robots_for(url)
        return robots.parser.can_fetch(self.settings.user_agent, url)

    # -- one hop -------------------------------------------------------------------
    def _check_address(self, url: str, current: str) -> None:
        """Refuse a host that resolves to a non-public address (before robots.txt)."""
        parts = urlsplit(current)
        try:
            self._policy.check_host(parts.hostname or "", parts.port)
        except FetchError as exc:
            reason = exc.reason if current == url else f"redirect to {current}: {exc.reason}"
            raise type(exc)(reason, url=url) from None

    def _check_robots(self, url: str, current: str) -> None:
        if not self.settings.respect_robots:
            return
        robots = self._robots_for(current)
        if robots.parser.can_fetch(self.settings.user_agent, current):
            return
        if robots.denied:
            raise RobotsUnavailable(robots.denied, url=url)
        if current == url:
            reason = "robots.txt disallows this URL"
        else:
            reason = f"robots.txt disallows redirect target {current}"
        raise RobotsDisallowed(reason, url=url)

    def _get(self, url: str, current: str, headers: dict[str, str],
             waited: list[float]) -> tuple[requests.Response, Deadline]:
        """One GET of ``current`` with retries on 429/5xx; the body is not read yet.

        Returns the response and the deadline of the request that gave it, for the body.
        """
        retry = self._retry
        while True:
            self._throttle.wait(_host(current))
            deadline = Deadline(self.settings.request_deadline)
            with deadline_scope(deadline):
                response = self._send(url, current, headers, deadline)
            status = response.status_code
            if not retry.is_retry("GET", status, "Retry-After" in response.headers):
                return response, deadline
            with response:
                try:
                    wait = retry.get_retry_after(response.raw)
                except InvalidHeader:
                    wait = None     # unreadable Retry-After: plain backoff
                limit = self.settings.max_retry_after
                if wait is not None and wait > limit:
                    raise FetchError(f"Retry-After {wait:g} s exceeds the {limit:g} s limit",
                                     url=url, status=status)
                try:
                    retry = retry.increment("GET", current, response=response.raw)
                except MaxRetryError:
                    tries = self.settings.retries
                    suffix = f" after {tries} retries" if tries else ""
                    raise FetchError(f"HTTP {status}{suffix}", url=url, status=status) from None
            if wait is None:
                wait = retry.get_backoff_time()
            self._budget_wait(url, status, wait, waited)
            log.info("HTTP %s from %s; retrying in %.1f s", status, current, wait)
            time.sleep(wait)

    def _budget_wait(self, url: str, status: int, wait: float, waited: list[float]) -> None:
        """Count ``wait`` against the URL's and the run's retry waits, or fail the URL."""
        settings = self.settings
        if waited[0] + wait > settings.retry_wait_per_url:
            raise FetchError(f"HTTP {status}; retrying would wait {waited[0] + wait:g} s in all, "
                             f"over the {settings.retry_wait_per_url:g} s limit per URL",
                             url=url, status=status)
        with self._lock:
            if self._run_waited + wait > settings.retry_wait_per_run:
                raise FetchError(f"HTTP {status}; the run's {settings.retry_wait_per_run:g} s "
                                 "of retry waits are spent", url=url, status=status)
            self._run_waited += wait
        waited[0] += wait

    def _send(self, url: str, current: str, headers: dict[str, str],
              deadline: Deadline) -> requests.Response:
        timeout = (self.settings.connect_timeout, self.settings.read_timeout)
        try:
            return self._session.get(current, headers=headers, timeout=timeout, stream=True,
                                     allow_redirects=False)
        except AddressRefused as exc:   # the connection's own check (e.g. the DNS answer changed)
            raise AddressRefused(exc.reason, url=url) from None
        except requests.RequestException as exc:
            raise FetchError(self._failure(exc, deadline), url=url) from exc

    def _failure(self, exc: requests.RequestException, deadline: Deadline | None = None) -> str:
        """A one-line reason for a requests exception."""
        settings = self.settings
        if deadline is not None and deadline.expired():
            return f"no complete response within the {deadline.seconds:g} s request deadline"
        if isinstance(exc, requests.ConnectTimeout):
            return f"timed out connecting after {settings.connect_timeout:g} s"
        if isinstance(exc, requests.ReadTimeout):
            return f"timed out waiting for a response after {settings.read_timeout:g} s"
        if isinstance(exc, requests.ConnectionError) and exc.args and isinstance(
                exc.args[0], ReadTimeoutError):
            return f"timed out reading the body ({settings.read_timeout:g} s without data)"
        if isinstance(exc, requests.exceptions.SSLError):
            return f"TLS error: {_cause(exc)}"
        if isinstance(exc, requests.exceptions.ChunkedEncodingError):
            return "connection broken while reading the body"
        if isinstance(exc, requests.exceptions.ContentDecodingError):
            return "could not decompress the body"
        if isinstance(exc, requests.ConnectionError):
            return f"could not connect: {_cause(exc)}"
        if isinstance(exc, (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema,
                            requests.exceptions.InvalidSchema)):
            return f"invalid URL: {_cause(exc)}"
        return f"request failed: {_cause(exc)}"

    def _redirect_target(self, url: str, current: str,
                         response: requests.Response) -> str | None:
        """The next hop if ``response`` redirects (closing it), else None."""
        if response.status_code not in REDIRECT_STATUSES:
            return None
        status = response.status_code
        with response:
            location = self._session.get_redirect_target(response)
        if not location:
            raise FetchError(f"HTTP {status} without a Location header", url=url, status=status)
        target = requote_uri(urljoin(current, location.strip()))
        if not is_http_url(target):
            raise FetchError(f"redirect to non-http URL {target}", url=url, status=status)
        return target

    def _follow_limit(self, url: str, chain: list[str]) -> None:
        limit = self.settings.max_redirects
        if len(chain) - 1 > limit:
            looped = len(set(chain)) < len(chain)
            reason = (f"redirect loop after {limit} hops" if looped
                      else f"more than {limit} redirects")
            raise FetchError(reason, url=url)

    # -- the final response --------------------------------------------------------
    def _result(self, url: str, current: str, response: requests.Response,
                headers: dict[str, str], accept: Collection[str] | None,
                notes: list[str], deadline: Deadline) -> FetchResult:
        status = response.status_code
        etag = response.headers.get("ETag")
        modified = response.headers.get("Last-Modified")
        if status == 304:
            if "If-None-Match" not in headers and "If-Modified-Since" not in headers:
                raise FetchError("HTTP 304 to a request that was not conditional",
                                 url=url, status=status)
            return FetchResult(url, current, status, True, None, None, b"",
                               etag or headers.get("If-None-Match"),
                               modified or headers.get("If-Modified-Since"), tuple(notes))
        if not 200 <= status < 300:
            reason = f"HTTP {status} {response.reason or ''}".strip()
            raise FetchError(reason, url=url, status=status)
        media_type, charset = _media_type(response.headers.get("Content-Type"))
        if accept:
            allowed = ", ".join(sorted(accept))
            if media_type is None:
                raise FetchError(f"no content type (expected one of {allowed})",
                                 url=url, status=status)
            if not _accepts(media_type, accept):
                raise FetchError(f"content type {media_type} is not one of {allowed}",
                                 url=url, status=status)
        body = self._read_body(url, response, deadline)
        return FetchResult(url, current, status, False, media_type, charset, body, etag,
                           modified, tuple(notes))

    def _read_body(self, url: str, response: requests.Response, deadline: Deadline) -> bytes:
        cap = self.settings.max_bytes
        declared = response.headers.get("Content-Length", "")
        encoded = response.headers.get("Content-Encoding", "identity").lower() != "identity"
        if declared.isdigit() and int(declared) > cap and not encoded:
            raise BodyTooLarge(f"body exceeds {cap:,} bytes (Content-Length {int(declared):,})",
                               url=url, status=response.status_code)
        body = bytearray()
        try:
            for chunk in self._chunks(response):
                if len(body) + len(chunk) > cap:
                    raise BodyTooLarge(f"body exceeds {cap:,} bytes", url=url,
                                       status=response.status_code,
                                       received=len(body) + len(chunk))
                body += chunk
        except requests.RequestException as exc:
            raise FetchError(self._failure(exc, deadline), url=url,
                             status=response.status_code) from exc
        return bytes(body)

    @staticmethod
    def _chunks(response: requests.Response) -> Iterator[bytes]:
        # iter_content decodes gzip/deflate incrementally, so the cap counts decoded bytes.
        yield from response.iter_content(chunk_size=CHUNK)

    # -- robots.txt ------------------------------------------------------------------
    def _robots_for(self, url: str) -> _Robots:
        parts = urlsplit(url)
        key = (parts.scheme.lower(), parts.netloc.lower())
        with self._lock:
            lock = self._robots_locks.setdefault(key, threading.Lock())
        with lock:     # one download per origin, even with many threads asking at once
            if key not in self._robots:
                self._robots[key] = self._load_robots(f"{key[0]}://{key[1]}/robots.txt")
            return self._robots[key]

    def _load_robots(self, robots_url: str) -> _Robots:
        """robots.txt as RFC 9309 reads it: 2xx parsed, 4xx allows all, 5xx or no answer
        forbids the site for this run (the Fetcher keeps the answer for its run)."""
        parser = RobotFileParser(robots_url)
        self._throttle.wait(_host(robots_url))
        timeout = (self.settings.connect_timeout, self.settings.read_timeout)
        deadline = Deadline(self.settings.request_deadline)
        try:
            with deadline_scope(deadline), \
                    self._robots_response(robots_url, timeout) as response:
                status = response.status_code
                if 200 <= status < 300:
                    raw = bytearray()
                    for chunk in response.iter_content(chunk_size=CHUNK):
                        raw += chunk
                        if len(raw) >= ROBOTS_MAX_BYTES:
                            break
                    text = bytes(raw[:ROBOTS_MAX_BYTES]).decode("utf-8", "replace")
                    parser.parse(merged_robots(text))
                    return _Robots(parser)
        except (requests.RequestException, AddressRefused) as exc:
            reason = (exc.reason if isinstance(exc, AddressRefused)
                      else self._failure(exc, deadline))
            timed_out = reason.startswith(("timed out", "no complete response"))
            what = "timed out" if timed_out else f"could not be read ({reason})"
            return self._deny_all(parser, robots_url, f"robots.txt {what}")
        if status >= 500:
            return self._deny_all(parser, robots_url, f"robots.txt answered HTTP {status}")
        parser.allow_all = True     # 4xx, 401 and 403 included: no robots.txt to obey
        return _Robots(parser)

    def _robots_response(self, robots_url: str,
                         timeout: tuple[float, float]) -> requests.Response:
        """The robots.txt response after up to ``max_redirects`` redirects.

        Followed here, not by requests, which reads each redirect's whole body into memory
        (a gzip bomb on a hop would be decoded in full); a hop's body is never read.
        """
        url = robots_url
        for _ in range(self.settings.max_redirects + 1):
            response = self._session.get(url, timeout=timeout, stream=True,
                                         allow_redirects=False)
            if response.status_code not in REDIRECT_STATUSES:
                return response
            with response:
                location = self._session.get_redirect_target(response)
            if not location:
                return response
            url = requote_uri(urljoin(url, location.strip()))
            if not is_http_url(url):
                raise requests.exceptions.InvalidSchema(f"redirect to non-http URL {url}")
        raise requests.TooManyRedirects(f"more than {self.settings.max_redirects} redirects")

    @staticmethod
    def _deny_all(parser: RobotFileParser, robots_url: str, what: str) -> _Robots:
        parser.disallow_all = True
        reason = f"{what}; not fetching this site in this run"
        log.warning("%s: %s", robots_url, reason)
        return _Robots(parser, denied=reason)
