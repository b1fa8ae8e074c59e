"""Posting one delivery, safely: to the address that was checked, within a deadline, reading little.

The host is resolved and judged by `AddressPolicy`, then the request goes to
that very IP, so a DNS answer that changes between check and connect (DNS
rebinding) cannot redirect it. The Host header, TLS SNI and certificate check
still use the name from the URL. One `requests.Session` pools connections per
(address, port, name); its urllib3 pools are thread-safe, so one Sender serves
a whole worker pool.
"""
from __future__ import annotations

import codecs
import socket
import time
from collections.abc import Mapping
from dataclasses import dataclass
from http.cookiejar import DefaultCookiePolicy

import requests
import urllib3
from requests.adapters import HTTPAdapter

from webhooks import addresses

USER_AGENT = "Patrol-Webhooks/1.0"
READ_LIMIT = 64 * 1024
KEEP_LIMIT = 4 * 1024
CHUNK_SIZE = 16 * 1024
KEPT_HEADERS = ("Retry-After", "Location", "Content-Type")
POOLS = 100


class DeadlineExceeded(Exception):
    """The whole attempt took longer than `total_timeout`."""


@dataclass(frozen=True)
class Result:
    """One attempt, as the delivery log shows it. `error_kind` is None only for a 2xx in time."""

    status: int | None
    body: str
    headers: dict[str, str]
    duration_ms: int
    error_kind: str | None
    error: str | None


# Checked in order: a requests SSLError is also a ConnectionError, and so on.
_ERROR_KINDS: tuple[tuple[tuple[type[Exception], ...], str], ...] = (
    ((addresses.RefusedAddress,), "refused_address"),
    ((addresses.InvalidWebhookUrl,), "invalid_url"),
    ((DeadlineExceeded, requests.Timeout, urllib3.exceptions.ReadTimeoutError), "timeout"),
    ((requests.exceptions.SSLError, urllib3.exceptions.SSLError), "tls"),
    ((addresses.UnresolvableHost, requests.RequestException, urllib3.exceptions.HTTPError), "connection"),
)
_FAILURES = tuple(error for errors, _ in _ERROR_KINDS for error in errors)


class _PinnedAdapter(HTTPAdapter):
    """Requests go to an IP literal URL; TLS is told the real name, taken from the Host header.

    The name is part of urllib3's pool key, so a connection is only reused for
    the same address, port and name.
    """

    def build_connection_pool_key_attributes(self, request, verify, cert=None):  # type: ignore[override]
        host_params, pool_kwargs = super().build_connection_pool_key_attributes(request, verify, cert)
        if host_params["scheme"] == "https":
            pool_kwargs["server_hostname"] = _name_in(request.headers["Host"])
        return host_params, pool_kwargs


class Sender:
    """Posts deliveries. Create one per process and share it between threads.

    `resolver` answers like `socket.getaddrinfo(host, port)`; `ca_bundle` is a
    PEM file to trust instead of requests' bundled authorities.
    """

    def __init__(
        self,
        policy: addresses.AddressPolicy,
        connect_timeout: float = 5.0,
        total_timeout: float = 15.0,
        user_agent: str = USER_AGENT,
        resolver: addresses.Resolver = socket.getaddrinfo,
        ca_bundle: str | None = None,
        pool_maxsize: int = 10,
    ) -> None:
        self.policy = policy
        self.connect_timeout = connect_timeout
        self.total_timeout = total_timeout
        self.resolver = resolver
        self._verify: bool | str = ca_bundle or True
        self._session = _session(user_agent, pool_maxsize)

    def post(self, url: str, body: bytes, headers: Mapping[str, str]) -> Result:
        """POST `body` to `url`; never raises for anything the receiver or network does."""
        started = time.monotonic()
        deadline = started + self.total_timeout
        try:
            response = self._open(url, body, headers, deadline)
        except _FAILURES as exc:
            return _failed(exc, started)
        with response:
            try:
                answer = _read_capped(response.raw, deadline)
            except _FAILURES as exc:
                return _failed(exc, started, response)
        return _answered(response, answer, started)

    def close(self) -> None:
        self._session.close()

    def _open(self, url: str, body: bytes, headers: Mapping[str, str], deadline: float) -> requests.Response:
        """Try each checked address in turn, moving on only when nothing was sent."""
        destination = addresses.parse_url(url)
        candidates = self.policy.resolve(destination.host, destination.port, self.resolver)
        for address in candidates[:-1]:
            try:
                return self._post_to(address, destination, body, headers, deadline)
            except requests.ConnectionError as exc:
                if not _nothing_sent(exc):
                    raise
        return self._post_to(candidates[-1], destination, body, headers, deadline)

    def _post_to(
        self,
        address: addresses.IPAddress,
        destination: addresses.WebhookUrl,
        body: bytes,
        headers: Mapping[str, str],
        deadline: float,
    ) -> requests.Response:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise DeadlineExceeded("no time left to connect")
        return self._session.post(
            _pinned_url(destination, address),
            data=body,
            headers={**_without_host(headers), "Host": _host_header(destination)},
            timeout=urllib3.Timeout(connect=self.connect_timeout, read=remaining, total=remaining),
            allow_redirects=False,
            stream=True,
            verify=self._verify,
        )


