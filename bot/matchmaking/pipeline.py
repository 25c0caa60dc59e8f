"""The outreach pipeline as people see it: `/match pipeline`, the stage buttons and menus,
the reason modal for moving back or declining, and the overdue reminder DM."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from datetime import date
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    InputBlock,
    Option,
    OverflowMenuElement,
    PlainTextInputElement,
)
from slack_sdk.models.views import View

from bot.shared.carried import carried_number, carried_object
from bot.shared.commands import SlashCommand, usage_of
from bot.shared.days import short_day
from bot.shared.language import _, ngettext, pgettext
from bot.shared.pages import Asked, on_page, pager
from bot.shared.replies import Reply, escape, header, section
from storage.matchmaking.outreach import MAX_REASON, STAGES, PipelineItem

NEXT_STAGE = "match_stage_next"  # + "_<id>": one per listed pair
STAGE_MENU = "match_stage_menu"  # + "_<id>"
REASON_FORM = "match_stage_reason"
PAGE_SIZE = 5  # pairs a page, each with its buttons: about one phone screen


def stage_value(outreach_id: int, stage: str) -> str:
    return f"{outreach_id}:{stage}"


def read_stage_value(value: str) -> tuple[int, str]:
    """(pair, stage) of a stage button or menu option; the stage is checked when it is moved."""
    number, _colon, stage = value.partition(":")
    return carried_number(number, "an outreach pair", "/match pipeline"), stage


def reason_state(private_metadata: Any) -> dict[str, Any]:
    """What the reason form carries (the pair, the stage, where to answer); {} for anything
    the app did not put there, so the pair it names is refused."""
    return carried_object(private_metadata)


def stage_name(stage: str) -> str:
    """A stage of the pipeline as people read it (`sample sent`), in the answer's language."""
    names = {
        "suggested": pgettext("outreach stage", "suggested"),
        "contacted": pgettext("outreach stage", "contacted"),
        "sample sent": pgettext("outreach stage", "sample sent"),
        "content posted": pgettext("outreach stage", "content posted"),
        "selling": pgettext("outreach stage", "selling"),
        "declined": pgettext("outreach stage", "declined"),
    }
    return names.get(stage, stage)


def item_line(item: PipelineItem, today: date) -> str:
    """`*@maria.makes × Ökoladen* — sample sent for 16 days · ⏰ 2 days overdue · <@U…>`"""
    days = (today - item.since.date()).days
    line = ngettext(
        "{pair} — {stage} for {count} day", "{pair} — {stage} for {count} days", days
    ).format(
        pair=f"*@{escape(item.handle)} × {escape(item.seller)}*",
        stage=stage_name(item.stage),
        count=days,
    )
    overdue = item.overdue_days(today)
    if overdue:
        late = ngettext("{count} day overdue", "{count} days overdue", overdue)
        line += " · ⏰ " + late.format(count=overdue)
    if item.declined_reason:
        line += f" · “{escape(item.declined_reason[:120])}”"
    return line + f" · <@{item.owner_user_id}>"


def _buttons(item: PipelineItem) -> ActionsBlock:
    elements: list[ButtonElement | OverflowMenuElement] = []
    if item.next_stage is not None:
        elements.append(
            ButtonElement(
                text=f"→ {stage_name(item.next_stage)}",
                action_id=f"{NEXT_STAGE}_{item.id}",
                value=stage_value(item.id, item.next_stage),
                style="primary",
            )
        )
    others = [s for s in STAGES if s not in (item.stage, item.next_stage)]
    elements.append(
        OverflowMenuElement(
            action_id=f"{STAGE_MENU}_{item.id}",
            options=[
                Option(
                    value=stage_value(item.id, s),
                    text=_("Move to {stage}").format(stage=stage_name(s)),
                )
                for s in others
            ],
        )
    )
    return ActionsBlock(block_id=f"pipeline_{item.id}", elements=elements)


def pipeline_reply(
    title: str,
    items: Sequence[PipelineItem],
    today: date,
    page: int,
    asked: Asked,
    commands: Sequence[SlashCommand],
) -> Reply:
    """A page of the pairs with where they stand, overdue first, each with its stage buttons;
    the summary counts them all."""
    counts = Counter(item.stage for item in items)
    overdue = sum(1 for item in items if item.overdue_days(today))
    summary = " · ".join(
        f"{stage_name(stage)} {counts[stage]}" for stage in STAGES if counts[stage]
    )
    blocks: list[Block] = [header(title)]
    if not items:
        blocks.append(
            section(
                _("Nobody is in this pipeline yet: `{usage}` and *Start outreach*.").format(
                    usage=escape(usage_of(commands, "/match", "for"))
                )
            )
        )
        return Reply(text=escape(title), blocks=blocks)
    shown, pages = on_page(items, page, PAGE_SIZE)
    blocks.append(
        section(_("{summary} · *{count} overdue*").format(summary=summary, count=overdue))
    )
    for item in shown:
        blocks += [section(item_line(item, today)), _buttons(item)]
    blocks += pager(asked, page, more=page < pages, pages=pages)
    lines = [title, summary] + [f"@{i.handle} × {i.seller}: {stage_name(i.stage)}" for i in shown]
    return Reply(text=escape("\n".join(lines)), blocks=blocks)


def moved_reply(item: PipelineItem, today: date) -> Reply:
    text = _("Moved: {pair}").format(pair=item_line(item, today))
    return Reply(text=text, blocks=[section(text), _buttons(item)])


def started_reply(item: PipelineItem, today: date) -> Reply:
    pair = f"*@{escape(item.handle)} × {escape(item.seller)}*"
    stage = stage_name(item.stage)
    text = (
        _(
            "Outreach started: {pair} is {stage}, yours to follow up, due {day}. "
            "`/match pipeline mine` lists your pairs."
        ).format(pair=pair, stage=stage, day=short_day(item.due_on))
        if item.due_on
        else _(
            "Outreach started: {pair} is {stage}, yours to follow up. "
            "`/match pipeline mine` lists your pairs."
        ).format(pair=pair, stage=stage)
    )
    return Reply(text=text, blocks=[section(text), _buttons(item)])


def reminder_message(item: PipelineItem, today: date) -> Reply:
    """The DM to the pair's owner once its stage is overdue."""
    text = "⏰ " + _("Outreach overdue: {pair}").format(pair=item_line(item, today))
    return Reply(
        text=_("Outreach overdue: {pair}").format(pair=f"@{item.handle} × {escape(item.seller)}"),
        blocks=[section(text), _buttons(item)],
    )


def reason_form(outreach_id: int, stage: str, response_url: str, item: PipelineItem) -> View:
    """The modal that asks why a pair moves back or is declined."""
    metadata = json.dumps({"id": outreach_id, "stage": stage, "response_url": response_url})
    return View(
        type="modal",
        callback_id=REASON_FORM,
        private_metadata=metadata,
        title=_("Why?"),
        submit=_("Move"),
        close=_("Cancel"),
        blocks=[
            section(
                _("Moving {pair} from {stage} to *{new_stage}*.").format(
                    pair=f"*@{escape(item.handle)} × {escape(item.seller)}*",
                    stage=stage_name(item.stage),
                    new_stage=stage_name(stage),
                )
            ),
            InputBlock(
                block_id="reason",
                label=_("Reason"),
                element=PlainTextInputElement(
                    action_id="reason", multiline=True, max_length=MAX_REASON
                ),
            ),
        ],
    )
