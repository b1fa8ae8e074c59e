"""`patrol push --wait` as a real process over real HTTP to a live Patrol whose
scan workers run: it waits for the scan, prints the findings as a table, JSON
or SARIF 2.1.0, and `--fail-on` gates on open, undismissed issues."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from patrol import background, demo
from patrol.feeds import state as feeds
from patrol.models import FeedState
from tests.support.demo_server import demo_data  # noqa: F401 - a fixture
from tests.support.live_server import live_server  # noqa: F401 - a fixture

PATROL = str(Path(sys.executable).with_name("patrol"))
NPM_LOCK = str(demo.DATA / "package-lock.json")  # minimist (critical), lodash (high x2), elliptic (medium)


@pytest.fixture
def patrol(app, live_server, make_account, demo_data):  # fixtures above
    background.get(app).start()  # scan workers, as `patrol serve` runs them
    owner = make_account()
    env = {**os.environ, "PATROL_URL": live_server.base_url + "/api", "PATROL_KEY": owner.key,
           "PATROL_SECRET": owner.secret}
    return Runner(live_server.base_url + "/api", owner.auth, env)


class Runner:
    def __init__(self, api: str, auth: tuple[str, str], env: dict) -> None:
        self.api, self.auth, self.env = api, auth, env

    def push(self, *args: str, exit_code: int = 0) -> subprocess.CompletedProcess:
        done = subprocess.run([PATROL, "push", "--server", "ci.example.com", "--bucket", "app", *args, NPM_LOCK],
                              env=self.env, capture_output=True, text=True, timeout=120)
        assert done.returncode == exit_code, done.stdout + done.stderr
        assert "Traceback" not in done.stderr
        return done

    def api_call(self, method: str, path: str, **json_body: object) -> dict:
        answer = requests.request(method, self.api + path, json=json_body or None, auth=self.auth, timeout=10)
        assert answer.ok, answer.text
        return answer.json()["data"]


def test_wait_prints_a_table_of_the_findings(patrol):
    done = patrol.push("--wait")
    lines = done.stdout.splitlines()
    assert any(line.startswith("ci.example.com: 4 open issues (1 critical, 2 high, 1 medium)") for line in lines)
    header = next(line for line in lines if line.startswith("SEVERITY"))
    rows = lines[lines.index(header) + 1:]
    assert [row.split()[0] for row in rows] == ["critical", "high", "high", "medium"]
    assert "minimist" in rows[0] and "1.2.6" in rows[0] and "yes" in rows[0]  # fixed in, known exploited


def verdict(done):
    return next(line for line in done.stdout.splitlines() if line.startswith("ci.example.com: "))


def test_the_verdict_says_how_old_the_advisories_are(patrol, db):
    unsynced = verdict(patrol.push("--wait"))
    assert unsynced.endswith("); advisories not synced by Patrol")  # the demo's advisories were imported by hand
    assert feeds.claim(db, "osv/npm") is not None
    feeds.succeeded(db, "osv/npm", 3600)
    with db.session() as session:
        synced_at = session.get(FeedState, "osv/npm").last_success_at

    done = patrol.push("--wait", "--json")

    assert done.stdout.count("advisories_as_of") == 1
    as_of = json.loads(done.stdout)["advisories_as_of"]
    assert as_of and as_of.startswith(synced_at.strftime("%Y-%m-%dT%H:%M"))
    table = verdict(patrol.push("--wait"))
    assert table.endswith(f"); advisories as of {synced_at:%Y-%m-%d %H:%M} UTC")


def test_json_owns_standard_output(patrol):
    done = patrol.push("--wait", "--json")
    found = json.loads(done.stdout)
    assert found["server"] == "ci.example.com" and found["scan"]["status"] == "finished"
    assert {i["software"]["name"] for i in found["issues"]} == {"minimist", "lodash", "elliptic"}
    assert "Pushed" in done.stderr


def test_sarif_is_a_2_1_0_log_with_a_rule_per_advisory(patrol):
    log = json.loads(patrol.push("--wait", "--sarif").stdout)
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    (run,) = log["runs"]
    rules = {rule["id"]: rule for rule in run["tool"]["driver"]["rules"]}
    assert set(rules) == {result["ruleId"] for result in run["results"]} and len(run["results"]) == 4
    minimist = next(r for r in run["results"] if r["ruleId"] == "GHSA-xvch-5gv4-984h")
    assert minimist["level"] == "error" and rules["GHSA-xvch-5gv4-984h"]["properties"]["security-severity"] == "9.5"
    uri = minimist["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == Path(NPM_LOCK).as_uri()
    assert all(r["level"] in ("error", "warning", "note") for r in run["results"])


def test_fail_on_high_exits_1_naming_the_count(patrol):
    done = patrol.push("--wait", "--fail-on", "high", exit_code=1)
    assert "3 open issues at high or worse" in done.stderr
    assert "minimist" in done.stdout  # the findings are printed before the gate


def test_fail_on_ignores_dismissed_issues(patrol):
    patrol.push("--wait")
    server = next(s for s in patrol.api_call("GET", "/servers") if s["name"] == "ci.example.com")
    for issue in patrol.api_call("GET", f"/servers/{server['id']}/issues", ):
        if issue["advisory"]["severity"] == "critical":
            patrol.api_call("POST", f"/servers/{server['id']}/issues/{issue['id']}/dismissal", reason="fix_planned")
    done = patrol.push("--wait", "--fail-on", "critical")
    assert "minimist" not in done.stdout and "3 open issues" in done.stdout


def test_format_flags_without_wait_are_a_usage_error(patrol):
    done = patrol.push("--fail-on", "high", exit_code=2)
    assert "need --wait" in done.stderr
