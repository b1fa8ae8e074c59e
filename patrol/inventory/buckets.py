"""Buckets: replaced whole on each push; a server's software is its live ones."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Row, Select, delete, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from patrol import servers
from patrol.clock import now
from patrol.errors import Invalid, NotFound
from patrol.inventory import ecosystems
from patrol.inventory.software_input import SoftwareInput
from patrol.models import Bucket, Server, Software

MAX_EXPIRE = 10 * 365 * 86400
MAX_KEY = 100


def live_filter(moment: datetime):  # noqa: ANN201 - a SQL expression
    return or_(Bucket.expires_at.is_(None), Bucket.expires_at > moment)


def parse_expire(value: object) -> int | None:
    if value in (None, "", 0, "0"):
        return None
    try:
        seconds = int(value)  # type: ignore[call-overload]  # int() says what it cannot read
    except (TypeError, ValueError) as exc:
        raise Invalid("expire must be a number of seconds.", fields={"expire": "seconds"}) from exc
    if not 0 < seconds <= MAX_EXPIRE:
        raise Invalid("expire is out of range.", fields={"expire": f"1 to {MAX_EXPIRE} seconds"})
    return seconds


def validate_key(key: str) -> str:
    if not is_valid_key(key):
        why = f"1 to {MAX_KEY} printable characters"
        raise Invalid(f"A bucket key is {why}.", fields={"key": why})
    return key


def is_valid_key(key: str) -> bool:
    # isprintable() refuses NUL and lone surrogates, which no database stores.
    return 0 < len(key) <= MAX_KEY and key.isprintable()


def put(
    session: Session,
    server: Server,
    key: str,
    items: list[SoftwareInput],
    expire: int | None,
    scan_after: float | None = None,
) -> Bucket:
    """Create or replace the bucket `key` with exactly these items.

    With `scan_after`, a push that adds packages makes the server due for a
    scan that many seconds on: a collector's several buckets make one scan.
    The bucket row is locked first, as a delete locks it first, so a push and
    a delete queue on it instead of deadlocking over its software rows.
    """
    moment = now()
    bucket = _find(session, server, validate_key(key), lock=True) or _insert(session, server, key, moment)
    if scan_after is not None and _adds_packages(session, bucket, items):
        servers.scan_soon(session, server.id, moment + timedelta(seconds=scan_after))
    session.execute(delete(Software).where(Software.bucket_id == bucket.id))
    bucket.expire = expire
    bucket.expires_at = moment + timedelta(seconds=expire) if expire else None
    bucket.updated_at = moment
    session.add_all(_software_rows(bucket, items))
    session.flush()
    session.expire(bucket, ["software"])
    return bucket


def _find(session: Session, server: Server, key: str, lock: bool = False) -> Bucket | None:
    query = select(Bucket).where(Bucket.server_id == server.id, Bucket.key == key)
    return session.scalar(query.with_for_update() if lock else query)


def _insert(session: Session, server: Server, key: str, moment: datetime) -> Bucket:
    """A new bucket; when a concurrent push created it first, that one."""
    bucket = Bucket(server_id=server.id, key=key, created_at=moment)
    try:
        with session.begin_nested():
            session.add(bucket)
    except IntegrityError:
        found = _find(session, server, key, lock=True)
        if found is None:
            raise
        return found
    return bucket


def _adds_packages(session: Session, bucket: Bucket, items: list[SoftwareInput]) -> bool:
    """Whether the items hold a package (or version) the bucket did not."""
    shape = (Software.name, Software.version, Software.ecosystem, Software.location)
    before = {tuple(row) for row in session.execute(select(*shape).where(Software.bucket_id == bucket.id))}
    return any((i.name, i.version, i.ecosystem, i.location) not in before for i in items)


def _software_rows(bucket: Bucket, items: list[SoftwareInput]) -> list[Software]:
    return [_software_row(bucket, item) for item in items]


def _software_row(bucket: Bucket, item: SoftwareInput) -> Software:
    osv_ecosystem, osv_name = ecosystems.advisory_key(item.name, item.ecosystem, item.source_name) or (None, None)
    return Software(
        bucket_id=bucket.id,
        server_id=bucket.server_id,
        name=item.name,
        version=item.version,
        location=item.location,
        parent=item.parent,
        ecosystem=item.ecosystem,
        source_name=item.source_name,
        source_version=item.source_version,
        osv_ecosystem=osv_ecosystem,
        osv_name=osv_name,
    )


def exists(session: Session, server: Server, key: str) -> bool:
    return is_valid_key(key) and _find(session, server, key) is not None


def get(session: Session, server: Server, key: str, lock: bool = False) -> Bucket:
    bucket = _find(session, server, key, lock) if is_valid_key(key) else None
    if bucket is None:
        raise NotFound("Bucket does not exist")
    return bucket


def remove(session: Session, server: Server, key: str) -> None:
    session.delete(get(session, server, key, lock=True))  # a racing delete waits, then finds nothing
    session.flush()


def is_live(bucket: Bucket, moment: datetime) -> bool:
    """The Python twin of `live_filter`, for one loaded bucket."""
    return bucket.expires_at is None or bucket.expires_at > moment


def live_software(session: Session, server_id: int) -> list[Software]:
    """The union of the server's unexpired buckets."""
    return list(session.scalars(_live_select(server_id, Software)))


def live_items(session: Session, server_id: int) -> list[Row]:
    """The live software's columns that a scan reads, as plain rows: building
    thousands of ORM objects (or ORM result rows) costs a scan more than reading them."""
    columns = (Software.name, Software.version, Software.location, Software.ecosystem,
               Software.source_name, Software.source_version)
    return list(session.connection().execute(_live_select(server_id, *columns)))


def _live_select(server_id: int, *what: Any) -> Select:
    return (
        select(*what)
        .join(Bucket, Software.bucket_id == Bucket.id)
        .where(Software.server_id == server_id, live_filter(now()))
        .order_by(Software.id)
    )
