"""The `shopbot` command line: run, import, digest, deliveries, manifest, db, and the
subcommands the composition root adds (devkit's demo and shell).

The argument parsing and each command's body live here; what builds the app (the handlers) is
the composition root's (app.py), handed in as a `Root`, so nothing here imports the handlers.
"""

from __future__ import annotations

import argparse
import functools
import logging
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Protocol

from apscheduler.schedulers.base import BaseScheduler
from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk.errors import SlackApiError

from bot.digest.manage import build_runner
from bot.digest.preview import write_preview
from bot.digest.runner import WEEKLY, default_subscription, preview_digest
from bot.features import Features
from bot.imports.after_import import after_import
from bot.imports.gate import ImportSettings
from bot.imports.run import describe_summary, import_file
from bot.logs import configure_logging
from bot.manifest import REQUEST_URL_PLACEHOLDER, manifest_yaml
from bot.resume import resume_cut_off_work
from bot.server import HttpServer, freeze_startup_objects, wsgi_app
from bot.services import Services, build_services, pin_workspace
from bot.settings import Settings, SettingsError, load_settings
from bot.shared.delivery.history import KINDS, describe_history
from bot.shared.language import speaking, workspace_speech
from storage.db import make_engine
from storage.delivery import subscriptions
from storage.delivery.posts import history
from storage.importers import ImportOptions, ImportRejected, Upload
from storage.importers.kinds import known_kinds
from storage.schema import (
    SchemaOutOfDate,
    new_revision,
    require_current_schema,
    schema_state,
    upgrade,
)

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

log = logging.getLogger("shopbot")


class AppBuilder(Protocol):
    """Builds the whole bot as a Bolt app (the composition root's `build_app`): its listeners
    run on `listener_executor`, which a graceful stop drains."""

    def __call__(
        self,
        settings: Settings,
        services: Services | None = None,
        *,
        listener_executor: Executor | None = None,
    ) -> App: ...


@dataclass(frozen=True)
class Subcommand:
    """A subcommand beside the product's own, added by the composition root (devkit's demo
    and shell): its name and help, its arguments, and its body."""

    name: str
    help: str
    run: Callable[[Root, Settings, argparse.Namespace], int]
    arguments: Callable[[argparse.ArgumentParser], None] = lambda parser: None
    offline: bool = True
    """Runs without Slack: the Slack settings are not required (and logging stays quiet)."""


@dataclass(frozen=True)
class Root:
    """What the command line takes from the composition root (app.py)."""

    build_app: AppBuilder
    build_scheduler: Callable[[Services], BaseScheduler]
    """The scheduler with every job registered (the services' features')."""
    features: Features
    """The app's features: the services the commands build carry them (the work after an
    import, the digest's sections), and the manifest lists their slash commands and shortcuts."""
    offline_workspace: str
    """The workspace offline commands read when there is no bot token (the demo's)."""
    setting_sections: Sequence[type[DataclassInstance]] = ()
    """The settings the features declare (bot.settings), checked at start like the core ones."""
    subcommands: Sequence[Subcommand] = ()


