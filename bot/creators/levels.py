"""`/creator levels` and `/creator onboard`: level growth and onboarding checklists, and the
digest's level section."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement

from bot.services import Services
from bot.settings import Invalid, setting
from bot.shared.commands import CommandRequest
from bot.shared.handles import parse_handle
from bot.shared.numbers import NumberStyle
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
    return f"{onboarding.done} of {len(onboarding.steps)} · {marks}"


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
    what = "Onboarding started" if started else "Onboarding"
    finished = " — done, now active" if onboarding.next_step is None else ""
    text = f"*{what}: @{escape(onboarding.handle)}*{finished}\n{checklist_line(onboarding)}"
    return Reply(text=text, blocks=[section(text), *onboarding_actions(onboarding)])


def onboard_answer(services: Services, request: CommandRequest) -> Reply:
    words = request.args.split()
    if len(words) != 1:
        raise UserError("Say which creator to onboard, by handle.", [ONBOARD_USAGE])
    handle = parse_handle(words[0], ONBOARD_USAGE, request.typed)
    creator = find_creator(services.engine, request.team_id, handle)
    if creator is None or creator.id is None:
        raise UserError(
            f"`@{escape(handle)}` is not in the registry yet.",
            [f"/creator add @{handle}", ONBOARD_USAGE],
        )
    steps = services.settings.section(LevelSettings).onboarding_steps
    start_onboarding(
        services.engine, request.team_id, creator.id, steps, request.user_id, services.clock()
    )
    [onboarding] = onboardings(services.engine, request.team_id, [creator.id])
    return onboarding_reply(onboarding, started=True)


def levels_answer(services: Services, request: CommandRequest) -> Reply:
    """The month's level moves, who is close to the next level, managed creators whose level
    has not moved for three months, and open onboardings."""
    settings, engine, team = services.settings, services.engine, request.team_id
    today = services.today()
    first, last = month_of(request.args, today, settings.locale)
    style = NumberStyle(settings.currency, settings.locale)
    moves = level_moves(engine, team, first, last)
    ups = [m for m in moves if m.level > m.previous_level]
    downs = [m for m in moves if m.level < m.previous_level]
    thresholds = [amount * 100 for amount in settings.section(LevelSettings).level_thresholds]
    if last < today.replace(day=1):  # a month gone by: its own snapshot, not the latest
        close, close_total = nearly_there_in(engine, team, thresholds, first, last, SHOWN)
        snapshot = f"{first:%B}'s Affiliate Center snapshot"
    else:
        close, close_total = nearly_there(engine, team, thresholds, SHOWN)
        snapshot = "the latest Affiliate Center snapshot"
    stuck, stuck_total = stuck_creators(engine, team, last - timedelta(days=STUCK_DAYS), SHOWN)
    open_onboardings = onboardings(engine, team, open_only=True)

    def moved(title: str, found: list[LevelMove]) -> str:
        if not found:
            return f"*{title}* — nobody"
        lines = [f"@{escape(m.handle)} L{m.previous_level} → L{m.level}" for m in found[:SHOWN]]
        more = f" (+{len(found) - SHOWN} more)" if len(found) > SHOWN else ""
        return f"*{title}* ({len(found)}){more}\n" + " · ".join(lines)

    near = [
        f"@{escape(n.handle)} L{n.level} → L{n.level + 1}: {style.money(n.gmv_cents)} of "
        f"{style.money(n.needed_cents)} ({n.gmv_cents / n.needed_cents:.0%})"
        for n in close
    ]
    still = [
        f"@{escape(s.handle)} L{s.level if s.level is not None else '?'} "
        f"{'since ' + s.since.strftime('%d %b %Y') if s.since else '(never changed)'} "
        f"<@{s.owner_user_id}>"
        for s in stuck
    ]
    month_name = f"{first:%B %Y}"
    blocks: list[Block] = [
        header(f"Creator levels · {month_name}"),
        section(moved("Moved up", ups)),
        section(moved("Moved down", downs)),
        section(
            f"*Close to the next level* ({close_total}, within {1 - CLOSE_SHARE:.0%} of its "
            f"monthly GMV, by {snapshot})\n" + ("\n".join(near) if near else "nobody")
        ),
        section(
            f"*Managed, no level change for three months* ({stuck_total})\n"
            + ("\n".join(still) if still else "nobody")
        ),
    ]
    if open_onboardings:
        lines = [f"@{escape(o.handle)}: {checklist_line(o)}" for o in open_onboardings[:SHOWN]]
        blocks.append(section(f"*Onboarding* ({len(open_onboardings)})\n" + "\n".join(lines)))
    levels = ", ".join(
        f"L{i} {amount:,}"
        for i, amount in enumerate(settings.section(LevelSettings).level_thresholds, 1)
    )
    blocks.append(
        context(f"Monthly GMV per level ({settings.currency}, SHOPBOT_LEVEL_THRESHOLDS): {levels}")
    )
    text = (
        f"Creator levels {month_name}: {len(ups)} up, {len(downs)} down, {close_total} close to "
        f"the next level, {stuck_total} managed without a change for three months"
    )
    return Reply(text=text, blocks=blocks)
