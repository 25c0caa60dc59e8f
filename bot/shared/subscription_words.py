"""The words of a subscription, after `/digest subscribe` or `/review subscribe` (a channel
among them is read by bot.shared.channels); each kind takes the words it has a use for.

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

from bot.settings import LANGUAGES
from bot.shared.channels import ChannelRef, parse_channel
from bot.shared.language import N_, _
from bot.shared.replies import escape, shown
from bot.shared.schedule import (
    is_zone_abbreviation,
    looks_like_time,
    parse_time,
    parse_weekdays,
    parse_zone,
)
from bot.shared.slack_text import SlackText
from storage.errors import UserError

_CATEGORY = re.compile(r"\b(?:category|cat):", re.IGNORECASE)
_HALF_DAY = re.compile(r"[ap]\.?m\.?", re.IGNORECASE)
_LANGUAGE = re.compile(r"(?:lang|language|sprache):(.*)", re.IGNORECASE)
_QUOTED = re.compile(r'^\s*["“]([^"”]*)["”](.*)$', re.DOTALL)
# What a word is refused with when the subscription has one of its kind already.
SECOND_ONE = {
    "channel": N_("Give one channel: `{word}` is a second one."),
    "time": N_("Give one time: `{word}` is a second one."),
    "time zone": N_("Give one time zone: `{word}` is a second one."),
    "list of weekdays": N_("Give one list of weekdays: `{word}` is a second one."),
}


@dataclass(frozen=True)
class SubscribeArgs:
    """What the words asked for; None where they say nothing."""

    channel: ChannelRef | None = None
    weekdays: tuple[int, ...] | None = None
    at: time | None = None
    zone: ZoneInfo | None = None
    category: str | None = None
    language: str | None = None
    """The language the channel's posts are to be written in (`lang:de`), if said."""


def parse_subscribe(text: str, typed: SlackText) -> SubscribeArgs:
    """The subscription asked for; UserError naming the first word that does not fit."""
    words, category = _split_category(text)
    args = SubscribeArgs(category=category)
    for word in _joined_times(words):
        kind, field, value = _read(word, typed)
        if getattr(args, field) is not None:
            raise UserError(_(SECOND_ONE[kind]).format(word=shown(word)))
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
        raise UserError(
            _("`category:` needs a name, such as `category:{example}`.").format(
                example=escape("Home & Living")
            )
        )
    return [*text[: match.start()].split(), *after.split()], name


def _language(typed: str) -> str:
    language = typed.lower()
    if language not in LANGUAGES:
        raise UserError(
            _("`{typed}` is no language shopbot writes: type `lang:en` or `lang:de`.").format(
                typed=shown(typed)
            )
        )
    return language


def _read(word: str, typed: SlackText) -> tuple[str, str, Any]:
    """(what the word is, the SubscribeArgs field it sets, its value)."""
    channel = parse_channel(word, typed)
    if channel is not None:
        return "channel", "channel", channel
    if match := _LANGUAGE.fullmatch(word):
        return "language", "language", _language(match.group(1))
    if looks_like_time(word):
        return "time", "at", parse_time(word)
    if "/" in word or is_zone_abbreviation(word):
        return "time zone", "zone", parse_zone(word)
    if re.fullmatch(r"[A-Za-z]+(,[A-Za-z]*)*", word):
        return "list of weekdays", "weekdays", parse_weekdays(word)
    raise UserError(
        _("I don't understand `{word}` in a digest subscription.").format(word=shown(word))
    )