def _session(user_agent: str, pool_maxsize: int) -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # no proxies or .netrc from the environment: they would bypass the pin
    session.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))  # no cookies shared between receivers
    session.headers.update({"User-Agent": user_agent, "Accept-Encoding": "identity"})
    adapter = _PinnedAdapter(pool_connections=POOLS, pool_maxsize=pool_maxsize, max_retries=0)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def _pinned_url(destination: addresses.WebhookUrl, address: addresses.IPAddress) -> str:
    host = f"[{address}]" if address.version == 6 else str(address)
    return f"{destination.scheme}://{host}:{destination.port}{destination.target}"


def _host_header(destination: addresses.WebhookUrl) -> str:
    host = destination.host
    if destination.literal is not None and destination.literal.version == 6:
        host = f"[{host}]"
    if destination.port != addresses.DEFAULT_PORTS[destination.scheme]:
        host = f"{host}:{destination.port}"
    return host


def _name_in(host_header: str) -> str:
    if host_header.startswith("["):
        return host_header[1 : host_header.index("]")]
    return host_header.partition(":")[0]


def _without_host(headers: Mapping[str, str]) -> dict[str, str]:
    return {name: value for name, value in headers.items() if name.lower() != "host"}


def _nothing_sent(exc: requests.ConnectionError) -> bool:
    """True when the connection never opened, so trying the next address cannot deliver twice."""
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(reason, (urllib3.exceptions.NewConnectionError, urllib3.exceptions.ConnectTimeoutError))


def _read_capped(raw: urllib3.BaseHTTPResponse, deadline: float) -> bytes:
    """Read at most READ_LIMIT bytes and keep the first KEEP_LIMIT.

    requests' read timeout applies to each read, so a receiver dribbling a byte
    at a time could hold a worker for ever; the socket timeout is cut to what
    is left of the deadline before every read instead.
    """
    kept = bytearray()
    read = 0
    while read < READ_LIMIT:
        _limit_next_read(raw, deadline)
        chunk = raw.read1(min(CHUNK_SIZE, READ_LIMIT - read))
        if not chunk:
            break
        read += len(chunk)
        kept += chunk[: KEEP_LIMIT - len(kept)]
    return bytes(kept)


def _limit_next_read(raw: urllib3.BaseHTTPResponse, deadline: float) -> None:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise DeadlineExceeded("the answer took longer than the total timeout")
    connection = raw.connection
    if connection is not None and connection.sock is not None:
        connection.sock.settimeout(remaining)


def _answered(response: requests.Response, answer: bytes, started: float) -> Result:
    status = response.status_code
    kept = _kept_headers(response)
    kind, error = None, None
    if 300 <= status < 400:
        kind, error = "redirect", f"redirected to {kept.get('Location', '(no Location)')}; redirects are not followed"
    elif not 200 <= status < 300:
        kind, error = "http_status", f"HTTP {status}"
    return Result(status, _text(answer), kept, _elapsed_ms(started), kind, error)


def _failed(exc: Exception, started: float, response: requests.Response | None = None) -> Result:
    """A failed attempt; when the answer broke off midway, its status and headers are kept."""
    kind = next(kind for errors, kind in _ERROR_KINDS if isinstance(exc, errors))
    if response is None:
        return Result(None, "", {}, _elapsed_ms(started), kind, _describe(exc))
    return Result(response.status_code, "", _kept_headers(response), _elapsed_ms(started), kind, _describe(exc))


def _kept_headers(response: requests.Response) -> dict[str, str]:
    return {name: response.headers[name] for name in KEPT_HEADERS if name in response.headers}


def _describe(exc: Exception) -> str:
    # requests wraps urllib3's MaxRetryError, whose `reason` is the real cause.
    cause = getattr(exc.args[0], "reason", None) if exc.args else None
    return str(cause or exc)


def _text(answer: bytes) -> str:
    # Not final: a character cut in half at the 4 KiB mark is dropped, not mangled.
    return codecs.getincrementaldecoder("utf-8")("replace").decode(answer, final=False)


def _elapsed_ms(started: float) -> int:
    return round((time.monotonic() - started) * 1000)
