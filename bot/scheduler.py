"""The in-process scheduler: APScheduler triggers the jobs; the database decides what runs.

Its jobs are the core's (forgetting old Slack events; the one reminder loop over what the
features remind of, `Feature.follow_ups`; the one delivery run over the kinds of scheduled post
they declare, `Feature.scheduled_posts`) and those the features add (`Feature.jobs`), from the
features the services carry (bot.features)."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from datetime import timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from slack_sdk import WebClient

from bot.services import Services, pin_workspace
from bot.shared.delivery.run import add_delivery_job
from bot.shared.follow_ups import add_reminder_jobs, send_reminders
from bot.shared.language import speaking, workspace_speech
from storage.events import prune_processed_events

log = logging.getLogger(__name__)
EVENT_MEMORY = timedelta(days=7)


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
    features = services.features
    add_reminder_jobs(scheduler, services, features.follow_ups)
    add_delivery_job(scheduler, services, features.scheduled_posts)
    for add_jobs in features.jobs:
        add_jobs(scheduler, services)
    for job in scheduler.get_jobs():  # not started yet: these are the jobs just added
        job.modify(func=in_workspace_speech(job.func, services))
    return scheduler


def in_workspace_speech(job: Callable[..., object], services: Services) -> Callable[..., object]:
    """A job that writes in the workspace's own speech (bot.shared.language), unless it sets
    one of its own for what it writes (a channel's, a person's): a job's thread starts with
    none."""

    @functools.wraps(job)
    def spoken(*args: object, **kwargs: object) -> object:
        with speaking(workspace_speech(services.settings)):
            return job(*args, **kwargs)

    return spoken


def forget_old_events(services: Services) -> int:
    """Slack redelivers within minutes; remembering a week of event IDs is ample."""
    before = services.clock() - EVENT_MEMORY
    removed = prune_processed_events(services.engine, services.workspace(), before)
    if removed:
        log.info("forgot %d processed Slack events older than %s", removed, EVENT_MEMORY)
    return removed


def remind(services: Services, client: WebClient | None = None) -> int:
    """DM every reminder due this morning, of everything the features remind of (note
    follow-ups, overdue outreach); how many sent."""
    return send_reminders(services, services.features.follow_ups, client)
