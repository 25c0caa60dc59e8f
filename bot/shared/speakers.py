"""Whose language an answer is written in (bot.shared.language's `Speech`).

- What only one person sees (an ephemeral answer, a form, their Home, a DM): the language they
  chose (`/shopbot language de`), else their Slack language (Slack tells it with `users.info`
  and `include_locale`), when it is one shopbot writes, else the workspace's (`SHOPBOT_LANGUAGE`).
- What is posted to a channel (a digest, a monthly review report, an alert): the channel's
  language (`/shopbot language #channel de`, or `lang:de` when subscribing it), else the
  workspace's. A team channel in English and a stakeholder channel in German live side by side.

A person's Slack language is asked once and remembered for `SLACK_LOCALE_MEMORY` per process; a
Slack that does not answer leaves the workspace's language (for `SLACK_SILENCE_MEMORY`, so an
outage does not slow every request), never a failed request.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from babel import Locale, UnknownLocaleError
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.settings import LANGUAGES
from bot.shared.language import N_, Speech, _, language_of, speaking, speech_in, workspace_speech
from bot.shared.replies import Reply, context
from storage.languages import CHANNEL, PERSON, choose_language, chosen_language

if TYPE_CHECKING:  # the services carry the settings, the database and the locales remembered
    from sqlalchemy.engine import Engine

    from bot.services import Services

log = logging.getLogger(__name__)
SLACK_LOCALE_MEMORY = timedelta(hours=6)
SLACK_SILENCE_MEMORY = timedelta(minutes=5)  # after Slack could not tell


@dataclass
class SlackLocales:
    """People's Slack locales as Slack last told them ('' for none shopbot writes, or none
    known), each until when it is believed; one per services (per workspace and process)."""

    known: dict[str, tuple[str, datetime]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def remembered(self, user_id: str, now: datetime) -> str | None:
        with self.lock:
            found = self.known.get(user_id)
        return found[0] if found is not None and now < found[1] else None

    def remember(self, user_id: str, locale: str, until: datetime) -> None:
        with self.lock:
            self.known[user_id] = (locale, until)


def babel_locale(slack_locale: str) -> str:
    """Slack's `de-DE` as Babel names it (`de_DE`); '' when it is no locale or of a language
    shopbot does not write."""
    if not language_of(slack_locale):
        return ""
    try:
        return str(Locale.parse(slack_locale.replace("-", "_")))
    except (ValueError, UnknownLocaleError):
        return LANGUAGES[language_of(slack_locale)]


def slack_locale(client: WebClient, locales: SlackLocales, user_id: str, now: datetime) -> str:
    """The person's Slack locale (Babel's name), asked once per `SLACK_LOCALE_MEMORY`."""
    remembered = locales.remembered(user_id, now)
    if remembered is not None:
        return remembered
    try:
        user = client.users_info(user=user_id, include_locale=True)["user"]
        locale = babel_locale(str(user.get("locale") or ""))
    except (SlackApiError, SlackClientError, OSError, KeyError, TypeError) as error:
        # The workspace's language meanwhile; asked again after a while, not at every request.
        log.warning("could not read the Slack language of %s: %s", user_id, error)
        locales.remember(user_id, "", now + SLACK_SILENCE_MEMORY)
        return ""
    locales.remember(user_id, locale, now + SLACK_LOCALE_MEMORY)
    return locale


def person_speech(services: Services, client: WebClient, team_id: str, user_id: str) -> Speech:
    """The speech of what one person sees: their choice, else their Slack language, else the
    workspace's (bot.shared.language.speech_in says in which formats)."""
    workspace = workspace_speech(services.settings)
    if not user_id:
        return workspace
    choice = chosen(services.engine, team_id, PERSON, user_id)
    own = slack_locale(client, services.slack_locales, user_id, services.clock())
    return speech_in(choice or language_of(own) or workspace.language, workspace, own)


def channel_speech(services: Services, team_id: str, channel_id: str) -> Speech:
    """The speech of what is posted to a channel: its own language, else the workspace's."""
    workspace = workspace_speech(services.settings)
    choice = chosen(services.engine, team_id, CHANNEL, channel_id)
    return speech_in(choice or workspace.language, workspace)


def chosen(engine: Engine, team_id: str, kind: str, target: str) -> str | None:
    """The language chosen for a person (`PERSON`) or a channel (`CHANNEL`), if any."""
    language = chosen_language(engine, team_id, kind, target)
    return language if language in LANGUAGES else None


def keep_channel_language(
    services: Services, team_id: str, channel_id: str, language: str | None, set_by: str
) -> None:
    """Keep the language a channel's posts are written in, when one was said (`lang:de`)."""
    if language is not None:
        choose_language(
            services.engine,
            team_id,
            CHANNEL,
            channel_id,
            language,
            set_by=set_by,
            now=services.clock(),
        )


def channel_language_line(services: Services, team_id: str, channel_id: str) -> str:
    """`Posts in #channel are written in German (chosen for this channel).`, in that language."""
    own_choice = chosen(services.engine, team_id, CHANNEL, channel_id) is not None
    spoken = channel_speech(services, team_id, channel_id)
    with speaking(spoken):
        source = _("chosen for this channel") if own_choice else _("the workspace's")
        return _("Posts in <#{channel}> are written in {language} ({source}).").format(
            channel=channel_id, language=_(LANGUAGE_NAMES[spoken.language]), source=source
        )


LANGUAGE_NAMES = {"en": N_("English"), "de": N_("German")}
"""Each language by its name, in the reader's language."""


def with_language_line(
    answer: Reply, services: Services, team_id: str, channel_id: str, language: str | None
) -> Reply:
    """A subscription's answer, saying the channel's language when the subscription set it."""
    if language is None:
        return answer
    line = channel_language_line(services, team_id, channel_id)
    return Reply(f"{answer.text}\n{line}", [*answer.blocks, context(line)], answer.in_channel)
