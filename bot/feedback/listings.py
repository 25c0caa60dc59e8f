"""Lists of notes (a creator's, a search, the recent ones, mine, the deleted ones), page by page.

A `Listing` is what was asked and which page; the shared pager (bot.shared.pages) asks for the same
list again at another page, never a cut-off answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from slack_sdk.models.blocks import Block, ButtonElement, MarkdownTextObject, SectionBlock

from bot.feedback.cards import FOLLOW_UP_DONE, note_card, note_facts, note_item
from bot.services import Services
from bot.shared.days import clock, padded_day
from bot.shared.language import _, ngettext
from bot.shared.numbers import style_of
from bot.shared.pages import Asked, pager
from bot.shared.replies import Reply, context, escape, header, problem, shown, truncate
from bot.shared.viewer import Viewer
from storage.errors import AdminsOnly
from storage.feedback import notes
from storage.feedback.notes import NotePage, NoteView

PAGE_SIZE = 5  # notes a page: a note takes up to eight lines on a phone
MAX_LIST = 200
FOLLOW_UPS_SHOWN = 8
RESTORE_NOTE = "feedback_restore_note"  # + "_<id>"


@dataclass(frozen=True)
class Listing:
    kind: str
    arg: str = ""
    total: int = MAX_LIST  # `/feedback list @x 25`: stop after 25
    page: int = 1

    @property
    def offset(self) -> int:
        return (self.page - 1) * PAGE_SIZE


def show(services: Services, viewer: Viewer, listing: Listing, asked: Asked) -> Reply:
    """The page of notes `listing` asks for, with the pager to the others."""
    size = max(0, min(PAGE_SIZE, listing.total - listing.offset))
    now, engine, team = services.clock(), services.engine, viewer.team_id
    if listing.kind == "list":
        creator, page = notes.notes_about(engine, team, listing.arg, size, listing.offset)
        if creator is None:
            return problem(
                _("No creator `@{handle}` in the registry yet.").format(handle=shown(listing.arg)),
                [f"/feedback @{listing.arg} <note>", "/creator add"],
            )
        title = _("Notes about @{handle}").format(handle=listing.arg)
        adds = escape(f"/feedback @{listing.arg} <note>")
        empty = _("No notes about @{handle} yet: `{adds}` adds one.").format(
            handle=listing.arg, adds=adds
        )
    elif listing.kind == "search":
        page = notes.search_notes(engine, team, listing.arg, size, listing.offset)
        title = _("Notes matching “{words}”").format(words=truncate(listing.arg, 100))
        empty = _("No notes match all of those words. Fewer or other words may find some.")
    elif listing.kind == "recent":
        days = int(listing.arg or 7)
        page = notes.recent_notes(engine, team, now - timedelta(days=days), size, listing.offset)
        title = ngettext(
            "Notes from the last day", "Notes from the last {count} days", days
        ).format(count=days)
        empty = ngettext(
            "No notes in the last day.", "No notes in the last {count} days.", days
        ).format(count=days)
    elif listing.kind == "mine":
        page = notes.notes_by(engine, team, viewer.user_id, size, listing.offset)
        title, empty = _("Your notes"), _("You have not written any notes yet.")
    else:
        if not viewer.is_admin:
            raise AdminsOnly(_("see and restore deleted notes"), services.settings.admins)
        page = notes.deleted_notes(engine, team, now, size, listing.offset)
        title = _("Deleted notes (restorable for 30 days)")
        empty = _("No notes deleted in 30 days.")
    blocks = _page_blocks(services, page, listing.kind == "deleted")
    if listing.kind == "mine" and listing.offset == 0:
        blocks = _follow_up_blocks(services, viewer) + blocks
    return _paged(title, blocks, page, listing, empty, asked)


def _page_blocks(services: Services, page: NotePage, deleted: bool) -> list[Block]:
    tz, today = services.settings.tz, services.today()
    if not deleted:
        return [block for note in page.notes for block in note_item(note, tz, today)]
    blocks: list[Block] = []
    for note in page.notes:
        item = note_item(note, tz, today, menu=False)
        assert isinstance(item[0], SectionBlock) and note.deleted_at is not None
        item[0].accessory = ButtonElement(
            text=_("Restore"), action_id=f"{RESTORE_NOTE}_{note.id}", value=str(note.id)
        )
        when = note.deleted_at.astimezone(tz)
        by = _("deleted by {person} on {day} {time}").format(
            person=f"<@{note.deleted_by}>", day=padded_day(when.date()), time=clock(when)
        )
        item.append(context(by))
        blocks += item
    return blocks


def _follow_up_blocks(services: Services, viewer: Viewer) -> list[Block]:
    """The viewer's open follow-ups, overdue first, each with a Done button."""
    today = services.today()
    open_ = notes.open_follow_ups(
        services.engine, viewer.team_id, author=viewer.user_id, limit=FOLLOW_UPS_SHOWN + 1
    )
    if not open_:
        return [context(_("No open follow-ups."))]
    overdue = sum(1 for n in open_ if n.follow_up_on and n.follow_up_on < today)
    blocks: list[Block] = [
        context(
            _("*Open follow-ups* ({count} overdue)").format(count=style_of(services).count(overdue))
            if overdue
            else _("*Open follow-ups*")
        )
    ]
    for note in open_[:FOLLOW_UPS_SHOWN]:
        blocks.append(_follow_up_item(note, today))
    if len(open_) > FOLLOW_UPS_SHOWN:
        blocks.append(context(_("… and more: close these to see the rest.")))
    blocks.append(context(_("*Your latest notes*")))
    return blocks


def _follow_up_item(note: NoteView, today: date) -> SectionBlock:
    text = f"*@{note.handle}* — {escape(truncate(note.text, 200))}\n{note_facts(note, today)}"
    return SectionBlock(
        text=MarkdownTextObject(text=text),
        accessory=ButtonElement(
            text=_("Done"), action_id=f"{FOLLOW_UP_DONE}_{note.id}", value=str(note.id)
        ),
    )


def _paged(
    title: str, blocks: list[Block], page: NotePage, listing: Listing, empty: str, asked: Asked
) -> Reply:
    shown_to = page.offset + len(page.notes)
    if page.notes:
        footer = _("Notes {first}–{last}, newest first")
        if listing.kind == "search":
            footer = _("Notes {first}–{last}, best match first")
        footer = footer.format(first=page.offset + 1, last=shown_to)
        blocks = [*blocks, context(footer)]
    else:
        blocks = [*blocks, context(empty if page.offset == 0 else _("No notes on this page."))]
    more = page.has_more and shown_to < listing.total
    blocks += pager(asked, listing.page, more=more)
    count = ngettext("{count} notes", "{count} notes", len(page.notes)).format(
        count=len(page.notes)
    )
    fallback = f"{title}: {count}" + (" " + _("(more available)") if more else "")
    return Reply(text=escape(fallback), blocks=[header(title), *blocks])


def restored_note(services: Services, viewer: Viewer, note_id: int) -> Reply:
    """Bring back a deleted note (admins, within 30 days) and show its card."""
    note = notes.restore_note(
        services.engine,
        viewer.team_id,
        note_id,
        **services.changed_by(viewer.user_id),
    )
    title = "♻️ " + _("Restored note {number} about *@{handle}*.").format(
        number=note.id, handle=note.handle
    )
    return Reply(text=title, blocks=note_card(title, note, services.settings.tz, services.today()))
