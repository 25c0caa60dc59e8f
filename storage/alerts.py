"""Alert rules and their firings: the database side of "an alert fires once".

A firing is claimed by inserting its (rule, day) row under a unique constraint (INSERT … ON
CONFLICT DO NOTHING), as digest runs are, so of several replicas checking at once exactly one
posts. After that a firing moves only through its lease (claimed_by, attempts), so a checker
that lost it can no longer change it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from storage.db import exclusive_transaction, transaction
from storage.effects import EffectKey, made_in, record_made
from storage.errors import UserError
from storage.leases import Lease, change_if_held
from storage.models import AlertFiring, AlertNumbers, AlertRule, RunStatus

MAX_RULES = 50  # per workspace
_firings = AlertFiring.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class RuleDraft:
    """What `/alert add` asks for, validated."""

    team_id: str
    metric: str
    category: str | None
    seller_id: int | None
    rule: str
    baseline: str
    percent: int | None
    threshold: Decimal | None
    channel_id: str
    channel_name: str
    created_by: str


def add_rule(
    engine: Engine, draft: RuleDraft, now: datetime, made_by: EffectKey | None = None
) -> tuple[AlertRule, bool]:
    """Save the rule under the workspace's next number; (the rule, True). A rule that asks
    for exactly what one already asks (metric, scope, rule, threshold, channel) is not saved
    again: (that rule, False). UserError (nothing saved) when the workspace has MAX_RULES.
    Looked up, counted, numbered and inserted alone among the workspace's rule changes, so two
    at once can neither both take the last place nor be given one number. `made_by`: the
    request's effect, kept with the rule, so the same request done again (resumed) finds the
    rule it saved: (that rule, True)."""
    with exclusive_transaction(engine, f"alert-rules:{draft.team_id}") as session:
        made = made_in(session, made_by) if made_by is not None else None
        own = session.get(AlertRule, int(made)) if made and made.isdigit() else None
        if own is not None and own.team_id == draft.team_id:
            return own, True
        same = session.exec(
            select(AlertRule)
            .where(
                AlertRule.team_id == draft.team_id,
                AlertRule.metric == draft.metric,
                _same(col(AlertRule.category), draft.category),
                _same(col(AlertRule.seller_id), draft.seller_id),
                AlertRule.rule == draft.rule,
                AlertRule.baseline == draft.baseline,
                _same(col(AlertRule.percent), draft.percent),
                _same(col(AlertRule.threshold), draft.threshold),
                AlertRule.channel_id == draft.channel_id,
            )
            .order_by(col(AlertRule.number))
        ).first()
        if same is not None:
            return same, False
        count = session.exec(
            select(func.count()).select_from(AlertRule).where(AlertRule.team_id == draft.team_id)
        ).one()
        if count >= MAX_RULES:
            raise UserError(
                f"This workspace has {MAX_RULES} alert rules, the most it can have. Remove one "
                "first (`/alert list` numbers them).",
                ["/alert list", "/alert remove <n>"],
            )
        given = session.get(AlertNumbers, draft.team_id) or AlertNumbers(team_id=draft.team_id)
        given.last += 1
        session.add(given)
        rule = AlertRule(
            team_id=draft.team_id,
            number=given.last,
            metric=draft.metric,
            category=draft.category,
            seller_id=draft.seller_id,
            rule=draft.rule,
            baseline=draft.baseline,
            percent=draft.percent,
            threshold=draft.threshold,
            channel_id=draft.channel_id,
            channel_name=draft.channel_name,
            created_by=draft.created_by,
            created_at=now,
        )
        session.add(rule)
        session.flush()
        if made_by is not None:
            record_made(session, made_by, str(rule.id))
        return rule, True


def _same(column: Any, value: object) -> Any:
    return column.is_(None) if value is None else column == value


def team_rules(engine: Engine, team_id: str) -> list[AlertRule]:
    """The workspace's rules by number, oldest first."""
    with Session(engine) as session:
        return list(
            session.exec(
                select(AlertRule)
                .where(AlertRule.team_id == team_id)
                .order_by(col(AlertRule.number))
            ).all()
        )


def rule_numbered(engine: Engine, team_id: str, number: int) -> AlertRule | None:
    """The workspace's rule with that number; None when there is none (or it was removed)."""
    with Session(engine) as session:
        return session.exec(
            select(AlertRule).where(AlertRule.team_id == team_id, AlertRule.number == number)
        ).first()


def rule_by_id(engine: Engine, team_id: str, rule_id: int) -> AlertRule | None:
    with Session(engine) as session:
        rule = session.get(AlertRule, rule_id)
        return rule if rule is not None and rule.team_id == team_id else None


def remove_rule(engine: Engine, team_id: str, rule_id: int) -> bool:
    with transaction(engine) as session:
        rule = session.get(AlertRule, rule_id)
        if rule is None or rule.team_id != team_id:
            return False
        session.delete(rule)
        return True


