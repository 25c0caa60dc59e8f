"""`/alert`: KPI alerts that fire once, on real changes, with the reason; and the alert's
Acknowledge and Mute buttons."""

from __future__ import annotations

from typing import Any

from slack_bolt import Respond
from slack_sdk import WebClient

from bot.alerts import manage
from bot.alerts.actions import acknowledge_alert, mute_from_alert
from bot.services import Services
from bot.shared.commands import CommandRequest, SlashCommand
from bot.shared.replies import Reply
from bot.shared.viewer import Viewer
from handlers.answers import Answer, answer_at, carried

ALERT = SlashCommand("/alert", "KPI alerts: a post when a number moves for real, with the reason")


@ALERT.subcommand("add", slow=True)
def alert_add(services: Services, request: CommandRequest) -> Reply:
    """`/alert add <metric> [category:<name>|seller:<name>] [rule] [#channel]`: watch a KPI and
    post when it moves

    Rules: nothing or `unusual` (the day against the same weekday of the previous 8 weeks),
    `drop 30%` / `rise 50%` (`vs last week` or `vs 7-day average`), `below 10000` /
    `above 10000` (currency units for money, `%` for rates). Default channel: this one; the bot
    must be in it. At most 50 alerts per workspace.
    """
    return manage.add(services, request)


@ALERT.subcommand("list", paged=True)
def alert_list(services: Services, request: CommandRequest) -> Reply:
    """`/alert list [page:N]`: the workspace's alerts, where they post and any mute"""
    return manage.list_rules(services, request)


@ALERT.subcommand("remove")
def alert_remove(services: Services, request: CommandRequest) -> Reply:
    """`/alert remove <n>`: stop alert n of `/alert list` (restorable for 30 days)

    Its author or an admin may remove it.
    """
    return manage.remove(services, request)


@ALERT.subcommand("restore")
def alert_restore(services: Services, request: CommandRequest) -> Reply:
    """`/alert restore <n>`: bring back a removed alert (admins, within 30 days)

    It keeps its number and fires again from the next check.
    """
    return manage.restore(services, request)


@ALERT.subcommand("mute")
def alert_mute(services: Services, request: CommandRequest) -> Reply:
    """`/alert mute <n> [7d]`: silence alert n for a while (its author or an admin)

    `7d`, `24h`, `2w`; up to 90 days.
    """
    return manage.mute(services, request)


@ALERT.subcommand("help")
def alert_help(services: Services, request: CommandRequest) -> Reply:
    """`/alert help`: the rules, complete days and the maths behind them"""
    return manage.help_reply(services, [sub.usage for sub in ALERT.usages])


def acknowledge_clicked(
    action: dict[str, Any], respond: Respond, client: WebClient, services: Services, who: Viewer
) -> None:
    """Records who acknowledged the alert and edits the post to say so."""
    value = carried(action)
    answer_at(
        respond,
        "acknowledge alert",
        who,
        lambda: acknowledge_alert(services, client, who.team_id, who.user_id, value),
    )


def mute_clicked(action: dict[str, Any], respond: Respond, services: Services, who: Viewer) -> None:
    """Mutes the alert's rule for 7 days (its author or an admin); the answer, for the clicker
    alone, says until when."""
    value = carried(action)
    answer_at(
        respond,
        "mute alert",
        who,
        lambda: Answer(mute_from_alert(services, who.team_id, who.user_id, value)),
    )
