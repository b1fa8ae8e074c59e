"""Configuration: the only module that reads the environment.

Settings come in areas, one frozen dataclass each: `Core` here, and each
extension's beside its code (`webhooks.config.Webhooks`, `bot.config.Slack`,
`web.config.Web`). Every field declares the variable it is read from, its
reader, its default and the app.config key that overrides it
(`create_app({"SCAN_INTERVAL": 60})`). An area is read once per app and
read back through `of(app, Area)`; app.config keeps every value under its
key too, for Flask's own keys and for tests that change one on a built app
(the area is then read again). Every setting has a safe default so that
`patrol serve --demo` runs with nothing set. Names follow `docs/api.md`.
"""
from __future__ import annotations

import ipaddress
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any, TypeVar

from flask import Flask

from patrol.background import STOP_GRACE
from patrol.logformat import FORMATS as LOG_FORMATS

Reader = Callable[[str], Any]
Area = TypeVar("Area")
_SETTING = "patrol.setting"  # where a field's Setting is kept in its metadata
_READ = "patrol.settings"  # app.extensions: area -> (instance, the app.config values it was read from)
_DECLARED: dict[type, tuple[tuple[str, Setting], ...]] = {}  # settings_of's answers


class ConfigError(ValueError):
    """A setting in the environment that cannot be used; says which and why."""


@dataclass(frozen=True)
class Setting:
    variable: str  # the environment variable
    read: Reader  # turns its text into the value; ValueError says what is wrong
    default: Any  # when the variable is unset or blank
    key: str  # the app.config key that overrides it


def setting(variable: str, read: Reader, default: Any = None, *, key: str, secret: bool = False) -> Any:
    """Declare a field of a settings area; a `secret` one stays out of the area's repr (and so of logs)."""
    return declared(Setting(variable, read, default, key), secret=secret)


def declared(each: Setting, *, secret: bool = False) -> Any:
    """A field of a settings area for a Setting declared elsewhere."""
    return field(repr=not secret, metadata={_SETTING: each})


# Readers: each gets the variable's text as set (never blank); a secret keeps its spaces.

def text(raw: str) -> str:
    return raw


def url(raw: str) -> str:
    """A base URL, kept without its trailing slash."""
    return raw.rstrip("/")


def path(raw: str) -> str:
    """A folder, made absolute against the working directory at start."""
    return os.path.abspath(raw)


def integer(raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"must be a whole number, not {raw!r}") from None


def number(raw: str) -> float:
    try:
        return float(raw)
    except ValueError:
        raise ValueError(f"must be a number, not {raw!r}") from None


def limit(read: Callable[[str], float]) -> Reader:
    """A quota or rate read by `read`: 0 switches it off (only when set so), a negative number is an error."""

    def read_limit(raw: str) -> float:
        value = read(raw)
        if value < 0:
            raise ValueError(f"must be 0 (no limit) or more, not {value}")
        return value

    return read_limit


def listing(raw: str) -> tuple[str, ...]:
    """Comma-separated words."""
    return tuple(part.strip() for part in raw.split(",") if part.strip())


def networks(raw: str) -> tuple[str, ...]:
    """Comma-separated CIDRs."""
    cidrs = listing(raw)
    for cidr in cidrs:
        try:
            ipaddress.ip_network(cidr, strict=False)
        except ValueError:
            raise ValueError(f"has {cidr!r}, which is not a network such as 10.0.0.0/8") from None
    return cidrs


def extension_names(raw: str) -> tuple[str, ...] | None:
    """Comma-separated extension names: none given is every installed one, `none` the core alone."""
    names = tuple(name.lower() for name in listing(raw))
    if not names:
        return None
    return () if names == ("none",) else names


def seconds(raw: str) -> tuple[float, ...]:
    """Comma-separated delays, at least one."""
    try:
        values = tuple(float(part) for part in listing(raw))
    except ValueError:
        raise ValueError("must be comma-separated seconds, like 5,300,1800") from None
    if not values or any(v < 0 for v in values):
        raise ValueError("must list at least one delay of 0 seconds or more")
    return values


