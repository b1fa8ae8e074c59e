"""Whether an advisory's distribution release is the server's release.

osv.dev writes the release after the ecosystem: `Debian:12`, `Ubuntu:22.04:LTS`,
`Ubuntu:Pro:18.04:LTS`, `Alpine:v3.18`, `AlmaLinux:9`, `Rocky Linux:9`, and for
Red Hat a CPE-like `enterprise_linux:9::appstream`. Servers say theirs the same
way, or as /etc/os-release's VERSION_ID (`12.5`, `3.18.1`, `9.2`), so both
sides are reduced to what osv.dev keys records by before comparing.
"""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=4096)  # a scan asks about the same few releases thousands of times
def same_release(base: str, advisory_release: str, server_release: str) -> bool:
    """An empty release on either side is not a mismatch (older collectors send none)."""
    if not advisory_release or not server_release:
        return True
    if base == "Red Hat":
        return _red_hat(advisory_release, server_release)
    return _reduced(base, advisory_release) == _reduced(base, server_release)


def _reduced(base: str, release: str) -> str:
    if base == "Ubuntu":
        return release.removesuffix(":LTS")  # "Pro:18.04" stays apart from "18.04"
    if base == "Alpine":
        return ".".join(release.removeprefix("v").split(".")[:2])  # v3.18 and 3.18.1
    return release.split(".")[0]  # Debian, AlmaLinux, Rocky Linux: the major release


def _red_hat(advisory_release: str, server_release: str) -> bool:
    """`enterprise_linux:9::baseos` is RHEL 9 whatever its minor; extended-support
    streams (`rhel_eus:9.2::appstream`) name one minor release."""
    product, _, rest = advisory_release.partition(":")
    version = rest.partition(":")[0]
    server = server_release.rpartition(":")[2] if ":" in server_release else server_release
    if product == "enterprise_linux":
        return version == server.split(".")[0]
    return version == server
