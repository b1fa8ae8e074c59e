"""Slack messages for events: golden payloads, cutting long lists, escaping, wording helpers."""
from __future__ import annotations

import copy
import html
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from slackkit import limits, wording
from slackkit.render import MessageContext, UnknownEvent, render

GOLDEN = Path(__file__).parent / "golden" / "slack"
CASES = sorted(path.stem for path in (GOLDEN / "inputs").glob("*.json"))


def load_case(name: str) -> tuple[dict, MessageContext]:
    case = json.loads((GOLDEN / "inputs" / f"{name}.json").read_text(encoding="utf-8"))
    return case["event"], MessageContext(**case["context"])


def issue_event(count: int, **advisory: str) -> dict:
    """The new_server_issues golden event with `count` copies of its issues, ids renumbered."""
    event, _ = load_case("new_server_issues")
    template = event["issues"]
    issues = []
    for number in range(count):
        issue = copy.deepcopy(template[number % len(template)])
        issue["id"] = 10_000 + number
        issue["advisory"].update(advisory)
        issues.append(issue)
    return {**event, "issues": issues, "counts": {"issues": count, "new": count, "resolved": 0}}


def texts(payload: dict) -> list[str]:
    """Every text a reader sees in the blocks, in order."""
    found = []
    for block in payload["blocks"]:
        for obj in [block.get("text"), *block.get("fields", []), *block.get("elements", [])]:
            if obj and "text" in obj:
                found.append(obj["text"] if isinstance(obj["text"], str) else obj["text"]["text"])
    return found


def listed(payload: dict) -> list[str]:
    """The texts of the issue sections, as listed."""
    return [text for text in texts(payload) if " · *" in text]


def buttons(payload: dict) -> list[dict]:
    return [element for block in payload["blocks"] if block["type"] == "actions"
            for element in block["elements"]]


CTX = MessageContext(account_email="ops@example.com", webhook_description=None,
                     public_url="https://patrol.example.com", severity_counts=None)


@pytest.mark.parametrize("name", CASES)
def test_message_matches_its_golden_file(name):
    event, ctx = load_case(name)
    expected = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
    assert render(event, ctx) == expected


def test_every_event_identifier_has_a_golden_message():
    identifiers = {load_case(name)[0]["identifier"] for name in CASES}
    assert identifiers == {"webhook.test", "webhook.scan_started",
                           "webhook.new_server_issues", "webhook.scan_finished"}


@pytest.mark.parametrize("name", CASES)
def test_fallback_text_is_one_plain_line(name):
    text = render(*load_case(name))["text"]
    assert text and "\n" not in text and "  " not in text


def test_fallback_text_tells_counts_by_severity():
    payload = render(issue_event(3), CTX)
    assert payload["text"] == "web1.example.com: 3 new issues (1 critical, 1 high, 1 medium)"


def test_three_hundred_issues_stay_within_limits_and_count_the_rest():
    payload = render(issue_event(300), CTX)
    assert limits.check(payload) == []
    assert len(payload["blocks"]) <= limits.MAX_BLOCKS
    assert payload["text"].startswith("web1.example.com: 300 new issues")
    closing = [text for text in texts(payload) if text.startswith("…and")]
    assert closing == ["…and 290 more issues: <https://patrol.example.com/servers/12|see them all in Patrol>"]


def test_without_public_url_the_rest_is_counted_without_a_link():
    payload = render(issue_event(11), MessageContext(account_email="ops@example.com"))
    assert "…and 1 more issue" in texts(payload)
    assert all("url" not in button for button in buttons(payload))


def test_issues_are_listed_worst_first():
    payload = render(load_case("new_server_issues")[0], CTX)
    markers = [text.split(" · ")[0] for text in listed(payload)]
    assert markers == [":red_circle: *Critical*", ":large_orange_circle: *High*",
                      ":large_yellow_circle: *Medium*", ":large_blue_circle: *Low*",
                      ":white_circle: *Unknown*"]


def test_advisory_data_is_escaped_for_slack():
    event = issue_event(1, summary="Bypass <script> & co via <!channel> > 1", id="GHSA-<x>&y")
    [shown] = listed(render(event, CTX))
    assert "Bypass &lt;script&gt; &amp; co via &lt;!channel&gt; &gt; 1" in shown
    assert "|GHSA-&lt;x&gt;&amp;y>" in shown
    assert "<!channel>" not in shown


def test_server_name_is_escaped_in_mrkdwn_but_not_in_the_plain_header():
    event = {**issue_event(1), "server": {"id": 12, "name": "db & <cache>"}}
    payload = render(event, CTX)
    assert payload["blocks"][0]["text"]["text"] == ":rotating_light: 1 new issue on db & <cache>"
    assert "*db &amp; &lt;cache&gt;*" in texts(payload)[1]
    assert payload["text"].startswith("db &amp; &lt;cache&gt;: 1 new issue")


