"""The in-process scheduler: APScheduler triggers the jobs; the database decides what runs."""

from __future__ import annotations

import logging
from datetime import timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from slack_sdk import WebClient

from bot.alerts.jobs import ALERTS, add_alert_purge_job
from bot.digest.jobs import WEEKLY_DIGESTS
from bot.feedback.reminders import CREATOR_NOTES
from bot.home.tab import add_home_jobs
from bot.matchmaking.reminders import OVERDUE_OUTREACH
from bot.review.monthly import MONTHLY_REVIEW_REPORTS, add_review_purge_job
from bot.sellers.reminders import SELLER_NOTES
from bot.services import Services, pin_workspace
from bot.shared.delivery.run import ScheduledPosts, add_delivery_job
from bot.shared.follow_ups import ReminderSource, add_reminder_jobs, send_reminders
from storage.events import prune_processed_events

log = logging.getLogger(__name__)
EVENT_MEMORY = timedelta(days=7)
# Every kind of scheduled post, delivered by one run (bot.shared.delivery.run).
SCHEDULED_POSTS: tuple[ScheduledPosts, ...] = (WEEKLY_DIGESTS, MONTHLY_REVIEW_REPORTS, ALERTS)
# What reminds someone by DM, in one loop (bot.shared.follow_ups).
REMINDED: tuple[ReminderSource, ...] = (CREATOR_NOTES, SELLER_NOTES, OVERDUE_OUTREACH)


def build_scheduler(services: Services) -> BackgroundScheduler:
    """A scheduler in the team's time zone with the housekeeping jobs registered. Its jobs
    serve the installed workspace alone (pinned here, if the app has not done so already),
    whatever other workspaces' rows the database holds."""
    if services.installed_team_id is None:
        pin_workspace(services, services.slack())
    scheduler = BackgroundScheduler(
        timezone=services.settings.tz,
        job_defaults={
            "coalesce": True,
            "max_instances": 1,
            "misfire_grace_time": 3600,
        },
    )
    scheduler.add_job(
        lambda: forget_old_events(services),
        "interval",
        hours=6,
        id="forget-old-events",
        next_run_time=services.clock(),
    )
    add_reminder_jobs(scheduler, services, REMINDED)
    add_delivery_job(scheduler, services, SCHEDULED_POSTS)
    add_review_purge_job(scheduler, services)
    add_alert_purge_job(scheduler, services)
    add_home_jobs(scheduler, services)
    return scheduler


def forget_old_events(services: Services) -> int:
    """Slack redelivers within minutes; remembering a week of event IDs is ample."""
    before = services.clock() - EVENT_MEMORY
    removed = prune_processed_events(services.engine, services.workspace(), before)
    if removed:
        log.info("forgot %d processed Slack events older than %s", removed, EVENT_MEMORY)
    return removed


def remind(services: Services, client: WebClient | None = None) -> int:
    """DM every reminder due this morning: note follow-ups and overdue outreach; how many sent."""
    return send_reminders(services, REMINDED, client)
