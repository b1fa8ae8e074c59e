"""Package URLs (purls) as items: how SBOM components name their ecosystem.

Only purl types that one OSV ecosystem stands for are read. Operating system
packages (deb, rpm, apk) are skipped: their advisories are per distribution
release, which a purl does not reliably tell; push the host's own package
list (--dpkg, --apk, --rpm) for those.
"""

from packageurl import PackageURL
from packaging.utils import canonicalize_name

from patrol.collectors.items import Item, Skip, Skips, make_item

# purl type -> (OSV ecosystem, separator between namespace and name)
ECOSYSTEMS = {
    "npm": ("npm", "/"),
    "pypi": ("PyPI", "/"),
    "composer": ("Packagist", "/"),
    "gem": ("RubyGems", "/"),
    "golang": ("Go", "/"),
    "cargo": ("crates.io", "/"),
    "maven": ("Maven", ":"),
    "nuget": ("NuGet", "/"),
}


def item(purl: str, location: str, skipped: Skips) -> Item | None:
    """The item a purl names, or None with the reason added to `skipped`."""
    try:
        parsed = PackageURL.from_string(purl)
    except ValueError as exc:
        skipped.append(Skip(location, purl, f"not a readable purl ({exc})"))
        return None
    if parsed.type not in ECOSYSTEMS:
        skipped.append(Skip(location, purl.split("?")[0], f"no advisory ecosystem for purl type {parsed.type!r}"))
        return None
    if not parsed.version:
        skipped.append(Skip(location, purl, "the purl gives no version"))
        return None
    ecosystem, separator = ECOSYSTEMS[parsed.type]
    name = separator.join(part for part in (parsed.namespace, parsed.name) if part)
    if ecosystem == "PyPI":
        name = canonicalize_name(name)
    return make_item(name, parsed.version, location=location, ecosystem=ecosystem)
