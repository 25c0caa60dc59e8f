"""What matchmaking reads about creators and sellers: plain data, built by the repositories in
`storage.matchmaking.reads` and scored by `bot.matchmaking.score` (money in cents, rates as
fractions, category keys as `storage.names.match_key` makes them)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CreatorFacts:
    """What the score reads about a creator (money in cents, rates as fractions)."""

    id: int
    handle: str
    level: int | None = None
    category_keys: frozenset[str] = frozenset()  # where they sell (registry or figures)
    live_gpm_cents: int | None = None  # in the category being matched, else overall
    video_gpm_cents: int | None = None
    gpm_in_category: bool = False  # False: the GPM figures are overall ones
    engagement_rate: float | None = None
    samples_shipped: int | None = None
    posts_after_samples: int | None = None
    sentiment: float | None = None  # mean of recent notes, -1 to 1
    order_value_cents: int | None = None  # typical order: GMV ÷ orders (or items)
    content_types: frozenset[str] = frozenset()  # "live", "video"
    display_name: str = ""
    stage: str = ""  # the registry stage (storage.creators.models.CreatorStage)


@dataclass(frozen=True)
class SellerFacts:
    id: int
    name: str
    category: str
    category_key: str
    aov_cents: int | None = None
    live_share: float | None = None  # LIVE GMV ÷ GMV, recent weeks
    gmv_cents: int | None = None  # GMV over the recent weeks the AOV is read from
