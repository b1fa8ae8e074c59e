"""What a scan reads in bulk: lists of any length bound as one parameter, and
the open issues the issue diff hands back instead of reading them again."""
from __future__ import annotations

import dataclasses

from sqlalchemy import select

from patrol.inventory.buckets import live_items
from patrol.models import AdvisoryPackage, Server
from patrol.scanning import issue_diff, jobs, matcher
from patrol.scanning.bound_lists import BoundList
from patrol.scanning.issue_diff import OpenIssue
from patrol.triage import dismissals
from patrol.triage.servers import open_rows
from tests.support.demo_server import demo_data, shop  # noqa: F401 - fixtures

MANY = 40_000  # more than the 32,766 variables a default SQLite build takes in one statement


def test_a_bound_list_finds_its_values_among_forty_thousand(shop):
    wanted = [f"no-such-package-{n}" for n in range(MANY)] + ["minimist", "lodash", "it's \"quoted\" ünïcode"]
    with shop.db.session() as session:
        listed = BoundList(session.get_bind().dialect, "names")
        query = select(AdvisoryPackage.name).where(listed.contains(AdvisoryPackage.name))
        found = set(session.scalars(query, {"names": listed.value(wanted)}))
        none = list(session.scalars(query, {"names": listed.value([])}))
    assert found == {"minimist", "lodash"}
    assert none == []


def test_the_dismissal_lookup_takes_forty_thousand_advisories(shop):
    issue = next(i for i in shop.issues() if i["software"]["name"] == "minimist")
    shop.send("POST", f"/servers/{shop.server_id}/issues/{issue['id']}/dismissal", 201, reason="risk_accepted")
    with shop.db.session() as session:
        rows = [OpenIssue(*row) for row in open_rows(session, [shop.server_id])]
        others = [OpenIssue(-n, 10**7 + n, shop.server_id, "low", False) for n in range(MANY)]
        covered = dismissals.active_for(session, shop.caller.account_id, rows + others)
    assert set(covered) == {issue["id"]}


def test_the_diff_hands_back_the_open_issues_as_stored(shop):
    """Resolved, kept with a new severity, reopened, silenced: the diff's open
    issues are what reading them back gives."""
    minimist = next(i for i in shop.issues() if i["software"]["name"] == "minimist")
    shop.send("POST", f"/servers/{shop.server_id}/issues/{minimist['id']}/dismissal", 201, reason="risk_accepted")
    with shop.db.session() as session:
        server = session.get(Server, shop.server_id)
        findings = matcher.find(session, live_items(session, server.id))
        lodash = [f for f in findings if f.software.name == "lodash"]
        assert lodash
        changed = [f._replace(advisory=dataclasses.replace(f.advisory, severity="low")) if f in lodash else f
                   for f in findings]
        rounds = [
            [f for f in changed if f.software.name != "jinja2"],  # jinja2 resolved, lodash now low
            findings,  # jinja2 opened again, as a new issue
        ]
        for round_findings in rounds:
            scan = jobs.start(session, server, "manual")
            outcome = issue_diff.apply(session, scan, round_findings)
            assert outcome.open == [OpenIssue(*row) for row in open_rows(session, [server.id])]
            scan.status = "finished"
            session.flush()
        assert [issue.software_name for issue in outcome.new] == ["jinja2"]
        assert outcome.resolved == 0
    assert any(row.silenced for row in outcome.open) and len(outcome.open) == len(findings)
