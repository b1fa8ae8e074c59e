"""What a scan can be (its status) and what can start one (its trigger).

The values are the contract's (`docs/api.md`) and what the scans table holds:
members compare equal to those strings and serialise as them.
"""
from __future__ import annotations

from enum import StrEnum


class ScanStatus(StrEnum):
    RUNNING = "running"  # claimed by a worker under a lease; at most one per server
    FINISHED = "finished"
    FAILED = "failed"


class ScanTrigger(StrEnum):
    MANUAL = "manual"  # `patrol scan`, the demo, the dashboard's button
    SCHEDULED = "scheduled"  # the scheduler, and rescans after an advisory sync
    API = "api"
    SLACK = "slack"  # the Slack bot, through the API


# What a client of the API may say started a scan; the Slack bot says `slack`.
CLIENT_TRIGGERS = (ScanTrigger.API, ScanTrigger.SLACK)
