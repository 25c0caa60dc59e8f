"""What the review listeners call: open the form, save what was submitted, show cards and
pages, edit, delete and restore. Each returns the reply to show (or opens a modal)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from slack_sdk import WebClient
from sqlalchemy.engine import Engine

from bot.review import cards
from bot.review.benchmarks import weakest
from bot.review.form import (
    FormContext,
    ReviewPrefill,
    already_reviewed,
    open_review_form,
    read_review_form,
)
from bot.services import Services
from bot.shared.arguments import parse_count
from bot.shared.forms import FormErrors, FormState
from bot.shared.language import _
from bot.shared.numbers import NumberStyle, style_of
from bot.shared.pages import Asked
from bot.shared.replies import Reply, section
from bot.shared.viewer import Viewer
from storage.db import held_by
from storage.errors import AdminsOnly, UsageLine
from storage.reviews import records as store
from storage.reviews.live_sessions import SessionAverage, average_figures, sessions_version
from storage.reviews.records import AlreadyReviewed, ReviewView
from storage.sellers.registry import find_seller
from storage.sellers.search import seller_by_id

MAX_LIST = 200


def number_style(services: Services) -> NumberStyle:
    return style_of(services)


def card(services: Services, review: ReviewView, *, buttons: bool = True) -> Reply:
    """The review's card, its figures set against the seller's and the category's average
    LIVE session, and its three weakest metrics against the category's."""
    engine, team = services.engine, review.team_id
    seller_average = (
        average_figures(engine, team, seller_id=review.seller_id)
        if review.seller_id
        else SessionAverage()
    )
    category_average = (
        category_benchmark(engine, team, review.seller_category)
        if review.seller_category
        else SessionAverage()
    )
    against = cards.CardContext(
        seller_average,
        category_average,
        weakest(review.figures, category_average.figures),
        number_style(services),
    )
    return cards.review_card(review, against, buttons=buttons)


def category_benchmark(engine: Engine, team_id: str, category: str) -> SessionAverage:
    """The category's average LIVE session. It averages thousands of sessions and changes
    only when sessions are imported, so it is kept, by the engine (storage.db.held_by), until
    the sessions' version moves."""
    kept_by_key: dict[tuple[str, str], tuple[tuple[int, int], SessionAverage]]
    kept_by_key = held_by(engine, "review benchmarks", dict)
    version = sessions_version(engine, team_id)
    kept = kept_by_key.get((team_id, category))
    if kept is not None and kept[0] == version:
        return kept[1]
    average = average_figures(engine, team_id, category=category)
    kept_by_key[(team_id, category)] = (version, average)
    return average


def local_now(services: Services) -> datetime:
    """Now on the team's wall clock, without a zone (as stream start times are kept)."""
    return services.clock().astimezone(services.settings.tz).replace(tzinfo=None)


def open_editor(
    services: Services,
    slack: WebClient,
    trigger_id: str,
    who: Viewer,
    review_id: int,
    *,
    response_url: str,
    replace: bool = False,
) -> None:
    """The form filled with the review, for its reviewer or an admin."""
    review = store.get_live_review(services.engine, who.team_id, review_id)
    store.require_reviewer_or_admin(review, who.user_id, services.settings.admins, "edit")
    seller = (
        seller_by_id(services.engine, who.team_id, review.seller_id) if review.seller_id else None
    )
    state = FormState(id=review.id, response_url=response_url, replace=replace)
    open_review_form(slack, state, trigger_id, ReviewPrefill.of(review, seller))


def save_submission(
    services: Services, who: Viewer, state: FormState, values: Any, view_id: str
) -> Reply | None:
    """Save a new review or an edit from the form; FormErrors keep the modal open with the
    problems under their fields. None when the same submission was saved already."""
    context = FormContext(
        services.engine, who.team_id, who.user_id, local_now(services), editing=state.id
    )
    content = read_review_form(values, context)
    try:
        if state.id is None:
            saved = store.save_review(
                services.engine,
                who.team_id,
                who.user_id,
                content,
                services.clock(),
                client_key=f"view:{view_id}",
                source_url=state.source_url,
            )
            if not saved.created:
                return None
            review, done = saved.review, _("✅ Saved review {review}.")
        else:
            review = store.edit_review(
                services.engine,
                who.team_id,
                state.id,
                content,
                **services.changed_by(who.user_id),
            )
            done = _("✅ Updated review {review}.")
    except AlreadyReviewed as duplicate:
        raise FormErrors({"stream_time": already_reviewed(duplicate.review_id)}) from None
    return _announced(done.format(review=review.id), card(services, review))


def _announced(line: str, reply: Reply) -> Reply:
    """The card with a line above it saying what was done."""
    return Reply(text=f"{line} {reply.text}", blocks=[section(line), *reply.blocks])


def page(
    services: Services, who: Viewer, listing: cards.ReviewListing, number: int, asked: Asked
) -> Reply:
    """Page `number` of the reviews `listing` names, stopping at its total."""
    offset = (number - 1) * cards.PAGE_SIZE
    size = max(0, min(cards.PAGE_SIZE, listing.total - offset))
    which = store.ReviewFilter(seller_id=listing.seller_id, host=listing.host)
    found = store.list_reviews(services.engine, who.team_id, which, size, offset)
    more = found.has_more and offset + len(found.reviews) < listing.total
    return cards.list_reply(
        listing, found.reviews, number, more, asked, services.commands, style_of(services)
    )


def delete(services: Services, who: Viewer, review_id: int) -> Reply:
    review = store.delete_review(
        services.engine,
        who.team_id,
        review_id,
        **services.changed_by(who.user_id),
    )
    return cards.deleted_reply(review)


def restore(services: Services, who: Viewer, review_id: int) -> Reply:
    review = store.restore_review(
        services.engine,
        who.team_id,
        review_id,
        **services.changed_by(who.user_id),
    )
    return _announced(
        _("♻️ Restored review {review}.").format(review=review.id), card(services, review)
    )


def deleted(services: Services, who: Viewer, page: int, asked: Asked) -> Reply:
    if not who.is_admin:
        raise AdminsOnly(_("see deleted reviews"), services.settings.admins)
    found = store.deleted_reviews(services.engine, who.team_id, services.clock())
    return cards.deleted_list(found, page, asked, services.commands, style_of(services))


def list_words(services: Services, team_id: str, args: str, usage: UsageLine) -> tuple[str, int]:
    """(who to list, how many) from `[seller|@host] [n]`: a number at the end is how many,
    unless it is part of a seller's name (`Studio 54`)."""
    words = args.split()
    if not words or not words[-1].isdigit() or find_seller(services.engine, team_id, args):
        return args.strip(), MAX_LIST  # a page at a time
    total = parse_count(words[-1], MAX_LIST, MAX_LIST, usage)
    return " ".join(words[:-1]), total
