"""The ways the words after `/patrol` can fail to make a command."""
from __future__ import annotations


class CommandError(ValueError):
    """The words do not make a command; the subclass says which way."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class UnknownWord(CommandError):
    """The first word is not a command."""


class MissingServer(CommandError):
    """The command needs a server and was given none; `detail` is the command."""


class BadOption(CommandError):
    """An option or its value is not one the command knows."""


class UnexpectedWords(CommandError):
    """Words left over after the command was read."""
