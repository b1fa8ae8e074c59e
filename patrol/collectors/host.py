"""This host's own package lists, for `patrol push --dpkg`, `--apk` and `--rpm`."""

from pathlib import Path

from patrol.collectors import apk, dpkg, os_release, reading, rpm
from patrol.collectors.dispatch import Collected, read


def default_os_release() -> str:
    """This host's os-release text ("" when it has none)."""
    return os_release.read_os_release()


def dpkg_packages(os_release_text: str, dpkg_query: str = "dpkg-query") -> Collected:
    return read(dpkg.run_dpkg_query(dpkg_query), "dpkg-query output", "dpkg-query", os_release=os_release_text)


def apk_packages(os_release_text: str, installed: Path = apk.INSTALLED) -> Collected:
    return read(reading.read_text(installed), str(installed), "apk-installed", os_release=os_release_text)


def rpm_packages(os_release_text: str, rpm_command: str = "rpm") -> Collected:
    return read(rpm.run_rpm_query(rpm_command), "rpm -qa output", "rpm-qa", os_release=os_release_text)
