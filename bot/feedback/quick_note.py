"""Saving a quick note: one note per creator it names, all or none, and a question first when a
new handle looks like a typo of one the registry has (`@sara.goodfind` for `@sara.goodfinds`).

Each note is saved under a client key made from the command's trigger_id, so the same request
delivered twice adds nothing. The question's two buttons carry the whole note (compressed) and
that key: the notes saved by a click get client keys made from it, so a second click, on either
button, or on the question asked again for the same request, adds nothing.
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement
from sqlalchemy.engine import Engine

from bot.feedback.cards import kept_reply, note_buttons, note_facts, saved_reply
from bot.feedback.inference import infer_sentiment, infer_topic
from bot.feedback.parsing import MAX_CREATORS, QUICK_USAGE, QuickNote
from bot.shared.handles import did_you_mean, handles_text, near_miss, parse_handle
from bot.shared.language import _, ngettext
from bot.shared.note_text import check_note_text
from bot.shared.replies import (
    BUTTON_TEXT,
    BUTTON_VALUE_LIMIT,
    Reply,
    context,
    section,
    text_sections,
    truncate,
)
from bot.shared.tags import checked_tags
from storage.creators.registry import handles_known, registry_handles
from storage.errors import Usage, UserError
from storage.feedback import intake as note_intake
from storage.feedback.notes import NoteDraft, SavedNote

SAVE_SUGGESTED = "feedback_save_suggested"
SAVE_AS_TYPED = "feedback_save_as_typed"


def _forged() -> UserError:
    """The refusal of a value no button of this app carries, in the answer's language."""
    return UserError(
        _("That button does not carry a note of this app."), [Usage("/feedback", "note")]
    )


@dataclass(frozen=True)
class PendingNote:
    """A quick note waiting for its creators to be confirmed."""

    key: str  # the notes a click saves are keyed `quick:<key>:<position>`
    handles: list[str]  # as typed
    suggestions: dict[str, str]  # a typed handle → the registry handle it probably means
    text: str
    tags: list[str] = field(default_factory=list)
    follow_up_on: date | None = None

    def handles_for(self, suggested: bool) -> list[tuple[int, str]]:
        """(position, handle) of each creator to save for, each creator once."""
        chosen: dict[str, int] = {}
        for position, handle in enumerate(self.handles):
            final = self.suggestions.get(handle, handle) if suggested else handle
            chosen.setdefault(final, position)
        return [(position, handle) for handle, position in chosen.items()]

    def to_value(self) -> str:
        data = {"k": self.key, "h": self.handles, "s": self.suggestions, "t": self.text}
        if self.tags:
            data["g"] = self.tags
        if self.follow_up_on:
            data["f"] = self.follow_up_on.isoformat()
        packed = zlib.compress(json.dumps(data, ensure_ascii=False).encode(), 9)
        return base64.urlsafe_b64encode(packed).decode()

    @classmethod
    def from_value(cls, value: str) -> PendingNote:
        """The note a button carries; UserError for anything this app did not put there."""
        try:
            data = json.loads(zlib.decompress(base64.urlsafe_b64decode(value.encode())))
            key, typed, suggestions = str(data["k"]), list(data["h"]), dict(data["s"])
            text, tags = str(data["t"]), [str(t) for t in data.get("g", [])]
            follow_up = date.fromisoformat(str(data["f"])) if "f" in data else None
        except (ValueError, KeyError, TypeError, zlib.error, binascii.Error):
            raise _forged() from None
        handles = [parse_handle(str(h), QUICK_USAGE) for h in typed]
        meant = {
            parse_handle(str(k), QUICK_USAGE): parse_handle(str(v), QUICK_USAGE)
            for k, v in suggestions.items()
        }
        if not key.isalnum() or not 0 < len(handles) <= MAX_CREATORS:
            raise _forged()
        return cls(
            key, handles, meant, check_note_text(text, QUICK_USAGE), checked_tags(tags), follow_up
        )


def probable_typos(known: list[str], registry: set[str], handles: list[str]) -> dict[str, str]:
    """For each new handle that is a near miss of a registry handle, the one it likely means."""
    found: dict[str, str] = {}
    for handle in handles:
        if handle not in registry and (meant := near_miss(handle, known)) is not None:
            found[handle] = meant
    return found


