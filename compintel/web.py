"""Polite HTTP: robots.txt, a per-host pace, retries with backoff, capped bodies.

One :class:`Fetcher` per gather run. It follows redirects itself so every hop is checked
(http/https only, robots.txt, a hop limit), retries 429 and 5xx with urllib3's ``Retry``
policy (honouring ``Retry-After`` up to ``max_retry_after``), sends conditional requests, and
streams bodies under ``max_bytes`` (counted after gzip/deflate decoding, so a compression bomb
stops at the cap). Every failure is a :class:`~compintel.errors.FetchError` whose ``reason``
is one short line for the gather log.
"""

from __future__ import annotations

import logging
import re
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


class RobotsDisallowed(FetchError):
    """robots.txt forbids the URL (or a redirect target) for our User-Agent."""


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
    notes: tuple[str, ...] = ()     # things the gather log should mention (robots timeouts)

    def decoded(self) -> Decoded:
        """The body as text, with the encoding chosen and why."""
        return decode(self.body, self.charset)

    def text(self) -> str:
        """The body as text (BOM, header charset, document declaration, detection)."""
        return self.decoded().text


class HostThrottle:
    """Keeps the starts of two requests to one host ``interval`` seconds apart (thread-safe).

    Hosts are host names, ports ignored: politeness is owed to the machine, not the port.
    """

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, host: str) -> float:
        """Sleep until ``host`` may be asked again; returns the seconds slept."""
        if self.interval <= 0:
            return 0.0
        with self._lock:
            # Reserve the slot before sleeping, so concurrent callers queue up behind it.
            now = time.monotonic()
            start = max(now, self._next.get(host, now))
            self._next[host] = start + self.interval
        delay = start - now
        if delay > 0:
            time.sleep(delay)
        return delay


@dataclass
class _Robots:
    parser: RobotFileParser
    note: str | None = None         # allowed only because robots.txt could not be read
    denied: str | None = None       # why everything is disallowed (5xx), if it is


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


class Fetcher:
    """Downloads web pages and feeds politely; use as a context manager or call close()."""

    def __init__(self, settings: HttpSettings | None = None) -> None:
        self.settings = settings or HttpSettings()
        self._session = requests.Session()
        self._session.headers["User-Agent"] = self.settings.user_agent
        self._session.max_redirects = self.settings.max_redirects  # robots.txt only
        self._throttle = HostThrottle(self.settings.min_host_interval)
        self._retry = Retry(total=self.settings.retries, connect=0, read=0, redirect=0, other=0,
                            status=self.settings.retries, status_forcelist=RETRY_STATUSES,
                            backoff_factor=self.settings.backoff_factor,
                            respect_retry_after_header=True, raise_on_status=False)
        self._robots: dict[tuple[str, str], _Robots] = {}
        self._robots_locks: dict[tuple[str, str], threading.Lock] = {}
        self._lock = threading.Lock()

    # -- lifecycle -----------------------------------------------------------------
    def close(self) -> None:
        """Close pooled connections."""
        self._session.close()

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
        while True:
            current = chain[-1]
            self._check_robots(url, current, notes)
            response = self._get(url, current, headers)
            target = self._redirect_target(url, current, response)
            if target is None:
                break
            chain.append(target)
            self._follow_limit(url, chain)
        with response:
            return self._result(url, current, response, headers, accept, notes)

    def can_fetch(self, url: str) -> bool:
        """Whether robots.txt lets us fetch ``url`` (always True with respect_robots off)."""
        if not self.settings.respect_robots:
            return True
        robots = self._robots_for(url)
        return robots.parser.can_fetch(self.settings.user_agent, url)

    # -- one hop -------------------------------------------------------------------
    def _check_robots(self, url: str, current: str, notes: list[str]) -> None:
        if not self.settings.respect_robots:
            return
        robots = self._robots_for(current)
        if robots.note and robots.note not in notes:
            notes.append(robots.note)
        if robots.parser.can_fetch(self.settings.user_agent, current):
            return
        if robots.denied:
            reason = robots.denied
        elif current == url:
            reason = "robots.txt disallows this URL"
        else:
            reason = f"robots.txt disallows redirect target {current}"
        raise RobotsDisallowed(reason, url=url)

    def _get(self, url: str, current: str, headers: dict[str, str]) -> requests.Response:
        """One GET of ``current`` with retries on 429/5xx; the body is not read yet."""
        retry = self._retry
        while True:
            self._throttle.wait(_host(current))
            response = self._send(url, current, headers)
            status = response.status_code
            if not retry.is_retry("GET", status, "Retry-After" in response.headers):
                return response
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
            log.info("HTTP %s from %s; retrying in %.1f s", status, current, wait)
            time.sleep(wait)

    def _send(self, url: str, current: str, headers: dict[str, str]) -> requests.Response:
        timeout = (self.settings.connect_timeout, self.settings.read_timeout)
        try:
            return self._session.get(current, headers=headers, timeout=timeout, stream=True,
                                     allow_redirects=False)
        except requests.RequestException as exc:
            raise FetchError(self._failure(exc), url=url) from exc

    def _failure(self, exc: requests.RequestException) -> str:
        """A one-line reason for a requests exception."""
        settings = self.settings
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
                notes: list[str]) -> FetchResult:
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
        body = self._read_body(url, response)
        return FetchResult(url, current, status, False, media_type, charset, body, etag,
                           modified, tuple(notes))

    def _read_body(self, url: str, response: requests.Response) -> bytes:
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
            raise FetchError(self._failure(exc), url=url, status=response.status_code) from exc
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
        parser = RobotFileParser(robots_url)
        self._throttle.wait(_host(robots_url))
        timeout = (self.settings.connect_timeout, self.settings.read_timeout)
        try:
            with self._session.get(robots_url, timeout=timeout, stream=True) as response:
                status = response.status_code
                if 200 <= status < 300:
                    raw = bytearray()
                    for chunk in response.iter_content(chunk_size=CHUNK):
                        raw += chunk
                        if len(raw) >= ROBOTS_MAX_BYTES:
                            break
                    text = bytes(raw[:ROBOTS_MAX_BYTES]).decode("utf-8", "replace")
                    parser.parse(text.splitlines())
                    return _Robots(parser)
        except requests.RequestException as exc:
            # Unreachable robots.txt: allowed, as with a 404, but the log should say so.
            reason = self._failure(exc)
            what = "timed out" if reason.startswith("timed out") else f"could not be read ({reason})"
            parser.allow_all = True
            note = f"robots.txt {what}; fetched as if allowed"
            log.warning("%s: %s", robots_url, note)
            return _Robots(parser, note=note)
        # As RobotFileParser.read(): 401/403 forbid all, other 4xx allow all. A server error
        # forbids all for now (RFC 9309 says to assume complete disallow).
        if status >= 500:
            parser.disallow_all = True
            return _Robots(parser, denied=f"robots.txt answered HTTP {status}; not fetching this site")
        if status in (401, 403):
            parser.disallow_all = True
        else:
            parser.allow_all = True
        return _Robots(parser)
