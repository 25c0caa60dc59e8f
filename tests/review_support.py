"""Helpers for the review tests: sellers, creators and LIVE sessions to review, the form's
state as Slack submits it, and the reviews saved."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.engine import Engine

from devkit.offline import OfflineBot
from storage.creators.models import Creator
from storage.db import transaction
from storage.reviews.models import LiveSession
from storage.reviews.records import ReviewContent, save_review
from storage.reviews.scorecard import SCORECARD
from storage.sellers.models import Seller
from tests.feedback_support import NOW, last_view, set_clock, submit

# NOW is Thursday 3 December 2026, 09:30 in Berlin: the streams below are the evenings before.
STREAM = datetime(2026, 12, 2, 19, 0)
SELLERS = [
    ("S1", "Casa Bonita", "Home & Living"),
    ("S2", "Küchenwelt & Co", "Home & Living"),
    ("S3", "Glow Lab", "Personal Care"),
]


def seed(engine: Engine, team_id: str) -> dict[str, int]:
    """Three sellers, two creators and LIVE sessions: Casa Bonita's stream at STREAM (its own
    host Ana's) and two others of the category (Casa Bonita's of 25 Nov hosted by the
    creator Maria Lopez, @maria.makes). Returns seller name → id."""
    ids: dict[str, int] = {}
    with transaction(engine) as session:
        for key, name, category in SELLERS:
            seller = Seller(team_id=team_id, seller_key=key, name=name, category=category)
            session.add(seller)
            session.flush()
            assert seller.id is not None
            ids[name] = seller.id
        session.add(Seller(team_id="TOTHER", seller_key="S9", name="Casa Secreta", category="X"))
        for handle, name in [("maria.makes", "Maria Lopez"), ("lena.live", "Lena Brandt")]:
            session.add(Creator(team_id=team_id, handle=handle, display_name=name))
        sessions = [
            (ids["Casa Bonita"], STREAM, "Ana (own host)", 1000, 50, 65, 200_00, 10, 40, 5, 100),
            (
                ids["Casa Bonita"],
                datetime(2026, 11, 25, 19, 0),
                "Maria Lopez",
                3000,
                150,
                95,
                900_00,
                30,
                90,
                15,
                300,
            ),
            (
                ids["Küchenwelt & Co"],
                datetime(2026, 11, 30, 18, 0),
                "Ana (own host)",
                2000,
                100,
                80,
                1000_00,
                20,
                100,
                10,
                200,
            ),
        ]
        for (
            seller_id,
            start,
            host,
            views,
            peak,
            avg,
            gmv,
            orders,
            comments,
            follows,
            clicks,
        ) in sessions:
            session.add(
                LiveSession(
                    team_id=team_id,
                    seller_id=seller_id,
                    started_at=start,
                    host_name=host,
                    duration_minutes=90,
                    views=views,
                    peak_viewers=peak,
                    avg_view_seconds=avg,
                    gmv_cents=gmv,
                    orders=orders,
                    comments=comments,
                    new_followers=follows,
                    product_clicks=clicks,
                )
            )
    return ids


def review_values(
    seller_id: int | None,
    *,
    scores: dict[str, int | None] | None = None,
    host: str = "",
    url: str = "https://www.tiktok.com/@casabonita/live",
    start: datetime | None = STREAM,
    strengths: str = "Great close-ups of the pan",
    improvements: str = "Too slow to open",
    tags: list[str] | None = None,
    free_tags: str = "",
    best: str | None = None,
    figures: dict[str, str] | None = None,
) -> dict[str, dict[str, Any]]:
    """The review form's state as Slack submits it; scores default to 4 (3 for production)."""
    given = {key: 4 for key in SCORECARD} | {"production": 3} | (scores or {})

    def text(block: str, value: str) -> dict[str, dict[str, Any]]:
        return {block: {block: {"type": "plain_text_input", "value": value or None}}}

    values: dict[str, dict[str, Any]] = {
        **text("host", host),
        **text("stream_url", url),
        **text("strengths", strengths),
        **text("improvements", improvements),
        **text("free_tags", free_tags),
        **text("best_moment", best or ""),
        "stream_day": {
            "stream_day": {
                "type": "datepicker",
                "selected_date": start.date().isoformat() if start else None,
            }
        },
        "stream_time": {
            "stream_time": {
                "type": "timepicker",
                "selected_time": f"{start:%H:%M}" if start else None,
            }
        },
        "tags": {
            "tags": {
                "type": "multi_static_select",
                "selected_options": [{"value": t} for t in tags or []],
            }
        },
        "best": {
            "best": {
                "type": "checkboxes",
                "selected_options": [{"value": "best"}] if best is not None else [],
            }
        },
    }
    for key, score in given.items():
        option = {"value": str(score)} if score is not None else None
        values[f"score_{key}"] = {
            f"score_{key}": {"type": "static_select", "selected_option": option}
        }
    for name, typed in (figures or {}).items():
        values |= text(f"fig_{name}", typed)
    if seller_id is not None:
        option = {"value": str(seller_id), "text": {"type": "plain_text", "text": "seller"}}
        values["seller"] = {"review_seller": {"type": "external_select", "selected_option": option}}
    return values


def open_form(bot: OfflineBot, text: str = "", *, user: str = "U0MARIA") -> dict[str, Any]:
    set_clock(bot, NOW)
    response = bot.client.slash_command("/review", text, user_id=user)
    assert response.status == 200 and response.body == "", response.body
    return last_view(bot)


def review_now(bot: OfflineBot, seller_id: int, *, user: str = "U0MARIA", **changes: Any) -> Any:
    """Open the form and submit it: the submission's response."""
    view = open_form(bot, user=user)
    return submit(bot, view, review_values(seller_id, **changes), user=user)


def stored_review(
    engine: Engine,
    team: str,
    seller_id: int,
    start: datetime,
    *,
    hook: int,
    reviewer: str = "U0PRIYA",
    tags: list[str] | None = None,
    views: int | None = 1000,
    gmv_cents: int | None = None,
    best: str | None = None,
    rest: int = 3,
) -> None:
    """A review saved straight into storage (hook scored `hook`, the rest `rest`)."""
    scores = {key: rest for key in SCORECARD} | {"opening_hook": hook}
    content = ReviewContent(
        seller_id=seller_id,
        stream_started_at=start,
        scores=scores,
        stream_url=f"https://www.tiktok.com/live/{seller_id}/{start:%m%d%H}",
        tags=tags or [],
        best_practice=best,
        figures={"views": views, "gmv_cents": gmv_cents},
    )
    save_review(engine, team, reviewer, content, NOW)