def choice(*options: str) -> Reader:
    """One of `options`, in any case."""

    def read_choice(raw: str) -> str:
        value = raw.strip().lower()
        if value not in options:
            raise ValueError(f"must be one of {', '.join(options)}, not {value!r}")
        return value

    return read_choice


def prefixed(prefix: str, what: str) -> Reader:
    """A token of the kind whose values start with `prefix` (`what` names it in the error)."""

    def read_prefixed(raw: str) -> str:
        if not raw.startswith(prefix):
            raise ValueError(f"must be {what}")
        return raw

    return read_prefixed


# Reading areas.

def read(area: type[Area], given: Mapping[str, Any] | None = None, env: Mapping[str, str] | None = None) -> Area:
    """`area` from `given` (keyed by override key) where it has a value, else from `env` (os.environ)."""
    given = {} if given is None else given
    env = os.environ if env is None else env
    return area(**{name: _value(each, given, env) for name, each in settings_of(area)})


def env_value(each: Setting) -> Any:
    """One setting from the environment alone (for a command that needs it before any app)."""
    return _value(each, {}, os.environ)


def load(app: Flask, area: type[Area]) -> Area:
    """Read `area` for `app` and keep it: keys app.config holds win over the environment
    (so the core's area is read in create_app, before Flask's own defaults are there)."""
    return install(app, read(area, app.config))


def install(app: Flask, made: Area) -> Area:
    """Keep `made` as `app`'s area, its values under their keys in app.config."""
    app.config.update({each.key: getattr(made, name) for name, each in settings_of(type(made))})
    app.extensions.setdefault(_READ, {})[type(made)] = (made, _seen(app, type(made)))
    return made


def of(app: Flask, area: type[Area]) -> Area:
    """`app`'s `area`: as read, or read again when app.config's values for it were changed since."""
    kept = app.extensions.get(_READ, {}).get(area)
    if kept is None or kept[1] != _seen(app, area):
        return load(app, area)
    return kept[0]


def settings_of(area: type) -> tuple[tuple[str, Setting], ...]:
    """(field name, Setting) of every field `area` declares (asked at every `of`, so kept)."""
    if area not in _DECLARED:
        _DECLARED[area] = tuple((each.name, each.metadata[_SETTING]) for each in fields(area))
    return _DECLARED[area]


def variable(area: type, name: str) -> str:
    """The environment variable behind `area`'s field `name`, for messages."""
    return dict(settings_of(area))[name].variable


def _value(each: Setting, given: Mapping[str, Any], env: Mapping[str, str]) -> Any:
    if each.key in given:
        return given[each.key]
    raw = env.get(each.variable, "")
    if not raw.strip():
        return each.default
    try:
        return each.read(raw)
    except ValueError as exc:
        raise ConfigError(f"{each.variable} {exc}") from exc


def _seen(app: Flask, area: type) -> tuple[Any, ...]:
    return tuple(app.config.get(each.key) for _, each in settings_of(area))


# The core's areas.

OSV_BUCKET_URL = "https://osv-vulnerabilities.storage.googleapis.com"
KEV_URL = "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json"
EPSS_URL = "https://epss.empiricalsecurity.com/epss_scores-current.csv.gz"


