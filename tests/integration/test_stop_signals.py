"""How `patrol serve` and `patrol worker` stop, as real processes: on SIGTERM
whichever of their threads the kernel hands it to, within the grace when a loop
is stuck, and at once on a second signal."""
from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.support.receivers import Answer, Receiver, receivers, wait_until  # noqa: F401 - `receivers` is a fixture
from tests.support.serving import RUNNING, read_until, running

WORKER_RUNNING = "Patrol worker running"
COMMANDS = {"worker": (["worker"], WORKER_RUNNING), "serve": (["serve", "--port", "0"], RUNNING)}


@pytest.fixture
def env(app_config) -> dict[str, str]:
    return {**os.environ, "PATROL_DATABASE_URL": app_config["DATABASE_URL"],
            "PATROL_SECRET_KEY": app_config["SECRET_KEY"]}


@pytest.fixture
def stuck_feed(receivers, env) -> Receiver:
    """Settings under which the exploit sync waits on a feed that never answers."""
    feed = receivers(Answer(hang=True))
    env.update(PATROL_ADVISORY_SYNC_INTERVAL="3600", PATROL_KEV_URL=feed.url("/kev.json"),
               PATROL_EPSS_URL=feed.url("/epss.csv.gz"), PATROL_ADVISORY_TIMEOUT="600")
    return feed


def other_thread(pid: int) -> int:
    """The id of one of the process's threads other than its main thread (Linux)."""
    return next(int(tid) for tid in os.listdir(f"/proc/{pid}/task") if int(tid) != pid)


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="signals a chosen thread through Linux's /proc")
@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_sigterm_that_lands_on_another_thread_still_stops_the_process(name, env, tmp_path):
    command, marker = COMMANDS[name]
    with running(command, env, tmp_path, marker) as (process, _):
        assert ctypes.CDLL(None, use_errno=True).tgkill(process.pid, other_thread(process.pid), signal.SIGTERM) == 0
        process.wait(60)

    assert process.returncode == 0
    assert "Stopped." in process.stdout.read()


@contextmanager
def worker_mid_sync(env: dict[str, str], feed: Receiver, cwd: Path, grace: int) -> Iterator[subprocess.Popen]:
    """A `patrol worker` with the given stop grace, once its exploit sync waits on `feed`."""
    with running(["worker"], {**env, "PATROL_SHUTDOWN_GRACE": str(grace)}, cwd, WORKER_RUNNING) as (process, _):
        wait_until(lambda: feed.open_requests >= 1, timeout=60, what="the exploit sync to wait on its feed")
        yield process


def test_a_worker_caught_mid_sync_stops_within_its_grace_and_names_what_it_left(env, stuck_feed, tmp_path):
    with worker_mid_sync(env, stuck_feed, tmp_path, grace=1) as process:
        pass  # leaving the block sends SIGTERM

    assert process.returncode == 0
    assert "left to end with the process: exploit-sync" in process.stderr.read()


def test_a_second_sigterm_during_the_stop_ends_the_worker_at_once(env, stuck_feed, tmp_path):
    with worker_mid_sync(env, stuck_feed, tmp_path, grace=600) as process:
        process.send_signal(signal.SIGTERM)
        read_until(process, "Stopping.", time.monotonic() + 60)
        process.send_signal(signal.SIGTERM)
        process.wait(60)

    assert process.returncode == -signal.SIGTERM
