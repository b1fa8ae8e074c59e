"""Short answers: help, a scan that started, and everything that kept an answer from coming."""
from __future__ import annotations

from slack_sdk.models.blocks import Block

from bot.answers import Message, say
from slackkit import blocks


def help_message() -> Message:
    return Message(say("help", "fallback"), _help_blocks())


def problem(piece: str, *, with_help: bool = False, **values: object) -> Message:
    """A problems.j2 answer; `with_help` adds the command list after it."""
    text = say("problems", piece, **values)
    return Message(text, [blocks.section(text), *(_help_blocks() if with_help else [])])


def scan_started(server: str, reported: bool) -> Message:
    text = say("scan", "started", server=server, reported=reported)
    return Message(text, [blocks.section(text)])


def already_scanning(server: str) -> Message:
    text = say("scan", "already", server=server)
    return Message(text, [blocks.section(text)])


def not_shared(message: Message) -> Message:
    """`message` as a private answer, after saying why it could not go to the channel."""
    note = say("problems", "share_failed")
    return Message(f"{note} {message.fallback}", [blocks.section(note), *message.blocks])


def _help_blocks() -> list[Block]:
    return [blocks.header(say("help", "header")), blocks.section(say("help", "body"))]
