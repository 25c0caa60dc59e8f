"""The words after `/digest subscribe` (and the channel other subcommands take).

    /digest subscribe
    /digest subscribe #lifestyle-kpi mon,thu 08:30 America/New_York category:Home & Living
    /digest subscribe <#C0KPI|lifestyle-kpi> category:"Personal Care" fri 17:00

Each word is recognised by its shape: a channel (`#name` or Slack's `<#C…|name>`), a time
(`HH:MM`, `9am`, `9:30pm`), a time zone (`Area/City`, UTC, or an abbreviation such as CET:
`schedule.ZONE_ABBREVIATIONS`), or weekdays (`mon` or `mon,thu`). `category:`
takes the rest of the text, or a quoted name followed by more words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import time
from typing import Any
from zoneinfo import ZoneInfo

from bot.digest.schedule import (
    is_zone_abbreviation,
    looks_like_time,
    parse_time,
    parse_weekdays,
    parse_zone,
)
from bot.shared.replies import escape, shown
from bot.shared.slack_text import SlackText
from storage.errors import UserError

SUBSCRIBE_USAGE = "/digest subscribe [#channel] [mon,thu] [09:00] [Europe/Berlin] [category:<name>]"
_CHANNEL_NAME = re.compile(r"^#([a-z0-9][a-z0-9._-]{0,79})$", re.IGNORECASE)
_CHANNEL_ID = re.compile(r"^[CG][A-Z0-9]{6,}$")
_CATEGORY = re.compile(r"\b(?:category|cat):", re.IGNORECASE)
_HALF_DAY = re.compile(r"[ap]\.?m\.?", re.IGNORECASE)
_QUOTED = re.compile(r'^\s*["“]([^"”]*)["”](.*)$', re.DOTALL)


@dataclass(frozen=True)
class ChannelRef:
    """A channel as typed: its ID when Slack gave one, else its name."""

    id: str | None = None
    name: str | None = None

    def shown(self) -> str:
        """The channel in mrkdwn: its name as typed, or Slack's link to the ID."""
        return escape(f"#{self.name}") if self.name else f"<#{self.id}>"


@dataclass(frozen=True)
class SubscribeArgs:
    channel: ChannelRef | None = None
    weekdays: tuple[int, ...] | None = None
    at: time | None = None
    zone: ZoneInfo | None = None
    category: str | None = None


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
        raise UserError(f"`{shown(text.strip())}` is not a channel: name one as #channel.")
    return channel


def parse_subscribe(text: str, typed: SlackText) -> SubscribeArgs:
    """The subscription asked for; UserError naming the first word that does not fit."""
    words, category = _split_category(text)
    args = SubscribeArgs(category=category)
    for word in _joined_times(words):
        kind, field, value = _read(word, typed)
        if getattr(args, field) is not None:
            raise UserError(f"Give one {kind}: `{shown(word)}` is a second one.")
        args = replace(args, **{field: value})
    return args


def _joined_times(words: list[str]) -> list[str]:
    """`9 am` typed as two words is one time."""
    joined: list[str] = []
    for word in words:
        if joined and _HALF_DAY.fullmatch(word) and re.fullmatch(r"\d{1,2}(:\d{2})?", joined[-1]):
            joined[-1] += word
        else:
            joined.append(word)
    return joined


def _split_category(text: str) -> tuple[list[str], str | None]:
    match = _CATEGORY.search(text)
    if match is None:
        return text.split(), None
    rest = text[match.end() :]
    quoted = _QUOTED.match(rest)
    name, after = (quoted.group(1), quoted.group(2)) if quoted else (rest, "")
    name = " ".join(name.split())
    if not name:
        raise UserError(f"`category:` needs a name, such as `category:{escape('Home & Living')}`.")
    return [*text[: match.start()].split(), *after.split()], name


def _read(word: str, typed: SlackText) -> tuple[str, str, Any]:
    """(what the word is, the SubscribeArgs field it sets, its value)."""
    channel = parse_channel(word, typed)
    if channel is not None:
        return "channel", "channel", channel
    if looks_like_time(word):
        return "time", "at", parse_time(word)
    if "/" in word or is_zone_abbreviation(word):
        return "time zone", "zone", parse_zone(word)
    if re.fullmatch(r"[A-Za-z]+(,[A-Za-z]*)*", word):
        return "list of weekdays", "weekdays", parse_weekdays(word)
    raise UserError(f"I don't understand `{shown(word)}` in a digest subscription.")
