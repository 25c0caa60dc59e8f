"""What a feature declares, and the ordered features the core collects them from.

A feature is one unit (as slack-machine's plugins are): it declares, in one place
(`handlers/<feature>/__init__.py`, its `FEATURE`), its slash commands (and the subcommands it
adds to another feature's command: the imports feature's `/kpi import`), its message
shortcuts, the listeners it registers, the jobs it adds to the scheduler, its parts of the App
Home and of the digest (each at its place), its settings sections, what it reminds of, its
kinds of scheduled post, and what it does after an import wrote days. The composition root
(app.py) lists the features once, in order; the services carry them (`Services.features`), and
the registration of listeners, the command catalogue and manifest, the scheduler, the
settings, the Home, the digest and the work after an import are loops over them.

Order: commands, shortcuts, listeners, jobs, settings and after-import hooks keep the
features' order (the help lists the commands so, the manifest the shortcuts, and a command's
added subcommands follow its own); Home and digest sections keep the order of their places,
which the summarisers' layouts decide, not the features' order.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:  # the services carry the features, and the parts named here build on them
    from _typeshed import DataclassInstance
    from apscheduler.schedulers.base import BaseScheduler
    from slack_bolt import App
    from slack_sdk import WebClient

    from bot.services import Services
    from bot.shared.commands import AddedSubcommands, SlashCommand, Subcommand
    from bot.shared.delivery.run import ScheduledPosts
    from bot.shared.digest_section import Section as DigestSection
    from bot.shared.follow_ups import ReminderSource
    from bot.shared.home_section import Section as HomeSection

T = TypeVar("T")

JobAdder = Callable[["BaseScheduler", "Services"], None]
"""Adds a feature's jobs (with their ids) to the scheduler, for the services' workspace."""

AfterImport = Callable[["Services", "WebClient", str], "Callable[[], None] | None"]
"""What a feature does once an import wrote days in a workspace (`client` refreshes what
people see, the request's own when a person imported in Slack); it may return what to do once
every feature's hook has run (slow extras, such as charts, after every quick part is out)."""


@dataclass(frozen=True)
class Placed(Generic[T]):
    """A part of a summary (a Home or digest section) at its place: parts are shown in
    ascending order of place, whichever feature declares them."""

    place: int
    part: T


@dataclass(frozen=True)
class MessageShortcut:
    """A message shortcut (the "More actions" menu of a message) a feature answers: the
    manifest lists it; the feature's `register` wires its listener to `callback_id`."""

    callback_id: str
    name: str
    """What the menu shows ("Save as creator feedback")."""
    description: str


def no_listeners(app: App) -> None:
    """A feature that answers only its slash commands registers nothing else."""


@dataclass(frozen=True)
class Feature:
    """One feature's entry points, as it declares them."""

    name: str
    commands: tuple[SlashCommand, ...] = ()
    """Its slash commands, in the order the help lists them."""
    added_subcommands: tuple[AddedSubcommands, ...] = ()
    """The subcommands it adds to another feature's slash command (the imports feature's
    `/kpi import`): its entry point there, declared here, so neither feature imports the
    other; the collected command lists them after its own."""
    register: Callable[[App], None] = no_listeners
    """Registers its listeners (buttons, forms, shortcuts, events), one line each."""
    shortcuts: tuple[MessageShortcut, ...] = ()
    """Its message shortcuts, in the order the manifest lists them (its `register` answers
    each)."""
    jobs: tuple[JobAdder, ...] = ()
    home: tuple[Placed[HomeSection], ...] = ()
    digest: tuple[Placed[DigestSection], ...] = ()
    settings: tuple[type[DataclassInstance], ...] = ()
    """Its settings sections (bot.settings): checked at start, written to `.env.example`."""
    follow_ups: tuple[ReminderSource, ...] = ()
    """What it reminds people of by DM (notes with follow-ups, overdue outreach), in the one
    reminder loop (bot.scheduler)."""
    scheduled_posts: tuple[ScheduledPosts, ...] = ()
    """Its kinds of scheduled post (the weekly digest, the monthly review report, alert posts),
    delivered by the one delivery run (bot.shared.delivery.run)."""
    after_import: tuple[AfterImport, ...] = ()


@dataclass(frozen=True)
class Features:
    """The app's features in order, and what the core collects from them."""

    features: tuple[Feature, ...] = ()

    @functools.cached_property
    def commands(self) -> tuple[SlashCommand, ...]:
        """The features' slash commands, each with the subcommands features add to it (after
        its own, in the features' order). A subcommand added to a command no feature declares
        is refused, as is a word the command already has."""
        declared = [command for feature in self.features for command in feature.commands]
        added: dict[str, list[Subcommand]] = {}
        for feature in self.features:
            for group in feature.added_subcommands:
                added.setdefault(group.command, []).extend(group.subcommands.values())
        unknown = set(added) - {command.name for command in declared}
        if unknown:
            raise ValueError(f"subcommands added to {', '.join(sorted(unknown))}, not declared")
        return tuple(command.with_added(added.get(command.name, [])) for command in declared)

    def command_named(self, name: str) -> SlashCommand | None:
        return next((command for command in self.commands if command.name == name), None)

    @property
    def shortcuts(self) -> tuple[MessageShortcut, ...]:
        return tuple(shortcut for feature in self.features for shortcut in feature.shortcuts)

    @property
    def jobs(self) -> tuple[JobAdder, ...]:
        return tuple(add for feature in self.features for add in feature.jobs)

    @property
    def home_sections(self) -> tuple[HomeSection, ...]:
        return _in_place([placed for feature in self.features for placed in feature.home])

    @property
    def digest_sections(self) -> tuple[DigestSection, ...]:
        return _in_place([placed for feature in self.features for placed in feature.digest])

    @property
    def settings(self) -> tuple[type[DataclassInstance], ...]:
        return tuple(section for feature in self.features for section in feature.settings)

    @property
    def follow_ups(self) -> tuple[ReminderSource, ...]:
        return tuple(source for feature in self.features for source in feature.follow_ups)

    @property
    def scheduled_posts(self) -> tuple[ScheduledPosts, ...]:
        return tuple(kind for feature in self.features for kind in feature.scheduled_posts)

    @property
    def after_import(self) -> tuple[AfterImport, ...]:
        return tuple(hook for feature in self.features for hook in feature.after_import)


def _in_place(parts: list[Placed[T]]) -> tuple[T, ...]:
    """The parts in ascending order of place (features' order among equal places)."""
    return tuple(placed.part for placed in sorted(parts, key=lambda placed: placed.place))
