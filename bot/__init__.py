"""The Slack app: a Bolt bot answering /patrol from the same API as any client."""
