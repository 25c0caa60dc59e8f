"""Settings read from the environment and an optional `.env` file.

Every setting is documented in `.env.example`. A missing or invalid value raises `SettingsError`
with one line that names the variable and what it expects; the CLI prints that line and exits.
Secrets are kept in `Secret` wrappers so that no repr, log line or error message can show them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values

from bot.matchmaking.score import COMPONENTS, DEFAULT_WEIGHTS
from bot.sellers.thresholds import GapThresholds, read_thresholds

SLACK_API_URL_DEFAULT = "https://slack.com/api/"
DATABASE_URL_DEFAULT = "sqlite:///shopbot.db"

DEFAULT_LEVEL_THRESHOLDS = (1, 100, 1_000, 5_000, 20_000, 50_000, 150_000, 500_000)
DEFAULT_ONBOARDING_STEPS = ("welcome call", "first sample", "first content", "first LIVE")

_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_LOCALE = re.compile(r"^[a-z]{2,3}(_[A-Z]{2})?$")


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


@dataclass(frozen=True)
class Settings:
    """Everything the bot needs to run, validated."""

    slack_bot_token: Secret
    slack_signing_secret: Secret
    slack_app_token: Secret = field(default_factory=lambda: Secret(""))
    database_url: str = DATABASE_URL_DEFAULT
    slack_api_url: str = SLACK_API_URL_DEFAULT
    timezone: str = "UTC"
    currency: str = "USD"
    locale: str = "en_US"
    admins: frozenset[str] = frozenset()
    log_level: str = "INFO"
    max_import_mb: int = 50
    imports_at_once: int = 1
    """File imports one process runs at once; the others queue (bot.imports.run)."""
    import_memory_mb: int = 600
    """Memory the imports of one process share; an import estimated over what is free of it
    waits, one over all of it is refused (bot.imports.gate, storage.importers.memory)."""
    resume_tries: int = 3
    """Starts of a request's work before work cut off that often is dropped (bot.resume)."""
    adoption_program: str = "live"
    digest_grace_hours: int = 48
    seller_gaps: GapThresholds = field(default_factory=GapThresholds)
    match_weights: tuple[tuple[str, float], ...] = tuple(DEFAULT_WEIGHTS.items())
    level_thresholds: tuple[int, ...] = DEFAULT_LEVEL_THRESHOLDS
    """The monthly GMV (whole currency units) each level from L1 to L8 needs."""
    onboarding_steps: tuple[str, ...] = DEFAULT_ONBOARDING_STEPS

    @property
    def weights(self) -> dict[str, float]:
        """The match score's weight per component (bot.matchmaking.score.COMPONENTS)."""
        return dict(self.match_weights)

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

    @property
    def max_import_bytes(self) -> int:
        return self.max_import_mb * 1024 * 1024


