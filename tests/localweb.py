"""A local HTTP server for tests: routes set per test, every request recorded.

Usage (through the ``local_web`` fixture in conftest.py)::

    local_web.route("/page", Response(500), Response(body="<p>ok</p>"))   # 500, then 200 forever
    local_web.route("/robots.txt", Response(body="User-agent: *\\nDisallow: /x",
                                            content_type="text/plain"))
    url = local_web.url("/page")              # http://127.0.0.1:PORT/page
    other = local_web.url("/page", host="localhost")    # same server, another host name
    local_web.hits("/page")                   # [Recorded(...), ...] with headers and times

A response can wait before its status line or between chunks (read timeouts), compress its
body (gzip/deflate), stream a huge or endless body, answer 304 to a matching
If-None-Match / If-Modified-Since, or redirect. Unrouted paths get 404. Only 127.0.0.1 is used.
"""

from __future__ import annotations

import socket
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from email.message import Message
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# compintel refuses private addresses unless [http] allow_private names them: every test
# settings object or workspace that talks to this server allows exactly this.
ALLOW_LOCAL = ("127.0.0.1",)
FILLER = b"compintel " * 6554          # ~64 KiB, allocated once (keeps memory tests clean)
STREAM_TIME_LIMIT = 30.0              # an "endless" body stops after this long regardless


@dataclass
class Response:
    """What the server sends for one request."""

    status: int = 200
    body: bytes | str = b""
    content_type: str | None = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)   # sent last; override the above
    delay: float = 0.0              # seconds before the status line
    chunk_size: int | None = None   # send the body chunked, in pieces of this many bytes
    chunk_delay: float = 0.0        # seconds before each chunk
    encoding: str | None = None     # "gzip" or "deflate": compress body or stream
    stream_bytes: int = 0           # > 0: send this many filler bytes (chunked) instead of body
    etag: str | None = None         # answer 304 when If-None-Match matches
    last_modified: str | None = None    # answer 304 when If-Modified-Since is not older


def redirect(location: str, status: int = 302) -> Response:
    """A redirect to ``location`` (absolute or relative, sent as given)."""
    return Response(status=status, content_type=None, headers={"Location": location})


@dataclass
class Recorded:
    """One request the server received."""

    method: str
    path: str                       # the request target, with any query
    headers: Message                # case-insensitive: ``headers["user-agent"]``
    time: float                     # time.monotonic() on arrival
    bytes_sent: int = 0             # body bytes written (before the client hung up)

    @property
    def host(self) -> str:
        return (self.headers.get("Host") or "").rsplit(":", 1)[0]


class LocalWeb:
    """A threaded HTTP/1.1 server on 127.0.0.1 with a random free port."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self._routes: dict[str, list[Response]] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._connections: set[socket.socket] = set()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.web = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)

    # -- lifecycle -----------------------------------------------------------------
    def start(self) -> LocalWeb:
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, wake every waiting handler and join them."""
        self._stopping.set()
        self._server.shutdown()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            with suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        self._server.server_close()
        self._thread.join()

    def __enter__(self) -> LocalWeb:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- set-up --------------------------------------------------------------------
    @property
    def port(self) -> int:
        return self._server.server_address[1]

    def url(self, path: str = "/", host: str = "127.0.0.1") -> str:
        """An absolute URL on this server; ``host="localhost"`` counts as another host."""
        return f"http://{host}:{self.port}{path}"

    def route(self, path: str, *responses: Response) -> None:
        """Answer ``path`` with ``responses`` in turn; the last one repeats."""
        if not responses:
            raise ValueError("route() needs at least one Response")
        with self._lock:
            self._routes[path] = list(responses)

    def robots(self, text: str) -> None:
        """Serve ``text`` as /robots.txt."""
        self.route("/robots.txt", Response(body=text, content_type="text/plain"))

    # -- inspection ----------------------------------------------------------------
    def hits(self, path: str) -> list[Recorded]:
        """The requests received for ``path`` (exact target, or path without query)."""
        with self._lock:
            return [r for r in self.requests if r.path == path or r.path.split("?")[0] == path]

    # -- used by the handler ---------------------------------------------------------
    def _next_response(self, target: str) -> Response | None:
        with self._lock:
            queue = self._routes.get(target) or self._routes.get(target.split("?")[0])
            if not queue:
                return None
            return queue.pop(0) if len(queue) > 1 else queue[0]

    def _record(self, recorded: Recorded) -> None:
        with self._lock:
            self.requests.append(recorded)


