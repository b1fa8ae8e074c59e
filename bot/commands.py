"""`/patrol`: answered at once when no API call is needed (help, a command
that was not understood), otherwise acknowledged at once and answered by a
lazy listener through `respond()`, as Slack wants an ack within 3 seconds."""
from __future__ import annotations

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot import parsing, questions
from bot.answers import Message, notes, payload
from bot.channel_subscriptions import ChannelCommands
from bot.delivery import deliver
from bot.patrol_api import PatrolApi
from bot.replying import Answerer
from bot.subscription_words import Subscription

COMMAND = "/patrol"

# Each parsing problem, the problems.j2 answer for it, and the value it shows.
_PROBLEMS = {
    parsing.UnknownWord: ("unknown_word", "word"),
    parsing.MissingServer: ("missing_server", "action"),
    parsing.BadOption: ("bad_option", "option"),
    parsing.UnexpectedWords: ("too_many", "extra"),
}


def register(bolt: App, answerer: Answerer) -> None:
    channels = ChannelCommands(answerer)

    def acknowledge(ack: Ack, command: dict) -> None:
        message = immediate(command.get("text", ""))
        if message is None:
            ack()
        else:
            ack(**payload(message), response_type="ephemeral")

    def answer(command: dict, context: BoltContext, respond: Respond, client: WebClient) -> None:
        try:
            question = parsing.parse(command.get("text", ""))
        except parsing.CommandError:
            return  # answered in the ack
        if isinstance(question, Subscription):
            message = channels.answer(question, command, context.team_id, client)
            if message is not None:
                deliver(message, respond, client)
            return
        if question.action == "help":
            return
        message = answerer.answer(context.team_id, lambda api: ask(api, question, answerer.public_url))
        deliver(message, respond, client, channel=command.get("channel_id") if question.public else None)

    bolt.command(COMMAND)(ack=acknowledge, lazy=[answer])


def immediate(text: str) -> Message | None:
    """The answer that needs no API call (help, a problem with the words), or None."""
    try:
        question = parsing.parse(text)
    except parsing.CommandError as exc:
        piece, value = _PROBLEMS[type(exc)]
        return notes.problem(piece, with_help=isinstance(exc, parsing.UnknownWord), **{value: exc.detail})
    return notes.help_message() if question.action == "help" else None


def ask(api: PatrolApi, question: parsing.Question, public_url: str | None) -> Message:
    if not question.server:  # the parser names a server for scan and issues
        return questions.status_all(api)
    if question.action == "scan":
        return questions.scan_named(api, question.server)
    if question.action == "issues":
        return questions.issues_named(api, question.server, question.severity, public_url)
    return questions.status_one(api, question.server, public_url)
