"""The review form: a modal for a new review (from `/review`, or a message shortcut) or for
editing one, and the reading of what was submitted.

Figures left empty are taken from the LIVE session imported for that seller and start time
(within half an hour), and the review is linked to it; typed figures win over the session's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any
from urllib.parse import urlparse

from slack_sdk import WebClient
from slack_sdk.models.blocks import (
    Block,
    CheckboxesElement,
    ContextBlock,
    DatePickerElement,
    ExternalDataSelectElement,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    StaticMultiSelectElement,
    StaticSelectElement,
    TimePickerElement,
)
from slack_sdk.models.views import View
from sqlalchemy.engine import Engine

from bot.review.figures import figure_label, parse_figure, typed_figure
from bot.review.scorecard_texts import criterion_in_sentence, criterion_label, scorecard_text
from bot.shared.forms import (
    Collector,
    FormState,
    Values,
    element_state,
    option,
    selected,
    selected_date,
    text_value,
)
from bot.shared.handles import handle_or_none, handles_in, near_miss
from bot.shared.language import _, speech
from bot.shared.numbers import NumberStyle
from bot.shared.replies import shown
from bot.shared.slack_text import RefKind, SlackText
from bot.shared.sources import SESSIONS_EXPORT
from bot.shared.tags import parse_tag_field, tags_in
from storage.creators.registry import find_creator, get_creator, registry_handles
from storage.errors import UserError
from storage.reviews.live_sessions import session_near
from storage.reviews.records import REVIEW_FIGURES, ReviewContent, ReviewView, same_stream_review
from storage.reviews.scorecard import CRITERIA, HIGHEST, IMPROVEMENT_TAGS, LOWEST, Criterion
from storage.sellers.registry import SellerRef
from storage.sellers.search import seller_by_id, seller_named_in

REVIEW_FORM = "review_form"
SELLER_SELECT = "review_seller"  # the type-ahead's action_id: its options come from the app
MAX_TEXT = 3000
MAX_BEST = 1000
MAX_HOST = 200
BEST_FLAG = "best"
# What Slack's time picker sends; anything else (`25:99`, a forged value) is no time of day.
TIME_PICKED = re.compile(r"(?P<hour>[01][0-9]|2[0-3]):(?P<minute>[0-5][0-9])")


@dataclass(frozen=True)
class ReviewPrefill:
    """What the form shows when it opens: a review being edited, or what a message gave."""

    seller: SellerRef | None = None
    host: str = ""
    stream_url: str = ""
    started_at: datetime | None = None
    scores: dict[str, int] = field(default_factory=dict)
    strengths: str = ""
    improvements: str = ""
    tags: tuple[str, ...] = ()
    best_practice: str | None = None
    figures: dict[str, int | None] = field(default_factory=dict)

    @classmethod
    def of(cls, review: ReviewView, seller: SellerRef | None) -> ReviewPrefill:
        host = f"@{review.host_handle}" if review.host_handle else review.host_name
        return cls(
            seller=seller,
            host=host,
            stream_url=review.stream_url or "",
            started_at=review.content().stream_started_at,
            scores=dict(review.scores),
            strengths=review.strengths,
            improvements=review.improvements,
            tags=tuple(review.tags),
            best_practice=review.best_practice,
            figures=dict(review.figures),
        )


def open_review_form(
    slack: WebClient, state: FormState, trigger_id: str, prefill: ReviewPrefill
) -> None:
    """The one way the review form opens (new, from a message, or to edit `state.id`)."""
    slack.views_open(trigger_id=trigger_id, view=review_form(state, prefill))


def seller_option(seller: SellerRef) -> Option:
    category = f" · {seller.category}" if seller.category else ""
    return option(f"{seller.name}{category}", str(seller.id))


def _score_option(criterion: Criterion, score: int) -> Option:
    """`5 · offer and product in the first 30 seconds`: the score and what it looks like."""
    anchor = scorecard_text(criterion.anchor(score))
    return option(f"{score} · {anchor}" if anchor else str(score), str(score))


def _text_input(
    block_id: str,
    label: str,
    initial: str = "",
    *,
    multiline: bool = False,
    max_length: int = MAX_TEXT,
    hint: str | None = None,
    placeholder: str | None = None,
) -> InputBlock:
    return InputBlock(
        block_id=block_id,
        label=label,
        optional=True,
        hint=hint,
        element=PlainTextInputElement(
            action_id=block_id,
            multiline=multiline,
            max_length=max_length,
            initial_value=initial[:max_length] or None,
            placeholder=placeholder,
        ),
    )


def _context(mrkdwn: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=mrkdwn)])


def review_form(state: FormState, prefill: ReviewPrefill) -> dict[str, Any]:
    """The modal's view; every criterion offers 5 to 1 with what a 5, a 3 and a 1 look like."""
    started = prefill.started_at
    blocks: list[Block] = [
        InputBlock(
            block_id="seller",
            label=_("Seller"),
            hint=_("Type to search the sellers by name or ID."),
            element=ExternalDataSelectElement(
                action_id=SELLER_SELECT,
                placeholder=_("seller name"),
                min_query_length=1,
                initial_option=seller_option(prefill.seller) if prefill.seller else None,
            ),
        ),
        _text_input(
            "host",
            _("Host"),
            prefill.host,
            max_length=MAX_HOST,
            hint=_(
                "A creator's @handle from the registry, or the name of the seller's own host "
                "(empty: the seller's own host)."
            ),
        ),
        _text_input("stream_url", _("Stream link"), prefill.stream_url, max_length=500),
        InputBlock(
            block_id="stream_day",
            label=_("Stream day"),
            element=DatePickerElement(
                action_id="stream_day", initial_date=started.date().isoformat() if started else None
            ),
        ),
        InputBlock(
            block_id="stream_time",
            label=_("Start time"),
            hint=_("As the LIVE export shows it; its figures are filled in when it was imported."),
            element=TimePickerElement(
                action_id="stream_time", initial_time=f"{started:%H:%M}" if started else None
            ),
        ),
    ]
    for criterion in CRITERIA:
        options = [_score_option(criterion, s) for s in range(HIGHEST, LOWEST - 1, -1)]
        chosen = prefill.scores.get(criterion.key)
        blocks.append(
            InputBlock(
                block_id=f"score_{criterion.key}",
                label=criterion_label(criterion.label),
                hint=scorecard_text(criterion.judges),
                element=StaticSelectElement(
                    action_id=f"score_{criterion.key}",
                    placeholder="1–5",
                    options=options,
                    initial_option=options[HIGHEST - chosen] if chosen else None,
                ),
            )
        )
    tag_options = [
        option(f"#{tag} · {scorecard_text(meaning)}", tag)
        for tag, meaning in IMPROVEMENT_TAGS.items()
    ]
    fixed = [o for o in tag_options if o.value in prefill.tags]
    free = [t for t in prefill.tags if t not in IMPROVEMENT_TAGS]
    best_option = option(_("Best practice: a moment worth copying"), BEST_FLAG)
    blocks += [
        _text_input("strengths", _("Strengths"), prefill.strengths, multiline=True),
        _text_input("improvements", _("Improvements"), prefill.improvements, multiline=True),
        InputBlock(
            block_id="tags",
            label=_("Improvement tags"),
            optional=True,
            element=StaticMultiSelectElement(
                action_id="tags",
                placeholder="#hook, #lighting…",
                options=tag_options,
                initial_options=fixed or None,
            ),
        ),
        _text_input(
            "free_tags",
            _("Other tags"),
            " ".join(free),
            max_length=300,
            hint=_("Words, # optional."),
        ),
        InputBlock(
            block_id="best",
            label=_("Best practice"),
            optional=True,
            element=CheckboxesElement(
                action_id="best",
                options=[best_option],
                initial_options=[best_option] if prefill.best_practice else None,
            ),
        ),
        _text_input(
            "best_moment",
            _("The moment worth copying"),
            prefill.best_practice or "",
            multiline=True,
            max_length=MAX_BEST,
            placeholder=_("At 12:40 she pins the voucher while showing the close-up…"),
        ),
        _context(
            _(
                "*The stream's figures* — left empty, they come from the {export} imported for "
                "this seller and start time."
            ).format(export=_(SESSIONS_EXPORT))
        ),
    ]
    for name in REVIEW_FIGURES:
        blocks.append(
            _text_input(
                f"fig_{name}",
                figure_label(name),
                typed_figure(name, prefill.figures.get(name)),
                max_length=40,
            )
        )
    if state.source_url:
        blocks.append(_context(_("From <{link}|this message>.").format(link=state.source_url)))
    view = View(
        type="modal",
        callback_id=REVIEW_FORM,
        title=(
            _("Edit review {review}").format(review=state.id)
            if state.id
            else _("Livestream review")
        ),
        submit=_("Save"),
        close=_("Cancel"),
        private_metadata=state.dump(),
        blocks=blocks,
    )
    return view.to_dict()


