"""The bot's Block Kit answers: order, cuts, escaping and Slack's limits."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.answers import notes, payload
from bot.answers.detail import NEWEST, server_detail
from bot.answers.issues import MAX_LISTED as MAX_ISSUES, issue_list
from bot.answers.listing import MAX_LISTED as MAX_SERVERS, status_list
from slackkit import limits

pytestmark = pytest.mark.extensions("bot")

SEVERITIES = ("critical", "high", "medium", "low", "unknown")


def server(server_id, name, scanning=False, last=None):
    return {"id": server_id, "name": name, "scanning": scanning, "issue_count": 0, "last_scan": last}


def issue(number, severity="high", seen="2026-01-01T10:00:00Z", name="pkg"):
    return {"id": number, "server_id": 1,
            "software": {"name": f"{name}{number}", "version": "1.0", "location": None},
            "advisory": {"id": f"GHSA-{number:04d}", "aliases": [], "summary": "A flaw", "severity": severity,
                         "url": f"https://github.com/advisories/GHSA-{number:04d}"},
            "fixed_in": "1.1", "first_seen_at": seen}


def all_text(body):
    return "\n".join(str(block) for block in body["blocks"])


def test_status_puts_the_worst_server_first():
    body = payload(status_list([
        (server(1, "lows.example.com"), {"low": 9}),
        (server(2, "clean.example.com"), {}),
        (server(3, "critical.example.com"), {"critical": 1}),
        (server(4, "highs.example.com"), {"high": 5, "medium": 1}),
    ]))

    lines = body["blocks"][1]["text"]["text"].splitlines()
    assert [line.split("*")[1] for line in lines] == [
        "critical.example.com", "highs.example.com", "lows.example.com", "clean.example.com"]
    assert "5 high, 1 medium" in lines[1]
    assert body["text"] == "4 servers, 16 open issues."


def test_status_cuts_a_long_list_and_counts_the_rest():
    servers = [(server(n, f"web{n}.example.com"), {"low": n}) for n in range(1, MAX_SERVERS + 11)]

    body = payload(status_list(servers))

    listed = sum(len(block["text"]["text"].splitlines()) for block in body["blocks"] if block["type"] == "section")
    assert listed == MAX_SERVERS
    assert "…and 10 more servers, lower in risk." in all_text(body)


def test_no_servers_says_how_to_add_one():
    assert payload(status_list([]))["text"].startswith("You have no servers in Patrol yet.")


def test_server_detail_shows_the_newest_issues_first():
    issues = [issue(n, seen=f"2026-01-{n:02d}T00:00:00Z") for n in range(1, 9)]

    body = payload(server_detail(server(1, "web1"), issues, [], None))

    listed = [block for block in body["blocks"] if block["type"] == "section"][-1]["text"]["text"]
    assert [line.split("GHSA-")[1][:4] for line in listed.splitlines()] == ["0008", "0007", "0006", "0005", "0004"]
    assert f"…and {8 - NEWEST} more issues" in all_text(body)


def test_issue_list_filters_by_minimum_severity_worst_first():
    issues = [issue(1, "low"), issue(2, "high"), issue(3, "critical"), issue(4, "medium")]

    body = payload(issue_list(server(1, "web1"), issues, [], "medium", None))

    text = body["blocks"][1]["text"]["text"]
    assert [line.split("GHSA-")[1][:4] for line in text.splitlines()] == ["0003", "0002", "0004"]
    assert body["text"] == "web1: 3 open issues (1 critical, 1 high, 1 medium)"


def test_issue_list_cuts_and_links_the_rest_when_patrol_has_an_address():
    issues = [issue(n) for n in range(1, MAX_ISSUES + 6)]

    body = payload(issue_list(server(7, "web1"), issues, [], None, "https://patrol.example.com"))

    assert "…and 5 more issues: <https://patrol.example.com/servers/7|see them all in Patrol>." in all_text(body)


def test_words_echoed_back_cannot_mention_the_channel():
    body = payload(notes.problem("unknown_word", word="<!channel>", with_help=True))

    assert "<!channel>" not in str(body)
    assert "&lt;!channel&gt;" in body["text"]


names = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=253)
counts = st.dictionaries(st.sampled_from(SEVERITIES), st.integers(0, 10_000), max_size=5)
summaries = st.text(st.characters(blacklist_categories=("Cs",)), max_size=2_000)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(names, counts), max_size=120))
def test_any_status_list_is_within_slacks_limits(entries):
    body = payload(status_list([(server(n, name), found) for n, (name, found) in enumerate(entries, 1)]))
    assert limits.check(body) == []


@settings(max_examples=40, deadline=None)
@given(names, st.lists(st.tuples(st.sampled_from(SEVERITIES), summaries, names), max_size=80))
def test_any_issue_answer_is_within_slacks_limits(name, found):
    issues = [issue(n, severity) | {"advisory": issue(n, severity)["advisory"] | {"summary": summary},
                                     "software": {"name": package, "version": package}}
              for n, (severity, summary, package) in enumerate(found, 1)]
    groups = [{"package": package, "location": summary, "from": package, "to": package if n % 2 else None,
               "fixes": 1, "by_severity": {severity: 1}, "issues": [n], "unfixed": [] if n % 2 else [n]}
              for n, (severity, summary, package) in enumerate(found, 1)]
    for message in (issue_list(server(1, name), issues, groups, None, "https://p.example.com"),
                    server_detail(server(1, name, last={"status": "failed", "trigger": "slack",
                                                        "started_at": None, "finished_at": None}),
                                  issues, groups, None)):
        assert limits.check(payload(message)) == []


def unsure(server_id, name, state, **more):
    """A server object whose verdict is not green, as the API gives it."""
    return {**server(server_id, name), "state": state, "software_count": 0 if state == "empty" else 3, **more}


def test_status_never_paints_an_empty_stale_or_unscanned_server_green():
    nine_days_ago = (datetime.now(timezone.utc) - timedelta(days=9, hours=2)).isoformat()
    body = payload(status_list([
        (unsure(1, "empty.example.com", "empty"), {}),
        (unsure(2, "stale.example.com", "stale", last_push_at=nine_days_ago), {"medium": 2}),
        (unsure(3, "new.example.com", "never_scanned"), {}),
        ({**server(4, "clean.example.com"), "state": "ok"}, {}),
    ]))

    lines = body["blocks"][1]["text"]["text"].splitlines()
    assert lines == [  # the API's risk order: stale first, then no verdict, then green
        ":large_yellow_circle: *stale.example.com* · Stale: last push 9 days ago · 2 medium · never scanned",
        ":warning: *empty.example.com* · No software reported · never scanned",
        ":grey_question: *new.example.com* · Never scanned",
        ":white_check_mark: *clean.example.com* · no open issues · never scanned",
    ]


@pytest.mark.parametrize(("state", "verdict"), [("empty", "No software reported"), ("never_scanned", "Never scanned"),
                                                ("stale", "Stale: no push recorded")])
def test_server_detail_says_why_there_is_no_verdict_instead_of_celebrating(state, verdict):
    body = payload(server_detail(unsure(1, "web1", state), [], [], None))

    text = all_text(body)
    assert f":warning: {verdict}." in text
    assert "No open issues" not in text and ":tada:" not in text


def test_server_detail_dates_the_advisories_its_verdict_rests_on():
    synced = {**server(1, "web1"), "state": "ok", "software_count": 4, "advisories_as_of": "2026-11-02T08:00:00+00:00"}
    unsynced = {**synced, "advisories_as_of": None}

    dated = payload(server_detail(synced, [], [], None))["blocks"][2]
    undated = payload(server_detail(unsynced, [], [], None))["blocks"][2]

    assert dated["type"] == "context"
    assert dated["elements"][0]["text"] == (
        f"Advisories as of <!date^{int(datetime(2026, 11, 2, 8, tzinfo=timezone.utc).timestamp())}"
        "^{date_short_pretty} at {time}|2026-11-02T08:00:00+00:00>")
    assert undated["elements"][0]["text"] == "Advisories not synced by Patrol"


def test_no_issues_is_good_news_only_for_a_server_in_the_ok_state():
    clean = {**server(1, "web1"), "state": "ok", "software_count": 3}
    stale = unsure(1, "web1", "stale", last_push_at=(datetime.now(timezone.utc) - timedelta(days=4)).isoformat())

    assert payload(issue_list(clean, [], [], None, None))["text"] == "*web1* has no open issues. :tada:"
    assert payload(issue_list(stale, [], [], "high", None))["text"] == (
        ":warning: *web1*: Stale: last push 4 days ago, so no open issues is no all-clear.")


def test_server_detail_counts_dismissed_issues_apart():
    shown = {**server(1, "web1"), "state": "vulnerable", "software_count": 4, "dismissed_issue_count": 2}

    state = payload(server_detail(shown, [issue(1)], [], None))["blocks"][1]["text"]["text"]

    assert state.endswith("1 open issue. 2 dismissed, counted apart.")
