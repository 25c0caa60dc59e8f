"""Livestream review scorecards summed up for a period: the mean of each criterion (the digest
and the report use bot.review.report; this stays for the readers of plain means)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from storage.models import LivestreamReview, Seller
from storage.names import same_name
from storage.scorecard import SCORECARD


@dataclass(frozen=True)
class ScorecardSummary:
    """How the period's reviewed streams scored: the mean of every score, and per item."""

    reviews: int
    average: Decimal | None
    by_item: dict[str, Decimal]

    def ranked(self) -> list[tuple[str, Decimal]]:
        """Items best first; equal means in scorecard order, so the answer is stable."""
        order = {item: n for n, item in enumerate(SCORECARD)}
        return sorted(self.by_item.items(), key=lambda kv: (-kv[1], order[kv[0]]))


def scorecard_summary(
    engine: Engine, team_id: str, first: date, last: date, category: str | None = None
) -> ScorecardSummary:
    """Reviews of streams held first..last; with `category`, only its sellers' streams."""
    columns = [col(getattr(LivestreamReview, f"score_{item}")) for item in SCORECARD]
    statement = select(*columns).where(
        LivestreamReview.team_id == team_id,
        col(LivestreamReview.stream_date).between(first, last),
    )
    with Session(engine) as session:
        if category is not None:
            spellings = [
                c
                for c in session.exec(
                    select(Seller.category).where(Seller.team_id == team_id).distinct()
                )
                if same_name(c, category)
            ]
            statement = statement.join(
                Seller, col(Seller.id) == col(LivestreamReview.seller_id)
            ).where(col(Seller.category).in_(spellings))
        rows = [tuple(int(score) for score in row) for row in session.exec(statement).all()]
    if not rows:
        return ScorecardSummary(0, None, {})
    count = Decimal(len(rows))
    by_item = {
        item: Decimal(sum(row[n] for row in rows)) / count for n, item in enumerate(SCORECARD)
    }
    average = Decimal(sum(sum(row) for row in rows)) / (count * len(SCORECARD))
    return ScorecardSummary(len(rows), average, by_item)
