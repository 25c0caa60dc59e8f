"""German headers and values for every import kind (issue 26, point 6): each kind's test file
with its headers in German imports to exactly what the English one does, found by the same
detection; a German file with a problem is refused with the names the file used, and nothing
changes; a German KPI sheet shared in a DM shows in `/kpi` as the figures it holds."""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from bot.imports.run import import_file
from bot.settings import load_settings
from bot.shared.numbers import NumberStyle
from devkit.offline import OfflineBot
from storage.importers import KINDS, ImportOptions, ImportRejected, detect_kind
from storage.importers.columns import Names
from storage.importers.creators import parse_content, parse_followers, parse_level
from storage.importers.tables import normalise_header, peek_header
from storage.kpis.models import DailySellerKpi
from storage.reviews.models import LiveSession
from storage.sellers.models import Seller
from tests import test_collaborations_import as collaborations
from tests import test_creator_import as creators
from tests import test_creator_performance_import as performance
from tests import test_importers as importers
from tests import test_review_tracker as reviews
from tests import test_seller_registry as registry
from tests.conftest import empty_database
from tests.feedback_support import rows
from tests.match_support import add_creator, add_seller
from tests.review_support import seed
from tests.slack_support import markup

TEAM = "T1"
SETTINGS = load_settings({}, env_file=None, require_slack=False)
# Columns of the exports that no importer reads but detection looks for, in German.
MARKERS = {
    "creator id": "Creator-ID",
    "viewers": "Zuschauer",
    "live impressions": "LIVE-Impressionen",
}
# Audit columns: when a row was written, not what the file said.
WRITTEN_AT = {
    "created_at",
    "updated_at",
    "finished_at",
    "recorded_at",
    "changed_at",
    "edited_at",
    "figures_updated_at",
}


def _aliases(kind: str) -> dict[str, Names]:
    importer = next(k.importer for k in KINDS if k.name == kind)
    aliases: dict[str, Names] = sys.modules[importer.__module__].ALIASES
    return aliases


def _german_name(names: Names) -> str:
    """The column's first German name that is not also English (else its first)."""
    return next(
        (n for n in names.german if normalise_header(n)[0] in names.only_german), names.german[0]
    )


def german_header(kind: str, header: list[str], folded: bool = False) -> list[str]:
    """`header` with each column the importer reads under its German name (a unit in brackets
    kept); a second column for the same field stays as it is, as the importer reads the first.
    `folded`: as a keyboard without umlauts writes it, in capitals (`VERKAEUFER-ID`)."""
    aliases = _aliases(kind)
    done: set[str] = set()
    out = []
    for cell in header:
        name, unit = normalise_header(cell)
        fields = [f for f, names in aliases.items() if name in names]
        if fields and fields[0] not in done:
            done.add(fields[0])
            cell = _german_name(aliases[fields[0]])
        elif name in MARKERS:
            cell = MARKERS[name]
        else:
            out.append(cell)
            continue
        if unit:
            cell = f"{cell} ({unit})"
        if folded:
            for umlaut, written in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
                cell = cell.replace(umlaut, written)
            cell = f" {cell.upper()} "
        out.append(cell)
    return out


@dataclass(frozen=True)
class Case:
    """A kind's English test file (as rows), what the database needs before it, and how it is
    sent."""

    kind: str
    rows: list[list[str]]
    setup: Callable[[Engine], object] = lambda engine: None
    options: dict[str, object] = field(default_factory=dict)
    as_xlsx: bool = False

    def english(self) -> bytes:
        return _written(self.rows, ",", self.as_xlsx)

    def german(self, folded: bool) -> bytes:
        header = german_header(self.kind, self.rows[0], folded)
        return b"\xef\xbb\xbf" * (not self.as_xlsx) + _written(
            [header, *self.rows[1:]], ";", self.as_xlsx
        )


def _written(lines: list[list[str]], delimiter: str, as_xlsx: bool) -> bytes:
    if as_xlsx:
        return importers.xlsx(lines)  # type: ignore[arg-type]
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(lines)
    return out.getvalue().encode()


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def _one_seller(engine: Engine) -> None:
    registry_file = b"id,name,categories\n7495,Casa Bonita,Home & Living; Kitchenware\n"
    import_file(engine, SETTINGS, registry_file, ImportOptions(TEAM, "sellers.csv"))


