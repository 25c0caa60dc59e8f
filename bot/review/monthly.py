"""The monthly review report a channel subscribes to: on the first of each month, at its time
in its time zone, the report (bot.review.report) on the calendar month before, with its chart.

The one delivery run (bot.shared.delivery.run) checks every few minutes; the database decides:
each month's post goes through the one delivery life cycle (bot.shared.delivery): claimed before
anything is sent, 429s waited out and failures retried, a post whose worker died taken over
(after a look in the channel), so it is posted once; a first of the month missed while the bot
was down is caught up when it runs again that month.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.schedulers.base import BaseScheduler

from bot.review.parsing import resolve_category
from bot.review.report import build_review_report, report_heading, report_post
from bot.services import Services
from bot.shared.channels import ChannelRef, find_channel, parse_channel_only, require_postable
from bot.shared.commands import CommandRequest
from bot.shared.days import clock
from bot.shared.delivery import Deliverer, Outbound, worker_name
from bot.shared.delivery.run import ScheduledPosts
from bot.shared.delivery.slack import (
    DeliverySlack,
    LostClaim,
    Posted,
    Transient,
    marked,
)
from bot.shared.language import _, speaking
from bot.shared.numbers import style_of
from bot.shared.replies import Reply, escape, section
from bot.shared.report_periods import ReportPeriod
from bot.shared.schedule import parse_time
from bot.shared.speakers import channel_speech, keep_channel_language, with_language_line
from bot.shared.subscription_words import parse_subscribe
from storage.delivery import posts as deliveries
from storage.delivery import subscriptions as store
from storage.delivery.models import RunStatus, Subscription, SubscriptionKind, SubscriptionStatus
from storage.delivery.posts import lease_of
from storage.errors import AdminsOnly, Usage, UserError, usage_on_error
from storage.reviews.models import ReviewReportPost
from storage.reviews.records import ReviewFilter, purge_deleted_reviews

log = logging.getLogger(__name__)
MONTHLY = SubscriptionKind.MONTHLY_REVIEW_REPORT
SUBSCRIBE_USAGE = Usage("/review", "subscribe")
CHECK_EVERY_MINUTES = 5
DEFAULT_TIME = "09:00"


def calendar_month(first: date) -> ReportPeriod:
    """The calendar month that starts on `first`."""
    following = (first + timedelta(days=32)).replace(day=1)
    return ReportPeriod(first, following - timedelta(days=1))


def month_before(day: date) -> ReportPeriod:
    """The calendar month before `day`'s month."""
    return calendar_month((day.replace(day=1) - timedelta(days=1)).replace(day=1))


def due_month(subscription: Subscription, now: datetime) -> date | None:
    """The month (its first day) whose report is due now, or None: from the first of the
    next month at the subscription's time to the end of that month."""
    zone = ZoneInfo(subscription.timezone)
    local = now.astimezone(zone)
    hour, minute = (int(part) for part in subscription.post_time.split(":"))
    slot = datetime(local.year, local.month, 1, hour, minute, tzinfo=zone)
    if local < slot or slot < subscription.active_since:
        return None
    return month_before(local.date()).start


def post_due_reports(
    services: Services, slack: DeliverySlack | None = None, *, worker: str | None = None
) -> int:
    """Claim every monthly report that is due, take over those whose worker vanished and the
    retries that are due, and post them (bot.shared.delivery); how many were posted."""
    if slack is None:
        slack = DeliverySlack(services.slack(retries=False), services.bot_user())
    delivery = Deliverer(
        services.engine, ReviewReportPost, slack, worker or worker_name(), services.clock
    )
    due = []
    for subscription in store.live(services.engine, services.workspace(), MONTHLY):
        month = due_month(subscription, services.clock())
        if month is None:
            continue
        assert subscription.id is not None
        values = {"team_id": subscription.team_id, "subscription_id": subscription.id}
        post = delivery.claim(("subscription_id", "month"), {**values, "month": month})
        if post is not None:  # None: posted already, or another process has it
            due.append(post)
    due += delivery.take_over(services.workspace())
    return sum(_deliver(services, delivery, post) == RunStatus.POSTED for post in due)


def _deliver(
    services: Services, delivery: Deliverer[ReviewReportPost], post: ReviewReportPost
) -> str:
    subscription = store.by_id(services.engine, post.subscription_id)
    if subscription is None or subscription.status == SubscriptionStatus.STOPPED:
        delivery.drop(post, "unsubscribed before it was posted")
        return RunStatus.FAILED
    if due_month(subscription, services.clock()) != post.month:  # taken over a month late
        delivery.drop(post, "not posted in the month it was due")
        return RunStatus.FAILED
    try:
        spoken = channel_speech(services, subscription.team_id, subscription.channel_id)
        with speaking(spoken):  # the report is written in its channel's language
            outbound = report_outbound(services, delivery, subscription, post)
    except Exception as error:  # ours (a bug, the database away): retried later
        log.exception("monthly review report %s could not be built", post.id)
        return delivery.retry_later(post, Transient(f"internal error: {error!r}"))
    status = delivery.deliver(post, outbound)
    if status == RunStatus.FAILED:
        log.warning("monthly review report %s not posted", subscription.id)
    return status


