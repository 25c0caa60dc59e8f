"""Alert rules and their firings: the database side of "an alert fires once".

A firing is one scheduled post, keyed by (rule, day): it is claimed, posted, retried and taken
over like every scheduled post (storage.delivery.posts), so of several replicas checking at once
exactly one posts.

A rule lives as every authored record does (storage.authored): only its author or an admin
removes or mutes it; a removed rule stops firing and leaves every list, and an admin can
restore it, under its number, for 30 days, after which it is purged.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import or_, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from storage.alerts.models import ALERT_RULE_TABLE, AlertFiring, AlertNumbers, AlertRule
from storage.authored import Authored
from storage.db import exclusive_transaction, transaction
from storage.delivery.models import RunStatus
from storage.effects import EffectKey, made_in, record_made
from storage.errors import N_, Usage, UserError

MAX_RULES = 50  # per workspace
_LIVE = col(AlertRule.deleted_at).is_(None)


class AlertNotFound(UserError):
    """No alert by that number: never added, removed over 30 days ago, or removed (then by
    whom and how to bring it back)."""

    def __init__(
        self, number: int, *, removed: bool = False, removed_by: str | None = None
    ) -> None:
        if not removed:
            super().__init__(
                N_("There is no alert {number} in this workspace."), ["/alert list"], number=number
            )
        else:
            super().__init__(
                N_(
                    "Alert {number} was removed by <@{who}>: an admin can restore it within 30 "
                    "days of its removal with `/alert restore {number}`."
                )
                if removed_by
                else N_(
                    "Alert {number} was removed: an admin can restore it within 30 days of "
                    "its removal with `/alert restore {number}`."
                ),
                ["/alert list", f"/alert restore {number}"],
                number=number,
                who=removed_by or "",
            )
        self.number, self.removed = number, removed


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
        same = _asking_the_same(session, draft.team_id, draft)
        if same is not None:
            return same, False
        _refuse_when_full(session, draft.team_id)
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


def _asking_the_same(
    session: Session, team_id: str, wanted: RuleDraft | AlertRule
) -> AlertRule | None:
    """The workspace's live rule that asks exactly what `wanted` asks (metric, scope, rule,
    threshold, channel), the lowest number first; None when there is none."""
    return session.exec(
        select(AlertRule)
        .where(
            AlertRule.team_id == team_id,
            _LIVE,
            AlertRule.metric == wanted.metric,
            _same(col(AlertRule.category), wanted.category),
            _same(col(AlertRule.seller_id), wanted.seller_id),
            AlertRule.rule == wanted.rule,
            AlertRule.baseline == wanted.baseline,
            _same(col(AlertRule.percent), wanted.percent),
            _same(col(AlertRule.threshold), wanted.threshold),
            AlertRule.channel_id == wanted.channel_id,
        )
        .order_by(col(AlertRule.number))
    ).first()


def _refuse_when_full(session: Session, team_id: str) -> None:
    """UserError when the workspace already has MAX_RULES live rules."""
    count = session.exec(
        select(func.count()).select_from(AlertRule).where(AlertRule.team_id == team_id, _LIVE)
    ).one()
    if count >= MAX_RULES:
        raise UserError(
            N_(
                "This workspace has {most} alert rules, the most it can have. Remove one "
                "first (`/alert list` numbers them)."
            ),
            ["/alert list", Usage("/alert", "remove")],
            most=MAX_RULES,
        )


def _same(column: Any, value: object) -> Any:
    return column.is_(None) if value is None else column == value


def team_rules(engine: Engine, team_id: str) -> list[AlertRule]:
    """The workspace's rules by number, oldest first (removed ones left out)."""
    with Session(engine) as session:
        return list(
            session.exec(
                select(AlertRule)
                .where(AlertRule.team_id == team_id, _LIVE)
                .order_by(col(AlertRule.number))
            ).all()
        )


def rule_by_id(engine: Engine, team_id: str, rule_id: int) -> AlertRule | None:
    with Session(engine) as session:
        rule = session.get(AlertRule, rule_id)
        return rule if rule is not None and rule.team_id == team_id else None


_LIFE: Authored[AlertRule] = Authored(
    table=ALERT_RULE_TABLE,
    noun="alert",
    author=N_("the alert's author"),
    author_column="created_by",
    not_found=AlertNotFound,
    views=lambda team_id: ALERT_RULE_TABLE.select().where(ALERT_RULE_TABLE.c.team_id == team_id),
    to_view=lambda row: AlertRule(**row),
    deleted=lambda number, by: AlertNotFound(number, removed=True, removed_by=by),
    key_column="number",
    removal="remove",
)
# Named by number: remove_rule(engine, team_id, 3, **changed_by) removes "Alert 3";
# rule_numbered(engine, team_id, 3) reads it (AlertNotFound when there is none, saying so
# when it was removed).
rule_numbered = _LIFE.get
remove_rule = _LIFE.delete
purge_removed_rules = _LIFE.purge


def restore_rule(
    engine: Engine,
    team_id: str,
    number: int,
    *,
    user_id: str,
    admins: Collection[str],
    now: datetime,
) -> AlertRule:
    """Bring a removed rule back under its number (an admin, within 30 days), as every
    authored record; refused (UserError) when the workspace has MAX_RULES meanwhile or a
    live rule already asks exactly the same, which would post every alert twice. Checked and
    restored alone among the workspace's rule changes, as `add_rule` adds."""

    def allowed(removed: Any) -> None:
        same = _asking_the_same(session, team_id, removed)
        if same is not None:
            raise UserError(
                N_(
                    "Alert {same} already does what alert {number} did, so "
                    "alert {number} stays removed."
                ),
                ["/alert list"],
                same=same.number,
                number=number,
            )
        _refuse_when_full(session, team_id)

    with exclusive_transaction(engine, f"alert-rules:{team_id}") as session:
        return _LIFE.restore_in(
            session.connection(),
            team_id,
            number,
            user_id=user_id,
            admins=admins,
            now=now,
            allowed=allowed,
        )


def mute_rule(
    engine: Engine,
    team_id: str,
    number: int,
    until: datetime,
    *,
    user_id: str,
    admins: Collection[str],
    now: datetime,
) -> AlertRule:
    """Silence the rule until `until`: it stops alerting the whole channel, so only its
    author or an admin may, as for a removal."""
    with transaction(engine) as session:
        connection = session.connection()
        row = _LIFE.for_change(connection, team_id, number)
        _LIFE.require_author_or_admin(row, user_id, admins, "mute")
        connection.execute(
            update(ALERT_RULE_TABLE)
            .where(ALERT_RULE_TABLE.c.id == row.id)
            .values(muted_until=until, muted_by=user_id)
        )
        return _LIFE.one(connection, team_id, number)


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
    """The alerts posted for days since `since`, newest first, with their rules (not removed
    ones); limited to rules in `categories` and workspace-wide ones when categories are given."""
    statement = (
        select(AlertFiring, AlertRule)
        .join(AlertRule, col(AlertRule.id) == col(AlertFiring.rule_id))
        .where(
            AlertFiring.team_id == team_id,
            _LIVE,
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
