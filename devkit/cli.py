"""`shopbot demo` and `shopbot shell`: the subcommands the composition root adds to the
command line (bot.cli) for a newcomer, who talks to the bot offline through the sandbox."""

from __future__ import annotations

import argparse
import dataclasses

from bot.cli import Root, Subcommand
from bot.server import freeze_startup_objects
from bot.services import system_clock
from bot.settings import Settings
from devkit.demo.data import DEMO_PEOPLE, DEMO_TEAM_ID
from devkit.demo.seed import seed_demo
from devkit.offline import OfflineBot
from devkit.shell import Shell
from storage.db import make_engine
from storage.schema import require_current_schema, upgrade


def demo(root: Root, settings: Settings, args: argparse.Namespace) -> int:
    engine = make_engine(settings.database_url)
    upgrade(engine)
    today = system_clock().astimezone(settings.tz).date()
    summary = seed_demo(engine, team_id=DEMO_TEAM_ID, today=today)
    print(f"demo data in {settings.database_url}: {summary.describe()}")
    return 0 if args.no_shell else shell(root, settings, args)


def shell(root: Root, settings: Settings, _args: argparse.Namespace) -> int:
    engine = make_engine(settings.database_url)
    require_current_schema(engine)
    if not settings.admins:  # offline, the person at the keyboard may try the admin commands
        settings = dataclasses.replace(settings, admins=frozenset({Shell.USER_ID}))
    with OfflineBot(root.build_app, settings, engine=engine, team_id=DEMO_TEAM_ID) as bot:
        for user_id, (name, real_name) in DEMO_PEOPLE.items():  # Slack in the workspace's language
            bot.sandbox.add_user(user_id, name, real_name)
        freeze_startup_objects()
        Shell(bot).run()
    return 0


def _demo_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--no-shell", action="store_true", help="only load the data")


DEVKIT_COMMANDS = (
    Subcommand("shell", "talk to the bot offline, through the built-in sandbox", shell),
    Subcommand(
        "demo", "load the demo data set, then open the shell", demo, arguments=_demo_arguments
    ),
)