# ---- reading the submission -----------------------------------------------------------------


@dataclass(frozen=True)
class FormContext:
    """What reading a submission needs besides the values."""

    engine: Engine
    team_id: str
    reviewer: str
    now_local: datetime  # now, as the team's wall clock (naive)
    editing: int | None = None  # the review being edited


def _seller_id(values: Values) -> int | None:
    value = selected(values, "seller") or ""
    return int(value) if value.isdigit() and len(value) < 18 else None


def check_url(text: str) -> str | None:
    """The stream link, or None when empty; UserError for anything but a web address."""
    typed = text.strip()
    if not typed:
        return None
    parsed = urlparse(typed)
    if parsed.scheme not in ("http", "https") or "." not in parsed.netloc or " " in typed:
        raise UserError(
            _(
                "`{typed}` is not a link: paste the stream's address, such as "
                "https://www.tiktok.com/@shop/live."
            ).format(typed=shown(typed))
        )
    return typed


def check_host(engine: Engine, team_id: str, text: str) -> tuple[str, int | None]:
    """(host name, creator id): an @handle must be a creator of the registry (close matches
    are suggested); anything else names the seller's own host."""
    typed = text.strip()
    if not typed.startswith("@"):
        return typed, None
    handle = handle_or_none(typed)
    creator = find_creator(engine, team_id, handle) if handle else None
    if creator is None or creator.id is None:
        guess = near_miss(handle, registry_handles(engine, team_id)) if handle else None
        hint = " " + _("Did you mean @{handle}?").format(handle=guess) if guess else ""
        raise UserError(
            _(
                "I don't know the creator `{typed}`.{hint} Add them with `/creator add`, or "
                "write the seller's own host's name without @."
            ).format(typed=shown(typed), hint=hint)
        )
    return "", creator.id


