"""`patrol account|advisories|scan|db` on the app's CLI, run with Flask's CLI runner."""
from __future__ import annotations

import json
import re
import shutil
import zipfile

import pytest
from sqlalchemy import func, inspect, select, text

from patrol import accounts, create_app, demo
from patrol.db import get_db
from patrol.models import Account, Advisory, AdvisoryPackage, Credential, Scan

KEY = re.compile(r"API key:\s+([0-9a-f]{32})\n")
SECRET = re.compile(r"API secret:\s+([0-9a-f]{64})\n")


def _invoke(runner, *args: str, input: str | None = None, exit_code: int = 0):  # noqa: A002 - as click names it
    result = runner.invoke(args=list(args), input=input)
    assert result.exit_code == exit_code, result.output
    if exit_code == 0:
        assert result.exception is None
    else:
        assert isinstance(result.exception, SystemExit)  # a clean message, not a traceback
    return result


def _credential(output: str) -> tuple[str, str]:
    return KEY.search(output).group(1), SECRET.search(output).group(1)


def _advisory_count(db) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(Advisory))


def test_account_create_prints_a_key_and_secret_that_work(runner, client):
    result = _invoke(runner, "account", "create", "Ops@Example.com")
    assert "ops@example.com" in result.output
    key, secret = _credential(result.output)
    me = client.get("/api/user", auth=(key, secret))
    assert me.status_code == 200
    assert me.get_json()["data"]["email"] == "ops@example.com"


def test_account_create_twice_is_a_clean_error(runner):
    _invoke(runner, "account", "create", "ops@example.com")
    result = _invoke(runner, "account", "create", "ops@example.com", exit_code=1)
    assert "already exists" in result.output


def test_account_create_refuses_a_bad_email(runner, db):
    result = _invoke(runner, "account", "create", "not-an-email", exit_code=1)
    assert "email" in result.output
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Account)) == 0


def test_password_from_stdin_is_stored_as_a_hash(runner, db):
    _invoke(runner, "account", "create", "ops@example.com", "--password-stdin", input="correct horse battery\n")
    with db.session() as session:
        account = accounts.by_email(session, "ops@example.com")
        assert "correct horse battery" not in account.password_hash
        assert accounts.check_password(account, "correct horse battery")
        assert not accounts.check_password(account, "correct horse")


def test_a_short_password_from_stdin_is_refused(runner, db):
    result = _invoke(runner, "account", "create", "ops@example.com", "--password-stdin", input="short\n",
                     exit_code=1)
    assert "at least" in result.output
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Account)) == 0


def test_credentials_list_new_and_revoke(runner, client, db):
    first_key, first_secret = _credential(_invoke(runner, "account", "create", "ops@example.com").output)

    listed = _invoke(runner, "account", "credentials", "ops@example.com").output
    assert first_key in listed and "active" in listed
    assert first_secret not in listed

    new_key, new_secret = _credential(_invoke(runner, "account", "credentials", "ops@example.com", "--new").output)
    assert new_key != first_key
    assert client.get("/api/user", auth=(new_key, new_secret)).status_code == 200

    revoked = _invoke(runner, "account", "credentials", "ops@example.com", "--revoke", first_key).output
    assert f"Revoked {first_key}" in revoked
    line = next(line for line in revoked.splitlines() if line.startswith(first_key))
    assert "revoked" in line
    assert client.get("/api/user", auth=(first_key, first_secret)).status_code == 401
    assert client.get("/api/user", query_string={"key": first_key, "secret": first_secret}).status_code == 401
    assert client.get("/api/user", auth=(new_key, new_secret)).status_code == 200
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Credential)) == 2


def test_revoking_an_unknown_or_foreign_key_is_a_clean_error(runner, make_account):
    other = make_account("other@example.com")
    _invoke(runner, "account", "create", "ops@example.com")
    assert "No such API key" in _invoke(runner, "account", "credentials", "ops@example.com", "--revoke", "f" * 32,
                                        exit_code=1).output
    _invoke(runner, "account", "credentials", "ops@example.com", "--revoke", other.key, exit_code=1)


def test_credentials_of_an_unknown_account_is_a_clean_error(runner):
    assert "No account" in _invoke(runner, "account", "credentials", "ghost@example.com", exit_code=1).output


