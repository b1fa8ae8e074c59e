"""`patrol worker` processes on the benchmark's database, started and stopped by id.

Each child gets a clean environment: the caller's PATROL_* and SLACK_*
settings are dropped so that nothing but the benchmark database and loopback
is in reach. Its log (one line per delivery attempt) goes to a file, as a
production worker's would, not to the terminal that shows the benchmark's table.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

READY = "Patrol worker running"
STOP_TIMEOUT = 30.0


class WorkerNotReady(RuntimeError):
    """A worker exited or stayed silent instead of starting."""


@contextmanager
def running(count: int, settings: Mapping[str, str], ready_timeout: float = 60.0) -> Iterator[list[int]]:
    """Start `count` workers with `settings` (PATROL_* variables); yields their process ids."""
    procs: list[subprocess.Popen] = []
    try:
        for _ in range(count):
            procs.append(_start(settings))
        for proc in procs:
            _wait_ready(proc, ready_timeout)
        yield [proc.pid for proc in procs]
    finally:
        for proc in procs:
            _stop(proc)


def cpu_seconds(pids: list[int]) -> float:
    """CPU time the processes used so far (user + system), read from /proc (Linux)."""
    total_ticks = 0
    for pid in pids:
        stat = Path(f"/proc/{pid}/stat").read_text()
        fields = stat[stat.rindex(")") + 2 :].split()  # the name in parentheses may hold spaces
        total_ticks += int(fields[11]) + int(fields[12])  # utime, stime: fields 14 and 15 of stat
    return total_ticks / os.sysconf("SC_CLK_TCK")


def _start(settings: Mapping[str, str]) -> subprocess.Popen:
    inherited = {k: v for k, v in os.environ.items() if not k.startswith(("PATROL_", "SLACK_"))}
    command = [str(Path(sys.executable).with_name("patrol")), "worker"]
    env = {**inherited, **settings, "PYTHONUNBUFFERED": "1"}
    with tempfile.TemporaryFile(prefix="patrol-worker-log-") as log:  # the child keeps it open
        return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=log, text=True)


def _wait_ready(proc: subprocess.Popen, timeout: float) -> None:
    """Read the worker's output on a thread (a pipe left unread would block it) until READY."""
    ready = threading.Event()

    def drain() -> None:
        for line in proc.stdout:
            if READY in line:
                ready.set()

    threading.Thread(target=drain, name=f"worker-{proc.pid}-stdout", daemon=True).start()
    if not ready.wait(timeout):
        raise WorkerNotReady(f"worker {proc.pid} did not start (exit status {proc.poll()})")


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
