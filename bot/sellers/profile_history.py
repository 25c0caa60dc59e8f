"""A seller's profile history (`/seller changes <seller>`): who added the seller and how, and
what each change since, from the form or the seller import, did to its fields, shown as every
record's history is (bot.shared.history)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from bot.sellers.words import programs_text, status_text
from bot.services import Services
from bot.shared.history import Fields, history_reply, plain_value
from bot.shared.language import N_, _
from bot.shared.pages import Asked
from bot.shared.replies import Reply
from storage.authored import Edit
from storage.sellers.profiles import profile_history

# The profile's fields, named as the card names them.
LABELS: dict[str, str] = {
    "seller_key": N_("Shop id"),
    "name": N_("Name"),
    "category": N_("Main category"),
    "categories": N_("Categories"),
    "market": N_("Market"),
    "tier": N_("Tier"),
    "owner_user_id": N_("Owner"),
    "status": N_("Status"),
    "contacts": N_("Contacts"),
    "programs": N_("Programs"),
    "tags": N_("Tags"),
}
# What a change came through (SellerChange.source), as the history says it: a change from the
# form is someone's own edit and needs no word.
SOURCES = {"form": "", "import": N_("seller import")}
ADDED = {"form": N_("added with the form"), "import": N_("added with the seller import")}
ADDED_SOMEHOW = N_("added")


def _value(name: str, value: Any) -> str:
    if not value:
        return ""
    if name == "status":
        return status_text(str(value))
    if name == "programs":
        return programs_text(value)
    if name == "contacts":
        return "; ".join(
            " · ".join(part for part in (c.get("name"), c.get("role"), c.get("reach")) if part)
            for c in value
        )
    if name == "tags":
        return " ".join(f"#{tag}" for tag in value)
    return plain_value(name, value)


def _fields() -> Fields:
    labels = {name: _(label) for name, label in LABELS.items()}
    return Fields(labels, _value, people=frozenset({"owner_user_id"}))


def _worded(edit: Edit) -> Edit:
    worded = SOURCES.get(edit.source)
    if worded is None:  # a source the history has no word for: as it is
        return edit
    return replace(edit, source=_(worded) if worded else "")


def profile_history_reply(
    services: Services, team_id: str, seller_id: int, page: int, asked: Asked
) -> Reply:
    """The seller's profile changes, newest first, for whoever may see its card (SellerNotFound
    when the workspace has no such seller)."""
    found = profile_history(services.engine, team_id, seller_id)
    return history_reply(
        _("Profile history of {seller}").format(seller=found.profile.name),
        (found.added_by, found.added_at),
        [_worded(edit) for edit in found.edits],
        _fields(),
        services.settings.tz,
        page,
        asked,
        verb=_(ADDED.get(found.added_via, ADDED_SOMEHOW)),
    )
