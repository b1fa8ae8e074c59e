"""`patrol worker`, a real process on the test's database: its flag sizes the
delivery engine it builds, and it runs the core's loops (scans) as well as deliveries."""
import os
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from patrol.cli import main
from patrol.models import Scan
from webhooks.models import SUCCEEDED, Delivery
from tests.support.receivers import Answer, receivers, wait_until  # noqa: F401 - `receivers` is a fixture
from tests.support.webhook_calls import add_webhook, record_events

PATROL = [sys.executable, "-c", "from patrol.cli import main; main()"]
CONCURRENCY = 2  # below what the webhooks below could take at once: 3 webhooks x 2 slots each


@pytest.fixture
def start_worker(app_config, tmp_path):
    """Starts one `patrol worker` with the given arguments; kills it at the end."""
    started: list[subprocess.Popen] = []
    env = {**os.environ, "PATROL_DATABASE_URL": app_config["DATABASE_URL"],
           "PATROL_SECRET_KEY": app_config["SECRET_KEY"], "PATROL_WEBHOOK_ALLOWED_NETWORKS": "127.0.0.0/8",
           "PATROL_WEBHOOK_TIMEOUT": "30", "PATROL_WEBHOOK_POLL_INTERVAL": "0.1"}

    def start(*args: str) -> subprocess.Popen:
        with open(tmp_path / "worker.log", "wb") as log:
            started.append(subprocess.Popen([*PATROL, "worker", *args], env=env, stdout=log,
                                            stderr=subprocess.STDOUT))
        return started[-1]

    yield start
    for process in started:
        process.kill()
        process.wait(timeout=30)


def succeeded(db) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(Delivery).where(Delivery.status == SUCCEEDED))


@pytest.mark.parametrize("given", ["0", "-3"])
def test_a_concurrency_below_one_is_a_one_line_error(given):
    result = CliRunner().invoke(main, ["worker", "--concurrency", given])
    assert result.exit_code == 2
    assert result.output.strip() == f"Error: --concurrency must be 1 or more, not {given}"


@pytest.mark.extensions("webhooks")
def test_the_concurrency_flag_sizes_the_engine_the_worker_builds(client, db, make_account, receivers,
                                                                 start_worker):
    owner = make_account()
    targets = [receivers(Answer(hang=True)) for _ in range(3)]
    for target in targets:
        add_webhook(client, owner, target.url())
    record_events(db, owner, 2)  # 6 deliveries, 2 per webhook

    start_worker("--concurrency", str(CONCURRENCY))
    wait_until(lambda: sum(t.open_requests for t in targets) >= CONCURRENCY, timeout=60,
               what=f"{CONCURRENCY} requests in flight")
    time.sleep(1.5)  # room for more to start, were the engine sized by the default (64)
    assert sum(len(t.requests) for t in targets) == CONCURRENCY

    for target in targets:
        target.release()
    wait_until(lambda: succeeded(db) == 6, timeout=60, what="every delivery to succeed")


def test_the_worker_runs_scans_too(client, db, make_account, make_server, start_worker):
    owner = make_account()
    server_id = make_server(owner)
    start_worker()
    started = client.post(f"/api/servers/{server_id}/scan", auth=owner.auth)
    assert started.status_code == 202, started.json

    def status() -> str:
        with db.session() as session:
            return session.scalar(select(Scan.status).where(Scan.id == started.json["data"]["id"]))

    wait_until(lambda: status() == "finished", timeout=60, what="the worker to run the scan")

