"""Scan speed: Patrol's indexed lookups against a full-table-scan baseline.

    python -m bench.scan [--advisories 40000] [--items 5000] [--repeat 5]
                         [--seed 1] [--database-url postgresql://...]

Imports a seeded advisory set into a fresh database, pushes one server's
software, then times whole scans (`jobs.start` + `jobs.run`). The baseline
runs the very same scan with one change: its candidates come from reading
every advisory package row and keeping, in Python, those an item names.
Rounds alternate Patrol and baseline so that a noisy neighbour hits both.
"""
from __future__ import annotations

import argparse
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bench import _common, advisories, catalogue, inventory, plans
from patrol import accounts, servers
from patrol.advisories.importer import import_records
from patrol.db import Database, get_db
from patrol.inventory import buckets, software_input
from patrol.models import AdvisoryPackage, Issue, Scan, Server
from patrol.scanning import jobs, matcher

Lookup = Callable[[Session, set[tuple[str, str]]], dict[tuple[str, str], list]]


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
    _import(db, advised, args)
    server_id = _push(db, advised, clean, args)
    _warm_up(db, server_id)
    _time_scans(db, server_id, args.items, args.repeat)
    _common.heading("lookup query plan")
    print(plans.lookup_plan(db, server_id))


def _catalogues(args: argparse.Namespace) -> tuple[dict[str, catalogue.Catalogue], dict[str, catalogue.Catalogue]]:
    """Packages with advisories, and as many again without, per ecosystem (names never shared)."""
    rng = random.Random(f"{args.seed}:catalogue")
    advised, clean = {}, {}
    for ecosystem in catalogue.ECOSYSTEMS:
        taken: set[str] = set()
        wanted = round(args.advisories * advisories.SHARES[ecosystem] * advisories.PACKAGES_PER_ADVISORY)
        advised[ecosystem] = catalogue.build(rng, ecosystem, max(wanted, 1), taken)
        clean[ecosystem] = catalogue.build(rng, ecosystem, round(args.items * inventory.SHARES[ecosystem]), taken)
    return advised, clean


def _import(db: Database, advised: dict[str, catalogue.Catalogue], args: argparse.Namespace) -> None:
    records = advisories.records(random.Random(f"{args.seed}:advisories"), advised, args.advisories)
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


def _push(db: Database, advised: dict, clean: dict, args: argparse.Namespace) -> int:
    rng = random.Random(f"{args.seed}:inventory")
    made = inventory.buckets(rng, advised, clean, args.items, args.covered, args.old)
    with db.session() as session:
        account, _ = accounts.create(session, "bench@example.com")
        server = servers.create(session, account, "bench.example.com")
        for key, items in made.items():
            buckets.put(session, server, key, software_input.parse(items), None)
        server_id = server.id
    _common.heading("server")
    _common.show([(f"bucket {key}", f"{len(items)} items") for key, items in made.items()])
    return server_id


def _warm_up(db: Database, server_id: int) -> None:
    """One untimed scan opens the issues, so every timed scan is the same steady rescan."""
    _, issues = _scan(db, server_id)
    with db.session() as session:
        vulnerable = session.scalar(
            select(func.count(func.distinct(Issue.software_name + "@" + Issue.software_location)))
            .where(Issue.server_id == server_id, Issue.resolved_at.is_(None))
        )
    _common.heading("findings")
    _common.show([("open issues", str(issues)), ("vulnerable items", str(vulnerable))])


def _time_scans(db: Database, server_id: int, items: int, repeat: int) -> None:
    patrol, baseline, counts = [], [], set()
    for _ in range(repeat):
        elapsed, found = _scan(db, server_id)
        patrol.append(elapsed)
        counts.add(found)
        with _candidates_from(_every_row):
            elapsed, found = _scan(db, server_id)
        baseline.append(elapsed)
        counts.add(found)
    ours, theirs = _common.median(patrol), _common.median(baseline)
    _common.heading(f"scan of {items} items, median of {repeat}")
    _common.show([
        ("patrol (index lookups)", f"{ours * 1000:.0f} ms  {items / ours:,.0f} items/s"),
        ("baseline (full table)", f"{theirs * 1000:.0f} ms  {items / theirs:,.0f} items/s"),
        ("patrol / baseline", _common.ratio(items / ours, items / theirs) + " items/s"),
        ("same findings", "yes" if len(counts) == 1 else f"NO: issue counts {sorted(counts)}"),
    ])


def _scan(db: Database, server_id: int) -> tuple[float, int]:
    """Seconds for a whole scan, and the open issues it reports."""
    started = time.perf_counter()
    with db.session() as session:
        scan_id = jobs.start(session, session.get(Server, server_id), "manual").id
    jobs.run(db, scan_id)
    elapsed = time.perf_counter() - started
    with db.session() as session:
        scan = session.get(Scan, scan_id)
        if scan.status != "finished":
            raise ScanFailed(f"scan {scan_id} {scan.status}: {scan.error}")
        return elapsed, scan.issue_count


@contextmanager
def _candidates_from(lookup: Lookup) -> Iterator[None]:
    """Scans inside fetch candidates with `lookup` instead of the matcher's batched index lookups."""
    original = matcher._candidates  # noqa: SLF001 - the one step the baseline replaces
    matcher._candidates = lookup  # noqa: SLF001
    try:
        yield
    finally:
        matcher._candidates = original  # noqa: SLF001


def _every_row(session: Session, keys: set[tuple[str, str]]) -> dict[tuple[str, str], list]:
    """The baseline: read the whole table (the same columns Patrol reads), keep in
    Python the rows whose (ecosystem, name) an item has."""
    found: dict[tuple[str, str], list] = defaultdict(list)
    rows = session.execute(
        select(AdvisoryPackage.ecosystem, AdvisoryPackage.name, AdvisoryPackage.advisory_id,
               AdvisoryPackage.ecosystem_full, AdvisoryPackage.affected)
    )
    for ecosystem, name, advisory_id, ecosystem_full, affected in rows:
        if (ecosystem, name) in keys:
            found[(ecosystem, name)].append(matcher._Candidate(advisory_id, ecosystem_full, affected))  # noqa: SLF001
    return found


if __name__ == "__main__":
    main()
