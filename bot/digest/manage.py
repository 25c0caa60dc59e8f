"""What `/digest` does: subscribe, unsubscribe, list, history, preview and send.

Each function takes the parsed request and returns the reply; the handler only dispatches.
Only admins and a subscription's creator change it; only admins post outside the schedule.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from functools import partial

from bot.digest import replies
from bot.digest.post import post_digest
from bot.digest.runner import WEEKLY, DigestRunner, default_subscription, preview_digest
from bot.services import Services
from bot.shared.channels import (
    Channel,
    ChannelRef,
    find_channel,
    parse_channel_only,
    require_postable,
)
from bot.shared.commands import CommandRequest
from bot.shared.delivery.slack import DeliverySlack
from bot.shared.effects import request_mark
from bot.shared.language import _
from bot.shared.names import resolve_category
from bot.shared.replies import Reply
from bot.shared.schedule import Schedule
from bot.shared.speakers import keep_channel_language, with_language_line
from bot.shared.subscription_words import parse_subscribe
from storage.delivery import digests as store
from storage.delivery import subscriptions
from storage.delivery.models import Subscription, SubscriptionStatus
from storage.delivery.subscriptions import SubscriptionDraft
from storage.errors import AdminsOnly, Usage, UserError, usage_on_error
from storage.names import match_key

SUBSCRIBE_USAGE = Usage("/digest", "subscribe")
DEFAULT_TIME = time(9, 0)
EVERYTHING = {"all", "everything", "*"}
CLOCK_SLACK = timedelta(minutes=1)  # the database's clock and this process's may differ a little


def digest_slack(services: Services) -> DeliverySlack:
    return DeliverySlack(services.slack(retries=False), services.bot_user())


def build_runner(services: Services) -> DigestRunner:
    return DigestRunner(services, digest_slack(services))


def _target(request: CommandRequest, ref: ChannelRef | None) -> Channel:
    """The channel named, or the one the command was typed in."""
    return find_channel(request.slack, ref or ChannelRef(id=request.channel_id))


def _require_may_change(
    services: Services, request: CommandRequest, subscription: Subscription, verb: str
) -> None:
    if not (request.is_admin or request.user_id == subscription.created_by):
        raise AdminsOnly(
            f"{verb} it",
            services.settings.admins,
            besides=f"<@{subscription.created_by}>, who set up this digest,",
        )


def subscribe(services: Services, request: CommandRequest) -> Reply:
    with usage_on_error(SUBSCRIBE_USAGE):
        args = parse_subscribe(request.args, request.typed)
        category = _known_category(services, request.team_id, args.category)
    channel = _target(request, args.channel)
    require_postable(channel)
    existing = subscriptions.of_channel(services.engine, request.team_id, WEEKLY, channel.id)
    live = existing if existing and existing.status != SubscriptionStatus.STOPPED else None
    if live is not None:
        _require_may_change(services, request, live, "change")
    # Changing a subscription keeps what the request does not mention.
    base = replies.schedule_of(live) if live else Schedule((0,), DEFAULT_TIME, services.settings.tz)
    schedule = Schedule(args.weekdays or base.weekdays, args.at or base.at, args.zone or base.zone)
    if args.category is None and live is not None:
        category = live.category
    draft = SubscriptionDraft(
        team_id=request.team_id,
        kind=WEEKLY,
        channel_id=channel.id,
        channel_name=channel.name,
        weekdays=schedule.weekdays_text,
        post_time=schedule.time_text,
        timezone=schedule.zone.key,
        category=category,
        user_id=request.user_id,
    )
    now = services.clock()
    subscription, _created = subscriptions.save(services.engine, draft, now)
    keep_channel_language(services, request.team_id, channel.id, args.language, request.user_id)
    answer = replies.subscribed(subscription, live, now)
    return with_language_line(answer, services, request.team_id, channel.id, args.language)


def _known_category(services: Services, team_id: str, name: str | None) -> str | None:
    """The category as the data spells it; UserError naming close matches otherwise."""
    if name is None or match_key(name) in EVERYTHING:
        return None
    return resolve_category(services.engine, team_id, name)


def unsubscribe(services: Services, request: CommandRequest) -> Reply:
    found = _subscription_of(services, request, "unsubscribe")
    _require_may_change(services, request, found, "stop")
    assert found.id is not None
    subscriptions.stop(services.engine, found.id)
    return replies.unsubscribed(found)


def _subscription_of(services: Services, request: CommandRequest, word: str) -> Subscription:
    """The live subscription of the channel the request names (or is in)."""
    with usage_on_error(Usage("/digest", word)):
        ref = parse_channel_only(request.args, request.typed)
    channel_id = ref.id if ref is not None and ref.id else None
    if channel_id is None and ref is not None:
        channel_id = find_channel(request.slack, ref).id
    channel_id = channel_id or request.channel_id
    found = subscriptions.of_channel(services.engine, request.team_id, WEEKLY, channel_id)
    if found is None or found.status == SubscriptionStatus.STOPPED:
        raise UserError(
            _("<#{channel}> has no digest subscription.").format(channel=channel_id),
            [SUBSCRIBE_USAGE, "/digest list"],
        )
    return found


def list_subscriptions(services: Services, request: CommandRequest) -> Reply:
    found = subscriptions.listed(services.engine, request.team_id, WEEKLY)
    return replies.subscription_list(found, services.clock())


def history(services: Services, request: CommandRequest) -> Reply:
    found = _subscription_of(services, request, "history")
    assert found.id is not None
    return replies.history(found, store.run_history(services.engine, found.id))


def preview(services: Services, request: CommandRequest) -> Reply:
    """The digest as it would be posted now: its text here, for the requester alone, and the
    text with its charts in the requester's DM (Slack has no ephemeral files)."""
    with usage_on_error(Usage("/digest", "preview")):
        ref = parse_channel_only(request.args, request.typed)
    channel = _target(request, ref) if ref is not None else None
    channel_id = channel.id if channel is not None else request.channel_id
    subscription = subscriptions.of_channel(services.engine, request.team_id, WEEKLY, channel_id)
    if subscription is None or subscription.status == SubscriptionStatus.STOPPED:
        subscription = default_subscription(services, request.team_id, channel_id)
    digest = preview_digest(services, subscription)
    if digest.charts:
        slack = digest_slack(services)
        # This request's own: a preview the same person asked for a minute ago is not it.
        marker = f"shopbot-preview-{request.user_id}-{request_mark(request.effects, 'preview')}"
        dm = slack.dm_channel(request.user_id)

        def to_dm() -> str:
            send = partial(post_digest, slack.client, dm, digest, marker)
            return slack.deliver(dm, marker, services.clock(), send).message_ts or "posted"

        def landed(since: datetime) -> str | None:
            found = slack.find_posted(dm, marker, since)
            return None if found is None else found.message_ts or "posted"

        request.effects.once("preview dm", to_dm, landed)  # resumed, it is not sent twice
    return replies.preview(digest, channel_id, sent_to_dm=bool(digest.charts))


def send(services: Services, request: CommandRequest) -> Reply:
    """Admins: post the channel's digest now."""
    if not request.is_admin:
        raise AdminsOnly("post a digest outside its schedule", services.settings.admins)
    found = _subscription_of(services, request, "send")
    assert found.id is not None
    subscription_id = found.id

    def post() -> str:
        [(_, run)] = build_runner(services).send_now([found], request.user_id)
        return str(run.id) if run is not None and run.id is not None else "none"

    def claimed(since: datetime) -> str | None:
        """The run this request claimed before it was cut off (the runner finishes it, or
        takes it over): a request resumed in a later minute claims no second one."""
        mine = [
            run
            for run in store.runs_of(services.engine, subscription_id)
            if run.requested_by == request.user_id
            and run.slot_at is not None
            and run.slot_at >= since - CLOCK_SLACK
        ]
        return str(mine[-1].id) if mine else None

    made = request.effects.once("digest send", post, claimed)
    run = store.run_by_id(services.engine, int(made)) if made.isdigit() else None
    return replies.sent([(found, run)])
