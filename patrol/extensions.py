"""Extensions: what each one plugs into the app, what it needs, and the order they load in.

An extension is a package outside the core that registers an `Extension`
under the `patrol.extensions` entry point group. The core never imports one:
it loads those that PATROL_EXTENSIONS chooses (every installed one by
default), each after the extensions it requires, and refuses a choice that
leaves a requirement out, before any of them touches the app.
"""
from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from graphlib import CycleError, TopologicalSorter
from importlib.metadata import entry_points

from flask import Flask

from patrol.config import ConfigError

GROUP = "patrol.extensions"
VARIABLE = "PATROL_EXTENSIONS"


class ExtensionError(ConfigError):
    """The chosen extensions cannot run together: one is unknown, or one needs another left out."""


@dataclass(frozen=True)
class Extension:
    """What an extension's entry point (of the same name) names: how to plug it in, and what must be
    plugged in first."""

    name: str
    init_app: Callable[[Flask], None]
    requires: tuple[str, ...] = ()


def choose(wanted: Collection[str] | None) -> list[Extension]:
    """The installed extensions `wanted` names (None: every one), in the order they must load."""
    installed = {entry.name: entry for entry in entry_points(group=GROUP)}
    names = sorted(installed) if wanted is None else list(dict.fromkeys(wanted))
    unknown = [name for name in names if name not in installed]
    if unknown:
        raise ExtensionError(f"{VARIABLE} names {', '.join(unknown)}, which is not an installed extension "
                             f"(installed: {', '.join(sorted(installed)) or 'none'}; `none` loads the core alone)")
    return in_load_order([installed[name].load() for name in names])


def in_load_order(chosen: Collection[Extension]) -> list[Extension]:
    """`chosen`, each after those it requires; an error if one requires an extension left out."""
    by_name = {extension.name: extension for extension in chosen}
    _refuse_missing_requirements(by_name)
    graph = {name: extension.requires for name, extension in sorted(by_name.items())}
    try:
        return [by_name[name] for name in TopologicalSorter(graph).static_order()]
    except CycleError as exc:
        raise ExtensionError(f"{VARIABLE}: extensions require each other in a circle: {' -> '.join(exc.args[1])}") \
            from exc


def _refuse_missing_requirements(by_name: dict[str, Extension]) -> None:
    broken = [f"{name} requires {', '.join(missing)}"
              for name, extension in sorted(by_name.items())
              if (missing := [need for need in extension.requires if need not in by_name])]
    if broken:
        raise ExtensionError(f"{VARIABLE}: {'; '.join(broken)}; add what is required or leave out what needs it "
                             f"(loading: {', '.join(sorted(by_name)) or 'none'})")