def test_import_a_file(runner, db):
    result = _invoke(runner, "advisories", "import", str(demo.ADVISORIES / "GHSA-q7rv-6hp3-vh96.json"))
    assert "1 added, 0 updated, 0 unchanged, 0 invalid" in result.output
    with db.session() as session:
        advisory = session.scalar(select(Advisory))
        assert advisory.osv_id == "GHSA-q7rv-6hp3-vh96"
        assert {p.name for p in advisory.packages} == {"guzzlehttp/psr7"}


def test_import_a_folder_twice_is_idempotent(runner, db):
    total = len(list(demo.ADVISORIES.glob("*.json")))
    first = _invoke(runner, "advisories", "import", str(demo.ADVISORIES)).output
    assert f"{total} added, 0 updated, 0 unchanged, 0 invalid" in first
    with db.session() as session:
        packages = session.scalar(select(func.count()).select_from(AdvisoryPackage))
    second = _invoke(runner, "advisories", "import", str(demo.ADVISORIES)).output
    assert f"0 added, 0 updated, {total} unchanged, 0 invalid" in second
    assert _advisory_count(db) == total
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(AdvisoryPackage)) == packages


@pytest.fixture
def advisories_zip(tmp_path):
    """An osv.dev-style all.zip of the demo advisories."""
    path = tmp_path / "all.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for file in sorted(demo.ADVISORIES.glob("*.json")):
            archive.write(file, file.name)
        archive.writestr("README.txt", "not an advisory")
    return path


def test_import_a_zip_twice_is_idempotent(runner, db, advisories_zip):
    total = len(list(demo.ADVISORIES.glob("*.json")))
    assert f"{total} added" in _invoke(runner, "advisories", "import", str(advisories_zip)).output
    again = _invoke(runner, "advisories", "import", str(advisories_zip)).output
    assert f"0 added, 0 updated, {total} unchanged, 0 invalid" in again
    assert _advisory_count(db) == total


def test_one_advisory_in_two_paths_of_one_run_is_stored_once(runner, db, advisories_zip):
    total = len(list(demo.ADVISORIES.glob("*.json")))
    output = _invoke(runner, "advisories", "import", str(demo.ADVISORIES), str(advisories_zip)).output
    assert f"{total} added, 0 updated, {total} unchanged, 0 invalid" in output
    assert _advisory_count(db) == total


def test_a_changed_advisory_is_updated(runner, db, tmp_path):
    source = (demo.ADVISORIES / "GHSA-xvch-5gv4-984h.json").read_text()
    path = tmp_path / "GHSA-xvch-5gv4-984h.json"
    path.write_text(source)
    _invoke(runner, "advisories", "import", str(path))
    path.write_text(source.replace('"modified": "', '"modified": "2099-01-01T00:00:00Z", "old_modified": "', 1))
    assert "0 added, 1 updated, 0 unchanged" in _invoke(runner, "advisories", "import", str(path)).output
    assert _advisory_count(db) == 1


def test_an_invalid_file_is_skipped_with_a_message(runner, db, tmp_path):
    folder = tmp_path / "osv"
    shutil.copytree(demo.ADVISORIES, folder)
    (folder / "broken.json").write_text("{not json")
    (folder / "no-id.json").write_text('{"summary": "an advisory without an id"}')
    total = len(list(demo.ADVISORIES.glob("*.json")))
    result = _invoke(runner, "advisories", "import", str(folder))
    assert f"{total} added, 0 updated, 0 unchanged, 2 invalid" in result.output
    assert "skipped" in result.output and "broken.json" in result.output and "no-id.json" in result.output
    assert _advisory_count(db) == total


def test_a_damaged_member_of_a_zip_is_skipped(runner, db, tmp_path):
    path = tmp_path / "all.zip"
    good = (demo.ADVISORIES / "GHSA-q7rv-6hp3-vh96.json").read_bytes()
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("damaged.json", b'{"id": "DAMAGED-1"}')
        archive.writestr("good.json", good)
    raw = path.read_bytes()
    path.write_bytes(raw.replace(b'"DAMAGED-1"', b'"DAMAGED-2"', 1))  # its CRC no longer matches
    result = _invoke(runner, "advisories", "import", str(path))
    assert "1 added, 0 updated, 0 unchanged, 1 invalid" in result.output
    assert "damaged.json" in result.output


def test_a_file_that_is_not_a_zip_is_a_clean_error(runner, tmp_path):
    fake = tmp_path / "all.zip"
    fake.write_text("this is no zip")
    assert "not a zip file" in _invoke(runner, "advisories", "import", str(fake), exit_code=1).output


