"""Alert rules and their firings: the database side of "an alert fires once".

A firing is one scheduled post, keyed by (rule, day): it is claimed, posted, retried and taken
over like every scheduled post (storage.deliveries), so of several replicas checking at once
exactly one posts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import or_, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from storage.db import exclusive_transaction, transaction
from storage.errors import UserError
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


def add_rule(engine: Engine, draft: RuleDraft, now: datetime) -> tuple[AlertRule, bool]:
    """Save the rule under the workspace's next number; (the rule, True). A rule that asks
    for exactly what one already asks (metric, scope, rule, threshold, channel) is not saved
    again: (that rule, False). UserError (nothing saved) when the workspace has MAX_RULES.
    Looked up, counted, numbered and inserted alone among the workspace's rule changes, so two
    at once can neither both take the last place nor be given one number."""
    with exclusive_transaction(engine, f"alert-rules:{draft.team_id}") as session:
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
