"""SBOMs: CycloneDX JSON and SPDX JSON, each component read through its purl.

CycloneDX lists `components` (nested ones inside their parent) with a
`purl`; SPDX lists `packages` whose `externalRefs` hold the purl. The
document's own subject (CycloneDX `metadata.component`) is the product
described, not something it contains, so it is left out.
"""

from collections.abc import Iterator
from typing import Any

from patrol.collectors import decoding, purls
from patrol.collectors.errors import MalformedFile
from patrol.collectors.items import Item, Skip, Skips, unique


def parse_cyclonedx(text: str, location: str, skipped: Skips | None = None) -> list[Item]:
    """Items for the components of a CycloneDX JSON document."""
    skipped = [] if skipped is None else skipped
    document = decoding.load_json_object(text, location)
    if document.get("bomFormat") != "CycloneDX":
        raise MalformedFile(f'{location}: not a CycloneDX document (no "bomFormat": "CycloneDX")')
    found = (
        _from_purl(component.get("purl"), _label(component, "name", "version"), location, skipped)
        for component in _components(document.get("components"), location)
    )
    return unique(item for item in found if item)


def parse_spdx(text: str, location: str, skipped: Skips | None = None) -> list[Item]:
    """Items for the packages of an SPDX JSON document."""
    skipped = [] if skipped is None else skipped
    document = decoding.load_json_object(text, location)
    if not str(document.get("spdxVersion", "")).startswith("SPDX-"):
        raise MalformedFile(f'{location}: not an SPDX document (no "spdxVersion")')
    found = (
        _from_purl(_spdx_purl(package), _label(package, "name", "versionInfo"), location, skipped)
        for package in decoding.list_field(document, "packages", location)
    )
    return unique(item for item in found if item)


def _components(components: Any, location: str) -> Iterator[dict[str, Any]]:
    if components is None:
        return
    if not isinstance(components, list) or not all(isinstance(c, dict) for c in components):
        raise MalformedFile(f'{location}: "components" should be a list of objects')
    for component in components:
        yield component
        yield from _components(component.get("components"), location)


def _spdx_purl(package: dict[str, Any]) -> str | None:
    references = package.get("externalRefs")
    for reference in references if isinstance(references, list) else []:
        if isinstance(reference, dict) and reference.get("referenceType") == "purl":
            return decoding.string_field(reference, "referenceLocator")
    return None


def _from_purl(purl: Any, label: str, location: str, skipped: Skips) -> Item | None:
    if not isinstance(purl, str) or not purl:
        skipped.append(Skip(location, label, "the component has no purl"))
        return None
    return purls.item(purl, location, skipped)


def _label(entry: dict[str, Any], name_key: str, version_key: str) -> str:
    words = (decoding.string_field(entry, name_key), decoding.string_field(entry, version_key))
    return " ".join(word for word in words if word) or "a component without a name"