def host_names(engine: Engine, team_id: str, host: tuple[str, int | None]) -> tuple[str, ...]:
    """The names a LIVE sessions export may give the host (`check_host`'s answer): a
    creator's handle and display name, or the own host's name as typed."""
    name, creator_id = host
    if creator_id is None:
        return (name,) if name else ()
    creator = get_creator(engine, team_id, creator_id)
    return tuple(n for n in (creator.handle, creator.display_name) if n)


def _start(values: Values, found: Collector, now_local: datetime) -> datetime | None:
    day = selected_date(values, "stream_day")
    clock = str(element_state(values, "stream_time").get("selected_time") or "")
    found.check("stream_day", None if day else _("Pick the day of the stream."))
    picked = TIME_PICKED.fullmatch(clock)
    found.check("stream_time", None if picked else _("Pick the time the stream started."))
    if day is None or picked is None:
        return None
    started = datetime.combine(day, time(int(picked["hour"]), int(picked["minute"])))
    if started > now_local:
        found.check("stream_time", _("That is in the future: review a stream that has started."))
        return None
    return started


def _scores(values: Values, found: Collector) -> dict[str, int]:
    scores: dict[str, int] = {}
    for criterion in CRITERIA:
        block = f"score_{criterion.key}"
        value = selected(values, block) or ""
        if value.isdigit() and LOWEST <= int(value) <= HIGHEST:
            scores[criterion.key] = int(value)
        else:
            found.check(
                block,
                _("Score {criterion} from 1 to 5.").format(
                    criterion=criterion_in_sentence(criterion.label)
                ),
            )
    return scores


def _tags(values: Values, found: Collector) -> list[str]:
    chosen = [
        str(o.get("value"))
        for o in element_state(values, "tags").get("selected_options") or []
        if o.get("value") in IMPROVEMENT_TAGS
    ]
    free = found.run("free_tags", parse_tag_field, text_value(values, "free_tags")) or []
    return list(dict.fromkeys([*chosen, *free]))


