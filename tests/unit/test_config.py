import pytest

from patrol.config import ConfigError, from_env


def test_defaults_are_safe_and_complete():
    config = from_env({})
    assert config["DATABASE_URL"] is None and config["SECRET_KEY"] is None
    assert config["SCAN_INTERVAL"] == 86400
    assert config["WEBHOOK_RETRY_SCHEDULE"] == [5, 300, 1800, 7200, 18000, 36000, 36000]
    assert config["WEBHOOK_ALLOWED_NETWORKS"] == []
    assert config["SLACK_API_URL"] == "https://slack.com/api/"


def test_the_instance_folder_is_flasks_unless_set_and_then_absolute(tmp_path, monkeypatch):
    assert from_env({})["INSTANCE_PATH"] is None
    monkeypatch.chdir(tmp_path)
    assert from_env({"PATROL_INSTANCE_PATH": "data"})["INSTANCE_PATH"] == str(tmp_path / "data")


def test_api_url_follows_public_url():
    config = from_env({"PATROL_PUBLIC_URL": "https://patrol.example.com/"})
    assert config["PUBLIC_URL"] == "https://patrol.example.com"
    assert config["API_URL"] == "https://patrol.example.com/api"
    assert from_env({"PATROL_PUBLIC_URL": "https://a", "PATROL_API_URL": "http://b/api"})["API_URL"] == "http://b/api"


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("PATROL_SCAN_INTERVAL", "daily", "whole number"),
        ("PATROL_WEBHOOK_TIMEOUT", "soon", "number"),
        ("PATROL_WEBHOOK_ALLOWED_NETWORKS", "10.0.0.0/8,intranet", "'intranet'"),
        ("PATROL_WEBHOOK_RETRY_SCHEDULE", "5,later", "comma-separated"),
        ("PATROL_WEBHOOK_RETRY_SCHEDULE", "5,-1", "0 seconds or more"),
        ("SLACK_APP_TOKEN", "xoxb-a-bot-token", "app-level token"),
    ],
)
def test_bad_values_name_the_variable(name, value, says):
    with pytest.raises(ConfigError) as caught:
        from_env({name: value})
    assert name in str(caught.value) and says in str(caught.value)


def test_an_app_level_token_turns_on_socket_mode():
    assert from_env({"SLACK_APP_TOKEN": "xapp-1-A0-1-abc"})["SLACK_APP_TOKEN"] == "xapp-1-A0-1-abc"
    assert from_env({})["SLACK_APP_TOKEN"] is None


def test_quotas_and_rates_are_finite_by_default_and_zero_only_when_set():
    config = from_env({})
    limits = ("QUOTA_SERVERS", "QUOTA_WEBHOOKS", "QUOTA_CREDENTIALS", "QUOTA_BUCKETS_PER_SERVER", "API_RATE", "API_BURST")
    assert all(config[name] > 0 for name in limits)
    assert from_env({"PATROL_MAX_WEBHOOKS": "0", "PATROL_API_RATE": "0.5"})["QUOTA_WEBHOOKS"] == 0
    with pytest.raises(ConfigError, match="PATROL_MAX_SERVERS must be 0"):
        from_env({"PATROL_MAX_SERVERS": "-1"})


def test_log_format_is_text_unless_json_is_asked_for():
    assert from_env({})["LOG_FORMAT"] == "text"
    assert from_env({"PATROL_LOG_FORMAT": "JSON"})["LOG_FORMAT"] == "json"
    with pytest.raises(ConfigError, match="PATROL_LOG_FORMAT must be one of text, json"):
        from_env({"PATROL_LOG_FORMAT": "xml"})
