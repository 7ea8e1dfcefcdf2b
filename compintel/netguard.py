"""Where compintel may connect, and for how long.

* :class:`AddressPolicy` refuses loopback, private, link-local, multicast, unspecified,
  reserved and site-local addresses (IPv4 and IPv6, IPv4 inside IPv6 included) unless the
  workspace's ``[http] allow_private`` names the host or a range holding the address.
* :class:`GuardedAdapter` is a requests adapter whose connections resolve the host once, check
  every address, and connect to the checked address itself, so a DNS answer that changes
  between a check and the connect (rebinding) cannot reach a refused address. The Host header,
  TLS SNI and certificate checks still use the name.
* :class:`Deadline` bounds one request as a whole (connect and every read): while one is
  active in a thread, each socket read waits at most the time left, so a server trickling a
  byte every few seconds cannot keep a request alive past it.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError
from urllib3.util.connection import allowed_gai_family

from .errors import FetchError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class AddressRefused(FetchError):
    """The host resolves to an address compintel must not connect to."""


def _embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, 6to4, NAT64), if any."""
    if isinstance(ip, ipaddress.IPv4Address):
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def address_kind(ip: IPAddress) -> str | None:
    """Why ``ip`` is not a public address ("loopback", "private"…), or None if it is."""
    inner = _embedded_ipv4(ip)
    if inner is not None:
        kind = address_kind(inner)
        if kind is not None:
            return kind
    checks = (("loopback", ip.is_loopback), ("link-local", ip.is_link_local),
              ("multicast", ip.is_multicast), ("unspecified", ip.is_unspecified),
              ("reserved", ip.is_reserved), ("private", ip.is_private),
              ("site-local", getattr(ip, "is_site_local", False)),
              ("non-public", not ip.is_global))
    return next((kind for kind, hit in checks if hit), None)


def _parse_ip(text: str) -> IPAddress:
    return ipaddress.ip_address(text.split("%", 1)[0])


class AddressPolicy:
    """Public addresses only, plus the hosts and ranges named in ``allow_private``."""

    def __init__(self, allow_private: Iterable[str] = ()) -> None:
        self.networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
        self.hosts: set[str] = set()
        for entry in allow_private:
            text = entry.strip().strip("[]")
            try:
                self.networks.append(ipaddress.ip_network(text, strict=False))
            except ValueError:
                self.hosts.add(text.lower().rstrip("."))

    def _allowed(self, host: str, ip: IPAddress) -> bool:
        if host.lower().strip("[]").rstrip(".") in self.hosts:
            return True
        candidates = [ip] + [inner for inner in [_embedded_ipv4(ip)] if inner is not None]
        return any(candidate in network for candidate in candidates
                   for network in self.networks if candidate.version == network.version)

    def refusal(self, host: str, ip: IPAddress) -> str | None:
        """The one-line reason to refuse connecting to ``ip`` for ``host``, or None."""
        kind = address_kind(ip)
        if kind is None or self._allowed(host, ip):
            return None
        shown = host if host.strip("[]") == str(ip) else f"{host} ({ip})"
        return (f"refused: {shown} is a {kind} address "
                f"(allow it with [http] allow_private)")

    def resolve(self, host: str, port: int | None) -> list[tuple[Any, ...]]:
        """``getaddrinfo`` answers for ``host``, each checked; raises AddressRefused.

        One refused address refuses the host: a name that also points inside the network
        is not one to trust with the rest.
        """
        name = host.strip("[]")
        answers = socket.getaddrinfo(name, port, allowed_gai_family(), socket.SOCK_STREAM)
        for answer in answers:
            reason = self.refusal(host, _parse_ip(answer[4][0]))
            if reason:
                raise AddressRefused(reason)
        return answers

    def check_host(self, host: str, port: int | None = None) -> None:
        """Resolve ``host`` and refuse it as a connection would (a clear error up front)."""
        try:
            self.resolve(host, port)
        except socket.gaierror as exc:
            raise FetchError(f"could not resolve host {host}: {exc.strerror or exc}") from None


# -- a deadline per request ------------------------------------------------------------------

