"""`/feedback`: quick notes about creators, the form, lists, search, reports and export."""

from __future__ import annotations

from datetime import datetime, time

from bot.feedback.export import notes_workbook
from bot.feedback.history import note_history_reply
from bot.feedback.listings import MAX_LIST, Listing, restored_note, show
from bot.feedback.note_form import open_note_form
from bot.feedback.parsing import parse_quick_note
from bot.feedback.quick_note import save_or_ask
from bot.feedback.report import build_report, report_section
from bot.services import Services
from bot.shared.arguments import parse_count
from bot.shared.commands import CommandRequest, SlashCommand, request_key
from bot.shared.direct_messages import upload_to_dm, user_names
from bot.shared.effects import upload_once
from bot.shared.forms import FormState
from bot.shared.handles import handle_or_none, parse_handle
from bot.shared.language import _, ngettext
from bot.shared.numbers import style_of
from bot.shared.pages import asked, split_page
from bot.shared.replies import Reply
from bot.shared.report_periods import ReportPeriod, parse_report_days, parse_since, parse_window
from handlers.answers import viewer_of
from storage.authored import MAX_NOTE
from storage.creators.registry import handles_known
from storage.errors import Usage, UserError
from storage.feedback import notes
from storage.note_search import search_words

FEEDBACK = SlashCommand(
    "/feedback",
    "notes about creators: quick notes, the form, search, reports and Excel export",
    default="new",
    fallback="note",
    max_text=MAX_NOTE + 300,  # a whole note, its handle and its tags
)
MAX_SEARCH = 200


@FEEDBACK.subcommand("note")
def quick_note(services: Services, request: CommandRequest) -> Reply:
    """`/feedback @handle <note> [#tag …] [follow-up:YYYY-MM-DD]`: save a note about a TikTok
    creator

    Several handles at the start save the same note once per creator, all or none ("Saved the
    note for @a and @b (notes 12, 13)"); each can be edited or deleted on its own. The @ may be
    left out of a handle the registry has. A new handle is added as a prospect, unless it looks
    like a typo of one the registry has: then nothing is saved until you choose "Save for
    @sara.goodfinds" or "Add @sara.goodfind as new". Topic and sentiment are guessed from the
    tags and words where obvious; Edit changes them. A `follow-up:` day at the end is read as
    `/seller note` reads it.
    """
    engine, team_id = services.engine, request.team_id
    quick = parse_quick_note(
        request.args,
        request.typed,
        lambda handle: bool(handles_known(engine, team_id, [handle])),
        today=services.today(),
        locale=services.settings.locale,
    )
    tz, key = services.settings.tz, request_key(request.trigger_id)
    return save_or_ask(engine, team_id, request.user_id, quick, tz, services.clock(), key=key)


@FEEDBACK.subcommand("new")
def open_form(services: Services, request: CommandRequest) -> Reply:
    """`/feedback`: open the form for a new note

    The form asks for the creator, topic, sentiment, tags and a follow-up date.
    """
    handle = handle_or_none(request.args) if request.args else None
    open_note_form(
        request.slack,
        services.engine,
        FormState(response_url=request.response_url),
        request.trigger_id,
        team_id=request.team_id,
        handles=[handle] if handle else [],
    )
    return Reply(text="")


def _listed(services: Services, request: CommandRequest, listing: Listing) -> Reply:
    return show(services, viewer_of(request), listing, asked(FEEDBACK.name, request.typed))


@FEEDBACK.subcommand("list", paged=True)
def list_notes(services: Services, request: CommandRequest) -> Reply:
    """`/feedback list @handle [n] [page:N]`: a creator's notes, newest first"""
    usage = Usage("/feedback", "list")
    args, page = split_page(request.args, usage)
    words = args.split()
    if not words:
        raise UserError(_("Say whose notes to list."), [usage])
    handle = parse_handle(words[0], usage, request.typed)
    count = parse_count(" ".join(words[1:]), MAX_LIST, MAX_LIST, usage)
    return _listed(services, request, Listing("list", handle, total=count, page=page))


@FEEDBACK.subcommand("search", paged=True)
def search(services: Services, request: CommandRequest) -> Reply:
    """`/feedback search <words> [page:N]`: notes with all those words, best match first"""
    usage = [Usage("/feedback", "search")]
    words, page = split_page(request.args, usage[0])
    if not search_words(words):
        raise UserError(_("Say what to search for, such as `damaged lamp`."), usage)
    if len(words) > MAX_SEARCH:
        fewer = _("Search with fewer words (at most {count} characters).")
        raise UserError(fewer.format(count=MAX_SEARCH), usage)
    return _listed(services, request, Listing("search", words, page=page))


@FEEDBACK.subcommand("recent", paged=True)
def recent(services: Services, request: CommandRequest) -> Reply:
    """`/feedback recent [7d|30d] [page:N]`: the team's notes of the last 7 (or 30) days

    Any period of `/kpi` works too (`today`, `week`, `mtd`, `nov`, `2026-11-01`): the notes
    since it began.
    """
    usage = Usage("/feedback", "recent")
    words, page = split_page(request.args, usage)
    days = parse_window(words, services.today(), usage=usage, locale=services.settings.locale)
    return _listed(services, request, Listing("recent", str(days), page=page))


