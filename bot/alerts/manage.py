"""What `/alert` does: add, list, remove, restore, mute; and the help that explains the maths.

Each function takes the parsed request and returns the reply; the handler only dispatches.
Nothing is saved unless the whole request is valid: metric, scope, rule and channel are all
checked before the rule is written.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from slack_sdk.models.blocks import Block

from bot.alerts.check import METRICS, AlertChecker, terms_of
from bot.alerts.render import describe_rule
from bot.alerts.rules import ADD_USAGE, parse_add
from bot.services import Services
from bot.shared.channels import Channel, ChannelRef, find_channel
from bot.shared.commands import CommandRequest, usage_of
from bot.shared.days import clock, short_day, weekday_short_day
from bot.shared.kpis.definitions import scope_name
from bot.shared.language import N_, _
from bot.shared.names import resolve_category, resolve_seller
from bot.shared.numbers import style_of
from bot.shared.pages import asked, page_of, pager, split_page
from bot.shared.replies import Reply, context, escape, header, section
from storage.alerts import rules as store
from storage.alerts.models import AlertRule
from storage.alerts.rules import MAX_RULES, AlertNotFound, RuleDraft
from storage.errors import Usage, UsageLine, UserError, usage_on_error
from storage.sellers.registry import seller_by_id

LIST_USAGE = Usage("/alert", "list")
LIST_PAGE = 10  # alerts a page
MUTE_USAGE = Usage("/alert", "mute")
REMOVE_USAGE = Usage("/alert", "remove")
RESTORE_USAGE = Usage("/alert", "restore")
_DURATION = re.compile(r"^(\d+)\s*(d|day|days|h|hour|hours|w|week|weeks)?$")
MAX_MUTE = timedelta(days=90)
_LIST_HINTS = ("remove", "mute", "help")  # the subcommands a list of alerts points to

HOW_IT_WORKS = N_(
    "*How alerts judge a day.* Only the latest *complete* day is judged: a day is complete when "
    "every seller that reported on the same weekday one and two weeks before has reported it "
    "(so a late file never reads as a drop), and never today. Checked after every import that "
    "completes a day and every 30 minutes for late data.\n"
    "• *unusual* (the default): the day against the same weekday of the previous 8 weeks (at "
    "least 6 with data). Expected = their median; the range = median ± max(3 × 1.4826 × MAD, "
    "25% of the median), MAD being the median absolute deviation. Saturdays are compared only "
    "with Saturdays, so a normal weekend dip never fires, and one earlier outage does not "
    "widen the range.\n"
    "• *drop N% / rise N%*: against the same weekday last week (`vs last week`, the default) or "
    "the mean of the 7 days before (`vs 7-day average`).\n"
    "• *below X / above X*: a fixed threshold in the metric's unit (currency units for money, "
    "`%` for rates).\n"
    "*Once.* An alert fires at most once per rule and day, claimed in the database. While a "
    "condition lasts it stays quiet unless it worsens by 10 more percentage points; once it "
    "clears, its return fires again. Each alert names the value, the expected range, how far "
    "outside it is, and the sellers or categories that explain most of the change (each one's "
    "change against its own expected value, as a share of the whole change), with a chart of "
    "8 weeks and the expected band. Buttons: Acknowledge, Mute for 7 days.\n"
    "*Who.* Anyone adds an alert; only its author or an admin mutes or removes it. A removed "
    "alert stops firing at once and an admin can restore it, under its number, within 30 days "
    "(`{restore}`). "
    "At most {max_rules} rules per workspace."
)


def add(services: Services, request: CommandRequest) -> Reply:
    with usage_on_error(ADD_USAGE):
        args = parse_add(request.args, request.typed)
        category = (
            resolve_category(services.engine, request.team_id, args.category)
            if args.category is not None
            else None
        )
        seller = (
            resolve_seller(services.engine, request.team_id, args.seller)
            if args.seller is not None
            else None
        )
    channel = _postable(request, args.channel)
    draft = RuleDraft(
        team_id=request.team_id,
        metric=args.kpi.key,
        category=category,
        seller_id=seller.id if seller is not None else None,
        rule=args.terms.kind,
        baseline=args.terms.baseline,
        percent=args.terms.percent,
        threshold=args.terms.threshold,
        channel_id=channel.id,
        channel_name=channel.name,
        created_by=request.user_id,
    )
    made_by = request.effects.key("alert rule")  # resumed, it finds the rule it saved
    rule, saved = store.add_rule(services.engine, draft, services.clock(), made_by)
    if not saved:
        text = _(
            "Alert {number} already does this: {rule} → {channel}. Nothing new was saved."
        ).format(
            number=rule.number, rule=_describe(services, rule), channel=f"<#{rule.channel_id}>"
        )
        return Reply(text=text, blocks=[section(text)])
    # Judged at once on the latest complete day: a condition already on shows now.
    report = AlertChecker(services).check(request.team_id)
    now = (
        " "
        + _("It fires on the latest complete day: see {channel}.").format(
            channel=f"<#{channel.id}>"
        )
        if any(f.rule_id == rule.id for f in report.posted)
        else ""
    )
    text = _(
        ":bell: Alert {number} saved: {rule}. I'll post in {channel} when it fires, once per day "
        "at most."
    ).format(number=rule.number, rule=_describe(services, rule), channel=f"<#{channel.id}>")
    text += now
    return Reply(text=text, blocks=[section(text)])


def _postable(request: CommandRequest, ref: ChannelRef | None) -> Channel:
    """The channel named (or this one), if the bot can post there; UserError saying how to
    invite it otherwise."""
    channel = find_channel(request.slack, ref or ChannelRef(id=request.channel_id))
    if channel.is_im:
        raise UserError(
            _("Alerts go to channels, not direct messages: name one, such as `#lifestyle-kpi`."),
            [ADD_USAGE],
        )
    if channel.is_archived:
        raise UserError(
            _("{channel} is archived, so I can't post there. Pick another channel.").format(
                channel=f"#{escape(channel.name)}"
            )
        )
    if not channel.is_member:
        raise UserError(
            _(
                "I'm not in {channel} yet: type `/invite @shopbot` there, then add the alert again."
            ).format(channel=f"#{escape(channel.name)}")
        )
    return channel


def _describe(services: Services, rule: AlertRule) -> str:
    kpi = METRICS[rule.metric]
    style = style_of(services)
    if rule.seller_id is not None:
        seller = seller_by_id(services.engine, rule.team_id, rule.seller_id)
        named = escape(seller.name) if seller else str(rule.seller_id)
        scope = _("seller {name}").format(name=named)
    else:
        scope = escape(scope_name(rule.category))
    return f"*{kpi.name}* · {scope} · {describe_rule(terms_of(rule), kpi, style)}"


def list_rules(services: Services, request: CommandRequest) -> Reply:
    """The workspace's alerts by the numbers `/alert remove`, `/alert mute` and the posted
    alerts name them, a page at a time."""
    _words, page = split_page(request.args, LIST_USAGE)
    rules = store.team_rules(services.engine, request.team_id)
    if not rules:
        text = _(
            "No alerts yet. Add one with `/alert add gmv` (unusual days of GMV, in this channel)."
        )
        return Reply(text=text, blocks=[section(text)])
    now = services.clock()
    first, pages = page_of(len(rules), page, LIST_PAGE)
    lines = []
    for rule in rules[first : first + LIST_PAGE]:
        muted = (
            " · "
            + _("_muted until {day} {time} UTC_").format(
                day=short_day(rule.muted_until.date()), time=clock(rule.muted_until)
            )
            if rule.muted_until is not None and rule.muted_until > now
            else ""
        )
        lines.append(f"{rule.number}. {_describe(services, rule)} → <#{rule.channel_id}>{muted}")
    blocks: list[Block] = [
        header(_("Alerts ({count} of {max_rules})").format(count=len(rules), max_rules=MAX_RULES)),
        section("\n".join(lines)),
        context(
            " · ".join(
                f"`{escape(usage_of(services.commands, '/alert', word))}`" for word in _LIST_HINTS
            )
        ),
        *pager(asked("/alert", request.typed), page, more=page < pages, pages=pages),
    ]
    return Reply(text="\n".join(lines), blocks=blocks)


def _numbered(
    services: Services, request: CommandRequest, word: str, usage: UsageLine
) -> tuple[AlertRule, str]:
    """The rule numbered by the first word, and the rest of the text."""
    number, rest = _number_and_rest(request, word, usage)
    try:
        return store.rule_numbered(services.engine, request.team_id, number), rest
    except AlertNotFound as missing:
        if missing.removed:
            raise
    numbers = [r.number for r in store.team_rules(services.engine, request.team_id)]
    have = ", ".join(str(n) for n in numbers[:10]) if numbers else _("none yet")
    more = ", …" if len(numbers) > 10 else ""
    raise UserError(
        _(
            "There is no alert {number} (it was never added, or removed over 30 days ago; the "
            "alerts now are {numbers})."
        ).format(number=number, numbers=have + more),
        [LIST_USAGE],
    )


def _number_and_rest(request: CommandRequest, word: str, usage: UsageLine) -> tuple[int, str]:
    first, _space, rest = request.args.strip().partition(" ")
    if not first.isascii() or not first.isdigit() or len(first) > 9:
        which = {
            "remove": _("Say which alert to remove by its number in `/alert list`."),
            "restore": _("Say which alert to restore by its number in `/alert list`."),
            "mute": _("Say which alert to mute by its number in `/alert list`."),
        }[word]
        raise UserError(which, [usage, LIST_USAGE])
    return int(first), rest.strip()


def _number_only(request: CommandRequest, word: str, usage: UsageLine) -> int:
    number, rest = _number_and_rest(request, word, usage)
    if rest:
        raise UserError(
            _("`{command}` takes only a number, not `{words}`.").format(
                command=f"/alert {word}", words=escape(rest[:40])
            ),
            [usage],
        )
    return number


def remove(services: Services, request: CommandRequest) -> Reply:
    """Remove the rule (its author or an admin): it stops firing and an admin can restore it,
    under its number, for 30 days."""
    _number_only(request, "remove", REMOVE_USAGE)
    rule, _rest = _numbered(services, request, "remove", REMOVE_USAGE)
    described = _describe(services, rule)
    store.remove_rule(
        services.engine, request.team_id, rule.number, **services.changed_by(request.user_id)
    )
    text = _(
        "🗑 Removed alert {number} ({rule} → {channel}). An admin can restore it within 30 "
        "days: `{command}`."
    ).format(
        number=rule.number,
        rule=described,
        channel=f"<#{rule.channel_id}>",
        command=f"/alert restore {rule.number}",
    )
    return Reply(text=text, blocks=[section(text)])


def restore(services: Services, request: CommandRequest) -> Reply:
    """Bring a removed rule back under its number (an admin, within 30 days)."""
    number = _number_only(request, "restore", RESTORE_USAGE)
    rule = store.restore_rule(
        services.engine, request.team_id, number, **services.changed_by(request.user_id)
    )
    text = _(
        "♻️ Restored alert {number}: {rule} → {channel}. It fires again from the next check."
    ).format(number=rule.number, rule=_describe(services, rule), channel=f"<#{rule.channel_id}>")
    return Reply(text=text, blocks=[section(text)])


def parse_duration(text: str) -> timedelta:
    match = _DURATION.match(text.strip().lower() or "7d")
    if match is None:
        raise UserError(
            _("Mute for a number of days, such as `7d`; not `{typed}`.").format(
                typed=escape(text[:40])
            ),
            [MUTE_USAGE],
        )
    amount, unit = int(match[1]), (match[2] or "d")[0]
    span = {
        "d": timedelta(days=amount),
        "h": timedelta(hours=amount),
        "w": timedelta(weeks=amount),
    }[unit]
    if span <= timedelta(0) or span > MAX_MUTE:
        raise UserError(_("Mute for between an hour and 90 days."), [MUTE_USAGE])
    return span


def mute(services: Services, request: CommandRequest) -> Reply:
    rule, rest = _numbered(services, request, "mute", MUTE_USAGE)
    span = parse_duration(rest)
    until = mute_for(services, request.team_id, rule.number, span, request.user_id)
    text = _(":no_bell: Muted {rule} until {day} {time} UTC.").format(
        rule=_describe(services, rule), day=weekday_short_day(until.date()), time=clock(until)
    )
    return Reply(text=text, blocks=[section(text)])


def mute_for(
    services: Services, team_id: str, number: int, span: timedelta, user_id: str
) -> datetime:
    """Mute alert `number` for `span` (its author or an admin); until when."""
    changed_by = services.changed_by(user_id)
    until = changed_by["now"] + span
    store.mute_rule(services.engine, team_id, number, until, **changed_by)
    return until


def help_reply(services: Services, usages: list[str]) -> Reply:
    lines = "\n".join(f"• `{escape(u)}`" for u in usages)
    how = _(HOW_IT_WORKS).format(
        restore=escape(usage_of(services.commands, "/alert", "restore")), max_rules=MAX_RULES
    )
    blocks: list[Block] = [header(_("/alert — KPI alerts")), section(lines), section(how)]
    return Reply(text=f"{lines}\n{how}", blocks=blocks)
