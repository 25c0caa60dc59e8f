"""Demo data for a Lifestyle category team: sellers, creators, daily KPIs, notes and reviews,
planned and turned into rows here; `seed_demo` (devkit.demo.seed) loads them.

A realistic data set, so that a new workspace, a sales demo or a screenshot has something to
chart. Every figure comes from seeded generators, so the same `today` always gives the
same rows; every row has a natural key, so seeding again only fills in what is missing.
"""

from __future__ import annotations

import functools
import math
import random
from collections.abc import Iterator, Mapping
from dataclasses import astuple, dataclass, fields, replace
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from typing import Any, TypeVar

from sqlalchemy import Table, update
from sqlalchemy import select as sql_select
from sqlmodel import Session, SQLModel, select

from devkit.demo.sellers import profile_fields, with_planned_gaps
from storage.creators.models import Creator, CreatorLevelChange, CreatorStage
from storage.feedback.models import FeedbackNote, Sentiment
from storage.kpis.models import DailySellerKpi
from storage.kpis.sums import refresh_summaries
from storage.matchmaking.models import Collaboration, Outreach
from storage.names import match_key
from storage.reviews.live_sessions import SESSION_FIGURES
from storage.reviews.models import LiveSession, LivestreamReview
from storage.reviews.scorecard import SCORECARD
from storage.sellers.models import Seller, SellerNote, SellerStatus, next_seller_number

DEMO_TEAM_ID = "TDEMO"
SEED = 20251111
SELLER_COUNT = 160
CREATOR_COUNT = 300
NOTE_COUNT = 360
REVIEW_COUNT = 48
SESSION_DAYS = 60  # the LIVE sessions export covers the last two months
LEVEL_MONTHS = 6  # monthly level refreshes kept in each creator's history
OUTAGE_DAYS_AGO = 9  # recent enough to show in every "last two weeks" chart
UNNOTICED_DAYS = 21  # a seller that stopped trading this lately is still active in the registry
# Yesterday the biggest Kitchenware shops sold little (a listing problem): the drop the
# default alert rule finds on the latest complete day, naming those shops.
DROP_CATEGORY, DROP_SELLERS, DROP_KEEP = "Kitchenware", 5, 0.1

Row = dict[str, Any]
K = TypeVar("K")


def _words(text: str, sep: str | None = None) -> tuple[str, ...]:
    return tuple(word.strip() for word in text.split(sep))


# One market, so team totals add up in the team's one currency (the default, USD).
MARKETS = _words("US")
# The team the demo's notes, sellers and reviews belong to: user ID → (Slack name, full name).
DEMO_PEOPLE = {
    "U0DEMO01": ("lena", "Lena Fischer"),
    "U0DEMO02": ("jonas", "Jonas Weber"),
    "U0DEMO03": ("chiara", "Chiara Romano"),
    "U0DEMO04": ("ines", "Inês Costa"),
    "U0DEMO05": ("aoife", "Aoife Byrne"),
    "U0DEMO06": ("mateusz", "Mateusz Łukasik"),
}
SELLER_OWNERS = _words("U0DEMO01 U0DEMO02 U0DEMO03 U0DEMO04")
CREATOR_MANAGERS = _words("U0DEMO03 U0DEMO04 U0DEMO05 U0DEMO06")
LIVE_COACHES = _words("U0DEMO01 U0DEMO02")

