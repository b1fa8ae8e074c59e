"""Reading the words after `/patrol`."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.parsing import BadOption, CommandError, MissingServer, Question, UnexpectedWords, UnknownWord, parse
from bot.subscription_words import Subscription

pytestmark = pytest.mark.extensions("bot")


@pytest.mark.parametrize(("text", "question"), [
    ("", Question("help")),
    ("   ", Question("help")),
    ("help", Question("help")),
    ("HELP me please", Question("help")),
    ("status", Question("status")),
    ("Status web1", Question("status", "web1")),
    ("status 12", Question("status", "12")),
    ("issues web1", Question("issues", "web1")),
    ("issues web1 --severity high", Question("issues", "web1", "high")),
    ("issues --severity=CRITICAL web1", Question("issues", "web1", "critical")),
    ("scan web1.example.com", Question("scan", "web1.example.com")),
    ("status --public", Question("status", public=True)),
    ("scan web1 --public", Question("scan", "web1", public=True)),
])
def test_commands(text, question):
    assert parse(text) == question


@pytest.mark.parametrize(("text", "server"), [
    ("scan <http://web1.example.com|web1.example.com>", "web1.example.com"),
    ("scan <http://web1.example.com>", "web1.example.com"),
    ("status <https://shop.example.com/>", "shop.example.com"),
    ("status a&amp;b", "a&b"),
])
def test_slack_links_and_escapes_are_undone(text, server):
    assert parse(text).server == server


@pytest.mark.parametrize(("text", "error", "detail"), [
    ("frobnicate", UnknownWord, "frobnicate"),
    ("scan", MissingServer, "scan"),
    ("issues --severity high", MissingServer, "issues"),
    ("issues web1 --severity", BadOption, "--severity"),
    ("issues web1 --severity dire", BadOption, "dire"),
    ("scan web1 --severity high", BadOption, "--severity"),
    ("status --verbose", BadOption, "--verbose"),
    ("status web1 web2 web3", UnexpectedWords, "web2 web3"),
])
def test_mistakes_say_what_was_wrong(text, error, detail):
    with pytest.raises(error) as raised:
        parse(text)
    assert raised.value.detail == detail


@given(st.text())
def test_any_text_is_a_question_or_a_command_error(text):
    try:
        question = parse(text)
    except CommandError as exc:
        assert exc.detail
    else:
        assert question.action in ("status", "issues", "scan", "help")
        assert question.server is None or question.server.strip() == question.server != ""


@pytest.mark.parametrize(("text", "exploited", "minimum"), [
    ("subscribe all --known-exploited", True, None),
    ("subscribe web1 --min-severity high --known-exploited", True, "high"),
    ("subscribe web1 --KNOWN-EXPLOITED", True, None),
    ("subscribe web1", False, None),
])
def test_subscribe_reads_known_exploited_as_a_flag(text, exploited, minimum):
    wanted = parse(text)
    assert isinstance(wanted, Subscription)
    assert (wanted.known_exploited_only, wanted.min_severity) == (exploited, minimum)


@pytest.mark.parametrize("text", ["unsubscribe web1 --known-exploited", "subscribe all --known-exploited=yes"])
def test_known_exploited_belongs_to_subscribe_and_takes_no_value(text):
    with pytest.raises(BadOption):
        parse(text)
