"""Sellers as a person types them into a type-ahead."""

from __future__ import annotations

import re

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from storage.names import match_key
from storage.sellers.models import Seller
from storage.sellers.registry import SellerRef


def suggest_sellers(engine: Engine, team_id: str, query: str, limit: int = 20) -> list[SellerRef]:
    """Sellers whose name starts with `query` first, then those whose name contains it or
    whose key starts with it; names compared on their match keys (the same on every
    database)."""
    wanted = match_key(query.strip())
    pattern = wanted.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    statement = select(Seller).where(
        Seller.team_id == team_id,
        col(Seller.name_key).like(f"%{pattern}%", escape="\\")
        | col(Seller.seller_key).like(f"{pattern}%", escape="\\"),
    )
    with Session(engine) as session:
        rows = session.exec(statement.order_by(col(Seller.name_key)).limit(limit * 5)).all()
    found = [_ref(s) for s in rows if s.id is not None]
    found.sort(key=lambda s: (not match_key(s.name).startswith(wanted), match_key(s.name)))
    return found[:limit]


def seller_by_id(engine: Engine, team_id: str, seller_id: int) -> SellerRef | None:
    """The workspace's seller with this row id (None for another workspace's)."""
    with Session(engine) as session:
        seller = session.get(Seller, seller_id)
    if seller is None or seller.team_id != team_id or seller.id is None:
        return None
    return _ref(seller)


def seller_named_in(engine: Engine, team_id: str, text: str) -> SellerRef | None:
    """The seller whose name the text has (compared on match keys, as whole words), when
    exactly one seller's is there; the longest name wins over one inside it."""
    key = f" {_words(text)} "
    with Session(engine) as session:
        rows = session.exec(
            select(Seller.id, Seller.name_key).where(Seller.team_id == team_id)
        ).all()
    named = [
        (len(name), seller_id) for seller_id, name in rows if name and f" {_words(name)} " in key
    ]
    if not named:
        return None
    named.sort(reverse=True)
    if len(named) > 1 and named[0][0] == named[1][0]:
        return None
    return seller_by_id(engine, team_id, int(named[0][1])) if named[0][1] is not None else None


def _words(text: str) -> str:
    """The text's words (and ampersands) on match keys, one space apart."""
    return " ".join(re.findall(r"\w+|&", match_key(text)))


def seller_categories(engine: Engine, team_id: str) -> list[str]:
    """The sellers' primary categories, as the registry spells them."""
    with Session(engine) as session:
        found = session.exec(
            select(Seller.category).where(Seller.team_id == team_id).distinct()
        ).all()
    return sorted(c for c in found if c)


def _ref(seller: Seller) -> SellerRef:
    assert seller.id is not None
    return SellerRef(seller.id, seller.seller_key, seller.name, seller.category, seller.status)
