"""The delivery engine of one process: fan-out, batched claims, one event loop of senders.

`patrol serve` runs one beside the web app; `patrol worker` runs one alone,
for scaling out on PostgreSQL. On PostgreSQL one thread claims batches of due
deliveries and another records finished ones in batches, each on a connection
of its own, so neither waits for the other's round trips; on SQLite, which has
one writer at a time, one thread does both in one transaction per round. One
asyncio event loop sends them all with aiohttp, at most `concurrency` at once. Loops wake
through `patrol.wakeups` (a commit here or in another process), and poll as a fallback.
"""
from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import Future, wait
from datetime import timedelta

from flask import Flask

from patrol import __version__, background, config, events, wakeups
from patrol.clock import now
from patrol.db import get_db
from slackkit.context import MessageContext
from webhooks import adaptive, fanout, outcomes, payloads, queue, retention, send, telemetry, upgrade_groups
from webhooks.channels import tokens
from webhooks.channels.living import Messages
from webhooks.channels.sending import ChannelSender
from webhooks.config import Webhooks
from webhooks.models import FAILED, SLACK, SLACK_CHANNEL, SLACK_KINDS
from webhooks.results import Result
from webhooks.transport import EventLoopThread

log = logging.getLogger(__name__)
LEASE_MARGIN = 30.0
PREFETCH = 2  # claimed deliveries held per slot, so the loop never waits for a claim
RELEASE_EVERY = 1.0  # seconds between looks for leases that ran out (a lease lasts 30 s longer than a send)


