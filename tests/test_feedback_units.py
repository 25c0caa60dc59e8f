"""Unit tests of the pure parts of bot.feedback: parsing, inference, rendering, forms, report."""

from __future__ import annotations

import io
import struct
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from openpyxl import load_workbook

from bot.creators.card import compact_count, sentiment_trend
from bot.feedback.export import notes_workbook
from bot.feedback.inference import infer_sentiment, infer_topic
from bot.feedback.note_form import creator_options, read_note_form
from bot.feedback.parsing import parse_quick_note
from bot.feedback.report import compose_report, report_section
from bot.shared.forms import FormErrors, FormState
from bot.shared.handles import handle_or_none, handles_in, near_miss, parse_handle
from bot.shared.pages import Asked, asked
from bot.shared.replies import text_sections
from bot.shared.report_periods import ReportPeriod, parse_since, parse_window
from bot.shared.slack_text import decode, message_link
from bot.shared.tags import parse_tag_field
from devkit.sandbox.blocks import validate_blocks
from storage.errors import AdminsOnly, UserError
from storage.feedback.notes import NoteView
from tests.feedback_support import note_values

TODAY = date(2026, 12, 3)


def test_a_quick_note_splits_handle_text_and_trailing_tags() -> None:
    quick = parse_quick_note(
        "@Maria.Makes  the #lamp arrived\nbroken #Logistics #late ", today=TODAY
    )
    assert quick.handles == ["maria.makes"]
    assert quick.text == "the #lamp arrived\nbroken"
    assert quick.tags == ["lamp", "logistics", "late"]


@pytest.mark.parametrize(
    "text", ["", "@", "@a", "@maria", "@maria #x", "@maria.makes", "@a.b @c.d", "maria hi"]
)
def test_quick_notes_that_cannot_be_saved(text: str) -> None:
    with pytest.raises(UserError) as problem:
        parse_quick_note(text, today=TODAY)
    assert problem.value.usage


def test_handles_at_the_start_of_a_quick_note() -> None:
    quick = parse_quick_note("@@Ana.Glow, @ben.buys: @ana.glow both late, ask @cara.x", today=TODAY)
    assert quick.handles == ["ana.glow", "ben.buys"]
    assert quick.text == "both late, ask @cara.x"
    known = {"sara.goodfinds"}
    assert parse_quick_note(
        "sara.goodfinds. hi", known=known.__contains__, today=TODAY
    ).handles == ["sara.goodfinds"]
    with pytest.raises(UserError, match=r"has no `sara\.goodfind`"):
        parse_quick_note("sara.goodfind hi", known=known.__contains__, today=TODAY)


@pytest.mark.parametrize(
    ("word", "handle"),
    [
        ("@@sara.goodfinds", "sara.goodfinds"),
        ("@sara.goodfinds.", "sara.goodfinds"),
        ("sara.goodfinds,", "sara.goodfinds"),
        ("@Sara.GoodFinds:", "sara.goodfinds"),
        ("sara.goodfinds", "sara.goodfinds"),
    ],
)
def test_handles_are_tidied(word: str, handle: str) -> None:
    assert parse_handle(word) == handle == handle_or_none(word)


@pytest.mark.parametrize(
    ("handle", "meant"),
    [
        ("sara.goodfind", "sara.goodfinds"),  # one letter short
        ("sara.godofinds", "sara.goodfinds"),  # two letters swapped
        ("sarah.goodfind", "sara.goodfinds"),  # two edits in a long handle
        ("maria.mkaes", "maria.makes"),
        ("ana.c", None),  # too short to tell a typo from another creator
        ("sara.greatfinds", None),
        ("sara.goodfinds", None),  # the handle itself
    ],
)
def test_near_misses_of_registry_handles(handle: str, meant: str | None) -> None:
    known = ["sara.goodfinds", "maria.makes", "ana.b"]
    assert near_miss(handle, known) == meant


def test_tags_in_the_form_field() -> None:
    assert parse_tag_field(" #Samples, late-delivery;;  samples ") == ["samples", "late-delivery"]
    assert parse_tag_field("") == []
    with pytest.raises(UserError, match="is not a tag"):
        parse_tag_field("<!channel>")


@pytest.mark.parametrize(
    ("tags", "text", "topic", "sentiment"),
    [
        (["shipping"], "", "logistics", "neutral"),
        ([], "commission too low, unhappy", "commission", "negative"),
        ([], "👍 thanks", "general", "positive"),
        ([], "video about the payout", "general", "neutral"),  # two topics: not obvious
        (["praise"], "the lamp arrived damaged", "general", "positive"),  # a tag decides
        ([], "", "general", "neutral"),
    ],
)
def test_inference(tags: list[str], text: str, topic: str, sentiment: str) -> None:
    assert (infer_topic(tags, text), infer_sentiment(tags, text)) == (topic, sentiment)


