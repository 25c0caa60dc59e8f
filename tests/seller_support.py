"""A small workspace of sellers built so that each gap and opportunity rule picks known
sellers: the registry and KPI sheet go through the importers, notes, reviews and creators are
written as the app writes them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import pandas as pd
from sqlalchemy.engine import Engine
from sqlmodel import select

from devkit.offline import OfflineBot
from storage.creators.models import Creator
from storage.db import transaction
from storage.importers import ImportOptions, importer_for
from storage.matchmaking.models import Collaboration
from storage.reviews.models import LivestreamReview
from storage.reviews.scorecard import SCORECARD
from storage.sellers.models import Seller, SellerNote
from tests.kpi_data import COLUMNS

TODAY = date(2026, 11, 30)
LAST = TODAY - timedelta(days=1)  # the newest day of the sheet
DAYS = 40
FULL = {"tier": "A", "market": "DE", "programs": "live; affiliate", "contacts": "Ana, owner, a@x"}


@dataclass
class Plan:
    """One seller: its registry row and how its days go (`day` is days before LAST)."""

    key: str
    name: str
    gmv: Callable[[int], int] = lambda day: 100_000  # cents a day
    live: Callable[[int], bool] = lambda day: day % 3 == 0
    affiliate: bool = True
    affiliate_pct: int = 5  # of each day's GMV, when `affiliate`
    video_pct: int = 0
    category: str = "Home & Living"
    owner: str = "U0ANA"
    status: str = "active"
    profile: dict[str, str] = field(default_factory=lambda: dict(FULL))
    creators: int = 3
    review_score: int | None = 4
    contact_days_ago: int | None = 5
    history: int = DAYS  # days of figures, the newest last…
    silent_days: int = 0  # …but for these newest days: the seller's data stopped


PLANS = [
    Plan("A1", "Alpha Home", owner="U0TOM"),
    Plan("B1", "Bravo Living", live=lambda day: day == 20, owner="U0TOM"),
    Plan(
        "C1", "Café Küche", gmv=lambda day: 100_000 if day < 7 else 200_000, category="Kitchenware"
    ),
    Plan("D1", "Delta Small", gmv=lambda day: 1_000 if day < 7 else 2_000, creators=0),
    Plan("E1", "Echo 東京", profile={**FULL, "programs": "live"}),
    Plan("F1", "Foxtrot Care", affiliate=False, category="Personal Care"),
    Plan("G1", "Golf Beauty", review_score=2),
    Plan("H1", "Hotel Бренд", profile={**FULL, "tier": "", "contacts": ""}),
    Plan("I1", "India & Sons", contact_days_ago=40),
    Plan(
        "J1",
        "Juliet Grow 🌱",
        gmv=lambda day: 200_000 if day < 14 else 100_000,
        live=lambda d: False,
    ),
    Plan("K1", "Kilo Big", gmv=lambda day: 500_000, creators=1),
    Plan("L1", "Lima Paused", live=lambda day: False, status="paused", contact_days_ago=None),
]


def registry_csv(plans: list[Plan]) -> bytes:
    rows = [
        {
            "shop id": p.key,
            "store name": p.name,
            "categories": p.category,
            "owner": p.owner,
            "status": p.status,
            **p.profile,
        }
        for p in plans
    ]
    return pd.DataFrame(rows).to_csv(index=False).encode()


def kpi_csv(plans: list[Plan]) -> bytes:
    rows = []
    for p in plans:
        for ago in range(p.silent_days, p.history):
            day = LAST - timedelta(days=ago)
            gmv, live = p.gmv(ago), p.live(ago)
            rows.append(
                [day.isoformat(), p.key, p.name, p.category, f"{gmv / 100:.2f}", 10, 12, 9]
                + ([1, 60, 1000, 50, 20, 10] if live else [0, 0, 0, 0, 0, 0])
                + [f"{gmv / 400:.2f}" if live else "0", money(gmv * p.video_pct // 100)]
                + [money(gmv * p.affiliate_pct // 100 if p.affiliate else 0), 3]
            )
    return pd.DataFrame(rows, columns=COLUMNS).to_csv(index=False).encode()


def money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, tzinfo=UTC)


def build_sellers(bot: OfflineBot, engine: Engine, plans: list[Plan] = PLANS) -> dict[str, int]:
    """The plans in the sandbox's workspace, the clock at noon on TODAY; shop id → seller id."""
    team = bot.sandbox.team_id
    for kind, data in (("sellers", registry_csv(plans)), ("kpi-sheet", kpi_csv(plans))):
        importer_for(kind)(engine, data, ImportOptions(team_id=team, filename=f"{kind}.csv"))
    noon = datetime(TODAY.year, TODAY.month, TODAY.day, 11, tzinfo=UTC)
    bot.services.clock = lambda: noon
    with transaction(engine) as session:
        ids = {s.seller_key: s.id for s in session.exec(select(Seller)).all()}
        for p in plans:
            seller_id = ids[p.key]
            for n in range(p.creators):
                creator = Creator(team_id=team, handle=f"{p.key.lower()}.creator{n}")
                session.add(creator)
                session.flush()
                session.add(Collaboration(team_id=team, creator_id=creator.id, seller_id=seller_id))
            if p.review_score is not None:
                for ago, score in ((10, p.review_score), (100, 5)):  # the old one is out of range
                    session.add(
                        LivestreamReview(
                            team_id=team,
                            seller_id=seller_id,
                            stream_date=TODAY - timedelta(days=ago),
                            stream_started_at=datetime.combine(
                                TODAY - timedelta(days=ago), time(19)
                            ),
                            reviewer_user_id="U0MARIA",
                            **{f"score_{item}": score for item in SCORECARD},
                        )
                    )
            if p.contact_days_ago is not None:
                at = _at(TODAY - timedelta(days=p.contact_days_ago))
                session.add(
                    SellerNote(
                        team_id=team,
                        seller_id=seller_id,
                        author_user_id=p.owner,
                        text=f"Called {p.name} about the season",
                        created_at=at,
                        updated_at=at,
                    )
                )
        # A deleted note does not count as a contact.
        at = _at(TODAY - timedelta(days=1))
        if "I1" in ids:
            session.add(
                SellerNote(
                    team_id=team,
                    seller_id=ids["I1"],
                    author_user_id="U0ANA",
                    text="deleted",
                    created_at=at,
                    updated_at=at,
                    deleted_at=at,
                )
            )
    return {key: int(seller_id) for key, seller_id in ids.items() if seller_id is not None}