# category: (share of the team's sellers, typical order value in dollars)
CATEGORIES: dict[str, tuple[int, float]] = {
    "Home & Living": (22, 31),
    "Personal Care": (16, 19),
    "Kitchenware": (14, 27),
    "Home Textiles": (12, 44),
    "Pet Supplies": (10, 24),
    "Household Essentials": (12, 16),
    "Beauty Tools": (8, 22),
    "Storage & Organisation": (6, 23),
}
BRAND_WORDS = {
    "Home & Living": _words("Home Living Interiors Casa Studio"),
    "Personal Care": _words("Care Skin Botanics Bath Ritual"),
    "Kitchenware": _words("Kitchen Cookware Cucina Chef Table"),
    "Home Textiles": _words("Linen Textiles Sleep Loom Bedding"),
    "Pet Supplies": _words("Pets Paws Tails Whiskers Petcare"),
    "Household Essentials": _words("Clean Fresh Homecare Pure Basics"),
    "Beauty Tools": _words("Beauty Glow Tools Lab Atelier"),
    "Storage & Organisation": _words("Storage Order Organise Box Space"),
}
PRODUCTS = {
    "Home & Living": _words("LED sunset lamp, rattan basket, linen cushion cover, candle set", ","),
    "Personal Care": _words("body scrub, shower steamers, hair oil, electric toothbrush", ","),
    "Kitchenware": _words("non-stick pan, glass meal-prep set, oil sprayer, knife set", ","),
    "Home Textiles": _words("waffle towel, muslin duvet cover, weighted blanket, curtain", ","),
    "Pet Supplies": _words("slicker brush, orthopaedic dog bed, cat fountain, lick mat", ","),
    "Household Essentials": _words("laundry sheets, microfibre cloths, grout cleaner", ","),
    "Beauty Tools": _words("heatless curler, LED mirror, gua sha set, ionic hair brush", ","),
    "Storage & Organisation": _words("fridge bins, vacuum storage bags, shoe rack, cable box", ","),
}
BRAND_ROOTS = _words("""
    Alba Aurora Bella Brio Calma Cielo Dolce Elara Fjord Flora Hygge Isla Juno Kalm Lumi Luna Maya
    Mira Nido Noor Nova Oslo Pura Rosa Sable Sol Stella Terra Tilde Vela Verde Vita Zen Zola Linnea
    Oak Ember Willow Birch Saffron Clover Maison Nordlys Azur Lark Fern Marlo
""")
FIRST_NAMES = _words("""
    Lena Marta Julia Sofia Emma Clara Chiara Giulia Lucia Elena Ines Laura Anna Mia Hannah Lea Nora
    Camille Chloe Manon Louise Aoife Niamh Siobhan Paula Carmen Alba Marie Greta Ida Tom Lukas Jonas
    Luca Marco Pablo Hugo Theo Conor Felix Sara Alice Irene Rosa Zoe Maya
""")
LAST_NAMES = _words("""
    Rossi Bianchi Romano Garcia Martinez Lopez Sanchez Muller Schmidt Schneider Fischer Weber Becker
    Martin Bernard Dubois Moreau Laurent Murphy Kelly Byrne Walsh Ricci Costa Vogel Keller Navarro
    Lefebvre Ruiz Hoffmann
""")
HANDLE_THEMES = _words(
    "Home Finds, Tidy Nest, Cozy Corner, Kitchen Hacks, Pet Pals, Glow Routine, Home Reset, "
    "Daily Finds, Deal Hunter, Slow Living, Little Luxuries, Budget Home, Smart Kitchen, "
    "Fresh Start, Happy Paws, Calm Space, Good Finds, Home Edit, Small Space, Clean Sunday",
    ",",
)
HANDLE_VERBS = _words("clean cook glow tidy shop style unbox decorate")
CREATOR_TAGS = _words("""
    live-host video-first cleantok asmr unboxing budget premium bilingual fast-poster
    sample-reliable family small-space diy eco pet-parent
""")
LEVEL_WEIGHTS = (6, 14, 20, 20, 15, 11, 7, 4, 3)  # most creators sit at L1-L4, few reach L7-L8
STAGE_WEIGHTS = dict(zip(CreatorStage, (18, 14, 10, 48, 10), strict=True))
WEEKDAY_FACTOR = (0.93, 0.9, 0.92, 0.96, 1.04, 1.2, 1.24)  # Mon-Sun: buyers shop most at weekends
LIVE_FIGURES = _words("live_sessions live_minutes live_views live_likes live_comments live_shares")
NO_LIVE: Row = dict.fromkeys((*LIVE_FIGURES, "live_gmv_cents"), 0)

SENTIMENT_WEIGHTS = {Sentiment.POSITIVE: 45, Sentiment.NEUTRAL: 35, Sentiment.NEGATIVE: 20}
# topic: (tags, then what a positive, a neutral and a negative note says)
NOTE_TOPICS: dict[str, tuple[str, str, str, str]] = {
    "samples": (
        "sample posting",
        "Received the {product} sample from {seller} and posted within a week; good saves.",
        "Sample of the {product} shipped for {seller}; waiting for the first video.",
        "Got the {product} sample {days} days ago and has not posted yet. Chased once.",
    ),
    "commission": (
        "commission rates",
        "Happy with the {rate}% open commission from {seller}; wants more of their range.",
        "Asked whether {seller} can raise the targeted commission above {rate}%.",
        "Says {rate}% on the {product} is too low for the effort; will pause unless it goes up.",
    ),
    "product": (
        "product quality",
        "Loves the {product} from {seller} and uses it on camera without a script.",
        "Wants a clearer size guide for the {product} before featuring it.",
        "The {product} from {seller} arrived damaged; will not promote it until it is fixed.",
    ),
    "content": (
        "content video live",
        "Last video on the {product} did well; asked for a second angle for {seller}.",
        "Prefers short demos to LIVE; open to one LIVE with {seller} this month.",
        "Video for {seller} was flagged for a missing ad disclosure; briefed on the rules again.",
    ),
    "logistics": (
        "shipping logistics",
        "{seller} shipped the {product} in two days and the creator noticed.",
        "Moving house; samples to the new address from next week.",
        "Buyers in the comments say the {product} from {seller} took {days} days to arrive.",
    ),
    "payments": (
        "payout commission",
        "Last month's commission arrived on time; no issues.",
        "Asked when affiliate commissions settle; sent the payout calendar.",
        "Commission on {seller} orders missing after {days} days; raised with partner support.",
    ),
    "platform": (
        "platform policy",
        "Showcase set up with the {product} pinned; finds the new Affiliate Center easier.",
        "Asked how the monthly level refresh works; explained GMV and active days.",
        "LIVE was cut after {days} minutes for a suspected violation; appeal filed.",
    ),
}
# What a coach writes when a scorecard item scored well, and when it scored badly.
STRENGTHS = {
    "opening_hook": "Strong hook with the offer up front.",
    "host_presence": "Warm host who keeps the energy up.",
    "product_explanation": "Clear on price, size and what makes the product different.",
    "demonstration": "Good close-ups and the product shown in use.",
    "production": "Bright, stable picture and clean audio.",
    "interaction": "Answers questions by name and pins the good ones.",
    "merchandising": "Flash sale and vouchers timed well.",
    "calls_to_action": "Regular, clear calls to tap the basket.",
    "structure": "Good pace, with product blocks of about ten minutes.",
    "compliance": "Careful claims, and discount terms shown on screen.",
}
IMPROVEMENTS = {
    "opening_hook": "Open with the deal and the product in hand, not a warm-up chat.",
    "host_presence": "Energy drops after half an hour; rotate hosts or take a short break.",
    "product_explanation": "Say the price and main selling point whenever a product is pinned.",
    "demonstration": "Show the product in use, closer to the camera.",
    "production": "Dim light and echoing audio; add a key light and a lapel mic.",
    "interaction": "Many questions go unanswered; have a moderator pin and reply.",
    "merchandising": "Pin the featured product and run a short flash sale at peak viewers.",
    "calls_to_action": "Ask viewers to tap the basket and follow every few minutes.",
    "structure": "The stream drifts; plan product blocks and recap every 15 minutes.",
    "compliance": "Avoid health claims and show the discount terms on screen.",
}

