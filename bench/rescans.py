"""Advisory-driven rescans at fleet size: one new advisory, exactly its servers.

    python -m bench.rescans [--servers 10000] [--items 200] [--affected 50]
                            [--advisories 40000] [--seed 1] [--database-url postgresql://...]

Loads a seeded advisory set and a fleet (servers x items software rows,
bulk-inserted), marks npm as synced, then publishes one new advisory on a
loopback osv.dev mirror that affects `--affected` servers. The app's own
background loops (advisory sync, scan workers) take it from there. Prints
the time from publish to the last `new_server_issues` event, the number of
scans (it must equal `--affected`), and the affected-servers query's time and
plan against a baseline that finds the same servers by an unindexed column.
"""
from __future__ import annotations

import argparse
import random
import time
from datetime import datetime, timedelta

from sqlalchemy import func, insert, select, text, update

from bench import _common, advisories, catalogue
from patrol import accounts, background, events
from patrol.advisories import rescans, sync
from patrol.advisories.importer import import_records
from patrol.clock import now
from patrol.db import Database, get_db
from patrol.feeds import state as feeds
from patrol.inventory.ecosystems import advisory_key
from patrol.models import Bucket, Event, FeedState, Scan, Server, Software
from tests.support.osv_mirror import OsvMirror

TARGET = "bench-rescan-target"
SOFTWARE_COLUMNS = ("bucket_id", "server_id", "name", "version", "location", "ecosystem", "osv_ecosystem", "osv_name")
CHUNK = 20_000


def main(argv: list[str] | None = None) -> None:
    args = _arguments(argv)
    _common.setup_logging()
    with _common.temporary_database(args.database_url) as url, OsvMirror() as mirror:
        app = _common.build_app(url, SCAN_WORKERS=2, SCHEDULER_TICK=0.5, ADVISORY_SYNC_INTERVAL=3600,
                                ADVISORY_SOURCE_URL=mirror.url, ADVISORY_ECOSYSTEMS=["npm"])
        db = get_db(app)
        try:
            _run(app, db, mirror, args)
        finally:
            background.get(app).stop()
            db.dispose()


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.rescans", description=__doc__.split("\n")[0])
    parser.add_argument("--servers", type=int, default=10_000, help="servers in the fleet (10000)")
    parser.add_argument("--items", type=int, default=200, help="software items per server (200)")
    parser.add_argument("--affected", type=int, default=50, help="servers the new advisory affects (50)")
    parser.add_argument("--advisories", type=int, default=40_000, help="advisories loaded first (40000)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the generated data (1)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds to wait for the rescans (600)")
    parser.add_argument("--database-url", help="a PostgreSQL server on loopback (default: a SQLite file)")
    return parser.parse_args(argv)


def _run(app, db: Database, mirror: OsvMirror, args: argparse.Namespace) -> None:  # noqa: ANN001
    _common.heading("machine")
    _common.show(_common.machine_facts(db))
    rng = random.Random(args.seed)
    advised = {e: catalogue.build(rng, e, max(round(args.advisories * s / 3), 1), set())
               for e, s in advisories.SHARES.items()}
    latest = _import(db, rng, advised, args.advisories)
    _fleet(db, rng, advised, args)
    _mark_synced(db, latest)
    _common.heading("affected-servers query")
    _time_query(db, args.affected)
    print(_plan(db))
    background.get(app).start()
    _publish_and_wait(db, mirror, args)


def _import(db: Database, rng: random.Random, advised: dict, total: int) -> datetime:
    started = time.perf_counter()
    report = import_records(db, ((r["id"], r) for r in advisories.records(rng, advised, total)))
    _common.heading("data")
    _common.show([("advisories", f"{report} in {time.perf_counter() - started:.0f} s")])
    return report.latest or now() - timedelta(days=1)


