"""Settings read from the environment and an optional `.env` file.

Each setting is declared once, by the part that owns it: a field of a frozen dataclass made with
`setting(NAME, default, parser, invalid=…, describe=…)`, which carries the environment name, the
default as `.env.example` shows it, the parser, the sentence a person reads when the value is wrong
and the description `.env.example` shows above it. The core settings are the fields of `Settings`
below. A feature declares its own settings the same way, as a section in the module that uses them
(`bot.sellers.thresholds.GapThresholds`, `bot.imports.gate.ImportSettings`, …), and reads them with
`settings.section(GapThresholds)`. This module imports no feature: the composition root hands
`load_settings` the sections to check at start, and `.env.example` is written from the same
declarations (`env_example`; a test keeps the file so).

A missing or invalid value raises `SettingsError` with one line that names the variable and what it
expects; the CLI prints that line and exits. Secrets are kept in `Secret` wrappers so that no repr,
log line or error message can show them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

T = TypeVar("T")
S = TypeVar("S", bound="DataclassInstance")

SLACK_API_URL_DEFAULT = "https://slack.com/api/"
DATABASE_URL_DEFAULT = "sqlite:///shopbot.db"
DECLARED = "shopbot.setting"  # the key of a field's declaration in its dataclass metadata

_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_LOCALE = re.compile(r"^[a-z]{2,3}(_[A-Z]{2})?$")
_SIGNING_SECRET = re.compile(r"[0-9A-Za-z]{16,128}")


class SettingsError(ValueError):
    """A setting is missing or invalid; the message is one line meant for the operator."""


class Secret:
    """A string that never shows itself in repr, str or f-strings."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __repr__(self) -> str:
        return "Secret('********')" if self._value else "Secret('')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


class Invalid(ValueError):
    """Raised by a setting's parser: the text is no value of the setting. The person reads
    `NAME is invalid: <reason>`, or the declaration's own sentence when no reason is given."""

    def __init__(self, reason: str = "") -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Setting(Generic[T]):
    """One setting, as the part that owns it declares it (with `setting`)."""

    env: str
    default: str
    """The text an absent or empty value stands for, as `.env.example` shows it."""
    parse: Callable[[str], T]
    """The text (stripped, or the default) to the value; raises `Invalid` (or any ValueError)
    when the text is no value of the setting."""
    invalid: str
    """What a person reads after `NAME is invalid: ` when the parser refuses the text."""
    describe: str
    """The comment `.env.example` shows above the setting, one line per line."""
    unset: str = ""
    """What a person reads after `NAME is not set: ` when the setting is required and empty;
    empty for a setting that may always be empty (only the Slack credentials are required)."""
    heading: str = ""
    """The heading `.env.example` shows above this setting and the ones declared after it."""

    def text(self, values: Mapping[str, str]) -> str:
        return values.get(self.env, "").strip() or self.default

    def read(self, values: Mapping[str, str]) -> T:
        try:
            return self.parse(self.text(values))
        except ValueError as error:
            reason = error.reason if isinstance(error, Invalid) and error.reason else self.invalid
            raise SettingsError(f"{self.env} is invalid: {reason}") from None


def setting(
    env: str,
    default: str,
    parse: Callable[[str], T],
    *,
    invalid: str,
    describe: str,
    unset: str = "",
    heading: str = "",
) -> T:
    """A dataclass field declared as the setting `env` (see `Setting` for the rest); its default
    is `parse(default)`."""
    declared = Setting(env, default, parse, invalid, describe, unset, heading)
    return field(default_factory=lambda: parse(default), metadata={DECLARED: declared})


def declarations(kind: type[DataclassInstance]) -> list[Setting[object]]:
    """The settings a dataclass declares, in field order."""
    found: list[Setting[object]] = []
    for item in fields(kind):
        declared = item.metadata.get(DECLARED)
        if isinstance(declared, Setting):
            found.append(declared)
    return found


def read_section(kind: type[S], values: Mapping[str, str]) -> S:
    """The settings `kind` declares, read from `values` (name → text); `SettingsError` names the
    first that is wrong."""
    read = {
        item.name: item.metadata[DECLARED].read(values)
        for item in fields(kind)
        if DECLARED in item.metadata
    }
    return replace(kind(), **read)


def whole(low: int, high: int, times: int = 1) -> Callable[[str], int]:
    """A parser of whole numbers from `low` to `high`, the value `times` the number typed."""

    def parse(text: str) -> int:
        if not text.isdigit() or not low <= int(text) <= high:
            raise Invalid
        return int(text) * times

    return parse