def _not_modified(response: Response, headers: Message) -> bool:
    if_none_match = headers.get("If-None-Match")
    if if_none_match is not None:
        if response.etag is None:
            return False
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or response.etag.removeprefix("W/") in tags
    since = headers.get("If-Modified-Since")
    if since and response.last_modified:
        try:
            return parsedate_to_datetime(response.last_modified) <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
    return False


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "localweb/1"
    # headers and body go out in separate writes: without TCP_NODELAY each response would wait
    # ~40 ms for a delayed acknowledgement, and web tests and benchmarks would measure that
    disable_nagle_algorithm = True

    @property
    def web(self) -> LocalWeb:
        return self.server.web  # type: ignore[attr-defined]

    def setup(self) -> None:
        super().setup()
        with self.web._lock:
            self.web._connections.add(self.connection)

    def finish(self) -> None:
        with suppress(OSError):
            super().finish()
        with self.web._lock:
            self.web._connections.discard(self.connection)

    def handle(self) -> None:
        # A client hanging up mid-response is what several tests do on purpose.
        with suppress(OSError):
            super().handle()

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        recorded = Recorded(self.command, self.path, self.headers, time.monotonic())
        self.web._record(recorded)
        response = self.web._next_response(self.path)
        if response is None:
            response = Response(404, b"not found", "text/plain")
        if response.delay and self.web._stopping.wait(response.delay):
            self.close_connection = True
            return
        if (response.etag or response.last_modified) and _not_modified(response, self.headers):
            self._status_and_headers(304, response, {})
            return
        if response.stream_bytes > 0:
            self._stream(response, recorded)
        else:
            self._send_body(response, recorded)

    def _status_and_headers(self, status: int, response: Response,
                            extra: dict[str, str]) -> None:
        self.send_response(status)
        headers: dict[str, str] = {}
        if response.content_type and status != 304:
            headers["Content-Type"] = response.content_type
        if response.etag:
            headers["ETag"] = response.etag
        if response.last_modified:
            headers["Last-Modified"] = response.last_modified
        if response.encoding and status != 304:
            headers["Content-Encoding"] = response.encoding
        headers.update(extra)
        headers.update(response.headers)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()

    def _compressor(self, response: Response) -> zlib._Compress | None:
        if response.encoding is None:
            return None
        wbits = {"gzip": 31, "deflate": 15}[response.encoding]
        return zlib.compressobj(9, zlib.DEFLATED, wbits)

    def _send_body(self, response: Response, recorded: Recorded) -> None:
        body = response.body.encode("utf-8") if isinstance(response.body, str) else response.body
        compressor = self._compressor(response)
        if compressor is not None:
            body = compressor.compress(body) + compressor.flush()
        if response.chunk_size:
            self._status_and_headers(response.status, response, {"Transfer-Encoding": "chunked"})
            pieces = (body[i:i + response.chunk_size]
                      for i in range(0, len(body), response.chunk_size))
            self._write_chunks(pieces, response, recorded)
            return
        self._status_and_headers(response.status, response, {"Content-Length": str(len(body))})
        self.wfile.write(body)
        recorded.bytes_sent += len(body)

    def _stream(self, response: Response, recorded: Recorded) -> None:
        self._status_and_headers(response.status, response, {"Transfer-Encoding": "chunked"})
        compressor = self._compressor(response)

        def pieces() -> Iterator[bytes]:
            left = response.stream_bytes
            deadline = time.monotonic() + STREAM_TIME_LIMIT
            while left > 0 and time.monotonic() < deadline:
                piece = FILLER if left >= len(FILLER) else FILLER[:left]
                left -= len(piece)
                yield compressor.compress(piece) if compressor else piece
            if compressor:
                yield compressor.flush()

        self._write_chunks(pieces(), response, recorded)

    def _write_chunks(self, pieces: Iterator[bytes], response: Response,
                      recorded: Recorded) -> None:
        for piece in pieces:
            if response.chunk_delay and self.web._stopping.wait(response.chunk_delay):
                self.close_connection = True
                return
            if self.web._stopping.is_set():
                self.close_connection = True
                return
            if not piece:
                continue
            self.wfile.write(b"%x\r\n" % len(piece))
            self.wfile.write(piece)
            self.wfile.write(b"\r\n")
            recorded.bytes_sent += len(piece)
        self.wfile.write(b"0\r\n\r\n")


@contextmanager
def unanswered_address() -> Iterator[tuple[str, int]]:
    """A 127.0.0.1 port whose TCP handshake never completes: a listener with a full backlog.

    Connecting there times out, which stands in for an unreachable host without sending
    anything off this machine.
    """
    listener = socket.socket()
    fillers: list[socket.socket] = []
    try:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        address = listener.getsockname()
        for _ in range(16):
            filler = socket.socket()
            fillers.append(filler)
            filler.settimeout(0.2)
            try:
                filler.connect(address)
            except TimeoutError:
                break       # the backlog is full: later connects hang too
        else:
            raise RuntimeError("could not fill the listen backlog")
        yield address
    finally:
        for filler in fillers:
            filler.close()
        listener.close()
