"""`patrol serve` in a real process: start it, read what it prints, stop it."""
from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager as ContextManager
from contextlib import contextmanager
from pathlib import Path

PATROL = str(Path(sys.executable).with_name("patrol"))
RUNNING = "Patrol is running"


def read_until(process: subprocess.Popen, marker: str, deadline: float) -> list[str]:
    lines = []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line.rstrip("\n"))
        if marker in line:
            return lines
    raise AssertionError(f"{marker!r} never printed; got {lines}")


@contextmanager
def running(command: list[str], env: dict[str, str], cwd: Path, marker: str) -> Iterator[tuple[subprocess.Popen, str]]:
    """`patrol COMMAND` until it prints `marker`; yields the process and what it printed,
    then stops it with SIGTERM as a supervisor would, and kills it if it does not stop."""
    process = subprocess.Popen([PATROL, *command], env={**env, "PYTHONFAULTHANDLER": "1"}, cwd=cwd,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        yield process, "\n".join(read_until(process, marker, time.monotonic() + 60))
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(60)  # a loaded machine may take a while to finish in-flight work
        except subprocess.TimeoutExpired:
            raise AssertionError(f"`patrol {' '.join(command)}` did not stop on SIGTERM; "
                                 f"where its threads were:\n{_threads_of(process)}") from None


def _threads_of(process: subprocess.Popen) -> str:
    """The end of what a hung process wrote, with every thread's stack: SIGABRT makes
    Python's fault handler (PYTHONFAULTHANDLER) print them as the process dies."""
    process.send_signal(signal.SIGABRT)
    try:
        _, errors = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        _, errors = process.communicate()
    return errors[-20_000:]


def serving(args: list[str], env: dict[str, str], cwd: Path) -> ContextManager[tuple[subprocess.Popen, str]]:
    """`patrol serve ARGS` until it says it runs."""
    return running(["serve", *args], env, cwd, RUNNING)


def demo_facts(output: str) -> tuple[str, str, str, int]:
    """The address, API key, secret and server id `serve --demo` printed."""
    url = re.search(r"running at (http://127\.0\.0\.1:\d+)/", output).group(1)
    key = re.search(r"API key:\s+([0-9a-f]{32})", output).group(1)
    secret = re.search(r"API secret:\s+([0-9a-f]{64})", output).group(1)
    server_id = int(re.search(r"server (\d+) was scanned", output).group(1))
    return url, key, secret, server_id
