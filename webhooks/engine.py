"""The delivery engine of one process: fan-out, batched claims, one event loop of senders.

`patrol serve` runs one beside the web app; `patrol worker` runs one alone,
for scaling out on PostgreSQL. One thread claims batches of due deliveries
and records finished ones in batches (the database work); one asyncio event
loop sends them all with aiohttp, at most `concurrency` at once. Loops wake
at once on a local commit or a NOTIFY from another process, and poll as a fallback.
"""
from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import Future, wait
from datetime import timedelta

from flask import Flask

from patrol import background, events
from patrol.clock import now
from patrol.db import get_db
from slackkit.context import MessageContext
from webhooks import adaptive, addresses, fanout, outcomes, payloads, queue, retention, send, telemetry, wakeups
from webhooks.channels import tokens
from webhooks.channels.living import Messages
from webhooks.channels.sending import ChannelSender
from webhooks.models import FAILED, SLACK, SLACK_CHANNEL, SLACK_KINDS
from webhooks.results import Result
from webhooks.transport import EventLoopThread

log = logging.getLogger(__name__)
LEASE_MARGIN = 30.0
PREFETCH = 2  # claimed deliveries held per slot, so the loop never waits for a claim


class Engine:
    """A background service: `start` opens the event loop and starts the loops."""

    def __init__(self, app: Flask) -> None:
        config = app.config
        self.db = get_db(app)
        self.config = config
        self.concurrency = config["WEBHOOK_WORKERS"]
        self.batch = config["WEBHOOK_CLAIM_BATCH"]
        self.lease = timedelta(seconds=config["WEBHOOK_TIMEOUT"] + LEASE_MARGIN)
        self.disable_after = timedelta(seconds=config["WEBHOOK_DISABLE_AFTER"])
        self.limits = adaptive.Limits(config["WEBHOOK_MAX_SLOTS_PER_WEBHOOK"], self.concurrency)
        self.channels = ChannelSender(self.db, config["SLACK_API_URL"], tokens.lookup_for(app),
                                      config["WEBHOOK_TIMEOUT"])
        self.listener: wakeups.Listener | None = None
        self._sending: _Sending | None = None
        self._held = 0  # claimed and not yet recorded
        self._finished: list[queue.Finished] = []  # sent, waiting to be recorded in one batch
        self._lock = threading.Lock()
        poll = config["WEBHOOK_POLL_INTERVAL"]
        self.fanout_loop = background.Loop("webhook-fanout", self._fan_out, poll)
        self.claim_loop = background.Loop("webhook-claim", self._claim, poll)
        self.purge_loop = background.Loop("webhook-purge", self._purge, 3600.0)

    def start(self) -> None:
        self.limits.ceiling = max(self.limits.start, self.concurrency)
        self._open()
        if self.db.is_postgres:
            self.listener = wakeups.Listener(
                self.db.url, {events.CHANNEL: self.fanout_loop.wake, wakeups.DELIVERIES: self.claim_loop.wake}
            )
            self.listener.start()
        for loop in (self.fanout_loop, self.claim_loop, self.purge_loop):
            loop.start()

    def stop(self) -> None:
        for loop in (self.fanout_loop, self.claim_loop, self.purge_loop):
            loop.stop()
        if self.listener is not None:
            self.listener.stop()
        if self._sending is not None:
            self._sending.close()
            self._sending = None
        self._record_finished()

    def wake(self) -> None:
        self.fanout_loop.wake()
        self.claim_loop.wake()

    def _open(self) -> _Sending:
        with self._lock:
            if self._sending is None:
                self._sending = _Sending(self._make_sender, self.concurrency)
            return self._sending

    def _make_sender(self) -> send.Sender:
        config = self.config
        return send.Sender(
            addresses.AddressPolicy(config["WEBHOOK_ALLOWED_NETWORKS"]),
            connect_timeout=config["WEBHOOK_CONNECT_TIMEOUT"],
            total_timeout=config["WEBHOOK_TIMEOUT"],
            user_agent=f"Patrol-Webhooks/{config['PATROL_VERSION']}",
            pool_maxsize=self.concurrency,
        )

    def _fan_out(self) -> bool:
        if fanout.dispatch(self.db) == 0:
            return False
        self.claim_loop.wake()
        return True

    def _claim(self) -> bool:
        """Record what the senders finished, then claim as many as there is room for."""
        self._record_finished()
        with self._lock:
            room = min(self.batch, self.concurrency * PREFETCH - self._held)
        if room <= 0:
            return False
        claimed = queue.claim(self.db, room, self.lease, self.limits.start, self.limits.snapshot())
        with self._lock:
            self._held += len(claimed)
        sending = self._open()
        for item in claimed:
            sending.submit(self._deliver(item))
        return len(claimed) == room

    async def _deliver(self, item: queue.Claimed) -> None:
        try:
            finished = await self._open().limited(self._attempt(item))
        except Exception:  # the lease brings the delivery back
            log.exception("delivery %s crashed", item.delivery_id)
            finished = None
        with self._lock:
            self._held -= 1
            if finished is not None:
                self._finished.append(finished)
        self.claim_loop.wake()

    def _record_finished(self) -> None:
        with self._lock:
            done, self._finished = self._finished, []
        queue.finish(self.db, done, disable_after=self.disable_after)

    def deliver(self, item: queue.Claimed) -> None:
        """Send one claimed delivery and record what happened, at once."""
        queue.finish(self.db, [self.attempt(item)], disable_after=self.disable_after)

    def attempt(self, item: queue.Claimed) -> queue.Finished:
        """Send one claimed delivery, waiting for it, and decide what its result means."""
        return self._open().run(self._attempt(item))

    async def _attempt(self, item: queue.Claimed) -> queue.Finished:
        started = now()
        with telemetry.IN_FLIGHT.track_inprogress():
            result, decision = await self._send(item)
        if item.kind not in SLACK_KINDS:
            self.limits.observe(item.webhook_id, result)
        pace = timedelta(seconds=self.config["SLACK_MIN_INTERVAL"]) if item.kind in SLACK_KINDS else None
        finished = queue.Finished(item, result, decision, started, pace)
        telemetry.observe_attempt(finished)
        return finished

    async def _send(self, item: queue.Claimed) -> tuple[Result, outcomes.Decision]:
        try:
            send = self._sender_for(item)
        except Exception as exc:  # a message we cannot build is our bug: log it
            log.exception("cannot build delivery %s", item.delivery_id)
            result = Result(None, "", {}, 0, "invalid_payload", f"{type(exc).__name__}: {exc}")
            return result, outcomes.Decision(FAILED, note="Patrol could not build this message; not retried.")
        result = await send()
        decision = outcomes.decide(
            item.kind, result, item.attempt, self.config["WEBHOOK_RETRY_SCHEDULE"], now(), manual=item.manual,
        )
        return result, decision

    def _sender_for(self, item: queue.Claimed) -> Callable[[], Awaitable[Result]]:
        """What sends `item`, with its message already built (so a bad message fails here)."""
        if item.kind == SLACK_CHANNEL:
            messages = self._channel_messages(item)
            # The Slack Web API client blocks: it runs off the event loop, one at a time per channel.
            return lambda: asyncio.to_thread(self.channels.send, item, messages)
        outgoing = self._request(item)
        return lambda: self._open().sender.post(item.url, outgoing.body, outgoing.headers)

    def _channel_messages(self, item: queue.Claimed) -> Messages:
        ctx = self._slack_context(item)
        started = None
        if item.event.get("identifier") == events.NEW_SERVER_ISSUES:  # may need a card to thread under
            started = payloads.slack_message({**item.event, "identifier": events.SCAN_STARTED}, ctx, None)
        return Messages(payloads.slack_message(item.event, ctx, item.min_severity, item.known_exploited_only), started)

    def _request(self, item: queue.Claimed) -> payloads.Outgoing:
        if item.kind == SLACK:
            return payloads.slack(item.event, self._slack_context(item), item.min_severity, item.known_exploited_only)
        return payloads.generic(item.format, item.webhook_id, item.secrets, item.event)

    def _slack_context(self, item: queue.Claimed) -> MessageContext:
        return MessageContext(
            account_email=item.account_email,
            webhook_description=item.description,
            public_url=self.config.get("PUBLIC_URL"),
            severity_counts=(item.event.get("counts") or {}).get("by_severity"),
        )

    def _purge(self) -> bool:
        retention.purge(self.db, self.config["RETENTION_DAYS"])
        return False


class _Sending:
    """The event loop thread, its sender and the in-flight cap; closing waits for what is in flight."""

    def __init__(self, make_sender, concurrency: int) -> None:  # noqa: ANN001 - a factory of send.Sender
        self.thread = EventLoopThread("webhook-send")
        self.sender: send.Sender = self.thread.run(_on_loop(make_sender))
        self.slots: asyncio.Semaphore = self.thread.run(_on_loop(lambda: asyncio.Semaphore(concurrency)))
        self._futures: set[Future] = set()

    async def limited(self, coroutine):  # noqa: ANN001, ANN202 - any awaitable, its result
        async with self.slots:
            return await coroutine

    def run(self, coroutine):  # noqa: ANN001, ANN202
        return self.thread.run(coroutine)

    def submit(self, coroutine) -> None:  # noqa: ANN001
        future = asyncio.run_coroutine_threadsafe(coroutine, self.thread.loop)
        self._futures.add(future)
        future.add_done_callback(self._futures.discard)

    def close(self) -> None:
        wait(list(self._futures))
        self.thread.run(self.sender.close())
        self.thread.close()


async def _on_loop(make):  # noqa: ANN001, ANN202 - objects that must be made on the loop that uses them
    return make()
