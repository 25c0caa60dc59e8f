"""The alert's buttons: Acknowledge (records who, and edits the post to say so) and Mute for
7 days."""

from __future__ import annotations

from datetime import timedelta

from slack_sdk import WebClient

from bot.alerts.manage import mute_for
from bot.alerts.render import MUTE_DAYS, acknowledged_blocks
from bot.services import Services
from bot.shared.carried import carried_number
from bot.shared.days import clock, weekday_short_day
from bot.shared.language import _
from bot.shared.replies import Reply, section
from storage.alerts import rules as store
from storage.errors import UserError


def _number(value: str, what: str) -> int:
    return carried_number(value, what, "/alert list")


def acknowledge_alert(
    services: Services, client: WebClient, team_id: str, user_id: str, value: str
) -> None:
    """Record the acknowledgement (the first one stays) and edit the alert's post to show it."""
    firing = store.acknowledge(
        services.engine, team_id, _number(value, "an alert"), user_id, services.clock()
    )
    if firing is None:
        raise UserError(_("That alert is gone: its rule was removed."), ["/alert list"])
    assert firing.acknowledged_by is not None and firing.acknowledged_at is not None
    rule = store.rule_by_id(services.engine, team_id, firing.rule_id)
    blocks = acknowledged_blocks(
        firing.message, rule.number if rule else 0, firing.acknowledged_by, firing.acknowledged_at
    )
    if firing.message_ts:
        client.chat_update(
            channel=firing.channel_id,
            ts=firing.message_ts,
            text=firing.message,
            blocks=[b.to_dict() for b in blocks],
        )


def mute_from_alert(services: Services, team_id: str, user_id: str, value: str) -> Reply:
    number = _number(value, "an alert rule")
    until = mute_for(services, team_id, number, timedelta(days=MUTE_DAYS), user_id)
    text = _(":no_bell: Muted until {day} {time} UTC. `/alert list` shows every alert.").format(
        day=weekday_short_day(until.date()), time=clock(until)
    )
    return Reply(text=text, blocks=[section(text)])
