"""A limit on failed sign-ins, per email and per client address.

Counted in the database, so every process serving the pages shares one
count. An address gets more tries than an email because many people may
sit behind one office NAT, while one account has one owner.
"""
from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from patrol.clock import now
from patrol.errors import PatrolError
from patrol.models import Account
from web.models import SignInFailure

WINDOW = timedelta(minutes=15)
PER_EMAIL = 5
PER_ADDRESS = 20
MAX_EMAIL = 254
MAX_ADDRESS = 45


class TooManyFailures(PatrolError):
    """Sign-ins are refused until `retry_at`."""

    code = "too_many_requests"
    status = 429

    def __init__(self, retry_at: datetime) -> None:
        super().__init__("Too many failed sign-ins; try again later.")
        self.retry_at = retry_at

    def retry_after_seconds(self) -> int:
        return max(1, math.ceil((self.retry_at - now()).total_seconds()))


def check(session: Session, email: str | None, address: str) -> None:
    """Raise TooManyFailures while this email or address is over its limit."""
    moment = now()
    limits = [(SignInFailure.address, address[:MAX_ADDRESS], PER_ADDRESS)]
    if email:
        limits.append((SignInFailure.email, _key(email), PER_EMAIL))
    blocked = [at for column, value, limit in limits
               if (at := _blocked_until(session, column, value, limit, moment)) is not None]
    if blocked:
        raise TooManyFailures(max(blocked))


def _blocked_until(session: Session, column, value: str, limit: int, moment: datetime) -> datetime | None:  # noqa: ANN001
    """When the oldest of the last `limit` failures leaves the window, if there are that many."""
    recent = list(session.scalars(
        select(SignInFailure.failed_at)
        .where(column == value, SignInFailure.failed_at > moment - WINDOW)
        .order_by(SignInFailure.failed_at.desc())
        .limit(limit)
    ))
    return recent[-1] + WINDOW if len(recent) == limit else None


def record_failure(session: Session, email: str | None, address: str) -> None:
    """Count one failure, and drop the ones that no longer count."""
    moment = now()
    session.execute(delete(SignInFailure).where(SignInFailure.failed_at <= moment - WINDOW))
    session.add(SignInFailure(email=_key(email) if email else None, address=address[:MAX_ADDRESS], failed_at=moment))
    session.flush()


def forget_account(session: Session, account: Account) -> None:
    """Before `account` is deleted: its email's failure records (they name it)."""
    forget(session, account.email)


def forget(session: Session, email: str) -> None:
    """A successful sign-in clears its email's failures (not the address's)."""
    session.execute(delete(SignInFailure).where(SignInFailure.email == _key(email)))


def _key(email: str) -> str:
    return email.strip().lower()[:MAX_EMAIL]