def _collaborators(engine: Engine) -> None:
    add_seller(engine, TEAM, "Ökoladen Küche & Co", "Kitchenware")
    add_creator(engine, TEAM, "maria.makes")
    add_creator(engine, TEAM, "nora.cooks")


ORDER_LINES = [
    importers.order_line("5761", "Completed", 2, "€1.000,50", "15/12/2025 09:30:33", "ann"),
    importers.order_line("5762", "Storniert", 1, "€99,00", "15/12/2025 10:00:00", "bob"),
    importers.order_line("5764", "Versandt", 1, "€10,00", "16/12/2025 00:00:01", "ann"),
    importers.order_line(
        "5765", "Awaiting", 1, "€3,00", "16/12/2025 08:00:00", "dee", "16/12/2025"
    ),
]
LIVE_OLD = (
    "Creator ID,Creator,Nickname,Launched Time,Duration,Revenue (Rp),Products,Viewers,Views,"
    "ACU,PCU,Comments,Shares,Likes,New Followers,Avg Viewing Duration\n"
    "1,c,n,2025-12-15 19:00,1:30:00,Rp 150.000,3,10,900,5,9,20,5,100,3,0:01:10\n"
    "1,c,n,2025-12-15 21:00,30m,Rp 50.000,3,10,100,5,9,2,1,10,0,45s\n"
)
LIVE_NEW = (
    "Start time,Duration,Attributed GMV,Attributed orders,Views,LIVE impressions,"
    "Product impressions,Product clicks,New followers,Likes,Comments,Shares\n"
    "12/16/2025 8:00 PM,45:00,$12.50,1,300,900,120,30,2,40,5,1\n"
)
CASES = [
    Case("kpi-sheet", _rows(importers.SHEET)),
    Case(
        "orders",
        [importers.ORDER_HEADER, *ORDER_LINES],
        _one_seller,
        {"seller": "Casa Bonita"},
        as_xlsx=True,
    ),
    Case("live-sessions", _rows(LIVE_OLD), _one_seller, {"seller": "7495"}),
    Case("live-sessions", _rows(LIVE_NEW), _one_seller, {"seller": "7495"}),
    Case("creators", _rows(creators.FILE)),
    Case("creators", _rows(performance.OVERALL)),
    Case("collaborations", _rows(collaborations.FILE), _collaborators),
    Case(
        "reviews", _rows(reviews.HEADER + "\n" + "\n".join(reviews.GOOD)), lambda e: seed(e, TEAM)
    ),
    Case(
        "sellers",
        _rows(
            registry.HEADER
            + '7495,Küchenwelt,Kitchenware; Home & Living,DE,A,U0TOM,onboarding,"Ana Lima, '
            'owner, ana@kw.example; Bo",LIVE | affiliate,key-account; q4\n'
            "7496,東京 Beauty,Beauty,JP,,,prospect,,,\n"
        ),
    ),
]


def _import(engine: Engine, data: bytes, case: Case, filename: str) -> tuple[object, ...]:
    options = ImportOptions(TEAM, filename, user_id="U0MARIA", **case.options)  # type: ignore[arg-type]
    summary = import_file(engine, SETTINGS, data, options)
    return (summary.kind, summary.rows, summary.new, summary.updated, summary.notes)


