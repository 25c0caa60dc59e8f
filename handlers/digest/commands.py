"""`/digest`: the weekly chart digest, subscribed per channel and posted on schedule."""

from __future__ import annotations

from bot.digest import manage
from bot.services import Services
from bot.shared.commands import CommandRequest, SlashCommand
from bot.shared.replies import Reply

DIGEST = SlashCommand("/digest", "weekly chart digests posted to channels on a schedule")


@DIGEST.subcommand("subscribe", slow=True)
def digest_subscribe(services: Services, request: CommandRequest) -> Reply:
    """`/digest subscribe [#channel] [mon,thu] [09:00] [zone] [category:<name>] [lang:de]`:
    post the weekly digest in a channel

    Posts the weekly digest in the channel. Defaults: this channel, Monday 09:00, the team's
    time zone, all categories. Time: 09:00, 21:30, 9am or 9:30pm. Zone: an IANA name such as
    Europe/Berlin, or an abbreviation such as CET, GMT, EST, PST, SGT or IST (the answer to a
    zone it does not know lists them all). A channel shopbot cannot see is answered with the
    channels it is in. On a subscribed channel it changes what you name, keeps the rest and
    says which is which (`category:all` for every category).
    """
    return manage.subscribe(services, request)


@DIGEST.subcommand("list")
def digest_list(services: Services, request: CommandRequest) -> Reply:
    """`/digest list`: the channels that get the digest, when, and what they get"""
    return manage.list_subscriptions(services, request)


@DIGEST.subcommand("unsubscribe", slow=True)
def digest_unsubscribe(services: Services, request: CommandRequest) -> Reply:
    """`/digest unsubscribe [#channel]`: stop a channel's digest (its creator or an admin)"""
    return manage.unsubscribe(services, request)


@DIGEST.subcommand("history", slow=True)
def digest_history(services: Services, request: CommandRequest) -> Reply:
    """`/digest history [#channel]`: the channel's latest digest runs and how they went"""
    return manage.history(services, request)


@DIGEST.subcommand("preview", slow=True)
def digest_preview(services: Services, request: CommandRequest) -> Reply:
    """`/digest preview [#channel]`: the digest as it would be posted now, for you alone"""
    return manage.preview(services, request)


@DIGEST.subcommand("send", slow=True)
def digest_send(services: Services, request: CommandRequest) -> Reply:
    """`/digest send [#channel]`: post the channel's digest now (admins)

    Admins are the Slack user IDs in the SHOPBOT_ADMINS setting; a refusal names them.
    """
    return manage.send(services, request)
