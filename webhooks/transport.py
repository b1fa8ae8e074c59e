"""A blocking face on the aiohttp sender (`webhooks.send`), for callers outside an event loop.

It runs its own event loop on a daemon thread, so any number of threads can
share one `Sender`; every safety rule (checked addresses, no redirects, the
deadline, the read caps) is the aiohttp sender's.
"""
from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine, Mapping
from typing import Any, TypeVar

from webhooks import addresses, send
from webhooks.results import KEEP_LIMIT, READ_LIMIT, USER_AGENT, Result

__all__ = ["KEEP_LIMIT", "READ_LIMIT", "USER_AGENT", "EventLoopThread", "Result", "Sender"]
T = TypeVar("T")


class EventLoopThread:
    """An asyncio event loop running on a thread of its own."""

    def __init__(self, name: str) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name=name, daemon=True)
        self._thread.start()

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Run `coroutine` on the loop and wait for its result."""
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result()

    def submit(self, coroutine: Coroutine[Any, Any, Any]) -> None:
        asyncio.run_coroutine_threadsafe(coroutine, self.loop)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join()
        self.loop.close()


class Sender:
    """Posts deliveries and waits for each; `close` when done."""

    def __init__(self, policy: addresses.AddressPolicy, **options: Any) -> None:
        """`options` are those of `webhooks.send.Sender` (timeouts, resolver, CA bundle, pool size)."""
        self._thread = EventLoopThread("webhook-sender")
        self._sender = self._thread.run(_make(policy, options))

    def post(self, url: str, body: bytes, headers: Mapping[str, str]) -> Result:
        """POST `body` to `url`; never raises for anything the receiver or network does."""
        return self._thread.run(self._sender.post(url, body, headers))

    def close(self) -> None:
        self._thread.run(self._sender.close())
        self._thread.close()


async def _make(policy: addresses.AddressPolicy, options: dict) -> send.Sender:
    return send.Sender(policy, **options)  # aiohttp sessions are made on the loop that uses them
