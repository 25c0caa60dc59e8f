"""The migrations build exactly the schema the models declare, on both databases."""

from __future__ import annotations

import ast
import random
import struct
from collections import Counter, defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from scratch import scratch_postgres  # bench/scratch.py
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, select

from storage.alerts.models import AlertRule
from storage.alerts.rules import RuleDraft, add_rule, remove_rule, restore_rule, team_rules
from storage.columns import table_of
from storage.db import held_by, make_engine, transaction
from storage.delivery.models import DigestRun, Subscription, SubscriptionKind
from storage.kpis.models import (
    FIGURE_COLUMNS,
    DailyCategoryKpi,
    DailyCategorySellers,
    DailySellerKpi,
    WeeklySellerKpi,
)
from storage.kpis.reads import Scope, seller_counts
from storage.note_search import include_name
from storage.reviews.scorecard import SCORECARD
from storage.schema import (
    MIGRATIONS,
    SchemaOutOfDate,
    require_current_schema,
    schema_state,
    upgrade,
)
from storage.sellers.models import Seller
from storage.tables import MODULES
from tests.conftest import POSTGRES_ADMIN_URL

FIGURES = [c for c in FIGURE_COLUMNS if c != "gmv_cents"]


def test_migrations_match_models(engine: Engine) -> None:
    with engine.connect() as connection:
        # The full-text search objects exist only in the migration (see storage.note_search).
        opts = {"compare_type": True, "include_name": include_name}
        context = MigrationContext.configure(connection, opts=opts)
        assert compare_metadata(context, SQLModel.metadata) == []
    assert schema_state(engine).up_to_date


def test_empty_database_is_refused_with_the_fixing_command(tmp_path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    with pytest.raises(SchemaOutOfDate, match="shopbot db upgrade"):
        require_current_schema(engine)
    upgrade(engine)
    require_current_schema(engine)


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'wal.db'}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


def _seller(team_id: str = "T1", key: str = "S1") -> Seller:
    return Seller(team_id=team_id, seller_key=key, name="Casa Bonita", category="Home & Living")


def test_money_round_trips_exactly(engine: Engine) -> None:
    huge = 9_007_199_254_740_993  # 2**53 + 1: a float would lose the last cent
    with transaction(engine) as session:
        seller = _seller()
        session.add(seller)
        session.flush()
        assert seller.id is not None
        session.add(
            DailySellerKpi(
                team_id="T1",
                seller_id=seller.id,
                day=date(2026, 11, 2),
                category="Home & Living",
                gmv_cents=huge,
                live_gmv_cents=1,
            )
        )
    with Session(engine) as session:
        row = session.exec(select(DailySellerKpi)).one()
        assert row.gmv_cents == huge
        assert isinstance(row.gmv_cents, int)


def test_one_kpi_row_per_seller_and_day(engine: Engine) -> None:
    with transaction(engine) as session:
        seller = _seller()
        session.add(seller)
    day = date(2026, 11, 2)
    with transaction(engine) as session:
        session.add(DailySellerKpi(team_id="T1", seller_id=seller.id, day=day, category="x"))
    with pytest.raises(IntegrityError), transaction(engine) as session:
        session.add(DailySellerKpi(team_id="T1", seller_id=seller.id, day=day, category="x"))
    with Session(engine) as session:
        assert len(session.exec(select(DailySellerKpi)).all()) == 1


