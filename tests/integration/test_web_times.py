"""Every time on the pages reads the same way: UTC, 24-hour."""
import re

from patrol import demo
from patrol.scanning import workers
from tests.support.web_pages import PASSWORD, sign_in, text

UTC_TIME = re.compile(r"\d{4}-\d\d-\d\d ([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)? UTC")


def times(page: str) -> list[str]:
    return re.findall(r"<time [^>]*>(.*?)</time>", page)


def test_the_dashboard_server_and_settings_pages_show_utc_24_hour_times(client, db, make_account, make_server):
    me = make_account(password=PASSWORD)
    demo.import_advisories(db)
    server_id = make_server(me)
    client.post(f"/api/servers/{server_id}/software_bucket/composer", auth=me.auth,
                json={"software": demo.lockfile_items("composer")})
    client.post(f"/api/servers/{server_id}/scan", auth=me.auth)
    assert workers.run_one(db)
    sign_in(client, me.email)
    for path in ("/", f"/servers/{server_id}", "/api-settings"):
        shown = times(text(client.get(path)))
        assert shown, f"no times on {path}"
        assert all(UTC_TIME.fullmatch(moment) for moment in shown), (path, shown)
    assert "<span class=\"ago\">(just now)</span>" in text(client.get("/"))  # and how long ago, beside it
