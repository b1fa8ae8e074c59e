"""A bucket pushed as an SBOM body: its components, read through their purls, as items."""
from __future__ import annotations

from patrol import collectors
from patrol.errors import Invalid
from patrol.inventory import software_input
from patrol.inventory.software_input import SoftwareInput

# Request content types and the collector format each one is.
CONTENT_TYPES = {"application/vnd.cyclonedx+json": "cyclonedx", "application/spdx+json": "spdx"}


def parse(body: bytes, content_type: str, location: str) -> list[SoftwareInput]:
    """Items of an SBOM body; components without a usable purl are left out, as `patrol push` does."""
    try:
        text = body.decode("utf-8-sig")
        collected = collectors.read(text, location, CONTENT_TYPES[content_type])
    except UnicodeDecodeError as exc:
        raise _invalid("is not UTF-8 text") from exc
    except (collectors.MalformedFile, RecursionError) as exc:  # RecursionError: nested too deeply
        raise _invalid(str(exc).removeprefix(f"{location}: ")) from exc
    return software_input.parse(collected.items)


def _invalid(why: str) -> Invalid:
    return Invalid(f"The SBOM is not valid: {why}.", fields={"body": why})
