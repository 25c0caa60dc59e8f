"""Files shared with the bot in a DM, and the import form's submission: both import the file
and answer in the DM, after the acknowledgement (a download and an import can take longer than
the 3 seconds Slack waits before it sends an event again)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.imports.after_import import after_import
from bot.imports.form import FILE_BLOCK, read_submission
from bot.imports.gate import queued_text
from bot.imports.shared_files import (
    IMPORT_HINT,
    Imported,
    ImportRequest,
    SharedFile,
    import_shared_file,
    parse_import_words,
)
from bot.services import Services
from bot.shared.effects import post_once
from bot.shared.language import _
from bot.shared.replies import Reply
from bot.shared.slack_text import SlackText
from bot.shared.viewer import Viewer
from handlers.answers import failure_reply, tell
from handlers.events import effects_of, event_work

FILE_SHARED: dict[str, Any] = {"type": "message", "subtype": "file_share"}
DIRECT_MESSAGE: dict[str, Any] = {"type": "message", "channel_type": "im"}


def _imported(
    services: Services,
    who: Viewer,
    file: SharedFile,
    words: ImportRequest,
    queued: Callable[[], None],
) -> Imported:
    """The import's answer, whatever happened in it; `queued` tells the person when it has
    to wait for another import to end."""
    team_id, user_id = who.team_id, who.user_id
    try:
        return import_shared_file(services, team_id, user_id, file, words, queued)
    except Exception as error:
        return Imported(failure_reply(error, f"import of {file.name}", team_id, user_id))


def _after(services: Services, team_id: str, imported: Imported, client: WebClient) -> None:
    """Once the import is answered: the alert check and the Home refresh it sets off."""
    if imported.summary is not None:
        after_import(services, team_id, imported.summary, client)


@event_work
def import_shared_files(
    event: dict[str, Any],
    client: WebClient,
    context: BoltContext,
    services: Services,
    who: Viewer,
    typed: SlackText,
) -> None:
    if event.get("channel_type") != "im":
        return
    words = parse_import_words(typed.text)
    effects = effects_of(context)
    thread = {"channel": event["channel"], "thread_ts": event.get("ts")}
    for number, file in enumerate(event.get("files", [])):

        def queued(number: int = number) -> None:
            post_once(effects, client, f"import {number} queued", text=queued_text(), **thread)

        shared = SharedFile.from_slack(file)
        imported = _imported(services, who, shared, words, queued)
        post_once(
            effects,
            client,
            f"import {number} answer",
            text=imported.reply.text,
            blocks=[b.to_dict() for b in imported.reply.blocks],
            **thread,
        )
        _after(services, who.team_id, imported, client)


@event_work
def answer_direct_messages(event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    if event.get("subtype") or event.get("bot_id"):
        return  # edits, joins and bots' messages need no answer
    client.chat_postMessage(
        channel=event["channel"],
        text=_(IMPORT_HINT) + " " + _("Type `/shopbot help` for every command."),
    )


def check_import_form(ack: Ack, view: dict[str, Any]) -> None:
    """The form's acknowledgement: it closes, or says that a file is missing."""
    if read_submission(view.get("state", {})).file is None:
        ack(response_action="errors", errors={FILE_BLOCK: _("Choose a CSV or XLSX file.")})
    else:
        ack()


def import_from_form(
    view: dict[str, Any], client: WebClient, services: Services, who: Viewer
) -> None:
    submission = read_submission(view.get("state", {}))
    if submission.file is None:
        return  # the form said so
    queued = functools.partial(tell, client, who.user_id, Reply(text=queued_text()))
    imported = _imported(services, who, submission.file, submission.request, queued)
    tell(client, who.user_id, imported.reply)
    _after(services, who.team_id, imported, client)
