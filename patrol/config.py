"""Configuration: the only module that reads the environment.

Every setting has a safe default so that `patrol serve --demo` runs with
nothing set. Names follow the contract (`docs/api.md`).
"""
from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from typing import Any

DEFAULT_RETRY_SCHEDULE = "5,300,1800,7200,18000,36000,36000"
OSV_BUCKET_URL = "https://osv-vulnerabilities.storage.googleapis.com"
KEV_URL = "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json"
EPSS_URL = "https://epss.empiricalsecurity.com/epss_scores-current.csv.gz"


class ConfigError(ValueError):
    """A setting in the environment that cannot be used; says which and why."""


def _number(env: Mapping[str, str], name: str, default: float, kind: type = float):  # noqa: ANN202
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return kind(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a {'whole ' if kind is int else ''}number, not {raw!r}") from exc


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    return _number(env, name, default, int)


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    return _number(env, name, default, float)


def _limit(env: Mapping[str, str], name: str, default: float, kind: type = int):  # noqa: ANN202
    """A quota or rate: 0 switches it off (only when set so), a negative number is an error."""
    value = _number(env, name, default, kind)
    if value < 0:
        raise ConfigError(f"{name} must be 0 (no limit) or more, not {value}")
    return value


def _list(env: Mapping[str, str], name: str, default: str = "") -> list[str]:
    return [part.strip() for part in env.get(name, default).split(",") if part.strip()]


def _networks(env: Mapping[str, str], name: str) -> list[str]:
    networks = _list(env, name)
    for cidr in networks:
        try:
            ipaddress.ip_network(cidr, strict=False)
        except ValueError as exc:
            raise ConfigError(f"{name}: {cidr!r} is not a network such as 10.0.0.0/8") from exc
    return networks


def _seconds_list(env: Mapping[str, str], name: str, default: str) -> list[float]:
    try:
        values = [float(part) for part in _list(env, name, default)]
    except ValueError as exc:
        raise ConfigError(f"{name} must be comma-separated seconds, like {default}") from exc
    if not values or any(v < 0 for v in values):
        raise ConfigError(f"{name} must list at least one delay of 0 seconds or more")
    return values


def _app_token(env: Mapping[str, str]) -> str | None:
    """SLACK_APP_TOKEN turns on Socket Mode; only an app-level token (xapp-...) can open it."""
    token = env.get("SLACK_APP_TOKEN") or None
    if token is not None and not token.startswith("xapp-"):
        raise ConfigError("SLACK_APP_TOKEN must be an app-level token (xapp-...) with connections:write")
    return token


def _choice(env: Mapping[str, str], name: str, choices: tuple[str, ...]) -> str:
    value = env.get(name, "").strip().lower() or choices[0]
    if value not in choices:
        raise ConfigError(f"{name} must be one of {', '.join(choices)}, not {value!r}")
    return value


def _extensions(env: Mapping[str, str]) -> list[str] | None:
    """PATROL_EXTENSIONS: unset or empty is every installed extension (None), `none` the core alone."""
    names = [name.lower() for name in _list(env, "PATROL_EXTENSIONS")]
    return [] if names == ["none"] else names or None


def from_env(env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Read every Patrol setting from `env` (the process environment by default)."""
    env = os.environ if env is None else env
    public_url = env.get("PATROL_PUBLIC_URL", "").rstrip("/") or None
    return {
        "DATABASE_URL": env.get("PATROL_DATABASE_URL") or None,
        "INSTANCE_PATH": os.path.abspath(env["PATROL_INSTANCE_PATH"]) if env.get("PATROL_INSTANCE_PATH") else None,
        "SECRET_KEY": env.get("PATROL_SECRET_KEY") or None,
        "PUBLIC_URL": public_url,
        "API_URL": env.get("PATROL_API_URL") or (public_url + "/api" if public_url else None),
        "MAX_CONTENT_LENGTH": _int(env, "PATROL_MAX_BODY_BYTES", 5 * 1024 * 1024),
        "SCAN_INTERVAL": _int(env, "PATROL_SCAN_INTERVAL", 86400),
        "SCAN_WORKERS": _int(env, "PATROL_SCAN_WORKERS", 2),
        "SCHEDULER_TICK": _float(env, "PATROL_SCHEDULER_TICK", 30.0),
        "ADVISORY_SOURCE_URL": env.get("PATROL_ADVISORY_URL", OSV_BUCKET_URL).rstrip("/"),
        "ADVISORY_SYNC_INTERVAL": _int(env, "PATROL_ADVISORY_SYNC_INTERVAL", 3600),
        "ADVISORY_ECOSYSTEMS": _list(env, "PATROL_ADVISORY_ECOSYSTEMS"),
        "ADVISORY_TIMEOUT": _float(env, "PATROL_ADVISORY_TIMEOUT", 60.0),
        "ADVISORY_FULL_SYNC_ABOVE": _int(env, "PATROL_ADVISORY_FULL_SYNC_ABOVE", 2000),
        "SCAN_DEBOUNCE": _float(env, "PATROL_SCAN_DEBOUNCE", 5.0),
        "KEV_URL": env.get("PATROL_KEV_URL") or KEV_URL,
        "EPSS_URL": env.get("PATROL_EPSS_URL") or EPSS_URL,
        "STALE_AFTER": _int(env, "PATROL_STALE_AFTER", 3 * 86400),
        "WEBHOOK_ALLOWED_NETWORKS": _networks(env, "PATROL_WEBHOOK_ALLOWED_NETWORKS"),
        "WEBHOOK_CONNECT_TIMEOUT": _float(env, "PATROL_WEBHOOK_CONNECT_TIMEOUT", 5.0),
        "WEBHOOK_TIMEOUT": _float(env, "PATROL_WEBHOOK_TIMEOUT", 15.0),
        "WEBHOOK_RETRY_SCHEDULE": _seconds_list(env, "PATROL_WEBHOOK_RETRY_SCHEDULE", DEFAULT_RETRY_SCHEDULE),
        "WEBHOOK_WORKERS": _int(env, "PATROL_WEBHOOK_WORKERS", 64),
        "WEBHOOK_CLAIM_BATCH": _int(env, "PATROL_WEBHOOK_CLAIM_BATCH", 200),
        "WEBHOOK_POLL_INTERVAL": _float(env, "PATROL_WEBHOOK_POLL_INTERVAL", 1.0),
        "WEBHOOK_MAX_SLOTS_PER_WEBHOOK": _int(env, "PATROL_WEBHOOK_MAX_SLOTS_PER_WEBHOOK", 2),
        "WEBHOOK_DISABLE_AFTER": _int(env, "PATROL_WEBHOOK_DISABLE_AFTER", 5 * 86400),
        "RETENTION_DAYS": _int(env, "PATROL_RETENTION_DAYS", 30),
        "TRUSTED_PROXIES": _int(env, "PATROL_TRUSTED_PROXIES", 0),
        "SESSION_IDLE_TIMEOUT": _int(env, "PATROL_SESSION_IDLE_TIMEOUT", 7 * 86400),
        "SESSION_MAX_AGE": _int(env, "PATROL_SESSION_MAX_AGE", 30 * 86400),
        "SLACK_SIGNING_SECRET": env.get("SLACK_SIGNING_SECRET") or None,
        "SLACK_BOT_TOKEN": env.get("SLACK_BOT_TOKEN") or None,
        "SLACK_APP_TOKEN": _app_token(env),
        "SLACK_CLIENT_ID": env.get("SLACK_CLIENT_ID") or None,
        "SLACK_CLIENT_SECRET": env.get("SLACK_CLIENT_SECRET") or None,
        "SLACK_API_URL": env.get("SLACK_API_URL", "https://slack.com/api/"),
        "SLACK_MIN_INTERVAL": _float(env, "PATROL_SLACK_MIN_INTERVAL", 1.0),
        "QUOTA_SERVERS": _limit(env, "PATROL_MAX_SERVERS", 1000),
        "QUOTA_WEBHOOKS": _limit(env, "PATROL_MAX_WEBHOOKS", 100),
        "QUOTA_CREDENTIALS": _limit(env, "PATROL_MAX_CREDENTIALS", 100),
        "QUOTA_BUCKETS_PER_SERVER": _limit(env, "PATROL_MAX_BUCKETS_PER_SERVER", 100),
        "API_RATE": _limit(env, "PATROL_API_RATE", 20.0, float),
        "API_BURST": _limit(env, "PATROL_API_BURST", 100),
        "LOG_FORMAT": _choice(env, "PATROL_LOG_FORMAT", ("text", "json")),
        "METRICS_HOST": env.get("PATROL_METRICS_HOST") or "127.0.0.1",
        "METRICS_PORT": _int(env, "PATROL_METRICS_PORT", 0),
        "EXTENSIONS": _extensions(env),
    }


def collector_from_env(env: Mapping[str, str] | None = None) -> dict[str, str | None]:
    """What `patrol push` needs on a monitored server."""
    env = os.environ if env is None else env
    return {
        "url": env.get("PATROL_URL"),
        "key": env.get("PATROL_KEY"),
        "secret": env.get("PATROL_SECRET"),
    }
