"""Seller and category names as people type them, found in the data: the name as the data
spells it, or a UserError that names the close matches (never the typed name itself)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.engine import Engine

from bot.shared.language import N_, _
from bot.shared.replies import shown
from storage.errors import UserError
from storage.kpis import reads as store
from storage.names import match_key, same_name
from storage.sellers.registry import SellerRef, close_matches, find_seller, list_sellers


def resolve_category(engine: Engine, team_id: str, typed: str) -> str:
    """The category as the data spells it; UserError naming close matches otherwise."""
    known = store.categories(engine, team_id)
    exact = [name for name in known if same_name(name, typed)]
    if not exact:
        raise UserError(unknown("category", typed, suggestions(known, typed)))
    return exact[0]


def resolve_seller(engine: Engine, team_id: str, typed: str) -> SellerRef:
    """The seller whose key or name is `typed`; UserError naming close matches otherwise."""
    seller = find_seller(engine, team_id, typed)
    if seller is None:
        names = [s.name for s in list_sellers(engine, team_id)]
        raise UserError(unknown("seller", typed, suggestions(names, typed)))
    return seller


def suggestions(candidates: Iterable[str], typed: str, limit: int = 3) -> list[str]:
    """The candidates that look like `typed`, never the typed name itself: suggesting what was
    just refused would only send the person round in a circle."""
    typed_key = match_key(typed)
    # One more than shown, in case one of them is the typed name.
    matches = close_matches(candidates, typed, limit=limit + 1)
    return [name for name in matches if match_key(name) != typed_key][:limit]


UNKNOWN = {
    "category": N_("I don't know the category `{typed}`."),
    "seller": N_("I don't know the seller `{typed}`."),
}
"""The sentence for a name of each kind (`kind:` is also the word typed before a name)."""


def unknown(kind: str, typed: str, matches: list[str]) -> str:
    """`I don't know the seller `x`. Did you mean `seller:y`?` (mrkdwn, typed text quoted)."""
    said = _(UNKNOWN[kind]).format(typed=shown(typed, 60))
    if not matches:
        return said
    meant = ", ".join(f"`{kind}:{shown(m, 100)}`" for m in matches)
    return f"{said} " + _("Did you mean {names}?").format(names=meant)
