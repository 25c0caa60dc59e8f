"""Seller profiles: reading one, and changing one with its history (who, when, what).

The registry is kept by the seller import and by the seller form; both write through
`apply_profile`, so every change, whichever way it came, leaves one `SellerChange` row listing
each field's old and new value. Every query is filtered by team.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from storage.db import held_by, transaction
from storage.errors import UserError
from storage.models import SELLER_TABLE, Seller, SellerChange, SellerProgram, SellerStatus, utc_now
from storage.names import match_key

STATUSES: tuple[str, ...] = tuple(s.value for s in SellerStatus if s is not SellerStatus.INACTIVE)
PROGRAMS: tuple[str, ...] = tuple(p.value for p in SellerProgram)
# The fields a profile is incomplete without (the `profile incomplete` gap names them).
REQUIRED_FIELDS: dict[str, str] = {
    "owner_user_id": "owner",
    "category": "main category",
    "market": "market",
    "tier": "tier",
    "contacts": "a contact",
}


@dataclass(frozen=True)
class Contact:
    """A person at the seller: name, role, and how to reach them (email, phone, chat)."""

    name: str
    role: str = ""
    reach: str = ""


@dataclass(frozen=True)
class SellerDraft:
    """A whole profile as the import or the form gives it; `key` is the shop id."""

    key: str
    name: str
    categories: list[str]
    market: str = ""
    tier: str = ""
    owner_user_id: str | None = None
    status: str = SellerStatus.ACTIVE
    contacts: list[Contact] = field(default_factory=list)
    programs: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SellerProfile:
    id: int
    number: int  # its bit in the workspace's seller bitmaps (Seller.number)
    key: str
    name: str
    category: str
    categories: list[str]
    market: str
    tier: str
    owner_user_id: str | None
    status: str
    contacts: list[Contact]
    programs: list[str]
    tags: list[str]

    @cached_property
    def missing_fields(self) -> tuple[str, ...]:
        """The required profile fields left empty, as the team calls them (worked out once:
        the registry's profiles are kept between requests)."""
        return tuple(label for name, label in REQUIRED_FIELDS.items() if not getattr(self, name))


@dataclass(frozen=True)
class ProfileChange:
    changed_by: str
    source: str
    changes: dict[str, Any]
    changed_at: datetime


class SellerNotFound(UserError):
    def __init__(self) -> None:
        super().__init__(
            "That seller is not in this workspace's registry.", ["/seller list", "/seller add"]
        )


class ShopIdTaken(UserError):
    def __init__(self, key: str, name: str) -> None:
        super().__init__(
            f"Shop id `{key}` already belongs to *{name}*.", [f"/seller {key}", "/seller list"]
        )


class SellerNameTaken(UserError):
    def __init__(self, name: str) -> None:
        super().__init__(f"There is already a seller called *{name}*.", [f"/seller {name}"])


def profile_of(seller: Seller) -> SellerProfile:
    assert seller.id is not None and seller.number is not None
    return SellerProfile(
        id=seller.id,
        number=seller.number,
        key=seller.seller_key,
        name=seller.name,
        category=seller.category,
        categories=list(seller.categories),
        market=seller.market,
        tier=seller.tier,
        owner_user_id=seller.owner_user_id,
        status=seller.status,
        contacts=[Contact(**c) for c in seller.contacts],
        programs=list(seller.programs),
        tags=list(seller.tags),
    )


def seller_profile(engine: Engine, team_id: str, seller_id: int) -> SellerProfile:
    with Session(engine) as session:
        seller = session.get(Seller, seller_id)
        if seller is None or seller.team_id != team_id:
            raise SellerNotFound()
        return profile_of(seller)


def seller_profiles(
    engine: Engine, team_id: str, seller_id: int | None = None
) -> list[SellerProfile]:
    """Every seller of the workspace (or the one `seller_id`), by name.

    The whole registry is kept in memory between calls while the database says it is
    unchanged (same count of sellers, same latest `updated_at`, which every write sets): the
    lists and gaps of thousands of sellers would otherwise spend most of their time decoding
    the same rows again."""
    table = SELLER_TABLE
    columns = [table.c[name] for name in _PROFILE_COLUMNS]
    statement = sa_select(*columns).where(table.c.team_id == team_id)
    if seller_id is not None:
        statement = statement.where(table.c.id == seller_id)
        with engine.connect() as connection:
            return [_profile_row(*row) for row in connection.execute(statement).all()]
    version_query = sa_select(
        func.count(), func.max(table.c.id), func.max(table.c.updated_at)
    ).where(table.c.team_id == team_id)
    # team → (version, profiles), held by the engine: see storage.db.held_by.
    registries: dict[str, tuple[tuple[Any, ...], list[SellerProfile]]]
    registries = held_by(engine, "seller registries", dict)
    with engine.connect() as connection:
        version = tuple(connection.execute(version_query).one())
        cached = registries.get(team_id)
        if cached is not None and cached[0] == version:
            return cached[1]
        rows = connection.execute(statement.order_by(table.c.name_key, table.c.id)).all()
    profiles = [_profile_row(*row) for row in rows]
    registries[team_id] = (version, profiles)
    return profiles


_PROFILE_COLUMNS = (
    "id",
    "number",
    "seller_key",
    "name",
    "category",
    "categories",
    "market",
    "tier",
    "owner_user_id",
    "status",
    "contacts",
    "programs",
    "tags",
)


def _profile_row(
    id: int,
    number: int,
    key: str,
    name: str,
    category: str,
    categories: list[str],
    market: str,
    tier: str,
    owner: str | None,
    status: str,
    contacts: list[dict[str, str]],
    programs: list[str],
    tags: list[str],
) -> SellerProfile:
    return SellerProfile(
        id,
        number,
        key,
        name,
        category,
        list(categories),
        market,
        tier,
        owner,
        status,
        [Contact(**c) for c in contacts],
        list(programs),
        list(tags),
    )


def _values(draft: SellerDraft) -> dict[str, Any]:
    """The draft as the Seller columns it sets (the first category is the main one)."""
    categories = [c for c in draft.categories if c]
    return {
        "seller_key": draft.key,
        "name": draft.name,
        "category": categories[0] if categories else "Uncategorised",
        "categories": categories,
        "market": draft.market[:8],
        "tier": draft.tier[:16],
        "owner_user_id": draft.owner_user_id or None,
        "status": draft.status,
        "contacts": [asdict(c) for c in draft.contacts],
        "programs": list(draft.programs),
        "tags": list(draft.tags),
    }


def apply_profile(
    session: Session,
    seller: Seller,
    draft: SellerDraft,
    *,
    changed_by: str,
    source: str,
    now: datetime | None = None,
) -> bool:
    """Set the seller's profile to the draft and record what changed; False when nothing did.
    A new seller (no id yet) records every field it was given."""
    changes: dict[str, Any] = {}
    for name, new in _values(draft).items():
        old = getattr(seller, name)
        if old != new:
            changes[name] = [old if seller.id is not None else None, new]
            setattr(seller, name, new)
    if not changes:
        return False
    seller.updated_at = now or utc_now()
    session.add(seller)
    session.flush()
    assert seller.id is not None
    session.add(
        SellerChange(
            team_id=seller.team_id,
            seller_id=seller.id,
            changed_by=changed_by,
            source=source,
            changes=changes,
            changed_at=seller.updated_at,
        )
    )
    return True


def save_seller(
    engine: Engine,
    team_id: str,
    draft: SellerDraft,
    *,
    changed_by: str,
    now: datetime | None = None,
    seller_id: int | None = None,
) -> SellerProfile:
    """Add a seller (`seller_id` None) or change one, from the form. A shop id or a name that
    another seller of the workspace has is refused, and nothing is saved."""
    with transaction(engine) as session:
        others = select(Seller).where(Seller.team_id == team_id, col(Seller.id) != seller_id)
        taken = session.exec(others.where(Seller.seller_key == draft.key)).first()
        if taken is not None:
            raise ShopIdTaken(draft.key, taken.name)
        if session.exec(others.where(Seller.name_key == match_key(draft.name))).first():
            raise SellerNameTaken(draft.name)
        if seller_id is None:
            seller = Seller(team_id=team_id, seller_key=draft.key, name="", category="")
        else:
            found = session.get(Seller, seller_id)
            if found is None or found.team_id != team_id:
                raise SellerNotFound()
            seller = found
        apply_profile(session, seller, draft, changed_by=changed_by, source="form", now=now)
        session.flush()
        return profile_of(seller)


def profile_history(
    engine: Engine, team_id: str, seller_id: int, limit: int = 10
) -> list[ProfileChange]:
    """The seller's latest profile changes, newest first."""
    statement = (
        select(SellerChange)
        .where(SellerChange.team_id == team_id, SellerChange.seller_id == seller_id)
        .order_by(col(SellerChange.changed_at).desc(), col(SellerChange.id).desc())
        .limit(limit)
    )
    with Session(engine) as session:
        return [
            ProfileChange(c.changed_by, c.source, dict(c.changes), c.changed_at)
            for c in session.exec(statement).all()
        ]