def one_of(choices: Iterable[str], normal: Callable[[str], str]) -> Callable[[str], str]:
    """A parser of one of `choices`, compared (and kept) as `normal` turns the text."""
    known = frozenset(choices)

    def parse(text: str) -> str:
        if normal(text) not in known:
            raise Invalid
        return normal(text)

    return parse


def _token(prefix: str) -> Callable[[str], Secret]:
    def parse(text: str) -> Secret:
        if text and not text.startswith(prefix):
            raise Invalid
        return Secret(text)

    return parse


def _signing_secret(text: str) -> Secret:
    if text and not _SIGNING_SECRET.fullmatch(text):
        raise Invalid
    return Secret(text)


def _database_url(text: str) -> str:
    if not text.startswith(("sqlite:///", "postgresql+psycopg://", "postgresql://")):
        raise Invalid
    if text.startswith("postgresql://"):
        return "postgresql+psycopg://" + text.removeprefix("postgresql://")
    return text


def _api_url(text: str) -> str:
    if not re.match(r"^https?://[^\s/]+", text):
        raise Invalid
    return text if text.endswith("/") else text + "/"


def _time_zone(text: str) -> str:
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise Invalid from None
    return text


def _currency(text: str) -> str:
    if not _CURRENCY.fullmatch(text.upper()):
        raise Invalid
    return text.upper()


def _locale(text: str) -> str:
    if not _LOCALE.fullmatch(text):
        raise Invalid
    return text


LANGUAGES = {"en": "en_US", "de": "de_DE"}
"""The languages shopbot writes (its message catalogs, bot.shared.language), each with the locale
its formats take where the workspace's own (SHOPBOT_LOCALE) is of another language."""


def _language(text: str) -> str:
    language = text.strip().lower()
    if language not in LANGUAGES:
        raise Invalid
    return language


def _admins(text: str) -> frozenset[str]:
    admins = frozenset(a.strip() for a in text.split(",") if a.strip())
    if not all(_USER_ID.fullmatch(admin) for admin in admins):
        raise Invalid
    return admins


@dataclass(frozen=True)
class Settings:
    """Everything the bot needs to run, validated: the core settings, and the features' sections
    (`section`)."""

    slack_bot_token: Secret = setting(
        "SLACK_BOT_TOKEN",
        "",
        _token("xoxb-"),
        invalid="expected a bot token starting with xoxb-",
        unset="expected the bot token (xoxb-…)",
        describe="Bot token from OAuth & Permissions, starts with xoxb-.",
        heading="Slack (required for `shopbot run`; the shell and demo bring their own sandbox)",
    )
    slack_signing_secret: Secret = setting(
        "SLACK_SIGNING_SECRET",
        "",
        _signing_secret,
        invalid="expected 16–128 letters and digits",
        unset="expected the app's signing secret (Basic Information → App Credentials)",
        describe="Signing secret from Basic Information -> App Credentials (letters and digits).",
    )
    slack_app_token: Secret = setting(
        "SLACK_APP_TOKEN",
        "",
        _token("xapp-"),
        invalid=(
            "expected an app-level token starting with xapp- (or leave it empty for HTTP mode)"
        ),
        describe=(
            "App-level token with connections:write, starts with xapp-. Set it for Socket Mode;\n"
            "leave it empty to serve HTTP on POST /slack/events."
        ),
    )
    slack_api_url: str = setting(
        "SLACK_API_URL",
        SLACK_API_URL_DEFAULT,
        _api_url,
        invalid=f"expected an http(s) URL such as {SLACK_API_URL_DEFAULT}",
        describe=(
            "Slack's Web API base URL. Leave the default; tests and the sandbox point it at "
            "loopback."
        ),
    )
    database_url: str = setting(
        "DATABASE_URL",
        DATABASE_URL_DEFAULT,
        _database_url,
        invalid="expected sqlite:///PATH or postgresql+psycopg://USER@HOST/DB",
        describe=(
            "SQLite file (default, relative to the working directory) or PostgreSQL for several "
            "replicas:\n"
            "  DATABASE_URL=postgresql+psycopg://shopbot:password@db-host:5432/shopbot"
        ),
        heading="Storage",
    )
    timezone: str = setting(
        "SHOPBOT_TIMEZONE",
        "UTC",
        _time_zone,
        invalid="expected an IANA time zone such as Europe/Berlin",
        describe='IANA time zone the team works in: day boundaries, "today", digest times.',
        heading="The team",
    )
    currency: str = setting(
        "SHOPBOT_CURRENCY",
        "USD",
        _currency,
        invalid="expected a 3-letter ISO code such as USD",
        describe="ISO 4217 currency of the shop's money figures.",
    )
    locale: str = setting(
        "SHOPBOT_LOCALE",
        "en_US",
        _locale,
        invalid="expected a locale such as en_US or de_DE",
        describe="Locale for number and date formats (en_US, de_DE, id_ID, ...).",
    )
    language: str = setting(
        "SHOPBOT_LANGUAGE",
        "en",
        _language,
        invalid="expected a language shopbot writes: en or de",
        describe=(
            "Language of what shopbot writes, unless a person's Slack language or a channel's "
            "own says otherwise (en, de)."
        ),
    )
    admins: frozenset[str] = setting(
        "SHOPBOT_ADMINS",
        "",
        _admins,
        invalid=("expected Slack user IDs separated by commas (such as U012AB3CD,U045EF6GH)"),
        describe=(
            "Slack user IDs of the admins, comma-separated (they can change anyone's notes, "
            "send digests)."
        ),
    )
    adoption_program: str = setting(
        "SHOPBOT_ADOPTION_PROGRAM",
        "live",
        one_of(("live", "affiliate", "video"), str.lower),
        invalid="expected live, affiliate or video",
        describe=(
            "Which program counts a seller as adopted (seller adoption rate): live, affiliate or "
            "video."
        ),
    )
    log_level: str = setting(
        "SHOPBOT_LOG_LEVEL",
        "INFO",
        one_of(("DEBUG", "INFO", "WARNING", "ERROR"), str.upper),
        invalid="expected DEBUG, INFO, WARNING or ERROR",
        describe=(
            "DEBUG, INFO, WARNING or ERROR. Tokens and secrets are redacted from every log line."
        ),
        heading="Operations",
    )
    read_from: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)
    """The values (name → text) these were read from, which the features' sections are read
    from too."""
    sections: Mapping[type, object] = field(default_factory=dict, repr=False, compare=False)
    """The features' sections read at load (or given by `with_section`), by their type."""

    def section(self, kind: type[S]) -> S:
        """The feature settings `kind` declares: as read at load, else read now from `read_from`
        (`SettingsError` when one is wrong: the composition root checks them all at load)."""
        found = self.sections.get(kind)
        if isinstance(found, kind):
            return found
        return read_section(kind, self.read_from)

    def with_section(self, section: DataclassInstance) -> Settings:
        """These settings with one feature's section as given."""
        return replace(self, sections={**self.sections, type(section): section})

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def socket_mode(self) -> bool:
        return bool(self.slack_app_token)

    def secrets(self) -> list[str]:
        """The secret values, for the log redaction filter."""
        values = (self.slack_bot_token, self.slack_signing_secret, self.slack_app_token)
        return [s.reveal() for s in values if s]

    def is_admin(self, user_id: str) -> bool:
        return user_id in self.admins


