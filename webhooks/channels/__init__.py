"""Slack channels as delivery targets: a `slack_channel` webhook posts with the
workspace's bot token through Slack's Web API, keeping one living message per
scan (`chat.postMessage`, then `chat.update`, new issues threaded when many)."""
