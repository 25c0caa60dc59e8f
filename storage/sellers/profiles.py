"""Seller profiles: reading one, and changing one with its history (who, when, what).

The registry is kept by the seller import and by the seller form; both write through
`apply_profile`, so every change, whichever way it came, leaves one `SellerChange` row listing
each field's old and new value, which `/seller changes` shows (`profile_history`). Every
query is filtered by team.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from storage.authored import Edit
from storage.columns import utc_now
from storage.db import held_by, transaction
from storage.errors import N_, UserError
from storage.names import match_key
from storage.sellers.models import SELLER_TABLE, Seller, SellerChange, SellerProgram, SellerStatus

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


class SellerNotFound(UserError):
    def __init__(self) -> None:
        super().__init__(
            N_("That seller is not in this workspace's registry."), ["/seller list", "/seller add"]
        )


class ShopIdTaken(UserError):
    def __init__(self, key: str, name: str) -> None:
        super().__init__(
            N_("Shop id `{key}` already belongs to *{name}*."),
            [f"/seller {key}", "/seller list"],
            key=key,
            name=name,
        )


class SellerNameTaken(UserError):
    def __init__(self, name: str) -> None:
        super().__init__(
            N_("There is already a seller called *{name}*."), [f"/seller {name}"], name=name
        )


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


@dataclass(frozen=True)
class ProfileHistory:
    """A seller's profile, how it came into the registry, and every change to it since."""

    profile: SellerProfile
    added_at: datetime
    # Who added it (a Slack user ID) and through what (`form` or `import`): both "" when the
    # registry did not record the addition (a seller the sales data brought in) or, for the
    # user, when an import ran without one.
    added_by: str
    added_via: str
    edits: list[Edit]  # oldest first


def profile_history(engine: Engine, team_id: str, seller_id: int) -> ProfileHistory:
    """The seller's profile and its changes, oldest first (SellerNotFound when the workspace
    has no such seller).

    Adding a seller records its first values with no old ones (`apply_profile`): that change
    is the addition, not an edit."""
    statement = (
        select(SellerChange)
        .where(SellerChange.team_id == team_id, SellerChange.seller_id == seller_id)
        .order_by(col(SellerChange.changed_at), col(SellerChange.id))
    )
    with Session(engine) as session:
        seller = session.get(Seller, seller_id)
        if seller is None or seller.team_id != team_id:
            raise SellerNotFound()
        changes = list(session.exec(statement).all())
        profile = profile_of(seller)
        added_at = seller.created_at
    added = changes.pop(0) if changes and _adds(changes[0]) else None
    return ProfileHistory(
        profile,
        _aware(added.changed_at if added else added_at),
        _user(added.changed_by) if added else "",
        added.source if added else "",
        [
            Edit(
                _user(c.changed_by),
                _aware(c.changed_at),
                tuple((name, old, new) for name, (old, new) in c.changes.items()),
                c.source,
            )
            for c in changes
        ],
    )


def _adds(change: SellerChange) -> bool:
    """Whether the change added the seller: a seller always has a name, so only its addition
    records none before."""
    return "name" in change.changes and change.changes["name"][0] is None


def _user(changed_by: str) -> str:
    return "" if changed_by == "import" else changed_by  # an import run without a person


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
