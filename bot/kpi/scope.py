"""Which rows a KPI figure covers: from the category and seller names people type to a
`storage.kpis.reads.Scope` and the label shown above the figures.

`/kpi`, `/kpi chart`, `/digest subscribe` and the digest composer all come through here, so an
unknown name is refused the same way everywhere, with the names it looks like.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.engine import Engine

from bot.replies import shown
from storage.errors import UserError
from storage.kpis import reads as store
from storage.kpis.reads import Scope
from storage.names import match_key, same_name
from storage.sellers import SellerRef, close_matches, find_seller, list_sellers

ALL_SELLERS = "all sellers"
ALL_CATEGORIES = "all categories"


@dataclass(frozen=True)
class ResolvedScope:
    scope: Scope
    label: str


def known_scope(
    team_id: str,
    category: str | None = None,
    seller: SellerRef | None = None,
    *,
    everything: str = ALL_SELLERS,
) -> ResolvedScope:
    """The scope of names already spelled as the data spells them (a resolved question, a
    subscription's stored category); `everything` labels the scope without filters."""
    labels = [name for name in (category, seller.name if seller else None) if name]
    seller_id = seller.id if seller is not None else None
    return ResolvedScope(Scope(team_id, category, seller_id), " · ".join(labels) or everything)


def resolve_scope(
    engine: Engine, team_id: str, category: str | None = None, seller: str | None = None
) -> ResolvedScope:
    """The rows a question about `category` and `seller` (as typed) covers; UserError naming
    close matches for a name the data does not know."""
    found_category = resolve_category(engine, team_id, category) if category is not None else None
    found_seller = resolve_seller(engine, team_id, seller) if seller is not None else None
    if found_category is not None and found_seller is not None:
        sells_in = store.seller_categories(engine, team_id, found_seller.id)
        if found_category not in sells_in:
            where = f": its figures are in {', '.join(sells_in)}" if sells_in else ""
            raise UserError(
                f"{shown(found_seller.name, 100)} is not in {shown(found_category, 100)}"
                f"{shown(where, 300)}.",
                [f"/kpi seller:{found_seller.name}"],
            )
    return known_scope(team_id, found_category, found_seller)


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


def unknown(kind: str, typed: str, matches: list[str]) -> str:
    """`I don't know the seller `x`. Did you mean `seller:y`?` (mrkdwn, typed text quoted)."""
    hint = f" Did you mean {', '.join(f'`{kind}:{shown(m, 100)}`' for m in matches)}?"
    return f"I don't know the {kind} `{shown(typed, 60)}`.{hint if matches else ''}"
