"""The messages a channel gets beyond the Incoming Webhook designs: the scan's
card with its few new issues listed in it."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache

from slackkit import blocks, limits, severity
from slackkit.issues import issue_row
from slackkit.wording import Wording


@cache
def _wording() -> Wording:
    return Wording()


def with_issues(message: Mapping, issues: Sequence[Mapping], server_id: object) -> dict:
    """`message` with one line per issue, each with its "Dismiss…" button, before
    its buttons (no issues: `message` as it is)."""
    if not issues:
        return dict(message)
    rows = [blocks.divider().to_dict()] + [
        issue_row(_wording(), issue, server_id).to_dict() for issue in severity.worst_first(issues)
    ]
    body = list(message["blocks"])
    at = next((index for index, block in enumerate(body) if block.get("type") == "actions"), len(body))
    combined = {**message, "blocks": body[:at] + rows + body[at:]}
    limits.assert_within_limits(combined)
    return combined