def test_only_http_advisory_urls_become_links():
    [shown] = listed(render(issue_event(1, url="javascript:alert(1)"), CTX))
    assert "javascript" not in shown
    assert "\nGHSA-q7rv-6hp3-vh96 (CVE-2022-24775)" in shown


def test_long_names_and_summaries_are_cut_with_an_ellipsis():
    event = issue_event(1, summary="overflow " * 1_000)
    event["issues"][0]["software"]["name"] = "vendor/" + "x" * 5_000
    event["server"] = {"id": 12, "name": "host-" * 100}
    payload = render(event, CTX)
    assert limits.check(payload) == []
    assert payload["blocks"][0]["text"]["text"].endswith("…")
    [shown] = listed(payload)
    assert len(shown) < limits.MAX_SECTION_TEXT
    assert "x…*" in shown  # the package name, cut inside its bold marks
    assert shown.count("…") == 2  # and the summary


def test_a_missing_fix_says_so():
    event = issue_event(1)
    event["issues"][0]["fixed_in"] = None
    [shown] = listed(render(event, CTX))
    assert shown.endswith("\nNo fix yet")


@pytest.mark.parametrize("name", ["new_server_issues", "scan_finished", "scan_failed"])
def test_interactive_buttons_carry_the_server_id(name):
    found = {button["action_id"]: button for button in buttons(render(*load_case(name)))}
    assert found["patrol_scan_again"]["value"] == "12"
    assert found["patrol_show_issues"]["value"] == "12"
    assert found["patrol_open_server"]["url"] == "https://patrol.example.com/servers/12"


def test_a_trailing_slash_in_the_public_url_is_not_doubled():
    ctx = MessageContext(account_email="ops@example.com", public_url="https://patrol.example.com/")
    found = buttons(render(load_case("scan_started")[0], ctx))
    assert [button["url"] for button in found] == ["https://patrol.example.com/servers/12"]


def test_scan_started_without_public_url_has_no_buttons():
    payload = render(load_case("scan_started")[0], MessageContext(account_email="ops@example.com"))
    assert buttons(payload) == []


def test_a_failed_scan_shows_no_counts():
    payload = render(*load_case("scan_failed"))
    assert payload["blocks"][0]["text"]["text"] == ":x: Scan failed: web1.example.com"
    assert not any("fields" in block for block in payload["blocks"])


def test_unknown_identifier_is_refused():
    with pytest.raises(UnknownEvent):
        render({"identifier": "webhook.unheard_of"}, CTX)


def test_mrkdwn_escapes_the_three_control_characters_only():
    assert wording.mrkdwn('a & b < c > d "e" *f*') == 'a &amp; b &lt; c &gt; d "e" *f*'


def test_clipping_never_splits_an_entity():
    assert wording.mrkdwn("&" * 10, 12) == "&amp;&amp;…"


@given(st.text(), st.integers(min_value=1, max_value=300))
def test_clipped_mrkdwn_fits_and_keeps_a_prefix(text, limit):
    clipped = wording.mrkdwn(text, limit)
    assert len(clipped) <= limit
    shown = html.unescape(clipped.removesuffix(wording.ELLIPSIS))
    assert text.startswith(shown)


def upgrade_group(number: int, issue_ids: list[int], **more: object) -> dict:
    return {"package": f"pkg{number}", "location": None, "from": "1.0", "to": f"1.{number}",
            "fixes": len(issue_ids), "by_severity": {"critical": 1}, "issues": issue_ids, "unfixed": [], **more}


def upgrade_section(payload: dict) -> list[str]:
    (text,) = [text for text in texts(payload) if text.startswith("*What fixes them*")]
    return text.split("\n")[1:]


def test_upgrades_are_five_at_most_then_counted():
    event = issue_event(300)
    groups = [upgrade_group(n, [10_000 + n]) for n in range(8)]
    payload = render(event, MessageContext(account_email="ops@example.com", upgrades=groups))
    lines = upgrade_section(payload)
    assert lines[:5] == [f"Upgrade *pkg{n}* from `1.0` to `1.{n}`: fixes 1 (1 critical)" for n in range(5)]
    assert lines[5:] == ["…and 3 more upgrades"]
    assert limits.check(payload) == []


def test_only_the_upgrades_of_the_messages_own_issues_are_named():
    event, ctx = load_case("new_server_issues_triage")
    ctx = MessageContext(**{**ctx.__dict__, "upgrades": [upgrade_group(1, [1]), upgrade_group(2, [9052])]})
    assert upgrade_section(render(event, ctx)) == ["Upgrade *pkg2* from `1.0` to `1.2`: fixes 1 (1 critical)"]