@dataclass(frozen=True)
class Core:
    """What the core needs: database, identity, scans, syncs, quotas, rates, logs and metrics."""

    database_url: str | None = setting("PATROL_DATABASE_URL", text, key="DATABASE_URL")
    instance_path: str | None = setting("PATROL_INSTANCE_PATH", path, key="INSTANCE_PATH")
    secret_key: str | None = setting("PATROL_SECRET_KEY", text, key="SECRET_KEY", secret=True)
    public_url: str | None = setting("PATROL_PUBLIC_URL", url, key="PUBLIC_URL")
    api_url: str | None = setting("PATROL_API_URL", text, key="API_URL")  # unset: PUBLIC_URL/api
    max_body_bytes: int = setting("PATROL_MAX_BODY_BYTES", integer, 5 * 1024 * 1024, key="MAX_CONTENT_LENGTH")
    scan_interval: int = setting("PATROL_SCAN_INTERVAL", integer, 86400, key="SCAN_INTERVAL")
    scan_workers: int = setting("PATROL_SCAN_WORKERS", integer, 2, key="SCAN_WORKERS")
    scheduler_tick: float = setting("PATROL_SCHEDULER_TICK", number, 30.0, key="SCHEDULER_TICK")
    scan_debounce: float = setting("PATROL_SCAN_DEBOUNCE", number, 5.0, key="SCAN_DEBOUNCE")
    stale_after: int = setting("PATROL_STALE_AFTER", integer, 3 * 86400, key="STALE_AFTER")
    advisory_url: str = setting("PATROL_ADVISORY_URL", url, OSV_BUCKET_URL, key="ADVISORY_SOURCE_URL")
    advisory_sync_interval: int = setting("PATROL_ADVISORY_SYNC_INTERVAL", integer, 3600,
                                          key="ADVISORY_SYNC_INTERVAL")
    advisory_ecosystems: Sequence[str] = setting("PATROL_ADVISORY_ECOSYSTEMS", listing, (),
                                                 key="ADVISORY_ECOSYSTEMS")
    advisory_timeout: float = setting("PATROL_ADVISORY_TIMEOUT", number, 60.0, key="ADVISORY_TIMEOUT")
    advisory_full_sync_above: int = setting("PATROL_ADVISORY_FULL_SYNC_ABOVE", integer, 2000,
                                            key="ADVISORY_FULL_SYNC_ABOVE")
    kev_url: str = setting("PATROL_KEV_URL", text, KEV_URL, key="KEV_URL")
    epss_url: str = setting("PATROL_EPSS_URL", text, EPSS_URL, key="EPSS_URL")
    trusted_proxies: int = setting("PATROL_TRUSTED_PROXIES", integer, 0, key="TRUSTED_PROXIES")
    max_servers: int = setting("PATROL_MAX_SERVERS", limit(integer), 1000, key="QUOTA_SERVERS")
    max_webhooks: int = setting("PATROL_MAX_WEBHOOKS", limit(integer), 100, key="QUOTA_WEBHOOKS")
    max_credentials: int = setting("PATROL_MAX_CREDENTIALS", limit(integer), 100, key="QUOTA_CREDENTIALS")
    max_buckets_per_server: int = setting("PATROL_MAX_BUCKETS_PER_SERVER", limit(integer), 100,
                                          key="QUOTA_BUCKETS_PER_SERVER")
    api_rate: float = setting("PATROL_API_RATE", limit(number), 20.0, key="API_RATE")
    api_burst: int = setting("PATROL_API_BURST", limit(integer), 100, key="API_BURST")
    log_format: str = setting("PATROL_LOG_FORMAT", choice(*LOG_FORMATS), LOG_FORMATS[0], key="LOG_FORMAT")
    metrics_host: str = setting("PATROL_METRICS_HOST", text, "127.0.0.1", key="METRICS_HOST")
    metrics_port: int = setting("PATROL_METRICS_PORT", integer, 0, key="METRICS_PORT")
    shutdown_grace: float = setting("PATROL_SHUTDOWN_GRACE", number, STOP_GRACE,
                                   key="SHUTDOWN_GRACE")
    # Unset: every installed extension (patrol.extensions chooses and orders them).
    extensions: Sequence[str] | None = setting("PATROL_EXTENSIONS", extension_names, key="EXTENSIONS")

    def __post_init__(self) -> None:
        if self.api_url is None and self.public_url:
            object.__setattr__(self, "api_url", self.public_url + "/api")


# Held by webhooks.config.Webhooks; declared here because `patrol serve --demo` widens it.
WEBHOOK_ALLOWED_NETWORKS = Setting("PATROL_WEBHOOK_ALLOWED_NETWORKS", networks, (), "WEBHOOK_ALLOWED_NETWORKS")


@dataclass(frozen=True)
class Collector:
    """What `patrol push` needs on a monitored server (no app: read with `read(Collector)`)."""

    url: str | None = setting("PATROL_URL", text, key="PATROL_URL")
    key: str | None = setting("PATROL_KEY", text, key="PATROL_KEY", secret=True)
    secret: str | None = setting("PATROL_SECRET", text, key="PATROL_SECRET", secret=True)
