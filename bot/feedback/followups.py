"""Follow-up reminders: on a note's follow-up morning (team time zone) its author gets a DM
with the note and a Done button, once, even with a restart or two bots running. Creator notes
and seller notes are reminded alike; each kind is a `ReminderSource`.

The scheduler asks every few minutes; each due note is claimed in the database (one conditional
UPDATE) before its DM is sent, so only one process sends it. A send that fails for a reason that
may pass gives the claim back for the next run; a run missed while the bot was down is caught up
later that day or within CATCH_UP_DAYS.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.schedulers.base import BaseScheduler
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.engine import Engine

from bot.feedback.cards import reminder_message
from bot.feedback.delivery import send_dm
from bot.replies import Reply
from bot.services import Services
from storage import feedback as notes

log = logging.getLogger(__name__)
MORNING = time(9, 0)
CATCH_UP_DAYS = 7
CHECK_EVERY_MINUTES = 10
# Slack refusals that will not pass: keep the claim rather than retry every ten minutes.
PERMANENT = {"user_not_found", "account_inactive", "cannot_dm_bot", "user_disabled"}


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
    from storage.seller_notes import purge_deleted_seller_notes

    team_id = services.workspace()
    notes.purge_deleted(services.engine, team_id, services.clock())
    purge_deleted_seller_notes(services.engine, team_id, services.clock())


@dataclass(frozen=True)
class ReminderSource:
    """One kind of note with follow-ups: how to find the due ones, claim and release a
    reminder, and word it. A note has `id` and `author_user_id`."""

    name: str
    due: Callable[[Engine, str, date, date], Sequence[Any]]
    claim: Callable[[Engine, int, datetime], bool]
    release: Callable[[Engine, int], None]
    message: Callable[[Any, ZoneInfo, date], Reply]


CREATOR_NOTES = ReminderSource(
    "note", notes.due_reminders, notes.claim_reminder, notes.release_reminder, reminder_message
)


def reminder_sources() -> list[ReminderSource]:
    from bot.sellers.reminders import SELLER_NOTES  # seller notes build on this module

    return [CREATOR_NOTES, SELLER_NOTES]


def send_follow_up_reminders(services: Services, client: WebClient | None = None) -> int:
    """DM every follow-up due this morning (or missed lately) to its author; how many sent."""
    local = services.local_now()
    if local.time() < MORNING:
        return 0
    if client is None:
        from bot.app import web_client  # the app factory imports the handlers, which import us

        client = web_client(services.settings)
    team_id = services.workspace()
    today = local.date()
    sent = sum(_remind(services, client, source, team_id, today) for source in reminder_sources())
    if sent:
        log.info("sent %d follow-up reminders", sent)
    return sent


def _remind(
    services: Services, client: WebClient, source: ReminderSource, team_id: str, today: date
) -> int:
    engine, oldest = services.engine, today - timedelta(days=CATCH_UP_DAYS)
    sent = 0
    for note in source.due(engine, team_id, today, oldest):
        if not source.claim(engine, note.id, services.clock()):
            continue  # another process has it
        try:
            send_dm(client, note.author_user_id, source.message(note, services.settings.tz, today))
            sent += 1
        except SlackApiError as error:
            code = str(error.response.get("error", ""))
            if code not in PERMANENT:
                source.release(engine, note.id)
            log.warning("follow-up reminder for %s %s not sent: %s", source.name, note.id, code)
        except Exception:  # the network or Slack itself: the next run tries again
            source.release(engine, note.id)
            log.warning(
                "follow-up reminder for %s %s not sent", source.name, note.id, exc_info=True
            )
    return sent
