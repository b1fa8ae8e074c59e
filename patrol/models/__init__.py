"""Patrol's core tables. Extensions (webhooks, bot) add their own."""
from patrol.models.accounts import Account, Credential
from patrol.models.advisories import Advisory, AdvisoryPackage
from patrol.models.events import Event
from patrol.models.feeds import FeedState
from patrol.models.scans import TRIGGERS, Issue, Scan
from patrol.models.servers import Bucket, Server, Software

__all__ = [
    "Account",
    "Advisory",
    "AdvisoryPackage",
    "Bucket",
    "Credential",
    "Event",
    "FeedState",
    "Issue",
    "Scan",
    "Server",
    "Software",
    "TRIGGERS",
]
