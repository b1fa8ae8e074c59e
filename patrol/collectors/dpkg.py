"""dpkg: the Debian packages installed on a host, from dpkg-query output.

Debian advisories name source packages, so each item also carries its
source package and version (`s`, `sv`).
"""

from patrol.collectors import commands, os_release
from patrol.collectors.errors import DpkgQueryFailed, MalformedFile
from patrol.collectors.items import Item, make_item, unique

DPKG_QUERY_FORMAT = (
    "${Package}\t${Version}\t${source:Package}\t${source:Version}\t${db:Status-Abbrev}\n"
)
# Packages are system-wide, not in a project folder.
LOCATION = "/"


def parse(text: str, os_release_text: str = "", *, origin: str = "dpkg-query output") -> list[Item]:
    """Items for the installed packages listed in dpkg-query output.

    `os_release_text` is the os-release of the host the output came from; it
    decides the ecosystem ("Debian:12", "Ubuntu:22.04:LTS", or "Debian" when unknown). `origin`
    names the output in error messages, such as the file it was saved to.
    """
    ecosystem = os_release.ecosystem(os_release_text, "dpkg")
    items = (
        _installed_item(line, f"{origin}, line {number}", ecosystem)
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip()
    )
    # Multi-arch packages (libc6:amd64 and libc6:i386) list one release twice.
    return unique(item for item in items if item)


def run_dpkg_query(dpkg_query: str = "dpkg-query") -> str:
    """The output of dpkg-query in the format `parse` reads."""
    command = [dpkg_query, "--show", f"--showformat={DPKG_QUERY_FORMAT}"]
    return commands.output_of(command, DpkgQueryFailed)


def _installed_item(line: str, where: str, ecosystem: str) -> Item | None:
    fields = line.split("\t")
    if len(fields) != 5:
        raise MalformedFile(f"{where}: expected 5 tab-separated fields, got {len(fields)}")
    name, version, source, source_version, status = fields
    # The status's second letter is the package state: "i" is installed
    # ("ii", or "hi" when held); "rc", "un", "iU" leave no package in use.
    if status[1:2] != "i":
        return None
    return package_item(name, version, source, source_version, ecosystem)


def package_item(name: str, version: str | None, source: str | None, source_version: str | None,
                 ecosystem: str) -> Item:
    """An installed package with its source package.

    An empty source means the binary's own name and version: dpkg omits the
    Source field then, and older dpkg has no source:* fields at all.
    """
    return make_item(
        name,
        version,
        location=LOCATION,
        ecosystem=ecosystem,
        source=source or name,
        source_version=source_version or version,
    )
