"""The demo: a real account, server and scan a newcomer can look at at once.

The same data serves the tests, so the demo cannot quietly rot.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from patrol import accounts, credentials, resources, servers
from patrol.advisories import importer, sources
from patrol.collectors import parser_for
from patrol.db import Database
from patrol.exploits import sync as exploit_sync
from patrol.inventory import buckets, software_input
from patrol.models import Account, Credential, Server
from patrol.scanning import jobs
from patrol.scanning.states import ScanTrigger

ADVISORIES = resources.path("patrol.demo", "advisories")
DATA = resources.path("patrol.demo", "data")
# Format samples of the KEV and EPSS feeds (see exploits/README.md).
KEV_SAMPLE = resources.path("patrol.demo", "exploits", "known_exploited_vulnerabilities.json")
EPSS_SAMPLE = resources.path("patrol.demo", "exploits", "epss_scores-current.csv.gz")
SQLITE_FILE = "patrol-demo.sqlite3"  # in the instance folder, beside (never in) patrol.sqlite3
LOOPBACK = ["127.0.0.0/8", "::1/128"]  # so a newcomer can point a webhook at a local receiver
LABEL = "demo"  # on the demo's credential; a rerun replaces it
EMAIL = "demo@patrol.example"
PASSWORD = "patrol-demo"  # noqa: S105 - the demo's published password
SERVER = "web1.example.com"
# Bucket key → (demo file, where the file would live on the server).
LOCKFILES = {
    "composer": ("composer.lock", "/var/www/shop/composer.lock"),
    "npm": ("package-lock.json", "/var/www/shop/package-lock.json"),
    "python": ("requirements.txt", "/srv/api/requirements.txt"),
}


@dataclass(frozen=True)
class Demo:
    email: str
    password: str
    key: str
    secret: str
    server_id: int
    scan_id: int


def lockfile_items(bucket: str) -> list[dict]:
    name, location = LOCKFILES[bucket]
    return parser_for(name)((DATA / name).read_text(), location)


def extra_items() -> list[dict]:
    """One more vulnerable package, for trying out "a new issue appears"."""
    return json.loads((DATA / "extra.json").read_text())


def import_advisories(db: Database) -> importer.Report:
    return importer.import_records(db, sources.read([ADVISORIES]))


def import_exploit_samples(db: Database) -> None:
    exploit_sync.load_kev(db, KEV_SAMPLE)
    exploit_sync.load_epss(db, EPSS_SAMPLE)


def _fresh_credential(session: Session, account: Account) -> credentials.IssuedCredential:
    """One credential to print: the secret is not stored, so each run replaces the last."""
    session.execute(delete(Credential).where(Credential.account_id == account.id,
                                             Credential.label.in_([LABEL, accounts.FIRST_LABEL])))
    session.expire(account, ["credentials"])
    return credentials.issue(session, account, label=LABEL)


def set_up(db: Database) -> Demo:
    """Account, fresh credential, server with pushed lock files, one scan run."""
    import_advisories(db)
    import_exploit_samples(db)
    with db.session() as session:
        account = session.scalar(select(Account).where(Account.email == EMAIL))
        if account is None:
            account, _ = accounts.create(session, EMAIL, PASSWORD)
        issued = _fresh_credential(session, account)
        server = session.scalar(select(Server).where(Server.account_id == account.id, Server.name == SERVER))
        server = server or servers.create(session, account, SERVER)
        for key in LOCKFILES:
            buckets.put(session, server, key, software_input.parse(lockfile_items(key)), None)
        scan = jobs.start(session, server, ScanTrigger.MANUAL)
        scan.lease_until = None
        ids = (account.email, issued.key, issued.secret, server.id, scan.id)
    jobs.run(db, ids[4])
    return Demo(ids[0], PASSWORD, ids[1], ids[2], ids[3], ids[4])
