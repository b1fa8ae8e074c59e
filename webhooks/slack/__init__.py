"""Slack Incoming Webhooks: Block Kit messages for events (`render`), Slack's
limits (`limits`), Slack's answers (`answers`) and Slack webhook URLs (`urls`)."""
