"""Patrol's Slack kit: every Block Kit message Patrol sends, built in one place.

It owns the message designs for Patrol's events (`render`, `messages`,
`issues`), the Block Kit builders and action ids (`blocks`), the wording from
the templates in templates/slack (`wording`), severity order and markers
(`severity`), Slack's payload limits (`limits`) and what a message needs
beyond its event (`context`).

The webhooks extension renders Incoming Webhook posts and channel cards with
it, and the bot its answers, Home tab and unfurls. It imports only the core
(`patrol`) and third-party packages, never an extension, so either can use it
without the other.
"""
