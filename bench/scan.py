"""Scan speed: Patrol's whole scan against an in-memory matcher over the same data.

    python -m bench.scan [--advisories 40000] [--items 5000] [--repeat 5]
                         [--seed 1] [--database-url postgresql://...]

Imports a seeded advisory set (thirteen ecosystems) into a fresh database,
pushes one server's software, then times whole scans (`jobs.start` +
`jobs.run`: reading the software, matching, the issue diff, the events).
The baseline matches the same items against the same records held in
memory, compiled in advance (bench/in_memory.py): no database at all.
Rounds alternate Patrol and baseline so that a noisy neighbour hits both.
"""
from __future__ import annotations

import argparse
import gc
import random
import time

from sqlalchemy import func, select

from bench import _common, advisories, catalogue, inventory, plans
from bench.in_memory import InMemoryMatcher
from patrol import accounts, servers
from patrol.advisories.importer import import_records
from patrol.db import Database, get_db
from patrol.inventory import buckets, software_input
from patrol.inventory.software_input import SoftwareInput
from patrol.models import AdvisoryPackage, Issue, Scan, Server
from patrol.scanning import jobs


class ScanFailed(RuntimeError):
    """A timed scan did not finish; its figures would mean nothing."""


def main(argv: list[str] | None = None) -> None:
    args = _arguments(argv)
    _common.setup_logging()
    with _common.temporary_database(args.database_url) as url:
        db = get_db(_common.build_app(url, SCAN_WORKERS=0))
        try:
            _run(db, args)
        finally:
            db.dispose()


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.scan", description=__doc__.split("\n")[0])
    parser.add_argument("--advisories", type=int, default=40_000, help="advisories to generate (40000)")
    parser.add_argument("--items", type=int, default=5_000, help="software items on the server (5000)")
    parser.add_argument("--repeat", type=int, default=5, help="timed scans of each kind (5)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the generated data (1)")
    parser.add_argument("--covered", type=float, default=0.3, help="share of items with advisories (0.3)")
    parser.add_argument("--old", type=float, default=0.4, help="share of those on an old release (0.4)")
    parser.add_argument("--database-url", help="a PostgreSQL server on loopback (default: a SQLite file)")
    return parser.parse_args(argv)


def _run(db: Database, args: argparse.Namespace) -> None:
    _common.heading("machine")
    _common.show(_common.machine_facts(db))
    advised, clean = _catalogues(args)
    records = list(advisories.records(random.Random(f"{args.seed}:advisories"), advised, args.advisories))
    _import(db, records)
    server_id, items = _push(db, advised, clean, args)
    baseline = InMemoryMatcher(records)
    _freeze_the_bench()
    _warm_up(db, server_id)
    _time_scans(db, server_id, items, baseline, args.repeat)
    _common.heading("lookup query plan")
    print(plans.lookup_plan(db, server_id))


def _catalogues(args: argparse.Namespace) -> tuple[dict[str, catalogue.Catalogue], dict[str, catalogue.Catalogue]]:
    """Packages with advisories, and as many again without, per ecosystem (no name
    used twice, even across ecosystems: the distributions' items share location "/")."""
    rng = random.Random(f"{args.seed}:catalogue")
    advised, clean = {}, {}
    taken: set[str] = set()
    for ecosystem in catalogue.ECOSYSTEMS:
        wanted = round(args.advisories * advisories.SHARES[ecosystem] * advisories.PACKAGES_PER_ADVISORY)
        advised[ecosystem] = catalogue.build(rng, ecosystem, max(wanted, 1), taken)
        clean[ecosystem] = catalogue.build(rng, ecosystem, round(args.items * inventory.SHARES[ecosystem]), taken)
    return advised, clean


def _import(db: Database, records: list[dict]) -> None:
    started = time.perf_counter()
    report = import_records(db, ((record["id"], record) for record in records))
    elapsed = time.perf_counter() - started
    if db.is_postgres:
        with db.engine.begin() as connection:  # autovacuum would have done it by the first real scan
            connection.exec_driver_sql("ANALYZE")
    with db.session() as session:
        rows = session.scalar(select(func.count()).select_from(AdvisoryPackage))
    _common.heading("advisories")
    _common.show([
        ("imported", str(report)),
        ("affected entries", f"{rows} rows in advisory_packages"),
        ("import time", f"{elapsed:.1f} s ({report.added / elapsed:.0f} advisories/s)"),
    ])


