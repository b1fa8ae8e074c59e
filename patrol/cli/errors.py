"""Operational errors: the machine or its settings, not a bug in Patrol.

Each is one line on standard error and exit code 2, never a traceback.
"""
from __future__ import annotations

import re

import click

_PASSWORD = re.compile(r"(://[^/:@]*:)[^@/]*@")


class OperationalError(click.ClickException):
    exit_code = 2


def hide_password(url: str) -> str:
    """`url` with the password, if any, as `***` (works on URLs too broken to parse)."""
    return _PASSWORD.sub(r"\1***@", url)


def database_unusable(url: str | None, exc: BaseException) -> OperationalError:
    """The database PATROL_DATABASE_URL names cannot be parsed or reached."""
    cause = getattr(exc, "orig", None) or exc
    reason = (str(cause).strip().splitlines() or [type(cause).__name__])[0]
    where = (f"PATROL_DATABASE_URL={hide_password(url)}" if url
             else "the default SQLite file (PATROL_DATABASE_URL is unset)")
    return OperationalError(f"cannot use the database at {where}: {reason}")
