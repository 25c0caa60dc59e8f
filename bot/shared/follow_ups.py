"""Follow-up reminders: on a note's follow-up morning (team time zone) its author gets a DM
with the note and a Done button, once, even with a restart or two bots running. Every kind of
note with follow-ups (creator notes, seller notes) is reminded alike; each is a `ReminderSource`
that its feature declares (bot.features: `Feature.follow_ups`), reminded by the scheduler's one
loop (bot.scheduler).

The scheduler asks every few minutes; each due note's reminder is a scheduled post
(bot.shared.delivery.reminders): claimed in the database before its DM is sent, so only one
process sends it, retried when it fails for a reason that may pass, taken over when its worker
died. A run missed while the bot was down is caught up later that day or within CATCH_UP_DAYS.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from apscheduler.schedulers.base import BaseScheduler
from slack_sdk import WebClient
from sqlalchemy.engine import Engine

from bot.services import Services
from bot.shared.days import day_text
from bot.shared.delivery.reminders import Reminder, ReminderDelivery
from bot.shared.replies import Reply

log = logging.getLogger(__name__)
MORNING = time(9, 0)
CATCH_UP_DAYS = 7
CHECK_EVERY_MINUTES = 10


@dataclass(frozen=True)
class ReminderSource:
    """One kind of note with follow-ups: how to find the due ones, mark one reminded (no longer
    due), word its reminder, and purge the notes deleted over 30 days ago. A note has `id`,
    `author_user_id` and `follow_up_on`."""

    name: str
    due: Callable[[Engine, str, date, date], Sequence[Any]]
    claim: Callable[[Engine, int, datetime], bool]
    message: Callable[[Any, ZoneInfo, date], Reply]
    purge_deleted: Callable[[Engine, str, datetime], int]


class WithFollowUp(Protocol):
    """A note that may have a follow-up."""

    @property
    def follow_up_on(self) -> date | None: ...

    @property
    def follow_up_done_at(self) -> datetime | None: ...


def follow_up_text(note: WithFollowUp, today: date) -> str:
    """A note's follow-up as its cards show it: due (and whether overdue) or done."""
    if note.follow_up_on is None:
        return ""
    if note.follow_up_done_at is not None:
        return f"✔ follow-up {day_text(note.follow_up_on)} done"
    late = " *(overdue)*" if note.follow_up_on < today else ""
    return f"⏰ follow-up {day_text(note.follow_up_on)}{late}"


def add_follow_up_jobs(
    scheduler: BaseScheduler,
    services: Services,
    send_reminders: Callable[[Services], int],
    sources: Sequence[ReminderSource],
) -> None:
    """Register the follow-up reminders (`send_reminders`) and the purge of the `sources`' notes
    deleted over 30 days ago. The jobs keep the ids they had when only creator notes had
    follow-ups."""
    scheduler.add_job(
        lambda: send_reminders(services),
        "interval",
        minutes=CHECK_EVERY_MINUTES,
        id="feedback-follow-ups",
        next_run_time=services.clock(),
    )
    scheduler.add_job(
        lambda: purge_deleted(services, sources),
        "interval",
        hours=24,
        id="feedback-purge-deleted",
        next_run_time=services.clock(),
    )


def purge_deleted(services: Services, sources: Sequence[ReminderSource]) -> None:
    team_id = services.workspace()
    for source in sources:
        source.purge_deleted(services.engine, team_id, services.clock())


def remind_follow_ups(
    services: Services, sources: Sequence[ReminderSource], client: WebClient | None = None
) -> int:
    """DM every follow-up of the `sources` due this morning (or missed lately) to its author,
    and the reminders left to retry or to take over; how many sent."""
    local = services.local_now()
    if local.time() < MORNING:
        return 0
    reminders = ReminderDelivery(services, client)
    team_id = services.workspace()
    today = local.date()
    sent = sum(_remind(services, reminders, s, team_id, today) for s in sources)
    sent += reminders.take_over()
    if sent:
        log.info("sent %d follow-up reminders", sent)
    return sent


def _remind(
    services: Services,
    reminders: ReminderDelivery,
    source: ReminderSource,
    team_id: str,
    today: date,
) -> int:
    engine, oldest = services.engine, today - timedelta(days=CATCH_UP_DAYS)
    sent = 0
    for note in source.due(engine, team_id, today, oldest):
        reply = source.message(note, services.settings.tz, today)
        reminder = Reminder(
            source.name, note.id, note.follow_up_on or today, note.author_user_id, reply
        )
        post = reminders.claim(reminder)
        # The note is no longer due, whoever has its reminder (one that crashed just after its
        # claim included: its post is taken over).
        source.claim(engine, note.id, services.clock())
        if post is not None:
            sent += reminders.send(post)
    return sent
