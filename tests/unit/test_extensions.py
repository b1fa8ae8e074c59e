"""Choosing extensions: PATROL_EXTENSIONS read, requirements checked, the load order."""
from __future__ import annotations

import pytest

from patrol import config
from patrol.extensions import Extension, ExtensionError, choose, in_load_order


def plugged(name: str, *requires: str) -> Extension:
    return Extension(name, lambda app: None, requires)


@pytest.mark.parametrize(("value", "wanted"), [
    (None, None), ("", None), (" , ", None), ("none", []), ("None", []),
    ("webhooks", ["webhooks"]), (" Web, webhooks ,", ["web", "webhooks"]),
])
def test_patrol_extensions_is_read_as_every_installed_none_or_a_list(value, wanted):
    env = {} if value is None else {"PATROL_EXTENSIONS": value}
    chosen = config.read(config.Core, {}, env).extensions
    assert (None if chosen is None else list(chosen)) == wanted


def test_requirements_load_first_whatever_order_they_are_named_in():
    chosen = [plugged("reports", "web", "webhooks"), plugged("web", "webhooks"), plugged("webhooks")]
    assert [extension.name for extension in in_load_order(chosen)] == ["webhooks", "web", "reports"]


def test_every_missing_requirement_is_named_in_one_error():
    with pytest.raises(ExtensionError) as refused:
        in_load_order([plugged("web", "webhooks"), plugged("reports", "web", "mail")])
    assert str(refused.value) == ("PATROL_EXTENSIONS: reports requires mail; web requires webhooks; add what is "
                                  "required or leave out what needs it (loading: reports, web)")


def test_extensions_that_require_each_other_are_refused():
    with pytest.raises(ExtensionError, match="require each other in a circle: "):
        in_load_order([plugged("a", "b"), plugged("b", "a")])


def test_the_installed_extensions_declare_that_web_and_bot_need_webhooks():
    declared = {extension.name: extension.requires for extension in choose(None)}
    assert declared == {"webhooks": (), "web": ("webhooks",), "bot": ("webhooks",)}
    assert choose([]) == []


def test_an_extension_error_is_a_configuration_error():
    """So the CLI shows it as it shows every bad setting: one line, exit code 2."""
    assert issubclass(ExtensionError, config.ConfigError)
