"""Maven: pom.xml dependencies with explicit versions, and `mvn dependency:list` output.

Package names are `groupId:artifactId`, as Maven advisories write them.
"""

import re
import xml.etree.ElementTree as ET

from patrol.collectors.errors import MalformedFile
from patrol.collectors.items import Item, Skip, Skips, make_item, unique

_DEPENDENCIES = "dependencies/dependency"
_MANAGED = "dependencyManagement/dependencies/dependency"
_PROPERTY = re.compile(r"\$\{([^}]+)\}")
# "[INFO]    org.slf4j:slf4j-api:jar:1.7.36:compile -- module org.slf4j [auto]"
_LISTED = re.compile(r"^(?:\[INFO\])?\s+([\w.-]+(?::[\w.-]+){4,5})(?:\s.*)?$")


def parse_pom(text: str, location: str, skipped: Skips | None = None) -> list[Item]:
    """Items for the dependencies (and managed dependencies) whose version the pom gives.

    `${name}` references are resolved from `<properties>` and the project's
    own coordinates; a version left to a parent pom or BOM, a property the
    pom does not define, or a version range is reported as skipped.
    """
    skipped = [] if skipped is None else skipped
    project = _root(text, location)
    properties = _properties(project)
    items = []
    for dependency in project.findall(_DEPENDENCIES) + project.findall(_MANAGED):
        name = f"{_text(dependency, 'groupId')}:{_text(dependency, 'artifactId')}"
        version, why = _version(_text(dependency, "version"), properties)
        if why:
            skipped.append(Skip(location, name, why))
        else:
            items.append(make_item(name, version, location=location, ecosystem="Maven"))
    return unique(items)


def parse_dependency_list(text: str, location: str) -> list[Item]:
    """Items for `mvn dependency:list` output (with or without the [INFO] prefix).

    Each artifact is `group:artifact:type[:classifier]:version:scope`.
    """
    items = []
    for line in text.splitlines():
        listed = _LISTED.match(line)
        if listed:
            parts = listed.group(1).split(":")
            name, version = f"{parts[0]}:{parts[1]}", parts[-2]
            items.append(make_item(name, version, location=location, ecosystem="Maven"))
    return unique(items)


def _root(text: str, location: str) -> ET.Element:
    """The <project> element, with XML namespaces dropped from every tag."""
    try:
        root = ET.fromstring(text)  # noqa: S314 - expat neither expands nor fetches entities
    except ET.ParseError as exc:
        raise MalformedFile(f"{location}: not valid XML ({exc})") from exc
    for element in root.iter():
        element.tag = element.tag.rpartition("}")[2]
    if root.tag != "project":
        raise MalformedFile(f"{location}: not a Maven pom (the root is <{root.tag}>)")
    return root


def _properties(project: ET.Element) -> dict[str, str]:
    found = {child.tag: (child.text or "").strip() for child in project.findall("properties/*")}
    for key in ("groupId", "artifactId", "version"):
        value = _text(project, key) or _text(project, f"parent/{key}")
        if value:
            found[f"project.{key}"] = found[f"pom.{key}"] = value
    return found


def _version(written: str, properties: dict[str, str]) -> tuple[str, str | None]:
    """(version, None), or ("", why it cannot be told)."""
    if not written:
        return "", "no version in this pom (it comes from a parent pom or a BOM)"
    for _ in range(10):  # properties may refer to properties
        reference = _PROPERTY.search(written)
        if reference is None:
            break
        if reference.group(1) not in properties:
            return "", f"the version {written} refers to a property this pom does not define"
        written = written.replace(reference.group(0), properties[reference.group(1)])
    if _PROPERTY.search(written):
        return "", f"the version {written} refers to properties too deeply"
    if written[:1] in "[(":
        return "", f"the version {written} is a range, not one release"
    return written, None


def _text(element: ET.Element, path: str) -> str:
    found = element.find(path)
    return (found.text or "").strip() if found is not None else ""
