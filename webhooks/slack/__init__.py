"""Delivery to Slack Incoming Webhooks: Slack's answers to a post (`answers`)
and Slack webhook URLs (`urls`). The messages themselves are built by `slackkit`."""
