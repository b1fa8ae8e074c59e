"""RPM packages: `rpm -qa` output in the query format below (`patrol push --rpm`).

AlmaLinux, Rocky Linux and Red Hat records name binary packages, so items
are the binary name with `[epoch:]version-release`; the source RPM's name
and version are kept beside it as `s`/`sv`.
"""

from patrol.collectors import commands, os_release
from patrol.collectors.dpkg import LOCATION
from patrol.collectors.errors import MalformedFile
from patrol.collectors.items import Item, make_item, unique

QUERY_FORMAT = "%{NAME}\\t%{EPOCH}\\t%{VERSION}\\t%{RELEASE}\\t%{ARCH}\\t%{SOURCERPM}\\n"
# Imported signing keys are listed as packages; no advisory concerns them.
_NOT_PACKAGES = {"gpg-pubkey"}
_NO_EPOCH = {"(none)", "", "0"}


def parse(text: str, os_release_text: str = "", *, origin: str = "rpm -qa output") -> list[Item]:
    """Items for the packages listed in rpm -qa output."""
    ecosystem = os_release.ecosystem(os_release_text, "rpm")
    items = (
        _item(line, f"{origin}, line {number}", ecosystem)
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip()
    )
    return unique(item for item in items if item)  # multilib: one release, two arches


def run_rpm_query(rpm: str = "rpm") -> str:
    """The output of `rpm -qa` in the format `parse` reads."""
    return commands.output_of([rpm, "-qa", "--queryformat", QUERY_FORMAT])


def _item(line: str, where: str, ecosystem: str) -> Item | None:
    fields = line.split("\t")
    if len(fields) != 6:
        raise MalformedFile(f"{where}: expected 6 tab-separated fields, got {len(fields)}")
    name, epoch, version, release, _arch, source_rpm = fields
    if name in _NOT_PACKAGES:
        return None
    prefix = "" if epoch in _NO_EPOCH else f"{epoch}:"
    source_name, source_version = _source(source_rpm, prefix)
    return make_item(
        name,
        f"{prefix}{version}-{release}",
        location=LOCATION,
        ecosystem=ecosystem,
        source=source_name,
        source_version=source_version,
    )


def _source(source_rpm: str, epoch_prefix: str) -> tuple[str | None, str | None]:
    """("glibc", "2.34-28.el9_0") of "glibc-2.34-28.el9_0.src.rpm"."""
    stem = source_rpm.removesuffix(".rpm").removesuffix(".src").removesuffix(".nosrc")
    parts = stem.rsplit("-", 2)
    if len(parts) != 3 or stem == source_rpm:
        return None, None  # "(none)": a package built without a source RPM
    return parts[0], f"{epoch_prefix}{parts[1]}-{parts[2]}"
