"""Advisory summaries and details on the server page: Markdown, rendered safely."""
import pytest

from patrol.advisories import importer
from patrol.scanning import workers
from tests.support.web_pages import PASSWORD, sign_in, text

pytestmark = pytest.mark.extensions("web")

HOSTILE = {
    "id": "GHSA-test-mark-down1", "modified": "2026-11-01T00:00:00Z",
    "summary": "Prototype pollution in `leftpad` <img src=x onerror=alert(1)>",
    "details": "### Impact\n\nCalling **merge** with `__proto__`.\n\n<script>alert(1)</script>\n\n"
               "[exploit](javascript:alert(1)) and [the fix](https://example.com/fix)",
    "affected": [{"package": {"ecosystem": "npm", "name": "leftpad"},
                  "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.3.0"}]}]}],
}


def scanned_server(client, db, me, make_server):
    importer.import_records(db, [("hostile.json", HOSTILE)])
    server_id = make_server(me)
    pushed = client.post(f"/api/servers/{server_id}/software_bucket/npm", auth=me.auth,
                         json={"software": [{"n": "leftpad", "v": "1.0.0", "e": "npm"}]})
    assert pushed.status_code == 200, pushed.json
    assert client.post(f"/api/servers/{server_id}/scan", auth=me.auth).status_code == 202
    assert workers.run_one(db)
    return server_id


def test_the_summary_and_details_are_markdown_without_raw_html(client, db, make_account, make_server):
    me = make_account(password=PASSWORD)
    server_id = scanned_server(client, db, me, make_server)
    sign_in(client, me.email)
    page = text(client.get(f"/servers/{server_id}"))
    assert "Prototype pollution in <code>leftpad</code> &lt;img src=x onerror=alert(1)&gt;" in page
    assert "<h6>Impact</h6>" in page and "Calling <strong>merge</strong> with <code>__proto__</code>." in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert '<a href="https://example.com/fix" rel="noopener noreferrer nofollow">the fix</a>' in page
    assert 'href="javascript:' not in page


def test_the_api_keeps_the_summary_as_written(client, db, make_account, make_server):
    me = make_account()
    server_id = scanned_server(client, db, me, make_server)
    issues = client.get(f"/api/servers/{server_id}/issues", auth=me.auth).json["data"]
    assert [issue["advisory"]["summary"] for issue in issues] == [HOSTILE["summary"]]
