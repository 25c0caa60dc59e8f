"""Text that starts like a formula is text (issue 24): the import keeps `@maria…`, `+20%…`,
`-Slow…` and `= same…` as written and makes only an active formula inert, so every export
imports back (storage.formulas states the rule). The review export is the one export with an
importer (the notes and seller-gap workbooks have none)."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy.engine import Engine

from bot.imports.run import import_file
from bot.settings import load_settings
from devkit.offline import OfflineBot
from storage.importers import ImportOptions, ImportRejected
from storage.reviews.models import LivestreamReview
from tests.feedback_support import rows
from tests.review_support import STREAM, review_now, seed
from tests.test_importers import xlsx

SETTINGS = load_settings({}, env_file=None, require_slack=False)
# What people type in the review form: each starts the way a spreadsheet takes for a formula,
# or holds what an export must carry through (&, umlauts, emoji, CJK, markup).
ORDINARY = [
    "@maria.makes nailed the hook",
    "+20% GMV after the flash sale",
    "-Slow start, fixed by minute 5",
    "= same as last week",
    "=1+1 deal explained twice",
    "- Küchenwelt & Co: Grüße, Öl & Soße 🍳",
    '五星好评 <b>bold</b> & "quotes"',
    "@SUM is a word here, not a call",
]
# Active formulas: kept, but as inert text (a leading apostrophe).
ACTIVE = [
    '=HYPERLINK("http://evil.example","click")',
    "@SUM(1+9)*cmd|' /C calc'!A0",
    '+IMPORTXML(A1,"//a")',
    "=cmd|' /C calc'!A0",
]


def _import(engine: Engine, team: str, data: bytes, name: str):  # type: ignore[no-untyped-def]
    options = ImportOptions(team_id=team, filename=name, user_id="U0MARIA")
    return import_file(engine, SETTINGS, data, options)


def _texts(engine: Engine) -> list[tuple[str, str, str | None, str]]:
    return [
        (r.strengths, r.improvements, r.best_practice, r.host_name)
        for r in sorted(rows(engine, LivestreamReview), key=lambda r: r.seller_id)
    ]


def _export(bot: OfflineBot) -> bytes:
    seen = bot.say("/review export 2026-11-01", user_id="U0MARIA")
    assert "as an Excel workbook by DM" in seen.text, seen.text
    return list(bot.sandbox.files.values())[-1].content or b""


def test_text_saved_from_the_form_imports_back_from_the_review_export(
    bot: OfflineBot, engine: Engine
) -> None:
    team = bot.sandbox.team_id
    ids = seed(engine, team)
    sellers = [ids["Casa Bonita"], ids["Küchenwelt & Co"], ids["Glow Lab"]]
    typed = [
        (ORDINARY[0], ORDINARY[1], ORDINARY[2], "- Ana, own host"),
        (ORDINARY[3], ORDINARY[4], ORDINARY[5], "+Ana"),
        (ORDINARY[6], ACTIVE[0], ACTIVE[1], "=Ana"),
    ]
    for n, (seller_id, (strengths, improvements, best, host)) in enumerate(
        zip(sellers, typed, strict=True)
    ):
        url = f"https://www.tiktok.com/live/{n}"
        review_now(
            bot,
            seller_id,
            strengths=strengths,
            improvements=improvements,
            best=best,
            host=host,
            url=url,
        )
    saved = _texts(engine)
    assert saved == [tuple(t) for t in typed]  # the form keeps every one as typed

    again = _import(engine, team, _export(bot), "reviews.xlsx")
    assert (again.kind, again.new, again.updated) == ("reviews", 0, 3)
    inert = [
        typed[0],
        typed[1],
        (ORDINARY[6], "'" + ACTIVE[0], "'" + ACTIVE[1], "=Ana"),
    ]
    assert _texts(engine) == inert
    # Round and round: the inert form is stable, and nothing else changes.
    once_more = _import(engine, team, _export(bot), "reviews.xlsx")
    assert (once_more.new, once_more.updated) == (0, 3)
    assert _texts(engine) == inert
    assert [r.stream_started_at for r in rows(engine, LivestreamReview)] == [STREAM] * 3


def test_the_export_writes_each_text_as_a_text_cell_exactly() -> None:
    from bot.shared.workbooks import workbook

    content = workbook("Sheet", [("Text", 10)], ([text] for text in ORDINARY + ACTIVE))
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [c.value for c in cells] == ORDINARY + ACTIVE
    assert all(c.data_type == "s" for c in cells)
    assert [bool(c.quotePrefix) for c in cells] == [
        text.startswith(("=", "+", "-", "@")) for text in ORDINARY + ACTIVE
    ]


HEADER = (
    "Date,Start Time,Shop,Host,Link,Reviewer,Hook,Host presence,Product explanation,"
    "Demonstration,Production,Interaction,Merchandising,CTA,Structure,Compliance,Strengths,"
    "Improvements,Tags,Views,GMV"
)


def _row(shop: str, strengths: str, improvements: str = "", views: str = "") -> list[str]:
    return ["2026-11-27", "18:30", shop, "", "", "", *["3"] * 10, strengths, improvements, "",
            views, ""]  # fmt: skip


def test_a_csv_cell_starting_with_a_sign_and_a_letter_is_text(
    bot: OfflineBot, engine: Engine
) -> None:
    """The cells the formula guard refused: @, + or - and a letter."""
    team = bot.sandbox.team_id
    seed(engine, team)
    lines = [
        _row("Casa Bonita", "@maria great energy", "+Add a countdown"),
        _row("Glow Lab", "-Slow start", ACTIVE[3]),
    ]
    data = "\n".join([HEADER, *(",".join(f'"{c}"' if "," in c or "'" in c else c for c in line)
                                for line in lines)]) + "\n"  # fmt: skip
    summary = _import(engine, team, data.encode(), "tracker.csv")
    assert (summary.rows, summary.new) == (2, 2)
    assert [(s, i) for s, i, _, _ in _texts(engine)] == [
        ("@maria great energy", "+Add a countdown"),
        ("-Slow start", "'" + ACTIVE[3]),
    ]


@pytest.mark.parametrize("views", ["=5", '+HYPERLINK("x")', "@5"])
def test_a_formula_in_a_number_cell_is_still_refused(
    bot: OfflineBot, engine: Engine, views: str
) -> None:
    team = bot.sandbox.team_id
    seed(engine, team)
    line = ",".join(_row("Glow Lab", "fine", views=views.replace('"', '""')))
    if '"' in views:
        line = line.replace(views.replace('"', '""'), '"' + views.replace('"', '""') + '"')
    with pytest.raises(ImportRejected) as refused:
        _import(engine, team, (HEADER + "\n" + line + "\n").encode(), "tracker.csv")
    assert "Views" in refused.value.describe() and "is not a whole number" in (
        refused.value.describe()
    )
    assert rows(engine, LivestreamReview) == []


def test_an_xlsx_formula_cell_is_read_as_what_it_shows(bot: OfflineBot, engine: Engine) -> None:
    """A real formula in a workbook is never stored as its formula: openpyxl saves it
    without a computed value, so what it shows, and what is stored, is nothing."""
    team = bot.sandbox.team_id
    seed(engine, team)
    book = xlsx([HEADER.split(","), _row("Glow Lab", '=HYPERLINK("http://evil.example")')])
    summary = _import(engine, team, book, "tracker.xlsx")
    assert summary.new == 1
    assert _texts(engine)[0][0] == ""
