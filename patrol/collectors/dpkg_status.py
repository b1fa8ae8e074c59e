"""dpkg's status file (/var/lib/dpkg/status): installed Debian and Ubuntu packages.

Each package is a stanza of `Field: value` lines. Advisories name source
packages, so items carry the `Source:` field, which may add the source's own
version in parentheses when it differs from the binary's.
"""

import re

from patrol.collectors import os_release
from patrol.collectors.dpkg import package_item
from patrol.collectors.errors import MalformedFile
from patrol.collectors.items import Item, unique

_FIELD = re.compile(r"^([A-Za-z0-9-]+):[ \t]*(.*)$")
_SOURCE = re.compile(r"^(\S+)(?:\s+\((\S+)\))?$")


def parse(text: str, os_release_text: str = "", *, origin: str = "dpkg status") -> list[Item]:
    """Items for the installed packages of a dpkg status file.

    Stanzas whose status is not "installed" (removed packages whose
    configuration files remain, half-installed ones) are left out: nothing
    of them runs.
    """
    ecosystem = os_release.ecosystem(os_release_text, "dpkg")
    items = (_item(fields, ecosystem) for fields in stanzas(text, origin))
    return unique(item for item in items if item)


def stanzas(text: str, origin: str) -> list[dict[str, str]]:
    """The stanzas' fields; continuation lines (a leading space) are not needed."""
    found: list[dict[str, str]] = []
    current: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            current = {}
        elif not line[0].isspace():
            field = _FIELD.match(line)
            if field is None:
                raise MalformedFile(f"{origin}, line {number}: not a 'Field: value' line")
            if not current:
                found.append(current)
            current[field.group(1)] = field.group(2).strip()
    return found


def _item(fields: dict[str, str], ecosystem: str) -> Item | None:
    name, version = fields.get("Package"), fields.get("Version")
    if not name or fields.get("Status", "").split()[-1:] != ["installed"]:
        return None
    source = _SOURCE.match(fields.get("Source", ""))
    source_name, source_version = source.groups() if source else (None, None)
    return package_item(name, version, source_name, source_version, ecosystem)
