"""`/creator @handle`: the creator's card, from their registry row, level history and notes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    MarkdownTextObject,
    SectionBlock,
)

from bot.creators.form import stage_label
from bot.creators.levels import checklist_line, onboarding_actions
from bot.shared.add_note import ADD_NOTE
from bot.shared.days import day_text, local_day
from bot.shared.follow_ups import follow_up_text
from bot.shared.handles import did_you_mean
from bot.shared.language import _, ngettext, pgettext
from bot.shared.numbers import NumberStyle
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


def compact_count(value: int, style: NumberStyle | None = None) -> str:
    """12,345 → 12.3K; 2,400,000 → 2.4M (German: `12.345`, `2,4 Mio.`, as German writes
    thousands in full)."""
    if style is not None and not style.locale_name.startswith("en"):
        return style.compact_count(value) if value >= 1_000_000 else style.count(value)
    for size, unit in ((1_000_000_000, "B"), (1_000_000, "M"), (1_000, "K")):
        if value >= size:
            return f"{value / size:.1f}".rstrip("0").rstrip(".") + unit
    return str(value)


def money(cents: int, style: NumberStyle) -> str:
    """`USD 1,234.56` · `EUR 1.234,56`: the amount with its currency's code."""
    return f"{style.currency} {style.decimal(Decimal(cents) / 100, 2)}"


def sentiment_trend(sentiments: list[str]) -> str:
    """The newest notes' sentiments, oldest → newest, and which way they are going."""
    if not sentiments:
        return _("no notes yet")
    marks = "".join(_MARK.get(s, "⚪") for s in reversed(sentiments))
    if len(sentiments) < MIN_TREND_NOTES:
        too_few = _("too few notes for a trend")
        return f"{marks} ({too_few})"
    half = len(sentiments) // 2
    newer = sum(_SCORE.get(s, 0) for s in sentiments[:half]) / half
    older = sum(_SCORE.get(s, 0) for s in sentiments[half:]) / (len(sentiments) - half)
    trend = (
        _("improving ↗")
        if newer - older > 0.25
        else _("worsening ↘")
        if older - newer > 0.25
        else _("steady →")
    )
    return f"{marks} — {trend}"


def level_text(creator: Creator, history: list[CreatorLevelChange]) -> str:
    if creator.level is None:
        return _("not known")
    if not history:
        return f"L{creator.level}"
    since = _("L{level} since {day}")
    return since.format(level=creator.level, day=day_text(history[0].effective_on))


def history_text(history: list[CreatorLevelChange]) -> str:
    steps = [
        _("{before} → L{level} on {day}").format(
            before=f"L{c.previous_level}"
            if c.previous_level is not None
            else pgettext("no level before", "new"),
            level=c.level,
            day=day_text(c.effective_on),
        )
        for c in history[:6]
    ]
    changes = " · ".join(steps) if steps else _("no changes recorded")
    return _("Level history: {changes}").format(changes=changes)


def _figures(creator: Creator, style: NumberStyle) -> list[str]:
    """The Affiliate Center's counts the registry has: `1,204 orders, 12 videos`."""
    found = []
    if creator.orders is not None:
        orders = ngettext("{count} order", "{count} orders", creator.orders)
        found.append(orders.format(count=style.count(creator.orders)))
    if creator.videos is not None:
        videos = ngettext("{count} video", "{count} videos", creator.videos)
        found.append(videos.format(count=style.count(creator.videos)))
    if creator.samples_shipped is not None:
        shipped = ngettext(
            "{count} sample shipped", "{count} samples shipped", creator.samples_shipped
        )
        found.append(shipped.format(count=style.count(creator.samples_shipped)))
    return found


def _fields(creator: Creator, history: list[CreatorLevelChange], style: NumberStyle) -> list[str]:
    owner = f"<@{creator.owner_user_id}>" if creator.owner_user_id else _("nobody yet")
    followers = (
        compact_count(creator.followers, style) if creator.followers is not None else _("not known")
    )
    fields = [
        _("*Level*") + f"\n{level_text(creator, history)}",
        _("*Stage*") + f"\n{stage_label(creator.stage)}",
        _("*Owner*") + f"\n{owner}",
        _("*Followers*") + f"\n{followers}",
        _("*Categories*") + f"\n{escape(', '.join(creator.categories)) or '—'}",
        _("*Tags*") + f"\n{escape(' '.join('#' + t for t in creator.tags)) or '—'}",
    ]
    if creator.gmv_cents is not None:
        fields.append(_("*GMV (Affiliate Center)*") + f"\n{money(creator.gmv_cents, style)}")
    figures = _figures(creator, style)
    if figures:
        fields.append(_("*Affiliate figures*") + "\n" + ", ".join(figures))
    return [truncate(f, 2000) for f in fields]


