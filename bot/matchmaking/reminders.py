"""Outreach reminders: once a pair's stage is overdue, its owner gets one DM with the pair and
its stage buttons (claimed in the database first, so one process sends it; moving the pair
re-arms the reminder for its new stage)."""

from __future__ import annotations

import logging

from apscheduler.schedulers.base import BaseScheduler
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.feedback.delivery import send_dm
from bot.feedback.followups import CHECK_EVERY_MINUTES, MORNING, PERMANENT
from bot.matchmaking.pipeline import reminder_message
from bot.services import Services
from storage import outreach

log = logging.getLogger(__name__)


def add_outreach_jobs(scheduler: BaseScheduler, services: Services) -> None:
    scheduler.add_job(
        lambda: send_outreach_reminders(services),
        "interval",
        minutes=CHECK_EVERY_MINUTES,
        id="outreach-reminders",
        next_run_time=services.clock(),
    )


def send_outreach_reminders(services: Services, client: WebClient | None = None) -> int:
    """DM the owner of every pair overdue this morning (team time zone); how many sent."""
    local = services.local_now()
    if local.time() < MORNING:
        return 0
    if client is None:
        from bot.app import web_client  # the app factory imports the handlers, which import us

        client = web_client(services.settings)
    team_id = services.workspace()
    today = local.date()
    sent = 0
    for item in outreach.due_reminders(services.engine, team_id, today):
        if not outreach.claim_reminder(services.engine, item.id, services.clock()):
            continue
        try:
            send_dm(client, item.owner_user_id, reminder_message(item, today))
            sent += 1
        except SlackApiError as error:
            code = str(error.response.get("error", ""))
            if code not in PERMANENT:
                outreach.release_reminder(services.engine, item.id)
            log.warning("outreach reminder for pair %s not sent: %s", item.id, code)
        except Exception:
            outreach.release_reminder(services.engine, item.id)
            log.warning("outreach reminder for pair %s not sent", item.id, exc_info=True)
    return sent
