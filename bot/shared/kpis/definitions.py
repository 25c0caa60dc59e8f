"""The KPIs: how each is computed from summed seller-day figures, how it is explained, and the
words people name it by.

One declaration per KPI serves the engine, the rendering, `/kpi help` and the metric words of
`/kpi` and `/alert add`, so the definitions a user reads are the ones the numbers come from.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from bot.shared.language import N_, _
from bot.shared.numbers import Unit
from storage.names import match_key

ALL_SELLERS = N_("all sellers")  # the labels of a scope without filters
ALL_CATEGORIES = N_("all categories")

Sums = Mapping[str, int]  # summed figure columns of a window, plus managed/active sellers


@dataclass(frozen=True)
class Kpi:
    key: str
    label: str
    unit: Unit
    compute: Callable[[Sums], Decimal | int | None]
    definition: str
    additive: bool  # a sum over days (compared per day with the 7-day average) or a ratio
    higher_is_better: bool = True
    ours: bool = False

    @property
    def name(self) -> str:
        """The label in the answer's language (`label` stays the English one people type)."""
        return _(self.label)

    @property
    def explained(self) -> str:
        """The definition in the answer's language."""
        return _(self.definition)


def ratio(numerator: int, denominator: int, scale: int = 1) -> Decimal | None:
    """A ratio that is None ("—") when it would divide by zero, never 0 or NaN."""
    if denominator == 0:
        return None
    return Decimal(numerator) * scale / Decimal(denominator)


