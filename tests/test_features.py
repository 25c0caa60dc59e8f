"""The features declare their entry points, and the core collects them (bot.features): every
command the manifest lists comes from one feature, every scheduled job from one feature (or
the core), the Home and the digest keep their order, and a feature added to the list is
answered end to end (command, help, job, Home) with nothing but its declaration added."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
import yaml
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from slack_sdk import WebClient
from slack_sdk.models.blocks import Block
from sqlalchemy.engine import Engine

from app import FEATURES, build_app
from bot.features import Feature, Features, Placed
from bot.imports.after_import import after_import
from bot.scheduler import build_scheduler
from bot.services import Services
from bot.settings import Settings
from bot.shared.commands import AddedSubcommands, CommandRequest, SlashCommand
from bot.shared.home_section import HomeContext
from bot.shared.replies import Reply, escape, section
from devkit.offline import OfflineBot
from handlers.imports.commands import kpi_import
from handlers.kpi.commands import KPI
from storage.importers import ImportSummary

ROOT = Path(__file__).resolve().parent.parent
# The core's: forgetting old events, the one reminder loop (and its purge), the one delivery run.
CORE_JOBS = {"forget-old-events", "feedback-follow-ups", "feedback-purge-deleted", "digest-tick"}
FEATURE_JOBS = {  # ids kept from before the features declared them (replicas share them)
    "review-purge-deleted",
    "alert-purge-removed",
    "home-refresh",
}


@pytest.mark.parametrize("manifest", ["manifest.yml", "manifest.socket-mode.yml"])
def test_every_command_in_the_manifest_comes_from_one_feature(manifest: str) -> None:
    listed = yaml.safe_load((ROOT / manifest).read_text())["features"]["slash_commands"]
    declared = [command.name for feature in FEATURES for command in feature.commands]
    assert len(declared) == len(set(declared)), "a command declared by two features"
    assert sorted(c["command"] for c in listed) == sorted(declared)


def test_the_help_lists_the_commands_in_the_features_order() -> None:
    assert [command.name for command in Features(FEATURES).commands] == [
        "/shopbot",
        "/kpi",
        "/feedback",
        "/creator",
        "/review",
        "/seller",
        "/match",
        "/digest",
        "/alert",
    ]


def test_kpi_import_is_the_imports_features_and_listed_after_kpis_own() -> None:
    """The imports feature declares the word it adds to `/kpi`; the kpi feature's module never
    names it, and the collected `/kpi` lists it after its own words."""
    assert "import" not in KPI.subcommands
    kpi = Features(FEATURES).command_named("/kpi")
    assert kpi is not None
    assert list(kpi.subcommands) == [*KPI.subcommands, "import"]
    assert kpi.subcommands["import"].run is kpi_import
    assert kpi.summary == KPI.summary and kpi.default == KPI.default
    [imports] = [feature for feature in FEATURES if feature.added_subcommands]
    assert imports.name == "imports"
    assert [group.command for group in imports.added_subcommands] == ["/kpi"]


def test_every_declared_message_shortcut_opens_its_features_form(bot: OfflineBot) -> None:
    """The manifest lists the features' shortcuts (tests/test_manifest.py); each is answered
    by its feature's listener, with a form prefilled from the message."""
    message = {"type": "message", "user": "U0TOM", "ts": "1700000000.000100", "text": "Ü & 李 🎉"}
    titles = []
    for shortcut in Features(FEATURES).shortcuts:
        assert bot.client.message_shortcut(shortcut.callback_id, message).status == 200
        bot.settle()
        [opened] = bot.sandbox.calls("views.open")[len(titles) :]
        assert opened.ok, opened.response
        assert "Ü & 李 🎉" in str(opened.response["view"]) or "Ü &amp; 李 🎉" in str(
            opened.response["view"]
        )
        titles.append(opened.response["view"]["title"]["text"])
    assert titles == ["Creator feedback", "Livestream review", "Seller note"]


def test_every_job_is_added_by_exactly_one_feature(bot: OfflineBot) -> None:
    added: list[str] = []
    for feature in FEATURES:
        alone = BackgroundScheduler()
        for add_jobs in feature.jobs:
            add_jobs(alone, bot.services)
        added += [job.id for job in alone.get_jobs()]
    assert len(added) == len(set(added)), "a job id added by two features"
    assert set(added) == FEATURE_JOBS
    every = {job.id for job in build_scheduler(bot.services).get_jobs()}
    assert every == CORE_JOBS | FEATURE_JOBS


def test_the_home_and_the_digest_keep_their_order_whatever_the_features_order() -> None:
    for parts in ([p for f in FEATURES for p in f.home], [p for f in FEATURES for p in f.digest]):
        places = [placed.place for placed in parts]
        assert len(places) == len(set(places)), "two sections at one place"
    reversed_too = (Features(FEATURES), Features(FEATURES[::-1]))
    homes = {tuple(s.__name__ for s in features.home_sections) for features in reversed_too}
    assert homes == {
        (
            "category_picker",
            "kpi_section",
            "follow_ups_section",
            "seller_follow_ups_section",
            "seller_gaps_section",
            "pipeline_section",
            "alerts_section",
            "buttons_section",
            "status_section",
        )
    }
    digests = {tuple(s.key for s in features.digest_sections) for features in reversed_too}
    assert digests == {
        (
            "kpis",
            "gmv-chart",
            "categories",
            "sellers",
            "reviews",
            "feedback",
            "seller-gaps",
            "pipeline",
            "levels",
        )
    }


# ---- a feature declared here, and nowhere else ---------------------------------------------

TOY_COMMAND = SlashCommand("/toy", "a feature declared in a test")


