"""Typed settings: each area read from the environment, overridden by key, frozen, validated by variable."""
import dataclasses

import pytest
from flask import Flask

from bot.config import Slack
from patrol import config
from patrol.config import ConfigError, Core, read
from web.config import Web
from webhooks.config import Webhooks


def test_defaults_are_safe_and_complete():
    core, webhooks = read(Core, env={}), read(Webhooks, env={})
    assert core.database_url is None and core.secret_key is None
    assert core.scan_interval == 86400
    assert list(webhooks.retry_schedule) == [5, 300, 1800, 7200, 18000, 36000, 36000]
    assert list(webhooks.allowed_networks) == []
    assert webhooks.slack_api_url == "https://slack.com/api/"
    assert read(Web, env={}).session_max_age == 30 * 86400


def test_the_instance_folder_is_flasks_unless_set_and_then_absolute(tmp_path, monkeypatch):
    assert read(Core, env={}).instance_path is None
    monkeypatch.chdir(tmp_path)
    assert read(Core, env={"PATROL_INSTANCE_PATH": "data"}).instance_path == str(tmp_path / "data")


def test_api_url_follows_public_url():
    core = read(Core, env={"PATROL_PUBLIC_URL": "https://patrol.example.com/"})
    assert core.public_url == "https://patrol.example.com"
    assert core.api_url == "https://patrol.example.com/api"
    assert read(Core, env={"PATROL_PUBLIC_URL": "https://a", "PATROL_API_URL": "http://b/api"}).api_url == "http://b/api"


@pytest.mark.parametrize(
    ("area", "name", "value", "says"),
    [
        (Core, "PATROL_SCAN_INTERVAL", "daily", "whole number"),
        (Core, "PATROL_SCHEDULER_TICK", "often", "must be a number"),
        (Webhooks, "PATROL_WEBHOOK_TIMEOUT", "soon", "number"),
        (Webhooks, "PATROL_WEBHOOK_ALLOWED_NETWORKS", "10.0.0.0/8,intranet", "'intranet'"),
        (Webhooks, "PATROL_WEBHOOK_RETRY_SCHEDULE", "5,later", "comma-separated"),
        (Webhooks, "PATROL_WEBHOOK_RETRY_SCHEDULE", "5,-1", "0 seconds or more"),
        (Slack, "SLACK_APP_TOKEN", "xoxb-a-bot-token", "app-level token"),
        (Web, "PATROL_SESSION_MAX_AGE", "1.5", "whole number"),
    ],
)
def test_bad_values_name_the_variable(area, name, value, says):
    with pytest.raises(ConfigError) as caught:
        read(area, env={name: value})
    assert name in str(caught.value) and says in str(caught.value)


def test_an_app_level_token_turns_on_socket_mode():
    assert read(Slack, env={"SLACK_APP_TOKEN": "xapp-1-A0-1-abc"}).app_token == "xapp-1-A0-1-abc"
    assert read(Slack, env={}).app_token is None


def test_quotas_and_rates_are_finite_by_default_and_zero_only_when_set():
    core = read(Core, env={})
    limits = ("max_servers", "max_webhooks", "max_credentials", "max_buckets_per_server", "api_rate", "api_burst")
    assert all(getattr(core, name) > 0 for name in limits)
    chosen = read(Core, env={"PATROL_MAX_WEBHOOKS": "0", "PATROL_API_RATE": "0.5"})
    assert chosen.max_webhooks == 0 and chosen.api_rate == 0.5
    with pytest.raises(ConfigError, match="PATROL_MAX_SERVERS must be 0"):
        read(Core, env={"PATROL_MAX_SERVERS": "-1"})


def test_log_format_is_text_unless_json_is_asked_for():
    assert read(Core, env={}).log_format == "text"
    assert read(Core, env={"PATROL_LOG_FORMAT": "JSON"}).log_format == "json"
    with pytest.raises(ConfigError, match="PATROL_LOG_FORMAT must be one of text, json"):
        read(Core, env={"PATROL_LOG_FORMAT": "xml"})


