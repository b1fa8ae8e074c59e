"""Go modules: go.mod, go.sum, and the build info that `go version -m` prints.

Versions keep their `v` (`v0.9.0`), as Go writes them; the Go version order
drops it when comparing with advisories, which write `0.9.0`.
"""

import re

from patrol.collectors.errors import MalformedFile
from patrol.collectors.items import Item, Skip, Skips, make_item, unique

_COMMENT = re.compile(r"//.*$")
_BLOCK_START = re.compile(r"^(require|replace|exclude|retract|tool|ignore|godebug)\s*\($")
_HEADER = re.compile(r"^(\S[^\t]*): (\S.*)$")  # "/usr/bin/app: go1.21.4"
_RELEASED_GO = re.compile(r"^go(\d+\.\d+(?:\.\d+)?)$")


def parse_mod(text: str, location: str, skipped: Skips | None = None) -> list[Item]:
    """Items for go.mod's requirements, after its replace directives."""
    skipped = [] if skipped is None else skipped
    required: dict[str, str] = {}
    replaced: dict[str, list[str]] = {}
    for verb, words in _directives(text):
        if verb == "require" and len(words) >= 2:
            required[words[0]] = words[1]
        elif verb == "replace" and "=>" in words:
            arrow = words.index("=>")
            replaced[words[0]] = words[arrow + 1:]
    return unique(_module_items(required, replaced, location, skipped))


def parse_sum(text: str, location: str, skipped: Skips | None = None) -> list[Item]:  # noqa: ARG001 - the parsers' signature
    """Items for the modules whose code go.sum holds a hash of.

    Lines ending in `/go.mod` only record a module's requirements, read
    while resolving versions; that release's code is not in the build.
    """
    items = []
    for number, line in enumerate(text.splitlines(), start=1):
        words = line.split()
        if not words:
            continue
        if len(words) != 3:
            raise MalformedFile(f"{location}, line {number}: expected 'module version hash'")
        if not words[1].endswith("/go.mod"):
            items.append(make_item(words[0], words[1], location=location, ecosystem="Go"))
    return unique(items)


def parse_build_info(text: str, location: str, skipped: Skips | None = None) -> list[Item]:
    """Items for the modules (and Go release) of binaries in `go version -m` output.

    Each item is located at its binary's path; `=>` lines replace the `dep`
    line above them.
    """
    skipped = [] if skipped is None else skipped
    items: list[Item] = []
    binary = location
    for line in text.splitlines():
        header = _HEADER.match(line)
        if header:
            binary = header.group(1)
            items += _stdlib(header.group(2), binary, skipped)
            continue
        words = line.split()
        if words[:1] == ["dep"] and len(words) >= 3:
            items.append(make_item(words[1], words[2], location=binary, ecosystem="Go"))
        elif words[:1] == ["=>"] and items and len(words) >= 3:
            items[-1] = make_item(words[1], words[2], location=binary, ecosystem="Go")
        elif words[:1] == ["=>"] and items:
            skipped.append(Skip(binary, items.pop()["n"], f"replaced by the local folder {words[1]}"))
    return unique(items)


def _stdlib(go: str, binary: str, skipped: Skips) -> list[Item]:
    """Go's own vulnerabilities are advised under the module name "stdlib"."""
    released = _RELEASED_GO.match(go)
    if released is None:
        skipped.append(Skip(binary, f"the Go toolchain {go}", "not a released Go version"))
        return []
    version = released.group(1) + (".0" if released.group(1).count(".") == 1 else "")
    return [make_item("stdlib", f"v{version}", location=binary, ecosystem="Go")]


def _directives(text: str) -> list[tuple[str, list[str]]]:
    """(verb, words) for each directive, blocks `require ( ... )` unfolded."""
    found, block = [], None
    for raw in text.splitlines():
        line = _COMMENT.sub("", raw).strip()
        start = _BLOCK_START.match(line)
        if start:
            block = start.group(1)
        elif line == ")":
            block = None
        elif line:
            words = line.split()
            found.append((block, words) if block else (words[0], words[1:]))
    return found


def _module_items(required: dict[str, str], replaced: dict[str, list[str]], location: str,
                  skipped: Skips) -> list[Item]:
    items = []
    for module, version in required.items():
        target = replaced.get(module) or [module, version]
        if len(target) < 2:
            skipped.append(Skip(location, f"{module} {version}", f"replaced by the local folder {target[0]}"))
            continue
        items.append(make_item(target[0], target[1], location=location, ecosystem="Go"))
    return items
