"""The monthly review report a channel subscribes to: on the first of each month, at its time
in its time zone, the report (bot.review.report) on the calendar month before, with its chart.

APScheduler triggers a check every few minutes; the database decides: each month's post is
claimed before anything is sent (storage.review_reports), so it is posted once, and a first
of the month missed while the bot was down is caught up when it runs again that month.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.schedulers.base import BaseScheduler
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.commands import CommandRequest
from bot.digest.channels import find_channel, require_postable
from bot.digest.parsing import ChannelRef, parse_channel_only, parse_subscribe
from bot.digest.schedule import parse_time
from bot.feedback.report import ReportPeriod
from bot.replies import Reply, escape, section
from bot.review.parsing import resolve_category
from bot.review.report import build_review_report, report_post
from bot.services import Services
from storage import review_reports as store
from storage.errors import AdminsOnly, UserError, usage_on_error
from storage.models import ReviewReportSubscription, SubscriptionStatus
from storage.reviews import ReviewFilter, purge_deleted_reviews

log = logging.getLogger(__name__)
SUBSCRIBE_USAGE = "/review subscribe [#channel] [09:00] [Europe/Berlin] [category:<name>]"
CHECK_EVERY_MINUTES = 5
DEFAULT_TIME = "09:00"


def calendar_month(first: date) -> ReportPeriod:
    """The calendar month that starts on `first`."""
    following = (first + timedelta(days=32)).replace(day=1)
    return ReportPeriod(first, following - timedelta(days=1))


def month_before(day: date) -> ReportPeriod:
    """The calendar month before `day`'s month."""
    return calendar_month((day.replace(day=1) - timedelta(days=1)).replace(day=1))


def due_month(subscription: ReviewReportSubscription, now: datetime) -> date | None:
    """The month (its first day) whose report is due now, or None: from the first of the
    next month at the subscription's time to the end of that month."""
    zone = ZoneInfo(subscription.timezone)
    local = now.astimezone(zone)
    hour, minute = (int(part) for part in subscription.post_time.split(":"))
    slot = datetime(local.year, local.month, 1, hour, minute, tzinfo=zone)
    if local < slot or slot < subscription.active_since:
        return None
    return month_before(local.date()).start


def post_due_reports(services: Services, client: WebClient | None = None) -> int:
    """Post every monthly report that is due and not claimed yet; how many were posted."""
    if client is None:
        from bot.app import web_client  # the app factory imports the handlers, which import us

        client = web_client(services.settings)
    posted = 0
    for subscription in store.live_monthly(services.engine, services.workspace()):
        month = due_month(subscription, services.clock())
        if month is None:
            continue
        post_id = store.claim_month(services.engine, subscription, month, services.clock())
        if post_id is None:
            continue  # posted already, or another process has it
        try:
            ts = post_report(services, client, subscription, month)
        except SlackApiError as error:
            code = str(error.response.get("error", "")) or "slack_error"
            store.finish_post(services.engine, post_id, services.clock(), error=code)
            log.warning("monthly review report %s not posted: %s", subscription.id, code)
            continue
        except Exception as error:
            store.finish_post(services.engine, post_id, services.clock(), error=str(error)[:400])
            log.exception("monthly review report %s failed", subscription.id)
            continue
        store.finish_post(services.engine, post_id, services.clock(), ts=ts)
        posted += 1
    return posted


def post_report(
    services: Services, client: WebClient, subscription: ReviewReportSubscription, month: date
) -> str:
    """Post the month's report (chart first) in the subscription's channel; the message ts."""
    period, previous = calendar_month(month), month_before(month)
    scope = subscription.category or "the team"
    which = ReviewFilter(category=subscription.category)
    report = build_review_report(
        services.engine, subscription.team_id, period, which, scope, previous=previous
    )
    post = report_post(report)
    if post.chart_png is not None:
        client.files_upload_v2(
            channel=subscription.channel_id,
            content=post.chart_png,
            filename=f"review-scores-{period.start:%Y-%m}.png",
            title=post.chart_title,
        )
        response = client.chat_postMessage(
            channel=subscription.channel_id,
            text=post.text,
            blocks=[b.to_dict() for b in post.blocks],
        )
    else:
        text = f"Livestream reviews · {escape(scope)} · {period.label()}: no streams were reviewed."
        response = client.chat_postMessage(
            channel=subscription.channel_id, text=text, blocks=[section(text).to_dict()]
        )
    return str(response["ts"])


