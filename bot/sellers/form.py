"""The seller form: add a seller (`/seller add`) or edit one (the card's Edit button).

Contacts are one per line, `name, role, how to reach`; programs and categories are separated by
commas. The owner is picked from the workspace's people, so it is always one of them.
"""

from __future__ import annotations

import re
from typing import Any

from slack_sdk import WebClient
from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    InputBlock,
    MarkdownTextObject,
    PlainTextInputElement,
    UserSelectElement,
)
from slack_sdk.models.views import View

from bot.sellers.words import status_text
from bot.shared.forms import (
    Collector,
    FormState,
    Values,
    choice_input,
    option,
    selected,
    selected_user,
    text_input,
    text_value,
)
from bot.shared.language import _
from bot.shared.replies import escape
from bot.shared.tags import parse_tag_field
from storage.errors import UserError
from storage.importers.seller_registry import MAX_CONTACTS, parse_contacts, parse_programs
from storage.sellers.profiles import PROGRAMS, STATUSES, SellerDraft, SellerProfile

SELLER_FORM = "seller_form"
MAX_CATEGORIES = 10


def seller_form(state: FormState, seller: SellerProfile | None = None) -> dict[str, Any]:
    """The modal: every field of a seller's profile, prefilled when editing."""
    blocks: list[Block] = []
    statuses = [option(status_text(s), s) for s in STATUSES]
    if seller is None:
        blocks.append(
            InputBlock(
                block_id="key",
                label=_("Shop id"),
                element=PlainTextInputElement(action_id="key", max_length=64),
            )
        )
    else:
        text = _("Editing *{seller}* (shop id {key})").format(
            seller=escape(seller.name), key=escape(seller.key)
        )
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=text)]))
    blocks += [
        InputBlock(
            block_id="name",
            label=_("Store name"),
            element=PlainTextInputElement(
                action_id="name", initial_value=seller.name if seller else None, max_length=200
            ),
        ),
        text_input(
            "categories",
            _("Categories (the main one first)"),
            ", ".join(seller.categories) if seller else "",
            1000,
            hint=_("Separated by commas: Home & Living, Kitchenware"),
        ),
        text_input("market", _("Market"), seller.market if seller else "", 8),
        text_input("tier", _("Tier"), seller.tier if seller else "", 16),
        choice_input("status", _("Status"), statuses, _status(seller)),
        InputBlock(
            block_id="owner",
            label=_("Owner"),
            optional=True,
            element=UserSelectElement(
                action_id="owner",
                placeholder=_("Who looks after the seller"),
                initial_user=seller.owner_user_id if seller else None,
            ),
        ),
        text_input(
            "contacts",
            _("Contacts"),
            "\n".join(", ".join(p for p in (c.name, c.role, c.reach) if p) for c in seller.contacts)
            if seller
            else "",
            2000,
            hint=_("One a line: name, role, how to reach (email, phone)"),
        ),
        text_input(
            "programs",
            _("Programs joined"),
            ", ".join(seller.programs) if seller else "",
            200,
            hint=_("Any of: {programs}").format(programs=", ".join(PROGRAMS)),
        ),
        text_input("tags", _("Tags"), " ".join(seller.tags) if seller else "", 500),
    ]
    for block in blocks:
        if isinstance(block, InputBlock) and isinstance(block.element, PlainTextInputElement):
            block.element.multiline = block.block_id == "contacts"
    view = View(
        type="modal",
        callback_id=SELLER_FORM,
        title=_("Edit seller") if seller else _("Add a seller"),
        submit=_("Save"),
        close=_("Cancel"),
        private_metadata=state.dump(),
        blocks=blocks,
    )
    return view.to_dict()


def _status(seller: SellerProfile | None) -> str:
    if seller is None:
        return "prospect"
    return seller.status if seller.status in STATUSES else "paused"


def open_seller_form(
    client: WebClient,
    trigger_id: str,
    response_url: str,
    seller: SellerProfile | None = None,
    *,
    replace: bool = False,
) -> None:
    state = FormState(id=seller.id if seller else None, response_url=response_url, replace=replace)
    client.views_open(trigger_id=trigger_id, view=seller_form(state, seller))


def _categories(text: str) -> list[str]:
    names = [c.strip() for c in re.split(r"[,;\n]", text) if c.strip()]
    if not names:
        raise UserError(_("Give at least the main category."))
    if len(names) > MAX_CATEGORIES or any(len(c) > 100 for c in names):
        raise UserError(
            _("At most {count} categories of up to 100 characters each.").format(
                count=MAX_CATEGORIES
            )
        )
    return list(dict.fromkeys(names))


def _programs(text: str) -> list[str]:
    programs = parse_programs(text.replace(",", ";"))
    if programs is None:
        raise UserError(_("Programs are any of {programs}.").format(programs=", ".join(PROGRAMS)))
    return programs


def _contacts(text: str) -> list[Any]:
    contacts = parse_contacts(text.replace("\n", ";"))
    if len(contacts) > MAX_CONTACTS:
        raise UserError(_("At most {count} contacts.").format(count=MAX_CONTACTS))
    return contacts


def read_seller_form(values: Values, *, key: str | None) -> SellerDraft:
    """The submitted profile; the shop id comes from the form when adding (`key` None)."""
    found = Collector()
    if key is None:
        key = text_value(values, "key").strip()
        found.check("key", None if key else _("Give the seller's shop id."))
    name = text_value(values, "name").strip()
    found.check("name", None if name else _("Give the store's name."))
    status = selected(values, "status") or "prospect"
    found.check("status", None if status in STATUSES else _("Pick a status."))
    categories = found.run("categories", _categories, text_value(values, "categories"))
    programs = found.run("programs", _programs, text_value(values, "programs"))
    contacts = found.run("contacts", _contacts, text_value(values, "contacts"))
    tags = found.run("tags", parse_tag_field, text_value(values, "tags"))
    found.raise_if_any()
    assert key is not None
    return SellerDraft(
        key=key,
        name=name,
        categories=categories or [],
        market=text_value(values, "market").strip(),
        tier=text_value(values, "tier").strip(),
        owner_user_id=selected_user(values, "owner"),
        status=status,
        contacts=contacts or [],
        programs=programs or [],
        tags=tags or [],
    )
