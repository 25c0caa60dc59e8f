"""The seller registry: lookups by key or name (with close matches), and creation on import."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import insert
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from storage.columns import utc_now
from storage.names import match_key
from storage.sellers.models import Seller, SellerStatus, next_seller_number


@dataclass(frozen=True)
class SellerRef:
    id: int
    key: str
    name: str
    category: str
    status: str


@dataclass(frozen=True)
class NewSeller:
    key: str
    name: str
    category: str


def seller_ids(session: Session, team_id: str) -> dict[str, int]:
    """Seller key → row id for the whole workspace."""
    rows = session.exec(select(Seller.seller_key, Seller.id).where(Seller.team_id == team_id))
    return {key: int(row_id) for key, row_id in rows if row_id is not None}


def add_missing_sellers(
    session: Session, team_id: str, sellers: Iterable[NewSeller]
) -> tuple[dict[str, int], int]:
    """Create the sellers whose keys are new; returns (key → id for all, how many were new)."""
    known = seller_ids(session, team_id)
    missing = {s.key: s for s in sellers if s.key not in known}
    if missing:
        now = utc_now()
        first = next_seller_number(session.connection(), team_id)
        session.execute(
            insert(Seller),
            [
                {
                    "team_id": team_id,
                    "number": number,
                    "seller_key": s.key,
                    "name": s.name or s.key,
                    "name_key": match_key(s.name or s.key),
                    "category": s.category,
                    "categories": [s.category] if s.category else [],
                    "status": SellerStatus.ACTIVE,
                    "tier": "",
                    "programs": [],
                    "tags": [],
                    "contacts": [],
                    "created_at": now,
                    "updated_at": now,
                }
                for number, s in enumerate(missing.values(), start=first)
            ],
        )
        known = seller_ids(session, team_id)
    return known, len(missing)


def list_sellers(engine: Engine, team_id: str) -> list[SellerRef]:
    with Session(engine) as session:
        rows = session.exec(select(Seller).where(Seller.team_id == team_id)).all()
        return [_ref(s) for s in rows]


def seller_by_id(engine: Engine, team_id: str, seller_id: int) -> SellerRef | None:
    with Session(engine) as session:
        seller = session.get(Seller, seller_id)
        return _ref(seller) if seller is not None and seller.team_id == team_id else None


def _ref(seller: Seller) -> SellerRef:
    assert seller.id is not None
    return SellerRef(seller.id, seller.seller_key, seller.name, seller.category, seller.status)


def find_seller(engine: Engine, team_id: str, text: str) -> SellerRef | None:
    """The seller whose key or name is `text` (names compared on their match keys)."""
    wanted = text.strip()
    with Session(engine) as session:
        seller = (
            session.exec(
                select(Seller).where(Seller.team_id == team_id, Seller.seller_key == wanted)
            ).first()
            or session.exec(
                select(Seller)
                .where(Seller.team_id == team_id, Seller.name_key == match_key(wanted))
                .order_by(col(Seller.id))
            ).first()
        )
        return _ref(seller) if seller else None


def accent_blind(name: str) -> str:
    """The match key without accents (`Küchenwelt` ~ `kuchenwelt`): for suggestions only, as
    names that differ by an accent may be two different sellers."""
    decomposed = unicodedata.normalize("NFKD", match_key(name))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def close_matches(candidates: Iterable[str], text: str, limit: int = 3) -> list[str]:
    """The candidates that look most like `text`, never the typed name itself (a name that
    matches exactly is found, not suggested): names that are the same but for accents first,
    then names that start with the typed words, that have a word starting with them, that
    contain them, and last the typos (close in spelling), each group most alike first."""
    wanted, folded = match_key(text), accent_blind(text)
    keyed: dict[str, str] = {}
    for name in candidates:
        key = match_key(name)
        if key != wanted:
            keyed.setdefault(key, name)
    ranked: list[tuple[int, float, str]] = []
    for key, name in keyed.items():
        blind = accent_blind(key)
        likeness = difflib.SequenceMatcher(None, folded, blind).ratio()
        tier = _tier(folded, blind, likeness)
        if tier is not None:
            ranked.append((tier, -likeness, name))
    return [name for _, _, name in sorted(ranked)[:limit]]


def _tier(typed: str, name: str, likeness: float) -> int | None:
    """How a name relates to what was typed (both accent-blind keys): lower is closer."""
    if not typed:
        return None
    if name == typed:
        return 0
    if len(typed) >= 2 and name.startswith(typed):
        return 1
    if len(typed) >= 2 and any(word.startswith(typed) for word in re.split(r"[\W_]+", name)):
        return 2
    if len(typed) >= 3 and typed in name:
        return 3
    return 4 if likeness >= 0.6 else None
