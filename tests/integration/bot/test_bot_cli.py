"""`patrol slack link` and `unlink`: the single-workspace way to say which account a workspace acts for."""
from __future__ import annotations

from sqlalchemy import select

import pytest

from bot.models import WorkspaceLink
from patrol.models import Credential

pytestmark = pytest.mark.extensions("bot")

TEAM = "T0CLI0001"


def link_row(db):
    with db.session() as session:
        return session.scalar(select(WorkspaceLink))


def credential(db, key):
    with db.session() as session:
        return session.scalar(select(Credential).where(Credential.key == key))


def test_link_gives_the_workspace_its_own_credential(db, runner, make_account):
    owner = make_account()

    result = runner.invoke(args=["slack", "link", TEAM, owner.email.upper()])

    assert result.exit_code == 0
    assert result.output == f"Slack workspace {TEAM} now acts for {owner.email}.\n"
    row = link_row(db)
    assert (row.team_id, row.account_id) == (TEAM, owner.account_id)
    made = credential(db, row.credential_key)
    assert made.account_id == owner.account_id and made.revoked_at is None
    assert made.key != owner.key


def test_linking_again_moves_the_workspace_and_revokes_the_old_credential(db, runner, make_account):
    first, second = make_account(), make_account()
    runner.invoke(args=["slack", "link", TEAM, first.email])
    old_key = link_row(db).credential_key

    result = runner.invoke(args=["slack", "link", TEAM, second.email])

    assert result.exit_code == 0
    row = link_row(db)
    assert row.account_id == second.account_id and row.credential_key != old_key
    assert credential(db, old_key).revoked_at is not None


def test_unlink_removes_the_link_and_revokes_its_credential(db, runner, make_account):
    runner.invoke(args=["slack", "link", TEAM, make_account().email])
    key = link_row(db).credential_key

    result = runner.invoke(args=["slack", "unlink", TEAM])

    assert result.exit_code == 0
    assert link_row(db) is None
    assert credential(db, key).revoked_at is not None


def test_mistakes_get_a_message_not_a_trace(runner, make_account):
    email = make_account().email
    for args, message in [
        (["slack", "link", TEAM, "nobody@example.com"], "No account for nobody@example.com."),
        (["slack", "link", "not-a-team", email], "A Slack team id looks like T0123ABCD."),
        (["slack", "unlink", TEAM], f"Slack workspace {TEAM} is not linked."),
    ]:
        result = runner.invoke(args=args)
        assert result.exit_code == 1
        assert result.output == f"Error: {message}\n"
        assert result.exception is None or isinstance(result.exception, SystemExit)


def test_deleting_the_account_removes_its_links(db, runner, make_account):
    from patrol.models import Account

    owner = make_account()
    runner.invoke(args=["slack", "link", TEAM, owner.email])
    with db.session() as session:
        session.delete(session.get(Account, owner.account_id))

    assert link_row(db) is None
