"""`/shopbot language`: which language shopbot writes for you and for a channel, and changing it.

`/shopbot language` says both; `/shopbot language de` (or `en`) writes what only you see in that
language, `/shopbot language #channel de` what is posted to a channel (digests, monthly review
reports, alerts); `auto` goes back to your Slack language, or the channel to the workspace's."""

from __future__ import annotations

from bot.services import Services
from bot.settings import LANGUAGES
from bot.shared.channels import parse_channel
from bot.shared.commands import CommandRequest
from bot.shared.language import _, speaking
from bot.shared.replies import Reply, section, shown
from bot.shared.speakers import LANGUAGE_NAMES, channel_language_line, chosen, person_speech
from storage.errors import Usage, UserError
from storage.languages import CHANNEL, PERSON, choose_language

AUTO = "auto"


def language_answer(services: Services, request: CommandRequest) -> Reply:
    words = request.args.split()
    channel = None
    if words and (channel := parse_channel(words[0], request.typed)) is not None:
        words = words[1:]
    if len(words) > 1 or (words and words[0].lower() not in {*LANGUAGES, AUTO}):
        raise UserError(
            _("`{typed}` is no language shopbot writes: type `en`, `de` or `auto`.").format(
                typed=shown(" ".join(words))
            ),
            [Usage("/shopbot", "language")],
        )
    if channel is not None and channel.id is None:
        raise UserError(
            _("Pick the channel from Slack's list as you type `#`, so its ID comes along."),
            [Usage("/shopbot", "language")],
        )
    kind, target = (CHANNEL, str(channel.id)) if channel else (PERSON, request.user_id)
    if words:
        wanted = words[0].lower()
        choose_language(
            services.engine,
            request.team_id,
            kind,
            target,
            None if wanted == AUTO else wanted,
            set_by=request.user_id,
            now=services.clock(),
        )
    return _describe(services, request, kind, target, changed=bool(words))


def _describe(
    services: Services, request: CommandRequest, kind: str, target: str, *, changed: bool
) -> Reply:
    """Says the language now in force, and where it comes from, in that language itself."""
    if kind == CHANNEL:
        text = channel_language_line(services, request.team_id, target)
    else:
        own_choice = chosen(services.engine, request.team_id, kind, target) is not None
        spoken = person_speech(services, request.slack, request.team_id, target)
        with speaking(spoken):
            source = _("your choice") if own_choice else _("your Slack language or the workspace's")
            text = _("What only you see is written in {language} ({source}).").format(
                language=_(LANGUAGE_NAMES[spoken.language]), source=source
            )
    if changed:
        text = "✅ " + text
    return Reply(text=text, blocks=[section(text)])
