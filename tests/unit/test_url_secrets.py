"""URLs that carry secrets stay out of logs and answers (found by the full-run leak test)."""
from __future__ import annotations

import pytest

import logging

from patrol import logformat
from webhooks.slack.urls import MASK, mask

pytestmark = pytest.mark.extensions("webhooks")


def test_a_slack_kind_webhook_anywhere_is_masked_like_one_on_slacks_host():
    # A `kind: slack` webhook at a relay or a Slack-compatible server showed its token in full.
    relayed = "http://127.0.0.1:8080/services/T0/B0/Token77"
    assert mask(relayed, slack=True) == f"http://127.0.0.1:8080/services/T0/B0/{MASK}"
    assert mask("https://chat.example.com/hooks/Token77", slack=True) == f"https://chat.example.com/hooks/{MASK}"
    assert "Token77" not in mask("https://chat.example.com/Token77", slack=True)
    assert mask("https://hooks.slack.com/services/T0/B0/Token77") == f"https://hooks.slack.com/services/T0/B0/{MASK}"
    assert mask("https://example.com/hook?x=1") == f"https://example.com/hook?x={MASK}"


def test_http_client_url_lines_stay_out_of_a_debug_log():
    # urllib3 logs each request's full URL at DEBUG: a Slack webhook's token, a PHP SDK `?secret=`.
    root, urllib3 = logging.getLogger(), logging.getLogger("urllib3")
    saved = root.level, urllib3.level
    try:
        root.setLevel(logging.DEBUG)
        urllib3.setLevel(logging.NOTSET)
        logformat.keep_urls_out_of_logs()
        assert not logging.getLogger("urllib3.connectionpool").isEnabledFor(logging.DEBUG)
        assert logging.getLogger("urllib3.connectionpool").isEnabledFor(logging.WARNING)
    finally:
        root.setLevel(saved[0])
        urllib3.setLevel(saved[1])