def add_review_report_jobs(scheduler: BaseScheduler, services: Services) -> None:
    """The check for due monthly reports (the first at start, to catch up), and the purge of
    reviews deleted over 30 days ago, as for creator notes."""
    scheduler.add_job(
        lambda: post_due_reports(services),
        "interval",
        minutes=CHECK_EVERY_MINUTES,
        id="review-monthly-reports",
        next_run_time=services.clock(),
    )
    scheduler.add_job(
        lambda: purge_deleted_reviews(services.engine, services.workspace(), services.clock()),
        "interval",
        hours=24,
        id="review-purge-deleted",
        next_run_time=services.clock(),
    )


# ---- subscribing ----------------------------------------------------------------------------


def subscribe(services: Services, request: CommandRequest) -> Reply:
    """Subscribe the channel named (or this one) to the monthly review report."""
    with usage_on_error(SUBSCRIBE_USAGE):
        args = parse_subscribe(request.args, request.typed)
        if args.weekdays is not None:
            raise UserError(
                "The review report posts on the 1st of each month: leave out the weekdays."
            )
        category = (
            resolve_category(services.engine, request.team_id, args.category)
            if args.category
            else None
        )
    assert request.slack is not None
    channel = find_channel(request.slack, args.channel or ChannelRef(id=request.channel_id))
    require_postable(channel)
    existing = store.subscription_of(services.engine, request.team_id, channel.id)
    if existing is not None and existing.status != SubscriptionStatus.STOPPED:
        _require_may_change(services, request, existing, "change")
    zone = args.zone or (ZoneInfo(existing.timezone) if existing else services.settings.tz)
    at = f"{args.at:%H:%M}" if args.at else (existing.post_time if existing else DEFAULT_TIME)
    parse_time(at)  # stored as HH:MM, which the scheduler reads back
    draft = store.MonthlyDraft(
        team_id=request.team_id,
        channel_id=channel.id,
        channel_name=channel.name,
        post_time=at,
        timezone=zone.key,
        category=category,
        user_id=request.user_id,
    )
    saved = store.save_monthly(services.engine, draft, services.clock())
    what = f" for {escape(saved.category)}" if saved.category else ""
    text = (
        f"📅 #{escape(saved.channel_name)} gets the livestream review report{what} on the 1st "
        f"of each month at {saved.post_time} ({saved.timezone}), on the month before. "
        "`/review unsubscribe` stops it."
    )
    return Reply(text=text, blocks=[section(text)])


def _require_may_change(
    services: Services, request: CommandRequest, found: ReviewReportSubscription, verb: str
) -> None:
    if not (request.is_admin or request.user_id == found.created_by):
        raise AdminsOnly(
            f"{verb} it",
            services.settings.admins,
            besides=f"<@{found.created_by}>, who subscribed this channel,",
        )


def unsubscribe(services: Services, request: CommandRequest) -> Reply:
    """Stop the monthly review report of the channel named (or this one)."""
    with usage_on_error("/review unsubscribe [#channel]"):
        ref = parse_channel_only(request.args, request.typed)
    assert request.slack is not None
    channel_id = ref.id if ref is not None and ref.id else request.channel_id
    if ref is not None and ref.id is None:
        channel_id = find_channel(request.slack, ref).id
    found = store.subscription_of(services.engine, request.team_id, channel_id)
    if found is None or found.status == SubscriptionStatus.STOPPED or found.id is None:
        raise UserError(
            "That channel has no monthly review report to stop.", ["/review subscribe #channel"]
        )
    _require_may_change(services, request, found, "stop")
    store.stop_monthly(services.engine, found.id)
    text = f"Stopped the monthly review report in #{escape(found.channel_name)}."
    return Reply(text=text, blocks=[section(text)])