# A planned row is new when the team has no row with the same values in these columns.
NATURAL_KEYS: dict[type[SQLModel], tuple[str, ...]] = {
    Seller: ("seller_key",),
    Creator: ("handle",),
    CreatorLevelChange: ("creator_id", "effective_on"),
    Collaboration: ("creator_id", "seller_id"),
    Outreach: ("creator_id", "seller_id"),
    DailySellerKpi: ("seller_id", "day"),
    FeedbackNote: ("client_key",),
    LivestreamReview: ("client_key",),
    LiveSession: ("seller_id", "started_at"),
    SellerNote: ("client_key",),
}


@dataclass(frozen=True)
class DemoCounts:
    sellers: int
    creators: int
    level_changes: int
    kpi_rows: int
    notes: int
    reviews: int
    collaborations: int
    live_sessions: int
    seller_notes: int
    snapshots: int
    pipeline: int

    def describe(self) -> str:
        return (
            f"{self.sellers} sellers, {self.creators} creators, {self.kpi_rows} KPI rows, "
            f"{self.level_changes} level changes, {self.collaborations} collaborations, "
            f"{self.snapshots} performance snapshots, {self.pipeline} pipeline pairs, "
            f"{self.notes} notes, {self.live_sessions} LIVE sessions, {self.reviews} reviews, "
            f"{self.seller_notes} seller notes"
        )


@dataclass(frozen=True)
class DemoSummary(DemoCounts):
    """Rows inserted by this call (the count fields) and the team's rows afterwards (`totals`)."""

    totals: DemoCounts

    @property
    def added(self) -> DemoCounts:
        return DemoCounts(**{f.name: getattr(self, f.name) for f in fields(DemoCounts)})

    def describe(self) -> str:
        """One line for the command line: what was added, and what the team now has."""
        if not any(astuple(self.added)):
            return f"already loaded ({self.totals.describe()}), nothing added"
        return f"added {self.added.describe()}; the team now has {self.totals.describe()}"


@dataclass(frozen=True)
class SellerPlan:
    key: str
    name: str
    category: str
    categories: list[str]
    market: str
    owner: str
    active: bool
    joined_days_ago: int
    started_days_ago: int | None  # late starters; None: trading before any window
    stopped_days_ago: int | None  # sellers that stopped trading
    daily_gmv: float  # dollars on an ordinary day
    order_value: float  # dollars
    items_per_order: float
    trend: float  # growth per day
    live_share: float  # share of GMV from LIVE on a streaming day; 0: never streams
    live_chance: float  # chance of streaming on a weekday
    video_share: float
    affiliate_share: float
    gpm: float  # LIVE GMV in dollars per 1,000 views
    drop_this_week: bool = False  # sells far less in the last 7 days (a gap to show)
    unrecorded: str = ""  # a program it is in that the registry leaves out (a gap to show)


@dataclass(frozen=True)
class CreatorPlan:
    handle: str
    display_name: str
    base_level: int
    level_swing: int
    phase: float
    stage: str
    owner: str | None
    categories: list[str]
    tags: list[str]
    followers: int
    joined_days_ago: int


def _rng(*parts: object) -> random.Random:
    # One generator per section (or per seller and day), so that changing one part of the data
    # set, or the window, leaves every other figure as it was.
    return random.Random(":".join(str(part) for part in (SEED, *parts)))


def _pick(rng: random.Random, weights: Mapping[K, int]) -> K:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


def _new(taken: set[str], candidates: Iterator[str]) -> str:
    value = next(candidate for candidate in candidates if candidate not in taken)
    taken.add(value)
    return value


def _shop_ids(rng: random.Random) -> Iterator[str]:
    while True:
        yield f"749{rng.randrange(10**15, 10**16)}"  # 19 digits, like TikTok Shop's IDs


def _brand_names(rng: random.Random, category: str) -> Iterator[str]:
    while True:
        yield f"{rng.choice(BRAND_ROOTS)} {rng.choice(BRAND_WORDS[category])}"


