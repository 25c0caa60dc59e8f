"""Livestream reviews: saving, finding, editing, deleting and restoring, and the reads of the
report and the export.

The same rules as creator notes: only the reviewer or an admin edits or deletes; an edit keeps
the earlier version as a revision; a delete hides the review everywhere and an admin can bring
it back for RECOVERABLE_FOR. Every query is filtered by team; reads return `ReviewView`s, detached
from any session. A reviewer reviews a stream once: a second review of the same seller's stream
(same start to the minute, or the same link) is refused with the number of the first.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from storage.authored import Authored, Revisions, require_author_or_admin
from storage.creators.models import CREATOR_TABLE
from storage.db import transaction
from storage.errors import N_, UserError
from storage.names import match_key
from storage.reviews.live_sessions import SESSION_FIGURES, same_host
from storage.reviews.models import (
    LIVE_SESSION_TABLE,
    LIVESTREAM_REVIEW_REVISION_TABLE,
    LIVESTREAM_REVIEW_TABLE,
)
from storage.reviews.scorecard import SCORECARD
from storage.sellers.models import SELLER_TABLE

# The figures a review records (LivestreamReview columns), in the order they are shown: the
# session figures a review is filled from.
REVIEW_FIGURES = SESSION_FIGURES


class ReviewNotFound(UserError):
    """No review by that number: never in this workspace, or deleted (then by whom and how to
    bring it back)."""

    def __init__(
        self, review_id: int, *, deleted: bool = False, deleted_by: str | None = None
    ) -> None:
        if not deleted:
            super().__init__(
                N_("There is no review {review_id} in this workspace."),
                ["/review list"],
                review_id=review_id,
            )
        else:
            super().__init__(
                N_(
                    "Review {review_id} was deleted by <@{who}>: an admin can restore it "
                    "within 30 days of its deletion with `/review restore {review_id}`."
                )
                if deleted_by
                else N_(
                    "Review {review_id} was deleted: an admin can restore it "
                    "within 30 days of its deletion with `/review restore {review_id}`."
                ),
                ["/review deleted", f"/review restore {review_id}"],
                review_id=review_id,
                who=deleted_by or "",
            )
        self.review_id = review_id


class AlreadyReviewed(UserError):
    """The reviewer has reviewed this stream before: the answer offers to edit that review."""

    def __init__(self, review_id: int) -> None:
        super().__init__(
            N_(
                "You reviewed this stream already (review {review_id}): change that one with "
                "`/review edit {review_id}`."
            ),
            [f"/review edit {review_id}", f"/review show {review_id}"],
            review_id=review_id,
        )
        self.review_id = review_id


@dataclass(frozen=True)
class ReviewContent:
    """What a reviewer writes about a stream: everything the form edits."""

    seller_id: int
    stream_started_at: datetime  # the shop's wall-clock time
    scores: dict[str, int]  # criterion key → 1..5, every criterion
    host_name: str = ""  # "" = the seller's own host
    creator_id: int | None = None  # when the host is a creator of the registry
    stream_url: str | None = None
    strengths: str = ""
    improvements: str = ""
    tags: list[str] = field(default_factory=list)
    best_practice: str | None = None
    figures: dict[str, int | None] = field(default_factory=dict)
    live_session_id: int | None = None

    def columns(self) -> dict[str, Any]:
        """The LivestreamReview columns these set."""
        values = {
            "seller_id": self.seller_id,
            "creator_id": self.creator_id,
            "host_name": self.host_name,
            "stream_url": self.stream_url,
            "stream_started_at": self.stream_started_at,
            "stream_date": self.stream_started_at.date(),
            "strengths": self.strengths,
            "improvements": self.improvements,
            "improvement_tags": list(self.tags),
            "best_practice": self.best_practice,
            "live_session_id": self.live_session_id,
            **{f"score_{key}": self.scores[key] for key in SCORECARD},
        }
        for name in REVIEW_FIGURES:
            values[name] = self.figures.get(name)
        return values


@dataclass(frozen=True)
class ReviewView:
    id: int
    team_id: str
    seller_id: int | None
    seller_name: str
    seller_key: str
    seller_category: str
    creator_id: int | None
    host_handle: str | None  # the creator's handle when the host is in the registry
    host_name: str
    stream_url: str | None
    stream_date: date
    stream_started_at: datetime
    reviewer_user_id: str
    scores: dict[str, int]
    strengths: str
    improvements: str
    tags: list[str]
    best_practice: str | None
    figures: dict[str, int | None]
    live_session_id: int | None
    source_url: str | None
    created_at: datetime
    updated_at: datetime | None
    deleted_at: datetime | None
    deleted_by: str | None
    host_display: str | None = None  # the registry creator's display name
    session_host: str | None = None  # the linked session's host, as the export names it

    @property
    def host_names(self) -> tuple[str, ...]:
        """The names the host goes by: a creator's handle and display name, else as typed."""
        if self.host_handle:
            return tuple(n for n in (self.host_handle, self.host_display or "") if n)
        return (self.host_name,) if self.host_name else ()

    @property
    def shows_other_host(self) -> bool:
        """Whether the linked session is, by the export, another host's stream."""
        return self.session_host is not None and not same_host(self.session_host, self.host_names)

    @property
    def total(self) -> int:
        return sum(self.scores.values())

    @property
    def average(self) -> float:
        return self.total / len(SCORECARD)

    @property
    def host(self) -> str:
        """How the host is named: @handle, the host's name, or `own host` (the seller's)."""
        if self.host_handle:
            return f"@{self.host_handle}"
        return self.host_name or "own host"

    def content(self) -> ReviewContent:
        """What the form edits, as the review has it now."""
        assert self.seller_id is not None
        return ReviewContent(
            seller_id=self.seller_id,
            stream_started_at=self.stream_started_at,
            scores=dict(self.scores),
            host_name=self.host_name,
            creator_id=self.creator_id,
            stream_url=self.stream_url,
            strengths=self.strengths,
            improvements=self.improvements,
            tags=list(self.tags),
            best_practice=self.best_practice,
            figures=dict(self.figures),
            live_session_id=self.live_session_id,
        )