def _fleet(db: Database, rng: random.Random, advised: dict, args: argparse.Namespace) -> None:
    """Servers 1..N, one bucket each, `--items` software rows each; the first
    `--affected` servers (spread over the ids) hold the target package."""
    started = time.perf_counter()
    pool = [(p.ecosystem, p.name, p.releases[-1]) for c in advised.values() for p in c.packages]
    with db.session() as session:
        account_id = accounts.create(session, "bench@example.com")[0].id
    later = now() + timedelta(days=1)
    _insert(db, Server, [{"id": n, "account_id": account_id, "name": f"srv{n}.example.com", "next_scan_at": later}
                         for n in range(1, args.servers + 1)])
    _insert(db, Bucket, [{"id": n, "server_id": n, "key": "inventory"} for n in range(1, args.servers + 1)])
    affected = set(range(1, args.servers + 1, args.servers // args.affected)[: args.affected])
    _copy_software(db, (_row(n, item) for n in range(1, args.servers + 1)
                        for item in _items(rng, pool, args.items, n in affected)))
    if db.is_postgres:
        with db.engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE")
    with db.session() as session:
        rows = session.scalar(select(func.count()).select_from(Software))
    _common.show([("fleet", f"{args.servers} servers, {rows:,} software rows in {time.perf_counter() - started:.0f} s")])


def _items(rng: random.Random, pool: list, count: int, affected: bool) -> list[tuple[str, str, str]]:
    picked = rng.sample(pool, count)
    if affected:
        picked[0] = ("npm", TARGET, "1.4.0")
    return picked


def _row(server_id: int, item: tuple[str, str, str]) -> tuple:
    ecosystem, name, version = item
    stored = "Debian:12" if ecosystem == "Debian" else ecosystem
    key = advisory_key(name, stored)
    return (server_id, server_id, name, version, "/", stored, key[0], key[1])


def _insert(db: Database, model, rows: list[dict]) -> None:  # noqa: ANN001
    with db.engine.begin() as connection:
        for start in range(0, len(rows), CHUNK):
            connection.execute(insert(model), rows[start : start + CHUNK])


def _copy_software(db: Database, rows) -> None:  # noqa: ANN001 - an iterator of tuples
    """COPY on PostgreSQL, executemany on SQLite: the fastest bulk path of each."""
    if db.is_postgres:
        raw = db.engine.raw_connection()
        try:
            statement = f"COPY software ({', '.join(SOFTWARE_COLUMNS)}) FROM STDIN"
            with raw.cursor() as cursor, cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row(row)
            raw.commit()
        finally:
            raw.close()
        return
    marks = ", ".join("?" * len(SOFTWARE_COLUMNS))
    raw = db.engine.raw_connection()
    try:
        raw.execute("BEGIN")  # the engine's connections autocommit each statement otherwise
        raw.executemany(f"INSERT INTO software ({', '.join(SOFTWARE_COLUMNS)}) VALUES ({marks})", rows)
        raw.commit()
    finally:
        raw.close()


def _mark_synced(db: Database, latest: datetime) -> None:
    """npm as the scheduler leaves it after a sync: held up to `latest`, next due in an hour."""
    feeds.claim(db, sync.feed_name("npm"), force=True)
    feeds.succeeded(db, sync.feed_name("npm"), 3600, watermark=latest)


def _time_query(db: Database, expected: int) -> None:
    patrol = _median_seconds(lambda s: rescans.affected_servers(s, {("npm", TARGET)}), db, 21, expected)
    unindexed = select(Software.server_id).join(Bucket).where(Software.name == TARGET).distinct()
    baseline = _median_seconds(lambda s: set(s.scalars(unindexed)), db, 5, expected)
    _common.show([
        ("patrol (index on osv_ecosystem, osv_name)", f"{patrol * 1000:.2f} ms"),
        ("baseline (unindexed software.name)", f"{baseline * 1000:.1f} ms"),
        ("baseline / patrol", _common.ratio(baseline, patrol)),
    ])


def _median_seconds(query, db: Database, repeat: int, expected: int) -> float:  # noqa: ANN001
    times = []
    with db.reader() as session:
        for _ in range(repeat):
            started = time.perf_counter()
            found = query(session)
            times.append(time.perf_counter() - started)
            if len(found) != expected:
                raise RuntimeError(f"the query found {len(found)} servers, not {expected}")
    return _common.median(times)


def _plan(db: Database) -> str:
    compiled = rescans.affected_query("npm", [TARGET]).compile(db.engine, compile_kwargs={"literal_binds": True})
    prefix = "EXPLAIN " if db.is_postgres else "EXPLAIN QUERY PLAN "
    with db.engine.connect() as connection:
        rows = connection.execute(text(prefix + str(compiled))).all()
    return "\n".join("  " + (row[0] if db.is_postgres else str(row[-1])) for row in rows)


def _publish_and_wait(db: Database, mirror: OsvMirror, args: argparse.Namespace) -> None:
    published = now()
    mirror.publish("npm", _advisory(published))
    with db.session() as session:  # the interval has passed: the sync loop's next tick takes it
        session.execute(update(FeedState).values(next_sync_at=published))
    done = _wait_for_events(db, published, args.affected, args.timeout)
    with db.session() as session:
        since = select(Scan).where(Scan.started_at >= published).subquery()
        scans, queued = session.execute(select(func.count(), func.max(since.c.started_at))).one()
        newest = select(func.max(Event.created_at)).where(Event.identifier == events.NEW_SERVER_ISSUES)
        last = session.scalar(newest)
    _common.heading(f"one new advisory affecting {args.affected} of {args.servers} servers")
    _common.show([
        ("publish to last new_server_issues", f"{(last - published).total_seconds():.2f} s" if done else "TIMED OUT"),
        ("publish to the last scan queued", f"{(queued - published).total_seconds():.2f} s (the sync and the query)"),
        ("scans started", f"{scans} ({'exactly' if scans == args.affected else 'NOT'} the affected servers)"),
        ("new_server_issues events", str(done)),
        ("mirror requests", ", ".join(f"{path} x{n}" for path, n in sorted(mirror.count().items()))),
    ])


def _wait_for_events(db: Database, since: datetime, wanted: int, timeout: float) -> int:
    deadline, found = time.monotonic() + timeout, 0
    while time.monotonic() < deadline:
        with db.session() as session:
            found = session.scalar(select(func.count()).select_from(Event).where(
                Event.identifier == events.NEW_SERVER_ISSUES, Event.created_at >= since))
            running = session.scalar(select(func.count()).select_from(Scan).where(Scan.status == "running"))
        if found >= wanted and not running:
            return found
        time.sleep(0.1)
    return found


def _advisory(published: datetime) -> dict:
    moment = published.strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "schema_version": "1.6.0", "id": "GHSA-bnch-rscn-2222", "modified": moment, "published": moment,
        "summary": f"{TARGET}: a flaw published during the benchmark",
        "affected": [{"package": {"ecosystem": "npm", "name": TARGET},
                      "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "2.0.0"}]}]}],
        "database_specific": {"severity": "HIGH"},
    }


if __name__ == "__main__":
    main()