# Sellers from the team's other markets, in their own scripts: names with `&`, umlauts, Polish,
# Greek, Cyrillic and Japanese letters, which every command must find however they are typed.
MARKET_SELLERS = {
    7: "Café & Co. Casa",
    32: "Ökoladen Botanics",
    57: "Łódź Living Loom",
    82: "Ἀθηνᾶ Beauty Lab",
    107: "Ночной Свет Home",
    132: "東京ライフ Kitchen",
}


def plan_sellers() -> list[SellerPlan]:
    """The demo team's sellers, the same on every call."""
    rng = _rng("sellers")
    names: set[str] = set()
    keys: set[str] = set()
    shares = {name: share for name, (share, _) in CATEGORIES.items()}
    plans = []
    for _ in range(SELLER_COUNT):
        category = _pick(rng, shares)
        lifecycle = rng.random()
        started = rng.randint(20, 100) if 0.04 <= lifecycle < 0.12 else None
        extra = rng.sample([c for c in CATEGORIES if c != category], k=rng.choice((0, 0, 1)))
        plans.append(
            SellerPlan(
                key=_new(keys, _shop_ids(rng)),
                name=_new(names, _brand_names(rng, category)),
                category=category,
                categories=[category, *extra],
                market=rng.choice(MARKETS),
                owner=rng.choice(SELLER_OWNERS),
                active=lifecycle >= 0.04,
                # A late starter joined the team shortly before its first sale.
                joined_days_ago=started + rng.randint(3, 20) if started else rng.randint(150, 700),
                started_days_ago=started,
                stopped_days_ago=rng.randint(10, 50) if lifecycle < 0.04 else None,
                daily_gmv=rng.lognormvariate(math.log(700), 0.9),
                order_value=CATEGORIES[category][1] * rng.uniform(0.75, 1.35),
                items_per_order=rng.uniform(1.05, 1.8),
                trend=rng.gauss(0.0012, 0.0015),
                live_share=0.0 if rng.random() < 0.2 else rng.uniform(0.15, 0.6),
                live_chance=rng.uniform(0.3, 0.85),
                video_share=rng.uniform(0.15, 0.45),
                affiliate_share=rng.uniform(0.2, 0.6),
                gpm=rng.lognormvariate(math.log(22), 0.4),
            )
        )
    for index, name in MARKET_SELLERS.items():
        plans[index] = replace(plans[index], name=name)
    return with_planned_gaps(plans, skip=set(MARKET_SELLERS))


def _creator_names(rng: random.Random) -> tuple[str, str]:
    """A (handle, display name) in one of the shapes creators choose."""
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    theme, verb = rng.choice(HANDLE_THEMES), rng.choice(HANDLE_VERBS)
    compact = theme.lower().replace(" ", "")
    shapes = (
        (f"{first.lower()}.{compact}", f"{first} | {theme}"),
        (f"{first}{last}".lower(), f"{first} {last}"),
        (f"{first}.{last}{rng.randint(80, 99)}".lower(), f"{first} {last}"),
        (f"{compact}.by.{first.lower()}", f"{theme} by {first}"),
        (f"{verb}with{first.lower()}", f"{verb.capitalize()} with {first}"),
    )
    return rng.choice(shapes)


def plan_creators() -> list[CreatorPlan]:
    """The creator registry: 300 creators with unique lower-case handles."""
    rng = _rng("creators")
    handles: set[str] = set()
    shares = {name: share for name, (share, _) in CATEGORIES.items()}
    plans = []
    for _ in range(CREATOR_COUNT):
        handle, display_name = _creator_names(rng)
        while handle in handles:
            handle, display_name = _creator_names(rng)
        handles.add(handle)
        level = rng.choices(range(9), weights=LEVEL_WEIGHTS)[0]
        stage = str(_pick(rng, STAGE_WEIGHTS))
        primary = _pick(rng, shares)
        others = rng.sample([c for c in CATEGORIES if c != primary], k=rng.choice((0, 1, 1, 2)))
        unowned = stage == CreatorStage.PROSPECT and rng.random() < 0.5
        plans.append(
            CreatorPlan(
                handle=handle,
                display_name=display_name,
                base_level=level,
                level_swing=rng.choice((0, 0, 1)),
                phase=rng.uniform(0, 6.3),
                stage=stage,
                owner=None if unowned else rng.choice(CREATOR_MANAGERS),
                categories=[primary, *others],
                tags=rng.sample(CREATOR_TAGS, k=rng.randint(1, 3)),
                followers=round(10 ** (3 + 0.38 * level + rng.gauss(0, 0.35))),
                joined_days_ago=rng.randint(30, 500),
            )
        )
    return plans


def creator_level(creator: CreatorPlan, month: date) -> int:
    """The level given at the refresh of `month`: a slow wave plus jitter, in L0-L8."""
    # A function of the calendar month alone, so a later seed extends the same history.
    index = month.year * 12 + month.month
    rng = _rng("level", creator.handle, index)
    wave = round(creator.level_swing * math.sin(index * 0.9 + creator.phase))
    jitter = rng.choice((-1, 1)) if rng.random() < 0.15 else 0
    return min(8, max(0, creator.base_level + wave + jitter))


