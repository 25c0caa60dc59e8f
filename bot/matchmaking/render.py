"""The `/match` answers as Block Kit: a row per match with its score, reasons, warnings and
buttons; and the help that shows the score's components and the current weights."""

from __future__ import annotations

from collections.abc import Mapping

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement

from bot.matchmaking.ranking import RESTING, MatchList
from bot.matchmaking.score import COMPONENTS, Match
from bot.shared.add_note import ADD_NOTE
from bot.shared.carried import carried_numbers
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
    lines = [f"{name} · score *{found.score:.0f}*"]
    if found.reasons:
        lines.append("✓ " + " · ".join(escape(r) for r in found.reasons))
    if found.warnings:
        lines.append("⚠ " + " · ".join(escape(w) for w in found.warnings))
    if creator.stage in RESTING and subject == "creator":
        lines.append(f"⏸ {escape(creator.stage)} in the registry")
    if found.working_together:
        lines.append("🤝 already working together")
    elif stage is not None:
        lines.append(f"In the pipeline: {stage}")
    buttons = [ButtonElement(text="Add note", action_id=ADD_NOTE, value=creator.handle)]
    if stage is None and not found.working_together:
        buttons.append(
            ButtonElement(
                text="Start outreach",
                action_id=START_OUTREACH,
                value=pair_value(creator.id, seller.id),
                style="primary",
            )
        )
    block_id = f"match_{creator.id}_{seller.id}"
    return [section("\n".join(lines)), ActionsBlock(block_id=block_id, elements=buttons)]


def match_reply(title: str, result: MatchList, subject: str, content: str | None) -> Reply:
    """`subject` is what is ranked: "creator" (for a seller) or "seller" (for a creator)."""
    what = "creators" if subject == "creator" else "sellers"
    blocks: list[Block] = [header(title)]
    if not result.matches:
        blocks.append(
            section(
                f"No {what} to suggest yet: import Affiliate Center creator data "
                "(`/kpi import`) or add creators with `/creator add`."
            )
        )
    for rank, found in enumerate(result.matches, start=1):
        blocks += _row(rank, found, result.stage_of(found), subject)
    notes = [f"{result.considered:,} {what} considered"]
    if content:
        notes.append(f"{'LIVE' if content == 'live' else 'video'} only")
    if result.left_out:
        working = "works" if result.left_out == 1 else "work"
        notes.append(f"{result.left_out} already {working} together, left out (add `all` to see)")
    if result.resting:
        notes.append(f"{result.resting} paused, left out (add `all` to see)")
    blocks.append(context(" · ".join(notes) + " · `/match help` explains the score"))
    lines = [title] + [
        f"{rank}. {m.creator.handle if subject == 'creator' else m.seller.name} {m.score:.0f}"
        for rank, m in enumerate(result.matches, start=1)
    ]
    return Reply(text=escape("\n".join(lines)), blocks=blocks)


def score_help(usages: list[tuple[str, str]], weights: Mapping[str, float]) -> Reply:
    """`/match help`: the usages, then each component with its current weight."""
    total = sum(weights.values()) or 1
    lines = [f"• `{escape(usage)}` — {escape(summary)}" for usage, summary in usages]
    parts = [
        f"• *{key}* (weight {weights.get(key, 0):g}, {weights.get(key, 0) / total:.0%}) — "
        f"{escape(meaning)}"
        for key, meaning in COMPONENTS.items()
    ]
    blocks: list[Block] = [
        header("/match — creator–seller matchmaking"),
        section("\n".join(lines)),
        section(
            "*The score* (0–100) is the weighted mean of these components, each from 0 to 1; "
            "performance figures are percentiles among the creators who sell in the seller's "
            "category:\n" + "\n".join(parts)
        ),
        context(
            "A component without data counts at the middle (½) and the row says so (“no GPM "
            "data”). The weights are the setting SHOPBOT_MATCH_WEIGHTS. Creators already working "
            "with the seller (a collaboration between its start and end, or a pair selling) and "
            "paused creators are left out unless you add `all`."
        ),
    ]
    text = "/match help\n" + "\n".join(f"{k}: {weights.get(k, 0):g}" for k in COMPONENTS)
    return Reply(text=escape(text), blocks=blocks)