@pytest.mark.parametrize(
    ("reader", "raw", "value"),
    [
        (config.text, "as it is", "as it is"),
        (config.url, "https://patrol.example.com//", "https://patrol.example.com"),
        (config.integer, "42", 42),
        (config.number, "2.5", 2.5),
        (config.limit(config.integer), "0", 0),
        (config.limit(config.number), "0.25", 0.25),
        (config.listing, " npm, PyPI ,,", ("npm", "PyPI")),
        (config.networks, "10.0.0.0/8, ::1/128", ("10.0.0.0/8", "::1/128")),
        (config.seconds, "0, 1.5", (0.0, 1.5)),
        (config.choice("text", "json"), "Json", "json"),
        (config.prefixed("xapp-", "an app token"), "xapp-1", "xapp-1"),
    ],
)
def test_each_reader_turns_text_into_its_value(reader, raw, value):
    assert reader(raw) == value


@pytest.mark.parametrize(
    ("reader", "raw", "says"),
    [
        (config.integer, "1.5", "must be a whole number, not '1.5'"),
        (config.number, "soon", "must be a number, not 'soon'"),
        (config.limit(config.integer), "-1", "must be 0 (no limit) or more, not -1"),
        (config.networks, "10.0.0.0/33", "'10.0.0.0/33'"),
        (config.seconds, ",", "at least one delay"),
        (config.choice("text", "json"), "xml", "must be one of text, json, not 'xml'"),
        (config.prefixed("xapp-", "an app token"), "xoxb-1", "must be an app token"),
    ],
)
def test_each_reader_says_what_is_wrong(reader, raw, says):
    with pytest.raises(ValueError, match=says.replace("(", r"\(").replace(")", r"\)")):
        reader(raw)


def test_a_blank_variable_is_an_unset_one():
    assert read(Core, env={"PATROL_SCAN_INTERVAL": "  ", "PATROL_LOG_FORMAT": ""}) == read(Core, env={})


def test_an_override_key_wins_over_the_environment_and_is_taken_as_given():
    env = {"PATROL_WEBHOOK_TIMEOUT": "30", "PATROL_WEBHOOK_RETRY_SCHEDULE": "not read"}
    webhooks = read(Webhooks, {"WEBHOOK_RETRY_SCHEDULE": [0.2, 0.4], "WEBHOOK_TIMEOUT": 3.0}, env)
    assert webhooks.retry_schedule == [0.2, 0.4] and webhooks.timeout == 3.0
    assert read(Webhooks, {"WEBHOOK_RETRY_SCHEDULE": [1.0]}, env).timeout == 30.0


def test_areas_are_frozen():
    core = read(Core, env={})
    with pytest.raises(dataclasses.FrozenInstanceError):
        core.scan_interval = 1  # type: ignore[misc]


def test_secrets_stay_out_of_an_areas_repr():
    core = read(Core, env={"PATROL_SECRET_KEY": "k3y-never-shown"})
    slack = read(Slack, env={"SLACK_BOT_TOKEN": "xoxb-never-shown", "SLACK_CLIENT_ID": "client-shown"})
    assert "k3y-never-shown" not in repr(core) and "xoxb-never-shown" not in repr(slack)
    assert "client-shown" in repr(slack)


def test_an_area_is_read_once_per_app_and_again_when_its_keys_change(monkeypatch):
    app = Flask(__name__)
    app.config.update(STALE_AFTER=60)
    monkeypatch.setenv("PATROL_SCAN_INTERVAL", "120")
    first = config.load(app, Core)
    assert (first.stale_after, first.scan_interval) == (60, 120)
    assert app.config["SCAN_INTERVAL"] == 120  # the flat view stays complete
    assert config.of(app, Core) is first
    app.config["STALE_AFTER"] = 5
    assert config.of(app, Core).stale_after == 5


def test_an_area_not_loaded_yet_is_loaded_when_first_asked_for():
    app = Flask(__name__)
    app.config["WEBHOOK_WORKERS"] = 3
    assert config.of(app, Webhooks).workers == 3


def test_the_address_policy_is_built_once_per_area():
    webhooks = read(Webhooks, {"WEBHOOK_ALLOWED_NETWORKS": ["127.0.0.0/8"]}, {})
    assert webhooks.address_policy is webhooks.address_policy
    assert webhooks.address_policy.check_ip("127.0.0.1")


def test_an_apps_variable_is_named_for_messages():
    assert config.variable(Core, "max_webhooks") == "PATROL_MAX_WEBHOOKS"


def test_text_is_taken_as_set_and_numbers_and_choices_despite_spaces():
    core = read(Core, env={"PATROL_SECRET_KEY": " spaced ", "PATROL_SCAN_WORKERS": " 3 ", "PATROL_LOG_FORMAT": " json "})
    assert (core.secret_key, core.scan_workers, core.log_format) == (" spaced ", 3, "json")
