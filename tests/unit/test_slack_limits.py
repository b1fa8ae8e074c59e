"""Slack's limits on a whole message payload, at and just past each boundary."""
from __future__ import annotations

import pytest
from slack_sdk.models.blocks import DividerBlock, SectionBlock

from slackkit import limits


def section(text: str = "hello") -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def header(text: str) -> dict:
    return {"type": "header", "text": {"type": "plain_text", "text": text}}


def fields(count: int, length: int = 5) -> dict:
    return {"type": "section", "fields": [{"type": "mrkdwn", "text": "f" * length}] * count}


def context(count: int) -> dict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": "c"}] * count}


def button(text: str = "Go", action_id: str = "go", url: str | None = None, value: str | None = None) -> dict:
    element = {"type": "button", "text": {"type": "plain_text", "text": text}, "action_id": action_id}
    element.update({key: val for key, val in (("url", url), ("value", value)) if val is not None})
    return {"type": "actions", "elements": [element]}


def payload(*blocks: dict, text: str = "fallback") -> dict:
    return {"text": text, "blocks": list(blocks)}


AT_THE_LIMITS = [
    payload(text="t" * 40_000),
    payload(*[DividerBlock().to_dict()] * 50),
    payload(section("s" * 3_000)),
    payload(header("h" * 150)),
    payload(fields(10, 2_000)),
    payload(context(10)),
    payload(button(text="b" * 75)),
    payload(button(action_id="a" * 255)),
    payload(button(url="https://x.example/" + "u" * (3_000 - 18))),
    payload(button(value="v" * 2_000)),
    payload({"type": "divider", "block_id": "i" * 255}),
]

PAST_THE_LIMITS = [
    (payload(text="t" * 40_001), "text has 40001 characters"),
    (payload(*[DividerBlock().to_dict()] * 51), "blocks has 51 items"),
    (payload(section("s" * 3_001)), "blocks[0].text has 3001 characters"),
    (payload(header("h" * 151)), "blocks[0].text has 151 characters"),
    (payload(fields(11)), "blocks[0].fields has 11 items"),
    (payload(section(), {"type": "section", "fields": [fields(1)["fields"][0], *fields(1, 2_001)["fields"]]}),
     "blocks[1].fields[1] has 2001 characters"),
    (payload(context(11)), "blocks[0].elements has 11 items"),
    (payload(button(text="b" * 76)), "blocks[0].elements[0].text has 76 characters"),
    (payload(button(action_id="a" * 256)), "blocks[0].elements[0].action_id has 256 characters"),
    (payload(button(url="https://x.example/" + "u" * 3_000)), "blocks[0].elements[0].url has 3018 characters"),
    (payload(button(value="v" * 2_001)), "blocks[0].elements[0].value has 2001 characters"),
    (payload({"type": "divider", "block_id": "i" * 256}), "blocks[0].block_id has 256 characters"),
    ({"text": "", "blocks": []}, "payload has neither text nor blocks"),
]


@pytest.mark.parametrize("message", AT_THE_LIMITS)
def test_a_payload_at_the_limits_passes(message):
    assert limits.check(message) == []
    limits.assert_within_limits(message)


@pytest.mark.parametrize(("message", "problem"), PAST_THE_LIMITS)
def test_a_payload_past_a_limit_is_reported(message, problem):
    problems = limits.check(message)
    assert len(problems) == 1 and problems[0].startswith(problem)


def test_a_section_accessory_button_is_checked():
    block = section()
    block["accessory"] = button(text="b" * 76)["elements"][0]
    assert limits.check(payload(block)) == ["blocks[0].accessory.text has 76 characters; the limit is 75"]


def test_all_problems_are_reported_together():
    problems = limits.check(payload(header("h" * 151), section("s" * 3_001), text="t" * 40_001))
    assert len(problems) == 3


def test_assert_within_limits_raises_with_the_problems():
    with pytest.raises(limits.SlackLimitError) as caught:
        limits.assert_within_limits(payload(header("h" * 151)))
    assert caught.value.problems == ["blocks[0].text has 151 characters; the limit is 150"]


def test_limits_the_sdk_models_let_through_are_caught():
    """slack_sdk checks each block, but not a message of 51 valid ones."""
    blocks = [SectionBlock(text="ok").to_dict() for _ in range(51)]
    assert limits.check(payload(*blocks)) == ["blocks has 51 items; the limit is 50"]
