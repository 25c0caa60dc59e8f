"""Direct messages: Slack wants a conversation ID, so every DM opens the conversation first."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.shared.effects import NO_EFFECTS, Effects, upload_once
from bot.shared.replies import Reply

log = logging.getLogger(__name__)


def open_dm(client: WebClient, user_id: str) -> str:
    """The ID of the bot's DM conversation with `user_id` (conversations.open)."""
    response = client.conversations_open(users=user_id)
    return str(response["channel"]["id"])


def send_dm(client: WebClient, user_id: str, reply: Reply) -> str:
    """Post `reply` to the user's DM; returns the message's ts."""
    channel = open_dm(client, user_id)
    payload = reply.payload()
    response = client.chat_postMessage(
        channel=channel, text=payload["text"], blocks=payload["blocks"]
    )
    return str(response["ts"])


def upload_to_dm(
    client: WebClient,
    user_id: str,
    content: bytes,
    filename: str,
    title: str,
    comment: str,
    effects: Effects = NO_EFFECTS,
) -> None:
    """Upload the file to the user's DM, once for the request `effects` belong to."""
    channel = open_dm(client, user_id)
    upload = {"content": content, "filename": filename, "title": title}
    upload_once(effects, client, "dm upload", channel=channel, initial_comment=comment, **upload)


def user_names(client: WebClient, user_ids: Iterable[str]) -> dict[str, str]:
    """Real names by user ID, for the people Slack knows; the others are left out."""
    names: dict[str, str] = {}
    for user_id in sorted(set(user_ids)):
        try:
            user = client.users_info(user=user_id)["user"]
        except SlackApiError as error:
            log.info("no name for %s: %s", user_id, error.response.get("error"))
            continue
        names[user_id] = str(user.get("real_name") or user.get("name") or user_id)
    return names
