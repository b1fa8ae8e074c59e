"""requirements.txt: the PyPI releases pinned with == or ===.

Only pins name a release; a range such as `flask>=3` says nothing about what
is installed, so it is reported as skipped rather than guessed. `-r other.txt`
includes are read too, relative to the including file.
"""

import re
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement

from patrol.collectors import reading
from patrol.collectors.errors import UnreadableFile
from patrol.collectors.items import Item, Skip, Skips
from patrol.collectors.pypi import pypi_item

# pip's comment rule: "#" at the start of a line or after whitespace.
_COMMENT = re.compile(r"(^|\s)#.*$")
# Options after a requirement on its line, such as --hash=sha256:...
_LINE_OPTIONS = re.compile(r"\s-{1,2}[A-Za-z].*$")
_INCLUDE = re.compile(r"^(?:-r|--requirement)(?:\s+|=)(\S+)$")
_EDITABLE = re.compile(r"^(?:-e|--editable)(?:\s+|=)(\S+)$")


def parse(text: str, location: str, skipped: Skips | None = None,
          _seen: frozenset[str] = frozenset()) -> list[Item]:
    """Items for the pinned requirements of a requirements file and its includes."""
    skipped = [] if skipped is None else skipped
    items = []
    for line in _logical_lines(text):
        include = _INCLUDE.match(line)
        if include:
            items += _included(Path(location).parent / include.group(1), location, skipped,
                               _seen | {location})
        elif line and not line.startswith("-"):
            items += _pinned(line, location, skipped)
        elif _EDITABLE.match(line) and "://" in line:
            skipped.append(Skip(location, line, "an editable install from a repository, not a PyPI release"))
    return items


def _included(path: Path, location: str, skipped: Skips, seen: frozenset[str]) -> list[Item]:
    if str(path) in seen:
        return []  # files that include each other: each is read once
    try:
        text = reading.read_text(path)
    except UnreadableFile as exc:
        skipped.append(Skip(location, f"-r {path.name}", f"the included file cannot be read ({exc})"))
        return []
    return parse(text, str(path), skipped, seen)


def _logical_lines(text: str) -> list[str]:
    """Lines as pip reads them: continuations joined, comments removed."""
    joined = text.replace("\r\n", "\n").replace("\\\n", " ")
    return [_COMMENT.sub("", line).strip() for line in joined.split("\n")]


def _pinned(line: str, location: str, skipped: Skips) -> list[Item]:
    """The item of a pinned requirement line; other lines are reported as skipped."""
    # Environment markers follow ";" and are ignored: the pin is what matters.
    text = _LINE_OPTIONS.sub("", line.split(";", 1)[0])
    try:
        requirement = Requirement(text)
    except InvalidRequirement:
        skipped.append(Skip(location, line, "a path or URL, not a PyPI release"))
        return []
    for spec in requirement.specifier:
        if spec.operator == "===" or (spec.operator == "==" and not spec.version.endswith(".*")):
            return [pypi_item(requirement.name, spec.version, location)]
    skipped.append(Skip(location, text.strip(), "not pinned to one version (== or a lock file)"))
    return []
