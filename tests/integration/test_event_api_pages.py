"""The event API pages an event's issues: a scan that found 50,000 is not one 19 MB answer.

`?page=N&per_page=M` as every list of the contract (50 by default, 200 at
most), with `meta` {page, per_page, total}; page 1 by default, so a receiver
that reads `data.issues` (the PHP SDK's) still gets the first issues.
"""
from __future__ import annotations

import pytest

from patrol.events import NEW_SERVER_ISSUES
from patrol.ids import random_id
from patrol.models import Event
from tests.support.webhook_calls import add_webhook
from webhooks.models import Delivery

pytestmark = pytest.mark.extensions("webhooks")

ISSUES = 230


@pytest.fixture
def owner(make_account):
    return make_account()


@pytest.fixture
def event_path(client, db, owner, make_server):
    """A delivered new_server_issues event with ISSUES issues, numbered in order."""
    hook = add_webhook(client, owner, "http://127.0.0.1:9/hook")
    server_id = make_server(owner)
    issues = [{"id": number, "advisory": f"GHSA-{number:04d}", "severity": "high"} for number in range(1, ISSUES + 1)]
    with db.session() as session:
        event = Event(id=random_id("evt"), account_id=owner.account_id, identifier=NEW_SERVER_ISSUES,
                      server_id=server_id, payload={"server": {"id": server_id, "name": "web1.example.com"},
                                                    "issues": issues, "counts": {"new": ISSUES}})
        session.add(event)
        session.flush()
        session.add(Delivery(webhook_id=hook["id"], event_id=event.id))
    return f"/api/webhooks/{hook['id']}/events/{event.id}"


def ids(answer) -> list[int]:
    return [issue["id"] for issue in answer.json["data"]["issues"]]


def test_the_first_page_is_the_default(client, owner, event_path):
    answer = client.get(event_path, auth=owner.auth)

    assert answer.status_code == 200
    assert ids(answer) == list(range(1, 51))
    assert answer.json["meta"] == {"page": 1, "per_page": 50, "total": ISSUES}
    assert answer.json["data"]["counts"] == {"new": ISSUES}


def test_pages_walk_every_issue_once(client, owner, event_path):
    seen = []
    for page in (1, 2):
        answer = client.get(event_path, query_string={"page": page, "per_page": 200}, auth=owner.auth)
        assert answer.json["meta"] == {"page": page, "per_page": 200, "total": ISSUES}
        seen += ids(answer)

    assert seen == list(range(1, ISSUES + 1))


def test_per_page_is_capped_and_a_page_past_the_end_is_empty(client, owner, event_path):
    capped = client.get(event_path, query_string={"per_page": 5000}, auth=owner.auth)
    past = client.get(event_path, query_string={"page": 99}, auth=owner.auth)

    assert len(ids(capped)) == 200 and capped.json["meta"]["per_page"] == 200
    assert ids(past) == [] and past.json["meta"]["total"] == ISSUES


def test_a_bad_page_is_422(client, owner, event_path):
    answer = client.get(event_path, query_string={"page": "0"}, auth=owner.auth)

    assert answer.status_code == 422 and answer.json["error"]["fields"] == {"page": "a whole number from 1"}
