"""What delivery code asks about Slack: what its answers mean, and which URLs are
Slack webhooks and how they are shown without their secret."""
from __future__ import annotations

import pytest

from webhooks.slack.answers import Outcome, SlackAnswer, classify
from webhooks.slack.urls import MASK, is_slack_webhook_url, mask

pytestmark = pytest.mark.extensions("webhooks")


@pytest.mark.parametrize(("status", "body", "expected"), [
    (200, "ok", SlackAnswer(Outcome.SUCCESS)),
    (204, "", SlackAnswer(Outcome.SUCCESS)),
    (400, "invalid_payload", SlackAnswer(Outcome.INVALID_PAYLOAD, "invalid_payload")),
    (400, "no_text", SlackAnswer(Outcome.INVALID_PAYLOAD, "no_text")),
    (400, "invalid_blocks", SlackAnswer(Outcome.INVALID_PAYLOAD, "invalid_blocks")),
    (413, "", SlackAnswer(Outcome.INVALID_PAYLOAD, "http_413")),
    (403, "action_prohibited", SlackAnswer(Outcome.DEAD, "action_prohibited")),
    (403, "posting_to_general_channel_denied",
     SlackAnswer(Outcome.DEAD, "posting_to_general_channel_denied")),
    (404, "channel_not_found", SlackAnswer(Outcome.DEAD, "channel_not_found")),
    (404, "no_service", SlackAnswer(Outcome.DEAD, "no_service")),
    (404, "no_team", SlackAnswer(Outcome.DEAD, "no_team")),
    (404, "<html>Not found</html>", SlackAnswer(Outcome.DEAD, "http_404")),
    (410, "channel_is_archived", SlackAnswer(Outcome.DEAD, "channel_is_archived")),
    (400, "no_service_id", SlackAnswer(Outcome.DEAD, "no_service_id")),
    (500, "rollup_error", SlackAnswer(Outcome.RETRY, "rollup_error")),
    (503, "<html>busy</html>", SlackAnswer(Outcome.RETRY, "http_503")),
    (408, "", SlackAnswer(Outcome.RETRY, "http_408")),
    (302, "", SlackAnswer(Outcome.RETRY, "http_302")),
])
def test_answers_are_classified(status, body, expected):
    assert classify(status, body) == expected


@pytest.mark.parametrize("status", [200, 400, 403, 404, 500])
def test_invalid_token_is_dead_whatever_the_status(status):
    assert classify(status, "invalid_token\n") == SlackAnswer(Outcome.DEAD, "invalid_token")


def test_rate_limit_honours_retry_after():
    assert classify(429, "rate_limited", "30") == SlackAnswer(Outcome.RETRY, "rate_limited", 30.0)


@pytest.mark.parametrize("header", [None, "", "soon", "-5", "inf", "nan",
                                    "Wed, 21 Oct 2015 07:28:00 GMT"])
def test_an_unusable_retry_after_is_left_to_the_retry_policy(header):
    assert classify(429, "rate_limited", header).retry_after is None


def test_a_5xx_retry_after_is_kept_too():
    assert classify(503, "", "7").retry_after == 7.0


@pytest.mark.parametrize("url", [
    "https://hooks.slack.com/services/T000/B000/XXXX",
    "https://hooks.slack-gov.com/services/T000/B000/XXXX",
    "https://HOOKS.SLACK.COM/services/T000/B000/XXXX",
])
def test_slack_webhook_urls_are_recognised(url):
    assert is_slack_webhook_url(url)


@pytest.mark.parametrize("url", [
    "http://hooks.slack.com/services/T000/B000/XXXX",
    "https://hooks.slack.com:8443/services/T000/B000/XXXX",
    "https://user@hooks.slack.com/services/T000/B000/XXXX",
    "https://hooks.slack.com.evil.example/services/T000/B000/XXXX",
    "https://evilhooks.slack.com/services/T000/B000/XXXX",
    "https://hooks.slack.com./services/T000/B000/XXXX",
    "https://hooks.slack.com/workflows/T000/A000/XXXX",
    "https://hooks.slack.com/services/",
    "https://example.com/?u=https://hooks.slack.com/services/T/B/X",
    "http://[::1",
    "",
])
def test_other_urls_are_not_slack_webhooks(url):
    assert not is_slack_webhook_url(url)


@pytest.mark.parametrize(("url", "masked"), [
    ("https://hooks.slack.com/services/T000/B000/XXXXsecret",
     f"https://hooks.slack.com/services/T000/B000/{MASK}"),
    ("https://hooks.slack-gov.com/services/T1/B2/secret?x=1#frag",
     f"https://hooks.slack-gov.com/services/T1/B2/{MASK}"),
    ("http://hooks.slack.com:80/services/T1/B2/secret",
     f"http://hooks.slack.com:80/services/T1/B2/{MASK}"),
    ("https://hooks.slack.com/services/secret", f"https://hooks.slack.com/services/{MASK}"),
    ("https://receiver.example/hook?key=abc&secret=def&flag",
     f"https://receiver.example/hook?key={MASK}&secret={MASK}&flag={MASK}"),
    ("https://bob:hunter2@receiver.example:8443/hook#token",
     f"https://bob:{MASK}@receiver.example:8443/hook"),
    ("https://receiver.example/hook", "https://receiver.example/hook"),
    ("http://[::1", MASK),
])
def test_mask_hides_secrets(url, masked):
    assert mask(url) == masked


def test_on_slack_host_knows_both_hosts_whatever_the_path():
    from webhooks.slack.urls import on_slack_host

    assert on_slack_host("https://hooks.slack.com/services/T/B/X")
    assert on_slack_host("http://HOOKS.slack-gov.com:8443/anything")
    assert on_slack_host("https://hooks.slack.com./services/T/B/X")
    assert not on_slack_host("https://hooks.slack.com.evil.example/services/T/B/X")
    assert not on_slack_host("https://example.com/hooks.slack.com")