def _parser(root: Root) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="shopbot",
        description=(
            "A Slack app for TikTok Shop operations teams. Settings come from the environment "
            "and .env (see .env.example)."
        ),
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="connect to Slack (Socket Mode or HTTP)")
    run.add_argument("--port", type=int, default=3000, help="HTTP port (default 3000)")
    run.add_argument("--host", default="0.0.0.0", help="HTTP address (default 0.0.0.0)")  # noqa: S104
    run.add_argument("--no-scheduler", action="store_true", help="do not run scheduled jobs")

    for subcommand in root.subcommands:
        subcommand.arguments(commands.add_parser(subcommand.name, help=subcommand.help))

    imports = commands.add_parser("import", help="import a CSV or XLSX file (kind detected)")
    imports.add_argument("file", help="the file to import")
    imports.add_argument(
        "--kind",
        choices=known_kinds(),
        metavar="KIND",
        help="the kind, when detection should not decide: %(choices)s",
    )
    imports.add_argument("--seller", help="the seller (id or name) a one-shop export belongs to")
    imports.add_argument("--dry-run", action="store_true", help="check and count, save nothing")
    imports.add_argument(
        "--team",
        help="the Slack workspace (team) ID the data belongs to "
        "(default: the bot token's workspace, or the demo workspace offline)",
    )

    manifest = commands.add_parser("manifest", help="print the Slack app manifest (YAML)")
    manifest.add_argument("--socket-mode", action="store_true", help="for Socket Mode")
    manifest.add_argument("--url", default=None, help="the public request URL (HTTP mode)")

    digest = commands.add_parser("digest", help="render or send the weekly digest now")
    digest_actions = digest.add_subparsers(dest="action", required=True, metavar="ACTION")
    preview = digest_actions.add_parser(
        "preview", help="write the digest's text and charts to a folder (nothing is posted)"
    )
    preview.add_argument("channel", nargs="?", help="use this channel's subscription (#name or ID)")
    preview.add_argument(
        "--out", default="digest-preview", help="the folder (default ./digest-preview)"
    )
    preview.add_argument("--team", help="the Slack workspace (team) ID (default as for import)")
    preview.add_argument(
        "--week",
        type=date.fromisoformat,
        help="the week that holds this day (YYYY-MM-DD; default: the last full week)",
    )
    send = digest_actions.add_parser("send", help="post a subscribed channel's digest now")
    target = send.add_mutually_exclusive_group(required=True)
    target.add_argument("channel", nargs="?", help="the subscribed channel (#name or ID)")
    target.add_argument("--all", action="store_true", help="every subscribed channel")

    deliveries = commands.add_parser(
        "deliveries", help="the run history of scheduled posts (digests, alerts, reports…)"
    )
    deliveries.add_argument("--team", help="the Slack workspace (team) ID (default as for import)")
    deliveries.add_argument(
        "--kind", choices=sorted(KINDS), help="one kind of post (default: every kind)"
    )
    deliveries.add_argument("--limit", type=int, default=20, help="how many attempts (default 20)")

    db = commands.add_parser("db", help="database schema")
    actions = db.add_subparsers(dest="action", required=True, metavar="ACTION")
    actions.add_parser("upgrade", help="apply the migrations")
    actions.add_parser("current", help="show the schema version")
    revision = actions.add_parser("revision", help="write a migration for model changes")
    revision.add_argument("rev_id", help="the revision id, such as 0002")
    revision.add_argument("message", help="what the migration does")
    return parser


def main(root: Root, argv: Sequence[str] | None = None) -> int:
    args = _parser(root).parse_args(argv)
    if args.command == "manifest":
        return print_manifest(root, socket_mode=args.socket_mode, url=args.url)
    added = {subcommand.name: subcommand for subcommand in root.subcommands}
    offline = (
        args.command in {"db", "import", "deliveries"}
        or (args.command == "digest" and args.action == "preview")
        or (args.command in added and added[args.command].offline)
    )
    try:
        settings = load_settings(require_slack=not offline, sections=root.setting_sections)
    except SettingsError as error:
        print(f"shopbot: {error}", file=sys.stderr)
        return 2
    configure_logging("WARNING" if offline else settings.log_level, settings.secrets())
    with speaking(
        workspace_speech(settings)
    ):  # what the command line prints, in the workspace's speech
        return _dispatch(root, settings, args, added)


def _dispatch(
    root: Root, settings: Settings, args: argparse.Namespace, added: dict[str, Subcommand]
) -> int:
    try:
        if args.command == "run":
            return run(
                root,
                settings,
                port=args.port,
                host=args.host,
                with_scheduler=not args.no_scheduler,
            )
        if args.command == "db":
            if args.action == "revision":
                print(f"wrote {new_revision(args.message, args.rev_id)}")
                return 0
            return database(settings, args.action)
        if args.command == "import":
            return import_command(root, settings, args)
        if args.command == "digest":
            return digest_command(root, settings, args)
        if args.command == "deliveries":
            return deliveries_command(root, settings, args)
        return added[args.command].run(root, settings, args)
    except SchemaOutOfDate as error:
        print(f"shopbot: {error}", file=sys.stderr)
        return 2


def import_command(root: Root, settings: Settings, args: argparse.Namespace) -> int:
    path = Path(args.file)
    if not path.is_file():
        print(f"shopbot: {path} is not a file", file=sys.stderr)
        return 2
    services = build_services(settings, features=root.features)
    engine = services.engine
    require_current_schema(engine)
    options = ImportOptions(
        team_id=args.team or _workspace_of(root, services),
        filename=path.name,
        seller=args.seller,
        dry_run=args.dry_run,
        locale=settings.locale,
        max_bytes=settings.section(ImportSettings).max_import_bytes,
        progress=_progress_bar if sys.stderr.isatty() else None,
    )
    try:
        upload = Upload.from_path(path)  # read as the import goes, never whole
        summary = import_file(engine, settings, upload, options, kind=args.kind)
    except ImportRejected as rejected:
        print(f"shopbot: {rejected.describe()}", file=sys.stderr)
        return 1
    print(describe_summary(summary))
    if settings.slack_bot_token:  # offline, there is no Slack to post alerts in
        pin_workspace(services, services.slack())  # once: the alerts' posts look for the bot's
        after_import(services, options.team_id, summary)
    return 0