@pytest.mark.parametrize(
    ("text", "sentiment"),
    [
        # negation and common negative phrasing
        ("not happy with the 10% commission", "negative"),
        ("Not great, the video was rushed", "negative"),
        ("not so happy about the samples", "negative"),
        ("she is no longer interested", "negative"),
        ("never again with this agency", "negative"),
        ("late again", "negative"),
        ("didn't post after the sample", "negative"),
        ("Didn’t post anything", "negative"),  # a typographic apostrophe
        ("hasn't replied since Monday", "negative"),
        ("never posted the video", "negative"),
        ("too expensive for her audience", "negative"),
        ("the rate is too low", "negative"),
        ("wasn't impressed by the packaging", "negative"),
        # a negated complaint is no complaint; a negation elsewhere leaves praise alone
        ("not late at all this time", "neutral"),
        ("no complaints, loves the lamp", "positive"),
        ("great video, thanks!", "positive"),
        ("happy with the samples", "positive"),
        ("can't wait to go live, thrilled", "positive"),
        ("not sure about the date but happy overall", "positive"),
        ("loved it 👍", "positive"),
        ("happy but the parcel was late", "neutral"),  # both ways: not obvious
        ("met at the fair", "neutral"),
    ],
)
def test_sentiment_reads_negation(text: str, sentiment: str) -> None:
    assert infer_sentiment([], text) == sentiment


def test_periods_and_starts() -> None:
    # A Thursday: week and month reach back to the calendar week's Monday and the 1st, as
    # `this week` and `mtd` do; 7d and 30d are rolling.
    assert [parse_window(w, TODAY) for w in ("", "7d", "30d", "week", "month", "14 days")] == [
        7,
        7,
        30,
        parse_window("this week", TODAY),
        parse_window("mtd", TODAY),
        14,
    ]
    assert parse_window("week", TODAY) == 4 and parse_window("month", TODAY) == 3
    assert parse_since("", TODAY) is None and parse_since("all", TODAY) is None
    assert parse_since("2026-11-01", TODAY) == date(2026, 11, 1)
    assert parse_since("30d", TODAY) == TODAY - timedelta(days=30)
    for bad in ("0d", "999d", "soon"):
        with pytest.raises(UserError):
            parse_window(bad, TODAY)


def test_handles_in_a_message_skip_slack_mentions() -> None:
    text = "<@U0TOM> met @Maria.Makes and @tom_tidy (email me@example.com)"
    assert handles_in(text) == ["maria.makes", "tom_tidy"]
    assert message_link("acme", "C1", "1764751234.000200") == (
        "https://acme.slack.com/archives/C1/p1764751234000200"
    )


def test_long_text_is_split_within_slacks_limits() -> None:
    text = "&<>" * 1333 + "x"
    sections = [s.to_dict() for s in text_sections(text)]
    assert all(len(s["text"]["text"]) <= 3000 for s in sections)
    joined = "".join(s["text"]["text"] for s in sections)
    assert joined == text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert "&am" not in joined.replace("&amp;", "")  # no entity is cut in two
    assert validate_blocks(sections) == []


def test_pager_state_round_trips_and_forgeries_are_refused() -> None:
    typed = decode("search damaged lamp &amp; Größe owner:<@U0TOM|tom> page:3")
    listing = asked("/feedback", typed)
    assert listing.words == "search damaged lamp & Größe owner:@tom"
    assert Asked.from_value(listing.value(2)) == (listing, 2)
    assert listing.typed(2).user_id("@tom") == "U0TOM"
    for forged in (
        '{"c": "/feedback", "w": "x"}',
        '{"c": "/feedback", "w": "x", "p": -1}',
        '{"c": "/feedback", "w": "x", "p": true}',
        '{"c": "feedback", "w": "x", "p": 1}',
        '{"c": "/feedback", "w": "x", "p": 1, "r": [["nobody", "U1", "@a"]]}',
        "[]",
        "nope",
    ):
        with pytest.raises(UserError, match="does not hold a page of a list"):
            Asked.from_value(forged)


def test_compact_counts_and_sentiment_trends() -> None:
    assert [compact_count(n) for n in (999, 1000, 12_345, 2_400_000)] == [
        "999",
        "1K",
        "12.3K",
        "2.4M",
    ]
    assert sentiment_trend([]) == "no notes yet"
    assert sentiment_trend(["positive", "negative"]) == "🔴🟢 (too few notes for a trend)"
    newest_first = ["positive", "positive", "negative", "negative"]
    assert sentiment_trend(newest_first) == "🔴🔴🟢🟢 — improving ↗"
    assert sentiment_trend(["neutral"] * 6).endswith("steady →")


