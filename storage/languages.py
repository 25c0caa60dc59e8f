"""The languages people and channels chose (storage.models.LanguageChoice): read as plain
values, written whole (a choice replaces the one before), forgotten with `auto`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from storage.models import LANGUAGE_CHOICE_TABLE, LanguageChoice

PERSON = "person"
CHANNEL = "channel"


def chosen_language(engine: Engine, team_id: str, kind: str, target: str) -> str | None:
    """The language chosen for a person or a channel; None when none is."""
    query = select(LANGUAGE_CHOICE_TABLE.c.language).where(
        LANGUAGE_CHOICE_TABLE.c.team_id == team_id,
        LANGUAGE_CHOICE_TABLE.c.kind == kind,
        LANGUAGE_CHOICE_TABLE.c.target == target,
    )
    with engine.connect() as connection:
        return connection.execute(query).scalar_one_or_none()


def choose_language(
    engine: Engine,
    team_id: str,
    kind: str,
    target: str,
    language: str | None,
    *,
    set_by: str,
    now: datetime,
) -> None:
    """Keep `language` for the person or channel (None forgets the choice); two choices at
    once leave one of them, whole."""
    for attempt in range(2):
        try:
            with Session(engine) as session, session.begin():
                session.execute(
                    delete(LanguageChoice).where(
                        LANGUAGE_CHOICE_TABLE.c.team_id == team_id,
                        LANGUAGE_CHOICE_TABLE.c.kind == kind,
                        LANGUAGE_CHOICE_TABLE.c.target == target,
                    )
                )
                if language is not None:
                    session.add(
                        LanguageChoice(
                            team_id=team_id,
                            kind=kind,
                            target=target,
                            language=language,
                            set_by=set_by,
                            set_at=now,
                        )
                    )
            return
        except IntegrityError:  # the other choice was written first: this one replaces it
            if attempt:
                raise