@FEEDBACK.subcommand("mine", paged=True)
def mine(services: Services, request: CommandRequest) -> Reply:
    """`/feedback mine [page:N]`: your open and overdue follow-ups, then your notes"""
    _words, page = split_page(request.args, Usage("/feedback", "mine"))
    return _listed(services, request, Listing("mine", page=page))


@FEEDBACK.subcommand("report", slow=True)
def report(services: Services, request: CommandRequest) -> Reply:
    """`/feedback report [week|month]`: post a summary with a chart in this channel

    week: the calendar week (Monday to Sunday) and month: the calendar month, to yesterday,
    as `/kpi` counts them; 7d, 30d: the days that end yesterday; any other period of `/kpi`
    works too (`last month`, `nov`, `2026-11-01..2026-11-15`). The report states its dates.
    """
    today, tz = services.today(), services.settings.tz
    usage, locale = Usage("/feedback", "report"), services.settings.locale
    period = ReportPeriod(*parse_report_days(request.args, today, usage, locale))
    result = report_section(build_report(services.engine, request.team_id, period, tz, today))
    if result.chart_png is None:
        nothing = _("No notes in {period}, so there is nothing to report yet.")
        return Reply(text=nothing.format(period=period.label()))
    upload_once(
        request.effects,
        request.slack,
        "report chart",
        channel=request.channel_id,
        content=result.chart_png,
        filename=f"feedback-{period.end.isoformat()}.png",
        title=result.chart_title,
    )
    return Reply(text=result.text, blocks=result.blocks, in_channel=True)


@FEEDBACK.subcommand("export", slow=True)
def export(services: Services, request: CommandRequest) -> Reply:
    """`/feedback export [since]`: the notes as an Excel workbook, sent to you by DM

    since: a date such as 2026-11-01, 7d / 30d, or any period of `/kpi` (`last month`, `nov`),
    from its first day; all notes when left out.
    """
    today, tz = services.today(), services.settings.tz
    since = parse_since(request.args, today, Usage("/feedback", "export"), services.settings.locale)
    start = datetime.combine(since, time(0), tz) if since else None
    found = notes.export_notes(services.engine, request.team_id, start)
    day = since.isoformat() if since else ""  # as typed in commands, in every language
    if not found:
        if since:
            empty = _("No notes since {day}, so there is nothing to export.").format(day=day)
        else:
            empty = _("No notes, so there is nothing to export.")
        return Reply(text=empty)
    names = user_names(request.slack, {n.author_user_id for n in found})
    workbook = notes_workbook(found, tz, names)
    counted = ngettext("{count} note", "{count} notes", len(found)).format(
        count=style_of(services).count(len(found))
    )
    if since:
        title = _("Creator feedback since {day}").format(day=day)
        comment = _("{notes} since {day}, as you asked.").format(notes=counted, day=day)
        sent = _("Sent you {notes} since {day} as an Excel workbook by DM.")
    else:
        title = _("Creator feedback")
        comment = _("{notes}, as you asked.").format(notes=counted)
        sent = _("Sent you {notes} as an Excel workbook by DM.")
    upload_to_dm(
        request.slack,
        request.user_id,
        workbook,
        filename=f"creator-feedback-{today.isoformat()}.xlsx",
        title=title,
        comment=comment,
        effects=request.effects,
    )
    return Reply(text=sent.format(notes=counted, day=day))


@FEEDBACK.subcommand("deleted", paged=True)
def deleted(services: Services, request: CommandRequest) -> Reply:
    """`/feedback deleted [page:N]`: notes deleted in the last 30 days, to restore (admins)"""
    _words, page = split_page(request.args, Usage("/feedback", "deleted"))
    return _listed(services, request, Listing("deleted", page=page))


@FEEDBACK.subcommand("restore")
def restore(services: Services, request: CommandRequest) -> Reply:
    """`/feedback restore <note number>`: bring back a deleted note (admins, within 30 days)"""
    usage = Usage("/feedback", "restore")
    if not request.args.strip():
        raise UserError(_("Say which note to restore: its number is in `/feedback deleted`."))
    number = parse_count(request.args, 0, 2**31 - 1, usage)
    return restored_note(services, viewer_of(request), number)


@FEEDBACK.subcommand("history", paged=True)
def history(services: Services, request: CommandRequest) -> Reply:
    """`/feedback history <note number> [page:N]`: who changed a note, what and when

    Each edit with its author, its time and the text, topic, sentiment and tags before and
    after, newest first; for anyone who can read the note.
    """
    usage = FEEDBACK.subcommands["history"].usage
    words, page = split_page(request.args, usage)
    if not words:
        raise UserError(_("Say which note: its number is in `/feedback mine`."), [usage])
    number = parse_count(words, 0, 2**31 - 1, usage)
    listed = asked(FEEDBACK.name, request.typed)
    return note_history_reply(services, request.team_id, number, page, listed)