def test_no_upgrade_for_the_messages_issues_no_section():
    event, ctx = load_case("new_server_issues_triage")
    payload = render(event, MessageContext(**{**ctx.__dict__, "upgrades": [upgrade_group(1, [1])]}))
    assert not [text for text in texts(payload) if "What fixes them" in text]


@pytest.mark.parametrize(("fraction", "words"), [
    (0.0, "EPSS 0th percentile"), (0.01, "EPSS 1st percentile"), (0.1299, "EPSS 12th percentile"),
    (0.113, "EPSS 11th percentile"), (0.223, "EPSS 22nd percentile"), (0.999, "EPSS 99th percentile"),
])
def test_epss_percentile_reads_as_an_ordinal(fraction, words):
    event = issue_event(1)
    event["issues"][0]["epss"] = {"score": 0.5, "percentile": fraction}
    (issue_text,) = listed(render(event, CTX))
    assert words in issue_text and "Known exploited" not in issue_text


def test_dismiss_buttons_name_the_server_and_issue_only_when_dismissable():
    event, ctx = load_case("new_server_issues_triage")
    values = [b["accessory"]["value"] for b in render(event, ctx)["blocks"] if "accessory" in b]
    assert values == ["12:9053", "12:9051", "12:9052", "12:9055", "12:9054"]
    plain = render(event, MessageContext(**{**ctx.__dict__, "dismissable": False}))
    assert not [b for b in plain["blocks"] if "accessory" in b]


def test_long_names_many_issues_upgrades_and_buttons_stay_within_limits():
    event = issue_event(300, id="GHSA-" + "x" * 400)
    for issue in event["issues"]:
        issue["software"]["name"] = "p" * 500
        issue.update(known_exploited=True, epss={"score": 1.0, "percentile": 1.0})
    groups = [upgrade_group(n, [10_000 + n], package="p" * 500, location="/" * 500, to="9" * 300) for n in range(50)]
    ctx = MessageContext(account_email="ops@example.com", upgrades=groups, dismissable=True,
                         public_url="https://patrol.example.com")
    payload = render(event, ctx)
    assert limits.check(payload) == []
    assert sum(1 for block in payload["blocks"] if "accessory" in block) == 10


def test_a_scan_of_a_server_without_software_gets_no_green_tick():
    event, ctx = load_case("scan_finished")
    event = {**event, "counts": {"issues": 0, "new": 0, "resolved": 0, "by_severity": {}, "software": 0}}

    payload = render(event, ctx)

    assert payload["blocks"][0]["text"]["text"] == ":warning: No software reported: web1.example.com"
    said = "\n".join(texts(payload))
    assert "the server reports no software" in said
    assert ":white_check_mark:" not in said and ":tada:" not in said and "no open issues" not in said
    assert payload["text"] == "web1.example.com: scan finished: no software reported"


def test_a_clean_scan_that_checked_software_keeps_its_tick():
    event, ctx = load_case("scan_finished")
    event = {**event, "counts": {"issues": 0, "new": 0, "resolved": 0, "by_severity": {}, "software": 12}}

    payload = render(event, ctx)

    assert payload["blocks"][0]["text"]["text"] == ":white_check_mark: Scan finished: web1.example.com"
    assert any("no open issues. :tada:" in text for text in texts(payload))


@pytest.mark.parametrize(("new", "returned", "header", "intro"), [
    (3, 0, "3 new issues", "The latest scan of *web1.example.com* found issues that were not there before:"),
    (0, 3, "3 returning issues", "Issues of *web1.example.com* that were set aside are back, because their "
                                 "dismissal expired or their advisory changed the versions it affects:"),
    (2, 1, "3 new or returning issues", "The latest scan of *web1.example.com* found issues that were not there "
                                        "before, and 1 set aside earlier is back, because their dismissal expired "
                                        "or their advisory changed the versions it affects:"),
])
def test_issues_that_come_back_from_a_dismissal_are_not_called_new(new, returned, header, intro):
    event = issue_event(3)
    event["counts"] = {**event["counts"], "new": new, "returned": returned}

    payload = render(event, CTX)

    assert texts(payload)[:2] == [f":rotating_light: {header} on web1.example.com", intro]
    assert payload["text"].startswith(f"web1.example.com: {header} (")


def test_a_clean_scan_of_an_old_software_list_says_stale_not_clean():
    event, ctx = load_case("scan_finished")
    event = {**event, "counts": {"issues": 0, "new": 0, "resolved": 0, "by_severity": {}, "software": 12,
                                 "stale_days": 1}}

    payload = render(event, ctx)

    assert payload["blocks"][0]["text"]["text"] == ":warning: Stale: last push 1 day ago: web1.example.com"
    said = "\n".join(texts(payload))
    assert "last pushed its software 1 day ago, so Patrol checked an old list" in said
    assert ":white_check_mark:" not in said and ":tada:" not in said
    assert payload["text"] == "web1.example.com: scan finished: 0 open, but the last push was 1 day ago"
