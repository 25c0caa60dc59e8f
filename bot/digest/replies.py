"""What `/digest` answers, and what the bot tells a subscription's creator when Slack refuses
its channel. Mrkdwn throughout; names that came from people or Slack are escaped."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import Block

from bot.digest.content import Digest
from bot.shared.days import clock, weekday_abbreviation, weekday_short_day
from bot.shared.kpis.definitions import scope_name
from bot.shared.kpis.weeks import week_name
from bot.shared.language import N_, _, ngettext
from bot.shared.periods import Period
from bot.shared.replies import SECTION_TEXT_LIMIT, Reply, context, escape, header, section
from bot.shared.schedule import Schedule
from storage.delivery.models import DigestRun, RunStatus, Subscription, SubscriptionStatus

HISTORY_SHOWN = 10
_RUN_MARKS = {
    RunStatus.POSTED: N_("✅ posted"),
    RunStatus.FAILED: N_("❌ failed"),
    RunStatus.RETRYING: N_("🔁 retrying"),
    RunStatus.POSTING: N_("⏳ posting"),
    RunStatus.CLAIMED: N_("⏳ preparing"),
}
_ADVICE = {
    "not_in_channel": N_(
        "I'm no longer a member of {channel}. Type `/invite @shopbot` there; the digest comes "
        "back at its next time (an admin can post it now: `/digest send {channel}`)."
    ),
    "channel_not_found": N_(
        "I can't see {channel} any more (deleted, or made private without me). Invite me with "
        "`/invite @shopbot`, or move the digest: `/digest subscribe #channel`."
    ),
    "is_archived": N_(
        "{channel} is archived. Move the digest to another channel with `/digest subscribe "
        "#channel`, or stop it with `/digest unsubscribe {channel}`."
    ),
    "invalid_auth": N_(
        "Slack refused my token. A workspace admin needs to reinstall shopbot (or update "
        "SLACK_BOT_TOKEN); the digest comes back at its next time after that."
    ),
}


def schedule_of(subscription: Subscription) -> Schedule:
    return Schedule.of(subscription.weekdays, subscription.post_time, subscription.timezone)


MONDAY = date(2026, 11, 30)  # any Monday: the weekdays of a schedule are named from it


def _when(moment: datetime, zone: ZoneInfo) -> str:
    local = moment.astimezone(zone)
    return f"{weekday_short_day(local.date())} {clock(local)}"


def _weekdays(schedule: Schedule) -> str:
    """`Mon, Thu`: the schedule's weekdays as the answer's language abbreviates them."""
    return ", ".join(weekday_abbreviation(MONDAY + timedelta(days=d)) for d in schedule.weekdays)


def _schedule(schedule: Schedule) -> str:
    """`Mon at 09:00 (Europe/Berlin)`."""
    return _("{days} at {time} ({zone})").format(
        days=_weekdays(schedule), time=clock(schedule.at), zone=schedule.zone.key
    )


def _channel(subscription: Subscription) -> str:
    return f"<#{subscription.channel_id}>"


def _describe(subscription: Subscription, now: datetime) -> str:
    schedule = schedule_of(subscription)
    what = escape(scope_name(subscription.category))
    upcoming = _when(schedule.next_slot(now).at, schedule.zone)
    following = _("next {when}").format(when=upcoming)
    return f"{_schedule(schedule)} · {what} · {following}"


def _settings(subscription: Subscription) -> dict[str, str]:
    """What a person can set on a subscription, by name, as shown."""
    schedule = schedule_of(subscription)
    return {
        _("days"): _weekdays(schedule),
        _("time"): clock(schedule.at),
        _("time zone"): schedule.zone.key,
        _("category"): escape(scope_name(subscription.category)),
    }


def changes(before: Subscription, after: Subscription) -> str:
    """`Changed: time 09:00 → 08:30. Kept: Mon, Europe/Berlin, all categories.`"""
    old, new = _settings(before), _settings(after)
    changed = [f"{name} {old[name]} → {new[name]}" for name in new if old[name] != new[name]]
    kept = [new[name] for name in new if old[name] == new[name]]
    if not changed:
        return _("Nothing changed: it was already set up this way.")
    text = _("Changed: {changes}.").format(changes=", ".join(changed))
    return text + (" " + _("Kept: {settings}.").format(settings=", ".join(kept)) if kept else "")


def subscribed(subscription: Subscription, before: Subscription | None, now: datetime) -> Reply:
    """The answer to `/digest subscribe`; on a subscribed channel (`before`), what changed and
    what was kept."""
    said = (
        _(":white_check_mark: {channel} now gets the weekly digest: {how}.")
        if before is None
        else _(":white_check_mark: {channel} gets the weekly digest: {how}.")
    )
    text = said.format(channel=_channel(subscription), how=_describe(subscription, now))
    if before is not None:
        text += " " + changes(before, subscription)
    text += " " + _("`/digest preview` shows it as it would look now.")
    return Reply(text=text, blocks=[section(text)])


def unsubscribed(subscription: Subscription) -> Reply:
    text = _("{channel} no longer gets the weekly digest.").format(channel=_channel(subscription))
    return Reply(text=text, blocks=[section(text)])


def subscription_list(subscriptions: Sequence[Subscription], now: datetime) -> Reply:
    if not subscriptions:
        text = _("No channel gets the digest yet. Start one with `/digest subscribe` in a channel.")
        return Reply(text=text, blocks=[section(text)])
    lines = []
    for subscription in subscriptions:
        by = _("set up by {user}").format(user=f"<@{subscription.created_by}>")
        line = f"• {_channel(subscription)}: {_describe(subscription, now)} · {by}"
        if subscription.status == SubscriptionStatus.FAILING:
            failing = _(":warning: failing: `{error}`").format(
                error=escape(subscription.last_error or "")
            )
            line += f"\n   {failing}"
        lines.append(line)
    return _listing(_("Digest subscriptions"), lines)


def history(subscription: Subscription, runs: Sequence[DigestRun]) -> Reply:
    if not runs:
        text = _("{channel} has no digest runs yet.").format(channel=_channel(subscription))
        return Reply(text=text, blocks=[section(text)])
    zone = ZoneInfo(subscription.timezone)
    lines = [_run_line(run, zone) for run in runs[:HISTORY_SHOWN]]
    title = _("Digest runs · {channel}").format(
        channel=f"#{subscription.channel_name or subscription.channel_id}"
    )
    return _listing(title, lines)


def _run_line(run: DigestRun, zone: ZoneInfo) -> str:
    due = run.slot_at or run.claimed_at
    kind = (
        _("sent by {user}").format(user=f"<@{run.requested_by}>")
        if run.requested_by
        else _("scheduled")
    )
    week = ""
    if run.week_start is not None:
        shown = Period(run.week_start, run.week_start + timedelta(days=6), "")
        week = " · " + _("week {week}").format(week=week_name(shown))
    marked = _RUN_MARKS.get(RunStatus(run.status))
    mark = _(marked) if marked else run.status
    line = f"• {_when(due, zone)} ({kind}){week} · {mark}"
    if run.status == RunStatus.POSTED and run.posted_at is not None:
        line += f" {clock(run.posted_at.astimezone(zone))}"
    if run.status == RunStatus.RETRYING and run.next_attempt_at is not None:
        line += " " + _("at {time}").format(time=clock(run.next_attempt_at.astimezone(zone)))
    if run.error and run.status != RunStatus.POSTED:
        line += f": `{escape(run.error[:200])}`"
    if run.attempts > 1:
        line += " " + _("({count} attempts)").format(count=run.attempts)
    return line


def _listing(title: str, lines: list[str]) -> Reply:
    blocks: list[Block] = [header(title)]
    chunk: list[str] = []
    for line in lines:
        if sum(len(x) + 1 for x in chunk) + len(line) > SECTION_TEXT_LIMIT:
            blocks.append(section("\n".join(chunk)))
            chunk = []
        chunk.append(line)
    blocks.append(section("\n".join(chunk)))
    return Reply(text=f"{title}:\n" + "\n".join(lines), blocks=blocks)


def preview(digest: Digest, channel_id: str, sent_to_dm: bool) -> Reply:
    """The digest's text for the requester alone; the charts went to their DM."""
    blocks: list[Block] = [header(_("Preview · {title}").format(title=digest.title))]
    for part in digest.text.split("\n\n")[1:]:  # the title is the header already
        blocks.append(section(part))
    charts = (
        ngettext(
            "The {count} chart is in our DM, with the text, as it would be posted.",
            "The {count} charts are in our DM, with the text, as they would be posted.",
            len(digest.charts),
        ).format(count=len(digest.charts))
        if sent_to_dm
        else _("A week without data is posted as this note alone, with no chart.")
    )
    only = (
        _("Only you see this: the digest as it would be posted in {channel} now.").format(
            channel=f"<#{channel_id}>"
        )
        if channel_id
        else _("Only you see this: the digest as it would be posted in its channel now.")
    )
    blocks.append(context(f"{only} {charts}"))
    return Reply(text=digest.text, blocks=blocks[:50])


