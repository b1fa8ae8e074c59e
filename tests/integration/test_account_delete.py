"""`patrol account delete`: the account and everything it owns go, in the core and in
every extension's tables; another account keeps all of its own."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot import links, sealing
from bot.models import SLACK_SDK_TABLES
from patrol import demo, servers
from patrol.clock import now
from patrol.db import Base
from patrol.inventory import buckets, software_input
from patrol.models import Account
from patrol.scanning import jobs
from tests.support.receivers import receivers  # noqa: F401 - `receivers` is a fixture
from tests.support.webhook_calls import add_webhook, deliver_due, send_test
from web import signin_limits

pytestmark = pytest.mark.extensions("webhooks", "bot", "web")

INSTALLATIONS, BOTS = (t for t in SLACK_SDK_TABLES if t.name in ("slack_installations", "slack_bots"))


def _row_counts(db) -> dict[str, int]:
    with db.session() as session:
        return {t.name: session.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables}


def _fill(app, db, client, caller, team_id: str, receiver) -> None:
    """Give `caller` a row in every table an account can own rows in."""
    with db.session() as session:
        account = session.get(Account, caller.account_id)
        server = servers.create(session, account, "web1.example.com")
        buckets.put(session, server, "npm", software_input.parse(demo.lockfile_items("npm")), None)
        scan_id = jobs.start(session, server, "manual").id
        links.link(session, sealing.for_app(app), account, team_id)
        common = {"client_id": "111.222", "app_id": "A1", "team_id": team_id, "is_enterprise_install": False,
                  "installed_at": now()}
        session.execute(INSTALLATIONS.insert().values(user_id="U1", **common))
        session.execute(BOTS.insert().values(**common))
        signin_limits.record_failure(session, caller.email, "127.0.0.1")
    jobs.run(db, scan_id)  # issues, and events in the outbox
    hook = add_webhook(client, caller, receiver.url())
    send_test(client, caller, hook["id"])
    assert deliver_due(app, db) >= 1  # deliveries and their attempts
    while deliver_due(app, db):
        pass  # all of them, so that nothing of this account changes later


@pytest.fixture
def two_accounts(app, db, client, make_account, receivers):  # the fixture above
    demo.import_advisories(db)
    receiver = receivers()
    keeper = make_account("keeper@example.com")
    _fill(app, db, client, keeper, "TKEEP", receiver)
    before = _row_counts(db)
    leaver = make_account("leaver@example.com")
    _fill(app, db, client, leaver, "TLEAVE", receiver)
    return keeper, leaver, before


def test_delete_removes_every_row_of_the_account_and_only_those(runner, client, db, two_accounts):
    keeper, leaver, before = two_accounts
    owned = ["accounts", "credentials", "servers", "buckets", "software", "scans", "issues", "events", "webhooks",
             "deliveries", "delivery_attempts", "slack_workspace_links", "slack_installations", "slack_bots",
             "signin_failures"]
    filled = _row_counts(db)
    assert [t for t in owned if filled[t] <= before[t]] == []  # the leaver had rows in each

    result = runner.invoke(args=["account", "delete", "Leaver@Example.com", "--yes"])

    assert result.exit_code == 0, result.output
    assert "Deleted" in result.output
    assert _row_counts(db) == before
    assert client.get("/api/user", auth=leaver.auth).status_code == 401
    kept = client.get("/api/servers", auth=keeper.auth)
    assert kept.status_code == 200 and [s["name"] for s in kept.json["data"]] == ["web1.example.com"]


def test_delete_asks_first_and_keeps_the_account_on_no(runner, client, make_account):
    caller = make_account("ops@example.com")

    result = runner.invoke(args=["account", "delete", "ops@example.com"], input="n\n")

    assert result.exit_code == 1
    assert "Delete ops@example.com and its 0 server(s)" in result.output and "Aborted" in result.output
    assert client.get("/api/user", auth=caller.auth).status_code == 200


def test_delete_of_an_unknown_account_is_a_clean_error(runner):
    result = runner.invoke(args=["account", "delete", "ghost@example.com", "--yes"])
    assert result.exit_code == 1 and "No account for ghost@example.com" in result.output