KPIS: tuple[Kpi, ...] = (
    Kpi(
        "gmv",
        N_("GMV"),
        Unit.MONEY,
        lambda s: s["gmv_cents"],
        N_(
            "gross merchandise value of the period's orders, refunds included, cancelled orders "
            "excluded"
        ),
        additive=True,
    ),
    Kpi(
        "orders",
        N_("Orders"),
        Unit.COUNT,
        lambda s: s["orders"],
        N_("orders placed in the period (cancelled excluded), summed over sellers and days"),
        additive=True,
    ),
    Kpi(
        "items_sold",
        N_("Items sold"),
        Unit.COUNT,
        lambda s: s["items_sold"],
        N_("units across those orders"),
        additive=True,
    ),
    Kpi(
        "aov",
        N_("AOV"),
        Unit.MONEY,
        lambda s: ratio(s["gmv_cents"], s["orders"]),
        N_("GMV ÷ orders"),
        additive=False,
    ),
    Kpi(
        "buyers",
        N_("Buyers"),
        Unit.COUNT,
        lambda s: s["buyers"],
        N_("each seller's distinct buyers per day, summed (a buyer of two sellers counts twice)"),
        additive=True,
        ours=True,
    ),
    Kpi(
        "live_gmv",
        N_("LIVE GMV"),
        Unit.MONEY,
        lambda s: s["live_gmv_cents"],
        N_("GMV attributed to livestreams"),
        additive=True,
    ),
    Kpi(
        "live_share",
        N_("LIVE share"),
        Unit.RATE,
        lambda s: ratio(s["live_gmv_cents"], s["gmv_cents"]),
        N_("LIVE GMV ÷ GMV"),
        additive=False,
    ),
    Kpi(
        "live_sessions",
        N_("LIVE sessions"),
        Unit.COUNT,
        lambda s: s["live_sessions"],
        N_("livestreams held"),
        additive=True,
    ),
    Kpi(
        "live_engagement",
        N_("LIVE engagement"),
        Unit.RATE,
        lambda s: ratio(s["live_likes"] + s["live_comments"] + s["live_shares"], s["live_views"]),
        N_("(likes + comments + shares) ÷ views of the period's livestreams"),
        additive=False,
    ),
    Kpi(
        "gpm",
        N_("LIVE GPM"),
        Unit.MONEY,
        lambda s: ratio(s["live_gmv_cents"], s["live_views"], scale=1000),
        N_("LIVE GMV per 1,000 LIVE views"),
        additive=False,
    ),
    Kpi(
        "affiliate_gmv",
        N_("Affiliate GMV"),
        Unit.MONEY,
        lambda s: s["affiliate_gmv_cents"],
        N_("GMV sold by affiliate creators (the KPI sheet's affiliate_gmv)"),
        additive=True,
    ),
    Kpi(
        "affiliate_share",
        N_("Affiliate share"),
        Unit.RATE,
        lambda s: ratio(s["affiliate_gmv_cents"], s["gmv_cents"]),
        N_("affiliate GMV ÷ GMV"),
        additive=False,
    ),
    Kpi(
        "video_gmv",
        N_("Video GMV"),
        Unit.MONEY,
        lambda s: s["video_gmv_cents"],
        N_("GMV attributed to shoppable videos (the KPI sheet's video_gmv)"),
        additive=True,
    ),
    Kpi(
        "video_share",
        N_("Video share"),
        Unit.RATE,
        lambda s: ratio(s["video_gmv_cents"], s["gmv_cents"]),
        N_("video GMV ÷ GMV"),
        additive=False,
    ),
    Kpi(
        "adoption",
        N_("Seller adoption"),
        Unit.RATE,
        lambda s: ratio(s["active_sellers"], s["managed_sellers"]),
        N_(
            "sellers that held at least one LIVE (or the program set by SHOPBOT_ADOPTION_PROGRAM) "
            "in the period ÷ the sellers with figures in the period"
        ),
        additive=False,
        ours=True,
    ),
)
HEADLINE = tuple(
    kpi
    for key in (
        "gmv", "orders", "aov", "live_share", "live_engagement", "adoption", "affiliate_share",
        "video_share",
    )
    for kpi in KPIS if kpi.key == key
)  # fmt: skip
"""What `/kpi` leads with, what a category team reads first: sales, their make-up, LIVE's part
in them, how many of the team's sellers go LIVE, and what creators' affiliate sales and videos
add. Every KPI is in its Details."""
_BY_KEY = {kpi.key: kpi for kpi in KPIS}
GMV_SOURCES: tuple[tuple[Kpi, Kpi], ...] = tuple(
    (_BY_KEY[gmv], _BY_KEY[share])
    for gmv, share in (("affiliate_gmv", "affiliate_share"), ("video_gmv", "video_share"))
)
"""GMV sold through a channel besides LIVE and its share of GMV: shown as a pair, value and
share each with its change, on the seller card and in the digest."""
CHARTABLE = {kpi.key: kpi for kpi in KPIS if kpi.key != "adoption"}  # the first is the default
CHART_ALIASES = {  # shorter words people type for a chartable KPI
    "items": "items_sold",
    "engagement": "live_engagement",
    "share": "live_share",
    "sessions": "live_sessions",
    "live": "live_gmv",
}


def scope_name(category: str | None) -> str:
    """A scope's label as shown: its category, or all categories in the answer's language."""
    return category or _(ALL_CATEGORIES)


def metric_words(kpis: Iterable[Kpi]) -> dict[str, Kpi]:
    """Every way people name each of `kpis` (match keys): its key with `_` or spaces, its
    label (`live share`, `items sold`, `live gpm`) and the shorter chart aliases."""
    words: dict[str, Kpi] = {}
    for kpi in kpis:
        for word in (kpi.key, kpi.key.replace("_", " "), kpi.label):
            words.setdefault(match_key(word), kpi)
    chosen = {kpi.key: kpi for kpi in words.values()}
    for alias, key in CHART_ALIASES.items():
        if key in chosen:
            words.setdefault(match_key(alias), chosen[key])
    return words


METRIC_WORDS = metric_words(KPIS)
CHART_WORDS = metric_words(CHARTABLE.values())
LONGEST_METRIC = max(len(word.split()) for word in METRIC_WORDS)
