"""Upgrading a database with both kinds of subscription in their old tables: every row arrives in
the one subscription table with its meaning, and the posts made before still belong to their
subscription, so nothing posted before is posted again. On SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from scratch import scratch_postgres  # bench/scratch.py
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from storage.db import make_engine
from storage.delivery import posts as deliveries
from storage.delivery import subscriptions
from storage.delivery.digests import NewRun, claim_run
from storage.delivery.models import DigestRun, Subscription, SubscriptionKind
from storage.reviews.models import ReviewReportPost
from storage.schema import upgrade
from tests.conftest import POSTGRES_ADMIN_URL

WEEKLY, MONTHLY = SubscriptionKind.WEEKLY_DIGEST, SubscriptionKind.MONTHLY_REVIEW_REPORT
NOW = datetime(2026, 12, 7, 9, tzinfo=UTC)

# (id, team, channel, name, weekdays, time, zone, category, seller keys, sections, by, status,
# last error) as the digest's table held them.
DIGESTS = [
    (1, "T1", "C0KPI", "lifestyle-kpi", "mon,thu", "08:30", "Europe/Berlin", "Home & Living",
     '["S1", "S2"]', '["kpis", "gaps"]', "U0TOM", "active", None),
    (2, "T1", "C0GEN", "general", "fri", "17:00", "America/New_York", None,
     "[]", "[]", "U0MARIA", "stopped", None),
    (4, "T2", "C0OTHER", "other-kpi", "mon", "09:00", "UTC", None,
     "[]", "[]", "U0SAM", "failing", "not_in_channel"),
]  # fmt: skip
# (id, team, channel, name, time, zone, category, by, status, last error) as the monthly
# review report's table held them: id 1 as a digest's, and a channel with both kinds.
REVIEW_REPORTS = [
    (1, "T1", "C0KPI", "lifestyle-kpi", "07:00", "Europe/Berlin", "Kitchenware", "U0MARIA",
     "active", None),
    (2, "T2", "C0OTHER", "other-kpi", "09:00", "UTC", None, "U0SAM", "stopped",
     "channel_not_found"),
]  # fmt: skip
# (id, subscription, period) and (id, subscription, month) of the posts made before.
RUNS = [(10, 1, "2026-11-30"), (11, 4, "2026-11-30"), (12, 1, "send 2026-12-01T10:00")]
POSTS = [(20, 1, date(2026, 11, 1)), (21, 2, date(2026, 11, 1)), (22, 1, date(2026, 12, 1))]


@pytest.fixture(params=["sqlite", "postgresql"])
def blank_engine(request: pytest.FixtureRequest, tmp_path) -> Iterator[Engine]:
    """An empty database of its own on each backend, for migrating step by step."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'subscriptions.db'}")
        yield engine
        engine.dispose()
        return
    request.getfixturevalue("postgres_url")  # skips when PostgreSQL does not answer
    with scratch_postgres(POSTGRES_ADMIN_URL, "shopbot_subscriptions") as url:
        engine = make_engine(url)
        yield engine
        engine.dispose()


DIGEST_FIELDS = ("id", "team", "channel", "name", "days", "at", "zone", "category", "keys",
                 "sections", "by", "status", "error")  # fmt: skip
REPORT_FIELDS = ("id", "team", "channel", "name", "at", "zone", "category", "by", "status", "error")


