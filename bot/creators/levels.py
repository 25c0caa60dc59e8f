"""`/creator levels` and `/creator onboard`: level growth and onboarding checklists, and the
digest's level section."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise

from babel.numbers import format_percent
from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement

from bot.services import Services
from bot.settings import Invalid, setting
from bot.shared.commands import CommandRequest
from bot.shared.days import month_name, month_text, padded_day
from bot.shared.handles import parse_handle
from bot.shared.language import _
from bot.shared.numbers import NumberStyle, style_of
from bot.shared.periods import parse_period
from bot.shared.replies import Reply, context, escape, header, section
from storage.creators.levels import (
    CLOSE_SHARE,
    LevelMove,
    Onboarding,
    level_moves,
    nearly_there,
    nearly_there_in,
    onboardings,
    start_onboarding,
    stuck_creators,
)
from storage.creators.registry import find_creator
from storage.errors import Usage, UserError

LEVELS_USAGE = Usage("/creator", "levels")
ONBOARD_USAGE = Usage("/creator", "onboard")
ONBOARD_STEP = "creator_onboard_step"
STUCK_DAYS = 91  # three months without a level change
SHOWN = 10
DEFAULT_LEVEL_THRESHOLDS = (1, 100, 1_000, 5_000, 20_000, 50_000, 150_000, 500_000)
DEFAULT_ONBOARDING_STEPS = ("welcome call", "first sample", "first content", "first LIVE")


def read_level_thresholds(text: str) -> tuple[int, ...]:
    """Eight rising amounts, the monthly GMV for L1 to L8: `1,100,1000,…`."""
    if not text:
        return DEFAULT_LEVEL_THRESHOLDS
    parts = [p.strip().replace("_", "") for p in text.split(",")]
    if len(parts) != 8 or not all(p.isdigit() for p in parts):
        raise Invalid
    amounts = tuple(int(p) for p in parts)
    if any(b <= a for a, b in pairwise(amounts)):
        raise Invalid("each level needs more than the last")
    return amounts


def read_onboarding_steps(text: str) -> tuple[str, ...]:
    """The onboarding checklist, in order: `welcome call,first sample,first LIVE`."""
    if not text:
        return DEFAULT_ONBOARDING_STEPS
    steps = tuple(dict.fromkeys(s.strip() for s in text.split(",") if s.strip()))
    if not 1 <= len(steps) <= 10 or any(len(s) > 64 for s in steps):
        raise Invalid
    return steps


@dataclass(frozen=True)
class LevelSettings:
    """Creator levels and onboarding (`settings.section(LevelSettings)`)."""

    level_thresholds: tuple[int, ...] = setting(
        "SHOPBOT_LEVEL_THRESHOLDS",
        "",
        read_level_thresholds,
        invalid=(
            "expected eight whole amounts, the monthly GMV for L1 to L8, such as "
            "1,100,1000,5000,20000,50000,150000,500000"
        ),
        describe=(
            "The monthly GMV (whole currency units) each creator level from L1 to L8 needs; "
            "TikTok Shop\nchanges these, so they are kept here. Empty: "
            + ",".join(str(amount) for amount in DEFAULT_LEVEL_THRESHOLDS)
            + "."
        ),
        heading="Creator levels and onboarding",
    )
    """The monthly GMV (whole currency units) each level from L1 to L8 needs."""
    onboarding_steps: tuple[str, ...] = setting(
        "SHOPBOT_ONBOARDING_STEPS",
        "",
        read_onboarding_steps,
        invalid=("expected 1 to 10 steps separated by commas, each at most 64 characters"),
        describe=(
            "The onboarding checklist `/creator onboard` starts, in order, separated by commas.\n"
            "Empty: " + ",".join(DEFAULT_ONBOARDING_STEPS) + "."
        ),
    )


def month_of(words: str, today: date, locale: str) -> tuple[date, date]:
    """The calendar month the words name (`nov`, `2026-10`, `last month`; this month when
    empty), up to today."""
    if not words.strip():
        first = today.replace(day=1)
    else:
        first = parse_period(words, today, locale).start.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    return first, min(last, today) if first <= today else last


def checklist_line(onboarding: Onboarding) -> str:
    marks = " · ".join(f"{'✓' if day else '☐'} {escape(step)}" for step, day in onboarding.steps)
    done = _("{done} of {total}").format(done=onboarding.done, total=len(onboarding.steps))
    return f"{done} · {marks}"


def onboarding_actions(onboarding: Onboarding) -> list[Block]:
    """The button that ticks off the next step (none once every step is done)."""
    step = onboarding.next_step
    if step is None:
        return []
    position = [s for s, _ in onboarding.steps].index(step)
    button = ButtonElement(
        text=f"✓ {step}"[:75],
        action_id=ONBOARD_STEP,
        value=f"{onboarding.creator_id}:{position}",
        style="primary",
    )
    return [ActionsBlock(block_id=f"onboarding_{onboarding.creator_id}", elements=[button])]


def onboarding_reply(onboarding: Onboarding, started: bool) -> Reply:
    what = _("Onboarding started") if started else _("Onboarding")
    finished = " — " + _("done, now active") if onboarding.next_step is None else ""
    text = f"*{what}: @{escape(onboarding.handle)}*{finished}\n{checklist_line(onboarding)}"
    return Reply(text=text, blocks=[section(text), *onboarding_actions(onboarding)])


def onboard_answer(services: Services, request: CommandRequest) -> Reply:
    words = request.args.split()
    if len(words) != 1:
        raise UserError(_("Say which creator to onboard, by handle."), [ONBOARD_USAGE])
    handle = parse_handle(words[0], ONBOARD_USAGE, request.typed)
    creator = find_creator(services.engine, request.team_id, handle)
    if creator is None or creator.id is None:
        raise UserError(
            _("`@{handle}` is not in the registry yet.").format(handle=escape(handle)),
            [f"/creator add @{handle}", ONBOARD_USAGE],
        )
    steps = services.settings.section(LevelSettings).onboarding_steps
    start_onboarding(
        services.engine, request.team_id, creator.id, steps, request.user_id, services.clock()
    )
    [onboarding] = onboardings(services.engine, request.team_id, [creator.id])
    return onboarding_reply(onboarding, started=True)


def whole_percent(style: NumberStyle, fraction: float) -> str:
    """`85%` · `85 %`: a share as a whole percentage, as the answer's locale writes it."""
    return format_percent(fraction, locale=style.locale)