def _push(db: Database, advised: dict, clean: dict, args: argparse.Namespace) -> tuple[int, list[SoftwareInput]]:
    """The server's id and its items (as parsed from the push)."""
    rng = random.Random(f"{args.seed}:inventory")
    made = {key: software_input.parse(items) for key, items in
            inventory.buckets(rng, advised, clean, args.items, args.covered, args.old).items()}
    with db.session() as session:
        account, _ = accounts.create(session, "bench@example.com")
        server = servers.create(session, account, "bench.example.com")
        for key, items in made.items():
            buckets.put(session, server, key, items, None)
        server_id = server.id
    _common.heading("server")
    _common.show([(f"bucket {key}", f"{len(items)} items") for key, items in made.items()])
    return server_id, [item for items in made.values() for item in items]


def _freeze_the_bench() -> None:
    """The generated records and the baseline's compiled index (hundreds of
    thousands of objects) live in this process beside Patrol's scans. Frozen
    before the first scan (`gc.freeze`), they are not walked by the collections
    that Patrol's scans set off: a scan costs what it would in a worker, which
    holds no such data."""
    gc.collect()
    gc.freeze()


def _warm_up(db: Database, server_id: int) -> None:
    """One scan opens the issues, so every timed scan is the same steady rescan. It
    is the process's first, so it also compiles every entry it meets: its time is
    printed apart, as what a freshly started worker's first scan costs."""
    elapsed, cpu, issues = _scan(db, server_id)
    with db.session() as session:
        vulnerable = session.scalar(
            select(func.count(func.distinct(Issue.software_name + "@" + Issue.software_location)))
            .where(Issue.server_id == server_id, Issue.resolved_at.is_(None))
        )
    _common.heading("findings")
    _common.show([("open issues", str(issues)), ("vulnerable items", str(vulnerable)),
                  ("first scan (cold caches)", f"{elapsed * 1000:.0f} ms  (this process's CPU {cpu * 1000:.0f} ms)")])


def _time_scans(db: Database, server_id: int, items: list[SoftwareInput], baseline: InMemoryMatcher,
                repeat: int) -> None:
    patrol, memory, counts = [], [], set()
    for _ in range(repeat):
        elapsed, cpu, found = _scan(db, server_id)
        patrol.append((elapsed, cpu))
        counts.add(found)
        started, cpu_started = time.perf_counter(), time.process_time()
        counts.add(baseline.count_findings(items))
        memory.append((time.perf_counter() - started, time.process_time() - cpu_started))
    ours, theirs = _medians(patrol), _medians(memory)
    _common.heading(f"scan of {len(items)} items, median of {repeat}")
    _common.show([
        ("patrol (whole scan)", _figures(ours, len(items))),
        ("baseline (in memory)", _figures(theirs, len(items))),
        ("patrol / baseline", _common.ratio(1 / ours[0], 1 / theirs[0]) + " items/s"),
        ("same findings", "yes" if len(counts) == 1 else f"NO: issue counts {sorted(counts)}"),
    ])


def _medians(samples: list[tuple[float, float]]) -> tuple[float, float]:
    return _common.median([wall for wall, _ in samples]), _common.median([cpu for _, cpu in samples])


def _figures(seconds: tuple[float, float], items: int) -> str:
    wall, cpu = seconds
    return f"{wall * 1000:.0f} ms  {items / wall:,.0f} items/s  (this process's CPU {cpu * 1000:.0f} ms)"


def _scan(db: Database, server_id: int) -> tuple[float, float, int]:
    """Seconds (wall, this process's CPU) for a whole scan, and the open issues it reports."""
    started, cpu_started = time.perf_counter(), time.process_time()
    with db.session() as session:
        scan_id = jobs.start(session, session.get(Server, server_id), "manual").id
    jobs.run(db, scan_id)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    with db.session() as session:
        scan = session.get(Scan, scan_id)
        if scan.status != "finished":
            raise ScanFailed(f"scan {scan_id} {scan.status}: {scan.error}")
        return elapsed, cpu, scan.issue_count


if __name__ == "__main__":
    main()
