"""Files shared with the bot in a DM, and the import form's submission: both import the file
and answer in the DM."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.import_form import CALLBACK_ID, FILE_BLOCK, read_submission
from bot.services import Services
from bot.shared_files import IMPORT_HINT, SharedFile, import_shared_file, parse_import_words


def register(app: App, services: Services) -> None:
    @app.event({"type": "message", "subtype": "file_share"})
    def import_shared_files(event: dict[str, Any], body: dict[str, Any], client: WebClient) -> None:
        if event.get("channel_type") != "im":
            return
        words = parse_import_words(str(event.get("text", "")))
        for file in event.get("files", []):
            reply = import_shared_file(
                services,
                str(body.get("team_id", "")),
                str(event.get("user", "")),
                SharedFile.from_slack(file),
                words,
            )
            client.chat_postMessage(
                channel=event["channel"],
                thread_ts=event.get("ts"),
                text=reply.text,
                blocks=[b.to_dict() for b in reply.blocks],
            )

    @app.event({"type": "message", "channel_type": "im"})
    def answer_direct_messages(event: dict[str, Any], client: WebClient) -> None:
        if event.get("subtype") or event.get("bot_id"):
            return  # edits, joins and bots' messages need no answer
        client.chat_postMessage(
            channel=event["channel"], text=f"{IMPORT_HINT} Type `/shopbot help` for every command."
        )

    @app.view(CALLBACK_ID)
    def import_from_form(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        submission = read_submission(view.get("state", {}))
        if submission.file is None:
            ack(response_action="errors", errors={FILE_BLOCK: "Choose a CSV or XLSX file."})
            return
        ack()
        user_id = str(body["user"]["id"])
        reply = import_shared_file(
            services, str(body["team"]["id"]), user_id, submission.file, submission.request
        )
        channel = client.conversations_open(users=user_id)["channel"]["id"]
        client.chat_postMessage(
            channel=channel, text=reply.text, blocks=[b.to_dict() for b in reply.blocks]
        )