def _seed_the_old_tables(engine: Engine) -> None:
    with engine.begin() as connection:
        for row in DIGESTS:
            values = dict(zip(DIGEST_FIELDS, row, strict=True))
            # JSON written as SQL literals: a bound string is no JSON to PostgreSQL.
            keys, sections = values.pop("keys"), values.pop("sections")
            connection.execute(
                text(
                    "INSERT INTO digestsubscription (id, team_id, channel_id, channel_name, "
                    "weekdays, post_time, timezone, category, seller_keys, sections, created_by, "
                    "status, last_error, created_at, active_since) VALUES (:id, :team, "
                    f":channel, :name, :days, :at, :zone, :category, '{keys}', '{sections}', "
                    ":by, :status, :error, '2026-10-01 08:00:00', '2026-10-02 08:00:00')"
                ),
                values,
            )
        for row in REVIEW_REPORTS:
            connection.execute(
                text(
                    "INSERT INTO reviewreportsubscription (id, team_id, channel_id, channel_name, "
                    "post_time, timezone, category, created_by, status, last_error, created_at, "
                    "active_since) VALUES (:id, :team, :channel, :name, :at, :zone, :category, "
                    ":by, :status, :error, '2026-10-01 08:00:00', '2026-10-03 08:00:00')"
                ),
                dict(zip(REPORT_FIELDS, row, strict=True)),
            )
        team_of = {row[0]: row[1] for row in DIGESTS}
        for id_, subscription, period in RUNS:
            values = {"id": id_, "team": team_of[subscription], "sub": subscription}
            connection.execute(
                text(
                    "INSERT INTO digestrun (id, team_id, subscription_id, period, status, "
                    "claimed_by, claimed_at, attempts, posted_at, message_ts) VALUES (:id, "
                    ":team, :sub, :period, 'posted', 'old', '2026-11-30 08:00:00', 1, "
                    "'2026-11-30 08:00:05', :ts)"
                ),
                {**values, "period": period, "ts": f"17000000{id_}.000100"},
            )
        team_of = {row[0]: row[1] for row in REVIEW_REPORTS}
        for id_, subscription, month in POSTS:
            values = {"id": id_, "team": team_of[subscription], "sub": subscription}
            connection.execute(
                text(
                    "INSERT INTO reviewreportpost (id, team_id, subscription_id, month, status, "
                    "claimed_at, posted_at, message_ts) VALUES (:id, :team, :sub, :month, "
                    "'posted', '2026-12-01 06:00:00', '2026-12-01 06:00:09', :ts)"
                ),
                {**values, "month": month, "ts": f"17000000{id_}.000200"},
            )


def _by_kind_and_channel(engine: Engine) -> dict[tuple[str, str, str], Subscription]:
    with Session(engine) as session:
        found = session.exec(select(Subscription)).all()
    return {(s.kind, s.team_id, s.channel_id): s for s in found}


def test_every_subscription_arrives_with_its_meaning(blank_engine: Engine) -> None:
    upgrade(blank_engine, "0021")
    _seed_the_old_tables(blank_engine)
    upgrade(blank_engine)

    found = _by_kind_and_channel(blank_engine)
    assert len(found) == len(DIGESTS) + len(REVIEW_REPORTS)
    for (
        id_,
        team,
        channel,
        name,
        days,
        at,
        zone,
        category,
        keys,
        sections,
        by,
        status,
        error,
    ) in DIGESTS:
        digest = found[(WEEKLY, team, channel)]
        assert digest.id == id_  # its runs still point to it
        assert (digest.channel_name, digest.weekdays, digest.post_time, digest.timezone) == (
            name,
            days,
            at,
            zone,
        )
        assert (digest.category, digest.created_by, digest.status, digest.last_error) == (
            category,
            by,
            status,
            error,
        )
        assert (digest.seller_keys, digest.sections) == (
            [] if keys == "[]" else ["S1", "S2"],
            [] if sections == "[]" else ["kpis", "gaps"],
        )
        assert digest.created_at == datetime(2026, 10, 1, 8, tzinfo=UTC)
        assert digest.active_since == datetime(2026, 10, 2, 8, tzinfo=UTC)
    for _, team, channel, name, at, zone, category, by, status, error in REVIEW_REPORTS:
        report = found[(MONTHLY, team, channel)]
        assert (report.channel_name, report.post_time, report.timezone, report.category) == (
            name,
            at,
            zone,
            category,
        )
        assert (report.created_by, report.status, report.last_error) == (by, status, error)
        assert (report.weekdays, report.seller_keys, report.sections) == ("", [], [])
        assert report.active_since == datetime(2026, 10, 3, 8, tzinfo=UTC)

    # The workspace's lists see each kind apart, as the two tables did.
    assert [s.channel_name for s in subscriptions.listed(blank_engine, "T1", WEEKLY)] == [
        "lifestyle-kpi"
    ]
    assert [s.category for s in subscriptions.live(blank_engine, "T1", MONTHLY)] == ["Kitchenware"]
    assert subscriptions.live(blank_engine, "T2", MONTHLY) == []