class Deadline:
    """A point in time after which no socket read or connect of this request may wait."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds

    def remaining(self) -> float:
        return self.at - time.monotonic()

    def expired(self) -> bool:
        return self.remaining() <= 0


_active = threading.local()


@contextmanager
def deadline_scope(deadline: Deadline | None) -> Iterator[Deadline | None]:
    """Make ``deadline`` bound the sockets this thread reads from until the block ends."""
    previous = getattr(_active, "deadline", None)
    _active.deadline = deadline
    try:
        yield deadline
    finally:
        _active.deadline = previous


def _bounded_timeout(timeout: float | None) -> float | None:
    deadline: Deadline | None = getattr(_active, "deadline", None)
    if deadline is None:
        return timeout
    left = deadline.remaining()
    if left <= 0:
        raise TimeoutError(f"request deadline of {deadline.seconds:g} s passed")
    return left if timeout is None else min(timeout, left)


class _DeadlineReads:
    """Socket mixin: every read waits at most until the thread's active deadline."""

    __slots__ = ()

    def _read_with_deadline(self, read: Any, *args: Any) -> Any:
        sock: socket.socket = self  # type: ignore[assignment]
        timeout = sock.gettimeout()
        bounded = _bounded_timeout(timeout)
        if bounded == timeout:
            return read(*args)
        sock.settimeout(bounded)
        try:
            return read(*args)
        finally:
            sock.settimeout(timeout)

    def recv(self, *args: Any) -> Any:
        return self._read_with_deadline(super().recv, *args)  # type: ignore[misc]

    def recv_into(self, *args: Any) -> Any:
        return self._read_with_deadline(super().recv_into, *args)  # type: ignore[misc]


class _DeadlineSocket(_DeadlineReads, socket.socket):
    __slots__ = ()


class _DeadlineSSLSocket(_DeadlineReads, ssl.SSLSocket):
    __slots__ = ()


# -- connections that connect only to checked addresses ---------------------------------------

class _GuardedConnection:
    """urllib3 connection mixin: resolve, check, then connect to the checked address."""

    policy: AddressPolicy
    _dns_host: str
    host: str
    port: int
    timeout: Any
    source_address: tuple[str, int] | None
    socket_options: Any

    def _new_conn(self) -> socket.socket:
        try:
            answers = self.policy.resolve(self._dns_host, self.port)
        except socket.gaierror as exc:
            raise NameResolutionError(self.host, self, exc) from exc  # type: ignore[arg-type]
        timeout = self.timeout if isinstance(self.timeout, (int, float)) else None
        try:
            timeout = _bounded_timeout(timeout)
        except TimeoutError as exc:
            raise ConnectTimeoutError(self, f"Connection to {self.host} timed out "
                                            "(request deadline)") from exc
        error: OSError | None = None
        for family, socktype, proto, _, address in answers:
            sock = _DeadlineSocket(family, socktype, proto)
            try:
                for option in self.socket_options or ():
                    sock.setsockopt(*option)
                sock.settimeout(timeout)
                if self.source_address:
                    sock.bind(self.source_address)
                sock.connect(address)
            except TimeoutError as exc:
                sock.close()
                raise ConnectTimeoutError(
                    self, f"Connection to {self.host} timed out. (connect timeout={timeout})",
                ) from exc
            except OSError as exc:
                sock.close()
                error = exc
                continue
            sys.audit("http.client.connect", self, self.host, self.port)
            return sock
        raise NewConnectionError(self, f"Failed to establish a new connection: {error}")  # type: ignore[arg-type]


def _with_deadline_reads(sock: Any) -> Any:
    if type(sock) is ssl.SSLSocket:
        # Same layout, one more behaviour: every read bounded by the request's deadline.
        sock.__class__ = _DeadlineSSLSocket
    return sock


class GuardedAdapter(HTTPAdapter):
    """A requests adapter whose every connection goes through ``policy``."""

    def __init__(self, policy: AddressPolicy, **kwargs: Any) -> None:
        self.policy = policy
        super().__init__(**kwargs)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        policy = self.policy

        class PlainConnection(_GuardedConnection, HTTPConnection):
            pass

        class TLSConnection(_GuardedConnection, HTTPSConnection):
            def connect(self) -> None:
                super().connect()
                self.sock = _with_deadline_reads(self.sock)

        PlainConnection.policy = TLSConnection.policy = policy

        class PlainPool(HTTPConnectionPool):
            ConnectionCls = PlainConnection

        class TLSPool(HTTPSConnectionPool):
            ConnectionCls = TLSConnection

        self.poolmanager.pool_classes_by_scheme = {"http": PlainPool, "https": TLSPool}
