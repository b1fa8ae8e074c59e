"""manifest.yml against Slack's manifest JSON Schema, as it is and as `patrol slack manifest` prints it."""
from __future__ import annotations

import json

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from bot import cli, manifest as bot_manifest, oauth
from tests.support.data import SLACK_MANIFEST_SCHEMA

pytestmark = pytest.mark.extensions("bot")


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(SLACK_MANIFEST_SCHEMA.read_text())
    return jsonschema.Draft7Validator(schema)


@pytest.fixture(scope="module")
def manifest():
    return yaml.safe_load(bot_manifest.MANIFEST.read_text())


def test_the_manifest_validates(validator, manifest):
    assert list(validator.iter_errors(manifest)) == []


def test_the_schema_would_catch_a_mistake(validator, manifest):
    broken = json.loads(json.dumps(manifest))
    broken["features"]["slash_commands"][0]["usage"] = "a misspelt key"
    assert list(validator.iter_errors(broken))


def test_the_manifest_asks_for_what_the_app_uses_and_no_more(manifest):
    assert manifest["_metadata"]["major_version"] == 1
    assert manifest["oauth_config"]["scopes"] == {"bot": list(oauth.SCOPES)}
    (command,) = manifest["features"]["slash_commands"]
    assert command["command"] == "/patrol" and command["usage_hint"]
    assert manifest["features"]["bot_user"]["display_name"]
    assert manifest["settings"]["interactivity"]["is_enabled"] is True


def test_patrol_slack_manifest_fills_in_the_urls(validator):
    result = CliRunner().invoke(cli.slack, ["manifest", "--url", "https://patrol.acme.test/"])

    assert result.exit_code == 0, result.output
    printed = yaml.safe_load(result.output)
    assert list(validator.iter_errors(printed)) == []
    assert printed["features"]["slash_commands"][0]["url"] == "https://patrol.acme.test/slack/events"
    assert printed["settings"]["interactivity"]["request_url"] == "https://patrol.acme.test/slack/events"
    assert printed["oauth_config"]["redirect_urls"] == ["https://patrol.acme.test/slack/oauth_redirect"]
    assert printed["settings"]["event_subscriptions"]["request_url"] == "https://patrol.acme.test/slack/events"
    assert printed["features"]["unfurl_domains"] == ["patrol.acme.test"]


def test_the_manifest_subscribes_to_the_events_the_app_listens_for(manifest):
    events = manifest["settings"]["event_subscriptions"]["bot_events"]
    assert set(events) == {"app_home_opened", "link_shared", "app_uninstalled", "tokens_revoked"}
    assert {"chat:write", "links:read", "links:write"} <= set(manifest["oauth_config"]["scopes"]["bot"])
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True


def test_the_socket_mode_manifest_has_no_request_urls_and_validates(validator):
    result = CliRunner().invoke(cli.slack, ["manifest", "--url", "https://patrol.acme.test", "--socket-mode"])

    assert result.exit_code == 0, result.output
    printed = yaml.safe_load(result.output)
    assert list(validator.iter_errors(printed)) == []
    assert printed["settings"]["socket_mode_enabled"] is True
    assert "request_url" not in printed["settings"]["event_subscriptions"]
    assert "url" not in printed["features"]["slash_commands"][0]


def test_patrol_slack_manifest_refuses_an_address_slack_cannot_call():
    result = CliRunner().invoke(cli.slack, ["manifest", "--url", "patrol.acme.test"])

    assert result.exit_code == 2
    assert "is not an http(s) address" in result.output
