"""Patrol's core tables. Extensions (webhooks, bot) add their own."""
from patrol.models.accounts import Account, Credential
from patrol.models.advisories import Advisory, AdvisoryPackage
from patrol.models.events import Event
from patrol.models.exploits import EpssScore, KnownExploited
from patrol.models.feeds import FeedState
from patrol.models.scans import TRIGGERS, Issue, Scan
from patrol.models.servers import Bucket, Server, Software
from patrol.models.triage import Dismissal, DismissalAudit

__all__ = [
    "Account",
    "Advisory",
    "AdvisoryPackage",
    "Bucket",
    "Credential",
    "Dismissal",
    "DismissalAudit",
    "EpssScore",
    "Event",
    "FeedState",
    "Issue",
    "KnownExploited",
    "Scan",
    "Server",
    "Software",
    "TRIGGERS",
]
