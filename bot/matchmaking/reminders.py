"""Outreach reminders: once a pair's stage is overdue, its owner gets one DM with the pair and
its stage buttons. A source of the one reminder loop (bot.shared.follow_ups), which sends it as
a scheduled post (claimed first, so one process sends it, retried and taken over like every
scheduled post); moving the pair re-arms the reminder for its new stage."""

from __future__ import annotations

from datetime import date
from functools import partial
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from bot.matchmaking.pipeline import reminder_message
from bot.shared.delivery.reminders import Reminder
from bot.shared.follow_ups import ReminderSource
from storage.matchmaking import outreach


def overdue_pairs(engine: Engine, team_id: str, today: date, tz: ZoneInfo) -> list[Reminder]:
    """A DM to the owner of every pair overdue on `today`."""
    return [
        Reminder(
            f"outreach {item.stage}",  # a pair moved on is reminded again at its new stage
            item.id,
            item.due_on or today,
            item.owner_user_id,
            partial(reminder_message, item, today),
        )
        for item in outreach.due_reminders(engine, team_id, today)
    ]


OVERDUE_OUTREACH = ReminderSource("outreach", overdue_pairs, outreach.claim_reminder)
