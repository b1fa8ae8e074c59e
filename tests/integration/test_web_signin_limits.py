"""Failed sign-ins slow the one failing, with growing delays, and never lock out the owner."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from patrol import create_app
from patrol.db import get_db
from tests.support.web_pages import PASSWORD, post_form, sign_in, text
from web.models import SignInFailure

pytestmark = pytest.mark.extensions("web")

ATTACKER, OWNER = "203.0.113.9", "198.51.100.7"


def browser_at(app, address: str):
    """A new browser (no cookie) at `address`."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def attempt(client, email: str, password: str = "wrong password"):
    return post_form(client, "/signin", {"email": email, "password": password})


def wait(db, seconds: float) -> None:
    """As if `seconds` passed: every recorded failure moves back by that much."""
    with db.session() as session:
        for failure in session.scalars(select(SignInFailure)):
            failure.failed_at -= timedelta(seconds=seconds)
        session.commit()


def fail_until_refused(client, email: str):
    """Wrong passwords until the first 429, which is returned."""
    for _ in range(20):
        answer = attempt(client, email)
        if answer.status_code == 429:
            return answer
        assert answer.status_code == 401
    raise AssertionError("never refused")


def test_each_failure_past_the_first_few_doubles_the_wait(app, db, make_account):
    caller = make_account(password=PASSWORD)
    attacker = browser_at(app, ATTACKER)
    assert [attempt(attacker, caller.email).status_code for _ in range(3)] == [401] * 3
    waits = []
    for _ in range(4):
        refused = attempt(attacker, caller.email, PASSWORD)
        assert refused.status_code == 429 and "Too many failed sign-ins" in text(refused)
        waits.append(int(refused.headers["Retry-After"]))
        wait(db, waits[-1])
        assert attempt(attacker, caller.email).status_code == 401
    assert waits == [1, 2, 4, 8]


def test_the_owner_signs_in_from_their_address_while_someone_hammers_their_email(app, db, make_account):
    caller = make_account(password=PASSWORD)
    attacker = browser_at(app, ATTACKER)
    for _ in range(6):
        wait(db, int(fail_until_refused(attacker, caller.email).headers["Retry-After"]))
    fail_until_refused(attacker, caller.email)
    assert attempt(attacker, caller.email, PASSWORD).status_code == 429
    owner = browser_at(app, OWNER)
    sign_in(owner, caller.email)
    assert owner.get("/").status_code == 200


def test_one_address_trying_many_emails_waits_too(app, make_account):
    caller = make_account(password=PASSWORD)
    attacker = browser_at(app, ATTACKER)
    assert [attempt(attacker, f"guess{n}@example.com").status_code for n in range(10)] == [401] * 10
    assert attempt(attacker, caller.email, PASSWORD).status_code == 429
    sign_in(browser_at(app, OWNER), caller.email)


def test_a_spread_out_guess_slows_new_browsers_but_not_one_that_signed_in_before(app, make_account):
    caller = make_account(password=PASSWORD)
    owner = browser_at(app, OWNER)
    sign_in(owner, caller.email)
    post_form(owner, "/signout", token_from="/")
    for n in range(5):
        assert [attempt(browser_at(app, f"203.0.113.{n + 10}"), caller.email).status_code for _ in range(2)] == [401] * 2
    stranger = attempt(browser_at(app, "192.0.2.44"), caller.email, PASSWORD)
    assert stranger.status_code == 429 and int(stranger.headers["Retry-After"]) <= 60
    sign_in(owner, caller.email)


def test_a_successful_sign_in_forgives_earlier_failures(client, db, make_account):
    caller = make_account(password=PASSWORD)
    for _ in range(3):
        attempt(client, caller.email)
    wait(db, 1)
    sign_in(client, caller.email)
    assert [attempt(client, caller.email).status_code for _ in range(3)] == [401] * 3


def test_the_count_is_shared_by_every_process_on_the_database(app_config, client, make_account):
    caller = make_account(password=PASSWORD)
    other_process = create_app(app_config)
    try:
        other_client = other_process.test_client()
        for _ in range(3):
            attempt(other_client, caller.email)
    finally:
        get_db(other_process).dispose()
    assert attempt(client, caller.email, PASSWORD).status_code == 429


@pytest.mark.parametrize("proxies", [0, 1])
def test_forwarded_addresses_count_only_behind_a_trusted_proxy(app_config, make_account, proxies):
    caller = make_account(password=PASSWORD)
    app = create_app({**app_config, "TRUSTED_PROXIES": proxies})
    try:
        attacker, owner = app.test_client(), app.test_client()
        attacker.environ_base["HTTP_X_FORWARDED_FOR"] = ATTACKER
        owner.environ_base["HTTP_X_FORWARDED_FOR"] = OWNER
        fail_until_refused(attacker, caller.email)
        expected = 302 if proxies else 429  # untrusted: both are the proxy's one address
        assert attempt(owner, caller.email, PASSWORD).status_code == expected
    finally:
        get_db(app).dispose()
