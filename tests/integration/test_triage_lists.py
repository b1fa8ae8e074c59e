"""Issue lists that help decide: exploitation marks, filters, sorts, paging on
every list, and upgrade groups."""
from __future__ import annotations

import pytest

from patrol.advisories.severity import rank
from tests.support.demo_server import demo_data, shop  # noqa: F401 - fixtures

EXPLOITED = {"guzzlehttp/psr7", "minimist"}  # the KEV sample lists their CVEs


def test_issues_carry_known_exploited_and_epss_by_cve_alias(shop):
    issues = {issue["software"]["name"]: issue for issue in shop.issues()}
    assert {name for name, issue in issues.items() if issue["known_exploited"]} == EXPLOITED
    assert issues["minimist"]["known_exploited_since"] == "2026-10-15"
    assert issues["requests"]["epss"] == {"score": 0.06231, "percentile": 0.93468}  # CVE-2023-32681
    assert issues["lodash"]["known_exploited"] is False and issues["lodash"]["known_exploited_since"] is None
    assert all(issue["dismissal"] is None for issue in issues.values())


def test_known_exploited_filter(shop):
    assert {i["software"]["name"] for i in shop.issues(known_exploited="true")} == EXPLOITED
    assert len(shop.issues(known_exploited="false")) == 11 - len(EXPLOITED)


def test_severity_and_min_severity_filters(shop):
    assert {i["advisory"]["severity"] for i in shop.issues(severity="critical,low")} == {"critical", "low"}
    at_least_high = shop.issues(min_severity="high")
    assert len(at_least_high) == 6 and all(rank(i["advisory"]["severity"]) <= rank("high") for i in at_least_high)


def test_sort_by_severity_puts_the_worst_and_the_exploited_first(shop):
    issues = shop.issues(sort="severity")
    assert [rank(i["advisory"]["severity"]) for i in issues] == sorted(rank(i["advisory"]["severity"]) for i in issues)
    assert issues[0]["software"]["name"] == "minimist"
    highs = [i for i in issues if i["advisory"]["severity"] == "high"]
    assert highs[0]["software"]["name"] == "guzzlehttp/psr7"  # known exploited before the other highs


def test_sort_by_package_and_by_published(shop):
    names = [i["software"]["name"] for i in shop.issues(sort="package")]
    assert names == sorted(names)
    published = [i["advisory"]["published"] for i in shop.issues(sort="published")]
    assert published == sorted(published, reverse=True) and all(published)


@pytest.mark.parametrize("query", [{"severity": "urgent"}, {"min_severity": "unknown"}, {"sort": "price"},
                                   {"known_exploited": "maybe"}, {"page": "0"}])
def test_bad_filters_are_422_naming_the_parameter(shop, query):
    body = shop.get(f"/servers/{shop.server_id}/issues", 422, **query)
    assert set(body["error"]["fields"]) == set(query)


def test_issues_page_with_meta(shop):
    first = shop.get(f"/servers/{shop.server_id}/issues", per_page=4, sort="severity")
    third = shop.get(f"/servers/{shop.server_id}/issues", per_page=4, page=3, sort="severity")
    assert first["meta"] == {"page": 1, "per_page": 4, "total": 11} and len(first["data"]) == 4
    assert len(third["data"]) == 3 and third["meta"]["page"] == 3


@pytest.mark.extensions("webhooks")
@pytest.mark.parametrize("path", ["/servers", "/servers/{id}/software", "/servers/{id}/software_bucket",
                                  "/servers/{id}/upgrades", "/webhooks", "/dismissals", "/dismissals/audit"])
def test_every_list_honours_page_and_per_page(shop, path):
    shop.send("POST", "/webhooks", 201, url="https://hooks.example.com/a")
    shop.send("POST", "/webhooks", 201, url="https://hooks.example.com/b")
    for issue in shop.issues()[:2]:
        shop.send("POST", f"/servers/{shop.server_id}/issues/{issue['id']}/dismissal", 201, reason="fix_planned")
    shop.client.post("/api/servers", json={"domain": "second.example.com"}, auth=shop.caller.auth)
    url = path.replace("{id}", str(shop.server_id))
    whole = shop.get(url)
    assert whole["meta"]["total"] == len(whole["data"]) >= 2
    one = shop.get(url, per_page=1, page=2)
    assert one["meta"] == {"page": 2, "per_page": 1, "total": whole["meta"]["total"]}
    assert one["data"] == whole["data"][1:2]


def test_software_per_page_five_gives_five(shop):
    answer = shop.get(f"/servers/{shop.server_id}/software", per_page=5)
    assert len(answer["data"]) == 5 and answer["meta"]["total"] > 5


def test_upgrade_groups_name_the_smallest_version_that_fixes_everything(shop):
    groups = {group["package"]: group for group in shop.get(f"/servers/{shop.server_id}/upgrades")["data"]}
    lodash = groups["lodash"]
    assert (lodash["from"], lodash["to"], lodash["fixes"]) == ("4.17.15", "4.17.21", 2)  # 4.17.19 fixes only one
    assert lodash["by_severity"] == {"high": 2} and len(lodash["issues"]) == 2 and lodash["unfixed"] == []
    assert lodash["summary"] == "upgrade lodash from 4.17.15 to 4.17.21: fixes 2 (2 high)"
    assert groups["minimist"]["summary"] == "upgrade minimist from 1.2.5 to 1.2.6: fixes 1 (1 critical)"
    assert next(iter(groups)) == "minimist"  # the critical one first
    assert sum(group["fixes"] for group in groups.values()) == 11


def test_an_advisory_without_a_fixed_version_says_so(shop, db):
    from sqlalchemy import select

    from patrol.models import AdvisoryPackage

    with db.session() as session:  # take the fix out of minimist's ranges, as an unfixed advisory has none
        for row in session.scalars(select(AdvisoryPackage).where(AdvisoryPackage.name == "minimist")):
            row.affected = {**row.affected, "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]}
    shop.scan()
    groups = {group["package"]: group for group in shop.get(f"/servers/{shop.server_id}/upgrades")["data"]}
    minimist = groups["minimist"]
    assert minimist["to"] is None and minimist["fixes"] == 0 and len(minimist["unfixed"]) == 1
    assert "no fixed version" in minimist["summary"]