@dataclass(frozen=True)
class SavedReview:
    review: ReviewView
    created: bool  # False: this submission (client_key) was saved before


@dataclass(frozen=True)
class ReviewPage:
    reviews: list[ReviewView]
    offset: int
    has_more: bool


def _views(team_id: str) -> Select[Any]:
    return (
        select(
            LIVESTREAM_REVIEW_TABLE,
            SELLER_TABLE.c.name.label("seller_name"),
            SELLER_TABLE.c.seller_key.label("seller_key"),
            SELLER_TABLE.c.category.label("seller_category"),
            CREATOR_TABLE.c.handle.label("host_handle"),
            CREATOR_TABLE.c.display_name.label("host_display"),
            LIVE_SESSION_TABLE.c.host_name.label("session_host"),
        )
        .outerjoin(SELLER_TABLE, SELLER_TABLE.c.id == LIVESTREAM_REVIEW_TABLE.c.seller_id)
        .outerjoin(CREATOR_TABLE, CREATOR_TABLE.c.id == LIVESTREAM_REVIEW_TABLE.c.creator_id)
        .outerjoin(
            LIVE_SESSION_TABLE, LIVE_SESSION_TABLE.c.id == LIVESTREAM_REVIEW_TABLE.c.live_session_id
        )
        .where(LIVESTREAM_REVIEW_TABLE.c.team_id == team_id)
    )


def _newest_first(statement: Select[Any]) -> Select[Any]:
    # Every review has its start (earlier ones at midnight): the index on it serves the order.
    return statement.order_by(
        LIVESTREAM_REVIEW_TABLE.c.stream_started_at.desc(), LIVESTREAM_REVIEW_TABLE.c.id.desc()
    )


