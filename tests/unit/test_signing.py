"""Signing (webhooks.signing) and the receiver-side check (webhooks.verify),
both judged by the reference `standardwebhooks` package rather than by each other."""

import base64
import time
from datetime import datetime, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st
from standardwebhooks import Webhook, WebhookVerificationError

from webhooks import signing, verify

pytestmark = pytest.mark.extensions("webhooks")

# The contract's Examples section (docs/api.md).
EXAMPLE_SECRET = "whsec_cGF0cm9sLWV4YW1wbGUtc2VjcmV0LTMyLWJ5dGVzISE="
EXAMPLE_ID = "evt_3k9Xb2Qm7LpT0aVz"
EXAMPLE_TIMESTAMP = 1764447000
EXAMPLE_BODY = (
    b'{"webhook_id": "wh_8fJ2kLq0Zr4T", "event_id": "evt_3k9Xb2Qm7LpT0aVz",'
    b' "identifier": "webhook.new_server_issues"}'
)
EXAMPLE_SIGNATURE = "v1,qgrUuiW8GKh/K3Q91+4dW5ET6YzqxhOjbbhIUZxM3JQ="
FORM_BODY = b"webhook_patrolserver=1&identifier=webhook.test&webhook_id=wh_1&event_id=evt_1"


def test_contract_example_signature_is_exact():
    assert signing.sign([EXAMPLE_SECRET], EXAMPLE_ID, EXAMPLE_TIMESTAMP, EXAMPLE_BODY) == EXAMPLE_SIGNATURE


def test_contract_example_matches_the_reference_signer():
    moment = datetime.fromtimestamp(EXAMPLE_TIMESTAMP, timezone.utc)
    reference = Webhook(EXAMPLE_SECRET).sign(EXAMPLE_ID, moment, EXAMPLE_BODY.decode())
    assert reference == EXAMPLE_SIGNATURE


def test_headers_verify_with_the_reference_package():
    secret = signing.new_secret()
    headers = signing.headers([secret], "evt_now", int(time.time()), EXAMPLE_BODY)
    assert set(headers) == {"webhook-id", "webhook-timestamp", "webhook-signature"}
    assert Webhook(secret).verify(EXAMPLE_BODY, headers)["identifier"] == "webhook.new_server_issues"


def test_a_rotation_signature_verifies_with_either_secret():
    old, new = signing.new_secret(), signing.new_secret()
    headers = signing.headers([old, new], "evt_rot", int(time.time()), EXAMPLE_BODY)
    assert len(headers["webhook-signature"].split(" ")) == 2
    for secret in (old, new):
        Webhook(secret).verify(EXAMPLE_BODY, headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(signing.new_secret()).verify(EXAMPLE_BODY, headers)


def test_a_changed_body_does_not_verify():
    secret = signing.new_secret()
    headers = signing.headers([secret], "evt_x", int(time.time()), EXAMPLE_BODY)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(EXAMPLE_BODY.replace(b"new_server_issues", b"scan_finished"), headers)


def test_new_secrets_hold_32_random_bytes():
    made = {signing.new_secret() for _ in range(50)}
    assert len(made) == 50
    for secret in made:
        assert secret.startswith("whsec_")
        assert len(base64.b64decode(secret.removeprefix("whsec_"), validate=True)) == 32


@pytest.mark.parametrize("secret", ["whsec_", "whsec_not base64!", ""])
def test_unusable_secrets_are_refused(secret):
    with pytest.raises(signing.InvalidSecret):
        signing.sign([secret], "evt", 1, b"{}")


def test_signing_needs_a_secret():
    with pytest.raises(signing.InvalidSecret):
        signing.sign([], "evt", 1, b"{}")


# The reference package takes the body as text, so bodies are generated as text.
@given(body=st.text(max_size=300).map(str.encode),
       msg_id=st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=40))
def test_any_body_verifies_with_the_reference_package(body, msg_id):
    secret = signing.new_secret()
    headers = signing.headers([secret], msg_id, int(time.time()), body)
    Webhook(secret).verify(body, headers, json_parse=False)


# --- webhooks.verify, against signatures made by the reference package ---


def _reference_headers(secret: str, body: bytes, timestamp: int, msg_id: str = "evt_ref") -> dict[str, str]:
    moment = datetime.fromtimestamp(timestamp, timezone.utc)
    return {
        "Webhook-Id": msg_id,
        "Webhook-Timestamp": str(timestamp),
        "Webhook-Signature": Webhook(secret).sign(msg_id, moment, body.decode()),
        "Content-Type": "application/json",
    }


def test_verify_accepts_the_reference_signature_and_returns_the_payload():
    headers = _reference_headers(EXAMPLE_SECRET, EXAMPLE_BODY, EXAMPLE_TIMESTAMP)
    payload = verify.verify(EXAMPLE_SECRET, headers, EXAMPLE_BODY, now=EXAMPLE_TIMESTAMP + 10)
    assert payload == {
        "webhook_id": "wh_8fJ2kLq0Zr4T",
        "event_id": "evt_3k9Xb2Qm7LpT0aVz",
        "identifier": "webhook.new_server_issues",
    }


def test_verify_reads_the_form_format():
    headers = _reference_headers(EXAMPLE_SECRET, FORM_BODY, EXAMPLE_TIMESTAMP)
    headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8"
    payload = verify.verify(EXAMPLE_SECRET, headers, FORM_BODY, now=EXAMPLE_TIMESTAMP)
    assert payload == {"webhook_patrolserver": "1", "identifier": "webhook.test",
                       "webhook_id": "wh_1", "event_id": "evt_1"}


