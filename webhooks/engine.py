"""The delivery engine of one process: fan-out, claiming, a pool of senders.

`patrol serve` runs one beside the web app; `patrol worker` runs one alone,
for scaling out on PostgreSQL. Loops wake at once on a local commit or a
NOTIFY from another process, and poll as a fallback.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from flask import Flask

from patrol import background, events
from patrol.clock import now
from patrol.db import get_db
from webhooks import addresses, fanout, outcomes, payloads, queue, retention, transport, wakeups
from webhooks.channels import tokens
from webhooks.channels.living import Messages
from webhooks.channels.sending import ChannelSender
from webhooks.models import FAILED, SLACK, SLACK_CHANNEL, SLACK_KINDS
from webhooks.slack.context import MessageContext

log = logging.getLogger(__name__)
LEASE_MARGIN = 30.0


class Engine:
    """A background service: `start` opens the pool and starts the loops."""

    def __init__(self, app: Flask) -> None:
        config = app.config
        self.db = get_db(app)
        self.config = config
        self.concurrency = config["WEBHOOK_WORKERS"]
        self.lease = timedelta(seconds=config["WEBHOOK_TIMEOUT"] + LEASE_MARGIN)
        self.disable_after = timedelta(seconds=config["WEBHOOK_DISABLE_AFTER"])
        self.sender = transport.Sender(
            addresses.AddressPolicy(config["WEBHOOK_ALLOWED_NETWORKS"]),
            connect_timeout=config["WEBHOOK_CONNECT_TIMEOUT"],
            total_timeout=config["WEBHOOK_TIMEOUT"],
            user_agent=f"Patrol-Webhooks/{config['PATROL_VERSION']}",
            pool_maxsize=max(10, self.concurrency),
        )
        self.channels = ChannelSender(self.db, config["SLACK_API_URL"], tokens.lookup_for(app),
                                      config["WEBHOOK_TIMEOUT"])
        self.pool: ThreadPoolExecutor | None = None
        self.listener: wakeups.Listener | None = None
        self._busy = 0
        self._finished: list[queue.Finished] = []  # sent, waiting to be recorded in one batch
        self._lock = threading.Lock()
        poll = config["WEBHOOK_POLL_INTERVAL"]
        self.fanout_loop = background.Loop("webhook-fanout", self._fan_out, poll)
        self.claim_loop = background.Loop("webhook-claim", self._claim, poll)
        self.purge_loop = background.Loop("webhook-purge", self._purge, 3600.0)

    def start(self) -> None:
        self.pool = ThreadPoolExecutor(self.concurrency, thread_name_prefix="webhook-send")
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
        if self.pool is not None:
            self.pool.shutdown(wait=True)
        self._record_finished()

    def wake(self) -> None:
        self.fanout_loop.wake()
        self.claim_loop.wake()

    def _fan_out(self) -> bool:
        if fanout.dispatch(self.db) == 0:
            return False
        self.claim_loop.wake()
        return True

    def _claim(self) -> bool:
        """Record what the senders finished, then claim as many as there are free slots."""
        self._record_finished()
        with self._lock:
            free = self.concurrency - self._busy
        if free <= 0:
            return False
        claimed = queue.claim(self.db, free, self.lease, self.config["WEBHOOK_MAX_SLOTS_PER_WEBHOOK"])
        with self._lock:
            self._busy += len(claimed)
        for item in claimed:
            self.pool.submit(self._deliver, item)
        return len(claimed) == free

    def _deliver(self, item: queue.Claimed) -> None:
        try:
            finished = self.attempt(item)
        except Exception:  # noqa: BLE001 - the lease brings the delivery back
            log.exception("delivery %s crashed", item.delivery_id)
            finished = None
        with self._lock:
            self._busy -= 1
            if finished is not None:
                self._finished.append(finished)
        self.claim_loop.wake()

    def _record_finished(self) -> None:
        with self._lock:
            done, self._finished = self._finished, []
        if done:
            queue.finish(self.db, done, disable_after=self.disable_after)

    def deliver(self, item: queue.Claimed) -> None:
        """Send one claimed delivery and record what happened, at once."""
        queue.finish(self.db, [self.attempt(item)], disable_after=self.disable_after)

    def attempt(self, item: queue.Claimed) -> queue.Finished:
        """Send one claimed delivery and decide what its result means."""
        started = now()
        try:
            send = self._sending(item)
        except Exception as exc:  # noqa: BLE001 - a message we cannot build is our bug: log it
            log.exception("cannot build delivery %s", item.delivery_id)
            result = transport.Result(None, "", {}, 0, "invalid_payload", f"{type(exc).__name__}: {exc}")
            decision = outcomes.Decision(FAILED, note="Patrol could not build this message; not retried.")
        else:
            result = send()
            decision = outcomes.decide(
                item.kind, result, item.attempt, self.config["WEBHOOK_RETRY_SCHEDULE"], now(),
                manual=item.manual,
            )
        pace = timedelta(seconds=self.config["SLACK_MIN_INTERVAL"]) if item.kind in SLACK_KINDS else None
        return queue.Finished(item, result, decision, started, pace)

    def _sending(self, item: queue.Claimed) -> Callable[[], transport.Result]:
        """What sends `item`, with its message already built (so a bad message fails here)."""
        if item.kind == SLACK_CHANNEL:
            messages = self._channel_messages(item)
            return lambda: self.channels.send(item, messages)
        outgoing = self._request(item)
        return lambda: self.sender.post(item.url, outgoing.body, outgoing.headers)

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