def _best_practice(values: Values, found: Collector) -> str | None:
    flagged = any(
        o.get("value") == BEST_FLAG
        for o in element_state(values, "best").get("selected_options") or []
    )
    moment = text_value(values, "best_moment").strip()
    if flagged and not moment:
        found.check("best_moment", _("Say which moment is worth copying, or untick best practice."))
    return moment if flagged and moment else None


def _figures(values: Values, found: Collector) -> dict[str, int | None]:
    return {
        name: found.run(f"fig_{name}", parse_figure, name, text_value(values, f"fig_{name}"))
        for name in REVIEW_FIGURES
    }


def _text(values: Values, block_id: str, found: Collector) -> str:
    text = text_value(values, block_id)
    if len(text) > MAX_TEXT:
        found.check(
            block_id,
            _("At most {count} characters, please.").format(
                count=NumberStyle(locale_name=speech().locale).count(MAX_TEXT)
            ),
        )
    return text.strip()


def read_review_form(values: Values, context: FormContext) -> ReviewContent:
    """The submitted review; FormErrors by field when anything is wrong (nothing is saved),
    including a second review of the same stream by the same reviewer."""
    found = Collector()
    seller_id = _seller_id(values)
    if seller_id is not None and seller_by_id(context.engine, context.team_id, seller_id) is None:
        seller_id = None
    found.check("seller", None if seller_id else _("Pick the seller whose stream this was."))
    typed_host = text_value(values, "host")
    host = found.run("host", check_host, context.engine, context.team_id, typed_host)
    url = found.run("stream_url", check_url, text_value(values, "stream_url"))
    started = _start(values, found, context.now_local)
    scores = _scores(values, found)
    strengths = _text(values, "strengths", found)
    improvements = _text(values, "improvements", found)
    tags = _tags(values, found)
    best = _best_practice(values, found)
    figures = _figures(values, found)
    found.raise_if_any()
    assert seller_id is not None and started is not None and host is not None
    names = host_names(context.engine, context.team_id, host)
    session = session_near(context.engine, context.team_id, seller_id, started, names)
    if session is not None:
        figures = {n: v if v is not None else session.figures.get(n) for n, v in figures.items()}
    content = ReviewContent(
        seller_id=seller_id,
        stream_started_at=started,
        scores=scores,
        host_name=host[0] or (session.host_name if session and not host[1] else ""),
        creator_id=host[1],
        stream_url=url,
        strengths=strengths,
        improvements=improvements,
        tags=tags,
        best_practice=best,
        figures=figures,
        live_session_id=session.id if session else None,
    )
    earlier = same_stream_review(
        context.engine, context.team_id, context.reviewer, content, other_than=context.editing
    )
    if earlier is not None:
        found.check("stream_time", already_reviewed(earlier))
        found.raise_if_any()
    return content


def already_reviewed(review_id: int) -> str:
    """What the form says under the start time of a stream its reviewer reviewed before."""
    return _(
        "You reviewed this stream already (review {review}): change that one with "
        "/review edit {review}."
    ).format(review=review_id)


def seller_options(sellers: list[SellerRef]) -> list[dict[str, Any]]:
    return [seller_option(s).to_dict() for s in sellers]


def prefill_from_message(engine: Engine, team_id: str, typed: SlackText) -> ReviewPrefill:
    """The form's start from a message: its text as strengths (reviewers sort it out), the
    first web link in it as the stream, the improvement tags it has, the one seller it names
    (when exactly one seller's name is in it), and the first creator handle as the host."""
    link = next((r.target for r in typed.refs if r.kind == RefKind.LINK), "")
    if not link.startswith(("http://", "https://")):
        link = ""
    known = [t for t in tags_in(typed.text) if t in IMPROVEMENT_TAGS]
    handles = [h for h in handles_in(typed.text) if typed.user_id(f"@{h}") is None]
    host = next((f"@{h}" for h in handles if find_creator(engine, team_id, h)), "")
    return ReviewPrefill(
        seller=seller_named_in(engine, team_id, typed.text),
        host=host,
        stream_url=link,
        strengths=typed.text[:MAX_TEXT],
        tags=tuple(known),
    )
