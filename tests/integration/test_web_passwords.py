"""/set-password sets only a first password; changing one needs the current one."""
import pytest

from tests.support.web_pages import PASSWORD, post_form, sign_in, text

pytestmark = pytest.mark.extensions("web")

TAKEOVER = "attacker's own password"


def test_an_api_key_cannot_replace_an_existing_password(client, make_account):
    caller = make_account(password=PASSWORD)
    answer = post_form(client, "/set-password", {"key": caller.key, "secret": caller.secret, "password": TAKEOVER})
    assert answer.status_code == 409
    assert "already has a password" in text(answer)
    assert client.get("/").status_code == 302
    assert post_form(client, "/signin", {"email": caller.email, "password": TAKEOVER}).status_code == 401
    sign_in(client, caller.email, PASSWORD)


def test_the_change_form_is_for_signed_in_people(client):
    answer = client.get("/account/password")
    assert answer.status_code == 302 and answer.headers["Location"] == "/signin?next=/account/password"
