"""The layers hold: the core and the Slack kit import no extension, and an
extension imports no other extension than those it declares it requires
(`Extension.requires`), so that every subset the declarations allow can run.

CI also runs the same rules as import-linter contracts (pyproject.toml).
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp
import pytest

from patrol import extensions

ROOT = Path(__file__).resolve().parents[2]
BENEATH = ("patrol", "slackkit")  # the core, and the kit beside it
REQUIRES = {extension.name: extension.requires for extension in extensions.choose(None)}  # every installed one


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph(*BENEATH, *REQUIRES)


def extensions_imported_by(graph: grimp.ImportGraph, package: str) -> set[str]:
    return {other for other in REQUIRES
            if other != package and graph.direct_import_exists(importer=package, imported=other, as_packages=True)}


@pytest.mark.parametrize("package", BENEATH)
def test_the_core_and_the_kit_import_no_extension(graph, package):
    assert extensions_imported_by(graph, package) == set()


@pytest.mark.parametrize("name", sorted(REQUIRES))
def test_an_extension_imports_only_the_extensions_it_requires(graph, name):
    assert extensions_imported_by(graph, name) <= set(REQUIRES[name])


def test_the_check_sees_the_imports_there_are(graph):
    assert extensions_imported_by(graph, "web") == {"webhooks"}
    assert extensions_imported_by(graph, "bot") == {"webhooks"}


def test_the_import_contracts_that_ci_runs_are_kept():
    checked = subprocess.run([str(Path(sys.executable).with_name("lint-imports")), "--no-cache"],
                             cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "4 kept, 0 broken" in checked.stdout
