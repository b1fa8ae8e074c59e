"""Slack's documented limits for a message payload, checked on the JSON we send.

slack_sdk validates each model it builds, but not the message as a whole
(50 blocks, the 40,000-character `text`, each field's 2,000 characters),
and a payload may be built or changed after the models. So this walks the
final dict and checks every limit Patrol's messages can reach.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

MAX_BLOCKS = 50
MAX_TEXT = 40_000  # Slack truncates the top-level text past this
MAX_SECTION_TEXT = 3_000
MAX_SECTION_FIELDS = 10
MAX_FIELD_TEXT = 2_000
MAX_HEADER_TEXT = 150
MAX_CONTEXT_ELEMENTS = 10
MAX_ACTIONS_ELEMENTS = 25
MAX_BUTTON_TEXT = 75
MAX_ACTION_ID = 255
MAX_BLOCK_ID = 255
MAX_URL = 3_000
MAX_BUTTON_VALUE = 2_000


class SlackLimitError(ValueError):
    """A payload Slack would refuse or cut; `problems` says where and why."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def check(payload: Mapping) -> list[str]:
    """Every way `payload` breaks Slack's limits; empty when it is within them."""
    blocks = payload.get("blocks") or []
    problems = [] if payload.get("text") or blocks else ["payload has neither text nor blocks"]
    problems += _too_long("text", payload.get("text"), MAX_TEXT)
    problems += _too_many("blocks", blocks, MAX_BLOCKS)
    for index, block in enumerate(blocks):
        problems += _check_block(f"blocks[{index}]", block)
    return problems


def assert_within_limits(payload: Mapping) -> None:
    problems = check(payload)
    if problems:
        raise SlackLimitError(problems)


def _check_block(where: str, block: Mapping) -> list[str]:
    problems = _too_long(f"{where}.block_id", block.get("block_id"), MAX_BLOCK_ID)
    check_type = _BLOCK_CHECKS.get(block.get("type", ""))
    return problems + (check_type(where, block) if check_type else [])


def _check_section(where: str, block: Mapping) -> list[str]:
    fields = block.get("fields") or []
    problems = _too_long(f"{where}.text", _text(block.get("text")), MAX_SECTION_TEXT)
    problems += _too_many(f"{where}.fields", fields, MAX_SECTION_FIELDS)
    for index, field in enumerate(fields):
        problems += _too_long(f"{where}.fields[{index}]", _text(field), MAX_FIELD_TEXT)
    accessory = block.get("accessory") or {}
    if accessory.get("type") == "button":
        problems += _check_button(f"{where}.accessory", accessory)
    return problems


def _check_header(where: str, block: Mapping) -> list[str]:
    return _too_long(f"{where}.text", _text(block.get("text")), MAX_HEADER_TEXT)


def _check_context(where: str, block: Mapping) -> list[str]:
    return _too_many(f"{where}.elements", block.get("elements") or [], MAX_CONTEXT_ELEMENTS)


def _check_actions(where: str, block: Mapping) -> list[str]:
    elements = block.get("elements") or []
    problems = _too_many(f"{where}.elements", elements, MAX_ACTIONS_ELEMENTS)
    for index, element in enumerate(elements):
        if element.get("type") == "button":
            problems += _check_button(f"{where}.elements[{index}]", element)
    return problems


def _check_button(where: str, button: Mapping) -> list[str]:
    return (_too_long(f"{where}.text", _text(button.get("text")), MAX_BUTTON_TEXT)
            + _too_long(f"{where}.action_id", button.get("action_id"), MAX_ACTION_ID)
            + _too_long(f"{where}.url", button.get("url"), MAX_URL)
            + _too_long(f"{where}.value", button.get("value"), MAX_BUTTON_VALUE))


_BLOCK_CHECKS: dict[str, Callable[[str, Mapping], list[str]]] = {
    "section": _check_section,
    "header": _check_header,
    "context": _check_context,
    "actions": _check_actions,
}


def _text(text_object: Mapping | None) -> str:
    return (text_object or {}).get("text") or ""


def _too_long(where: str, value: str | None, limit: int) -> list[str]:
    length = len(value or "")
    return [f"{where} has {length} characters; the limit is {limit}"] if length > limit else []


def _too_many(where: str, items: Sequence, limit: int) -> list[str]:
    return [f"{where} has {len(items)} items; the limit is {limit}"] if len(items) > limit else []