def _view(row: Any) -> ReviewView:
    return ReviewView(
        id=row["id"],
        team_id=row["team_id"],
        seller_id=row["seller_id"],
        seller_name=row["seller_name"] or "(seller removed)",
        seller_key=row["seller_key"] or "",
        seller_category=row["seller_category"] or "",
        creator_id=row["creator_id"],
        host_handle=row["host_handle"],
        host_name=row["host_name"],
        stream_url=row["stream_url"],
        stream_date=row["stream_date"],
        stream_started_at=row["stream_started_at"],
        reviewer_user_id=row["reviewer_user_id"],
        scores={key: int(row[f"score_{key}"]) for key in SCORECARD},
        strengths=row["strengths"],
        improvements=row["improvements"],
        tags=list(row["improvement_tags"] or []),
        best_practice=row["best_practice"],
        figures={name: row[name] for name in REVIEW_FIGURES},
        live_session_id=row["live_session_id"],
        source_url=row["source_url"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        deleted_at=row["deleted_at"],
        deleted_by=row["deleted_by"],
        host_display=row["host_display"],
        session_host=row["session_host"],
    )


def _revision_fields(review: ReviewView) -> dict[str, Any]:
    """The review's editable fields as JSON (times and dates as ISO text)."""
    content = asdict(review.content())
    content["stream_started_at"] = review.content().stream_started_at.isoformat()
    return content


def _flat(fields: dict[str, Any]) -> dict[str, Any]:
    """A review's fields as a revision keeps them, each score and figure a field of its own
    (`score_<criterion>`, the figure's column), in the order of the form."""
    flat: dict[str, Any] = {}
    for name, value in fields.items():
        if name == "scores":
            flat.update({f"score_{key}": score for key, score in value.items()})
        elif name == "figures":
            flat.update(value)
        else:
            flat[name] = value
    return flat


_LIFE: Authored[ReviewView] = Authored(
    table=LIVESTREAM_REVIEW_TABLE,
    noun="review",
    author=N_("the reviewer"),
    author_column="reviewer_user_id",
    not_found=ReviewNotFound,
    views=_views,
    to_view=_view,
    deleted=lambda review_id, by: ReviewNotFound(review_id, deleted=True, deleted_by=by),
    revisions=Revisions(
        table=LIVESTREAM_REVIEW_REVISION_TABLE,
        record_column="review_id",
        kept=lambda row: _flat(row["fields"]),
        now=lambda review: _flat(_revision_fields(review)),
    ),
)
_live, _fetch, _one = _LIFE.live, _LIFE.fetch, _LIFE.one
# The live review; ReviewNotFound when there is none here, or saying who deleted it.
get_live_review = _LIFE.get
review_history = _LIFE.history  # the live review and its edits, oldest first


# ---- saving -------------------------------------------------------------------------------


def same_stream_review(
    engine: Engine,
    team_id: str,
    reviewer: str,
    content: ReviewContent,
    *,
    other_than: int | None = None,
) -> int | None:
    """The number of the reviewer's (undeleted) review of the same stream, if any: the same
    seller and start minute, or the same link."""
    minute = content.stream_started_at.replace(second=0, microsecond=0)
    same = and_(
        LIVESTREAM_REVIEW_TABLE.c.seller_id == content.seller_id,
        LIVESTREAM_REVIEW_TABLE.c.stream_started_at >= minute,
        LIVESTREAM_REVIEW_TABLE.c.stream_started_at < minute + timedelta(minutes=1),
    )
    if content.stream_url:
        same = or_(same, LIVESTREAM_REVIEW_TABLE.c.stream_url == content.stream_url)
    statement = select(LIVESTREAM_REVIEW_TABLE.c.id).where(
        LIVESTREAM_REVIEW_TABLE.c.team_id == team_id,
        LIVESTREAM_REVIEW_TABLE.c.reviewer_user_id == reviewer,
        LIVESTREAM_REVIEW_TABLE.c.deleted_at.is_(None),
        same,
    )
    if other_than is not None:
        statement = statement.where(LIVESTREAM_REVIEW_TABLE.c.id != other_than)
    with engine.connect() as connection:
        found = connection.execute(statement.limit(1)).scalar()
    return int(found) if found is not None else None


def save_review(
    engine: Engine,
    team_id: str,
    reviewer: str,
    content: ReviewContent,
    now: datetime,
    *,
    client_key: str | None = None,
    source_url: str | None = None,
) -> SavedReview:
    """Store a new review, or return the one already saved under `client_key` (a second
    submission of the same form). AlreadyReviewed when the reviewer reviewed the stream."""
    try:
        with transaction(engine) as session:
            connection = session.connection()
            earlier = _by_client_key(connection, team_id, client_key)
            if earlier is not None:
                return SavedReview(earlier, created=False)
            same = same_stream_review(engine, team_id, reviewer, content)
            if same is not None:
                raise AlreadyReviewed(same)
            review_id = connection.execute(
                LIVESTREAM_REVIEW_TABLE.insert()
                .values(
                    team_id=team_id,
                    reviewer_user_id=reviewer,
                    client_key=client_key,
                    source_url=source_url,
                    created_at=now,
                    **content.columns(),
                )
                .returning(LIVESTREAM_REVIEW_TABLE.c.id)
            ).scalar_one()
            return SavedReview(_one(connection, team_id, review_id), created=True)
    except IntegrityError:
        # The same submission saved at the same moment by a retry: that one stands.
        with engine.connect() as connection:
            winner = _by_client_key(connection, team_id, client_key)
        if winner is None:
            raise
        return SavedReview(winner, created=False)


def _by_client_key(connection: Connection, team_id: str, key: str | None) -> ReviewView | None:
    if not key:
        return None
    found = _fetch(connection, _views(team_id).where(LIVESTREAM_REVIEW_TABLE.c.client_key == key))
    return found[0] if found else None


def require_reviewer_or_admin(
    review: ReviewView, user_id: str, admins: Collection[str], verb: str
) -> None:
    """AdminsOnly unless `user_id` wrote the review or is an admin."""
    require_author_or_admin(review.reviewer_user_id, user_id, admins, verb, N_("the reviewer"))


def edit_review(
    engine: Engine,
    team_id: str,
    review_id: int,
    content: ReviewContent,
    *,
    user_id: str,
    admins: Collection[str],
    now: datetime,
) -> ReviewView:
    """Apply the new content; the review as it was becomes a revision."""
    with transaction(engine) as session:
        connection = session.connection()
        _LIFE.for_change(connection, team_id, review_id)
        before = _one(connection, team_id, review_id)
        require_reviewer_or_admin(before, user_id, admins, "edit")
        earlier = same_stream_review(
            engine, team_id, before.reviewer_user_id, content, other_than=review_id
        )
        if earlier is not None:
            raise AlreadyReviewed(earlier)
        connection.execute(
            LIVESTREAM_REVIEW_REVISION_TABLE.insert().values(
                team_id=team_id,
                review_id=review_id,
                fields=_revision_fields(before),
                edited_by=user_id,
                edited_at=now,
            )
        )
        connection.execute(
            LIVESTREAM_REVIEW_TABLE.update()
            .where(LIVESTREAM_REVIEW_TABLE.c.id == review_id)
            .values(updated_at=now, **content.columns())
        )
        return _one(connection, team_id, review_id)


delete_review = _LIFE.delete
restore_review = _LIFE.restore
purge_deleted_reviews = _LIFE.purge


# ---- finding --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewFilter:
    """Which reviews a list or report covers: a seller, a host, a category, stream days."""

    seller_id: int | None = None
    host: str | None = None  # a creator's handle, or the name of a seller's own host
    category: str | None = None
    first: date | None = None
    last: date | None = None

    def apply(self, statement: Select[Any]) -> Select[Any]:
        if self.seller_id is not None:
            statement = statement.where(LIVESTREAM_REVIEW_TABLE.c.seller_id == self.seller_id)
        if self.host is not None:
            statement = statement.where(
                or_(
                    CREATOR_TABLE.c.handle == match_key(self.host),
                    LIVESTREAM_REVIEW_TABLE.c.host_name == self.host,
                )
            )
        if self.category is not None:
            statement = statement.where(SELLER_TABLE.c.category == self.category)
        # On the start, not the day, so the indexes on (…, stream_started_at) serve the range.
        if self.first is not None:
            since = datetime.combine(self.first, datetime.min.time())
            statement = statement.where(LIVESTREAM_REVIEW_TABLE.c.stream_started_at >= since)
        if self.last is not None:
            until = datetime.combine(self.last + timedelta(days=1), datetime.min.time())
            statement = statement.where(LIVESTREAM_REVIEW_TABLE.c.stream_started_at < until)
        return statement


def list_reviews(
    engine: Engine, team_id: str, which: ReviewFilter, limit: int, offset: int = 0
) -> ReviewPage:
    """A page of reviews, newest stream first."""
    statement = _newest_first(which.apply(_live(team_id)))
    with engine.connect() as connection:
        found, more = _LIFE.page(connection, statement, limit, offset)
    return ReviewPage(found, offset, more)


def reviews_in(engine: Engine, team_id: str, which: ReviewFilter) -> list[ReviewView]:
    """Every undeleted review the filter covers, newest stream first (reports, export)."""
    with engine.connect() as connection:
        return _fetch(connection, _newest_first(which.apply(_live(team_id))))


def deleted_reviews(engine: Engine, team_id: str, now: datetime) -> list[ReviewView]:
    """Reviews deleted within RECOVERABLE_FOR, latest deletion first."""
    with engine.connect() as connection:
        return _fetch(connection, _LIFE.recently_deleted(team_id, now))
