"""`/creator @handle`: the creator's card, from their registry row, level history and notes."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    MarkdownTextObject,
    SectionBlock,
)

from bot.creators.levels import checklist_line, onboarding_actions
from bot.shared.add_note import ADD_NOTE
from bot.shared.days import day_text, local_day
from bot.shared.follow_ups import follow_up_text
from bot.shared.handles import did_you_mean
from bot.shared.pages import Asked, open_button
from bot.shared.replies import BUTTON_TEXT, Reply, context, escape, header, section, truncate
from storage.creators.models import Creator, CreatorLevelChange
from storage.creators.profile import CreatorProfile

EDIT_CREATOR = "creator_edit"
SHOW_MEANT = "creator_show_meant"
ADD_AS_TYPED = "creator_add_as_typed"
_SCORE = {"positive": 1, "neutral": 0, "negative": -1}
_MARK = {"positive": "🟢", "neutral": "⚪", "negative": "🔴"}
MIN_TREND_NOTES = 4


def compact_count(value: int) -> str:
    """12,345 → 12.3K; 2,400,000 → 2.4M."""
    for size, unit in ((1_000_000_000, "B"), (1_000_000, "M"), (1_000, "K")):
        if value >= size:
            return f"{value / size:.1f}".rstrip("0").rstrip(".") + unit
    return str(value)


def money(cents: int, currency: str) -> str:
    return f"{currency} {cents / 100:,.2f}"


def sentiment_trend(sentiments: list[str]) -> str:
    """The newest notes' sentiments, oldest → newest, and which way they are going."""
    if not sentiments:
        return "no notes yet"
    marks = "".join(_MARK.get(s, "⚪") for s in reversed(sentiments))
    if len(sentiments) < MIN_TREND_NOTES:
        return f"{marks} (too few notes for a trend)"
    half = len(sentiments) // 2
    newer = sum(_SCORE.get(s, 0) for s in sentiments[:half]) / half
    older = sum(_SCORE.get(s, 0) for s in sentiments[half:]) / (len(sentiments) - half)
    trend = (
        "improving ↗"
        if newer - older > 0.25
        else "worsening ↘"
        if older - newer > 0.25
        else "steady →"
    )
    return f"{marks} — {trend}"


def level_text(creator: Creator, history: list[CreatorLevelChange]) -> str:
    if creator.level is None:
        return "not known"
    since = f" since {day_text(history[0].effective_on)}" if history else ""
    return f"L{creator.level}{since}"


def history_text(history: list[CreatorLevelChange]) -> str:
    steps = [
        f"{'L' + str(c.previous_level) if c.previous_level is not None else 'new'} → L{c.level} "
        f"on {day_text(c.effective_on)}"
        for c in history[:6]
    ]
    return "Level history: " + (" · ".join(steps) if steps else "no changes recorded")


def _fields(creator: Creator, history: list[CreatorLevelChange], currency: str) -> list[str]:
    owner = f"<@{creator.owner_user_id}>" if creator.owner_user_id else "nobody yet"
    followers = compact_count(creator.followers) if creator.followers is not None else "not known"
    fields = [
        f"*Level*\n{level_text(creator, history)}",
        f"*Stage*\n{creator.stage.title()}",
        f"*Owner*\n{owner}",
        f"*Followers*\n{followers}",
        f"*Categories*\n{escape(', '.join(creator.categories)) or '—'}",
        f"*Tags*\n{escape(' '.join('#' + t for t in creator.tags)) or '—'}",
    ]
    if creator.gmv_cents is not None:
        fields.append(f"*GMV (Affiliate Center)*\n{money(creator.gmv_cents, currency)}")
    figures = [
        f"{value:,} {label}"
        for value, label in (
            (creator.orders, "orders"),
            (creator.videos, "videos"),
            (creator.samples_shipped, "samples shipped"),
        )
        if value is not None
    ]
    if figures:
        fields.append("*Affiliate figures*\n" + ", ".join(figures))
    return [truncate(f, 2000) for f in fields]


def _notes_blocks(profile: CreatorProfile, tz: ZoneInfo, today: date) -> list[Block]:
    trend = sentiment_trend(profile.sentiments)
    blocks: list[Block] = [
        section(f"*Sentiment* (latest {len(profile.sentiments)} notes, oldest → newest): {trend}")
    ]
    if profile.recent_notes:
        lines = [
            f"• {local_day(n.created_at, tz)} {_MARK.get(n.sentiment, '⚪')} "
            + escape(truncate(n.text, 160))
            for n in profile.recent_notes
        ]
        more = f" of {profile.note_count}" if profile.note_count > len(lines) else ""
        blocks.append(section(f"*Latest notes* ({len(lines)}{more})\n" + "\n".join(lines)))
    if profile.open_follow_ups:
        lines = [
            f"• {follow_up_text(n, today)} — {escape(truncate(n.text, 120))} "
            f"(<@{n.author_user_id}>)"
            for n in profile.open_follow_ups
        ]
        blocks.append(section("*Open follow-ups*\n" + "\n".join(lines)))
    else:
        blocks.append(context("No open follow-ups."))
    return blocks


def _onboarding_blocks(profile: CreatorProfile) -> list[Block]:
    if profile.onboarding is None:
        return []
    return [
        section(f"*Onboarding* {checklist_line(profile.onboarding)}"),
        *onboarding_actions(profile.onboarding),
    ]


def creator_card(profile: CreatorProfile, tz: ZoneInfo, today: date, currency: str) -> Reply:
    """The card: facts, level history, sentiment trend, latest notes, open follow-ups, and
    buttons to add a note, edit the creator or page through all their notes."""
    creator = profile.creator
    name = f"{creator.display_name} (@{creator.handle})" if creator.display_name else ""
    facts = _fields(creator, profile.level_history, currency)
    buttons = [
        ButtonElement(text="Add a note", action_id=ADD_NOTE, value=creator.handle, style="primary"),
        ButtonElement(text="Edit creator", action_id=EDIT_CREATOR, value=str(creator.id)),
        open_button("All notes", Asked("/feedback", f"list @{creator.handle}")),
    ]
    blocks: list[Block] = [
        header(name or f"@{creator.handle}"),
        SectionBlock(fields=[MarkdownTextObject(text=f) for f in facts]),
        context(history_text(profile.level_history)),
        *_onboarding_blocks(profile),
        *_notes_blocks(profile, tz, today),
        ActionsBlock(block_id="creator_actions", elements=buttons),
    ]
    return Reply(text=f"Creator @{creator.handle}", blocks=blocks)


def typo_question(typed: str, meant: str) -> Reply:
    """`/creator @sara.goodfind`: asked as `/feedback` asks, "Did you mean @sara.goodfinds?",
    with a button to show that card and one to add the typed handle as a new creator."""
    title, asked = did_you_mean({typed: meant})
    buttons = ActionsBlock(
        block_id="creator_typo",
        elements=[
            ButtonElement(
                text=truncate(f"Show @{meant}", BUTTON_TEXT),
                action_id=SHOW_MEANT,
                value=meant,
                style="primary",
            ),
            ButtonElement(
                text=truncate(f"Add @{typed} as new", BUTTON_TEXT),
                action_id=ADD_AS_TYPED,
                value=typed,
            ),
        ],
    )
    return Reply(text=title, blocks=[section(asked), buttons])