@pytest.fixture(params=["sqlite", "postgresql"])
def blank_engine(request: pytest.FixtureRequest, tmp_path) -> Iterator[Engine]:
    """An empty database of its own on each backend, for migrating step by step."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'steps.db'}")
        yield engine
        engine.dispose()
        return
    request.getfixturevalue("postgres_url")  # skips when PostgreSQL does not answer
    with scratch_postgres(POSTGRES_ADMIN_URL, "shopbot_steps") as url:
        engine = make_engine(url)
        yield engine
        engine.dispose()


def test_upgrades_keep_every_seller_day_and_sum_its_weeks(blank_engine: Engine) -> None:
    upgrade(blank_engine, "0004")
    with blank_engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO seller (id, team_id, seller_key, name, category, categories, market, "
                "status, created_at, updated_at) VALUES (7, 'T1', 'S7', 'Casa', 'Home', '[]', "
                "'US', 'active', '2026-11-01', '2026-11-01')"
            )
        )
        for day, gmv in (("2026-11-01", 150), ("2026-11-02", 275)):
            connection.execute(
                text(
                    "INSERT INTO dailysellerkpi (team_id, seller_id, day, category, gmv_cents, "
                    + ", ".join(FIGURES)
                    + ", updated_at) VALUES ('T1', 7, :day, 'Home', :gmv, "
                    + ", ".join("0" for _ in FIGURES)
                    + ", '2026-11-03')"
                ),
                {"day": day, "gmv": gmv},
            )
    upgrade(blank_engine)
    with blank_engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": include_name}
        )
        assert compare_metadata(context, SQLModel.metadata) == []
    with Session(blank_engine) as session:
        rows = session.exec(select(DailySellerKpi).order_by(DailySellerKpi.day)).all()  # type: ignore[arg-type]
        assert [(r.seller_id, r.day, r.gmv_cents) for r in rows] == [
            (7, date(2026, 11, 1), 150),
            (7, date(2026, 11, 2), 275),
        ]
    with pytest.raises(IntegrityError), transaction(blank_engine) as session:
        session.add(
            DailySellerKpi(team_id="T1", seller_id=7, day=date(2026, 11, 2), category="Home")
        )
    with Session(blank_engine) as session:
        weeks = session.exec(select(WeeklySellerKpi).order_by(WeeklySellerKpi.week)).all()  # type: ignore[arg-type]
        assert [(w.week, w.category, w.seller_id, w.gmv_cents) for w in weeks] == [
            (date(2026, 10, 26), "Home", 7, 150),  # 1 November is a Sunday
            (date(2026, 11, 2), "Home", 7, 275),
        ]


def test_upgrade_numbers_sellers_per_workspace_and_rebuilds_their_bitmaps(
    blank_engine: Engine,
) -> None:
    upgrade(blank_engine, "0006")
    sellers = [(7, "T1", "S7"), (9, "T1", "S9"), (12, "T2", "S7"), (800_000, "T2", "S8")]
    # Seller-days and their sums as 0006 left them: bitmaps by seller row id (T2's: 100 kB).
    days = [(7, "T1", 150, 1), (9, "T1", 80, 0), (12, "T2", 60, 0), (800_000, "T2", 99, 2)]

    def by_id(*ids: int) -> bytes:
        return sum(1 << i for i in ids).to_bytes(max(ids) // 8 + 1, "little")

    sums = [
        ("T1", 230, 1, by_id(7, 9), by_id(7)),
        ("T2", 159, 2, by_id(12, 800_000), by_id(800_000)),
    ]
    with blank_engine.begin() as connection:
        for seller_id, team_id, key in sellers:
            connection.execute(
                text(
                    "INSERT INTO seller (id, team_id, seller_key, name, category, categories, "
                    "market, status, created_at, updated_at) VALUES (:id, :team, :key, 'Casa', "
                    "'Home', '[]', 'US', 'active', '2026-11-01', '2026-11-01')"
                ),
                {"id": seller_id, "team": team_id, "key": key},
            )
        for seller_id, team_id, gmv, sessions in days:
            connection.execute(
                text(
                    "INSERT INTO dailysellerkpi (team_id, seller_id, day, category, gmv_cents, "
                    + ", ".join(FIGURES)
                    + ", updated_at) VALUES (:team, :seller, '2026-11-02', 'Home', :gmv, "
                    + ", ".join(":sessions" if f == "live_sessions" else "0" for f in FIGURES)
                    + ", '2026-11-03')"
                ),
                {"team": team_id, "seller": seller_id, "gmv": gmv, "sessions": sessions},
            )
        for team_id, gmv, sessions, seller_bits, live_bits in sums:
            connection.execute(
                text(
                    "INSERT INTO dailycategorykpi (team_id, day, category, seller_bits, live_bits, "
                    "affiliate_bits, video_bits, gmv_cents, "
                    + ", ".join(FIGURES)
                    + ") VALUES (:team, '2026-11-02', 'Home', :sellers, :live, :none, :none, :gmv, "
                    + ", ".join(":sessions" if f == "live_sessions" else "0" for f in FIGURES)
                    + ")"
                ),
                {
                    "team": team_id,
                    "sellers": seller_bits,
                    "live": live_bits,
                    "none": b"",
                    "gmv": gmv,
                    "sessions": sessions,
                },
            )
    upgrade(blank_engine)

    with Session(blank_engine) as session:
        numbers = session.exec(select(Seller.id, Seller.team_id, Seller.number)).all()
        assert sorted(numbers) == [(7, "T1", 0), (9, "T1", 1), (12, "T2", 0), (800_000, "T2", 1)]
        rows = session.exec(select(DailyCategoryKpi).order_by(DailyCategoryKpi.team_id)).all()
        assert [
            (r.team_id, r.gmv_cents, r.live_sessions, r.seller_bits, r.live_bits) for r in rows
        ] == [("T1", 230, 1, b"\x03", b"\x01"), ("T2", 159, 2, b"\x03", b"\x02")]
        arrays = session.exec(
            select(DailyCategorySellers).order_by(DailyCategorySellers.team_id)  # type: ignore[arg-type]
        ).all()
        assert [(r.team_id, r.sellers, r.gmv_cents) for r in arrays] == [
            ("T1", _int32(0, 1), _int64(150, 80)),
            ("T2", _int32(0, 1), _int64(60, 99)),
        ]
    windows = {"day": (date(2026, 11, 2), date(2026, 11, 2))}
    assert seller_counts(blank_engine, Scope("T2"), windows) == {"day": (2, 1)}
    with pytest.raises(IntegrityError), transaction(blank_engine) as session:
        session.add(Seller(team_id="T2", seller_key="S10", name="Dup", category="Home", number=1))
    with transaction(blank_engine) as session:  # the next seller of T2 follows on
        session.add(Seller(team_id="T2", seller_key="S10", name="Nova", category="Home"))
    with Session(blank_engine) as session:
        added = session.exec(select(Seller).where(Seller.seller_key == "S10")).one()
        assert added.number == 2


def _int32(*values: int) -> bytes:
    return b"".join(v.to_bytes(4, "little", signed=True) for v in values)


def _int64(*values: int) -> bytes:
    return b"".join(v.to_bytes(8, "little", signed=True) for v in values)


# The figures of a seller-day at revision 0005, and the programs whose bitmaps 0007 and 0010
# build, by the figure that shows a seller active in it.
FIGURES_AT_0005 = (
    "gmv_cents",
    "orders",
    "items_sold",
    "buyers",
    "live_sessions",
    "live_minutes",
    "live_views",
    "live_likes",
    "live_comments",
    "live_shares",
    "live_gmv_cents",
    "video_gmv_cents",
    "affiliate_gmv_cents",
    "new_followers",
)
PROGRAMS_AT_0007 = {
    "live": "live_sessions",
    "affiliate": "affiliate_gmv_cents",
    "video": "video_gmv_cents",
}


def test_an_upgrade_from_0005_derives_every_sum_from_the_rows_it_had(blank_engine: Engine) -> None:
    """Migrations 0006, 0007 and 0010 fill the sum tables and the seller numbers from the
    sellers and seller-days a database had at 0005: what they write equals what those rows
    add up to, however the code that keeps the sums in step changes later."""
    upgrade(blank_engine, "0005")
    rng = random.Random(25)
    # Row ids out of each workspace's order of creation, and one far beyond the others.
    ids = [*rng.sample(range(1, 400), 40), 900_000]
    sellers = {seller_id: rng.choice(["T1", "T2", "T3"]) for seller_id in ids}
    first = date(2026, 9, 27)  # a Sunday: the first week holds one day
    seller_days = []
    for seller_id, team_id in sellers.items():
        for offset in range(45):  # more days than one re-sum holds at a time (31)
            if rng.random() < 0.4:
                figures = {f: rng.choice([0, rng.randrange(1, 10_000)]) for f in FIGURES_AT_0005}
                figures["gmv_cents"] = rng.randrange(0, 10**10)
                category = rng.choice(["Home", "Beauty", "Toys"])
                day = first + timedelta(days=offset)
                seller_days.append((team_id, seller_id, day, category, figures))
    with blank_engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO seller (id, team_id, seller_key, name, category, categories, "
                "market, status, created_at, updated_at) VALUES (:id, :team, :key, 'Casa', "
                "'Home', '[]', 'US', 'active', '2026-09-01', '2026-09-01')"
            ),
            [{"id": i, "team": team, "key": f"S{i}"} for i, team in sellers.items()],
        )
        connection.execute(
            text(
                "INSERT INTO dailysellerkpi (team_id, seller_id, day, category, "
                + ", ".join(FIGURES_AT_0005)
                + ", updated_at) VALUES (:team, :seller, :day, :category, "
                + ", ".join(f":{f}" for f in FIGURES_AT_0005)
                + ", '2026-11-30')"
            ),
            [
                {"team": t, "seller": s, "day": d.isoformat(), "category": c, **figures}
                for t, s, d, c, figures in seller_days
            ],
        )
    upgrade(blank_engine)

    numbers = {
        seller_id: sorted(i for i in ids if sellers[i] == team_id).index(seller_id)
        for seller_id, team_id in sellers.items()
    }
    weeks: dict[tuple[str, date, str, int], list[int]] = defaultdict(lambda: [0, 0])
    sums: dict[tuple[str, date, str], dict[str, int]] = defaultdict(Counter)
    bits: dict[tuple[str, date, str], list[set[int]]] = defaultdict(lambda: [set() for _ in "svla"])
    arrays: dict[tuple[str, date, str], list[tuple[int, int, int]]] = defaultdict(list)
    for team_id, seller_id, day, category, figures in seller_days:
        week = weeks[(team_id, day - timedelta(days=day.weekday()), category, seller_id)]
        week[0] += figures["gmv_cents"]
        week[1] += figures["orders"]
        key, number = (team_id, day, category), numbers[seller_id]
        sums[key].update(figures)
        bits[key][0].add(number)
        for members, program in zip(bits[key][1:], PROGRAMS_AT_0007.values(), strict=True):
            if figures[program] > 0:
                members.add(number)
        arrays[key].append((number, figures["gmv_cents"], figures["orders"]))

    with Session(blank_engine) as session:
        stored_numbers = session.exec(select(Seller.id, Seller.number)).all()
        assert dict(stored_numbers) == numbers
        stored_weeks = session.exec(select(WeeklySellerKpi)).all()
        assert {
            (w.team_id, w.week, w.category, w.seller_id): [w.gmv_cents, w.orders]
            for w in stored_weeks
        } == weeks
        stored_sums = session.exec(select(DailyCategoryKpi)).all()
        assert {
            (r.team_id, r.day, r.category): {f: getattr(r, f) for f in FIGURES_AT_0005}
            for r in stored_sums
        } == {key: {f: found[f] for f in FIGURES_AT_0005} for key, found in sums.items()}
        assert {
            (r.team_id, r.day, r.category): [
                _members(r.seller_bits),
                *(_members(getattr(r, f"{program}_bits")) for program in PROGRAMS_AT_0007),
            ]
            for r in stored_sums
        } == bits
        stored_arrays = session.exec(select(DailyCategorySellers)).all()
        assert {
            (r.team_id, r.day, r.category): list(
                zip(
                    struct.unpack(f"<{len(r.sellers) // 4}i", r.sellers),
                    struct.unpack(f"<{len(r.gmv_cents) // 8}q", r.gmv_cents),
                    struct.unpack(f"<{len(r.orders) // 8}q", r.orders),
                    strict=True,
                )
            )
            for r in stored_arrays
        } == {key: sorted(found) for key, found in arrays.items()}


def _members(bitmap: bytes) -> set[int]:
    """The seller numbers whose bits a bitmap sets."""
    return {i for i in range(len(bitmap) * 8) if bitmap[i // 8] >> (i % 8) & 1}


def test_migrations_carry_their_own_code() -> None:
    """A migration runs the statements it was written with: it imports nothing of the
    product, whose code moves on."""
    product = {"storage", "bot", "handlers", "app", "devkit"}
    found = []
    for script in sorted((MIGRATIONS / "versions").glob("*.py")):
        for node in ast.walk(ast.parse(script.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            found += [f"{script.name}: {n}" for n in names if n.split(".")[0] in product]
    assert found == []


def test_each_table_constant_is_the_table_of_the_model_it_is_named_after() -> None:
    constants = {
        name: (module, value)
        for module in MODULES
        for name, value in vars(module).items()
        if name.endswith("_TABLE")
    }
    assert "SELLER_TABLE" in constants
    for name, (module, table) in constants.items():
        model = getattr(module, name.removesuffix("_TABLE").title().replace("_", ""))
        assert table is table_of(model) is SQLModel.metadata.tables[table.name], name


def test_state_held_by_an_engine_is_made_once_and_its_own(tmp_path) -> None:
    engines = [make_engine(f"sqlite:///{tmp_path / name}") for name in ("a.db", "b.db")]
    made: list[dict[str, int]] = []

    def make() -> dict[str, int]:
        made.append({})
        return made[-1]

    held = held_by(engines[0], "cache", make)
    assert held_by(engines[0], "cache", make) is held
    assert held_by(engines[1], "cache", make) is not held
    assert len(made) == 2
    for engine in engines:
        engine.dispose()


def test_seller_keys_are_unique_per_workspace_only(engine: Engine) -> None:
    with transaction(engine) as session:
        session.add(_seller("T1", "S1"))
        session.add(_seller("T2", "S1"))
    with pytest.raises(IntegrityError), transaction(engine) as session:
        session.add(_seller("T1", "S1"))


def test_a_digest_period_is_claimed_once(engine: Engine) -> None:
    with transaction(engine) as session:
        subscription = Subscription(
            team_id="T1", kind=SubscriptionKind.WEEKLY_DIGEST, channel_id="C1", created_by="U1"
        )
        session.add(subscription)
    claim = {"team_id": "T1", "subscription_id": subscription.id, "period": "2026-11-23T09:00"}
    with transaction(engine) as session:
        session.add(DigestRun(**claim))
    with pytest.raises(IntegrityError), transaction(engine) as session:
        session.add(DigestRun(**claim))


def test_a_failed_transaction_leaves_nothing(engine: Engine) -> None:
    with pytest.raises(RuntimeError), transaction(engine) as session:
        session.add(_seller("T1", "S9"))
        session.flush()
        raise RuntimeError("boom")
    with Session(engine) as session:
        assert session.exec(select(Seller)).all() == []


def test_sqlite_writers_in_many_threads_never_see_database_is_locked(tmp_path) -> None:
    import threading

    from storage.events import claim_event

    engine = make_engine(f"sqlite:///{tmp_path / 'busy.db'}")
    upgrade(engine)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(40):
                assert claim_event(engine, "T1", f"Ev{n}-{i}")
        except BaseException as error:  # collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM processedslackevent")).scalar() == 320


def test_reviews_from_before_0011_start_at_midnight_of_their_day(blank_engine: Engine) -> None:
    upgrade(blank_engine, "0010")
    scores = ", ".join(f"score_{key}" for key in SCORECARD)
    with blank_engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO livestreamreview (team_id, host_name, stream_date, reviewer_user_id, "
                f"{scores}, strengths, improvements, created_at) VALUES ('T1', 'Ana', "
                f"'2026-11-05', 'U1', {', '.join('3' for _ in SCORECARD)}, '', '', "
                "'2026-11-06 10:00:00+00')"
            )
        )
    upgrade(blank_engine)
    with blank_engine.connect() as connection:
        row = connection.execute(
            text("SELECT stream_started_at, improvement_tags, deleted_at FROM livestreamreview")
        ).one()
    assert str(row[0]).startswith("2026-11-05 00:00") and row[1] in ([], "[]") and row[2] is None


def test_upgrade_numbers_alert_rules_in_list_order_and_never_gives_a_number_again(
    blank_engine: Engine,
) -> None:
    upgrade(blank_engine, "0017")
    # As 0017 left them: T1's rules 3 and 8 were listed as 1 and 2 (rule 5 had been removed).
    rules = [(3, "T1", "gmv"), (4, "T2", "orders"), (8, "T1", "aov"), (11, "T2", "gmv")]
    with blank_engine.begin() as connection:
        for rule_id, team_id, metric in rules:
            connection.execute(
                text(
                    "INSERT INTO alertrule (id, team_id, metric, rule, baseline, channel_id, "
                    "channel_name, created_by, created_at) VALUES (:id, :team, :metric, "
                    "'unusual', '', 'C0KPI', 'lifestyle-kpi', 'U0TOM', '2026-11-30')"
                ),
                {"id": rule_id, "team": team_id, "metric": metric},
            )
    upgrade(blank_engine)

    with Session(blank_engine) as session:
        numbered = session.exec(select(AlertRule.id, AlertRule.team_id, AlertRule.number)).all()
        assert sorted(numbered) == [(3, "T1", 1), (4, "T2", 1), (8, "T1", 2), (11, "T2", 2)]
    with pytest.raises(IntegrityError), transaction(blank_engine) as session:
        session.add(_rule("T1", number=2))
    # T1 removes its newest rule, then adds one: the removed rule's number is not given again.
    with transaction(blank_engine) as session:
        session.execute(text("DELETE FROM alertrule WHERE id = 8"))
    added, saved = add_rule(blank_engine, _draft("T1"), datetime(2026, 12, 7, tzinfo=UTC))
    assert saved and added.number == 3
    again, saved = add_rule(blank_engine, _draft("T1"), datetime(2026, 12, 7, tzinfo=UTC))
    assert not saved and again.id == added.id


def _rule(team_id: str, number: int) -> AlertRule:
    return AlertRule(
        team_id=team_id, number=number, metric="gmv", channel_id="C0KPI", created_by="U0TOM"
    )


def _draft(team_id: str) -> RuleDraft:
    return RuleDraft(
        team_id=team_id,
        metric="gmv",
        category=None,
        seller_id=None,
        rule="drop",
        baseline="week",
        percent=30,
        threshold=None,
        channel_id="C0KPI",
        channel_name="lifestyle-kpi",
        created_by="U0TOM",
    )


def test_rules_added_at_once_get_one_number_each_and_a_duplicate_is_saved_once(
    engine: Engine,
) -> None:
    now = datetime(2026, 12, 7, tzinfo=UTC)
    drafts = [replace(_draft("T1"), percent=10 + n % 4) for n in range(8)]  # each twice
    with ThreadPoolExecutor(max_workers=8) as pool:
        added = list(pool.map(lambda d: add_rule(engine, d, now), drafts))
    saved = sorted(rule.number for rule, fresh in added if fresh)
    assert saved == [1, 2, 3, 4]
    by_percent = {rule.percent: rule.number for rule, _ in added}
    assert all(by_percent[rule.percent] == rule.number for rule, _ in added)


def test_upgrade_keeps_every_alert_rule_live_and_a_removed_one_restorable(
    blank_engine: Engine,
) -> None:
    upgrade(blank_engine, "0018")
    with blank_engine.begin() as connection:
        for rule_id, number, metric in ((3, 1, "gmv"), (8, 2, "orders")):
            connection.execute(
                text(
                    "INSERT INTO alertrule (id, team_id, number, metric, rule, baseline, "
                    "channel_id, channel_name, created_by, created_at) VALUES (:id, 'T1', "
                    ":number, :metric, 'unusual', '', 'C0KPI', 'lifestyle-kpi', 'U0TOM', "
                    "'2026-11-30')"
                ),
                {"id": rule_id, "number": number, "metric": metric},
            )
        connection.execute(text("INSERT INTO alertnumbers (team_id, last) VALUES ('T1', 2)"))
    upgrade(blank_engine)

    with blank_engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": include_name}
        )
        assert compare_metadata(context, SQLModel.metadata) == []
    assert [r.number for r in team_rules(blank_engine, "T1")] == [1, 2]
    now = datetime(2026, 12, 7, tzinfo=UTC)
    who = {"user_id": "U0TOM", "admins": ["U0MARIA"], "now": now}
    remove_rule(blank_engine, "T1", 2, **who)
    assert [r.number for r in team_rules(blank_engine, "T1")] == [1]
    restore_rule(blank_engine, "T1", 2, **{**who, "user_id": "U0MARIA"})
    assert [(r.id, r.number) for r in team_rules(blank_engine, "T1")] == [(3, 1), (8, 2)]
    added, saved = add_rule(blank_engine, _draft("T1"), now)
    assert saved and added.number == 3
