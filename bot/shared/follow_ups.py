"""The one reminder loop: every kind of thing that reminds someone by DM is a `ReminderSource`
its feature declares (`Feature.follow_ups`: creator and seller notes on their follow-up
morning, an outreach pair whose stage is overdue), and the scheduler collects them from the
features (bot.features); one job asks them all, every few minutes from the team's morning on.

Each due reminder is a scheduled post (bot.shared.delivery.reminders): claimed in the database
before its DM is sent, so only one process sends it, even with a restart or two bots running;
retried when it fails for a reason that may pass; taken over when its worker died. A note's
follow-up missed while the bot was down is caught up later that day or within CATCH_UP_DAYS.
"""

from __future__ import annotations

import functools
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
from bot.shared.language import _
from bot.shared.replies import Reply

log = logging.getLogger(__name__)
MORNING = time(9, 0)
CATCH_UP_DAYS = 7
CHECK_EVERY_MINUTES = 10


@dataclass(frozen=True)
class ReminderSource:
    """One kind of reminder: the reminders `due` on a day (in the team's time zone), how to mark
    a subject reminded (no longer due, whoever sends its DM), and for notes the purge of those
    deleted over 30 days ago."""

    name: str
    due: Callable[[Engine, str, date, ZoneInfo], Sequence[Reminder]]
    mark_reminded: Callable[[Engine, int, datetime], bool]
    purge_deleted: Callable[[Engine, str, datetime], int] | None = None


class FollowedUp(Protocol):
    """A note whose follow-up is due: reminded to its author."""

    @property
    def id(self) -> int: ...

    @property
    def author_user_id(self) -> str: ...

    @property
    def follow_up_on(self) -> date | None: ...


def note_reminders(
    name: str,
    due: Callable[[Engine, str, date, date], Sequence[Any]],
    claim: Callable[[Engine, int, datetime], bool],
    message: Callable[[Any, ZoneInfo, date], Reply],
    purge_deleted: Callable[[Engine, str, datetime], int],
) -> ReminderSource:
    """A kind of note with follow-ups as a source: `due` finds the notes due between a day
    CATCH_UP_DAYS back and today, each reminded to its author with `message`."""

    def reminders(engine: Engine, team_id: str, today: date, tz: ZoneInfo) -> list[Reminder]:
        notes: Sequence[FollowedUp] = due(
            engine, team_id, today, today - timedelta(days=CATCH_UP_DAYS)
        )
        return [
            Reminder(
                name,
                note.id,
                note.follow_up_on or today,
                note.author_user_id,
                functools.partial(message, note, tz, today),
            )
            for note in notes
        ]

    return ReminderSource(name, reminders, claim, purge_deleted)


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
        return "✔ " + _("follow-up {day} done").format(day=day_text(note.follow_up_on))
    late = " " + _("*(overdue)*") if note.follow_up_on < today else ""
    return "⏰ " + _("follow-up {day}").format(day=day_text(note.follow_up_on)) + late


def add_reminder_jobs(
    scheduler: BaseScheduler, services: Services, sources: Sequence[ReminderSource]
) -> None:
    """Register the one reminder loop over the `sources`, and the purge of their notes deleted
    over 30 days ago. The jobs keep the ids they had when only creator notes reminded."""
    scheduler.add_job(
        lambda: send_reminders(services, sources),
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
        if source.purge_deleted is not None:
            source.purge_deleted(services.engine, team_id, services.clock())


def send_reminders(
    services: Services, sources: Sequence[ReminderSource], client: WebClient | None = None
) -> int:
    """DM every reminder of the `sources` due this morning (or missed lately), and those left
    to retry or to take over; how many sent."""
    local = services.local_now()
    if local.time() < MORNING:
        return 0
    reminders = ReminderDelivery(services, client)
    team_id, today, engine = services.workspace(), local.date(), services.engine
    sent = 0
    for source in sources:
        try:
            for reminder in source.due(engine, team_id, today, services.settings.tz):
                post = reminders.claim(reminder)
                # The subject is no longer due, whoever has its reminder (one that crashed
                # just after its claim included: its post is taken over).
                source.mark_reminded(engine, reminder.subject_id, services.clock())
                if post is not None:
                    sent += reminders.send(post)
        except Exception:  # ours (a bug, the database away): the other kinds still remind
            log.exception("sending %s reminders failed", source.name)
    sent += reminders.take_over()
    if sent:
        log.info("sent %d reminders", sent)
    return sent
