"""The demo's seller profiles and seller notes, and the few sellers planned to show each kind
of gap (bot.sellers.gaps) — deterministic, like the rest of the demo (devkit.demo.data).

Most sellers have a complete profile, joined LIVE and affiliate as their figures show, and a
recent contact; a handful in each group lack one thing, so `/seller gaps` has rows of every
kind to show. Every 20th seller has not joined affiliate and sells nothing through it; one
seller in LIVE and one in affiliate are left out of the registry's programs although their
figures show them (the registry behind the data).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any, Protocol, TypeVar

SEED = 20261130
TIERS = ("A", "B", "C")
CONTACT_ROLES = ("owner", "brand manager", "ops lead", "live host")
FIRST_NAMES = ("Lena", "Marco", "Aiko", "Olga", "Jonas", "Chiara", "Mateo", "Ines", "Wei", "Sofia")
LAST_NAMES = ("Berg", "Rossi", "Tanaka", "Ivanova", "Müller", "Costa", "Łukasik", "Dubois")
NOTE_TEXTS = (
    "Call with {contact}: agreed two LIVE sessions a week from next month",
    "{contact} asked for the Q1 campaign calendar and voucher rules",
    "Reviewed the shop's listings with {contact}; product titles need keywords",
    "{contact} will send stock levels for the mega sale by Friday",
    "Weekly sync: affiliate commission raised to 15% for new creators",
    "Discussed the last LIVE's low engagement; {contact} will brief the host",
    "Sample shipment for five creators approved by {contact}",
)
NOTE_TAGS = ("call", "live", "campaign", "listings", "stock", "affiliate", "samples")
# Per kind of gap: how many sellers are planned to show it.
GAPPED = 3

Row = dict[str, Any]
P = TypeVar("P", bound="PlannedSeller")


class PlannedSeller(Protocol):
    """What this module reads of devkit.demo.data's SellerPlan."""

    @property
    def key(self) -> str: ...
    @property
    def owner(self) -> str: ...
    @property
    def active(self) -> bool: ...
    @property
    def started_days_ago(self) -> int | None: ...
    @property
    def live_share(self) -> float: ...
    @property
    def daily_gmv(self) -> float: ...
    @property
    def unrecorded(self) -> str: ...


def _rng(*parts: object) -> random.Random:
    return random.Random(":".join(str(part) for part in (SEED, *parts)))


def _steady(plan: PlannedSeller) -> bool:
    return plan.active and plan.started_days_ago is None


def affiliate_joined(index: int) -> bool:
    """Whether the seller at `index` has joined affiliate (every 20th has not)."""
    return index % 20 != 7


def with_planned_gaps(plans: list[P], skip: set[int]) -> list[P]:
    """The plans with a few steady sellers changed to show a gap their figures make: no
    affiliate sales though joined, GMV dropping this week, growing fast without LIVE, in LIVE
    with no LIVE lately, high GMV with little affiliate GMV, and a program the registry leaves
    out (`skip`: indexes left as they are). Sellers that have not joined affiliate sell
    nothing through it."""
    result = [
        plan if affiliate_joined(i) else replace(plan, affiliate_share=0.0)  # type: ignore[type-var]
        for i, plan in enumerate(plans)
    ]
    steady = [
        i
        for i, plan in enumerate(plans)
        if _steady(plan) and i not in skip and i > 0 and affiliate_joined(i)
    ]
    streaming = [i for i in steady if plans[i].live_share > 0]
    biggest = sorted(steady, key=lambda i: -plans[i].daily_gmv)
    changes: list[tuple[list[int], int, dict[str, Any]]] = [
        (steady, GAPPED, {"affiliate_share": 0.0}),
        (steady, GAPPED, {"drop_this_week": True}),
        (steady, GAPPED, {"live_share": 0.0, "trend": 0.035}),
        (streaming, GAPPED, {"live_chance": 0.0}),
        (biggest, GAPPED, {"affiliate_share": 0.03}),
        (streaming, 1, {"unrecorded": "live"}),
        (steady, 1, {"unrecorded": "affiliate"}),
    ]
    changed: set[int] = set()
    for pool, count, change in changes:
        for i in [i for i in pool if i not in changed][:count]:
            result[i] = replace(result[i], **change)  # type: ignore[type-var]
            changed.add(i)
    return result


def profile_fields(plan: PlannedSeller, index: int) -> Row:
    """The seller's tier, programs, tags and contacts; every 25th lacks a tier and a contact,
    and every 20th has not joined affiliate (see `with_planned_gaps`)."""
    rng = _rng("profile", plan.key)
    joined = (("live", plan.live_share > 0), ("affiliate", affiliate_joined(index)))
    programs = [p for p, on in joined if on and p != plan.unrecorded]
    contacts = [
        {
            "name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            "role": role,
            "reach": f"{role.split()[0]}@{plan.key[-6:]}.shop.example",
        }
        for role in rng.sample(CONTACT_ROLES, k=rng.randint(1, 2))
    ]
    incomplete = index % 25 == 11
    tier = TIERS[0] if plan.daily_gmv > 1500 else TIERS[1] if plan.daily_gmv > 500 else TIERS[2]
    return {
        "tier": "" if incomplete else tier,
        "programs": programs,
        "tags": rng.sample(
            ("key-account", "q4-push", "new-in-live", "eu-warehouse"), k=rng.randint(0, 2)
        ),
        "contacts": [] if incomplete else contacts,
    }


def plan_seller_notes(plans: Sequence[PlannedSeller], today: date, tz: tzinfo) -> list[Row]:
    """Two to four notes per active seller over the last 80 days, the newest within 25 days
    (every 9th seller's only older than 30, so it has no recent contact); some have a
    follow-up, a few of those still ahead."""
    rows = []
    for index, plan in enumerate(plans):
        if not plan.active:
            continue
        rng = _rng("seller-notes", plan.key)
        stale = index % 9 == 4
        ages = sorted(rng.randint(31 if stale else 1, 80) for _ in range(rng.randint(2, 4)))
        if not stale:
            ages[0] = rng.randint(1, 25)
        for n, age in enumerate(ages):
            written = today - timedelta(days=age)
            at = datetime.combine(written, time(rng.randint(8, 17), rng.randint(0, 59)), tz)
            contact = f"{rng.choice(FIRST_NAMES)}"
            follow_up = written + timedelta(days=rng.randint(3, 14)) if rng.random() < 0.3 else None
            rows.append(
                {
                    "seller": plan.key,
                    "client_key": f"demo-seller-note-{plan.key}-{n}",
                    "author_user_id": plan.owner,
                    "text": rng.choice(NOTE_TEXTS).format(contact=contact),
                    "tags": rng.sample(NOTE_TAGS, k=rng.randint(0, 2)),
                    "follow_up_on": follow_up,
                    "follow_up_done_at": (
                        datetime.combine(follow_up, time(15), tz)
                        if follow_up and follow_up < today
                        else None
                    ),
                    "created_at": at,
                    "updated_at": at,
                }
            )
    return rows