def test_type_ahead_options() -> None:
    options = creator_options([("maria.makes", "Maria")], "mar")
    assert [o["value"] for o in options] == ["maria.makes", "mar"]
    assert options[1]["text"]["text"] == "＋ new: @mar"
    assert (
        creator_options([("maria.makes", "")], "maria.makes")[0]["text"]["text"] == "@maria.makes"
    )
    assert creator_options([], "not a handle!") == []


def test_reading_the_note_form() -> None:
    fields = read_note_form(note_values(tags="a b", follow_up=TODAY), editing=False, today=TODAY)
    assert (fields.handle, fields.tags, fields.follow_up_on) == ("maria.makes", ("a", "b"), TODAY)
    with pytest.raises(FormErrors) as errors:
        read_note_form(note_values(topic="gossip", sentiment="meh"), editing=False, today=TODAY)
    assert set(errors.value.errors) == {"topic", "sentiment"}
    past = TODAY - timedelta(days=3)
    kept = read_note_form(
        note_values(handle=None, follow_up=past), editing=True, today=TODAY, keep_date=past
    )
    assert kept.follow_up_on == past and kept.handle is None


def test_form_state_survives_private_metadata() -> None:
    state = FormState(id=4, response_url="https://x/y", replace=True, source_url=None)
    assert FormState.load(state.dump()) == state
    assert FormState.load("") == FormState()
    assert len(FormState(response_url="u" * 200, source_url="s" * 500).dump()) < 3000


def test_text_cells_are_text_exactly_as_written() -> None:
    texts = ("=1", "+1", "-1", "@a", "\t=1", "\r=1", "a=1", "'quoted'")
    notes = [
        replace(_note(n, "general", "neutral", []), text=text, author_user_id=f"U{n}")
        for n, text in enumerate(texts, start=1)
    ]
    content = notes_workbook(notes, UTC, {"U1": "Maria Lopez", "U4": "=Evil()"})
    sheet = load_workbook(io.BytesIO(content)).active
    cells = [row[7] for row in sheet.iter_rows(min_row=2)]
    assert [c.value for c in cells] == list(texts)
    assert all(c.data_type == "s" for c in cells)  # never a formula
    assert [c.quotePrefix for c in cells] == [True] * 6 + [False] * 2
    authors = [row[8] for row in sheet.iter_rows(min_row=2)]
    assert [a.value for a in authors[:5]] == ["Maria Lopez", "U2", "U3", "=Evil()", "U5"]
    assert authors[3].data_type == "s" and authors[3].quotePrefix


def _note(n: int, topic: str, sentiment: str, tags: list[str], handle: str = "a.b") -> NoteView:
    at = datetime(2026, 12, 1, 10, n, tzinfo=UTC)
    return NoteView(n, 1, handle, "", "U1", f"note {n} " + "x" * 40, topic, sentiment, tags,
                    None, None, None, at, at, None, None)  # fmt: skip


def test_the_report_is_composed_from_notes() -> None:
    period = ReportPeriod(date(2026, 11, 27), TODAY)
    assert period.days == 7
    assert period.before() == ReportPeriod(date(2026, 11, 20), date(2026, 11, 26))
    current = [
        _note(1, "samples", "negative", ["late"], "x.y"),
        _note(2, "samples", "negative", ["late", "box"], "x.y"),
        _note(3, "samples", "positive", [], "z.z"),
        _note(4, "content", "neutral", ["video"]),
    ]
    previous = [_note(5, "samples", "neutral", ["late"]), _note(6, "content", "neutral", ["box"])]
    report = compose_report(period, current, previous, (3, 1))
    assert [(t.topic, t.total) for t in report.topics] == [("samples", 3), ("content", 1)]
    assert [(t.tag, t.count, t.previous) for t in report.tags] == [
        ("late", 2, 1),
        ("box", 1, 1),
        ("video", 1, 0),
    ]
    assert [(c.handle, c.negative, c.total) for c in report.negative_creators] == [("x.y", 2, 2)]
    assert [q.id for q in report.quotes] == [2, 4]
    assert report.sentiments == {"positive": 1, "neutral": 1, "negative": 2}
    section = report_section(report)
    assert "4 notes (▲ 2 vs the 7 days before)" in section.text
    assert validate_blocks([b.to_dict() for b in section.blocks]) == []
    assert section.chart_png is not None
    width, height = struct.unpack(">II", section.chart_png[16:24])
    assert (width, height) == (960, 540)  # the size of every chart the app posts


def test_admin_refusals_name_the_admins_and_the_setting() -> None:
    assert AdminsOnly("post it", {"U2", "U1"}).message == (
        "Only admins can post it. The admins are <@U1>, <@U2>: ask one of them, or ask whoever "
        "runs shopbot to add your Slack user ID to `SHOPBOT_ADMINS`."
    )
    assert AdminsOnly("post it", (), besides="<@U3>").message == (
        "Only <@U3> or an admin can post it. No admins are set yet: whoever runs shopbot lists "
        "their Slack user IDs in `SHOPBOT_ADMINS`."
    )