def sent(results: Sequence[tuple[Subscription, DigestRun | None]]) -> Reply:
    lines = []
    for subscription, run in results:
        if run is None:
            lines.append(f"• {_channel(subscription)}: " + _("already sent this minute"))
        elif run.status == RunStatus.POSTED:
            lines.append(f"• {_channel(subscription)}: " + _("posted"))
        else:
            reason = escape(run.error or run.status)
            not_posted = _("not posted ({reason}); see `/digest history`").format(reason=reason)
            lines.append(f"• {_channel(subscription)}: {not_posted}")
    text = "\n".join(lines)
    return Reply(text=text, blocks=[section(text)])


def creator_advice(code: str, subscription: Subscription) -> str:
    """The DM to a subscription's creator when Slack refuses its channel: what to do."""
    # Inside `code` Slack shows a channel mention literally, so commands carry the name.
    name = f"#{escape(subscription.channel_name)}" if subscription.channel_name else "#channel"
    what = _(_ADVICE[code]).format(channel=name) if code in _ADVICE else ""
    return (
        _(
            ":warning: I couldn't post the weekly digest in {channel} (Slack said `{code}`). "
            "{what} `{command}` shows its runs."
        )
        .format(
            channel=_channel(subscription), code=code, what=what, command=f"/digest history {name}"
        )
        .replace("  ", " ")
    )
