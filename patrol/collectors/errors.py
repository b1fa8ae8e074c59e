"""Errors raised while reading a file for `patrol push`.

They carry a message meant for the person at the terminal, so the CLI can
print `str(exc)` as is.
"""


class CollectorError(Exception):
    """Base of every collector error."""


class UnsupportedFile(CollectorError):
    """No collector knows this file name."""


class MalformedFile(CollectorError):
    """The file has a known name but its content cannot be read as that format."""


class UnreadableFile(CollectorError):
    """The file cannot be opened or is not UTF-8 text."""


class CommandFailed(CollectorError):
    """A package manager query (dpkg-query, rpm) is missing or ended with an error."""


class DpkgQueryFailed(CommandFailed):
    """dpkg-query is missing or ended with an error."""


class FileTooLarge(CollectorError):
    """The file is bigger than any inventory Patrol reads; refused unread."""


class UnknownDistribution(CollectorError):
    """os-release names no distribution whose advisories Patrol can match."""
