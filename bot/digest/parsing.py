"""The words after `/digest subscribe` (and the channel other subcommands take).

    /digest subscribe
    /digest subscribe #lifestyle-kpi mon,thu 08:30 America/New_York category:Home & Living
    /digest subscribe <#C0KPI|lifestyle-kpi> category:"Personal Care" fri 17:00

Each word is recognised by its shape: a channel (`#name` or Slack's `<#C…|name>`), a time
(`HH:MM`), a time zone (`Area/City` or UTC), or weekdays (`mon` or `mon,thu`). `category:`
takes the rest of the text, or a quoted name followed by more words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import time
from typing import Any
from zoneinfo import ZoneInfo

from bot.digest.schedule import (
    ScheduleError,
    looks_like_time,
    parse_time,
    parse_weekdays,
    parse_zone,
)

SUBSCRIBE_USAGE = "/digest subscribe [#channel] [mon,thu] [09:00] [Europe/Berlin] [category:<name>]"
_SLACK_CHANNEL = re.compile(r"^<#([CG][A-Z0-9]{2,})(?:\|([^>]*))?>$")
_CHANNEL_NAME = re.compile(r"^#([a-z0-9][a-z0-9._-]{0,79})$", re.IGNORECASE)
_CHANNEL_ID = re.compile(r"^[CG][A-Z0-9]{6,}$")
_CATEGORY = re.compile(r"\b(?:category|cat):", re.IGNORECASE)
_QUOTED = re.compile(r'^\s*["“]([^"”]*)["”](.*)$', re.DOTALL)
_ZONE_WORDS = {"utc", "gmt"}


class ArgsError(ValueError):
    """Words that are not a digest request; the message says which and why (unescaped)."""


@dataclass(frozen=True)
class ChannelRef:
    """A channel as typed: its ID when Slack gave one, else its name."""

    id: str | None = None
    name: str | None = None

    def shown(self) -> str:
        return f"#{self.name}" if self.name else f"<#{self.id}>"


@dataclass(frozen=True)
class SubscribeArgs:
    channel: ChannelRef | None = None
    weekdays: tuple[int, ...] | None = None
    at: time | None = None
    zone: ZoneInfo | None = None
    category: str | None = None


def parse_channel(word: str) -> ChannelRef | None:
    """`#name`, `<#C…|name>`, `<#C…>` or a bare channel ID; None for anything else."""
    if match := _SLACK_CHANNEL.fullmatch(word):
        return ChannelRef(match.group(1), (match.group(2) or "").lower() or None)
    if match := _CHANNEL_NAME.fullmatch(word):
        return ChannelRef(name=match.group(1).lower())
    if _CHANNEL_ID.fullmatch(word):
        return ChannelRef(id=word)
    return None


def parse_channel_only(text: str) -> ChannelRef | None:
    """The optional channel of `/digest unsubscribe|history|preview|send`."""
    words = text.split()
    if not words:
        return None
    channel = parse_channel(words[0]) if len(words) == 1 else None
    if channel is None:
        raise ArgsError(f"`{text.strip()[:40]}` is not a channel: name one as #channel.")
    return channel


def parse_subscribe(text: str) -> SubscribeArgs:
    """The subscription asked for; ArgsError naming the first word that does not fit."""
    words, category = _split_category(text)
    args = SubscribeArgs(category=category)
    for word in words:
        kind, field, value = _read(word)
        if getattr(args, field) is not None:
            raise ArgsError(f"Give one {kind}: `{word[:40]}` is a second one.")
        args = replace(args, **{field: value})
    return args


def _split_category(text: str) -> tuple[list[str], str | None]:
    match = _CATEGORY.search(text)
    if match is None:
        return text.split(), None
    rest = text[match.end() :]
    quoted = _QUOTED.match(rest)
    name, after = (quoted.group(1), quoted.group(2)) if quoted else (rest, "")
    name = " ".join(name.split())
    if not name:
        raise ArgsError("`category:` needs a name, such as `category:Home & Living`.")
    return [*text[: match.start()].split(), *after.split()], name


def _read(word: str) -> tuple[str, str, Any]:
    """(what the word is, the SubscribeArgs field it sets, its value)."""
    channel = parse_channel(word)
    if channel is not None:
        return "channel", "channel", channel
    try:
        if looks_like_time(word):
            return "time", "at", parse_time(word)
        if "/" in word or word.lower() in _ZONE_WORDS:
            zone = word.upper() if word.lower() in _ZONE_WORDS else word
            return "time zone", "zone", parse_zone(zone)
        if re.fullmatch(r"[A-Za-z]+(,[A-Za-z]*)*", word):
            return "list of weekdays", "weekdays", parse_weekdays(word)
    except ScheduleError as error:
        raise ArgsError(str(error)) from None
    raise ArgsError(f"I don't understand `{word[:40]}` in a digest subscription.")