def save_or_ask(
    engine: Engine,
    team_id: str,
    user_id: str,
    quick: QuickNote,
    tz: ZoneInfo,
    now: datetime,
    *,
    key: str | None = None,
) -> Reply:
    """Save the note for each creator it names; or, when a new handle looks like a typo of a
    registry handle, save nothing and ask which was meant.

    `key` (see `bot.shared.commands.request_key`) makes the request idempotent: delivered again, it
    saves nothing more and answers with the notes saved the first time, or asks the same question,
    whose buttons save under the same keys."""
    registry = handles_known(engine, team_id, quick.handles)
    new = [h for h in quick.handles if h not in registry]
    typos = probable_typos(registry_handles(engine, team_id), registry, new) if new else {}
    if typos:
        pending_key = key or secrets.token_hex(8)
        return question(
            PendingNote(
                pending_key, quick.handles, typos, quick.text, quick.tags, quick.follow_up_on
            )
        )
    drafts = [
        _draft(
            team_id,
            user_id,
            handle,
            quick.text,
            quick.tags,
            key and f"{key}:{position}",
            quick.follow_up_on,
        )
        for position, handle in enumerate(quick.handles)
    ]
    return _saved(engine, drafts, tz, now)


def save_pending(
    engine: Engine,
    team_id: str,
    user_id: str,
    value: str,
    suggested: bool,
    tz: ZoneInfo,
    now: datetime,
) -> Reply:
    """A click on the question: save the note for the creators chosen, once."""
    pending = PendingNote.from_value(value)
    drafts = [
        _draft(
            team_id,
            user_id,
            handle,
            pending.text,
            pending.tags,
            f"{pending.key}:{position}",
            pending.follow_up_on,
        )
        for position, handle in pending.handles_for(suggested)
    ]
    return _saved(engine, drafts, tz, now)


def _saved(engine: Engine, drafts: list[NoteDraft], tz: ZoneInfo, now: datetime) -> Reply:
    """Save the notes (kept in the intake while an import writes) and say so."""
    saved = note_intake.save_notes(engine, drafts, now)
    if saved is None:
        return kept_reply([d.handle for d in drafts])
    return saved_notes_reply(saved, tz, now.astimezone(tz).date())


def _draft(
    team_id: str,
    user_id: str,
    handle: str,
    text: str,
    tags: list[str],
    key: str | None,
    follow_up_on: date | None = None,
) -> NoteDraft:
    return NoteDraft(
        team_id=team_id,
        author_user_id=user_id,
        handle=handle,
        text=text,
        topic=infer_topic(tags, text),
        sentiment=infer_sentiment(tags, text),
        tags=tags,
        follow_up_on=follow_up_on,
        client_key=f"quick:{key}" if key else None,
    )


def question(pending: PendingNote) -> Reply:
    """ "Did you mean @sara.goodfinds?", with a button for each answer; nothing is saved yet."""
    typed = handles_text(list(pending.suggestions))
    title, asked = did_you_mean(pending.suggestions)
    nothing = _("Nothing is saved yet.")
    asked += f" {nothing}"
    value = pending.to_value()
    blocks: list[Block] = [section(asked), *text_sections(truncate(pending.text, 600))]
    if len(value) > BUTTON_VALUE_LIMIT:
        # Too long to travel in a button: the person sends it again with the handle they mean.
        blocks.append(context(_("Send the note again with the handle you mean.")))
        return Reply(text=f"{title} {nothing}", blocks=blocks)
    suggested = [h for _, h in pending.handles_for(True)]
    blocks.append(
        ActionsBlock(
            block_id="feedback_typo",
            elements=[
                ButtonElement(
                    text=truncate(
                        _("Save for {handles}").format(handles=handles_text(suggested)),
                        BUTTON_TEXT,
                    ),
                    action_id=SAVE_SUGGESTED,
                    value=value,
                    style="primary",
                ),
                ButtonElement(
                    text=truncate(_("Add {handles} as new").format(handles=typed), BUTTON_TEXT),
                    action_id=SAVE_AS_TYPED,
                    value=value,
                ),
            ],
        )
    )
    return Reply(text=f"{title} {nothing}", blocks=blocks)


def saved_notes_reply(saved: list[SavedNote], tz: ZoneInfo, today: date) -> Reply:
    """One note: its card. Several: "Saved the note for @a and @b (notes 12, 13)", the text
    once, and each note's Edit / Delete."""
    if len(saved) == 1:
        return saved_reply(saved[0], tz, today)
    handles = [s.note.handle for s in saved]
    numbers = ", ".join(str(s.note.id) for s in saved)
    saved_for = _("Saved the note for {handles} (notes {numbers}).")
    title = saved_for.format(handles=handles_text(handles, bold=True), numbers=numbers)
    blocks: list[Block] = [section(f"✅ {title}"), *text_sections(saved[0].note.text)]
    for one in saved:
        blocks.append(context(f"*@{one.note.handle}* · {note_facts(one.note, today)}"))
        blocks.append(note_buttons(one.note))
    added = [s.note.handle for s in saved if s.new_creator]
    if added:
        new = ngettext(
            "{handles} was not in the registry, so I added it as a prospect.",
            "{handles} were not in the registry, so I added them as prospects.",
            len(added),
        )
        blocks.append(context("🆕 " + new.format(handles=handles_text(added))))
    plain = saved_for.format(handles=handles_text(handles), numbers=numbers)
    return Reply(text=plain, blocks=blocks)