def _notes_blocks(profile: CreatorProfile, tz: ZoneInfo, today: date) -> list[Block]:
    trend = sentiment_trend(profile.sentiments)
    latest = ngettext(
        "*Sentiment* (latest {count} notes, oldest → newest): {trend}",
        "*Sentiment* (latest {count} notes, oldest → newest): {trend}",
        len(profile.sentiments),
    )
    blocks: list[Block] = [section(latest.format(count=len(profile.sentiments), trend=trend))]
    if profile.recent_notes:
        lines = [
            f"• {local_day(n.created_at, tz)} {_MARK.get(n.sentiment, '⚪')} "
            + escape(truncate(n.text, 160))
            for n in profile.recent_notes
        ]
        shown = str(len(lines))
        if profile.note_count > len(lines):
            shown = _("{shown} of {total}").format(shown=len(lines), total=profile.note_count)
        title = _("*Latest notes* ({count})").format(count=shown)
        blocks.append(section(title + "\n" + "\n".join(lines)))
    if profile.open_follow_ups:
        lines = [
            f"• {follow_up_text(n, today)} — {escape(truncate(n.text, 120))} "
            f"(<@{n.author_user_id}>)"
            for n in profile.open_follow_ups
        ]
        blocks.append(section(_("*Open follow-ups*") + "\n" + "\n".join(lines)))
    else:
        blocks.append(context(_("No open follow-ups.")))
    return blocks


def _onboarding_blocks(profile: CreatorProfile) -> list[Block]:
    if profile.onboarding is None:
        return []
    return [
        section(_("*Onboarding*") + f" {checklist_line(profile.onboarding)}"),
        *onboarding_actions(profile.onboarding),
    ]


def creator_card(profile: CreatorProfile, tz: ZoneInfo, today: date, style: NumberStyle) -> Reply:
    """The card: facts, level history, sentiment trend, latest notes, open follow-ups, and
    buttons to add a note, edit the creator or page through all their notes."""
    creator = profile.creator
    name = f"{creator.display_name} (@{creator.handle})" if creator.display_name else ""
    facts = _fields(creator, profile.level_history, style)
    buttons = [
        ButtonElement(
            text=_("Add a note"), action_id=ADD_NOTE, value=creator.handle, style="primary"
        ),
        ButtonElement(text=_("Edit creator"), action_id=EDIT_CREATOR, value=str(creator.id)),
        open_button(_("All notes"), Asked("/feedback", f"list @{creator.handle}")),
    ]
    blocks: list[Block] = [
        header(name or f"@{creator.handle}"),
        SectionBlock(fields=[MarkdownTextObject(text=f) for f in facts]),
        context(history_text(profile.level_history)),
        *_onboarding_blocks(profile),
        *_notes_blocks(profile, tz, today),
        ActionsBlock(block_id="creator_actions", elements=buttons),
    ]
    return Reply(text=_("Creator @{handle}").format(handle=creator.handle), blocks=blocks)


def typo_question(typed: str, meant: str) -> Reply:
    """`/creator @sara.goodfind`: asked as `/feedback` asks, "Did you mean @sara.goodfinds?",
    with a button to show that card and one to add the typed handle as a new creator."""
    title, asked = did_you_mean({typed: meant})
    buttons = ActionsBlock(
        block_id="creator_typo",
        elements=[
            ButtonElement(
                text=truncate(_("Show @{handle}").format(handle=meant), BUTTON_TEXT),
                action_id=SHOW_MEANT,
                value=meant,
                style="primary",
            ),
            ButtonElement(
                text=truncate(_("Add {handles} as new").format(handles=f"@{typed}"), BUTTON_TEXT),
                action_id=ADD_AS_TYPED,
                value=typed,
            ),
        ],
    )
    return Reply(text=title, blocks=[section(asked), buttons])
