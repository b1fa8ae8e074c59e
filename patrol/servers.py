"""Servers of an account."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from patrol.clock import now
from patrol.errors import AlreadyExists, Invalid, NotFound
from patrol.models import Account, Server

MAX_NAME = 253
# Row ids are INTEGER columns; a larger number would fail in PostgreSQL.
MAX_ID = 2**31 - 1


def validate_name(name: object) -> str:
    text = name.strip() if isinstance(name, str) else ""
    # isprintable() also refuses NUL and lone surrogates, which no database stores.
    if not text or len(text) > MAX_NAME or not text.isprintable() or " " in text:
        raise Invalid(
            "A server needs a domain or host name (no spaces, at most 253 characters).",
            fields={"domain": "a host name such as web1.example.com"},
        )
    return text


def create(session: Session, account: Account, name: object, scan_interval: int = 86400) -> Server:
    """A new server; its first scheduled scan is one interval away (push first, then scan)."""
    server = Server(
        account_id=account.id,
        name=validate_name(name),
        next_scan_at=now() + timedelta(seconds=scan_interval),
    )
    try:
        with session.begin_nested():
            session.add(server)
    except IntegrityError as exc:
        raise AlreadyExists(f"A server named {server.name} already exists.") from exc
    return server


def get(session: Session, account: Account, server_id: int | str) -> Server:
    """The account's server, or NotFound for a missing *or foreign* id."""
    try:
        wanted = int(server_id)
    except (TypeError, ValueError) as exc:
        raise NotFound("Server does not exist") from exc
    server = session.get(Server, wanted) if 0 < wanted <= MAX_ID else None
    if server is None or server.account_id != account.id:
        raise NotFound("Server does not exist")
    return server


def by_name(session: Session, account: Account, name: str) -> Server:
    server = session.scalar(
        select(Server).where(Server.account_id == account.id, Server.name == name.strip())
    )
    if server is None:
        raise NotFound(f"No server named {name}.")
    return server


def listing(session: Session, account: Account) -> list[Server]:
    return list(session.scalars(select(Server).where(Server.account_id == account.id).order_by(Server.id)))


def remove(session: Session, server: Server) -> None:
    session.delete(server)
    session.flush()


def scan_soon(session: Session, server_id: int, when: datetime) -> None:
    """Bring the server's next scheduled scan forward to `when` (never back)."""
    session.execute(
        update(Server)
        .where(Server.id == server_id, Server.next_scan_at > when)
        .values(next_scan_at=when)
        .execution_options(synchronize_session=False)
    )
