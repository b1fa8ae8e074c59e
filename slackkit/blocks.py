"""Small builders over slack_sdk's Block Kit models, shared by every message."""
from __future__ import annotations

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from slackkit.wording import Wording

# Action ids the Bolt app listens for; the values carry the server id.
OPEN_SERVER = "patrol_open_server"
SCAN_AGAIN = "patrol_scan_again"
SHOW_ISSUES = "patrol_show_issues"
DISMISS_ISSUE = "patrol_dismiss_issue"  # its value: "SERVER_ID:ISSUE_ID"


def dismissable_section(wording: Wording, text: str, server_id: object, issue_id: object) -> SectionBlock:
    """An issue's section with a "Dismiss…" button beside it."""
    button = _button(wording, "dismiss", DISMISS_ISSUE, value=f"{server_id}:{issue_id}")
    return SectionBlock(text=MarkdownTextObject(text=text), accessory=button)


def header(text: str) -> HeaderBlock:
    return HeaderBlock(text=PlainTextObject(text=text, emoji=True))


def section(text: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=text))


def fields(texts: list[str]) -> list[Block]:
    """A section of side-by-side fields, or nothing when there are none to show."""
    return [SectionBlock(fields=[MarkdownTextObject(text=text) for text in texts])] if texts else []


def context(text: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=text)])


def divider() -> DividerBlock:
    return DividerBlock()


def server_url(public_url: str | None, server_id: object) -> str | None:
    """The server's page in Patrol, or None when Patrol has no public address."""
    if not public_url:
        return None
    return f"{public_url.rstrip('/')}/servers/{server_id}"


def server_actions(wording: Wording, server_id: object, public_url: str | None,
                   *, interactive: bool) -> list[Block]:
    """Buttons for a server: its page when reachable, and the Bolt app's actions."""
    buttons = []
    url = server_url(public_url, server_id)
    if url:
        buttons.append(_button(wording, "open_server", OPEN_SERVER, url=url))
    if interactive:
        buttons.append(_button(wording, "scan_again", SCAN_AGAIN, value=str(server_id)))
        buttons.append(_button(wording, "show_issues", SHOW_ISSUES, value=str(server_id)))
    return [ActionsBlock(elements=buttons)] if buttons else []


def _button(wording: Wording, label: str, action_id: str, *, url: str | None = None,
            value: str | None = None) -> ButtonElement:
    text = PlainTextObject(text=wording("buttons", label), emoji=True)
    return ButtonElement(text=text, action_id=action_id, url=url, value=value)
