"""The tables no feature owns: workspaces, the Slack events handled once and what their requests
made, each person's App Home tab, and each imported file (which KPI days and LIVE sessions name).
Each feature's tables are in its package's `models` (storage.tables imports them all)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

import storage.sellers.models  # noqa: F401  (the table its foreign keys name)
from storage.columns import _json_list, table_of, utc_now


class Workspace(SQLModel, table=True):
    """A Slack workspace (team) the bot is installed in."""

    team_id: str = Field(primary_key=True, max_length=32)
    name: str = Field(default="", max_length=200)
    created_at: datetime = Field(default_factory=utc_now)


class ImportBatch(SQLModel, table=True):
    """One imported file: what it was, who sent it, and what it changed."""

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(index=True, max_length=32)
    kind: str = Field(max_length=32)
    filename: str = Field(max_length=300)
    sha256: str = Field(max_length=64)
    seller_id: int | None = Field(default=None, foreign_key="seller.id", ondelete="SET NULL")
    user_id: str | None = Field(default=None, max_length=32)
    status: str = Field(default="done", max_length=16)
    rows_total: int = 0
    rows_new: int = 0
    rows_updated: int = 0
    first_day: date | None = None
    last_day: date | None = None
    error: str | None = Field(default=None, max_length=4000)
    created_at: datetime = Field(default_factory=utc_now)
    finished_at: datetime | None = None


IMPORT_BATCH_TABLE = table_of(ImportBatch)


class ProcessedSlackEvent(SQLModel, table=True):
    """An Events API event being handled, or handled (Slack retries; handle each event once).

    `worker` claimed it at `claimed_at`; `finished_at` is set when its work is done. An
    unfinished claim whose lease ran out, or whose worker is gone, is taken over by a
    redelivery, or resumed from `request` (storage.events). Slow slash commands are claimed
    here too, as `slash:<key of their trigger_id>`."""

    __table_args__ = (UniqueConstraint("team_id", "event_id"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    event_id: str = Field(max_length=64)
    received_at: datetime = Field(default_factory=utc_now)
    worker: str = Field(default="", max_length=160)
    claimed_at: datetime = Field(default_factory=utc_now)
    finished_at: datetime | None = None
    request: str | None = Field(
        default=None,
        sa_type=Text,
        description="the request (JSON) while its work runs, to do it again if it is cut off",
    )
    tries: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
    """How many times its work has been started: resumed work is dropped after the last try."""


PROCESSED_SLACK_EVENT_TABLE = table_of(ProcessedSlackEvent)


class SideEffect(SQLModel, table=True):
    """Something a request made outside its own record (a rule, a post, an upload, a DM), kept
    under the request's key (its claim: an event's ID, a slash command's `slash:<key>`), so a
    resumed or repeated request finds it rather than making it again (bot.shared.effects).

    `started_at` is written before the effect is tried and `result` (a rule's ID, a message's
    ts, a file's ID) once it is made: a row with no result is an effect cut off mid-way, whose
    absence is checked where it would be before it is made again."""

    __table_args__ = (UniqueConstraint("team_id", "request_key", "effect"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    request_key: str = Field(max_length=80)
    effect: str = Field(max_length=120)
    started_at: datetime = Field(default_factory=utc_now)
    result: str | None = Field(default=None, max_length=200)


SIDE_EFFECT_TABLE = table_of(SideEffect)


class HomeTab(SQLModel, table=True):
    """A person's App Home: the categories they follow (none: all), when it was last
    published, so automatic refreshes reach them at most once a minute, and whether a
    refresh waits for that minute to pass."""

    team_id: str = Field(primary_key=True, max_length=32)
    user_id: str = Field(primary_key=True, max_length=32)
    categories: list[str] = _json_list()
    published_at: datetime | None = None
    refresh_due: bool = False


HOME_TAB_TABLE = table_of(HomeTab)


class LanguageChoice(SQLModel, table=True):
    """The language a person chose for what only they see, or that a channel's posts are
    written in (bot.shared.speakers): `kind` is `person` or `channel`, `target` its Slack ID."""

    team_id: str = Field(primary_key=True, max_length=32)
    kind: str = Field(primary_key=True, max_length=16)
    target: str = Field(primary_key=True, max_length=32)
    language: str = Field(max_length=8)
    set_by: str = Field(max_length=32)
    set_at: datetime = Field(default_factory=utc_now)


LANGUAGE_CHOICE_TABLE = table_of(LanguageChoice)