@TOY_COMMAND.subcommand("ping")
def ping(services: Services, request: CommandRequest) -> Reply:
    """`/toy ping`: answer with pong"""
    return Reply(text=f"pong for <@{request.user_id}>")


def toy_section(home: HomeContext) -> list[Block]:
    return [section("*Toy* · a Home section declared in a test")]


def add_toy_jobs(scheduler: BaseScheduler, services: Services) -> None:
    scheduler.add_job(lambda: None, "interval", minutes=5, id="toy-tick")


TOY = Feature(
    "toy",
    commands=(TOY_COMMAND,),
    jobs=(add_toy_jobs,),
    home=(Placed(85, toy_section),),  # between the buttons and the status
)


@pytest.fixture
def toy_bot(settings: Settings, engine: Engine) -> Iterator[OfflineBot]:
    with_toy = functools.partial(build_app, features=(*FEATURES, TOY))
    with OfflineBot(with_toy, settings, engine=engine) as offline_bot:
        yield offline_bot
        assert offline_bot.sandbox.refusals == []


def test_a_feature_added_to_the_list_is_answered_end_to_end(toy_bot: OfflineBot) -> None:
    assert "pong for @maria" in toy_bot.say("/toy ping")
    assert "`/toy` has no `pang`" in toy_bot.say("/toy pang")
    assert "/toy — a feature declared in a test: `ping`" in toy_bot.say("/shopbot help")
    assert "/toy ping" in toy_bot.say("/toy help")

    jobs = {job.id for job in build_scheduler(toy_bot.services).get_jobs()}
    assert jobs == CORE_JOBS | FEATURE_JOBS | {"toy-tick"}

    toy_bot.open_home()
    blocks = toy_bot.sandbox.home_views["U0MARIA"]["blocks"]
    shown = [str(block) for block in blocks]
    toy = next(n for n, text in enumerate(shown) if "declared in a test" in text)
    buttons = next(n for n, block in enumerate(blocks) if block.get("block_id") == "home_buttons")
    assert buttons < toy < len(blocks) - 1
    assert any("/toy" in text for text in shown[toy + 1 :]), "the status lists the new command"


# ---- a feature that adds a word to another feature's command -------------------------------

KPI_WAVE = AddedSubcommands("/kpi")


@KPI_WAVE.subcommand("wave")
def wave(services: Services, request: CommandRequest) -> Reply:
    """`/kpi wave [to]`: wave at someone, from a feature declared in a test"""
    return Reply(text=f"waving at {escape(request.args) or 'everyone'}")


WAVE = Feature("wave", added_subcommands=(KPI_WAVE,))


def test_a_word_added_to_another_features_command_is_answered_and_listed(
    settings: Settings, engine: Engine
) -> None:
    with_wave = functools.partial(build_app, features=(*FEATURES, WAVE))
    with OfflineBot(with_wave, settings, engine=engine) as wave_bot:
        assert "waving at Ünal & 李" in wave_bot.say("/kpi wave Ünal & 李")
        help_lines = wave_bot.say("/kpi help").text.splitlines()
        imports = next(n for n, line in enumerate(help_lines) if "/kpi import" in line)
        waves = next(n for n, line in enumerate(help_lines) if "/kpi wave [to]" in line)
        assert imports < waves, "added words follow the command's own, in the features' order"
        kpi_line = next(
            line for line in wave_bot.say("/shopbot help").text.splitlines() if "/kpi" in line
        )
        assert kpi_line.endswith("`chart` `import` `wave`"), kpi_line
        assert wave_bot.sandbox.refusals == []
    assert "wave" not in KPI.subcommands, "the kpi feature's own declaration is left as it was"


def test_a_word_added_to_no_command_or_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="/nowhere"):
        _ = Features((Feature("lost", added_subcommands=(AddedSubcommands("/nowhere"),)),)).commands
    twice = AddedSubcommands("/kpi", {"chart": KPI.subcommands["chart"]})
    with pytest.raises(ValueError, match="/kpi chart is declared twice"):
        _ = Features((*FEATURES, Feature("twice", added_subcommands=(twice,)))).commands


def test_the_app_without_it_knows_nothing_of_it(bot: OfflineBot) -> None:
    assert Features(FEATURES).command_named("/toy") is None
    assert "toy-tick" not in {job.id for job in build_scheduler(bot.services).get_jobs()}


def test_after_an_import_the_hooks_run_in_order_and_what_they_leave_runs_last(
    bot: OfflineBot, caplog: pytest.LogCaptureFixture
) -> None:
    ran: list[str] = []

    def checks(services: Services, client: WebClient, team_id: str) -> Callable[[], None]:
        ran.append(f"check {team_id}")
        return lambda: ran.append("charts")

    def fails(services: Services, client: WebClient, team_id: str) -> None:
        raise RuntimeError("broken")

    def refreshes(services: Services, client: WebClient, team_id: str) -> None:
        ran.append("refresh")

    hooks = Features(
        (
            Feature("alerts-like", after_import=(checks,)),
            Feature("broken", after_import=(fails,)),
            Feature("home-like", after_import=(refreshes,)),
        )
    )
    services = Services(bot.settings, bot.services.engine, features=hooks)
    day = date(2026, 12, 1)
    with caplog.at_level(logging.ERROR, logger="bot.imports.after_import"):
        after_import(services, "T1", ImportSummary("kpi", 1, 1, 0, first_day=day), bot.app.client)
    assert ran == ["check T1", "refresh", "charts"]
    assert "after an import in T1 failed" in caplog.text
    ran.clear()
    after_import(services, "T1", ImportSummary("kpi", 1, 1, 0, first_day=day, dry_run=True))
    after_import(services, "T1", ImportSummary("sellers", 1, 1, 0))  # no days
    assert ran == []
