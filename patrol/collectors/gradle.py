"""gradle.lockfile: the Maven artifacts Gradle's dependency locking pinned.

Lines are `group:artifact:version=configuration,...`; `empty=...` and
comments name no artifact.
"""

from patrol.collectors.errors import MalformedFile
from patrol.collectors.items import Item, make_item, unique


def parse(text: str, location: str) -> list[Item]:
    """Items for every locked artifact, named `group:artifact`."""
    items = []
    for number, line in enumerate(text.splitlines(), start=1):
        coordinates = line.strip().partition("=")[0]
        if not coordinates or line.startswith("#") or coordinates == "empty":
            continue
        parts = coordinates.split(":")
        if len(parts) != 3:
            raise MalformedFile(f"{location}, line {number}: expected group:artifact:version")
        items.append(make_item(f"{parts[0]}:{parts[1]}", parts[2], location=location, ecosystem="Maven"))
    return unique(items)