def test_the_posts_made_before_still_belong_to_their_subscription(blank_engine: Engine) -> None:
    upgrade(blank_engine, "0021")
    _seed_the_old_tables(blank_engine)
    upgrade(blank_engine)

    found = _by_kind_and_channel(blank_engine)
    digest_channel = {row[0]: (row[1], row[2]) for row in DIGESTS}
    report_channel = {row[0]: (row[1], row[2]) for row in REVIEW_REPORTS}
    by_id = {s.id: s for s in found.values()}
    with Session(blank_engine) as session:
        runs = {run.id: run for run in session.exec(select(DigestRun)).all()}
        posts = {post.id: post for post in session.exec(select(ReviewReportPost)).all()}
    for id_, old_subscription, period in RUNS:
        owner = by_id[runs[id_].subscription_id]
        assert (owner.kind, owner.team_id, owner.channel_id) == (
            WEEKLY,
            *digest_channel[old_subscription],
        )
        assert runs[id_].period == period
    for id_, old_subscription, month in POSTS:
        owner = by_id[posts[id_].subscription_id]
        assert (owner.kind, owner.team_id, owner.channel_id) == (
            MONTHLY,
            *report_channel[old_subscription],
        )
        assert posts[id_].month == month

    # Claiming a period or a month posted before finds it taken: it is not posted again.
    for _, old_subscription, period in RUNS:
        team, channel = digest_channel[old_subscription]
        subscription_id = found[(WEEKLY, team, channel)].id
        assert subscription_id is not None
        again = NewRun(team, subscription_id, period, NOW, date(2026, 11, 23))
        assert claim_run(blank_engine, again, "after-upgrade", NOW) is None
    for _, old_subscription, month in POSTS:
        team, channel = report_channel[old_subscription]
        values = {
            "team_id": team,
            "subscription_id": found[(MONTHLY, team, channel)].id,
            "month": month,
        }
        key = ("subscription_id", "month")
        assert deliveries.claim(blank_engine, ReviewReportPost, key, values, "w", NOW) is None

    # A channel subscribed after the upgrade gets an id of its own.
    draft = subscriptions.SubscriptionDraft(
        team_id="T1",
        kind=MONTHLY,
        channel_id="C0NEW",
        channel_name="new",
        post_time="09:00",
        timezone="UTC",
        category=None,
        user_id="U0TOM",
    )
    added, created = subscriptions.save(blank_engine, draft, NOW)
    assert created and added.id not in by_id


def test_a_report_cut_off_while_posting_keeps_the_marker_it_was_posted_under(
    blank_engine: Engine,
) -> None:
    """Its Slack call had started (posting, or retrying after a timeout): the report may be in
    the channel under a marker built from the old subscription id, which the upgrade changes,
    so the takeover looks for that marker and does not post the report again."""
    upgrade(blank_engine, "0021")
    _seed_the_old_tables(blank_engine)
    with blank_engine.begin() as connection:
        for id_, status, posting_at in ((30, "posting", "'2026-12-01 06:00:02'"),
                                        (31, "retrying", "'2026-12-01 06:00:02'"),
                                        (32, "claimed", "NULL")):  # fmt: skip
            connection.execute(
                text(
                    "INSERT INTO reviewreportpost (id, team_id, subscription_id, month, status, "
                    f"claimed_at, posting_at) VALUES (:id, 'T2', 2, :month, :status, "
                    f"'2026-12-01 06:00:00', {posting_at})"
                ),
                {"id": id_, "month": date(2026, 10 - (id_ - 30), 1), "status": status},
            )
    upgrade(blank_engine)

    with Session(blank_engine) as session:
        posts = {post.id: post for post in session.exec(select(ReviewReportPost)).all()}
    assert posts[30].marker == "shopbot-review-report-2-2026-10"
    assert posts[31].marker == "shopbot-review-report-2-2026-09"
    assert posts[32].marker is None  # not begun: posted under its new subscription's marker
    assert {posts[n].marker for n, _, _ in POSTS} == {None}  # posted: never looked for again
    assert posts[30].subscription_id != 2  # the subscription was renumbered
