"""Sealing the Slack credentials kept in the database."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.sealing import BrokenSeal, MissingSecretKey, Sealer

pytestmark = pytest.mark.extensions("bot")


@given(st.text())
def test_what_is_sealed_opens_again_and_is_not_in_clear(secret):
    sealer = Sealer("patrol-secret-key")
    sealed = sealer.seal(secret)
    assert sealer.open(sealed) == secret
    assert len(secret) < 4 or secret not in sealed


def test_sealing_twice_gives_different_tokens():
    sealer = Sealer("patrol-secret-key")
    assert sealer.seal("xoxb-1") != sealer.seal("xoxb-1")


def test_another_key_cannot_open_it():
    sealed = Sealer("patrol-secret-key").seal("xoxb-1")
    with pytest.raises(BrokenSeal):
        Sealer("another-secret-key").open(sealed)


def test_a_tampered_token_does_not_open():
    sealer = Sealer("patrol-secret-key")
    sealed = sealer.seal("xoxb-1")
    tampered = sealed[:-5] + ("A" if sealed[-5] != "A" else "B") + sealed[-4:]
    with pytest.raises(BrokenSeal):
        sealer.open(tampered)


def test_the_key_is_not_the_flask_secret_itself():
    """The cipher key is derived for this purpose, so it never equals what signs cookies."""
    import base64

    from cryptography.fernet import Fernet, InvalidToken

    secret_key = base64.urlsafe_b64encode(b"k" * 32).decode()
    sealed = Sealer(secret_key).seal("xoxb-1")
    with pytest.raises(InvalidToken):
        Fernet(secret_key).decrypt(sealed)


def test_no_key_no_sealer():
    with pytest.raises(MissingSecretKey):
        Sealer("")
