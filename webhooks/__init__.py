"""Outgoing webhooks: signed deliveries to generic URLs and Block Kit messages to Slack."""
