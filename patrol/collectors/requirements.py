"""requirements.txt: the PyPI releases pinned with == or ===.

Only pins name a release; a range such as `flask>=3` says nothing about what
is installed, so it is left out rather than guessed.
"""

import re

from packaging.requirements import InvalidRequirement, Requirement

from patrol.collectors.items import Item
from patrol.collectors.pypi import pypi_item

# pip's comment rule: "#" at the start of a line or after whitespace.
_COMMENT = re.compile(r"(^|\s)#.*$")
# Options after a requirement on its line, such as --hash=sha256:...
_LINE_OPTIONS = re.compile(r"\s-{1,2}[A-Za-z].*$")


def parse(text: str, location: str) -> list[Item]:
    """Items for the pinned requirements of a requirements file."""
    items = []
    for line in _logical_lines(text):
        pin = _pin(line)
        if pin:
            items.append(pypi_item(*pin, location))
    return items


def _logical_lines(text: str) -> list[str]:
    """Lines as pip reads them: continuations joined, comments removed."""
    joined = text.replace("\r\n", "\n").replace("\\\n", " ")
    return [_COMMENT.sub("", line).strip() for line in joined.split("\n")]


def _pin(line: str) -> tuple[str, str] | None:
    """(name, version) of a pinned requirement line, else None."""
    if not line or line.startswith("-"):
        return None  # blank, or an option line such as -r base.txt
    # Environment markers follow ";" and are ignored: the pin is what matters.
    text = _LINE_OPTIONS.sub("", line.split(";", 1)[0])
    try:
        requirement = Requirement(text)
    except InvalidRequirement:
        return None  # a path or URL that pip installs but that names no release
    for spec in requirement.specifier:
        if spec.operator == "===" or (spec.operator == "==" and not spec.version.endswith(".*")):
            return requirement.name, spec.version
    return None
