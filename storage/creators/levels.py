"""Creator level growth: the month's moves, who is close to the next level, managed creators
whose level has not moved, and onboarding checklists. Filtered by workspace; plain data out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, case, exists, func, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from storage.creators.models import Creator, CreatorLevelChange, CreatorStage, OnboardingStep
from storage.db import transaction
from storage.errors import N_, UserError
from storage.matchmaking.models import CreatorPerformance

CLOSE_SHARE = 0.8  # within 20% of the next level's GMV is "close"


@dataclass(frozen=True)
class LevelMove:
    handle: str
    level: int
    previous_level: int
    on: date


@dataclass(frozen=True)
class NearlyThere:
    handle: str
    level: int
    gmv_cents: int
    needed_cents: int


@dataclass(frozen=True)
class Stuck:
    handle: str
    level: int | None
    since: date | None  # the last level change, if any
    owner_user_id: str


@dataclass(frozen=True)
class Onboarding:
    creator_id: int
    handle: str
    steps: list[tuple[str, date | None]]  # (step, done on), in order

    @property
    def done(self) -> int:
        return sum(1 for _, day in self.steps if day is not None)

    @property
    def next_step(self) -> str | None:
        return next((step for step, day in self.steps if day is None), None)


def level_moves(engine: Engine, team_id: str, start: date, end: date) -> list[LevelMove]:
    """Level changes dated `start`..`end` from a known level, biggest jumps first."""
    statement = (
        select(
            Creator.handle,
            col(CreatorLevelChange.level),
            col(CreatorLevelChange.previous_level),
            col(CreatorLevelChange.effective_on),
        )
        .join(Creator, col(Creator.id) == CreatorLevelChange.creator_id)
        .where(
            CreatorLevelChange.team_id == team_id,
            col(CreatorLevelChange.effective_on) >= start,
            col(CreatorLevelChange.effective_on) <= end,
            col(CreatorLevelChange.previous_level).is_not(None),
        )
    )
    with Session(engine) as session:
        moves = [
            LevelMove(h, lv, prev, on)
            for h, lv, prev, on in session.exec(statement)
            if prev is not None and lv != prev
        ]
    return sorted(moves, key=lambda m: (-abs(m.level - m.previous_level), m.handle))


def nearly_there(
    engine: Engine, team_id: str, thresholds_cents: Sequence[int], limit: int = 15
) -> tuple[list[NearlyThere], int]:
    """Creators whose latest overall GMV is within reach of their next level's threshold
    (`thresholds_cents[i]` is what level i+1 needs), closest first; and how many in all."""
    next_needs = case(
        *[
            (col(Creator.level) == level - 1, needed)
            for level, needed in enumerate(thresholds_cents, start=1)
        ],
        else_=None,
    )
    gmv = col(CreatorPerformance.gmv_cents)
    statement = (
        select(Creator.handle, Creator.level, gmv, next_needs)
        # The team in the join lets the database find each creator's overall snapshots by
        # (team, creator, category) instead of reading every month of their history.
        .join(
            CreatorPerformance,
            and_(
                col(CreatorPerformance.team_id) == col(Creator.team_id),
                col(CreatorPerformance.creator_id) == col(Creator.id),
                col(CreatorPerformance.category_key) == "",
            ),
        )
        .where(
            Creator.team_id == team_id,
            CreatorPerformance.category_key == "",
            col(CreatorPerformance.latest).is_(True),
            col(Creator.level) < len(thresholds_cents),
            gmv >= next_needs * CLOSE_SHARE,
            gmv < next_needs,
        )
    )
    with Session(engine) as session:
        rows = [
            NearlyThere(h, int(lv or 0), int(g or 0), int(n))
            for h, lv, g, n in session.exec(statement)
        ]
    rows.sort(key=lambda r: (-(r.gmv_cents / r.needed_cents), r.handle))
    return rows[:limit], len(rows)


def nearly_there_in(
    engine: Engine,
    team_id: str,
    thresholds_cents: Sequence[int],
    first: date,
    last: date,
    limit: int = 15,
) -> tuple[list[NearlyThere], int]:
    """As `nearly_there`, for a month gone by: each creator's newest overall snapshot dated
    `first`..`last` (not the latest one), at the level the creator had on `last`."""
    snapshots = (
        select(
            col(CreatorPerformance.creator_id),
            Creator.handle,
            Creator.level,
            col(CreatorPerformance.gmv_cents),
        )
        .join(Creator, col(Creator.id) == CreatorPerformance.creator_id)
        .where(
            CreatorPerformance.team_id == team_id,
            CreatorPerformance.category_key == "",
            col(CreatorPerformance.as_of) >= first,
            col(CreatorPerformance.as_of) <= last,
        )
        .order_by(col(CreatorPerformance.as_of))  # the newest last, so it is the one kept
    )
    with Session(engine) as session:
        newest = {cid: (h, lv, g) for cid, h, lv, g in session.exec(snapshots)}
        history = session.exec(
            select(
                col(CreatorLevelChange.creator_id),
                col(CreatorLevelChange.level),
                col(CreatorLevelChange.previous_level),
                col(CreatorLevelChange.effective_on),
            )
            .where(
                CreatorLevelChange.team_id == team_id,
                col(CreatorLevelChange.creator_id).in_(list(newest)),
            )
            .order_by(col(CreatorLevelChange.effective_on), col(CreatorLevelChange.id))
        ).all()
    rows = []
    for creator_id, (handle, current, gmv) in newest.items():
        level = _level_on(last, current, [h[1:] for h in history if h[0] == creator_id])
        if level is None or not 0 <= level < len(thresholds_cents) or gmv is None:
            continue
        needed = thresholds_cents[level]
        if needed * CLOSE_SHARE <= gmv < needed:
            rows.append(NearlyThere(handle, level, int(gmv), int(needed)))
    rows.sort(key=lambda r: (-(r.gmv_cents / r.needed_cents), r.handle))
    return rows[:limit], len(rows)


def _level_on(
    day: date, current: int | None, changes: Sequence[tuple[int, int | None, date]]
) -> int | None:
    """A creator's level on `day` from its history (oldest first): the last change by then,
    else the level before the first change; the registry's level when there is no history."""
    before = [level for level, _, on in changes if on <= day]
    if before:
        return before[-1]
    return changes[0][1] if changes else current


