"""The seller note form: opened by the card's "Add a note" (the seller known) and by the
"Save as seller note" message shortcut (the message's text in it, the seller to say)."""

from __future__ import annotations

from datetime import date
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    DatePickerElement,
    InputBlock,
    MarkdownTextObject,
    PlainTextInputElement,
)
from slack_sdk.models.views import View
from sqlalchemy.engine import Engine

from bot.sellers.parsing import NOTE_USAGE, seller_named
from bot.shared.forms import Collector, FormState, Values, note_input, selected_date, text_value
from bot.shared.language import _
from bot.shared.note_text import check_note_text
from bot.shared.replies import escape
from bot.shared.tags import parse_tag_field
from storage.errors import UserError
from storage.sellers.registry import SellerRef

SELLER_NOTE_FORM = "seller_note_form"


def seller_note_form(state: FormState, seller: SellerRef | None, text: str = "") -> dict[str, Any]:
    """The modal; `state.id` is the seller's id when the form knows it."""
    blocks: list[Block] = []
    if seller is not None:
        shown = _("Note about *{seller}*").format(seller=escape(seller.name))
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=shown)]))
    else:
        blocks.append(
            InputBlock(
                block_id="seller",
                label=_("Seller (store name or shop id)"),
                element=PlainTextInputElement(action_id="seller", max_length=200),
            )
        )
    blocks += [
        *note_input("text", _("What was said or decided"), text),
        InputBlock(
            block_id="tags",
            label=_("Tags"),
            optional=True,
            element=PlainTextInputElement(action_id="tags", max_length=500),
        ),
        InputBlock(
            block_id="follow_up",
            label=_("Follow up on"),
            optional=True,
            element=DatePickerElement(action_id="follow_up"),
        ),
    ]
    view = View(
        type="modal",
        callback_id=SELLER_NOTE_FORM,
        title=_("Seller note"),
        submit=_("Save"),
        close=_("Cancel"),
        private_metadata=state.dump(),
        blocks=blocks,
    )
    return view.to_dict()


def _future(day: date | None, today: date) -> date | None:
    if day is not None and day < today:
        raise UserError(_("That day is in the past: pick today or a later day."))
    return day


def read_seller_note_form(
    values: Values, engine: Engine, team_id: str, seller_id: int | None, today: date
) -> tuple[int, str, list[str], date | None]:
    """(seller id, text, tags, follow-up day) of a submitted form; FormErrors by field."""
    found = Collector()
    if seller_id is None:
        seller = found.run(
            "seller", seller_named, engine, team_id, text_value(values, "seller"), NOTE_USAGE
        )
        seller_id = seller.id if seller else None
    text = found.run("text", check_note_text, text_value(values, "text").strip(), NOTE_USAGE)
    tags = found.run("tags", parse_tag_field, text_value(values, "tags"))
    follow_up = found.run("follow_up", _future, selected_date(values, "follow_up"), today)
    found.raise_if_any()
    assert seller_id is not None and text is not None
    return seller_id, text, tags or [], follow_up