def digest_command(root: Root, settings: Settings, args: argparse.Namespace) -> int:
    services = build_services(settings, features=root.features)
    require_current_schema(services.engine)
    team_id = getattr(args, "team", None) or _workspace_of(root, services)
    found = (
        subscriptions.for_channel(services.engine, team_id, WEEKLY, args.channel)
        if args.channel
        else None
    )
    if args.channel and found is None:
        print(f"shopbot: {args.channel} has no digest subscription in {team_id}", file=sys.stderr)
        return 2
    if args.action == "preview":
        week: date | None = args.week
        monday = week - timedelta(days=week.weekday()) if week else None
        subscription = found or default_subscription(services, team_id, "")
        paths = write_preview(preview_digest(services, subscription, monday), Path(args.out))
        print("\n".join(str(p) for p in paths))
        return 0
    targets = [found] if found else subscriptions.listed(services.engine, team_id, WEEKLY)
    for subscription, run in build_runner(services).send_now(targets, None):
        outcome = "already sent this minute" if run is None else run.status
        detail = f" ({run.error})" if run is not None and run.error else ""
        print(f"#{subscription.channel_name or subscription.channel_id}: {outcome}{detail}")
    return 0


def deliveries_command(root: Root, settings: Settings, args: argparse.Namespace) -> int:
    services = build_services(settings, features=root.features)
    require_current_schema(services.engine)
    team_id = args.team or _workspace_of(root, services)
    kind = KINDS[args.kind] if args.kind else None
    print(describe_history(history(services.engine, team_id, kind=kind, limit=args.limit)))
    return 0


def _workspace_of(root: Root, services: Services) -> str:
    """The bot token's workspace (pinned, as at every start), or the demo workspace when there
    is no token (offline)."""
    if not services.settings.slack_bot_token:
        return root.offline_workspace
    return pin_workspace(services, services.slack())


def _progress_bar(done: int, total: int) -> None:
    width = 30
    filled = width * done // max(total, 1)
    end = "\n" if done >= total else ""
    print(
        f"\r  saving [{'#' * filled}{' ' * (width - filled)}] {done:,}/{total:,} rows",
        end=end,
        file=sys.stderr,
        flush=True,
    )


def print_manifest(root: Root, *, socket_mode: bool, url: str | None) -> int:
    print(
        manifest_yaml(
            root.features,
            socket_mode=socket_mode,
            request_url=url or REQUEST_URL_PLACEHOLDER,
        ),
        end="",
    )
    return 0


def database(settings: Settings, action: str) -> int:
    engine = make_engine(settings.database_url)
    if action == "upgrade":
        upgrade(engine)
    state = schema_state(engine)
    print(f"schema: {state.describe(state.current)} (newest: {state.describe(state.heads)})")
    return 0


def run(root: Root, settings: Settings, *, port: int, host: str, with_scheduler: bool) -> int:
    services = build_services(settings, features=root.features)
    require_current_schema(services.engine)
    executor = ThreadPoolExecutor(max_workers=16, thread_name_prefix="listener")
    app = root.build_app(settings, services, listener_executor=executor)
    scheduler = root.build_scheduler(services) if with_scheduler else None
    stop = threading.Event()

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        log.info("received %s: finishing work in progress", signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    resume = functools.partial(
        resume_cut_off_work, app, services, settings.slack_signing_secret.reveal()
    )
    if scheduler is not None:  # at once, and every minute for replicas that went quiet
        scheduler.add_job(
            resume, "interval", minutes=1, id="resume", next_run_time=services.clock()
        )
    else:
        threading.Thread(target=resume, name="resume", daemon=True).start()
    freeze_startup_objects()
    if scheduler is not None:
        scheduler.start()
    refused: str | None = None
    if settings.socket_mode:
        handler = SocketModeHandler(app, settings.slack_app_token.reveal())
        try:
            handler.connect()
        except SlackApiError as error:  # apps.connections.open said no: nothing to serve
            refused = str(error.response.get("error"))
        else:
            log.info("connected to Slack in Socket Mode")
            stop.wait()
        handler.close()
    else:
        server = HttpServer(wsgi_app(app), host=host, port=port)
        thread = server.start_in_thread()
        log.info("listening on http://%s:%d/slack/events", host, server.port)
        print(f"shopbot listening on port {server.port}", flush=True)
        stop.wait()
        server.drain_and_stop()
        thread.join(timeout=5)
    executor.shutdown(wait=True)
    if scheduler is not None:
        scheduler.shutdown(wait=True)
    services.engine.dispose()
    if refused is not None:
        # The operator's to fix, so one line that names the setting rather than a traceback.
        print(
            f"shopbot: SLACK_APP_TOKEN was refused by Slack ({refused}): expected the app-level "
            "token (xapp-…) with connections:write",
            file=sys.stderr,
        )
        return 2
    log.info("stopped cleanly")
    return 0
