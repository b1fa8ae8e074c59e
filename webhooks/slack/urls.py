"""Slack Incoming Webhook URLs: telling them apart, and showing them safely.

A Slack webhook URL is its own credential (the last path segment is the
secret), so logs, the API and the UI show it masked.
"""
from __future__ import annotations

from urllib.parse import SplitResult, urlsplit, urlunsplit

SLACK_HOSTS = frozenset({"hooks.slack.com", "hooks.slack-gov.com"})
MASK = "••••••••"
_PREFIX = "/services/"


def is_slack_webhook_url(url: str) -> bool:
    """True for https://hooks.slack.com/services/... and the GovSlack twin.

    The host must match exactly: no port, no user info, no look-alike
    domains, so a `kind: slack` guess is never made for another server.
    """
    parts = _split(url)
    return (parts is not None and parts.scheme == "https"
            and parts.netloc.lower() in SLACK_HOSTS
            and parts.path.startswith(_PREFIX) and len(parts.path) > len(_PREFIX))


def on_slack_host(url: str) -> bool:
    """True for any URL on Slack's webhook hosts, whatever its scheme, port or
    path: such a URL may carry a webhook secret even when it is not one Patrol
    would call a Slack webhook, so it is shown masked all the same."""
    parts = _split(url)
    return parts is not None and (parts.hostname or "").removesuffix(".") in SLACK_HOSTS


def mask(url: str, slack: bool = False) -> str:
    """`url` without its secrets.

    Slack (on Slack's hosts, or any `kind: slack` webhook, whose URL is its
    credential wherever it points): team and bot ids stay (they help tell
    webhooks apart), the secret, the last segment, goes. Other URLs keep
    their shape, but query values, a password and the fragment are hidden,
    as any of them may carry a token.
    """
    parts = _split(url)
    if parts is None:
        return MASK
    netloc = _netloc_without_password(parts.netloc)
    if slack or on_slack_host(url):
        segments = parts.path.split("/")  # "", "services", T..., B..., secret
        kept = segments[:4] if len(segments) > 4 else segments[:-1]
        return urlunsplit((parts.scheme, netloc, "/".join([*kept, MASK]), "", ""))
    names = [pair.partition("=")[0] for pair in parts.query.split("&") if pair]
    query = "&".join(f"{name}={MASK}" for name in names)
    return urlunsplit((parts.scheme, netloc, parts.path, query, ""))


def _split(url: str) -> SplitResult | None:
    try:
        return urlsplit(url)
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return None


def _netloc_without_password(netloc: str) -> str:
    userinfo, at, hostport = netloc.rpartition("@")
    if ":" in userinfo:
        userinfo = f"{userinfo.partition(':')[0]}:{MASK}"
    return f"{userinfo}{at}{hostport}"
