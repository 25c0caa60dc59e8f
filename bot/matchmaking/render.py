"""The `/match` answers as Block Kit: a row per match with its score, reasons, warnings and
buttons; and the help that shows the score's components and the current weights."""

from __future__ import annotations

from collections.abc import Mapping

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement

from bot.matchmaking.pipeline import stage_name
from bot.matchmaking.ranking import RESTING, MatchList
from bot.matchmaking.score import COMPONENTS, Match, numbers, whole_percent
from bot.shared.add_note import ADD_NOTE
from bot.shared.carried import carried_numbers
from bot.shared.language import _, ngettext
from bot.shared.numbers import NumberStyle
from bot.shared.replies import Reply, context, escape, header, section
from storage.errors import Usage

START_OUTREACH = "match_start_outreach"


def pair_value(creator_id: int, seller_id: int) -> str:
    return f"{creator_id}:{seller_id}"


def read_pair(value: str) -> tuple[int, int]:
    """The (creator id, seller id) a Start outreach button carries."""
    creator, seller = carried_numbers(value, 2, "a creator and a seller", Usage("/match", "for"))
    return creator, seller


def _row(rank: int, found: Match, stage: str | None, subject: str) -> list[Block]:
    creator, seller = found.creator, found.seller
    if subject == "creator":
        name = f"*{rank}. @{escape(creator.handle)}*"
        if creator.display_name:
            name += f" ({escape(creator.display_name)})"
    else:
        name = f"*{rank}. {escape(seller.name)}* ({escape(seller.category)})"
    score = numbers().decimal(found.score, 0)
    lines = [_("{name} · score *{score}*").format(name=name, score=score)]
    if found.reasons:
        lines.append("✓ " + " · ".join(escape(r) for r in found.reasons))
    if found.warnings:
        lines.append("⚠ " + " · ".join(escape(w) for w in found.warnings))
    if creator.stage in RESTING and subject == "creator":
        lines.append("⏸ " + _("paused in the registry"))
    if found.working_together:
        lines.append("🤝 " + _("already working together"))
    elif stage is not None:
        lines.append(_("In the pipeline: {stage}").format(stage=stage_name(stage)))
    buttons = [ButtonElement(text=_("Add note"), action_id=ADD_NOTE, value=creator.handle)]
    if stage is None and not found.working_together:
        buttons.append(
            ButtonElement(
                text=_("Start outreach"),
                action_id=START_OUTREACH,
                value=pair_value(creator.id, seller.id),
                style="primary",
            )
        )
    block_id = f"match_{creator.id}_{seller.id}"
    return [section("\n".join(lines)), ActionsBlock(block_id=block_id, elements=buttons)]


def match_reply(title: str, result: MatchList, subject: str, content: str | None) -> Reply:
    """`subject` is what is ranked: "creator" (for a seller) or "seller" (for a creator)."""
    style = numbers()
    blocks: list[Block] = [header(title)]
    if not result.matches:
        empty = (
            _(
                "No creators to suggest yet: import Affiliate Center creator data "
                "(`/kpi import`) or add creators with `/creator add`."
            )
            if subject == "creator"
            else _(
                "No sellers to suggest yet: import Affiliate Center creator data "
                "(`/kpi import`) or add creators with `/creator add`."
            )
        )
        blocks.append(section(empty))
    for rank, found in enumerate(result.matches, start=1):
        blocks += _row(rank, found, result.stage_of(found), subject)
    considered = style.count(result.considered)
    notes = [
        ngettext("{count} creator considered", "{count} creators considered", result.considered)
        if subject == "creator"
        else ngettext("{count} seller considered", "{count} sellers considered", result.considered)
    ]
    notes[0] = notes[0].format(count=considered)
    if content:
        notes.append(_("LIVE only") if content == "live" else _("video only"))
    if result.left_out:
        notes.append(
            ngettext(
                "{count} already works together, left out (add `all` to see)",
                "{count} already work together, left out (add `all` to see)",
                result.left_out,
            ).format(count=style.count(result.left_out))
        )
    if result.resting:
        notes.append(
            _("{count} paused, left out (add `all` to see)").format(
                count=style.count(result.resting)
            )
        )
    blocks.append(context(" · ".join(notes) + " · " + _("`/match help` explains the score")))
    lines = [title] + [
        f"{rank}. {m.creator.handle if subject == 'creator' else m.seller.name} "
        f"{style.decimal(m.score, 0)}"
        for rank, m in enumerate(result.matches, start=1)
    ]
    return Reply(text=escape("\n".join(lines)), blocks=blocks)


def _weight(style: NumberStyle, weight: float) -> str:
    """A weight as `{:g}` writes it (`3`, `0.5`), in the answer's style."""
    digits = len(f"{weight:g}".partition(".")[2])
    return style.decimal(weight, digits)


def score_help(usages: list[tuple[str, str]], weights: Mapping[str, float]) -> Reply:
    """`/match help`: the usages, then each component with its current weight."""
    style = numbers()
    total = sum(weights.values()) or 1
    lines = [f"• `{escape(usage)}` — {escape(summary)}" for usage, summary in usages]
    parts = [
        _("• *{component}* (weight {weight}, {share}) — {meaning}").format(
            component=key,
            weight=_weight(style, weights.get(key, 0)),
            share=whole_percent(style, weights.get(key, 0) / total),
            meaning=escape(_(meaning)),
        )
        for key, meaning in COMPONENTS.items()
    ]
    blocks: list[Block] = [
        header(_("/match — creator–seller matchmaking")),
        section("\n".join(lines)),
        section(
            _(
                "*The score* (0–100) is the weighted mean of these components, each from 0 to 1; "
                "performance figures are percentiles among the creators who sell in the seller's "
                "category:"
            )
            + "\n"
            + "\n".join(parts)
        ),
        context(
            _(
                "A component without data counts at the middle (½) and the row says so (“no GPM "
                "data”). The weights are the setting SHOPBOT_MATCH_WEIGHTS. Creators already "
                "working with the seller (a collaboration between its start and end, or a pair "
                "selling) and paused creators are left out unless you add `all`."
            )
        ),
    ]
    text = "/match help\n" + "\n".join(
        f"{k}: {_weight(style, weights.get(k, 0))}" for k in COMPONENTS
    )
    return Reply(text=escape(text), blocks=blocks)
