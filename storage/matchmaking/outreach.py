"""The outreach pipeline: creator–seller pairs moving suggested → contacted → sample sent →
content posted → selling (or declined, with a reason), each move recorded: the digest counts
the week's moves (`stage_moves`), `/match history` shows a pair's (`pair_history`).

A stage has a number of days it may take (`DAYS_ALLOWED`); past them the pair is overdue, and
its owner gets one reminder by DM (claimed in the database, like note follow-ups). Moving a
pair back, or declining it, needs a reason; the UserError says so and nothing is saved.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import and_, func, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from storage.authored import Edit
from storage.creators.models import Creator
from storage.db import transaction
from storage.errors import N_, UserError, escape
from storage.matchmaking.models import Collaboration, Outreach, OutreachStage, OutreachStageChange
from storage.sellers.models import Seller

ORDER = (
    OutreachStage.SUGGESTED,
    OutreachStage.CONTACTED,
    OutreachStage.SAMPLE_SENT,
    OutreachStage.CONTENT_POSTED,
    OutreachStage.SELLING,
)
STAGES = (*ORDER, OutreachStage.DECLINED)
# How long a stage may take before the pair is overdue (a sample should be posted about within
# 14 days of arriving); selling and declined are where a pair rests.
DAYS_ALLOWED = {
    OutreachStage.SUGGESTED: 7,
    OutreachStage.CONTACTED: 7,
    OutreachStage.SAMPLE_SENT: 14,
    OutreachStage.CONTENT_POSTED: 14,
}
MAX_REASON = 500


class PairNotFound(UserError):
    def __init__(self) -> None:
        super().__init__(
            N_("That pair is no longer in this workspace's pipeline."), ["/match pipeline"]
        )


@dataclass(frozen=True)
class PipelineItem:
    """Where one pair stands, as lists and the App Home show it."""

    id: int
    creator_id: int
    handle: str
    seller_id: int
    seller: str
    stage: str
    owner_user_id: str
    since: datetime
    due_on: date | None  # when the stage should be done; None where a pair rests
    declined_reason: str | None

    def overdue_days(self, today: date) -> int:
        return max(0, (today - self.due_on).days) if self.due_on else 0

    @property
    def next_stage(self) -> str | None:
        if self.stage in (OutreachStage.SELLING, OutreachStage.DECLINED):
            return None
        return ORDER[ORDER.index(OutreachStage(self.stage)) + 1]


def due_on(stage: str, since: datetime) -> date | None:
    days = DAYS_ALLOWED.get(OutreachStage(stage))
    return since.date() + timedelta(days=days) if days is not None else None


def start_outreach(
    engine: Engine, team_id: str, creator_id: int, seller_id: int, user_id: str, now: datetime
) -> Outreach:
    """Put the pair in the pipeline as contacted by `user_id` (who owns it from now on).
    UserError when the pair is already in it, or either side is not in the workspace."""
    try:
        with transaction(engine) as session:
            creator, seller = session.get(Creator, creator_id), session.get(Seller, seller_id)
            if (
                creator is None
                or seller is None
                or creator.team_id != team_id
                or seller.team_id != team_id
            ):
                raise PairNotFound()
            existing = session.exec(
                select(Outreach).where(
                    Outreach.team_id == team_id,
                    Outreach.creator_id == creator_id,
                    Outreach.seller_id == seller_id,
                )
            ).first()
            if existing is not None:
                raise UserError(
                    N_("@{handle} and {seller} are already in the pipeline ({stage}, <@{owner}>)."),
                    [f"/match pipeline @{creator.handle}"],
                    handle=creator.handle,
                    seller=escape(seller.name),
                    stage=existing.stage,
                    owner=existing.owner_user_id,
                )
            stage = OutreachStage.CONTACTED
            pair = Outreach(
                team_id=team_id,
                creator_id=creator_id,
                seller_id=seller_id,
                stage=stage,
                owner_user_id=user_id,
                stage_since=now,
                follow_up_on=due_on(stage, now),
                created_at=now,
                updated_at=now,
            )
            session.add(pair)
            session.flush()
            assert pair.id is not None
            session.add(
                OutreachStageChange(
                    team_id=team_id,
                    outreach_id=pair.id,
                    stage=stage,
                    previous_stage=OutreachStage.SUGGESTED,
                    changed_by=user_id,
                    changed_at=now,
                )
            )
            return pair
    except IntegrityError:  # the same pair started at the same moment by someone else
        raise UserError(
            N_("That pair was just added to the pipeline."), ["/match pipeline"]
        ) from None


def move_stage(
    engine: Engine,
    team_id: str,
    outreach_id: int,
    stage: str,
    user_id: str,
    now: datetime,
    reason: str = "",
) -> Outreach:
    """Move the pair to `stage`. Backwards or to declined needs a `reason` (UserError
    otherwise, nothing saved); moving to the stage it is in changes nothing."""
    if stage not in STAGES:
        raise UserError(
            N_("There is no pipeline stage `{stage}`."), ["/match pipeline"], stage=stage[:40]
        )
    reason = " ".join(reason.split())[:MAX_REASON]
    with transaction(engine) as session:
        pair = session.get(Outreach, outreach_id)
        if pair is None or pair.team_id != team_id:
            raise PairNotFound()
        if pair.stage == stage:
            return pair
        backwards = (
            stage != OutreachStage.DECLINED
            and pair.stage != OutreachStage.DECLINED
            and ORDER.index(OutreachStage(stage)) < ORDER.index(OutreachStage(pair.stage))
        )
        if (backwards or stage == OutreachStage.DECLINED) and not reason:
            raise UserError(
                N_("Say why you are declining a pair (from {before} to {after}).")
                if stage == OutreachStage.DECLINED
                else N_("Say why you are moving it back (from {before} to {after})."),
                before=pair.stage,
                after=stage,
            )
        session.add(
            OutreachStageChange(
                team_id=team_id,
                outreach_id=outreach_id,
                stage=stage,
                previous_stage=pair.stage,
                reason=reason or None,
                changed_by=user_id,
                changed_at=now,
            )
        )
        if stage == OutreachStage.SELLING:
            _record_collaboration(session, pair, now)
        pair.stage, pair.stage_since, pair.updated_at = stage, now, now
        pair.declined_reason = reason if stage == OutreachStage.DECLINED else None
        pair.follow_up_on, pair.follow_up_reminded_at = due_on(stage, now), None
        session.add(pair)
        return pair


def _record_collaboration(session: Session, pair: Outreach, now: datetime) -> None:
    """A pair that starts selling works together from now on: matchmaking leaves it out."""
    known = session.exec(
        select(Collaboration).where(
            Collaboration.team_id == pair.team_id,
            Collaboration.creator_id == pair.creator_id,
            Collaboration.seller_id == pair.seller_id,
        )
    ).first()
    if known is None:
        session.add(
            Collaboration(
                team_id=pair.team_id,
                creator_id=pair.creator_id,
                seller_id=pair.seller_id,
                since=now.date(),
            )
        )


def pipeline_items(
    engine: Engine,
    team_id: str,
    *,
    owner_user_id: str | None = None,
    seller_id: int | None = None,
    creator_id: int | None = None,
    limit: int = 200,
) -> list[PipelineItem]:
    """The pairs in the pipeline (a person's, a seller's or a creator's when named), those
    due first, then the resting ones newest first. What the App Home lists as a person's
    pipeline: `pipeline_items(engine, team_id, owner_user_id=user_id)`."""
    statement = (
        select(Outreach, Creator.handle, Seller.name)
        .join(Creator, col(Creator.id) == Outreach.creator_id)
        .join(Seller, col(Seller.id) == Outreach.seller_id)
        .where(Outreach.team_id == team_id)
    )
    if owner_user_id is not None:
        statement = statement.where(Outreach.owner_user_id == owner_user_id)
    if seller_id is not None:
        statement = statement.where(Outreach.seller_id == seller_id)
    if creator_id is not None:
        statement = statement.where(Outreach.creator_id == creator_id)
    statement = statement.order_by(
        col(Outreach.follow_up_on).is_(None),
        col(Outreach.follow_up_on),
        col(Outreach.updated_at).desc(),
        col(Outreach.id),
    ).limit(limit)
    with Session(engine) as session:
        return [_item(pair, handle, seller) for pair, handle, seller in session.exec(statement)]


def _item(pair: Outreach, handle: str, seller: str) -> PipelineItem:
    assert pair.id is not None
    return PipelineItem(
        id=pair.id,
        creator_id=pair.creator_id,
        handle=handle,
        seller_id=pair.seller_id,
        seller=seller,
        stage=pair.stage,
        owner_user_id=pair.owner_user_id,
        since=pair.stage_since,
        due_on=pair.follow_up_on,
        declined_reason=pair.declined_reason,
    )


def get_item(engine: Engine, team_id: str, outreach_id: int) -> PipelineItem:
    with Session(engine) as session:
        row = session.exec(
            select(Outreach, Creator.handle, Seller.name)
            .join(Creator, col(Creator.id) == Outreach.creator_id)
            .join(Seller, col(Seller.id) == Outreach.seller_id)
            .where(Outreach.team_id == team_id, Outreach.id == outreach_id)
        ).first()
    if row is None:
        raise PairNotFound()
    return _item(*row)


@dataclass(frozen=True)
class PairHistory:
    """A pair as the pipeline shows it, who added it and when, and each move since."""

    item: PipelineItem
    added_by: str  # a Slack user ID; "" when the move that started it was not recorded
    added_at: datetime
    moves: list[Edit]  # oldest first: each the stage before and after, who, when and why


def pair_history(engine: Engine, team_id: str, creator_id: int, seller_id: int) -> PairHistory:
    """The pair of the creator and seller and its stage moves, oldest first (PairNotFound when
    the workspace's pipeline has no such pair).

    Adding a pair moves it from suggested to contacted (`start_outreach`): that move is its
    addition, not a move of its own."""
    with Session(engine) as session:
        row = session.exec(
            select(Outreach, Creator.handle, Seller.name)
            .join(Creator, col(Creator.id) == Outreach.creator_id)
            .join(Seller, col(Seller.id) == Outreach.seller_id)
            .where(
                Outreach.team_id == team_id,
                Outreach.creator_id == creator_id,
                Outreach.seller_id == seller_id,
            )
        ).first()
        if row is None:
            raise PairNotFound()
        item = _item(*row)
        changes = list(
            session.exec(
                select(OutreachStageChange)
                .where(
                    OutreachStageChange.team_id == team_id,
                    OutreachStageChange.outreach_id == item.id,
                )
                .order_by(col(OutreachStageChange.changed_at), col(OutreachStageChange.id))
            ).all()
        )
        added_at = row[0].created_at
    start = changes[0] if changes else None
    if start is not None and start.previous_stage == OutreachStage.SUGGESTED:
        changes.pop(0)
        added_by, added_at = start.changed_by, start.changed_at
    else:
        added_by = ""
    moves = [
        Edit(
            c.changed_by,
            _aware(c.changed_at),
            (("stage", c.previous_stage, c.stage),),
            why=c.reason or "",
        )
        for c in changes
    ]
    return PairHistory(item, added_by, _aware(added_at), moves)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def stage_moves(engine: Engine, team_id: str, start: datetime, end: datetime) -> Counter[str]:
    """How many pairs reached each stage between `start` and `end` (the digest's week)."""
    statement = select(OutreachStageChange.stage).where(
        OutreachStageChange.team_id == team_id,
        col(OutreachStageChange.changed_at) >= start,
        col(OutreachStageChange.changed_at) < end,
    )
    with Session(engine) as session:
        return Counter(session.exec(statement).all())


def due_reminders(engine: Engine, team_id: str, today: date) -> list[PipelineItem]:
    """Pairs past their stage's days whose owner has not been reminded for this stage."""
    statement = (
        select(Outreach, Creator.handle, Seller.name)
        .join(Creator, col(Creator.id) == Outreach.creator_id)
        .join(Seller, col(Seller.id) == Outreach.seller_id)
        .where(
            Outreach.team_id == team_id,
            col(Outreach.follow_up_on) < today,
            col(Outreach.follow_up_reminded_at).is_(None),
        )
        .order_by(col(Outreach.follow_up_on), col(Outreach.id))
    )
    with Session(engine) as session:
        return [_item(*row) for row in session.exec(statement)]


def claim_reminder(engine: Engine, outreach_id: int, now: datetime) -> bool:
    """Mark the pair's reminder as sent; False when another process claimed it first."""
    statement = (
        update(Outreach)
        .where(and_(col(Outreach.id) == outreach_id, col(Outreach.follow_up_reminded_at).is_(None)))
        .values(follow_up_reminded_at=now)
    )
    with transaction(engine) as session:
        return bool(getattr(session.execute(statement), "rowcount", 0))


def overdue_count(engine: Engine, team_id: str, today: date) -> int:
    """How many pairs are past their stage's days on `today`."""
    statement = select(func.count()).where(
        Outreach.team_id == team_id, col(Outreach.follow_up_on) < today
    )
    with Session(engine) as session:
        return int(session.exec(statement).one())
