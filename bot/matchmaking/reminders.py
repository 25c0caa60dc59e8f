"""Outreach reminders: once a pair's stage is overdue, its owner gets one DM with the pair and
its stage buttons, sent as a scheduled post (bot.shared.delivery.reminders: claimed first, so one
process sends it, retried and taken over like every scheduled post); moving the pair re-arms
the reminder for its new stage."""

from __future__ import annotations

from apscheduler.schedulers.base import BaseScheduler
from slack_sdk import WebClient

from bot.matchmaking.pipeline import reminder_message
from bot.services import Services
from bot.shared.delivery.reminders import Reminder, ReminderDelivery
from bot.shared.follow_ups import CHECK_EVERY_MINUTES, MORNING
from storage import outreach


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
    reminders = ReminderDelivery(services, client)
    today, sent = local.date(), 0
    for item in outreach.due_reminders(services.engine, services.workspace(), today):
        reminder = Reminder(
            f"outreach {item.stage}",  # a pair moved on is reminded again at its new stage
            item.id,
            item.due_on or today,
            item.owner_user_id,
            reminder_message(item, today),
        )
        post = reminders.claim(reminder)
        outreach.claim_reminder(services.engine, item.id, services.clock())  # no longer due
        if post is not None:
            sent += reminders.send(post)
    return sent + reminders.take_over()
