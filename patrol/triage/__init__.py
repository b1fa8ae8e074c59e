"""Triage: what to fix first (server states, upgrade groups, exploitation
marks) and what to set aside (dismissals). Service functions the API, the
web pages, Slack messages and the bot all call."""
