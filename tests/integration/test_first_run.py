"""The first ten minutes: `patrol --help` and `--version` speak Patrol, operational
errors are one line with exit code 2, and the demo keeps to its own database."""
from __future__ import annotations

import os
import socket
import subprocess
from importlib.metadata import version

import pytest
import requests
from click.testing import CliRunner
from sqlalchemy import create_engine, text

from patrol.cli import main
from tests.support.serving import PATROL, demo_facts, serving


def _patrol(*args: str, env: dict[str, str], cwd) -> subprocess.CompletedProcess:
    return subprocess.run([PATROL, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=120)


def _one_line_error(done: subprocess.CompletedProcess) -> str:
    """The single line an operational error prints; asserts exit code 2 and nothing more."""
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), done.stderr
    return lines[0]


@pytest.fixture
def env(database_url) -> dict[str, str]:
    return {**os.environ, "PATROL_DATABASE_URL": database_url, "PATROL_SECRET_KEY": "test-secret-key"}


def test_version_is_patrols():
    result = CliRunner().invoke(main, ["--version"])
    assert (result.exit_code, result.output) == (0, f"patrol {version('patrol')}\n")


def _section(help_text: str, title: str) -> list[str]:
    """The first word of each entry under `title:` in click's help."""
    body = help_text.split(f"\n{title}:\n")[1].split("\n\n")[0]
    return [line.split()[0].rstrip(",") for line in body.splitlines() if line.startswith("  ") and line.split()]


@pytest.mark.extensions("webhooks", "bot")
def test_help_lists_patrols_commands_and_options_only():
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0, result.output
    assert _section(result.output, "Options") == ["--version", "--help"]
    commands = set(_section(result.output, "Commands"))
    assert {"account", "advisories", "db", "push", "scan", "serve", "slack", "worker"} <= commands
    assert not commands & {"routes", "shell", "run"}
    assert "--app" not in result.output and "--debug" not in result.output and "--env-file" not in result.output


def test_serve_on_a_port_in_use_says_so(env, tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = _patrol("serve", "--port", str(port), env=env, cwd=tmp_path)
    assert _one_line_error(done) == f"Error: port {port} is in use: pass --port or stop the other process"


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens there once closed


@pytest.mark.parametrize("url", [
    "postgresql://patrol:hunter2@127.0.0.1:{port}/patrol",  # unreachable
    "postgresql://patrol:hunter2@127.0.0.1:notaport/patrol",  # malformed
    "nosuchdb://patrol:hunter2@127.0.0.1/patrol",  # no such database kind
])
def test_an_unusable_database_url_is_named_without_its_password(env, tmp_path, url):
    env["PATROL_DATABASE_URL"] = url.format(port=_closed_port())
    for command in (["db", "upgrade"], ["serve", "--port", "0"]):
        line = _one_line_error(_patrol(*command, env=env, cwd=tmp_path))
        assert "PATROL_DATABASE_URL=" in line and "patrol:***@127.0.0.1" in line
        assert "hunter2" not in line


def test_push_of_a_missing_file_says_which(tmp_path):
    env = {**os.environ, "PATROL_URL": "http://127.0.0.1:9/api", "PATROL_KEY": "k", "PATROL_SECRET": "s"}
    missing = tmp_path / "composer.lock"
    assert _one_line_error(_patrol("push", "--server", "web1", str(missing), env=env, cwd=tmp_path)) == (
        f"Error: {missing}: no such file")


def test_push_to_a_patrol_url_without_api_suggests_it(tmp_path):
    lock = tmp_path / "requirements.txt"
    lock.write_text("requests==2.30.0\n")
    env = {**os.environ, "PATROL_URL": "http://127.0.0.1:9/", "PATROL_KEY": "k", "PATROL_SECRET": "s"}
    line = _one_line_error(_patrol("push", "--server", "web1", str(lock), env=env, cwd=tmp_path))
    assert "PATROL_URL=http://127.0.0.1:9" in line and "try PATROL_URL=http://127.0.0.1:9/api" in line


def _count(database, table: str) -> int:  # a SQLite file
    engine = create_engine(f"sqlite:///{database}")
    with engine.connect() as connection:
        found = connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
    engine.dispose()
    return found


@pytest.mark.extensions("webhooks")
def test_the_demo_keeps_to_its_own_database(tmp_path):
    """Two demo runs, then a plain serve, on the default SQLite files of one instance folder."""
    instance = tmp_path / "instance"
    env = {k: v for k, v in os.environ.items() if k not in ("PATROL_DATABASE_URL", "PATROL_SECRET_KEY")}
    # The plain serve must not sync advisories from the internet either.
    env.update(PATROL_INSTANCE_PATH=str(instance), PATROL_SCAN_WORKERS="1")
    for _ in range(2):
        with serving(["--demo", "--port", "0"], env, tmp_path) as (_, output):
            url, key, secret, _ = demo_facts(output)
            assert f"Demo database: sqlite:///{instance / 'patrol-demo.sqlite3'}" in output
            assert "Webhooks may call receivers on this machine (127.0.0.0/8, ::1/128)" in output
            assert "no scheduled sync from osv.dev" in output
            hook = requests.post(f"{url}/api/webhooks", json={"url": "http://127.0.0.1:9/hook"},
                                 auth=(key, secret), timeout=10)
            assert hook.status_code == 201, hook.text
    assert _count(instance / "patrol-demo.sqlite3", "credentials") == 1  # the rerun replaced the key

    with serving(["--port", "0"], {**env, "PATROL_SECRET_KEY": "k" * 32}, tmp_path) as (_, output):
        url = output.split("running at ")[1].split("/ ")[0]
        assert requests.get(f"{url}/api/user", auth=(key, secret), timeout=10).status_code == 401
        refused = requests.post(f"{url}/api/webhooks", json={"url": "http://127.0.0.1:9/hook"},
                                auth=(key, secret), timeout=10)
        assert refused.status_code == 401
    assert _count(instance / "patrol.sqlite3", "accounts") == 0