def mute_rule(engine: Engine, team_id: str, rule_id: int, until: datetime, user_id: str) -> bool:
    with transaction(engine) as session:
        result = session.execute(
            update(AlertRule)
            .where(col(AlertRule.id) == rule_id, col(AlertRule.team_id) == team_id)
            .values(muted_until=until, muted_by=user_id)
        )
        return getattr(result, "rowcount", 0) == 1


# ---- firings -------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewFiring:
    team_id: str
    rule_id: int
    day: date
    severity: Decimal
    message: str
    summary: str
    channel_id: str


def claim_firing(engine: Engine, new: NewFiring, checker: str, now: datetime) -> AlertFiring | None:
    """Insert the firing's row; None when the rule already fired (or is firing) that day."""
    values: dict[str, Any] = {
        "team_id": new.team_id,
        "rule_id": new.rule_id,
        "day": new.day,
        "status": RunStatus.CLAIMED,
        "claimed_by": checker,
        "claimed_at": now,
        "attempts": 1,
        "severity": new.severity,
        "message": new.message[:3000],
        "summary": new.summary[:300],
        "channel_id": new.channel_id,
    }
    with transaction(engine) as session:
        insert = (
            postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
        )
        statement = (
            insert(_firings)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["rule_id", "day"])
            .returning(_firings.c.id)
        )
        firing_id = session.execute(statement).scalar_one_or_none()
        return None if firing_id is None else session.get(AlertFiring, firing_id)


def _move(engine: Engine, lease: Lease, **values: Any) -> bool:
    return change_if_held(engine, AlertFiring, lease, **values)


def mark_posted(engine: Engine, lease: Lease, now: datetime, message_ts: str) -> bool:
    return _move(
        engine,
        lease,
        status=RunStatus.POSTED,
        posted_at=now,
        message_ts=message_ts,
        error=None,
        next_attempt_at=None,
    )


def mark_retrying(engine: Engine, lease: Lease, when: datetime, error: str) -> bool:
    return _move(engine, lease, status=RunStatus.RETRYING, next_attempt_at=when, error=error[:500])


def mark_failed(engine: Engine, lease: Lease, error: str) -> bool:
    return _move(engine, lease, status=RunStatus.FAILED, error=error[:500], next_attempt_at=None)


def due_retries(engine: Engine, team_id: str, now: datetime, lease: timedelta) -> list[AlertFiring]:
    """The workspace's firings to post again: retries that are due, and claims whose checker
    vanished."""
    stale = and_(
        col(AlertFiring.status) == RunStatus.CLAIMED, col(AlertFiring.claimed_at) < now - lease
    )
    due = and_(
        col(AlertFiring.status) == RunStatus.RETRYING, col(AlertFiring.next_attempt_at) <= now
    )
    with Session(engine) as session:
        return list(
            session.exec(
                select(AlertFiring)
                .where(AlertFiring.team_id == team_id, or_(stale, due))
                .order_by(col(AlertFiring.id))
            )
        )


def firings_of(engine: Engine, rule_id: int, first: date, last: date) -> list[AlertFiring]:
    """The rule's firings on days first..last (whatever their status), oldest first."""
    with Session(engine) as session:
        return list(
            session.exec(
                select(AlertFiring)
                .where(AlertFiring.rule_id == rule_id, col(AlertFiring.day).between(first, last))
                .order_by(col(AlertFiring.day))
            ).all()
        )


def firing_by_id(engine: Engine, team_id: str, firing_id: int) -> AlertFiring | None:
    with Session(engine) as session:
        firing = session.get(AlertFiring, firing_id)
        return firing if firing is not None and firing.team_id == team_id else None


def acknowledge(
    engine: Engine, team_id: str, firing_id: int, user_id: str, now: datetime
) -> AlertFiring | None:
    """Record who acknowledged the alert (the first to do so stays recorded)."""
    with transaction(engine) as session:
        firing = session.get(AlertFiring, firing_id, with_for_update=True)
        if firing is None or firing.team_id != team_id:
            return None
        if firing.acknowledged_by is None:
            firing.acknowledged_by, firing.acknowledged_at = user_id, now
            session.add(firing)
            session.flush()
        return firing


def fired_since(
    engine: Engine, team_id: str, since: date, categories: Sequence[str] = (), limit: int = 50
) -> list[tuple[AlertFiring, AlertRule]]:
    """The alerts posted for days since `since`, newest first, with their rules; limited to
    rules in `categories` and workspace-wide ones when categories are given."""
    statement = (
        select(AlertFiring, AlertRule)
        .join(AlertRule, col(AlertRule.id) == col(AlertFiring.rule_id))
        .where(
            AlertFiring.team_id == team_id,
            col(AlertFiring.day) >= since,
            col(AlertFiring.status) == RunStatus.POSTED,
        )
        .order_by(col(AlertFiring.day).desc(), col(AlertFiring.id).desc())
        .limit(limit)
    )
    if categories:
        statement = statement.where(
            or_(col(AlertRule.category).is_(None), col(AlertRule.category).in_(list(categories)))
        )
    with Session(engine) as session:
        return [(firing, rule) for firing, rule in session.exec(statement).all()]