def report_outbound(
    services: Services,
    delivery: Deliverer[ReviewReportPost],
    subscription: Subscription,
    post: ReviewReportPost,
) -> Outbound:
    """The month's report (chart first) for the subscription's channel, as one delivery: the
    message carries the post's marker; the chart, once uploaded, is recorded on the post so a
    retry or a takeover does not upload it again."""
    period, previous = calendar_month(post.month), month_before(post.month)
    scope = subscription.category or _("the team")
    which = ReviewFilter(category=subscription.category)
    report = build_review_report(
        services.engine, subscription.team_id, period, which, scope, previous=previous
    )
    made = report_post(report, style_of(services))
    channel, client, lease = subscription.channel_id, delivery.slack.client, lease_of(post)
    # A post begun before migration 0022 renumbered its subscription keeps its old marker.
    marker = post.marker or f"shopbot-review-report-{subscription.id}-{post.month:%Y-%m}"
    uploaded = list(post.file_ids)
    if made.chart_png is None:
        heading = report_heading(escape(scope), period)
        text = _("{heading}: no streams were reviewed.").format(heading=heading)
        blocks = [section(text).to_dict()]
    else:
        text, blocks = made.text, [b.to_dict() for b in made.blocks]

    def send() -> Posted:
        if made.chart_png is not None and not uploaded:
            answer = client.files_upload_v2(
                channel=channel,
                content=made.chart_png,
                filename=f"review-scores-{period.start:%Y-%m}.png",
                title=made.chart_title,
            )
            uploaded.extend(str(f["id"]) for f in answer.get("files") or [])
            if not deliveries.change(
                services.engine, ReviewReportPost, lease, file_ids=list(uploaded)
            ):
                raise LostClaim("another worker took the report over")
        response = client.chat_postMessage(
            channel=channel, text=text, blocks=blocks, metadata=marked(marker)
        )
        return Posted(str(response["ts"]), tuple(uploaded))

    def posted(found: Posted) -> dict[str, Any]:
        store.set_last_error(services.engine, post.subscription_id, None)
        return {"file_ids": list(uploaded)}

    return Outbound(
        channel,
        marker,
        send,
        refused=partial(store.set_last_error, services.engine, post.subscription_id),
        posted=posted,
    )


# The monthly report as a kind of subscribed post of the one delivery run (the first check at
# start, to catch up).
MONTHLY_REVIEW_REPORTS = ScheduledPosts(
    "monthly review report",
    lambda services: partial(post_due_reports, services),
    timedelta(minutes=CHECK_EVERY_MINUTES),
)


def add_review_purge_job(scheduler: BaseScheduler, services: Services) -> None:
    """The purge of reviews deleted over 30 days ago, as for creator notes."""
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
                _("The review report posts on the 1st of each month: leave out the weekdays.")
            )
        category = (
            resolve_category(services.engine, request.team_id, args.category)
            if args.category
            else None
        )
    channel = find_channel(request.slack, args.channel or ChannelRef(id=request.channel_id))
    require_postable(channel)
    existing = store.of_channel(services.engine, request.team_id, MONTHLY, channel.id)
    if existing is not None and existing.status != SubscriptionStatus.STOPPED:
        _require_may_change(services, request, existing, _("change it"))
    zone = args.zone or (ZoneInfo(existing.timezone) if existing else services.settings.tz)
    at = f"{args.at:%H:%M}" if args.at else (existing.post_time if existing else DEFAULT_TIME)
    parse_time(at)  # stored as HH:MM, which the scheduler reads back
    draft = store.SubscriptionDraft(
        team_id=request.team_id,
        kind=MONTHLY,
        channel_id=channel.id,
        channel_name=channel.name,
        post_time=at,
        timezone=zone.key,
        category=category,
        user_id=request.user_id,
    )
    saved, _created = store.save(services.engine, draft, services.clock())
    keep_channel_language(services, request.team_id, channel.id, args.language, request.user_id)
    values = {
        "channel": escape(saved.channel_name),
        "time": clock(time.fromisoformat(saved.post_time)),
        "zone": saved.timezone,
    }
    if saved.category:
        text = _(
            "📅 #{channel} gets the livestream review report for {category} on the 1st of each "
            "month at {time} ({zone}), on the month before. `/review unsubscribe` stops it."
        ).format(category=escape(saved.category), **values)
    else:
        text = _(
            "📅 #{channel} gets the livestream review report on the 1st of each month at {time} "
            "({zone}), on the month before. `/review unsubscribe` stops it."
        ).format(**values)
    answer = Reply(text=text, blocks=[section(text)])
    return with_language_line(answer, services, request.team_id, channel.id, args.language)


def _require_may_change(
    services: Services, request: CommandRequest, found: Subscription, verb: str
) -> None:
    if not (request.is_admin or request.user_id == found.created_by):
        raise AdminsOnly(
            verb,
            services.settings.admins,
            besides=_("<@{user}>, who subscribed this channel,").format(user=found.created_by),
        )


def unsubscribe(services: Services, request: CommandRequest) -> Reply:
    """Stop the monthly review report of the channel named (or this one)."""
    with usage_on_error(Usage("/review", "unsubscribe")):
        ref = parse_channel_only(request.args, request.typed)
    channel_id = ref.id if ref is not None and ref.id else request.channel_id
    if ref is not None and ref.id is None:
        channel_id = find_channel(request.slack, ref).id
    found = store.of_channel(services.engine, request.team_id, MONTHLY, channel_id)
    if found is None or found.status == SubscriptionStatus.STOPPED or found.id is None:
        raise UserError(
            _("That channel has no monthly review report to stop."), ["/review subscribe #channel"]
        )
    _require_may_change(services, request, found, _("stop it"))
    store.stop(services.engine, found.id)
    text = _("Stopped the monthly review report in #{channel}.").format(
        channel=escape(found.channel_name)
    )
    return Reply(text=text, blocks=[section(text)])
