"""The "Dismiss…" modal: the view the bot opens for one issue, and the decision
read back from its submission.

What the form is about (server, issue, advisory) travels in the view's
`private_metadata`, which Slack hands back with the submission; the API
still decides whether the workspace's account may dismiss it.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass

from slack_sdk.models.blocks import (
    DatePickerElement,
    InputBlock,
    InputInteractiveElement,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    RadioButtonsElement,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.answers import say
from patrol.models.triage import REASONS, SCOPES
from patrol.triage.decisions import MAX_COMMENT

CALLBACK = "patrol_dismiss"
REASON, SCOPE, EXPIRES, COMMENT = "reason", "scope", "expires", "comment"  # block ids
VALUE = "value"  # the action id of each block's one input
# The API's field names, and the block that shows each one's problem.
BLOCK_OF_FIELD = {"reason": REASON, "expires_at": EXPIRES, "comment": COMMENT}


@dataclass(frozen=True)
class Target:
    """The issue a form is about, as the click named it and the API described it."""

    server_id: int
    server: str
    issue_id: int
    advisory: str

    def metadata(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"))


def target_of(metadata: str | None) -> Target | None:
    """The form's target from its `private_metadata`, or None when it is not one the bot wrote."""
    try:
        data = json.loads(metadata or "")
        target = Target(**data)
    except (ValueError, TypeError):
        return None
    whole = all(isinstance(getattr(target, name), int) for name in ("server_id", "issue_id"))
    return target if whole and isinstance(target.advisory, str) and isinstance(target.server, str) else None


def view(target: Target, issue: Mapping) -> dict:
    """The modal for `issue` (an issue of the API)."""
    software, advisory = issue.get("software") or {}, issue.get("advisory") or {}
    intro = say("dismiss", "intro", server=target.server, package=software.get("name") or "",
                version=software.get("version"), advisory=target.advisory, severity=advisory.get("severity"))
    scopes = [_option(say("dismiss", "scope", name=name, server=target.server, advisory=target.advisory), name)
              for name in SCOPES]
    blocks = [
        SectionBlock(text=MarkdownTextObject(text=intro)),
        _input(REASON, "reason_label", StaticSelectElement(
            action_id=VALUE, options=[_option(say("dismiss", "reason", name=name), name) for name in REASONS])),
        _input(SCOPE, "scope_label", RadioButtonsElement(action_id=VALUE, options=scopes, initial_option=scopes[0])),
        _input(EXPIRES, "expires_label", DatePickerElement(action_id=VALUE), optional=True),
        _input(COMMENT, "comment_label", PlainTextInputElement(
            action_id=VALUE, multiline=True, max_length=MAX_COMMENT,
            placeholder=PlainTextObject(text=say("dismiss", "comment_hint"))), optional=True),
    ]
    return View(type="modal", callback_id=CALLBACK, private_metadata=target.metadata(),
                title=_plain("title"), submit=_plain("submit"), close=_plain("close"), blocks=blocks).to_dict()


def result(text: str, *, done: bool) -> dict:
    """The modal after a submission: what happened, with nothing left to submit."""
    return View(type="modal", title=_plain("done_title" if done else "result_title"), close=_plain("done_close"),
                blocks=[SectionBlock(text=MarkdownTextObject(text=text))]).to_dict()


@dataclass(frozen=True)
class Submitted:
    scope: str
    decision: dict  # the dismissal as the API takes it


def read(values: Mapping, by: str) -> Submitted | dict[str, str]:
    """The submission's decision, or the problems to show beside its blocks."""
    reason, scope = _chosen(values, REASON), _chosen(values, SCOPE)
    problems = {block: say("dismiss", "problem", field=field)
                for field, block, value, allowed in (("reason", REASON, reason, REASONS),
                                                     ("scope", SCOPE, scope, SCOPES))
                if value not in allowed}
    if problems or reason is None or scope is None:  # both were chosen when nothing is wrong
        return problems
    comment = _field(values, COMMENT).get("value")
    decision = {"reason": reason, "comment": comment or None,
                "expires_at": _field(values, EXPIRES).get("selected_date") or None, "by": by}
    return Submitted(scope, decision)


def problems_of(fields: Mapping[str, str]) -> dict[str, str]:
    """The API's field problems as the blocks that show them; a field without a
    block of its own is shown on the reason."""
    return {BLOCK_OF_FIELD.get(field, REASON): say("dismiss", "problem", field=field) or str(problem)
            for field, problem in fields.items()}


def _chosen(values: Mapping, block: str) -> str | None:
    return (_field(values, block).get("selected_option") or {}).get("value")


def _field(values: Mapping, block: str) -> dict:
    found = (values.get(block) or {}).get(VALUE)
    return found if isinstance(found, dict) else {}


def _input(block_id: str, label: str, element: InputInteractiveElement, *, optional: bool = False) -> InputBlock:
    return InputBlock(block_id=block_id, label=_plain(label), element=element, optional=optional)


def _option(text: str, value: str) -> Option:
    return Option(text=PlainTextObject(text=text), value=value)


def _plain(piece: str) -> PlainTextObject:
    return PlainTextObject(text=say("dismiss", piece))