def load_settings(
    environ: Mapping[str, str] | None = None,
    env_file: Path | None = Path(".env"),
    *,
    require_slack: bool = True,
) -> Settings:
    """Read settings from `environ` (default: the process environment) over `env_file`.

    With `require_slack=False` the Slack credentials may be absent (the offline shell and demo
    bring their own sandbox credentials).
    """
    values: dict[str, str] = {}
    if env_file is not None and env_file.is_file():
        values.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
    values.update(os.environ if environ is None else environ)

    def get(name: str, default: str = "") -> str:
        return values.get(name, default).strip() or default

    bot_token = get("SLACK_BOT_TOKEN")
    signing_secret = get("SLACK_SIGNING_SECRET")
    app_token = get("SLACK_APP_TOKEN")
    if require_slack:
        if not bot_token:
            raise SettingsError("SLACK_BOT_TOKEN is not set: expected the bot token (xoxb-…)")
        if not signing_secret:
            raise SettingsError(
                "SLACK_SIGNING_SECRET is not set: expected the app's signing secret "
                "(Basic Information → App Credentials)"
            )
    if bot_token and not bot_token.startswith("xoxb-"):
        raise SettingsError("SLACK_BOT_TOKEN is invalid: expected a bot token starting with xoxb-")
    if signing_secret and not re.fullmatch(r"[0-9A-Za-z]{16,128}", signing_secret):
        raise SettingsError("SLACK_SIGNING_SECRET is invalid: expected 16–128 letters and digits")
    if app_token and not app_token.startswith("xapp-"):
        raise SettingsError(
            "SLACK_APP_TOKEN is invalid: expected an app-level token starting with xapp- "
            "(or leave it empty for HTTP mode)"
        )

    database_url = get("DATABASE_URL", DATABASE_URL_DEFAULT)
    if not database_url.startswith(("sqlite:///", "postgresql+psycopg://", "postgresql://")):
        raise SettingsError(
            "DATABASE_URL is invalid: expected sqlite:///PATH or postgresql+psycopg://USER@HOST/DB"
        )
    if database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgresql://")

    api_url = get("SLACK_API_URL", SLACK_API_URL_DEFAULT)
    if not re.match(r"^https?://[^\s/]+", api_url):
        raise SettingsError(
            f"SLACK_API_URL is invalid: expected an http(s) URL such as {SLACK_API_URL_DEFAULT}"
        )
    if not api_url.endswith("/"):
        api_url += "/"

    timezone = get("SHOPBOT_TIMEZONE", "UTC")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(
            "SHOPBOT_TIMEZONE is invalid: expected an IANA time zone such as Europe/Berlin"
        ) from None

    currency = get("SHOPBOT_CURRENCY", "USD").upper()
    if not _CURRENCY.fullmatch(currency):
        raise SettingsError("SHOPBOT_CURRENCY is invalid: expected a 3-letter ISO code such as USD")

    locale = get("SHOPBOT_LOCALE", "en_US")
    if not _LOCALE.fullmatch(locale):
        raise SettingsError("SHOPBOT_LOCALE is invalid: expected a locale such as en_US or de_DE")

    admins = frozenset(a.strip() for a in get("SHOPBOT_ADMINS").split(",") if a.strip())
    for admin in admins:
        if not _USER_ID.fullmatch(admin):
            raise SettingsError(
                "SHOPBOT_ADMINS is invalid: expected Slack user IDs separated by commas "
                "(such as U012AB3CD,U045EF6GH)"
            )

    log_level = get("SHOPBOT_LOG_LEVEL", "INFO").upper()
    if log_level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
        raise SettingsError("SHOPBOT_LOG_LEVEL is invalid: expected DEBUG, INFO, WARNING or ERROR")

    max_import = get("SHOPBOT_MAX_IMPORT_MB", "50")
    if not max_import.isdigit() or not 1 <= int(max_import) <= 2000:
        raise SettingsError("SHOPBOT_MAX_IMPORT_MB is invalid: expected megabytes from 1 to 2000")
    imports_at_once = get("SHOPBOT_IMPORTS_AT_ONCE", "1")
    if not imports_at_once.isdigit() or not 1 <= int(imports_at_once) <= 16:
        raise SettingsError("SHOPBOT_IMPORTS_AT_ONCE is invalid: expected a number from 1 to 16")
    import_memory = get("SHOPBOT_IMPORT_MEMORY_MB", "600")
    if not import_memory.isdigit() or not 400 <= int(import_memory) <= 65536:
        raise SettingsError(
            "SHOPBOT_IMPORT_MEMORY_MB is invalid: expected megabytes from 400 to 65536"
        )
    resume_tries = get("SHOPBOT_RESUME_TRIES", "3")
    if not resume_tries.isdigit() or not 1 <= int(resume_tries) <= 10:
        raise SettingsError("SHOPBOT_RESUME_TRIES is invalid: expected a number from 1 to 10")
    program = get("SHOPBOT_ADOPTION_PROGRAM", "live").lower()
    if program not in {"live", "affiliate", "video"}:
        raise SettingsError(
            "SHOPBOT_ADOPTION_PROGRAM is invalid: expected live, affiliate or video"
        )

    grace = get("SHOPBOT_DIGEST_GRACE_HOURS", "48")
    if not grace.isdigit() or not 0 <= int(grace) <= 168:
        raise SettingsError(
            "SHOPBOT_DIGEST_GRACE_HOURS is invalid: expected hours from 0 to 168 (a week)"
        )

    gaps, problem = read_thresholds(values)
    if problem:
        raise SettingsError(problem)

    return Settings(
        match_weights=_match_weights(get("SHOPBOT_MATCH_WEIGHTS")),
        level_thresholds=_level_thresholds(get("SHOPBOT_LEVEL_THRESHOLDS")),
        onboarding_steps=_onboarding_steps(get("SHOPBOT_ONBOARDING_STEPS")),
        slack_bot_token=Secret(bot_token),
        slack_signing_secret=Secret(signing_secret),
        slack_app_token=Secret(app_token),
        database_url=database_url,
        slack_api_url=api_url,
        timezone=timezone,
        currency=currency,
        locale=locale,
        admins=admins,
        log_level=log_level,
        max_import_mb=int(max_import),
        imports_at_once=int(imports_at_once),
        import_memory_mb=int(import_memory),
        resume_tries=int(resume_tries),
        adoption_program=program,
        digest_grace_hours=int(grace),
        seller_gaps=gaps,
    )


def _match_weights(text: str) -> tuple[tuple[str, float], ...]:
    """`gpm=4,price=0`: the components named get these weights, the others keep theirs."""
    weights = dict(DEFAULT_WEIGHTS)
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, _, value = part.partition("=")
        name = name.strip().lower()
        if name not in COMPONENTS or not re.fullmatch(r"\d{1,3}(\.\d+)?", value.strip()):
            raise SettingsError(
                "SHOPBOT_MATCH_WEIGHTS is invalid: expected component=weight pairs such as "
                f"gpm=4,price=0; the components are {', '.join(COMPONENTS)}"
            )
        weights[name] = float(value)
    if not any(weights.values()):
        raise SettingsError("SHOPBOT_MATCH_WEIGHTS is invalid: at least one weight must be above 0")
    return tuple(weights.items())


def _level_thresholds(text: str) -> tuple[int, ...]:
    """Eight rising amounts, the monthly GMV for L1 to L8: `1,100,1000,…`."""
    if not text:
        return DEFAULT_LEVEL_THRESHOLDS
    parts = [p.strip().replace("_", "") for p in text.split(",")]
    if len(parts) != 8 or not all(p.isdigit() for p in parts):
        raise SettingsError(
            "SHOPBOT_LEVEL_THRESHOLDS is invalid: expected eight whole amounts, the monthly GMV "
            "for L1 to L8, such as 1,100,1000,5000,20000,50000,150000,500000"
        )
    amounts = tuple(int(p) for p in parts)
    if any(b <= a for a, b in pairwise(amounts)):
        raise SettingsError(
            "SHOPBOT_LEVEL_THRESHOLDS is invalid: each level needs more than the last"
        )
    return amounts


def _onboarding_steps(text: str) -> tuple[str, ...]:
    """The onboarding checklist, in order: `welcome call,first sample,first LIVE`."""
    if not text:
        return DEFAULT_ONBOARDING_STEPS
    steps = tuple(dict.fromkeys(s.strip() for s in text.split(",") if s.strip()))
    if not 1 <= len(steps) <= 10 or any(len(s) > 64 for s in steps):
        raise SettingsError(
            "SHOPBOT_ONBOARDING_STEPS is invalid: expected 1 to 10 steps separated by commas, "
            "each at most 64 characters"
        )
    return steps