def test_verify_accepts_any_of_several_signatures():
    other = signing.new_secret()
    headers = _reference_headers(other, EXAMPLE_BODY, EXAMPLE_TIMESTAMP)
    ours = _reference_headers(EXAMPLE_SECRET, EXAMPLE_BODY, EXAMPLE_TIMESTAMP)["Webhook-Signature"]
    headers["Webhook-Signature"] = f"v2,c29tZXRoaW5n {headers['Webhook-Signature']} {ours}"
    assert verify.verify(EXAMPLE_SECRET, headers, EXAMPLE_BODY, now=EXAMPLE_TIMESTAMP)["event_id"]
    assert verify.verify(other, headers, EXAMPLE_BODY, now=EXAMPLE_TIMESTAMP)["event_id"]


def test_verify_accepts_a_rotation_header_from_our_signer():
    old, new = signing.new_secret(), signing.new_secret()
    headers = signing.headers([old, new], EXAMPLE_ID, EXAMPLE_TIMESTAMP, EXAMPLE_BODY)
    for secret in (old, new):
        assert verify.verify(secret, headers, EXAMPLE_BODY, now=EXAMPLE_TIMESTAMP)["identifier"]


@pytest.mark.parametrize("skew", [-301, 301, 100000])
def test_verify_refuses_timestamps_outside_the_tolerance(skew):
    headers = _reference_headers(EXAMPLE_SECRET, EXAMPLE_BODY, EXAMPLE_TIMESTAMP)
    with pytest.raises(verify.InvalidSignature, match="tolerance"):
        verify.verify(EXAMPLE_SECRET, headers, EXAMPLE_BODY, now=EXAMPLE_TIMESTAMP + skew)


@pytest.mark.parametrize("skew", [-300, 0, 300])
def test_verify_accepts_timestamps_at_the_tolerance_edge(skew):
    headers = _reference_headers(EXAMPLE_SECRET, EXAMPLE_BODY, EXAMPLE_TIMESTAMP)
    assert verify.verify(EXAMPLE_SECRET, headers, EXAMPLE_BODY, now=EXAMPLE_TIMESTAMP + skew)


def test_verify_uses_the_clock_by_default():
    now = int(time.time())
    headers = _reference_headers(EXAMPLE_SECRET, EXAMPLE_BODY, now)
    assert verify.verify(EXAMPLE_SECRET, headers, EXAMPLE_BODY)
    stale = _reference_headers(EXAMPLE_SECRET, EXAMPLE_BODY, now - 3600)
    with pytest.raises(verify.InvalidSignature):
        verify.verify(EXAMPLE_SECRET, stale, EXAMPLE_BODY)


def test_verify_refuses_a_changed_body_id_or_timestamp():
    headers = _reference_headers(EXAMPLE_SECRET, EXAMPLE_BODY, EXAMPLE_TIMESTAMP)
    changed = [
        (headers, EXAMPLE_BODY + b" "),
        ({**headers, "Webhook-Id": "evt_other"}, EXAMPLE_BODY),
        ({**headers, "Webhook-Timestamp": str(EXAMPLE_TIMESTAMP + 1)}, EXAMPLE_BODY),
    ]
    for tampered_headers, body in changed:
        with pytest.raises(verify.InvalidSignature, match="no signature"):
            verify.verify(EXAMPLE_SECRET, tampered_headers, body, now=EXAMPLE_TIMESTAMP)


def test_verify_refuses_another_secret():
    headers = _reference_headers(EXAMPLE_SECRET, EXAMPLE_BODY, EXAMPLE_TIMESTAMP)
    with pytest.raises(verify.InvalidSignature):
        verify.verify(signing.new_secret(), headers, EXAMPLE_BODY, now=EXAMPLE_TIMESTAMP)


@pytest.mark.parametrize("missing", ["Webhook-Id", "Webhook-Timestamp", "Webhook-Signature"])
def test_verify_refuses_missing_headers(missing):
    headers = _reference_headers(EXAMPLE_SECRET, EXAMPLE_BODY, EXAMPLE_TIMESTAMP)
    del headers[missing]
    with pytest.raises(verify.InvalidSignature, match=missing.lower()):
        verify.verify(EXAMPLE_SECRET, headers, EXAMPLE_BODY, now=EXAMPLE_TIMESTAMP)


@pytest.mark.parametrize("timestamp", ["-5", "1764447000.5", "soon", "١٧٦٤٤٤٧٠٠٠"])
def test_verify_refuses_timestamps_that_are_not_unix_seconds(timestamp):
    headers = {**_reference_headers(EXAMPLE_SECRET, EXAMPLE_BODY, EXAMPLE_TIMESTAMP), "Webhook-Timestamp": timestamp}
    with pytest.raises(verify.InvalidSignature, match="Unix seconds"):
        verify.verify(EXAMPLE_SECRET, headers, EXAMPLE_BODY, now=EXAMPLE_TIMESTAMP)


@pytest.mark.parametrize("body", [b"[1, 2]", b"not json", b"\xff\xfe"])
def test_a_signed_body_that_is_not_an_object_is_an_invalid_payload(body):
    headers = signing.headers([EXAMPLE_SECRET], EXAMPLE_ID, EXAMPLE_TIMESTAMP, body)
    with pytest.raises(verify.InvalidPayload):
        verify.verify(EXAMPLE_SECRET, headers, body, now=EXAMPLE_TIMESTAMP)
