"""Benchmark: KPI imports and /kpi answers at full size.

    .venv/bin/python bench/kpi.py [--sellers 5000] [--days 365] [--orders 1000000]
                                  [--requests 200] [--postgres ADMIN_URL]

1. Import of the team KPI sheet (sellers × days rows, CSV) — target ≤ 30 s for 1.8M rows.
2. Import of a Seller Center order export with `--orders` lines — target ≤ 10 s and ≤ 1 GB
   peak memory (measured in a fresh process, so the figure is the import's own).
3. /kpi over signed HTTP through the sandbox (today, per category, per seller, a month),
   p50/p99, side by side with two floors measured in the same run: the bare SQL query for the
   same sums, and a bare Bolt app (`process_before_response=True`, acknowledging at once)
   answering the same signed command through the same HTTP server; `ratio` is p50 over the
   sum of the two floors' p50 —
   targets: today p50 ≤ 25 ms and ≤ 3 × (bare Bolt + bare SQL), p99 ≤ 100 ms;
   month p99 ≤ 150 ms.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
from foundation import bare_bolt, percentile, timed  # bench/foundation.py, beside this file
from scratch import scratch_database  # bench/scratch.py, beside this file
from sqlalchemy import text
from sqlalchemy.engine import make_url

from app import build_app

LAST_DAY = date(2026, 11, 21)
TODAY_RATIO_TARGET = 3.0  # /kpi today p50 at most this many times bare Bolt + bare SQL
CATEGORIES = [
    "Home & Living",
    "Personal Care",
    "Kitchenware",
    "Home Textiles",
    "Pet Supplies",
    "Household Essentials",
    "Beauty Tools",
    "Storage & Organisation",
]


def kpi_sheet(sellers: int, days: int, path: Path) -> int:
    rng = np.random.default_rng(1)
    day_list = [LAST_DAY - timedelta(days=d) for d in range(days)][::-1]
    seller_ids = np.repeat(np.arange(sellers), days)
    n = sellers * days
    orders = rng.integers(0, 60, n)
    gmv = orders * rng.integers(800, 6000, n)
    views = rng.integers(0, 3, n) * rng.integers(0, 4000, n)
    frame = pd.DataFrame(
        {
            "date": np.tile(np.array([d.isoformat() for d in day_list]), sellers),
            "seller_id": [f"749{i:010d}" for i in seller_ids],
            "seller_name": [f"Seller {i}" for i in seller_ids],
            "category": [CATEGORIES[i % len(CATEGORIES)] for i in seller_ids],
            "gmv": [f"{g // 100}.{g % 100:02d}" for g in gmv],
            "orders": orders,
            "items_sold": orders + rng.integers(0, 5, n),
            "buyers": np.maximum(orders - 1, 0),
            "live_sessions": (views > 0).astype(int),
            "live_minutes": (views > 0) * 60,
            "live_views": views,
            "live_likes": views // 10,
            "live_comments": views // 50,
            "live_shares": views // 200,
            "live_gmv": [f"{g // 300}.00" for g in gmv],
            "video_gmv": "0.00",
            "affiliate_gmv": "0.00",
            "new_followers": rng.integers(0, 30, n),
        }
    )
    frame.to_csv(path, index=False)
    return n


def order_export(lines: int, path: Path) -> None:
    header = (
        "Order ID,Order Status,Order Substatus,Cancelation/Return Type,Normal or Pre-order,"
        "SKU ID,Seller SKU,Product Name,Variation,Quantity,Sku Quantity of return,"
        "SKU Unit Original Price,SKU Subtotal Before Discount,SKU Platform Discount,"
        "SKU Seller Discount,SKU Subtotal After Discount,Shipping Fee After Discount,"
        "Order Amount,Order Refund Amount,Created Time,Paid Time,Cancelled Time,"
        "Buyer Username,Recipient,Phone #,Country,Payment Method,Product Category"
    )
    rng = np.random.default_rng(2)
    orders = rng.integers(0, lines // 2, lines)
    quantity = rng.integers(1, 4, lines)
    cents = rng.integers(100, 50_000, lines)
    day = orders % 90
    status = np.where(orders % 17 == 0, "Cancelled", "Completed")
    with path.open("w") as out:
        out.write(header + "\n")
        for i in range(lines):
            d = LAST_DAY - timedelta(days=int(day[i]))
            out.write(
                f"57{orders[i]:016d}\t,{status[i]},,,Normal,1729{i % 5000:08d},SKU{i % 300},"
                f"Bamboo towel set,Blue,{quantity[i]},0,$12.00,$12.00,$0.00,$0.00,"
                f'"${cents[i] // 100:,}.{cents[i] % 100:02d}",$0.00,$1.00,$0.00,'
                f"{d.month:02d}/{d.day:02d}/{d.year} 9:30:33 AM\t,,,buyer{orders[i] % 90000},"
                f"R,(+1)555,US,Card,Home\n"
            )


def stage_import(url: str, path: str, kind: str, seller: str | None) -> None:
    """In a fresh process: import one file, print seconds and peak resident memory as JSON."""
    from bot.settings import load_settings
    from storage.db import make_engine
    from storage.importers import ImportOptions, Upload, importer_for

    engine = make_engine(url)
    upload = Upload.from_path(path)  # read by the import as it goes, as `shopbot import` does
    settings = load_settings({}, env_file=None, require_slack=False)
    options = ImportOptions(
        team_id="TBENCH", filename=Path(path).name, seller=seller, locale=settings.locale
    )
    started = time.perf_counter()
    summary = importer_for(kind)(engine, upload, options)
    seconds = time.perf_counter() - started
    peak = peak_memory_mb()
    print(
        json.dumps(
            {
                "seconds": seconds,
                "peak_mb": peak,
                "rows": summary.rows,
                "new": summary.new,
                "updated": summary.updated,
            }
        )
    )


def peak_memory_mb() -> float:
    """This process's peak resident memory. VmHWM belongs to the address space that exec made;
    ru_maxrss would also count the parent's memory copied by fork before the exec."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_stage(*args: str) -> dict:
    result = subprocess.run(
        [sys.executable, __file__, "stage", *args], capture_output=True, text=True, check=True
    )
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def measure_queries(url: str, requests: int) -> dict[str, tuple[float, float, float]]:
    """Prints the table; returns request label → (p50, bare SQL p50, bare Bolt p50) in ms."""
    from bot.server import freeze_startup_objects
    from bot.settings import load_settings
    from devkit.offline import OfflineBot
    from storage.db import make_engine

    engine = make_engine(url)
    settings = load_settings({"DATABASE_URL": url}, env_file=None, require_slack=False)
    noon = datetime(2026, 11, 21, 12, tzinfo=UTC)
    month = (date(2026, 11, 1), LAST_DAY)
    cases = [
        ("/kpi today", "today", (LAST_DAY, LAST_DAY), ""),
        (
            "/kpi today category:…",
            "today category:Kitchenware",
            (LAST_DAY, LAST_DAY),
            "AND category = 'Kitchenware'",
        ),
        (
            "/kpi today seller:…",
            "today seller:7490000000042",
            (LAST_DAY, LAST_DAY),
            "AND seller_id = (SELECT id FROM seller "
            "WHERE team_id = 'TBENCH' AND seller_key = '7490000000042')",
        ),
        ("/kpi month", "month", month, ""),
    ]
    results: dict[str, tuple[float, float, float]] = {}
    print(
        f"{'request':<22} {'n':>4} {'p50 ms':>7} {'p99 ms':>7} {'SQL p50':>8} {'SQL p99':>8} "
        f"{'Bolt p50':>8} {'ratio':>6}  target"
    )
    with (
        OfflineBot(build_app, settings, engine=engine, team_id="TBENCH") as bot,
        bare_bolt(bot.sandbox) as floor,
    ):
        bot.services.clock = lambda: noon
        freeze_startup_objects()  # as `shopbot run` does before serving
        for label, words, (first, last), where in cases:

            def ask(words: str = words) -> None:
                response = bot.client.slash_command("/kpi", words)
                assert response.status == 200 and "GMV" in response.body, response.body[:300]

            def bolt(words: str = words) -> None:
                response = floor.slash_command("/kpi", words)
                assert response.status == 200 and "ok" in response.body, response.body

            sql = text(
                "SELECT sum(gmv_cents), sum(orders), sum(items_sold), sum(buyers), "
                "sum(live_gmv_cents), sum(live_views), count(DISTINCT seller_id) "
                f"FROM dailysellerkpi WHERE team_id = 'TBENCH' AND day BETWEEN :a AND :b {where}"
            )

            def bare(sql: object = sql, first: date = first, last: date = last) -> None:
                with engine.connect() as connection:
                    connection.execute(sql, {"a": first, "b": last}).all()  # type: ignore[call-overload]

            http = timed(ask, requests, warm_up=5)
            raw = timed(bare, requests, warm_up=5)
            bolt_only = timed(bolt, requests, warm_up=5)
            p50, sql_p50, bolt_p50 = (statistics.median(x) for x in (http, raw, bolt_only))
            ratio = p50 / (bolt_p50 + sql_p50)
            results[label] = (p50, sql_p50, bolt_p50)
            target = ""
            if label == "/kpi today":
                met = "met" if ratio <= TODAY_RATIO_TARGET else "MISSED"
                target = f"≤ {TODAY_RATIO_TARGET:.0f}× (Bolt + SQL): {met}"
            print(
                f"{label:<22} {requests:>4} {p50:>7.1f} {percentile(http, 99):>7.1f} "
                f"{sql_p50:>8.1f} {percentile(raw, 99):>8.1f} {bolt_p50:>8.2f} "
                f"{ratio:>5.1f}×  {target}"
            )
    return results


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "stage":
        stage_import(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5] or None)
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--sellers", type=int, default=5000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--postgres", default=None, metavar="ADMIN_URL")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="shopbot-bench-") as work:
        sheet, orders = Path(work) / "kpi-sheet.csv", Path(work) / "orders.csv"
        rows = kpi_sheet(args.sellers, args.days, sheet)
        order_export(args.orders, orders)
        with scratch_database(args.postgres) as url:
            measure(url, sheet, orders, rows, args)


def measure(url: str, sheet: Path, orders: Path, rows: int, args: argparse.Namespace) -> None:
    """Both imports in fresh processes, then the /kpi requests."""
    from storage.db import make_engine
    from storage.schema import upgrade

    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    print(f"database: {make_url(url).get_backend_name()}")
    print(f"{'import':<34} {'rows':>10} {'seconds':>8} {'peak MB':>8}")
    result = run_stage(url, str(sheet), "kpi-sheet", "")
    print(
        f"{'KPI sheet (' + str(args.sellers) + ' × ' + str(args.days) + ')':<34} "
        f"{rows:>10,} {result['seconds']:>8.1f} {result['peak_mb']:>8.0f}"
    )
    result = run_stage(url, str(orders), "orders", "7490000000007")
    print(
        f"{'order export (one seller)':<34} {args.orders:>10,} "
        f"{result['seconds']:>8.1f} {result['peak_mb']:>8.0f}"
    )
    measure_queries(url, args.requests)


if __name__ == "__main__":
    main()