def level_changes(creator: CreatorPlan, today: date) -> Iterator[Row]:
    """The monthly refreshes, up to today's month, that moved the creator's level."""
    last = today.year * 12 + today.month - 1
    months = [date(i // 12, i % 12 + 1, 1) for i in range(last - LEVEL_MONTHS, last + 1)]
    for previous, month in pairwise(months):
        level, before = creator_level(creator, month), creator_level(creator, previous)
        if level != before:
            yield {
                "creator": creator.handle,
                "level": level,
                "previous_level": before,
                "effective_on": month,
                "source": "demo",
                "recorded_at": _at(month, 6),
            }


def event_factor(day: date, today: date) -> float:
    """Demand on unusual days: double-day mega sales (11.11 and 12.12 biggest) and an outage."""
    if day == today - timedelta(days=OUTAGE_DAYS_AGO):
        return 0.3
    if day.month == day.day:
        return 4.5 if day.month >= 11 else 3.0
    return 1.0


@functools.cache
def dropping_sellers() -> frozenset[str]:
    """The keys of the shops whose sales fall yesterday: the category's largest."""
    shops = [s for s in plan_sellers() if s.category == DROP_CATEGORY and s.active]
    shops.sort(key=lambda s: -s.daily_gmv)
    return frozenset(s.key for s in shops[:DROP_SELLERS])


def _live_figures(seller: SellerPlan, rng: random.Random, gmv: int, mega: bool) -> Row:
    sessions = 1 + (rng.random() < 0.25) + (mega and rng.random() < 0.6)
    minutes = sum(rng.randint(45, 180) for _ in range(sessions))
    live_gmv = min(gmv, round(gmv * min(0.9, seller.live_share * rng.uniform(0.7, 1.3))))
    # Views follow the seller's GPM, so LIVE GPM in charts lands where real shops' does.
    views = round(live_gmv / 100 / seller.gpm * 1000 * rng.uniform(0.8, 1.25))
    views = max(views, minutes * rng.randint(6, 15))
    ratios = ((0.05, 0.5), (0.005, 0.03), (0.001, 0.005))  # likes, comments, shares per view
    engagement = [round(views * rng.uniform(low, high)) for low, high in ratios]
    figures = dict(zip(LIVE_FIGURES, (sessions, minutes, views, *engagement), strict=True))
    return {**figures, "live_gmv_cents": live_gmv}


def kpi_figures(seller: SellerPlan, day: date, today: date) -> Row:
    """One seller's figures for one day, money in cents; the same for the same arguments."""
    rng = _rng("kpi", seller.key, day.isoformat())
    event, weekday = event_factor(day, today), day.weekday()
    chance = seller.live_chance * (1.3 if weekday >= 5 or event > 1 else min(event, 1.0))
    streams = seller.live_share > 0 and rng.random() < chance
    demand = seller.daily_gmv * WEEKDAY_FACTOR[weekday] * event * rng.lognormvariate(0, 0.2)
    # The trend is anchored at `today`, so the latest days sit at the seller's usual level.
    demand *= (1 + seller.trend) ** (day - today).days
    if day == today - timedelta(days=1) and seller.key in dropping_sellers():
        demand *= DROP_KEEP
    if seller.live_share and not streams:
        demand *= 1 - seller.live_share  # a day without a stream misses its LIVE sales
    if seller.drop_this_week and (today - day).days <= 7:
        demand *= 0.4
    order_value = seller.order_value * rng.uniform(0.9, 1.1) * (0.85 if event > 1 else 1.0)
    orders = int(demand / order_value + rng.random())  # random rounding keeps small shops honest
    gmv = round(orders * order_value * 100)
    live = _live_figures(seller, rng, gmv, event > 1) if streams else NO_LIVE
    rest = gmv - live["live_gmv_cents"]
    affiliate = round(gmv * seller.affiliate_share * rng.uniform(0.7, 1.3))
    extra_items = round(orders * (seller.items_per_order - 1) * rng.uniform(0.8, 1.2))
    return {
        "gmv_cents": gmv,
        "orders": orders,
        "items_sold": orders + extra_items,
        "buyers": max(1, round(orders * rng.uniform(0.88, 0.99))) if orders else 0,
        **live,
        "video_gmv_cents": min(rest, round(rest * seller.video_share * rng.uniform(0.7, 1.3))),
        "affiliate_gmv_cents": min(gmv, affiliate),
        "new_followers": round(live["live_views"] * rng.uniform(0.002, 0.008) + orders * 0.05),
    }


def trading_days(seller: SellerPlan, today: date, days: int) -> list[date]:
    """The days of the window (the `days` days ending yesterday) on which the seller traded."""
    first = today - timedelta(days=min(days, seller.started_days_ago or days))
    last = today - timedelta(days=seller.stopped_days_ago or 1)
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def plan_collaborations(
    sellers: list[SellerPlan], creators: list[CreatorPlan], today: date
) -> list[Row]:
    """Working creators with one to three sellers of their categories."""
    rng = _rng("collaborations")
    rows = []
    for creator in creators:
        if creator.stage not in (CreatorStage.ACTIVE, CreatorStage.PAUSED):
            continue
        fits = [s for s in sellers if s.active and s.category in creator.categories]
        for seller in rng.sample(fits, k=min(len(fits), rng.randint(1, 3))):
            since = today - timedelta(days=rng.randint(7, creator.joined_days_ago))
            rows.append({"creator": creator.handle, "seller": seller.key, "since": since})
    return rows


def _note_text(rng: random.Random, topic: str, sentiment: Sentiment, seller: SellerPlan) -> str:
    texts = dict(zip(SENTIMENT_WEIGHTS, NOTE_TOPICS[topic][1:], strict=True))
    return texts[sentiment].format(
        seller=seller.name,
        product=rng.choice(PRODUCTS[seller.category]),
        days=rng.randint(8, 21),
        rate=rng.choice((8, 10, 12, 15, 20)),
    )


def plan_notes(sellers: list[SellerPlan], creators: list[CreatorPlan], today: date) -> list[Row]:
    """A few hundred creator managers' notes from the last four months."""
    rng = _rng("notes")
    known = [c for c in creators if c.stage != CreatorStage.PROSPECT]
    weights = [3 if c.stage == CreatorStage.ACTIVE else 1 for c in known]
    rows = []
    for n in range(1, NOTE_COUNT + 1):
        creator = rng.choices(known, weights=weights)[0]
        topic, sentiment = rng.choice(list(NOTE_TOPICS)), _pick(rng, SENTIMENT_WEIGHTS)
        seller = rng.choice([s for s in sellers if s.category in creator.categories])
        written_on = today - timedelta(days=rng.randint(1, 120))
        created = _at(written_on, rng.randint(8, 18), rng.randint(0, 59))
        follow_up = created.date() + timedelta(days=rng.randint(3, 21))
        wants_follow_up = sentiment == Sentiment.NEGATIVE or rng.random() < 0.2
        done = wants_follow_up and follow_up < today and rng.random() < 0.7
        video = f"https://www.tiktok.com/@{creator.handle}/video/7{rng.randrange(10**18):018d}"
        author = creator.owner if creator.owner and rng.random() < 0.8 else None
        rows.append(
            {
                "creator": creator.handle,
                "client_key": f"demo-note-{n}",
                "author_user_id": author or rng.choice(CREATOR_MANAGERS),
                "text": _note_text(rng, topic, sentiment, seller),
                "topic": topic,
                "sentiment": str(sentiment),
                "tags": rng.sample(_words(NOTE_TOPICS[topic][0]), k=rng.randint(1, 2)),
                "follow_up_on": follow_up if wants_follow_up else None,
                "follow_up_done_at": _at(follow_up, 15) if done else None,
                "source_url": video if topic == "content" else None,
                "created_at": created,
                "updated_at": created,
            }
        )
    return rows


def _review_text(rng: random.Random, scores: dict[str, int]) -> tuple[str, str]:
    # Ties are broken at random so that equal scores do not always name the same items.
    ranked = sorted(SCORECARD, key=lambda item: (scores[item], rng.random()))
    strengths = " ".join(STRENGTHS[item] for item in ranked[-2:] if scores[item] >= 3)
    improvements = " ".join(IMPROVEMENTS[item] for item in ranked[:2] if scores[item] <= 4)
    # Even a weak stream has a best item, and even a strong one a weakest.
    return strengths or STRENGTHS[ranked[-1]], improvements or IMPROVEMENTS[ranked[0]]


@dataclass(frozen=True)
class StreamPlan:
    """A demo LIVE session: the row, and how good the stream was (reviews score around it)."""

    seller: SellerPlan
    started_at: datetime  # the shop's wall clock
    quality: float
    row: Row
    creator: CreatorPlan | None = None  # who hosted it, when a registry creator did


# What a reviewer tags when a criterion scores low.
IMPROVEMENT_TAG_OF = {
    "opening_hook": "hook",
    "host_presence": "pacing",
    "product_explanation": "pricing",
    "demonstration": "demo",
    "production": "lighting",
    "interaction": "comments",
    "merchandising": "promotion",
    "calls_to_action": "cta",
    "structure": "pacing",
    "compliance": "compliance",
}


def split_whole(total: int, weights: list[float]) -> list[int]:
    """`total` shared out in proportion to `weights`, in whole units that add up to `total`
    (the largest remainders get the units rounding leaves over); all weights 0 share nothing."""
    scale = sum(weights)
    if not scale:
        return [0] * len(weights)
    exact = [total * w / scale for w in weights]
    parts = [math.floor(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: parts[i] - exact[i])
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


STREAM_HOURS = (11, 13, 18, 19, 20, 21)
# The KPI sheet's LIVE columns of a seller-day and the session figures they are the sums of.
DAY_SUMS = {
    "live_minutes": "duration_minutes",
    "live_views": "views",
    "live_likes": "likes",
    "live_comments": "comments",
    "live_shares": "shares",
}


Host = tuple[str, "CreatorPlan | None"]  # the export's creator name, and who that is


def stream_hosts(
    sellers: list[SellerPlan], creators: list[CreatorPlan], today: date
) -> dict[str, list[Host]]:
    """Who hosts each seller's streams: the seller's own host, and the registry's creators
    working with the seller (by display name, as the LIVE sessions export writes its creator)."""
    by_handle = {c.handle: c for c in creators}
    hosts: dict[str, list[Host]] = {
        s.key: [(f"{_rng('host', s.key).choice(FIRST_NAMES)} ({s.name} host)", None)]
        for s in sellers
    }
    for row in plan_collaborations(sellers, creators, today):
        creator = by_handle[row["creator"]]
        hosts[row["seller"]].append((creator.display_name, creator))
    return hosts


def day_streams(seller: SellerPlan, day: date, kpi: Row, hosts: list[Host]) -> list[StreamPlan]:
    """A seller-day's LIVE sessions, one by one as the LIVE sessions export lists them: the
    day's LIVE figures of the KPI sheet (`kpi`) shared out, so the sessions add up to them.
    Better streams hold viewers longer and sell more per view."""
    count = kpi["live_sessions"]
    if not count:
        return []
    rng = _rng("live-session", seller.key, day)
    hours = sorted(rng.sample(STREAM_HOURS, count))
    qualities = [min(5.0, max(1.0, rng.gauss(3.3, 0.6))) for _ in hours]
    reach = [rng.uniform(0.5, 1.5) for _ in hours]
    shares = {session: split_whole(kpi[day_sum], reach) for day_sum, session in DAY_SUMS.items()}
    shares["duration_minutes"] = split_whole(
        kpi["live_minutes"], [rng.uniform(0.8, 1.2) for _ in hours]
    )
    selling = [r * q for r, q in zip(reach, qualities, strict=True)]
    gmv = split_whole(kpi["live_gmv_cents"], selling)
    streams = []
    for n, (hour, quality) in enumerate(zip(hours, qualities, strict=True)):
        views = shares["views"][n]
        lift = quality / 3.3
        started = datetime.combine(day, time(hour, 0))
        host = hosts[0] if len(hosts) == 1 or rng.random() < 0.5 else rng.choice(hosts[1:])
        row = {
            "seller": seller.key,
            "started_at": started,
            "host_name": host[0],
            **{name: values[n] for name, values in shares.items()},
            "peak_viewers": max(1, round(views * rng.uniform(0.03, 0.08))),
            "avg_view_seconds": round(25 + 18 * quality + rng.gauss(0, 8)),
            "gmv_cents": gmv[n],
            "orders": max(0, round(gmv[n] / 100 / seller.order_value)),
            "new_followers": round(views * 0.003 * lift * rng.uniform(0.5, 1.5)),
            "product_impressions": round(views * rng.uniform(0.4, 0.8)),
            "product_clicks": round(views * 0.05 * lift * rng.uniform(0.7, 1.3)),
        }
        streams.append(StreamPlan(seller, started, quality, row, host[1]))
    return streams


def plan_live_sessions(
    sellers: list[SellerPlan], creators: list[CreatorPlan], today: date, days: int
) -> list[StreamPlan]:
    """The LIVE sessions of the trading days of the last SESSION_DAYS days (at most `days`),
    one by one as the LIVE sessions export lists them; each day's add up to its KPI row."""
    hosts = stream_hosts(sellers, creators, today)
    streams = []
    for seller in sellers:
        if not seller.live_share:
            continue
        for day in trading_days(seller, today, min(days, SESSION_DAYS)):
            kpi = kpi_figures(seller, day, today)
            streams.extend(day_streams(seller, day, kpi, hosts[seller.key]))
    return streams


def plan_reviews(streams: list[StreamPlan], today: date) -> list[Row]:
    """Some dozens of scored livestreams from the last two months: each a demo LIVE session,
    with its host and figures, tags for what scored low and, for the best, the moment worth
    copying."""
    rng = _rng("reviews")
    chosen = rng.sample(streams, min(REVIEW_COUNT, len(streams)))
    rows = []
    for n, stream in enumerate(chosen, start=1):
        seller = stream.seller
        creator = stream.creator
        scores = {
            item: min(5, max(1, round(stream.quality + rng.gauss(0, 0.7)))) for item in SCORECARD
        }
        strengths, improvements = _review_text(rng, scores)
        low = [item for item in SCORECARD if scores[item] <= 2]
        best = max(SCORECARD, key=lambda item: (scores[item], rng.random()))
        moment = (
            f"At {rng.randint(2, 40)}:{rng.randint(0, 59):02d}: {STRENGTHS[best]}"
            if scores[best] == 5 and rng.random() < 0.5
            else None
        )
        figures = {name: stream.row[name] for name in SESSION_FIGURES}
        views = figures["views"]
        reactions = stream.row["likes"] + stream.row["comments"] + stream.row["shares"]
        rows.append(
            {
                "creator": creator.handle if creator else None,
                "seller": seller.key,
                "host_name": creator.display_name if creator else stream.row["host_name"],
                "stream_url": f"https://www.tiktok.com/@{creator.handle}/live" if creator else None,
                "stream_date": stream.started_at.date(),
                "stream_started_at": stream.started_at,
                "reviewer_user_id": rng.choice(LIVE_COACHES),
                **{f"score_{item}": score for item, score in scores.items()},
                "strengths": strengths,
                "improvements": improvements,
                "improvement_tags": list(dict.fromkeys(IMPROVEMENT_TAG_OF[i] for i in low)),
                "best_practice": moment,
                **figures,
                "engagement_rate": round(reactions / views, 6) if views else None,
                "client_key": f"demo-review-{n}",
                "created_at": _at(stream.started_at.date() + timedelta(days=1), 10),
            }
        )
    return rows


def seller_row(plan: SellerPlan, today: date, index: int = 0) -> Row:
    joined = _at(today - timedelta(days=plan.joined_days_ago), 9)
    # A seller that stopped lately is still active in the registry: its data stopping is the
    # first the team hears of it (a gap, bot.sellers.gaps); one that stopped long ago is not.
    unnoticed = plan.stopped_days_ago is not None and plan.stopped_days_ago <= UNNOTICED_DAYS
    status = SellerStatus.ACTIVE if plan.active or unnoticed else SellerStatus.INACTIVE
    return {
        "seller_key": plan.key,
        "name": plan.name,
        "name_key": match_key(plan.name),
        "category": plan.category,
        "categories": plan.categories,
        "market": plan.market,
        "owner_user_id": plan.owner,
        "status": str(status),
        "store_url": None,
        **profile_fields(plan, index),
        "created_at": joined,
        "updated_at": joined,
    }


def creator_row(plan: CreatorPlan, today: date) -> Row:
    joined = _at(today - timedelta(days=plan.joined_days_ago), 11)
    return {
        "handle": plan.handle,
        "display_name": plan.display_name,
        "name_key": match_key(plan.display_name),
        "level": creator_level(plan, today.replace(day=1)),
        "stage": plan.stage,
        "owner_user_id": plan.owner,
        "categories": plan.categories,
        "tags": plan.tags,
        "followers": plan.followers,
        "created_at": joined,
        "updated_at": joined,
    }


def _table(model: type[SQLModel]) -> Table:
    return SQLModel.metadata.tables[str(model.__tablename__)]


@dataclass(frozen=True)
class _Team:
    """The team being seeded: its session, and ids by natural key (seller key, creator handle)."""

    session: Session
    team_id: str
    sellers: dict[str, int]
    creators: dict[str, int]

    @classmethod
    def load(cls, session: Session, team_id: str) -> _Team:
        sellers = select(Seller.seller_key, Seller.id).where(Seller.team_id == team_id)
        creators = select(Creator.handle, Creator.id).where(Creator.team_id == team_id)
        return cls(
            session,
            team_id,
            sellers={key: id_ for key, id_ in session.exec(sellers) if id_ is not None},
            creators={handle: id_ for handle, id_ in session.exec(creators) if id_ is not None},
        )

    def existing(self, model: type[SQLModel], key: tuple[str, ...]) -> set[tuple[Any, ...]]:
        """The values of the `key` columns in the team's rows of `model`."""
        table = _table(model)
        query = sql_select(*(table.c[name] for name in key)).where(table.c.team_id == self.team_id)
        return {tuple(row) for row in self.session.connection().execute(query)}

    def insert(self, model: type[SQLModel], rows: list[Row]) -> None:
        if rows and model is Seller:  # numbered within the workspace, as they are added
            first = next_seller_number(self.session.connection(), self.team_id)
            rows = [{**row, "number": n} for n, row in enumerate(rows, start=first)]
        if rows:
            # Core executemany on the table: the ORM's per-row bookkeeping would double the time.
            self.session.connection().execute(_table(model).insert(), rows)

    def resolve(self, row: Row) -> Row:
        """The planned row for this team, with ids in place of creator handles and seller keys."""
        resolved = {k: v for k, v in row.items() if k not in ("creator", "seller")}
        if "creator" in row:
            resolved["creator_id"] = self.creators.get(row["creator"])
        if "seller" in row:
            resolved["seller_id"] = self.sellers[row["seller"]]
        return {**resolved, "team_id": self.team_id}

    def add_missing(self, model: type[SQLModel], planned: list[Row]) -> list[Row]:
        """Insert the planned rows whose natural key the team lacks; returns the rows inserted."""
        key = NATURAL_KEYS[model]
        existing = self.existing(model, key)
        rows = (self.resolve(row) for row in planned)
        fresh = [row for row in rows if tuple(row[name] for name in key) not in existing]
        self.insert(model, fresh)
        return fresh


def _add_level_changes(team: _Team, creators: list[CreatorPlan], today: date) -> int:
    planned = [change for creator in creators for change in level_changes(creator, today)]
    added = team.add_missing(CreatorLevelChange, planned)
    # This month's refresh is the creator's level now, also for creators on file from a seed in
    # an earlier month.
    this_month = today.replace(day=1)
    levels = [
        {"id": c["creator_id"], "level": c["level"]}
        for c in added
        if c["effective_on"] == this_month
    ]
    if levels:
        team.session.exec(update(Creator), params=levels)
    return len(added)


def _kpi_rows(team: _Team, sellers: list[SellerPlan], today: date, days: int) -> list[Row]:
    """The seller-days of the window the team lacks."""
    existing = team.existing(DailySellerKpi, NATURAL_KEYS[DailySellerKpi])
    return [
        {
            "team_id": team.team_id,
            "seller_id": team.sellers[seller.key],
            "day": day,
            "category": seller.category,
            **kpi_figures(seller, day, today),
            "updated_at": _at(day + timedelta(days=1), 6),
        }
        for seller in sellers
        for day in trading_days(seller, today, days)
        if (team.sellers[seller.key], day) not in existing
    ]


def _add_kpis(team: _Team, rows: list[Row]) -> int:
    team.insert(DailySellerKpi, rows)
    if rows:  # keep the sums that /kpi and the digest read in step
        written = [r["day"] for r in rows]
        refresh_summaries(team.session.connection(), team.team_id, min(written), max(written))
    return len(rows)
