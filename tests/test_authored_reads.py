"""One read rule for every kind of authored record (storage.authored): a reader gets live
records only; a deleted one answers to a reader as to a change (not found, the kind's own
words); only the restorer (the deleted list, restore) sees it, and then it is back for all."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from storage.db import transaction
from storage.errors import UserError
from storage.feedback import notes as feedback
from storage.reviews import records as reviews
from storage.reviews.scorecard import SCORECARD
from storage.sellers import notes as seller_notes
from storage.sellers.models import Seller
from tests.feedback_support import NOW

TEAM, OTHER = "T1", "T2"
AUTHOR, ADMIN = "U0ZOË", "U0ADMIN"
AS_AUTHOR: dict[str, Any] = {"user_id": AUTHOR, "admins": (ADMIN,), "now": NOW}
AS_ADMIN: dict[str, Any] = {"user_id": ADMIN, "admins": (ADMIN,), "now": NOW}


def _seller(engine: Engine, team_id: str = TEAM) -> int:
    with transaction(engine) as session:
        seller = Seller(team_id=team_id, seller_key="S1", name="Küchenwelt & Co", category="Home")
        session.add(seller)
        session.flush()
        assert seller.id is not None
        return seller.id


def _note(engine: Engine) -> int:
    draft = feedback.NoteDraft(
        team_id=TEAM,
        author_user_id=AUTHOR,
        handle="zoë.lives",
        text="wants a café LIVE",
        topic="general",
        sentiment="neutral",
    )
    return feedback.save_note(engine, draft, NOW).note.id


def _seller_note(engine: Engine) -> int:
    draft = seller_notes.SellerNoteDraft(TEAM, _seller(engine), AUTHOR, "Schöne Grüße: two LIVEs")
    return seller_notes.save_seller_note(engine, draft, NOW).id


def _review_content(engine: Engine) -> reviews.ReviewContent:
    seller_id = _seller(engine)
    scores = dict.fromkeys(SCORECARD, 3)
    return reviews.ReviewContent(seller_id, datetime(2026, 12, 2, 19, 0), scores)


def _review(engine: Engine) -> int:
    return reviews.save_review(engine, TEAM, AUTHOR, _review_content(engine), NOW).review.id


@dataclass(frozen=True)
class Kind:
    """One kind of authored record, as its own module reads and changes it."""

    name: str
    write: Callable[[Engine], int]
    get: Callable[[Engine, str, int], Any]
    listed: Callable[[Engine], list[int]]  # what a reader's list shows
    edit: Callable[[Engine, int], Any]  # by its author
    delete: Callable[..., Any]
    restore: Callable[..., Any]
    deleted: Callable[[Engine], list[int]] | None  # the restorer's list, where the kind has one
    not_found: type[UserError]


def _edit_review(engine: Engine, review_id: int) -> Any:
    content = reviews.get_live_review(engine, TEAM, review_id).content()
    return reviews.edit_review(engine, TEAM, review_id, content, **AS_AUTHOR)


KINDS = [
    Kind(
        "creator note",
        _note,
        feedback.get_note,
        lambda engine: [n.id for n in feedback.notes_by(engine, TEAM, AUTHOR, 10).notes],
        lambda engine, n: feedback.edit_note(
            engine,
            TEAM,
            n,
            feedback.NoteChanges("now twö", "general", "neutral", [], None),
            **AS_AUTHOR,
        ),
        feedback.delete_note,
        feedback.restore_note,
        lambda engine: [n.id for n in feedback.deleted_notes(engine, TEAM, NOW, 10).notes],
        feedback.NoteNotFound,
    ),
    Kind(
        "seller note",
        _seller_note,
        seller_notes.get_seller_note,
        lambda engine: [
            n.id for n in seller_notes.search_seller_notes(engine, TEAM, "Grüße", 10).notes
        ],
        lambda engine, n: seller_notes.edit_seller_note(
            engine, TEAM, n, text="Schöne Grüße: three", tags=[], follow_up_on=None, **AS_AUTHOR
        ),
        seller_notes.delete_seller_note,
        seller_notes.restore_seller_note,
        None,  # seller notes are restored by the number their deletion answered
        seller_notes.SellerNoteNotFound,
    ),
    Kind(
        "review",
        _review,
        reviews.get_live_review,
        lambda engine: [
            r.id for r in reviews.list_reviews(engine, TEAM, reviews.ReviewFilter(), 10).reviews
        ],
        _edit_review,
        reviews.delete_review,
        reviews.restore_review,
        lambda engine: [r.id for r in reviews.deleted_reviews(engine, TEAM, NOW)],
        reviews.ReviewNotFound,
    ),
]


@pytest.fixture(params=KINDS, ids=lambda kind: kind.name.replace(" ", "_"))
def kind(request: pytest.FixtureRequest) -> Kind:
    return request.param


def test_a_reader_sees_a_live_record_and_its_lists_show_it(engine: Engine, kind: Kind) -> None:
    number = kind.write(engine)
    assert kind.get(engine, TEAM, number).deleted_at is None
    assert kind.listed(engine) == [number]
    assert kind.deleted is None or kind.deleted(engine) == []
    assert kind.edit(engine, number).id == number


def test_a_deleted_record_is_not_found_by_a_reader_nor_by_a_change(
    engine: Engine, kind: Kind
) -> None:
    number = kind.write(engine)
    gone = kind.delete(engine, TEAM, number, **AS_AUTHOR)
    assert gone.deleted_at is not None and gone.deleted_by == AUTHOR  # what was just deleted
    with pytest.raises(kind.not_found):
        kind.get(engine, TEAM, number)
    with pytest.raises(kind.not_found):
        kind.edit(engine, number)
    with pytest.raises(kind.not_found):
        kind.delete(engine, TEAM, number, **AS_AUTHOR)
    assert kind.listed(engine) == []


def test_only_the_restorer_sees_a_deleted_record_and_restoring_gives_it_back_to_all(
    engine: Engine, kind: Kind
) -> None:
    number = kind.write(engine)
    kind.delete(engine, TEAM, number, **AS_AUTHOR)
    if kind.deleted is not None:
        assert kind.deleted(engine) == [number]
    back = kind.restore(engine, TEAM, number, **AS_ADMIN)
    assert back.id == number and back.deleted_at is None
    assert kind.get(engine, TEAM, number).id == number
    assert kind.listed(engine) == [number]
    assert kind.deleted is None or kind.deleted(engine) == []


def test_a_record_deleted_longer_ago_than_30_days_is_restored_by_nobody(
    engine: Engine, kind: Kind
) -> None:
    number = kind.write(engine)
    kind.delete(engine, TEAM, number, **AS_AUTHOR)
    later = {**AS_ADMIN, "now": NOW + timedelta(days=31)}
    with pytest.raises(kind.not_found):
        kind.restore(engine, TEAM, number, **later)


def test_another_workspace_has_no_such_record(engine: Engine, kind: Kind) -> None:
    number = kind.write(engine)
    with pytest.raises(kind.not_found):
        kind.get(engine, OTHER, number)
    with pytest.raises(kind.not_found):
        kind.delete(engine, OTHER, number, **AS_AUTHOR)
