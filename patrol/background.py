"""The loop runner: the threads of background work (scan workers, the
scheduler, the syncs, and what extensions add with `get(app).add`, such as
webhook delivery). `patrol serve` starts them beside the web app, `patrol
worker` without it; `patrol.wakeups` wakes them when a commit queues work."""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Protocol, TypeVar

from flask import Flask

log = logging.getLogger(__name__)
# Seconds a stop waits for background work: a webhook send at its default timeout (15 s) finishes
# and is recorded, within the 30 s a Kubernetes pod is given. PATROL_SHUTDOWN_GRACE changes it.
STOP_GRACE = 20.0


class Loop:
    """Runs `tick` when woken, or every `interval` seconds at the latest.

    `tick` returns True when it did work, so a busy loop drains its queue
    without waiting; an exception is logged and the loop goes on.
    """

    def __init__(self, name: str, tick: Callable[[], bool | None], interval: float) -> None:
        self.name, self.tick, self.interval = name, tick, interval
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            try:
                busy = self.tick()
            except Exception:  # a background loop must survive anything
                log.exception("%s: tick failed", self.name)
                busy = False
            if not busy:
                self._wake.wait(self.interval)


class Service(Protocol):
    """Anything that runs in the background: a Loop, or a component of loops."""

    def start(self) -> None: ...

    def stop(self) -> None: ...


S = TypeVar("S", bound=Service)


class Background:
    def __init__(self) -> None:
        self.loops: list[Service] = []
        self.started = False

    def add(self, loop: S) -> S:
        self.loops.append(loop)
        if self.started:
            loop.start()
        return loop

    def start(self) -> None:
        self.started = True
        for loop in self.loops:
            loop.start()

    def stop(self, grace: float = STOP_GRACE) -> None:
        """Stop every service at once and wait `grace` seconds at most for them all.

        One service caught mid-tick (a sync waiting on a slow feed) must not hold
        up the others' stop, nor keep the process past what a supervisor allows:
        whatever is still running after `grace` is named and left to end with the
        process (its threads are daemons and its work is not committed yet).
        """
        stopping = [threading.Thread(target=service.stop, name=f"stop-{_name(service)}", daemon=True)
                    for service in self.loops]
        for thread in stopping:
            thread.start()
        deadline = time.monotonic() + grace
        for thread in stopping:
            thread.join(max(0.0, deadline - time.monotonic()))
        still_running = [_name(service) for service, thread in zip(self.loops, stopping) if thread.is_alive()]
        if still_running:
            log.warning("still busy %.0fs after the stop, left to end with the process: %s",
                        grace, ", ".join(still_running))
        self.started = False


def _name(service: Service) -> str:
    return getattr(service, "name", type(service).__name__)


def get(app: Flask) -> Background:
    return app.extensions.setdefault("patrol.background", Background())