class Engine:
    """A background service: `start` opens the event loop and starts the loops."""

    def __init__(self, app: Flask) -> None:
        settings = config.of(app, Webhooks)
        self.db = get_db(app)
        self.settings = settings
        self.public_url = config.of(app, config.Core).public_url
        self.concurrency = settings.workers
        self.batch = settings.claim_batch
        self.lease = timedelta(seconds=settings.timeout + LEASE_MARGIN)
        self.disable_after = timedelta(seconds=settings.disable_after)
        self.slack_pace = timedelta(seconds=settings.slack_min_interval)
        self.limits = adaptive.Limits(settings.max_slots_per_webhook, self.concurrency)
        self.channels = ChannelSender(self.db, settings.slack_api_url, tokens.lookup_for(app), settings.timeout)
        self._sending: _Sending | None = None
        self._held = 0  # claimed and not yet recorded
        self._finished: list[queue.Finished] = []  # sent, waiting to be recorded in one batch
        self._lock = threading.Lock()
        self._released_at = float("-inf")  # time.monotonic() of the last look for expired leases
        poll = settings.poll_interval
        self.fanout_loop = background.Loop("webhook-fanout", self._fan_out, poll)
        self.claim_loop = background.Loop("webhook-claim", self._claim, poll)
        self.purge_loop = background.Loop("webhook-purge", self._purge, 3600.0)
        self.loops: tuple[background.Loop, ...] = (self.fanout_loop, self.claim_loop, self.purge_loop)
        self.recorder = self.claim_loop  # woken when a send finishes
        if self.db.is_postgres:
            self.recorder = background.Loop("webhook-record", self._record, poll)
            self.loops += (self.recorder,)
        wakeups.get(app).on(wakeups.EVENTS, self.fanout_loop.wake)
        wakeups.get(app).on(queue.DELIVERIES, self.claim_loop.wake)

    def start(self) -> None:
        self.limits.ceiling = max(self.limits.start, self.concurrency)
        self._open()
        for loop in self.loops:
            loop.start()

    def stop(self) -> None:
        for loop in self.loops:
            loop.stop()
        if self._sending is not None:
            self._sending.close()
            self._sending = None
        self._record_finished()

    def _open(self) -> _Sending:
        with self._lock:
            if self._sending is None:
                self._sending = _Sending(self._make_sender, self.concurrency)
            return self._sending

    def _make_sender(self) -> send.Sender:
        settings = self.settings
        return send.Sender(
            settings.address_policy,
            connect_timeout=settings.connect_timeout,
            total_timeout=settings.timeout,
            user_agent=f"Patrol-Webhooks/{__version__}",
            pool_maxsize=self.concurrency,
        )

    def _fan_out(self) -> bool:
        if fanout.dispatch(self.db) == 0:
            return False
        self.claim_loop.wake()
        return True

    def _claim(self) -> bool:
        """Claim as many as there is room for (on SQLite, recording what finished in the same
        transaction), and hand them to the event loop in one call."""
        done = self._take_finished() if self.recorder is self.claim_loop else []
        with self._lock:
            room = min(self.batch, self.concurrency * PREFETCH - self._held)
        if room <= 0 and not done:
            return False
        claimed = queue.cycle(self.db, done, room, lease_for=self.lease, per_webhook=self.limits.start,
                              limits=self.limits.snapshot(), release_expired=self._release_due(),
                              disable_after=self.disable_after)
        with self._lock:
            self._held += len(claimed)
        if claimed:
            self._open().submit_all([self._deliver(item) for item in claimed])
        return len(claimed) == room

    def _release_due(self) -> bool:
        """Whether this claim also looks for expired leases: at most every RELEASE_EVERY seconds,
        not on every claim of a busy engine (a lease outlives its send by LEASE_MARGIN anyway)."""
        moment = time.monotonic()
        if moment - self._released_at < RELEASE_EVERY:
            return False
        self._released_at = moment
        return True

    def _record(self) -> bool:
        """Record what the senders finished; what it frees, the claim may refill."""
        if self._record_finished():
            self.claim_loop.wake()
            return True
        return False

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
        self.recorder.wake()

    def _take_finished(self) -> list[queue.Finished]:
        with self._lock:
            done, self._finished = self._finished, []
        return done

    def _record_finished(self) -> int:
        done = self._take_finished()
        queue.finish(self.db, done, disable_after=self.disable_after)
        return len(done)

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
        pace = self.slack_pace if item.kind in SLACK_KINDS else None
        finished = queue.Finished(item, result, decision, started, pace)
        telemetry.observe_attempt(finished)
        return finished

    async def _send(self, item: queue.Claimed) -> tuple[Result, outcomes.Decision]:
        try:
            if item.kind in SLACK_KINDS:  # its message reads the database: built off the event loop
                send = await asyncio.to_thread(self._sender_for, item)
            else:
                send = self._sender_for(item)
        except Exception as exc:
            log.exception("cannot build delivery %s", item.delivery_id)
            result = Result(None, "", {}, 0, "invalid_payload", f"{type(exc).__name__}: {exc}")
            return result, outcomes.Decision(FAILED, note="Patrol could not build this message; not retried.")
        result = await send()
        decision = outcomes.decide(
            item.kind, result, item.attempt, self.settings.retry_schedule, now(), manual=item.manual,
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
            public_url=self.public_url,
            severity_counts=(item.event.get("counts") or {}).get("by_severity"),
            upgrades=upgrade_groups.for_event(self.db, item.event),
            dismissable=item.kind == SLACK_CHANNEL,
        )

    def _purge(self) -> bool:
        retention.purge(self.db, self.settings.retention_days)
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

    def submit_all(self, coroutines: list) -> None:
        """Start every coroutine as a task on the loop: one wake-up of the loop for a whole batch."""
        future = asyncio.run_coroutine_threadsafe(_start_all(coroutines), self.thread.loop)
        self._futures.add(future)
        future.add_done_callback(self._futures.discard)

    def close(self) -> None:
        wait(list(self._futures))
        self.thread.run(self.sender.close())
        self.thread.close()


async def _start_all(coroutines: list) -> None:
    """Run the coroutines concurrently; done when all are (so closing waits for them)."""
    await asyncio.gather(*coroutines)


async def _on_loop(make):  # noqa: ANN001, ANN202 - objects that must be made on the loop that uses them
    return make()
