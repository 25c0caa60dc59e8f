"""Reports and export (issue 3, points 8 and 9): the summary with its chart in the channel, the
digest section, and the Excel workbook by DM with formula-looking cells escaped."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from openpyxl import load_workbook
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.feedback.report import feedback_digest_section
from devkit.offline import OfflineBot
from storage.creators.models import Creator
from storage.db import transaction
from storage.feedback import notes as feedback_store
from storage.feedback.models import FeedbackNote
from storage.feedback.notes import NoteDraft
from tests.feedback_support import NOW, answers, set_clock
from tests.slack_support import markup, unmarked

BERLIN = ZoneInfo("Europe/Berlin")
PNG = b"\x89PNG\r\n\x1a\n"


def _seed(engine: Engine, team_id: str) -> None:
    """This week: samples and logistics trouble; the week before: a quieter one."""
    rows = [
        # days ago, handle, topic, sentiment, tags, text, follow-up in days (None: none)
        (1, "maria.makes", "samples", "negative", ["samples", "late"], "Sample 12 days late", 2),
        (2, "maria.makes", "samples", "negative", ["samples"], "Still no sample video", None),
        (3, "tom.tidy", "logistics", "negative", ["late"], "Parcel late again", -1),
        (2, "tom.tidy", "samples", "positive", ["samples"], "Loved the sample", None),
        (4, "ana.glow", "content", "neutral", ["video"], '=HYPERLINK("http://x")', None),
        (9, "maria.makes", "samples", "positive", ["samples"], "Posted fast", None),
        (10, "ana.glow", "commission", "neutral", ["rate"], "Asked about the rate", None),
        (45, "ana.glow", "general", "neutral", [], "Old note", None),
    ]
    with transaction(engine) as session:
        creators: dict[str, int] = {}
        for handle in {r[1] for r in rows}:
            creator = Creator(team_id=team_id, handle=handle, display_name=handle.split(".")[0])
            session.add(creator)
            session.flush()
            assert creator.id is not None
            creators[handle] = creator.id
        for days, handle, topic, sentiment, tags, text, follow in rows:
            written = NOW - timedelta(days=days)
            session.add(
                FeedbackNote(
                    team_id=team_id,
                    creator_id=creators[handle],
                    author_user_id="U0TOM",
                    text=text,
                    topic=topic,
                    sentiment=sentiment,
                    tags=tags,
                    follow_up_on=None if follow is None else NOW.date() + timedelta(days=follow),
                    created_at=written,
                    updated_at=written,
                )
            )


def test_the_weekly_report_is_posted_with_its_chart(bot: OfflineBot, engine: Engine) -> None:
    _seed(engine, bot.sandbox.team_id)
    _seed(engine, "TOTHER")
    set_clock(bot, NOW)  # a Thursday: this calendar week to yesterday, Monday to Wednesday
    response = bot.client.slash_command("/feedback", "report")
    assert response.status == 200 and response.body == ""  # slow: acknowledged first
    [posted] = answers(bot, 1)
    assert posted["response_type"] == "in_channel"
    shown = markup(posted)
    assert "Creator feedback 30 Nov – 2 Dec 2026: 4 notes (▲ 3 vs the 3 days before)" in shown
    assert "🟢 1 ⚪ 0 🔴 3; 2 open follow-ups" in shown
    assert "*Samples* — 3: 🟢 1 · ⚪ 0 · 🔴 2" in shown
    assert "*Logistics* — 1: 🟢 0 · ⚪ 0 · 🔴 1" in shown
    assert "#samples 3 (new) · #late 2 (new)" in shown
    assert "• @maria.makes (maria): 2 negative of 2" in shown
    assert "• @tom.tidy (tom): 1 negative of 2" in shown
    assert "*Open follow-ups:* 2 (1 overdue)" in shown
    assert "_“Sample 12 days late”_ — @maria.makes, samples" in shown
    assert "<@" not in shown  # posted in a channel: nobody is mentioned
    [upload] = bot.sandbox.calls("files.completeUploadExternal")
    assert upload.params["channel_id"] == "C0KPI"
    [chart] = [f for f in bot.sandbox.files.values() if f.filename.endswith(".png")]
    assert chart.content is not None and chart.content.startswith(PNG)
    assert chart.title == "Feedback by topic and sentiment, 30 Nov – 2 Dec 2026"
    assert chart.channels == ["C0KPI"]


def test_the_reports_quotes_have_a_heading_and_are_never_a_bare_link(
    bot: OfflineBot, engine: Engine
) -> None:
    _seed(engine, bot.sandbox.team_id)
    link = "https://www.tiktok.com/@maria.makes/video/7312345678901234567"
    with transaction(engine) as session:
        maria = session.exec(select(Creator).where(Creator.handle == "maria.makes")).one()
        assert maria.id is not None
        for minutes, text in ((1, link), (2, f"Late again, see {link}")):
            session.add(
                FeedbackNote(
                    team_id=bot.sandbox.team_id,
                    creator_id=maria.id,
                    author_user_id="U0TOM",
                    text=text,
                    topic="samples" if minutes == 1 else "logistics",
                    sentiment="negative",
                    created_at=NOW - timedelta(minutes=minutes),
                    updated_at=NOW - timedelta(minutes=minutes),
                )
            )
    set_clock(bot, NOW + timedelta(days=1))  # the day after: today's notes are complete
    bot.client.slash_command("/feedback", "report")
    blocks = answers(bot, 1)[0]["blocks"]
    texts = [markup({"blocks": [b]}) for b in blocks]
    heading = texts.index("*What creators said*")
    quotes = texts[heading + 1 :]
    assert quotes[0] == "🔴 _“Sample 12 days late”_ — @maria.makes, samples"
    assert quotes[1] == "🔴 _“Late again, see (link)”_ — @maria.makes, logistics"
    assert not any("https://" in quote for quote in quotes)


def test_a_month_report_and_bad_periods(bot: OfflineBot, engine: Engine) -> None:
    _seed(engine, bot.sandbox.team_id)
    set_clock(bot, NOW)
    bot.client.slash_command("/feedback", "report month")  # December, to yesterday
    shown = markup(answers(bot, 1)[0])
    assert "1 Dec – 2 Dec 2026: 3 notes (▲ 1 vs the 2 days before)" in shown
    bot.client.slash_command("/feedback", "report 30d")  # rolling: the 30 days to yesterday
    shown = markup(answers(bot, 2)[-1])
    assert "3 Nov – 2 Dec 2026: 7 notes (▲ 6 vs the 30 days before)" in shown
    bot.client.slash_command("/feedback", "report fortnight")
    bad = answers(bot, 3)[-1]
    assert "`fortnight` is not a period" in markup(bad) and bad["response_type"] == "ephemeral"


def test_an_empty_period_says_so_without_a_chart(bot: OfflineBot) -> None:
    set_clock(bot, NOW)
    bot.client.slash_command("/feedback", "report")
    reply = answers(bot, 1)[0]
    assert "No notes in 30 Nov – 2 Dec 2026" in reply["text"]
    assert reply["response_type"] == "ephemeral"
    assert bot.sandbox.files == {}


def test_the_report_in_a_channel_without_the_bot_gives_advice(
    bot: OfflineBot, engine: Engine
) -> None:
    _seed(engine, bot.sandbox.team_id)
    set_clock(bot, NOW)
    bot.client.slash_command("/feedback", "report", channel_id="C0RANDOM")
    assert "invite me with `/invite @shopbot`" in answers(bot, 1)[0]["text"]


def test_the_digest_section_is_the_same_report_for_a_week(engine: Engine) -> None:
    _seed(engine, "T1")
    section = feedback_digest_section(engine, "T1", date(2026, 11, 23), BERLIN, NOW.date())
    assert section.text.startswith("Creator feedback 23 Nov – 29 Nov 2026: 3 notes")
    assert section.chart_png is not None and section.chart_png.startswith(PNG)
    assert section.blocks[0].to_dict()["text"]["text"] == "Creator feedback · 23 Nov – 29 Nov 2026"
    empty = feedback_digest_section(engine, "T1", date(2026, 1, 5), BERLIN, NOW.date())
    assert empty.chart_png is None and "0 notes" in empty.text


def test_export_sends_the_workbook_by_dm(bot: OfflineBot, engine: Engine) -> None:
    _seed(engine, bot.sandbox.team_id)
    _seed(engine, "TOTHER")
    set_clock(bot, NOW)
    response = bot.client.slash_command("/feedback", "export 30d", user_id="U0PRIYA")
    assert response.status == 200 and response.body == ""
    [answer] = answers(bot, 1)
    assert answer["text"] == "Sent you 7 notes since 2026-11-03 as an Excel workbook by DM."
    [opened] = bot.sandbox.calls("conversations.open")
    assert opened.params["users"] == "U0PRIYA"
    [upload] = bot.sandbox.calls("files.completeUploadExternal")
    assert upload.params["channel_id"] == "D0PRIYA"
    [workbook_file] = bot.sandbox.files.values()
    assert unmarked(workbook_file.filename) == "creator-feedback-2026-12-03.xlsx"
    assert workbook_file.channels == ["D0PRIYA"]
    assert workbook_file.content is not None
    sheet = load_workbook(io.BytesIO(workbook_file.content)).active
    table = list(sheet.iter_rows(values_only=True))
    assert table[0][:9] == (
        "Note",
        "Written",
        "Creator",
        "Creator name",
        "Topic",
        "Sentiment",
        "Tags",
        "Note text",
        "Author",
    )
    assert len(table) == 8  # header + the 7 notes of the last 30 days in this workspace
    by_text = {row[7]: row for row in table[1:]}
    formula = by_text['=HYPERLINK("http://x")']  # text: shown, never evaluated
    assert formula[2:6] == ("ana.glow", "ana", "Content", "neutral")
    assert sheet.cell(row=table.index(formula) + 1, column=8).data_type == "s"
    late = by_text["Sample 12 days late"]
    assert late[1] == datetime(2026, 12, 2, 9, 30)  # Berlin time, as Excel has no zones
    assert late[6] == "samples, late" and late[8] == "Tom Nguyen"
    assert late[9] == datetime(2026, 12, 5, 0, 0)


def test_export_keeps_text_as_text_and_names_the_authors(bot: OfflineBot, engine: Engine) -> None:
    texts = ("=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=1", "plain = text")
    for n, text in enumerate(texts):
        author = "U0GONE" if n == 1 else "U0TOM"  # someone Slack no longer knows
        draft = NoteDraft(bot.sandbox.team_id, author, "maria.makes", text, "general", "neutral")
        feedback_store.save_note(engine, draft, NOW + timedelta(minutes=n))
    set_clock(bot, NOW + timedelta(hours=1))
    bot.client.slash_command("/feedback", "export")
    answers(bot, 1)
    [workbook_file] = bot.sandbox.files.values()
    assert workbook_file.content is not None
    sheet = load_workbook(io.BytesIO(workbook_file.content)).active
    rows = list(sheet.iter_rows(min_row=2))
    assert [row[7].value for row in rows] == list(texts)  # exactly as written: no apostrophe
    assert all(row[7].data_type == "s" for row in rows)  # never a formula
    assert [row[7].quotePrefix for row in rows] == [True] * 5 + [False]
    assert [row[8].value for row in rows] == ["Tom Nguyen", "U0GONE"] + ["Tom Nguyen"] * 4


def test_export_with_nothing_or_a_bad_start(bot: OfflineBot) -> None:
    set_clock(bot, NOW)
    bot.client.slash_command("/feedback", "export")
    assert answers(bot, 1)[0]["text"] == "No notes, so there is nothing to export."
    bot.client.slash_command("/feedback", "export yesterday-ish")
    assert "is not a start date" in answers(bot, 2)[-1]["text"]
    assert bot.sandbox.files == {}


def test_export_since_a_date(bot: OfflineBot, engine: Engine) -> None:
    _seed(engine, bot.sandbox.team_id)
    set_clock(bot, NOW)
    bot.client.slash_command("/feedback", "export 2026-11-30")
    assert answers(bot, 1)[0]["text"].startswith("Sent you 4 notes since 2026-11-30")
    assert datetime.now(UTC) > NOW - timedelta(days=3650)  # the clock is injected, not read
