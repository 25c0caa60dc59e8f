"""Follow-up reminders: on a note's follow-up morning (team time zone) its author gets a DM
with the note and a Done button, once, even with a restart or two bots running. Creator notes
and seller notes are reminded alike; each kind is a `ReminderSource` (bot.delivery.reminders).

The scheduler asks every few minutes; each due note's reminder is a scheduled post
(bot.delivery.reminders): claimed in the database before its DM is sent, so only one process
sends it, retried when it fails for a reason that may pass, taken over when its worker died. A
run missed while the bot was down is caught up later that day or within CATCH_UP_DAYS.
"""

from __future__ import annotations

import logging
from datetime import date, time, timedelta

from apscheduler.schedulers.base import BaseScheduler
from slack_sdk import WebClient

from bot.delivery.reminders import Reminder, ReminderDelivery, ReminderSource
from bot.feedback.cards import reminder_message
from bot.sellers.reminders import SELLER_NOTES
from bot.services import Services
from storage import feedback as notes
from storage.seller_notes import purge_deleted_seller_notes

log = logging.getLogger(__name__)
MORNING = time(9, 0)
CATCH_UP_DAYS = 7
CHECK_EVERY_MINUTES = 10


def add_feedback_jobs(scheduler: BaseScheduler, services: Services) -> None:
    """Register the follow-up reminders and the purge of notes deleted over 30 days ago."""
    scheduler.add_job(
        lambda: send_follow_up_reminders(services),
        "interval",
        minutes=CHECK_EVERY_MINUTES,
        id="feedback-follow-ups",
        next_run_time=services.clock(),
    )
    scheduler.add_job(
        lambda: _purge_deleted(services),
        "interval",
        hours=24,
        id="feedback-purge-deleted",
        next_run_time=services.clock(),
    )


def _purge_deleted(services: Services) -> None:
    team_id = services.workspace()
    notes.purge_deleted(services.engine, team_id, services.clock())
    purge_deleted_seller_notes(services.engine, team_id, services.clock())


CREATOR_NOTES = ReminderSource("note", notes.due_reminders, notes.claim_reminder, reminder_message)


def reminder_sources() -> list[ReminderSource]:
    return [CREATOR_NOTES, SELLER_NOTES]


def send_follow_up_reminders(services: Services, client: WebClient | None = None) -> int:
    """DM every follow-up due this morning (or missed lately) to its author, and the reminders
    left to retry or to take over; how many sent."""
    local = services.local_now()
    if local.time() < MORNING:
        return 0
    reminders = ReminderDelivery(services, client)
    team_id = services.workspace()
    today = local.date()
    sent = sum(_remind(services, reminders, s, team_id, today) for s in reminder_sources())
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
