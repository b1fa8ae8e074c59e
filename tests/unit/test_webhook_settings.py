"""Validating what a person sets on a webhook (webhooks.settings.clean)."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from patrol.errors import Invalid
from webhooks.addresses import AddressPolicy
from webhooks.settings import clean
from webhooks.subscriptions import SUBSCRIBABLE

pytestmark = pytest.mark.extensions("webhooks")

STRICT = AddressPolicy()
LOOPBACK = AddressPolicy(["127.0.0.0/8"])
URL = "https://receiver.example.com/hook"


def problems(fields, policy=STRICT, creating=True):
    with pytest.raises(Invalid) as caught:
        clean(fields, policy, creating=creating)
    return caught.value.fields


def test_a_url_is_all_a_new_webhook_needs():
    assert clean({"url": URL}, STRICT, creating=True) == {"url": URL, "kind": "generic"}


def test_surrounding_spaces_are_dropped_from_the_url():
    assert clean({"url": f"  {URL} "}, STRICT, creating=True)["url"] == URL


@pytest.mark.parametrize("fields", [{}, {"url": ""}, {"url": "   "}, {"url": None}, {"url": 42}])
def test_a_new_webhook_without_a_url_is_refused(fields):
    assert set(problems(fields)) == {"url"}


@pytest.mark.parametrize("url", [
    "ftp://receiver.example.com/hook",
    "mailto:ops@example.com",
    "https:///hook",
    "https://user:password@receiver.example.com/hook",
    "https://token@receiver.example.com/hook",
    "http://10.0.0.1/",
    "http://172.16.5.4/",
    "http://169.254.169.254/",
    "http://127.0.0.1/",
    "http://0x7f.1/",
    "http://2130706433/",
    "http://017700000001/",
    "http://[::1]/",
    "http://[fd00::1]/",
    "http://localhost:8080/",
    "https://receiver.example.com:0/",
    "https://receiver.example.com/a b",
])
def test_urls_that_could_reach_the_wrong_place_are_refused(url):
    assert set(problems({"url": url})) == {"url"}


def test_allowed_networks_open_private_addresses_and_odd_spellings_of_them():
    for url in ("http://127.0.0.1:8080/hook", "http://0x7f.1/", "http://2130706433/", "http://localhost/"):
        assert clean({"url": url}, LOOPBACK, creating=True)["url"] == url
    assert set(problems({"url": "http://10.0.0.1/"}, LOOPBACK)) == {"url"}


@pytest.mark.parametrize(("url", "kind"), [
    ("https://hooks.slack.com/services/T/B/X", "slack"),
    ("https://hooks.slack-gov.com/services/T1/B1/secret", "slack"),
    ("http://hooks.slack.com/services/T/B/X", "generic"),
    ("https://hooks.slack.com:8443/services/T/B/X", "generic"),
    ("https://hooks.slack.com/other/T/B/X", "generic"),
    ("https://hooks.slack.com.example.net/services/T/B/X", "generic"),
    (URL, "generic"),
])
def test_the_kind_is_read_from_the_url(url, kind):
    assert clean({"url": url}, STRICT, creating=True)["kind"] == kind


def test_a_kind_given_by_hand_wins():
    assert clean({"url": URL, "kind": "slack"}, STRICT, creating=True)["kind"] == "slack"
    slack_url = "https://hooks.slack.com/services/T/B/X"
    assert clean({"url": slack_url, "kind": "generic"}, STRICT, creating=True)["kind"] == "generic"


def test_a_change_without_a_url_leaves_the_kind_alone():
    assert clean({"description": "ops"}, STRICT, creating=False) == {"description": "ops"}
    assert clean({}, STRICT, creating=False) == {}


@pytest.mark.parametrize(("given", "expected"), [
    (["webhook.scan_finished"], ["webhook.scan_finished"]),
    (["webhook.test", "webhook.scan_started", "webhook.test"], ["webhook.test", "webhook.scan_started"]),
    ("webhook.scan_started, webhook.scan_finished", ["webhook.scan_started", "webhook.scan_finished"]),
    ({"0": "webhook.new_server_issues", "1": "webhook.test"}, ["webhook.new_server_issues", "webhook.test"]),
    (None, None),
    ("", None),
])
def test_events_come_as_a_list_a_comma_string_or_php_brackets(given, expected):
    assert clean({"events": given}, STRICT, creating=False) == {"events": expected}


@pytest.mark.parametrize("given", [[], ["webhook.scan_finished", "webhook.everything"], 7, [["webhook.test"]]])
def test_unknown_or_malformed_events_are_refused(given):
    assert set(problems({"events": given}, creating=False)) == {"events"}


@pytest.mark.parametrize(("given", "expected"), [
    (True, True), (False, False), ("1", True), ("true", True), ("on", True), ("0", False), ("false", False),
])
def test_enabled_takes_booleans_and_their_form_spellings(given, expected):
    assert clean({"enabled": given}, STRICT, creating=False) == {"enabled": expected}


@pytest.mark.parametrize("given", ["maybe", None, 2, "TRUE "])
def test_enabled_refuses_anything_else(given):
    assert set(problems({"enabled": given}, creating=False)) == {"enabled"}


def test_severity_floor_description_and_format():
    assert clean({"min_severity": "high"}, STRICT, creating=False) == {"min_severity": "high"}
    assert clean({"min_severity": ""}, STRICT, creating=False) == {"min_severity": None}
    assert clean({"description": "  "}, STRICT, creating=False) == {"description": None}
    assert clean({"format": "form"}, STRICT, creating=False) == {"format": "form"}
    assert set(problems({"min_severity": "unknown"}, creating=False)) == {"min_severity"}
    assert set(problems({"description": "x" * 501}, creating=False)) == {"description"}
    assert set(problems({"format": "xml"}, creating=False)) == {"format"}
    assert set(problems({"kind": "teams"}, creating=False)) == {"kind"}


def test_every_bad_field_is_named_at_once():
    fields = {"url": "ftp://x", "kind": "teams", "format": "xml", "events": ["nope"], "enabled": "maybe"}
    assert set(problems(fields)) == {"url", "kind", "format", "events", "enabled"}


def test_fields_that_cannot_be_set_are_ignored():
    cleaned = clean({"url": URL, "secret": "whsec_mine", "account_id": 2, "id": "wh_x"}, STRICT, creating=True)
    assert set(cleaned) == {"url", "kind"}


@given(st.lists(st.sampled_from(SUBSCRIBABLE), min_size=1))
def test_any_list_of_known_events_keeps_its_first_order_without_repeats(events):
    assert clean({"events": events}, STRICT, creating=False)["events"] == list(dict.fromkeys(events))
