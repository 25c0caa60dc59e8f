"""A seller's profile history (`/seller changes <seller>`): who added the seller and how, and
what each change since, from the form or the seller import, did to its fields, shown as every
record's history is (bot.shared.history)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from bot.services import Services
from bot.shared.history import Fields, history_reply, plain_value
from bot.shared.pages import Asked
from bot.shared.replies import Reply
from storage.authored import Edit
from storage.sellers.profiles import profile_history

# The profile's fields, named as the card names them.
LABELS: dict[str, str] = {
    "seller_key": "Shop id",
    "name": "Name",
    "category": "Main category",
    "categories": "Categories",
    "market": "Market",
    "tier": "Tier",
    "owner_user_id": "Owner",
    "status": "Status",
    "contacts": "Contacts",
    "programs": "Programs",
    "tags": "Tags",
}
# What a change came through (SellerChange.source), as the history says it: a change from the
# form is someone's own edit and needs no word.
SOURCES = {"form": "", "import": "seller import"}
ADDED = {"form": "added with the form", "import": "added with the seller import"}


def _value(name: str, value: Any) -> str:
    if not value:
        return ""
    if name == "status":
        return str(value).title()
    if name == "programs":
        return ", ".join(p.upper() if p == "live" else p for p in value)
    if name == "contacts":
        return "; ".join(
            " · ".join(part for part in (c.get("name"), c.get("role"), c.get("reach")) if part)
            for c in value
        )
    if name == "tags":
        return " ".join(f"#{tag}" for tag in value)
    return plain_value(name, value)


FIELDS = Fields(LABELS, _value, people=frozenset({"owner_user_id"}))


def _worded(edit: Edit) -> Edit:
    return replace(edit, source=SOURCES.get(edit.source, edit.source))


def profile_history_reply(
    services: Services, team_id: str, seller_id: int, page: int, asked: Asked
) -> Reply:
    """The seller's profile changes, newest first, for whoever may see its card (SellerNotFound
    when the workspace has no such seller)."""
    found = profile_history(services.engine, team_id, seller_id)
    return history_reply(
        f"Profile history of {found.profile.name}",
        (found.added_by, found.added_at),
        [_worded(edit) for edit in found.edits],
        FIELDS,
        services.settings.tz,
        page,
        asked,
        verb=ADDED.get(found.added_via, "added"),
    )
