"""Charts never invent a value and read well: every kind of chart on edge data (all gaps, one
day, a leading day without data, today missing, two years, $0.50 beside $3M) is a 960 × 540 PNG
with no text cut off, gaps where data is missing, readable date ticks and one precision; and
`/kpi chart` and the digest draw what tests/kpi_data.py's reference says, gaps included."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from datetime import date, timedelta

import matplotlib.dates as mdates
import pandas as pd
import pytest
from matplotlib.figure import Figure
from sqlalchemy.engine import Engine

import bot.feedback.chart
import bot.kpi.trend
import bot.shared.charts
from app import FEATURES
from bot.digest.content import compose_digest
from bot.features import Features
from bot.feedback.chart import topic_sentiment_figure
from bot.feedback.report import TopicCount
from bot.shared.chart_numbers import ChartNumbers, Kind
from bot.shared.charts import Series, bar_figure, day_span, line_figure, png, slug
from bot.shared.digest_section import DigestSpec
from bot.shared.kpis.engine import trend
from bot.shared.numbers import NumberStyle
from bot.shared.periods import Period
from bot.shared.schedule import last_full_week
from devkit.offline import OfflineBot
from storage.importers import ImportOptions, importer_for
from storage.kpis.reads import Scope
from tests import kpi_data
from tests.chart_checks import (
    assert_nothing_clipped,
    assert_ticks_apart,
    drawn_tick_labels,
    is_gap,
    line_of,
    png_size,
    precisions,
    texts,
    value_on,
)
from tests.digest_support import TEAM, import_kpis
from tests.kpi_data import EMPTY_DAY, FIRST_DAY, cents, window
from tests.slack_support import unmarked

SECTIONS = Features(FEATURES).digest_sections

MONEY = ChartNumbers(Kind.MONEY, NumberStyle("USD", "en_US"))
TODAY = FIRST_DAY + timedelta(days=kpi_data.DAYS)  # the generated data has no rows today


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Figure]]:
    """The figures charts are rendered from, in order, as they are turned into PNG bytes."""
    figures: list[Figure] = []
    original: Callable[[Figure], bytes] = bot.shared.charts.png

    def record(figure: Figure) -> bytes:
        figures.append(figure)
        return original(figure)

    for module in (bot.shared.charts, bot.kpi.trend, bot.feedback.chart):
        monkeypatch.setattr(module, "png", record, raising=False)
    yield figures


def _days(count: int, last: date = date(2026, 11, 30)) -> list[date]:
    return [last - timedelta(days=count - 1 - i) for i in range(count)]


def _wavy(count: int, low: float = 5_000_000, high: float = 30_000_000) -> list[float | None]:
    return [low + (high - low) * (1 + math.sin(i / 3)) / 2 for i in range(count)]


def _edge_cases() -> dict[str, tuple[list[date], list[float | None], list[float | None]]]:
    """name: (days, this period's values, the previous period's), None for no data."""
    two_years = _wavy(730)
    for i in (0, 100, 101, 400, 729):
        two_years[i] = None
    tiny_to_huge: list[float | None] = [50.0, 1_250.0, 9_500_000.0, 300_000_000.0, 4_000.0]
    return {
        "all gaps": (_days(30), [None] * 30, [None] * 30),
        "a single day": (_days(1), [12_345.0], [None]),
        "a leading day without data": (_days(120), [None, *_wavy(119)], [None] * 120),
        "today missing": (_days(30), [*_wavy(29), None], _wavy(30)),
        "730 days": (_days(730), two_years, [None] * 730),
        "$0.50 to $3M": (_days(5), tiny_to_huge, [None, None, 100.0, None, None]),
    }


@pytest.mark.parametrize("case", list(_edge_cases()))
def test_a_trend_chart_on_edge_data(case: str) -> None:
    days, now, before = _edge_cases()[case]
    labels = (day_span(days[0], days[-1]), "the period before")
    figure = line_figure(
        "GMV",
        "all sellers · per day",
        days,
        [Series(labels[0], now), Series(labels[1], before)],
        MONEY,
        "USD",
    )
    assert png_size(png(figure)) == (960, 540)
    assert_nothing_clipped(figure)
    assert_ticks_apart(figure.axes[0].xaxis)
    drawn_lines = {line.get_label(): line for line in figure.axes[0].get_lines()}
    for label, values in zip(labels, (now, before), strict=True):
        if all(v is None for v in values):  # no data at all: not drawn, not in the legend
            assert label not in drawn_lines
            continue
        line = drawn_lines[label]
        for day, value in zip(days, values, strict=True):
            shown = value_on(line, day)
            assert is_gap(shown) if value is None else shown == value, (day, value, shown)
    legend = figure.axes[0].get_legend()
    legend_labels = [t.get_text() for t in legend.get_texts()] if legend else []
    assert legend_labels == (list(drawn_lines) if len(drawn_lines) > 1 else [])
    ticks = [t.get_text() for t in drawn_tick_labels(figure.axes[0].yaxis)]
    if drawn_lines:
        assert len(precisions(ticks)) == 1, ticks
    else:  # nothing to measure: no scale, and a note saying so
        assert ticks == []
        assert bot.shared.charts.NO_DATA in [t.get_text() for t in texts(figure)]


def test_a_day_with_data_between_gaps_is_marked_so_it_shows() -> None:
    figure = line_figure(
        "GMV", "", _days(30), [Series("now", [None, 500.0, *[None] * 28])], MONEY, "USD"
    )
    [line] = figure.axes[0].get_lines()
    assert line.get_marker() == "o" and list(line.get_markevery()) == [1]  # type: ignore[arg-type]


@pytest.mark.parametrize("count", [7, 30, 120, 365, 730])
def test_date_ticks_stay_apart_at_any_range(count: int) -> None:
    days = _days(count)
    figure = line_figure("GMV", "", days, [Series("now", _wavy(count))], MONEY, "USD")
    shown = assert_ticks_apart(figure.axes[0].xaxis)
    assert 3 <= len(shown) <= 13, shown
    assert_nothing_clipped(figure)


def test_bars_from_fifty_cents_to_three_million_share_one_precision() -> None:
    figure = bar_figure(
        "GMV by category",
        "23–29 Nov · change against 16–22 Nov",
        ["Home & Living", "Personal Care", "Kitchenware", "Storage & Organisation"],
        [300_000_000.0, 9_500_000.0, 50.0, 30_640_000.0],
        MONEY,
        "USD",
        notes=["▲ 4%", "", "▼ 12%", ""],
    )
    assert png_size(png(figure)) == (960, 540)
    assert_nothing_clipped(figure)
    axes = figure.axes[0]
    bar_labels = [t.get_text() for t in axes.texts if t.get_text().startswith(("$", "<"))]
    assert sorted(bar_labels) == ["$0.1M", "$0.3M", "$3.0M ▲ 4%", "<$0.1M ▼ 12%"]
    ticks = [t.get_text() for t in drawn_tick_labels(axes.xaxis)]
    assert precisions(bar_labels + ticks) == {(1, "M")}, (bar_labels, ticks)


def test_the_feedback_chart_has_the_same_size_style_and_room_for_its_text() -> None:
    topics = [
        TopicCount("samples", {"positive": 4, "negative": 1}),
        TopicCount("logistics", {"neutral": 2}),
        TopicCount("general", {"positive": 1, "neutral": 1, "negative": 1}),
    ]
    figure = topic_sentiment_figure(topics, "Feedback by topic and sentiment", "24–30 Nov")
    assert png_size(png(figure)) == (960, 540)
    assert_nothing_clipped(figure)
    shown = {t.get_text(): t for t in texts(figure)}
    kpi = line_figure("GMV", "24–30 Nov", _days(7), [Series("now", _wavy(7))], MONEY, "USD")
    same = {t.get_text(): t for t in texts(kpi)}
    for text in ("24–30 Nov",):  # the subtitle, placed and lettered alike
        assert shown[text].get_fontsize() == same[text].get_fontsize()
        assert shown[text].get_color() == same[text].get_color()
    title, kpi_title = shown["Feedback by topic and sentiment"], same["GMV"]
    assert (title.get_fontsize(), title.get_fontweight()) == (
        kpi_title.get_fontsize(),
        kpi_title.get_fontweight(),
    )
    assert [t.get_text() for t in figure.axes[0].get_legend().get_texts()] == [
        "Positive",
        "Neutral",
        "Negative",
    ]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Home & Living", "home-and-living"),
        ("Café & Co.", "café-and-co"),
        ("東京ライフ", "東京ライフ"),
        ("Ἀθηνᾶ", "ἀθηνᾶ"),
        ("Ночной Свет", "ночной-свет"),
        ("../../etc/passwd", "etc-passwd"),
        ("a\\b", "a-b"),
        ("///", "all"),
        ("", "all"),
    ],
)
def test_scope_slugs_are_safe_and_readable(name: str, expected: str) -> None:
    assert slug(name) == expected


# /kpi chart and the digest on generated data, against the independent reference.


@pytest.fixture
def rows(bot: OfflineBot, engine: Engine) -> pd.DataFrame:
    """The generated sheet in the sandbox's workspace, and the bot's clock at noon on TODAY."""
    frame = kpi_data.generate()
    return kpi_data.load_sheet(bot, engine, frame, TODAY)


def _gmv_by_day(frame: pd.DataFrame, first: date, last: date) -> dict[date, float | None]:
    """GMV in cents per day from the raw rows; None for a day without any row."""
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    return {
        day: (float(cents(rows["gmv"])) if not (rows := window(frame, day, day)).empty else None)
        for day in days
    }


def test_kpi_chart_of_this_month_leaves_today_out_instead_of_plotting_zero(
    bot: OfflineBot, rows: pd.DataFrame, drawn: list[Figure]
) -> None:
    """Today has no rows yet: the month ends at the latest day with data, as /kpi month does."""
    seen = bot.say("/kpi chart gmv month")
    assert seen.reply["text"].startswith("Posted GMV · all sellers · this month")
    [figure] = drawn
    first, latest = TODAY.replace(day=1), TODAY - timedelta(days=1)
    now = line_of(figure, day_span(first, latest))
    assert max(now.get_xdata()) < mdates.date2num(TODAY), "today is not drawn as $0"
    for day, expected in _gmv_by_day(rows, first, latest).items():
        assert value_on(now, day) == expected, day
    assert_nothing_clipped(figure)
    [upload] = bot.sandbox.files.values()
    assert unmarked(upload.filename) == f"gmv-all-sellers-{first}-{latest}.png"
    assert upload.content is not None and png_size(upload.content) == (960, 540)


def test_kpi_chart_shows_an_empty_day_as_a_gap_and_leaves_out_an_empty_comparison(
    bot: OfflineBot, rows: pd.DataFrame, drawn: list[Figure]
) -> None:
    first, last = date(2026, 9, 20), date(2026, 10, 10)  # 21 days around the empty day
    bot.say(f"/kpi chart gmv {first}..{last} category:Home & Living")
    [figure] = drawn
    line = line_of(figure, day_span(first, last))
    expected = {
        day: (
            float(cents(r["gmv"]))
            if not (r := window(rows, day, day, "Home & Living")).empty
            else None
        )
        for day in (first + timedelta(days=i) for i in range(21))
    }
    assert expected[EMPTY_DAY] is None
    for day, value in expected.items():
        shown = value_on(line, day)
        assert is_gap(shown) if value is None else shown == value, day
    before = Period(first, last, "").previous()
    assert "against" in " ".join(t.get_text() for t in texts(figure))
    assert [t.get_text() for t in figure.axes[0].get_legend().get_texts()] == [
        day_span(first, last),
        day_span(before.start, before.end),
    ]
    [upload] = bot.sandbox.files.values()
    assert unmarked(upload.filename) == f"gmv-home-and-living-{first}-{last}.png"

    bot.say("/kpi chart gmv 2026-09-01..2026-09-30")  # nothing was imported before September
    figure = drawn[-1]
    assert [line.get_label() for line in figure.axes[0].get_lines()] == ["1–30 Sep"]
    assert figure.axes[0].get_legend() is None
    shown = [t.get_text() for t in texts(figure)]
    assert "all sellers · per day · 1–30 Sep · no data for 2–31 Aug to compare" in shown


def test_trend_tells_a_day_without_rows_from_a_day_of_zeros(engine: Engine) -> None:
    sheet = pd.DataFrame(
        [
            ["2026-03-02", "S1", "Quiet Shop", "Kitchenware", "0.00", *[0] * 13],
            ["2026-03-04", "S1", "Quiet Shop", "Kitchenware", "12.50", 1, *[0] * 12],
        ],
        columns=kpi_data.COLUMNS,
    )
    importer_for("kpi-sheet")(
        engine, kpi_data.to_csv(sheet), ImportOptions(team_id="T0ZERO", filename="kpi.csv")
    )
    days = trend(engine, Scope("T0ZERO"), Period(date(2026, 3, 2), date(2026, 3, 4), ""))
    gmv = days["gmv_cents"].tolist()
    assert gmv[0] == 0 and pd.isna(gmv[1]) and gmv[2] == 1250


def _digest_figures(engine: Engine, week: Period, drawn: list[Figure]) -> dict[str, Figure]:
    digest = compose_digest(engine, DigestSpec(TEAM, week, None, "UTC"), SECTIONS)
    assert len(drawn) == len(digest.charts)
    return {chart.key: figure for chart, figure in zip(digest.charts, drawn, strict=True)}


def test_the_digest_day_chart_names_the_weeks_it_shows(engine: Engine, drawn: list[Figure]) -> None:
    frame = import_kpis(engine)
    week = last_full_week(date(2026, 10, 5))  # 28 Sep – 4 Oct: Sunday is the empty day
    figures = _digest_figures(engine, week, drawn)
    day_chart = figures["gmv-by-day"]
    shown = [t.get_text() for t in texts(day_chart)]
    assert "all categories · 28 Sep–4 Oct against 21–27 Sep" in shown
    assert not any("this week" in text for text in shown)
    line = line_of(day_chart, "28 Sep–4 Oct")
    for day, expected in _gmv_by_day(frame, week.start, week.end).items():
        value = value_on(line, day)
        assert is_gap(value) if expected is None else value == expected, day
    assert is_gap(value_on(line, EMPTY_DAY))
    for figure in figures.values():
        assert png_size(png(figure)) == (960, 540)
        assert_nothing_clipped(figure)
    bars = figures["gmv-by-category"].axes[0]
    labels = [t.get_text() for t in bars.texts if t.get_text().startswith(("$", "<"))]
    assert len(labels) == 3  # the three categories' bars
    ticks = [t.get_text() for t in drawn_tick_labels(bars.xaxis)]
    assert len(precisions(labels + ticks)) == 1, (labels, ticks)


def test_the_digest_leaves_days_not_imported_yet_as_gaps(
    engine: Engine, drawn: list[Figure]
) -> None:
    import_kpis(engine)
    week = last_full_week(date(2026, 11, 16))  # 9–15 Nov; data up to the 14th
    line = line_of(_digest_figures(engine, week, drawn)["gmv-by-day"], "9–15 Nov")
    assert is_gap(value_on(line, date(2026, 11, 15)))
    assert not is_gap(value_on(line, date(2026, 11, 14)))


def test_a_chart_of_days_without_data_is_a_sentence_not_an_empty_frame(
    bot: OfflineBot, rows: pd.DataFrame, drawn: list[Figure]
) -> None:
    seen = bot.say("/kpi chart orders 2025-01-01..2025-01-31 category:Kitchenware")
    assert "There is no Orders for 01 Jan – 31 Jan 2025 in Kitchenware" in " ".join(
        seen.text.split()
    )
    assert drawn == [] and not bot.sandbox.files
