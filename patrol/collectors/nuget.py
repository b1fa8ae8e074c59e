"""packages.lock.json: the NuGet packages `dotnet restore` locked.

The lock lists every package once per target framework; NuGet ids are
case-insensitive, so one release is kept once whatever its spelling.
"""

from patrol.collectors import decoding
from patrol.collectors.items import Item, make_item

# "Project" entries are the solution's own projects, not packages.
_PACKAGE_TYPES = {"Direct", "Transitive", "CentralTransitive"}


def parse(text: str, location: str) -> list[Item]:
    """Items for the locked packages of every target framework, each release once."""
    lock = decoding.load_json_object(text, location)
    frameworks = decoding.object_field(lock, "dependencies", location)
    seen: set[tuple[str, str | None]] = set()
    items = []
    for framework in frameworks:
        for name, entry in decoding.object_field(frameworks, framework, location).items():
            version = decoding.string_field(entry, "resolved")
            key = (name.lower(), version)
            if entry.get("type") in _PACKAGE_TYPES and key not in seen:
                seen.add(key)
                items.append(make_item(name, version, location=location, ecosystem="NuGet"))
    return items