def stuck_creators(
    engine: Engine, team_id: str, cutoff: date, limit: int = 15
) -> tuple[list[Stuck], int]:
    """Managed creators (with an owner) whose level has not changed since `cutoff` and who
    were in the registry before it; those unchanged longest first; and how many in all."""
    last_change = (
        select(func.max(CreatorLevelChange.effective_on))
        .where(CreatorLevelChange.creator_id == Creator.id)
        .scalar_subquery()
    )
    moved = exists().where(
        col(CreatorLevelChange.creator_id) == col(Creator.id),
        col(CreatorLevelChange.effective_on) >= cutoff,
    )
    where = (
        Creator.team_id == team_id,
        col(Creator.owner_user_id).is_not(None),
        col(Creator.stage).in_([CreatorStage.ACTIVE, CreatorStage.ONBOARDING]),
        col(Creator.created_at) < datetime.combine(cutoff, datetime.min.time()).astimezone(),
        ~moved,
    )
    statement = (
        select(Creator.handle, Creator.level, last_change, Creator.owner_user_id)
        .where(*where)
        .order_by(last_change.is_(None).desc(), last_change, col(Creator.handle))
        .limit(limit)
    )
    with Session(engine) as session:
        total = int(session.exec(select(func.count()).select_from(Creator).where(*where)).one())
        rows = [Stuck(h, lv, since, owner or "") for h, lv, since, owner in session.exec(statement)]
    return rows, total


def start_onboarding(
    engine: Engine, team_id: str, creator_id: int, steps: Sequence[str], user_id: str, now: datetime
) -> None:
    """Start the creator's checklist with `steps` and make them an onboarding creator;
    UserError when it is already started."""
    try:
        with transaction(engine) as session:
            creator = session.get(Creator, creator_id)
            assert creator is not None and creator.team_id == team_id
            started = session.exec(
                select(func.count()).where(
                    OnboardingStep.team_id == team_id, OnboardingStep.creator_id == creator_id
                )
            ).one()
            if started:
                raise UserError(
                    N_("@{handle}'s onboarding has started already."),
                    [f"/creator @{creator.handle}"],
                    handle=creator.handle,
                )
            for position, step in enumerate(steps):
                session.add(
                    OnboardingStep(
                        team_id=team_id,
                        creator_id=creator_id,
                        position=position,
                        step=step,
                        started_by=user_id,
                        started_at=now,
                    )
                )
            if creator.stage in (CreatorStage.PROSPECT, CreatorStage.CONTACTED):
                creator.stage = CreatorStage.ONBOARDING
            if creator.owner_user_id is None:
                creator.owner_user_id = user_id
            creator.updated_at = now
            session.add(creator)
    except IntegrityError:
        raise UserError(N_("That onboarding was just started by someone else.")) from None


def complete_step(
    engine: Engine, team_id: str, creator_id: int, position: int, user_id: str, today: date
) -> Onboarding:
    """Tick a step off (ticking a done step again changes nothing); the last one makes the
    creator active."""
    with transaction(engine) as session:
        step = session.exec(
            select(OnboardingStep).where(
                OnboardingStep.team_id == team_id,
                OnboardingStep.creator_id == creator_id,
                OnboardingStep.position == position,
            )
        ).first()
        if step is None:
            raise UserError(N_("That onboarding step is no longer there."), ["/creator levels"])
        if step.done_on is None:
            step.done_on, step.done_by = today, user_id
            session.add(step)
    # Read again once the tick is committed: two steps ticked at the same moment each see the
    # other's here, so the one that completes the list is never missed.
    with transaction(engine) as session:
        progress = _onboardings(session, team_id, [creator_id])[0]
        if progress.next_step is None:
            session.execute(
                update(Creator)
                .where(
                    col(Creator.id) == creator_id,
                    col(Creator.stage) == CreatorStage.ONBOARDING,
                )
                .values(stage=CreatorStage.ACTIVE)
            )
        return progress


def onboardings(
    engine: Engine,
    team_id: str,
    creator_ids: Sequence[int] | None = None,
    *,
    open_only: bool = False,
) -> list[Onboarding]:
    """The checklists (of the given creators, or all), each with its steps in order."""
    with Session(engine) as session:
        found = _onboardings(session, team_id, creator_ids)
    return [o for o in found if not open_only or o.next_step is not None]


def _onboardings(
    session: Session, team_id: str, creator_ids: Sequence[int] | None
) -> list[Onboarding]:
    statement = (
        select(OnboardingStep, Creator.handle)
        .join(Creator, col(Creator.id) == OnboardingStep.creator_id)
        .where(OnboardingStep.team_id == team_id)
        .order_by(col(Creator.handle), col(OnboardingStep.position))
    )
    if creator_ids is not None:
        statement = statement.where(col(OnboardingStep.creator_id).in_(list(creator_ids)))
    grouped: dict[int, Onboarding] = {}
    for step, handle in session.exec(statement):
        entry = grouped.setdefault(step.creator_id, Onboarding(step.creator_id, handle, []))
        entry.steps.append((step.step, step.done_on))
    return list(grouped.values())