def test_a_missing_path_is_a_usage_error(runner, tmp_path):
    result = runner.invoke(args=["advisories", "import", str(tmp_path / "nothing-here")])
    assert result.exit_code == 2


def test_scan_by_name_or_id_prints_the_result(runner, db, client, make_account, make_server):
    demo.import_advisories(db)
    owner = make_account()
    server_id = make_server(owner, "shop.example.com")
    for key in demo.LOCKFILES:
        client.post(f"/api/servers/{server_id}/software_bucket/{key}", json={"software": demo.lockfile_items(key)},
                    auth=owner.auth)
    first = _invoke(runner, "scan", "shop.example.com").output
    assert "finished; 11 open issues, 11 new, 0 resolved" in first
    second = _invoke(runner, "scan", str(server_id)).output
    assert "finished; 11 open issues, 0 new, 0 resolved" in second
    with db.session() as session:
        scans = session.scalars(select(Scan).order_by(Scan.id)).all()
    assert [(scan.trigger, scan.status) for scan in scans] == [("manual", "finished")] * 2


def test_scan_of_an_unknown_server_is_a_clean_error(runner):
    assert "No single server" in _invoke(runner, "scan", "ghost.example.com", exit_code=1).output


def test_scan_of_a_server_that_is_scanning_is_a_clean_error(runner, client, make_account, make_server):
    owner = make_account()
    server_id = make_server(owner)
    client.post(f"/api/servers/{server_id}/scan", auth=owner.auth)
    assert "already being scanned" in _invoke(runner, "scan", str(server_id), exit_code=1).output


def test_a_name_shared_by_two_accounts_asks_for_the_id(runner, make_account, make_server):
    make_server(make_account(), "web1.example.com")
    make_server(make_account(), "web1.example.com")
    assert "give its id" in _invoke(runner, "scan", "web1.example.com", exit_code=1).output


def _schema(engine) -> tuple[set[str], set[str]]:
    """The tables, and the revisions Alembic has recorded."""
    with engine.connect() as connection:
        versions = {row[0] for row in connection.execute(text("SELECT version_num FROM alembic_version"))}
    return set(inspect(engine).get_table_names()), versions


def test_db_upgrade_on_a_current_database_changes_nothing(runner, db):
    before = _schema(db.engine)
    result = _invoke(runner, "db", "upgrade")
    assert "Database is up to date" in result.output
    assert _schema(db.engine) == before


def test_db_upgrade_builds_an_empty_database(tmp_path):
    fresh = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}", "TESTING": True})
    try:
        assert "servers" not in inspect(get_db(fresh).engine).get_table_names()
        runner = fresh.test_cli_runner()
        _invoke(runner, "db", "upgrade")
        tables, versions = _schema(get_db(fresh).engine)
        assert {"accounts", "credentials", "servers", "buckets", "software", "scans", "issues", "advisories",
                "advisory_packages", "events"} <= tables
        assert versions
        _invoke(runner, "db", "upgrade")
        assert _schema(get_db(fresh).engine) == (tables, versions)
        _credential(_invoke(runner, "account", "create", "first@example.com").output)
    finally:
        get_db(fresh).dispose()


def test_a_newer_record_replaces_its_affected_entries(runner, db, tmp_path):
    record = {"id": "GHSA-test-0001-0001", "modified": "2024-01-01T00:00:00Z", "summary": "old",
              "affected": [{"package": {"ecosystem": "npm", "name": "left-pad"},
                            "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.0.0"}]}]}]}
    path = tmp_path / "GHSA-test-0001-0001.json"
    path.write_text(json.dumps(record))
    _invoke(runner, "advisories", "import", str(path))
    record.update(modified="2024-02-01T00:00:00Z", summary="new",
                  affected=[{"package": {"ecosystem": "PyPI", "name": "Left_Pad"}, "versions": ["2.0"]}])
    path.write_text(json.dumps(record))
    assert "0 added, 1 updated" in _invoke(runner, "advisories", "import", str(path)).output
    with db.session() as session:
        rows = session.execute(select(AdvisoryPackage.ecosystem, AdvisoryPackage.name)).all()
        assert rows == [("PyPI", "left-pad")]
        assert session.scalar(select(Advisory.summary)) == "new"