def database(
    engine: Engine, leave_out: frozenset[str] = frozenset({"importbatch"})
) -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows as imports leave them, without when they were written (and
    without the import records, which keep the file's name and fingerprint)."""
    seen: dict[str, list[tuple[object, ...]]] = {}
    with engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            if table.name in leave_out:
                continue
            columns = [c for c in table.columns if c.name not in WRITTEN_AT]
            found = connection.execute(select(*columns)).all()
            seen[table.name] = sorted((tuple(row) for row in found), key=repr)
    return seen


def test_every_kind_has_a_german_name_for_every_column() -> None:
    for kind in KINDS:
        for column, names in _aliases(kind.name).items():
            assert isinstance(names, Names) and names.german, f"{kind.name}: {column}"


def test_every_kind_is_tried_in_german() -> None:
    assert {case.kind for case in CASES} == {kind.name for kind in KINDS}


@pytest.mark.parametrize("folded", [False, True], ids=["umlauts", "ae-capitals"])
@pytest.mark.parametrize("case", CASES, ids=[f"{c.kind}-{n}" for n, c in enumerate(CASES)])
def test_a_german_file_imports_as_the_english_one_does(
    engine: Engine, case: Case, folded: bool
) -> None:
    english, german = case.english(), case.german(folded)
    name = "file.xlsx" if case.as_xlsx else "file.csv"
    assert detect_kind(peek_header(german, name)) == case.kind
    case.setup(engine)
    in_english = _import(engine, english, case, name)
    expected = database(engine)
    assert in_english[1], "the English file imports rows"
    empty_database(engine)
    case.setup(engine)
    assert _import(engine, german, case, name) == in_english
    assert database(engine) == expected


# ---- German values -------------------------------------------------------------------------


def test_german_words_dates_and_durations_are_read(engine: Engine) -> None:
    registry_file = (
        "Verkäufer-ID;Verkäufername;Kategorien;Markt;Status;Programme\n"
        "7495;Casa Bonita;Küche;DE;Aktiv;LIVE | Kampagnen\n"
        "7496;Glow Lab;Beauty;DE;Pausiert;Affiliate\n"
    )
    importers.run(engine, registry_file.encode(), "verkäufer.csv")
    casa, glow = rows(engine, Seller)
    assert (casa.status, casa.programs, glow.status) == ("active", ["live", "campaigns"], "paused")
    live = (
        "Startzeit;Dauer;Umsatz;Aufrufe;Spitzenzuschauer;Durchschn. Wiedergabedauer\n"
        "27.11.2026 19:30;1 Std. 5 Min.;1.234,56 €;1.200;80;1 Min. 10 Sek.\n"
        "28.11.2026 09:05;45 Min.;99,00 €;300;20;45 Sek.\n"
    )
    importers.run(engine, live.encode(), "live.csv", seller="Casa Bonita")
    first, second = rows(engine, LiveSession)
    assert (first.started_at, first.duration_minutes, first.gmv_cents) == (
        datetime(2026, 11, 27, 19, 30),
        65,
        123_456,
    )
    assert (first.views, first.avg_view_seconds, second.avg_view_seconds) == (1_200, 70, 45)
    assert second.started_at == datetime(2026, 11, 28, 9, 5)


def test_creators_levels_and_follower_counts_in_german() -> None:
    assert parse_level("Stufe 3") == 3
    assert (parse_followers("12,3 Tsd."), parse_followers("1,2 Mio.")) == (12_300, 1_200_000)
    assert (parse_content("beides"), parse_content("LIVE und Video")) == ("live,video",) * 2


# ---- malformed German files ------------------------------------------------------------------


def _refusal(engine: Engine, text: str, kind: str | None = "kpi-sheet") -> str:
    before = database(engine)
    with pytest.raises(ImportRejected) as rejected:
        importers.run(engine, text.encode(), "umsatz.csv", kind=kind)
    assert database(engine) == before
    return rejected.value.describe()


def test_a_missing_column_is_named_as_the_german_file_names_it(engine: Engine) -> None:
    said = _refusal(engine, "Datum;Shop-ID;Umsatz\n27.11.2026;S1;1,00 €\n")
    assert said == "umsatz.csv is missing the column “Bestellungen (orders)”; nothing was imported."
    said = _refusal(engine, "date;shop id;gmv\n2026-11-27;S1;1.00\n")
    assert "missing the column “orders”;" in said


def test_a_review_tracker_without_its_seller_says_so_in_german(engine: Engine) -> None:
    header = german_header("reviews", _rows(reviews.HEADER)[0])
    without_shop = [cell for cell in header if cell != "Verkäufer"]
    line = next(csv.reader([reviews.GOOD[2]]))
    del line[2]
    text = _written([without_shop, line], ";", as_xlsx=False).decode()
    said = _refusal(engine, text, kind="reviews")
    assert said == (
        "umsatz.csv is missing the column “Verkäufer (seller)” (or “Verkäufer-ID (seller id)”); "
        "nothing was imported."
    )


def test_a_column_given_in_both_languages_is_refused_naming_both(engine: Engine) -> None:
    said = _refusal(engine, "Datum;Shop-ID;Umsatz;Bestellungen;Orders\n27.11.2026;S1;1,00 €;1;1\n")
    assert said == (
        "umsatz.csv has both “Bestellungen” and “Orders”, which are the same column (orders): "
        "keep one and send it again; nothing was imported."
    )


def test_a_mixed_file_imports_one_language_per_column(engine: Engine) -> None:
    importers.run(engine, "Datum;seller id;GMV;Bestellungen\n27.11.2026;S1;1,00 €;2\n".encode())
    assert [r[:3] for r in importers.kpi_rows(engine)] == [(date(2026, 11, 27), 100, 2)]


def test_a_bad_value_is_shown_under_the_german_header(engine: Engine) -> None:
    said = _refusal(
        engine,
        "Datum;Shop-ID;Umsatz;Bestellungen\n27.11.2026;S1;1,00 €;1\n28.11.2026;S1;x;1\n",
        kind=None,
    )
    assert "• row 3, Umsatz = 'x'" in said
    repeated = "Datum;Shop-ID;Umsatz;Bestellungen\n27.11.2026;S1;1,00 €;1\n27.11.2026;S1;2,00 €;1\n"
    said = _refusal(engine, repeated, kind=None)
    assert "• row 3, Shop-ID + Datum = 'S1 2026-11-27': repeats row 2" in said


# ---- end to end: a German KPI sheet shared in a DM, then /kpi -----------------------------

GERMAN_SHEET = (
    "\ufeffDatum;Shop-ID;Shopname;Kategorie;Umsatz;Bestellungen;Verkaufte Artikel;Käufer\n"
    "26.11.2026;7495;Küchenwelt & Co;Küche;99,00 €;2;3;2\n"
    "27.11.2026;7495;Küchenwelt & Co;Küche;1.234,56 €;12;15;11\n"
    "27.11.2026;7496;Glow Lab;Beauty;10,44 €;3;3;3\n"
)


def test_a_german_kpi_sheet_shared_in_a_dm_shows_in_kpi(bot: OfflineBot, engine: Engine) -> None:
    bot.services.settings = replace(bot.services.settings, locale="de_DE", currency="EUR")
    bot.services.clock = lambda: datetime(2026, 11, 28, 11, 0, tzinfo=UTC)
    bot.client.file_share("U0MARIA", "KPI KW 48.csv", GERMAN_SHEET.encode())
    bot.settle()
    [reply] = [c.params["text"] for c in bot.sandbox.calls("chat.postMessage")]
    assert "Imported 3 rows (kpi-sheet)" in reply and "of 2 sellers" in reply
    shown = markup(bot.say("/kpi 2026-11-27 full").reply)
    style = NumberStyle("EUR", "de_DE")
    assert f"*GMV*  {style.money(123_456 + 1_044)}" in shown
    assert f"*Orders*  {style.count(15)}" in shown
    assert f"*Items sold*  {style.count(18)}" in shown
    assert f"*AOV*  {style.money(round((123_456 + 1_044) / 15))}" in shown


# What answering a Slack event keeps, whatever the event was.
EVENT_RECORDS = frozenset({"processedslackevent", "sideeffect"})


def test_a_malformed_german_sheet_in_a_dm_changes_nothing(bot: OfflineBot, engine: Engine) -> None:
    before = database(engine, leave_out=EVENT_RECORDS)
    bad = GERMAN_SHEET.replace("1.234,56 €", "zwölf")
    bot.client.file_share("U0MARIA", "KPI KW 48.csv", bad.encode())
    bot.settle()
    [reply] = [c.params["text"] for c in bot.sandbox.calls("chat.postMessage")]
    assert "KPI KW 48.csv was not imported: 1 problem" in reply
    assert "row 3, Umsatz = 'zwölf'" in reply
    assert database(engine, leave_out=EVENT_RECORDS) == before
    assert rows(engine, DailySellerKpi) == []