def load_settings(
    environ: Mapping[str, str] | None = None,
    env_file: Path | None = Path(".env"),
    *,
    require_slack: bool = True,
    sections: Iterable[type[DataclassInstance]] = (),
) -> Settings:
    """Read settings from `environ` (default: the process environment) over `env_file`: the core
    settings, and the features' `sections` (those the composition root collects), so that a wrong
    value stops the start with its sentence.

    With `require_slack=False` the Slack credentials may be absent (the offline shell and demo
    bring their own sandbox credentials).
    """
    values: dict[str, str] = {}
    if env_file is not None and env_file.is_file():
        values.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
    values.update(os.environ if environ is None else environ)
    if require_slack:
        for declared in declarations(Settings):
            if declared.unset and not declared.text(values):
                raise SettingsError(f"{declared.env} is not set: {declared.unset}")
    core = read_section(Settings, values)
    return replace(
        core, read_from=values, sections={kind: read_section(kind, values) for kind in sections}
    )


ENV_EXAMPLE_HEAD = (
    "# shopbot settings. Copy to .env (or set them in the environment; the environment wins).\n"
    "# A missing or invalid value stops shopbot with one line naming the variable.\n"
    "# Written from the settings' declarations (`make env-example`): change those, not this file.\n"
)


def env_example(sections: Iterable[type[DataclassInstance]]) -> str:
    """The text of `.env.example`: every core setting, then those of `sections`, each with its
    description and default, under the headings their declarations give."""
    lines = [ENV_EXAMPLE_HEAD.rstrip("\n")]
    kinds: list[type[DataclassInstance]] = [Settings, *sections]
    for kind in kinds:
        for declared in declarations(kind):
            if declared.heading:
                title = f"# --- {declared.heading} "
                lines += ["", title + "-" * max(3, 92 - len(title))]
            lines += [f"# {line}".rstrip() for line in declared.describe.splitlines()]
            lines.append(f"{declared.env}={declared.default}")
    return "\n".join(lines) + "\n"
