"""The pure parts of the advisory sync: back-off, modified_id.csv, URLs, advisory keys."""
from datetime import datetime, timezone

import pytest

from patrol.advisories.sync import SyncError, newer_than, url_of
from patrol.feeds.state import backoff
from patrol.inventory.ecosystems import advisory_key

CSV = b"2024-03-01T10:00:00Z,GHSA-c\n2024-02-01T10:00:00.5Z,GHSA-b\n2024-01-01T10:00:00Z,GHSA-a\n"


def test_backoff_doubles_from_a_minute_up_to_the_interval():
    assert [backoff(n, 3600) for n in range(1, 9)] == [60, 120, 240, 480, 960, 1920, 3600, 3600]
    assert backoff(3, 0) == 60  # syncing by hand only: still a minute apart


def test_newer_than_stops_at_the_watermark():
    mark = datetime(2024, 2, 1, 10, 0, 0, 500000, tzinfo=timezone.utc)
    assert [osv_id for _, osv_id in newer_than(CSV, mark)] == ["GHSA-c"]
    assert [osv_id for _, osv_id in newer_than(CSV, datetime(2000, 1, 1, tzinfo=timezone.utc))] == [
        "GHSA-c", "GHSA-b", "GHSA-a"]


def test_a_line_that_is_not_time_and_id_fails_the_sync():
    with pytest.raises(SyncError, match="line 2"):
        newer_than(b"2024-03-01T10:00:00Z,GHSA-c\nnonsense\n", datetime(2000, 1, 1, tzinfo=timezone.utc))


def test_ecosystem_and_record_names_are_one_quoted_path_segment_each():
    assert url_of("http://m", "Alpine:v3.19", "all.zip") == "http://m/Alpine%3Av3.19/all.zip"
    assert url_of("http://m", "Rocky Linux", "RLSA-2024:1.json") == "http://m/Rocky%20Linux/RLSA-2024%3A1.json"


def test_advisory_keys_are_what_advisories_name():
    assert advisory_key("Django_Rest", "PyPI") == ("PyPI", "django-rest")
    assert advisory_key("npm/lodash", "npm") == ("npm", "lodash")
    assert advisory_key("libssl3", "Debian:12", "openssl") == ("Debian", "openssl")
    assert advisory_key("thing", None) is None
