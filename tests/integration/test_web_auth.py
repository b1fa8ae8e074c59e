"""Register, sign in and out, and set a first password with an API key (limits: test_web_signin_limits)."""
import re

import pytest

from tests.support.web_pages import PASSWORD, csrf_token, post_form, sign_in, text

pytestmark = pytest.mark.extensions("web")


def test_signed_out_pages_send_to_the_sign_in_form_and_back(client, make_account):
    caller = make_account(password=PASSWORD)
    for path in ("/", "/api-settings", "/servers/1"):
        answer = client.get(path)
        assert answer.status_code == 302
        assert answer.headers["Location"] == f"/signin?next={path}"
    answer = post_form(client, "/signin", {"email": caller.email, "password": PASSWORD, "next": "/api-settings"})
    assert answer.headers["Location"] == "/api-settings"
    assert client.get("/api-settings").status_code == 200


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil.example"])
def test_sign_in_never_sends_to_another_site(client, make_account, target):
    caller = make_account(password=PASSWORD)
    answer = post_form(client, "/signin", {"email": caller.email, "password": PASSWORD, "next": target})
    assert answer.headers["Location"] == "/"


@pytest.mark.parametrize("target", ["/%09/evil.example", "/%0a/x", "/%0d%0aSet-Cookie:x=1", "/%5Cevil.example"])
def test_a_signed_in_visit_to_the_sign_in_form_stays_on_this_site(client, make_account, target):
    caller = make_account(password=PASSWORD)
    sign_in(client, caller.email)
    answer = client.get(f"/signin?next={target}")
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/"


def test_scan_now_goes_back_only_to_a_page_on_this_site(client, make_account, make_server):
    caller = make_account(password=PASSWORD)
    server_id = make_server(caller)
    sign_in(client, caller.email)
    answer = post_form(client, f"/servers/{server_id}/scan", {"next": "/\t/evil.example"}, token_from="/")
    assert answer.headers["Location"] == "/"


def test_register_makes_the_account_and_sends_to_sign_in(client):
    answer = post_form(client, "/register", {"email": "New@Example.com", "password": PASSWORD})
    assert answer.status_code == 302 and answer.headers["Location"] == "/signin"
    assert client.get("/").status_code == 302
    sign_in(client, "new@example.com")
    assert "No servers yet" in text(client.get("/"))
    made = post_form(client, "/api-settings/credentials", {"label": "laptop"}, token_from="/api-settings")
    page = text(made)
    key, secret = re.search(r'id="new-key">([0-9a-f]{32})<', page).group(1), re.search(r'id="new-secret">([0-9a-f]{64})<', page).group(1)
    assert made.headers["Referrer-Policy"] == "no-referrer" and made.headers["Cache-Control"] == "no-store"
    assert client.get("/api/user", auth=(key, secret)).json["data"]["email"] == "new@example.com"


def test_register_answers_a_taken_email_exactly_like_a_free_one(app, client, make_account):
    owner = make_account(password=PASSWORD)
    answers = {}
    for email in (owner.email, "free@example.com"):
        browser = app.test_client()
        answer = post_form(browser, "/register", {"email": email, "password": "attacker's password"})
        after = browser.get(answer.headers["Location"])
        answers[email] = (answer.status_code, answer.headers["Location"], text(answer), after.status_code,
                          re.sub(r'name="csrf_token" value="[^"]+"', "", text(after)))
        assert browser.get("/").status_code == 302
    assert answers[owner.email] == answers["free@example.com"]
    assert "sign in" in answers[owner.email][4]
    assert post_form(client, "/signin", {"email": owner.email, "password": "attacker's password"}).status_code == 401
    sign_in(client, owner.email, PASSWORD)


@pytest.mark.parametrize(
    ("email", "password", "message"),
    [
        ("not-an-email", PASSWORD, "must be an email address"),
        ("short@example.com", "short", "at least 8 characters"),
    ],
)
def test_register_explains_what_is_wrong(client, email, password, message):
    answer = post_form(client, "/register", {"email": email, "password": password})
    assert answer.status_code == 422
    assert message in text(answer)
    assert client.get("/").status_code == 302


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(client, make_account):
    caller = make_account(password=PASSWORD)
    wrong_password = post_form(client, "/signin", {"email": caller.email, "password": "not it at all"})
    no_account = post_form(client, "/signin", {"email": "nobody@example.com", "password": PASSWORD})
    for answer in (wrong_password, no_account):
        assert answer.status_code == 401
        assert "That email and password do not match an account." in text(answer)
    assert client.get("/").status_code == 302


def test_sign_out_ends_the_session(client, make_account):
    caller = make_account(password=PASSWORD)
    sign_in(client, caller.email)
    answer = post_form(client, "/signout", token_from="/")
    assert answer.headers["Location"] == "/signin"
    assert client.get("/").status_code == 302


def test_a_post_without_its_csrf_token_is_refused_with_a_page(client, make_account):
    caller = make_account(password=PASSWORD)
    answer = client.post("/signin", data={"email": caller.email, "password": PASSWORD})
    assert answer.status_code == 400
    assert "This form has expired" in text(answer)
    assert answer.mimetype == "text/html"
    forged = client.post("/signin", data={"email": caller.email, "password": PASSWORD, "csrf_token": "forged"})
    assert forged.status_code == 400
    assert client.get("/").status_code == 302


def test_an_account_made_on_the_command_line_sets_a_password_with_its_api_key(client, runner, app):
    made = runner.invoke(args=["account", "create", "cli@example.com"])
    key = re.search(r"API key:\s+(\w+)", made.output).group(1)
    secret = re.search(r"API secret:\s+(\w+)", made.output).group(1)
    refused = post_form(client, "/signin", {"email": "cli@example.com", "password": PASSWORD})
    assert refused.status_code == 401

    wrong = post_form(client, "/set-password", {"key": key, "secret": "0" * 64, "password": PASSWORD})
    assert wrong.status_code == 401
    short = post_form(client, "/set-password", {"key": key, "secret": secret, "password": "short"})
    assert short.status_code == 422 and "at least 8 characters" in text(short)
    done = post_form(client, "/set-password", {"key": key, "secret": secret, "password": PASSWORD})
    assert done.headers["Location"] == "/"

    post_form(client, "/signout", token_from="/")
    sign_in(client, "cli@example.com")
    assert "cli@example.com" in text(client.get("/"))


def test_csrf_token_is_bound_to_the_session(client, app):
    token = csrf_token(client)
    stranger = app.test_client()
    answer = stranger.post("/register", data={"email": "x@example.com", "password": PASSWORD, "csrf_token": token})
    assert answer.status_code == 400
