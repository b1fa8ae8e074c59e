"""A webhook's delivery log: attempts as they land, the live region, and "Redeliver"."""
import re

import pytest

from tests.support.receivers import Answer, receivers  # noqa: F401 - `receivers` is a fixture
from tests.support.web_pages import PASSWORD, post_form, sign_in, text
from tests.support.webhook_calls import deliver_due
from webhooks.models import Delivery

pytestmark = pytest.mark.extensions("web")


@pytest.fixture
def me(client, make_account):
    caller = make_account(password=PASSWORD)
    sign_in(client, caller.email)
    return caller


def webhook_to(client, me, url):
    answer = client.post("/api/webhooks", json={"url": url}, auth=me.auth)
    assert answer.status_code == 201, answer.json
    return answer.json["data"]["id"]


def log_path(hook_id):
    return f"/api-settings/webhooks/{hook_id}/deliveries"


def press_test(client, hook_id):
    return post_form(client, f"/api-settings/webhooks/{hook_id}/test", token_from="/api-settings")


def test_the_log_shows_each_attempt_with_its_result(app, client, db, me, receivers):
    target = receivers()
    target.answer(Answer(500, body=b"receiver is down for maintenance"))
    hook_id = webhook_to(client, me, target.url())
    press_test(client, hook_id)
    assert deliver_due(app, db) == 1

    log = text(client.get(log_path(hook_id)))
    for expected in ("Test event", "Waiting to retry", "HTTP 500", "receiver is down for maintenance", " ms", "Next try"):
        assert expected in log, expected


def test_redeliver_sends_the_event_again_and_the_log_shows_it(app, client, db, me, receivers):
    target = receivers()
    target.answer(Answer(500, body=b"nope"))
    hook_id = webhook_to(client, me, target.url())
    press_test(client, hook_id)
    deliver_due(app, db)
    with db.session() as session:
        delivery_id = session.query(Delivery).one().id

    redeliver = f"{log_path(hook_id)}/{delivery_id}/redeliver"
    answer = post_form(client, redeliver, token_from="/api-settings")
    assert answer.headers["Location"] == log_path(hook_id)
    assert deliver_due(app, db) == 1
    log = text(client.get(log_path(hook_id)))
    assert "Delivered" in log and "HTTP 200" in log and "HTTP 500" in log and "(by hand)" not in log

    post_form(client, redeliver, token_from="/api-settings")  # once more, after it succeeded
    assert deliver_due(app, db) == 1
    assert len(target.wait_for(3)) == 3
    assert "#3 <span class=\"muted\">(by hand)</span>" in text(client.get(log_path(hook_id)))


def test_the_live_region_changes_version_when_a_delivery_lands(app, client, db, me, receivers):
    hook_id = webhook_to(client, me, receivers().url())
    press_test(client, hook_id)
    queued = client.get(log_path(hook_id), query_string={"partial": 1})
    assert "Queued" in text(queued) and "<html" not in text(queued)
    deliver_due(app, db)
    landed = client.get(log_path(hook_id), query_string={"partial": 1})
    assert landed.headers["X-Live-Version"] != queued.headers["X-Live-Version"]
    assert "Delivered" in text(landed) and "HTTP 200" in text(landed)


def test_redeliver_is_refused_for_a_disabled_webhook(client, db, me, receivers):
    hook_id = webhook_to(client, me, receivers().url())
    press_test(client, hook_id)
    client.patch(f"/api/webhooks/{hook_id}", json={"enabled": False}, auth=me.auth)
    with db.session() as session:
        delivery_id = session.query(Delivery).one().id
    page = text(client.get(log_path(hook_id)))
    assert "This webhook is disabled" in page and "Redeliver" not in page
    post_form(client, f"{log_path(hook_id)}/{delivery_id}/redeliver", token_from="/api-settings")
    assert "enable it before redelivering" in text(client.get(log_path(hook_id)))


def test_the_log_of_another_account_is_not_found(client, db, me, make_account):
    theirs = make_account()
    their_hook = webhook_to(client, theirs, "https://x.example.com/")
    client.post(f"/api/webhooks/{their_hook}/test", auth=theirs.auth)
    with db.session() as session:
        their_delivery = session.query(Delivery).one().id
    mine = webhook_to(client, me, "https://y.example.com/")
    assert client.get(log_path(their_hook)).status_code == 404
    for hook_id in (their_hook, mine):
        answer = post_form(client, f"{log_path(hook_id)}/{their_delivery}/redeliver", token_from="/api-settings")
        assert answer.status_code == 404


def test_the_log_pages_through_many_deliveries(client, me):
    hook_id = webhook_to(client, me, "https://x.example.com/")
    for _ in range(30):
        assert client.post(f"/api/webhooks/{hook_id}/test", auth=me.auth).status_code == 202
    first, second = text(client.get(log_path(hook_id))), text(client.get(log_path(hook_id) + "?page=2"))
    assert first.count('class="delivery"') == 25 and second.count('class="delivery"') == 5
    assert "Page 1 of 2" in first and "Older" in first and "Newer" in second
    assert text(client.get(log_path(hook_id) + "?page=oops")).count('class="delivery"') == 25


def test_each_delivery_names_its_event_and_server(app, client, db, me, receivers):
    from patrol import demo
    from patrol.scanning import workers

    hook_id = webhook_to(client, me, receivers().url())
    demo.import_advisories(db)
    server_id = client.post("/api/servers", json={"domain": "shop.example.com"}, auth=me.auth).json["data"]["id"]
    client.post(f"/api/servers/{server_id}/software_bucket/composer", auth=me.auth,
                json={"software": demo.lockfile_items("composer")})
    client.post(f"/api/servers/{server_id}/scan", auth=me.auth)
    assert workers.run_one(db)
    deliver_due(app, db)
    found = len(client.get(f"/api/servers/{server_id}/issues", auth=me.auth).json["data"])

    log = text(client.get(log_path(hook_id)))
    heads = [" ".join(re.sub(r"<[^>]+>", " ", head).split()) for head in re.findall(r"<h3>.*?</h3>", log, re.S)]
    assert heads == ["Scan finished · shop.example.com", f"New issues found · shop.example.com · {found} issues",
                     "Scan started · shop.example.com"]
    assert f'<a href="/servers/{server_id}">shop.example.com</a>' in log

    assert client.delete(f"/api/servers/{server_id}", auth=me.auth).status_code in (200, 204)
    assert "shop.example.com <span class=\"muted\">(removed)</span>" in text(client.get(log_path(hook_id)))
