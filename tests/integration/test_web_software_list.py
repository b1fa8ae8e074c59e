"""The software list on a server's page: one row per Debian source package,
vulnerable packages marked, and a search."""
import pytest

import re

from patrol import demo
from patrol.scanning import workers
from tests.support.web_pages import PASSWORD, sign_in, text

pytestmark = pytest.mark.extensions("web")

# nginx 1.2.1 on Debian 7 is affected by the demo's DSA-3029-1 (fixed in 1.2.1-2.2+wheezy3).
WHEEZY = [
    {"n": "nginx-common", "v": "1.2.1-2.2+wheezy2", "s": "nginx", "sv": "1.2.1-2.2+wheezy2", "e": "Debian:7", "l": "/"},
    {"n": "nginx-full", "v": "1.2.1-2.2+wheezy2", "s": "nginx", "sv": "1.2.1-2.2+wheezy2", "e": "Debian:7", "l": "/"},
    {"n": "libssl1.0.0", "v": "1.0.1e-2+deb7u20", "s": "openssl", "sv": "1.0.1e-2+deb7u20", "e": "Debian:7", "l": "/"},
    {"n": "adduser", "v": "3.113", "s": "adduser", "sv": "3.113", "e": "Debian:7", "l": "/"},
]


def scanned(client, db, make_account, make_server):
    me = make_account(password=PASSWORD)
    demo.import_advisories(db)
    server_id = make_server(me)
    for bucket, items in (("os", WHEEZY), ("composer", demo.lockfile_items("composer"))):
        pushed = client.post(f"/api/servers/{server_id}/software_bucket/{bucket}", auth=me.auth, json={"software": items})
        assert pushed.status_code == 200, pushed.json
    assert client.post(f"/api/servers/{server_id}/scan", auth=me.auth).status_code == 202
    assert workers.run_one(db)
    sign_in(client, me.email)
    return server_id


def rows(page: str) -> list[str]:
    """The software tables' rows, as text without tags or extra spaces."""
    section = page[page.index('id="software-title"'):]
    bodies = "".join(re.findall(r"<tbody>.*?</tbody>", section, re.S))
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in re.findall(r"<tr.*?</tr>", bodies, re.S)]


def test_a_source_packages_binaries_are_one_row_marked_vulnerable(client, db, make_account, make_server):
    page = text(client.get(f"/servers/{scanned(client, db, make_account, make_server)}"))
    nginx = [row for row in rows(page) if row.startswith("nginx")]
    assert nginx == ["nginx vulnerable: 2 open issues source package of nginx-common, nginx-full "
                     "1.2.1-2.2+wheezy2 Debian:7 / os"]
    assert any(row.startswith("openssl source package of libssl1.0.0 1.0.1e-2+deb7u20") for row in rows(page))
    assert any(row.startswith("adduser 3.113") and "source package" not in row for row in rows(page))
    assert not any(row.startswith(("nginx-common", "nginx-full", "libssl1.0.0")) for row in rows(page))


def test_search_finds_packages_by_name_or_binary(client, db, make_account, make_server):
    server_id = scanned(client, db, make_account, make_server)
    found = text(client.get(f"/servers/{server_id}", query_string={"q": "LIBSSL"}))
    assert [row.split(" ")[0] for row in rows(found)] == ["openssl"]
    assert "1 package matches “LIBSSL”." in found
    assert 'value="LIBSSL"' in found
    vulnerable = rows(text(client.get(f"/servers/{server_id}", query_string={"vulnerable": "1"})))
    assert all("vulnerable:" in row for row in vulnerable) and len(vulnerable) > 2
    assert {"guzzlehttp/psr7", "nginx"} <= {row.split(" ")[0] for row in vulnerable}
    assert not {"openssl", "adduser"} & {row.split(" ")[0] for row in vulnerable}
    nothing = text(client.get(f"/servers/{server_id}", query_string={"q": "<b>nope</b>"}))
    assert rows(nothing) == [] and "0 packages match “&lt;b&gt;nope&lt;/b&gt;”." in nothing
