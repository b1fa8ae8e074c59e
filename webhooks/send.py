"""Posting deliveries with aiohttp, safely: to checked addresses, within a deadline, reading little.

Every address a name resolves to is judged by `AddressPolicy` inside the
connector's resolver, and the connector connects to exactly those addresses,
so a DNS answer that changes between check and connect (DNS rebinding) cannot
redirect a request. An IP literal is judged before the request. The Host
header, TLS SNI and certificate check use the name from the URL; connections
are pooled per (name, port, scheme), each opened to a checked address.
One `Sender` lives on one event loop and serves every delivery of a process.
"""
from __future__ import annotations

import asyncio
import os
import socket
import ssl
import time
from collections.abc import Mapping
from functools import partial

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult

from patrol.memo import Memo
from webhooks import addresses
from webhooks.results import (
    CHUNK_SIZE, KEEP_LIMIT, KEPT_HEADERS, READ_LIMIT, USER_AGENT, DeadlineExceeded, Result, answered,
)

# Checked in order: a certificate error is also a connection error, and so on.
_ERROR_KINDS: tuple[tuple[tuple[type[BaseException], ...], str], ...] = (
    ((addresses.RefusedAddress,), "refused_address"),
    ((addresses.InvalidWebhookUrl, aiohttp.InvalidURL), "invalid_url"),
    ((DeadlineExceeded, asyncio.TimeoutError, aiohttp.ServerTimeoutError), "timeout"),
    ((aiohttp.ClientSSLError, ssl.SSLError), "tls"),
    ((addresses.UnresolvableHost, aiohttp.ClientError, OSError), "connection"),
)
TARGETS_KEPT = 4096
_FAILURES = tuple(error for errors, _ in _ERROR_KINDS for error in errors)


class CheckedResolver(AbstractResolver):
    """Resolves with `resolver` (off the event loop) and lets through only addresses the policy allows."""

    def __init__(self, policy: addresses.AddressPolicy, resolver: addresses.Resolver) -> None:
        self.policy, self.resolver = policy, resolver

    async def resolve(self, host: str, port: int = 0, family: int = socket.AF_INET) -> list[ResolveResult]:  # noqa: ARG002
        lookup = partial(self.policy.resolve, host, port, self.resolver)
        checked = await asyncio.get_running_loop().run_in_executor(None, lookup)
        return [_result(host, address, port) for address in checked]

    async def close(self) -> None:
        return None


def _result(host: str, address: addresses.IPAddress, port: int) -> ResolveResult:
    family = socket.AF_INET6 if address.version == 6 else socket.AF_INET
    return ResolveResult(hostname=host, host=str(address), port=port, family=family, proto=0, flags=0)


class Sender:
    """Posts deliveries on the running event loop; `close` it on the same loop."""

    def __init__(
        self,
        policy: addresses.AddressPolicy,
        connect_timeout: float = 5.0,
        total_timeout: float = 15.0,
        user_agent: str = USER_AGENT,
        resolver: addresses.Resolver = socket.getaddrinfo,
        ca_bundle: str | None = None,
        pool_maxsize: int = 100,
    ) -> None:
        self.policy = policy
        self.timeout = aiohttp.ClientTimeout(total=total_timeout, sock_connect=connect_timeout)
        self.total_timeout = total_timeout
        self._targets: Memo[str, str] = Memo(TARGETS_KEPT)  # URL -> its checked target (the policy is fixed)
        connector = aiohttp.TCPConnector(
            resolver=CheckedResolver(policy, resolver), use_dns_cache=False, limit=0,
            limit_per_host=pool_maxsize, ssl=ssl.create_default_context(cafile=ca_bundle),
        )
        self._session = aiohttp.ClientSession(
            connector=connector, cookie_jar=aiohttp.DummyCookieJar(), trust_env=False, auto_decompress=False,
            headers={"User-Agent": user_agent, "Accept-Encoding": "identity"}, skip_auto_headers=("Content-Type",),
        )

    async def post(self, url: str, body: bytes, headers: Mapping[str, str]) -> Result:
        """POST `body` to `url`; never raises for anything the receiver or network does."""
        started = time.monotonic()
        try:
            return await self._exchange(self._target(url), body, headers, started)
        except _FAILURES as exc:
            return _failed(exc, started)

    async def close(self) -> None:
        await self._session.close()

    def _target(self, url: str) -> str:
        """The URL to request: a literal address is checked here and written canonically.
        Remembered per URL (a few thousand at most), since every delivery of a webhook asks again."""
        return self._targets.get(url, self._checked_target)

    def _checked_target(self, url: str) -> str:
        destination = addresses.parse_url(url)
        if destination.literal is not None:
            self.policy.check_ip(destination.literal)
        host = f"[{destination.host}]" if destination.literal and destination.literal.version == 6 else destination.host
        return f"{destination.scheme}://{host}:{destination.port}{destination.target}"

    async def _exchange(self, target: str, body: bytes, headers: Mapping[str, str], started: float) -> Result:
        outgoing = {name: value for name, value in headers.items() if name.lower() != "host"}
        async with self._session.post(
            target, data=body, headers=outgoing, allow_redirects=False, timeout=self.timeout,
        ) as response:
            kept = {name: response.headers[name] for name in KEPT_HEADERS if name in response.headers}
            try:
                async with asyncio.timeout(self.total_timeout - (time.monotonic() - started)):
                    answer = await _read_capped(response)
            except _FAILURES as exc:
                response.close()  # broken off midway: this connection is not reused
                return _failed(exc, started, response.status, kept)
            return answered(response.status, answer, kept, _elapsed_ms(started))


async def _read_capped(response: aiohttp.ClientResponse) -> bytes:
    """Read at most READ_LIMIT bytes and keep the first KEEP_LIMIT; an answer longer than
    that closes its connection rather than being drained."""
    kept = bytearray()
    read = 0
    while read < READ_LIMIT:
        chunk = await response.content.read(min(CHUNK_SIZE, READ_LIMIT - read))
        if not chunk:
            return bytes(kept)
        read += len(chunk)
        kept += chunk[: KEEP_LIMIT - len(kept)]
    response.close()
    return bytes(kept)


def _failed(exc: BaseException, started: float, status: int | None = None, kept: dict | None = None) -> Result:
    kind = next(kind for errors, kind in _ERROR_KINDS if isinstance(exc, errors))
    return Result(status, "", kept or {}, _elapsed_ms(started), kind, _describe(exc))


def _describe(exc: BaseException) -> str:
    if isinstance(exc, asyncio.TimeoutError):
        return "no answer within the total timeout"
    cause = getattr(exc, "os_error", None)
    if isinstance(exc, aiohttp.ClientConnectorError) and cause is not None and cause.errno:
        return f"cannot connect to {exc.host}:{exc.port}: {os.strerror(cause.errno)}"
    return str(exc) or type(exc).__name__


def _elapsed_ms(started: float) -> int:
    return round((time.monotonic() - started) * 1000)

