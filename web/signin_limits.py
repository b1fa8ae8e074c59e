"""Growing delays after failed sign-ins, per account and per client address.

There is no lockout: each rule makes an attempt wait after its last failure,
the wait doubling with every failure past a few free ones, up to a cap.
While any rule says wait, the attempt is refused (429 with Retry-After)
without looking at the password, so waiting out the delay is the only way
to try one more.

- per email *and* address: one address guessing one account's password;
- per address: one address trying many accounts;
- per account, only when its failures come from several addresses (a
  spread-out guess) and never for a browser that signed in to it before.

So someone hammering an email from their address slows only themselves:
the owner, from another address, signs in at once; from a browser that has
signed in before, even a spread-out attack does not slow them. Failures are
counted in the database, so every process serving the pages shares them.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import request
from sqlalchemy import ColumnElement, delete, func, select
from sqlalchemy.orm import Session

from patrol.clock import now
from patrol.errors import PatrolError
from patrol.models import Account
from web.models import SignInFailure

WINDOW = timedelta(hours=1)
FIRST_WAIT = timedelta(seconds=1)
SPREAD = 3  # addresses failing one account that make it a spread-out guess
MAX_EMAIL = 254
MAX_ADDRESS = 45


@dataclass(frozen=True)
class Rule:
    free: int  # failures within WINDOW before the first wait
    cap: timedelta  # the longest wait

    def retry_at(self, failures: int, last: datetime | None) -> datetime | None:
        if last is None or failures < self.free:
            return None
        doublings = min(failures - self.free, 20)
        return last + min(self.cap, FIRST_WAIT * 2**doublings)


PER_EMAIL_AND_ADDRESS = Rule(free=3, cap=timedelta(minutes=15))
PER_ADDRESS = Rule(free=10, cap=timedelta(minutes=15))
PER_ACCOUNT = Rule(free=10, cap=timedelta(minutes=1))


class TooManyFailures(PatrolError):
    """Sign-ins are refused until `retry_at`."""

    code = "too_many_requests"
    status = 429

    def __init__(self, retry_at: datetime) -> None:
        super().__init__("Too many failed sign-ins from here; wait a little and try again.")
        self.retry_at = retry_at

    def retry_after_seconds(self) -> int:
        return max(1, math.ceil((self.retry_at - now()).total_seconds()))


def client_address() -> str:
    """Who is asking, as far as we can tell (behind trusted proxies, ProxyFix has set it)."""
    return (request.remote_addr or "unknown")[:MAX_ADDRESS]


def check(session: Session, email: str | None, address: str, *, known: bool = False) -> None:
    """Raise TooManyFailures while any rule makes this attempt wait; `known` is a browser
    that signed in to this email's account before."""
    moment = now()
    waits = [at for rule, where in _rules(session, email, address, known, moment)
             if (at := rule.retry_at(*_failures(session, where, moment))) is not None and at > moment]
    if waits:
        raise TooManyFailures(max(waits))


def _rules(session: Session, email: str | None, address: str, known: bool,
           moment: datetime) -> list[tuple[Rule, list[ColumnElement[bool]]]]:
    by_address = SignInFailure.address == address[:MAX_ADDRESS]
    rules = [(PER_ADDRESS, [by_address])]
    if email:
        by_email = SignInFailure.email == _key(email)
        rules.append((PER_EMAIL_AND_ADDRESS, [by_email, by_address]))
        if not known and _addresses_failing(session, by_email, moment) >= SPREAD:
            rules.append((PER_ACCOUNT, [by_email]))
    return rules


def _failures(session: Session, where: list[ColumnElement[bool]], moment: datetime) -> tuple[int, datetime | None]:
    """How many failures match `where` within the window, and when the last was."""
    count, last = session.execute(
        select(func.count(), func.max(SignInFailure.failed_at)).where(*where, SignInFailure.failed_at > moment - WINDOW)
    ).one()
    return count, last


def _addresses_failing(session: Session, by_email: ColumnElement[bool], moment: datetime) -> int:
    return session.scalar(
        select(func.count(func.distinct(SignInFailure.address)))
        .where(by_email, SignInFailure.failed_at > moment - WINDOW)
    ) or 0


def record_failure(session: Session, email: str | None, address: str) -> None:
    """Count one failure, and drop the ones that no longer count."""
    moment = now()
    session.execute(delete(SignInFailure).where(SignInFailure.failed_at <= moment - WINDOW))
    session.add(SignInFailure(email=_key(email) if email else None, address=address[:MAX_ADDRESS], failed_at=moment))
    session.flush()


def forget(session: Session, email: str, address: str) -> None:
    """A successful sign-in clears its email's failures from its address (not others')."""
    session.execute(delete(SignInFailure).where(SignInFailure.email == _key(email),
                                                SignInFailure.address == address[:MAX_ADDRESS]))


def forget_account(session: Session, account: Account) -> None:
    """Before `account` is deleted: its email's failure records, from every address (they name it)."""
    session.execute(delete(SignInFailure).where(SignInFailure.email == _key(account.email)))


def _key(email: str) -> str:
    return email.strip().lower()[:MAX_EMAIL]
