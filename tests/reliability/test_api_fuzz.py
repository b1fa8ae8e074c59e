"""Every API operation in /api/openapi.json, fuzzed by schemathesis against a live app.

The app runs on a loopback port with real credentials and a seeded account
(a server with a pushed bucket, a webhook with a delivery), so a generated id
sometimes names a real row: about half of the calls have their ids swapped
for the seeded ones. Each answer must be no 5xx, in the contract's envelope
(`{"data": ...}` or `{"error": {"code", "message"}}`) and match the
documented status codes, headers and schema. Runs on SQLite and PostgreSQL.

One test per generation mode: positive (calls the schema allows; each
operation must also succeed at least once, so the calls reach the handlers)
and negative (calls it forbids). Operations are fuzzed in a loop with
hypothesis rather than through schemathesis' pytest plugin, whose
`from_fixture` does not run under pytest 9; each gets a fresh account, so
one operation's deletes leave the next its rows.
"""
from __future__ import annotations

import zlib

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode, checks

from tests.support.live_server import LiveServer
from tests.support.receivers import Receiver

pytestmark = [pytest.mark.reliability, pytest.mark.extensions("webhooks")]
EXAMPLES = 30  # per operation and mode: bounds each test's run

# Valid input the schema cannot fully describe: `software` as a string must be JSON text, and an
# SBOM body a real CycloneDX or SPDX document, so random "valid" bodies are mostly refused (422).
# Dismissals need an open issue and a real advisory id, which the seeded account does not have
# (no advisories are imported): their valid calls get a 404 or 422, checked like every other answer.
NO_SUCCESS_EXPECTED = {
    "POST /servers/{server_id}/software_bucket/{key}",
    "POST /servers/{server_id}/issues/{issue_id}/dismissal",
    "DELETE /servers/{server_id}/issues/{issue_id}/dismissal",
    "POST /servers/{server_id}/advisories/{osv_id}/dismissal",
    "DELETE /servers/{server_id}/advisories/{osv_id}/dismissal",
    "POST /advisories/{osv_id}/dismissal",
    "DELETE /advisories/{osv_id}/dismissal",
}
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
]


@pytest.fixture
def app_config(app_config):
    app_config.update(API_RATE=0)  # no rate limit: the fuzzer calls far faster than a client
    return app_config


def _seed(base: str, auth: tuple[str, str], server_id: int, hook_url: str) -> dict:
    api = f"{base}/api"
    bucket = {"software": [{"n": "lodash", "v": "4.17.0", "e": "npm"}, {"n": "openssl", "v": "1.0.1"}]}
    requests.post(f"{api}/servers/{server_id}/software_bucket/os", json=bucket, auth=auth, timeout=10)
    software = requests.get(f"{api}/servers/{server_id}/software", auth=auth, timeout=10).json()["data"]
    hook = requests.post(f"{api}/webhooks", json={"url": hook_url}, auth=auth, timeout=10).json()["data"]
    delivery = requests.post(f"{api}/webhooks/{hook['id']}/test", auth=auth, timeout=10).json()["data"]
    return {"server_id": server_id, "software_id": software[0]["id"], "key": "os", "webhook_id": hook["id"],
            "delivery_id": delivery["id"], "event_id": delivery["event_id"]}


def fuzz(operation, mode: GenerationMode, base_url: str, auth: tuple[str, str], seed: dict) -> set[int]:
    """Up to EXAMPLES generated calls of one operation; raises the first failure, shrunk.

    Returns the status codes it got, so the caller can see the calls reached the handlers.
    """
    statuses = set()

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def call(case) -> None:
        aim_at_seeded_rows(case, seed)
        response = case.call(base_url=f"{base_url}/api", auth=auth, timeout=30)
        case.validate_response(response, checks=CHECKS)
        assert_in_envelope(response)
        statuses.add(response.status_code)

    call()
    return statuses


def aim_at_seeded_rows(case, seed: dict) -> None:
    """Aim about half of the calls at the seeded rows (every id swapped for a real one), so that
    handlers get past their 404, and a quarter at a mix (each id swapped by its own hash), so that
    a real parent with a made-up child is tried too. Decided by the generated values' hash, so a
    replayed example is aimed the same; per call, not per id, so an operation with two ids still
    reaches its handler in about half of its calls."""
    params = case.path_parameters or {}
    aim = zlib.crc32(repr(sorted(params.items())).encode()) % 4
    for name, value in params.items():
        if name in seed and (aim < 2 or (aim == 2 and zlib.crc32(str(value).encode()) % 2 == 0)):
            params[name] = seed[name]


def assert_in_envelope(response) -> None:
    if response.request.url.endswith("/openapi.json") and response.status_code == 200:
        return
    body = response.json()
    assert isinstance(body, dict), body
    if response.status_code < 400:
        assert "data" in body, body
    else:
        error = body["error"]
        assert isinstance(error["code"], str) and isinstance(error["message"], str), body
        if response.status_code in (429, 503):
            assert int(response.headers["Retry-After"]) >= 1


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=str)
def test_every_operation_answers_in_its_contract(mode, app, make_account, make_server):
    failures, succeeded = {}, set()
    with LiveServer(app) as live, Receiver() as receiver:
        schema = schemathesis.openapi.from_url(f"{live.base_url}/api/openapi.json")
        operations = [result.ok() for result in schema.get_all_operations()]
        for operation in operations:
            caller = make_account()  # a fresh account each: one operation's deletes leave the next its rows
            seed = _seed(live.base_url, caller.auth, make_server(caller), receiver.url("/hook"))
            try:
                statuses = fuzz(operation, mode, live.base_url, caller.auth, seed)
            except (Exception, BaseExceptionGroup) as failure:  # noqa: BLE001 - all are reported together
                failures[operation.label] = failure
            else:
                succeeded.update({operation.label} if any(status < 300 for status in statuses) else set())
    assert len(operations) >= 25
    if mode == GenerationMode.POSITIVE:  # valid calls on the seeded rows got through to their handlers
        assert succeeded >= {operation.label for operation in operations} - set(failures) - NO_SUCCESS_EXPECTED
    assert not failures, "\n\n".join(f"{label}: {failure}" for label, failure in failures.items())
