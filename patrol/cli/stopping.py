"""Ctrl+C and SIGTERM for the commands that run until stopped (`serve`, `worker`).

Python runs a signal handler in the main thread only, and only once that
thread is back in Python code. The kernel may hand a process's signal to any
of its threads; a main thread blocked in a wait that nothing else ends would
then never notice it. So the main thread waits in short sleeps (waitress's
loop already wakes every second), and the handler only raises: a handler that
set a `threading.Event` could land while the main thread held that event's
own lock, and deadlock the stop.
"""
from __future__ import annotations

import contextlib
import signal
import time
from collections.abc import Iterator

SIGNALS = (signal.SIGINT, signal.SIGTERM)
NAP = 0.5  # seconds the main thread sleeps at a time while it waits to be stopped


class Stopped(SystemExit):
    """Ctrl+C or SIGTERM, raised in the main thread.

    A SystemExit, because waitress lets only that and KeyboardInterrupt through
    its channel handlers: any other exception raised while one runs (a signal
    landing as a client's connection closes) is logged and swallowed, and the
    server would keep running.
    """


@contextlib.contextmanager
def until_stopped() -> Iterator[None]:
    """Run the body until Ctrl+C or SIGTERM; the code after it stops what the body started.

    While that stop runs, a second Ctrl+C or SIGTERM ends the process at once,
    as people and supervisors expect of a second signal.
    """
    for each in SIGNALS:
        signal.signal(each, _raise_stopped)
    try:
        with contextlib.suppress(Stopped):
            yield
    finally:
        for each in SIGNALS:
            signal.signal(each, signal.SIG_DFL)


def wait_forever() -> None:
    """Sleep in the main thread until a signal's handler raises."""
    while True:
        time.sleep(NAP)


def _raise_stopped(*_: object) -> None:
    raise Stopped(0)