def levels_answer(services: Services, request: CommandRequest) -> Reply:
    """The month's level moves, who is close to the next level, managed creators whose level
    has not moved for three months, and open onboardings."""
    settings, engine, team = services.settings, services.engine, request.team_id
    today = services.today()
    first, last = month_of(request.args, today, settings.locale)
    style = style_of(services)
    moves = level_moves(engine, team, first, last)
    ups = [m for m in moves if m.level > m.previous_level]
    downs = [m for m in moves if m.level < m.previous_level]
    thresholds = [amount * 100 for amount in settings.section(LevelSettings).level_thresholds]
    if last < today.replace(day=1):  # a month gone by: its own snapshot, not the latest
        close, close_total = nearly_there_in(engine, team, thresholds, first, last, SHOWN)
        snapshot = _("{month}'s Affiliate Center snapshot").format(month=month_name(first))
    else:
        close, close_total = nearly_there(engine, team, thresholds, SHOWN)
        snapshot = _("the latest Affiliate Center snapshot")
    stuck, stuck_total = stuck_creators(engine, team, last - timedelta(days=STUCK_DAYS), SHOWN)
    open_onboardings = onboardings(engine, team, open_only=True)

    count = style.count
    nobody = _("nobody")

    def moved(title: str, found: list[LevelMove]) -> str:
        if not found:
            return f"*{title}* — {nobody}"
        lines = [f"@{escape(m.handle)} L{m.previous_level} → L{m.level}" for m in found[:SHOWN]]
        more = ""
        if len(found) > SHOWN:
            more = " (" + _("+{count} more").format(count=count(len(found) - SHOWN)) + ")"
        return f"*{title}* ({count(len(found))}){more}\n" + " · ".join(lines)

    near = [
        f"@{escape(n.handle)} L{n.level} → L{n.level + 1}: "
        + _("{gmv} of {needed} ({share})").format(
            gmv=style.money(n.gmv_cents),
            needed=style.money(n.needed_cents),
            share=whole_percent(style, n.gmv_cents / n.needed_cents),
        )
        for n in close
    ]
    still = [
        f"@{escape(s.handle)} L{s.level if s.level is not None else '?'} "
        + (_("since {day}").format(day=padded_day(s.since)) if s.since else _("(never changed)"))
        + f" <@{s.owner_user_id}>"
        for s in stuck
    ]
    month = month_text(first)
    close_title = _(
        "*Close to the next level* ({count}, within {share} of its monthly GMV, by {snapshot})"
    ).format(
        count=count(close_total),
        share=whole_percent(style, 1 - CLOSE_SHARE),
        snapshot=snapshot,
    )
    stuck_title = _("*Managed, no level change for three months* ({count})").format(
        count=count(stuck_total)
    )
    blocks: list[Block] = [
        header(_("Creator levels · {month}").format(month=month)),
        section(moved(_("Moved up"), ups)),
        section(moved(_("Moved down"), downs)),
        section(close_title + "\n" + ("\n".join(near) if near else nobody)),
        section(stuck_title + "\n" + ("\n".join(still) if still else nobody)),
    ]
    if open_onboardings:
        lines = [f"@{escape(o.handle)}: {checklist_line(o)}" for o in open_onboardings[:SHOWN]]
        onboarding_title = _("*Onboarding* ({count})").format(count=count(len(open_onboardings)))
        blocks.append(section(onboarding_title + "\n" + "\n".join(lines)))
    levels = ", ".join(
        f"L{i} {count(amount)}"
        for i, amount in enumerate(settings.section(LevelSettings).level_thresholds, 1)
    )
    per_level = _("Monthly GMV per level ({currency}, SHOPBOT_LEVEL_THRESHOLDS): {levels}")
    blocks.append(context(per_level.format(currency=settings.currency, levels=levels)))
    text = _(
        "Creator levels {month}: {up} up, {down} down, {close} close to the next level, "
        "{stuck} managed without a change for three months"
    ).format(
        month=month,
        up=count(len(ups)),
        down=count(len(downs)),
        close=count(close_total),
        stuck=count(stuck_total),
    )
    return Reply(text=text, blocks=blocks)
