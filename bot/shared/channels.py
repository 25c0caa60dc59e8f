"""Channels that scheduled posts go to (digests, alerts, monthly review reports): reading one
as typed, finding it, and checking the bot can post there before saving."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.shared.language import _, ngettext
from bot.shared.replies import escape, shown
from bot.shared.slack_text import SlackText
from storage.errors import UserError

LIST_PAGES = 20  # 20 × 1,000 channels
SHOWN_CHANNELS = 15  # channels named in the answer to an unknown one
_CHANNEL_NAME = re.compile(r"^#([a-z0-9][a-z0-9._-]{0,79})$", re.IGNORECASE)
_CHANNEL_ID = re.compile(r"^[CG][A-Z0-9]{6,}$")


@dataclass(frozen=True)
class ChannelRef:
    """A channel as typed: its ID when Slack gave one, else its name."""

    id: str | None = None
    name: str | None = None

    def shown(self) -> str:
        """The channel in mrkdwn: its name as typed, or Slack's link to the ID."""
        return escape(f"#{self.name}") if self.name else f"<#{self.id}>"


def parse_channel(word: str, typed: SlackText) -> ChannelRef | None:
    """`#name` (with its ID when Slack sent it as `<#C…|name>`), or a bare channel ID; None
    for anything else."""
    if channel_id := typed.channel_id(word):
        name = word[1:].lower()
        return ChannelRef(channel_id, name if name != channel_id.lower() else None)
    if match := _CHANNEL_NAME.fullmatch(word):
        return ChannelRef(name=match.group(1).lower())
    if _CHANNEL_ID.fullmatch(word):
        return ChannelRef(id=word)
    return None


def parse_channel_only(text: str, typed: SlackText) -> ChannelRef | None:
    """The optional channel of `/digest unsubscribe|history|preview|send`."""
    words = text.split()
    if not words:
        return None
    channel = parse_channel(words[0], typed) if len(words) == 1 else None
    if channel is None:
        raise UserError(
            _("`{text}` is not a channel: name one as #channel.").format(text=shown(text.strip()))
        )
    return channel


@dataclass(frozen=True)
class Channel:
    id: str
    name: str
    is_member: bool
    is_archived: bool
    is_im: bool = False


def _channel(info: dict[str, Any]) -> Channel:
    return Channel(
        id=str(info["id"]),
        name=str(info.get("name") or info["id"]),
        is_member=bool(info.get("is_member")),
        is_archived=bool(info.get("is_archived")),
        is_im=bool(info.get("is_im") or info.get("is_mpim")),
    )


def find_channel(client: WebClient, ref: ChannelRef) -> Channel:
    """The channel `ref` names, as Slack sees it; UserError when Slack doesn't show it,
    naming the channels the bot can post in."""
    if ref.id is not None:
        try:
            return _channel(client.conversations_info(channel=ref.id)["channel"])
        except SlackApiError as error:
            if error.response.get("error") != "channel_not_found":
                raise
        raise UserError(_unknown(ref, [c for c in _visible(client) if _postable(c)]))
    mine: list[Channel] = []
    for channel in _visible(client):
        if channel.name.lower() == ref.name:
            return channel
        if _postable(channel):
            mine.append(channel)
    raise UserError(_unknown(ref, mine))


def _visible(client: WebClient) -> Iterator[Channel]:
    """The channels Slack shows the bot (conversations.list), page by page."""
    cursor: str | None = None
    for _page in range(LIST_PAGES):
        page = client.conversations_list(
            types="public_channel,private_channel", limit=1000, cursor=cursor
        )
        for info in page.get("channels") or []:
            yield _channel(info)
        cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
        if not cursor:
            break


def _postable(channel: Channel) -> bool:
    return channel.is_member and not channel.is_archived and not channel.is_im


def _unknown(ref: ChannelRef, mine: list[Channel]) -> str:
    names = sorted(f"#{escape(c.name)}" for c in mine)
    if not names:
        where = _("I'm not in any channel yet: type `/invite @shopbot` in the one you want.")
    else:
        more = len(names) - SHOWN_CHANNELS
        listed = ", ".join(names[:SHOWN_CHANNELS])
        if more > 0:
            listed += " " + ngettext("and {count} more", "and {count} more", more).format(
                count=more
            )
        where = _(
            "I'm in {channels}. For another channel, invite me there first with `/invite @shopbot`."
        ).format(channels=listed)
    return _("I can't find the channel {channel}. {where}").format(channel=ref.shown(), where=where)


def require_postable(channel: Channel) -> None:
    """UserError unless a digest can be posted in `channel`."""
    if channel.is_im:
        raise UserError(
            _(
                "Digests go to channels, not direct messages: name one, such as "
                "`/digest subscribe #lifestyle-kpi`."
            )
        )
    if channel.is_archived:
        raise UserError(
            _("{channel} is archived, so I can't post there. Pick another channel.").format(
                channel=f"#{escape(channel.name)}"
            )
        )
    if not channel.is_member:
        raise UserError(
            _(
                "I'm not in {channel} yet: type `/invite @shopbot` there, then subscribe again."
            ).format(channel=f"#{escape(channel.name)}")
        )
