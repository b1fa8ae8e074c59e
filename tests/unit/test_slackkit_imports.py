"""The Slack kit stands beside the core: it imports `patrol` and third-party
packages, never an extension, so webhooks and the bot can each use it alone."""
from __future__ import annotations

import ast
from pathlib import Path

import slackkit

EXTENSIONS = {"webhooks", "bot", "web"}


def imported_tops(source: str) -> set[str]:
    """The top-level package of every absolute import in `source`."""
    tops = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            tops |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            tops.add(node.module.split(".")[0])
    return tops


def test_no_kit_module_imports_an_extension():
    modules = sorted(Path(slackkit.__file__).parent.glob("*.py"))
    assert len(modules) > 1
    offenders = {path.name: imported_tops(path.read_text()) & EXTENSIONS for path in modules}
    assert {name: found for name, found in offenders.items() if found} == {}


def test_the_check_would_catch_one():
    assert imported_tops("from webhooks.models import Webhook\nimport bot.app\n") == {"webhooks", "bot"}
    assert imported_tops("from slackkit import blocks\nfrom . import limits\n") == {"slackkit"}
