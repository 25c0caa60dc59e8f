"""Every benchmark in one table: each figure beside its floor, measured in the same run.

    .venv/bin/python bench/run.py [--short] [--imports] [--only NAME[,NAME]]
                                  [--postgres ADMIN_URL] [--margin 1.0]
    make bench        # the full form (minutes: 1.8M and 3.6M-row KPI sheets, 200,000 order lines)
    make bench-short  # the short form CI runs after the tests (small data, a few minutes)
    .venv/bin/python bench/run.py --imports  # only the imports' time and memory, full size
    .venv/bin/python bench/run.py --short --only match,digest  # some benchmarks only

It builds the data sets in a temporary directory and runs each import in a fresh process (so
a memory figure is that import's own). The machine is shared and its timings are noisy, so
every target is a ratio to a floor measured in the same run where a floor exists:

- `/kpi today` over signed HTTP ÷ (the bare SQL for the same sums + a bare Bolt app answering
  the same signed command), as bench/kpi.py measures them;
- the KPI sheet import ÷ a bare write of the same file (Arrow reads it, the rows go into a
  plain table in one transaction, through the same fastest path: executemany or COPY);
- its peak memory at N and 2N rows (≤ 600 MB and within 10% of each other), beside the peak
  of a process that only loaded the same modules: the import reads the file from disk a
  chunk at a time and holds nothing per row, so its peak does not grow with the file;
- the order export as XLSX ÷ the same rows as CSV (≤ 2×), and beside a bare calamine read of
  the same XLSX; the CSV import beside a bare Arrow read of the CSV (both without a target:
  an import parses and checks every cell, which a bare read does not); the CSV import's peak
  memory at N and 2N lines (≤ 600 MB and within 10% of each other);
- the note export ÷ a bare write-only openpyxl workbook of the same rows (≤ 1.2×), both in
  CPU seconds taken in turns (bench/export_floor.py says why);
- 20 clients of signed `/kpi` and `/feedback` requests while the largest import runs
  (bench/load.py): the p99 answer against Slack's 3 s deadline, and no error, no note lost or
  stored twice;
- bursts of 50 and 200 `/feedback` notes sent at the same moment while the largest import
  writes (bench/burst.py): p50 and p100 of the acknowledgement beside the same burst with no
  import, p100 within Slack's 3 s, and every note stored exactly once;
- then every other benchmark script, each in its own process with `--json` (and `--short` for
  the short form), its figures under its name: foundation (`/shopbot help` p50 ≤ bare Bolt +
  2 ms), feedback, reviews, sellers, alerts, match, digest and sentiment. Their targets are
  the absolute ones their docstrings give (such as `/match` ≤ 200 ms at p99, an App Home
  ≤ 300 ms at p99, a digest ≤ 2 s, a note's sentiment ≤ 100 µs), each shown beside its floor
  measured in the same run (a bare Bolt app answering the same signed command, the bare SQL of
  the same read, a bare matplotlib render of the same charts, a bare read of the same file, a
  bare write of the same workbook, `str.lower().split()` of the same notes) and the ratio to it.

`--imports` measures the imports alone (the KPI sheet and the order export: time, floors and
memory), without the requests, the note export, the load and the other scripts. `--only`
names the parts to run, comma-separated, from: imports, kpi, export, load, burst, foundation,
feedback, reviews, sellers, alerts, match, digest, sentiment. `--margin` multiplies every
target (CI runs the short form with a generous margin, `make bench-short BENCH_MARGIN=8`, as its
own step after `make test`). The exit status is 1 when a target is missed, a part gives no
figure or a figure has no floor; a benchmark that fails stops the run with exit status 1.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from figures import Figure, run_script, table  # bench/figures.py, beside this file
from kpi import kpi_sheet, measure_queries, order_export, peak_memory_mb
from scratch import scratch_database  # bench/scratch.py, beside this file

MEMORY_LIMIT_MB = 600.0
MEMORY_GROWTH = 1.10  # the peak at 2N rows within 10% of the peak at N
XLSX_PER_CSV = 2.0
EXPORT_PER_BARE_WRITE = 1.2
KPI_TODAY_PER_FLOORS = 3.0
IMPORT_PER_BARE_WRITE = 4.0
# The benchmark scripts run as they are, each with --json: name, and what it measures.
SCRIPTS = {
    "foundation": "/shopbot help and status over signed HTTP (bench/foundation.py)",
    "feedback": "/feedback and /creator over signed HTTP, the note export (bench/feedback.py)",
    "reviews": "/review over signed HTTP, the monthly report, a tracker import (bench/reviews.py)",
    "sellers": "/seller card, gaps and search over signed HTTP (bench/sellers.py)",
    "alerts": "alert checks after an import, the App Home (bench/alerts.py)",
    "match": "/match, /match pipeline, /creator levels, a creator import (bench/match.py)",
    "digest": "weekly digests rendered and posted (bench/digest.py)",
    "sentiment": "a note's sentiment read in German and English (bench/sentiment.py)",
}
PARTS = {
    "imports": "KPI sheet and order imports: time and memory",
    "kpi": "/kpi over signed HTTP (after the KPI sheet import)",
    "export": "note export",
    "load": "clients during the largest import (bench/load.py)",
    "burst": "notes sent at the same moment during the largest import (bench/burst.py)",
    **SCRIPTS,
}


@dataclass(frozen=True)
class Size:
    sellers: int
    days: int
    order_lines: int
    notes: int
    requests: int


FULL = Size(sellers=5_000, days=365, order_lines=200_000, notes=100_000, requests=200)
SHORT = Size(sellers=150, days=120, order_lines=10_000, notes=10_000, requests=60)


# ---- stages, each in a fresh process ---------------------------------------------------------


def stage(*args: str) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, __file__, "stage", *args], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"stage {args[0]} failed:\n{result.stderr[-3000:]}")
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def run_stage(name: str, args: list[str]) -> None:
    """The body of a stage: prints seconds and peak memory as JSON."""
    stages: dict[str, Callable[..., float]] = {
        "import": stage_import,
        "baseline": lambda: 0.0,
        "read": stage_read,
        "write": stage_bare_write,
    }
    import storage.importers  # noqa: F401  (what every stage loads, the baseline included)

    seconds = stages[name](*args)
    print(json.dumps({"seconds": seconds, "peak_mb": peak_memory_mb()}))


def stage_import(url: str, path: str, kind: str, team: str, seller: str, dry_run: str) -> float:
    from storage.db import make_engine
    from storage.importers import ImportOptions, Upload, importer_for

    engine = make_engine(url)
    upload = Upload.from_path(path)  # read by the import as it goes, as `shopbot import` does
    options = ImportOptions(
        team_id=team, filename=Path(path).name, seller=seller or None, dry_run=dry_run == "1"
    )
    started = time.perf_counter()
    importer_for(kind)(engine, upload, options)
    return time.perf_counter() - started


def stage_read(path: str) -> float:
    """The floor of a file's import: reading it, and nothing else."""
    started = time.perf_counter()
    if path.endswith(".xlsx"):
        import fastexcel

        fastexcel.read_excel(Path(path).read_bytes()).load_sheet(
            0, header_row=None, dtypes="string", eager=True
        )
    else:
        import pyarrow.csv as pa_csv

        pa_csv.read_csv(path)
    return time.perf_counter() - started


def stage_bare_write(url: str, path: str) -> float:
    """The floor of the KPI sheet import: Arrow reads the file and its rows go into a plain
    table with the same columns, in one transaction, by executemany (SQLite) or COPY."""
    import pyarrow as pa
    import pyarrow.csv as pa_csv
    from sqlalchemy import text

    from storage.db import make_engine

    engine = make_engine(url)
    started = time.perf_counter()
    rows = pa_csv.read_csv(path)
    columns = ", ".join(f'"{name}" TEXT' for name in rows.column_names)
    names = ", ".join(f'"{name}"' for name in rows.column_names)
    with engine.begin() as connection:
        connection.execute(text(f"CREATE TABLE bare_kpi ({columns})"))
        cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        if engine.dialect.name == "postgresql":
            with cursor.copy(f"COPY bare_kpi ({names}) FROM STDIN WITH (FORMAT csv)") as copy:
                for batch in rows.to_batches(50_000):
                    sink = pa.BufferOutputStream()
                    options = pa_csv.WriteOptions(include_header=False)
                    pa_csv.write_csv(pa.Table.from_batches([batch]), sink, write_options=options)
                    copy.write(memoryview(sink.getvalue()))
        else:
            marks = ", ".join("?" for _ in rows.column_names)
            sql = f"INSERT INTO bare_kpi ({names}) VALUES ({marks})"
            for batch in rows.to_batches(5_000):
                cursor.executemany(sql, list(zip(*batch.to_pydict().values(), strict=True)))
        connection.execute(text("DROP TABLE bare_kpi"))
    return time.perf_counter() - started


# ---- the figures -----------------------------------------------------------------------------


def kpi_import_figures(url: str, work: Path, size: Size) -> list[Figure]:
    """The KPI sheet imports at N and 2N rows: time, and memory."""
    single, double = work / "kpi-sheet.csv", work / "kpi-sheet-2x.csv"
    rows = kpi_sheet(size.sellers, size.days, single)
    kpi_sheet(size.sellers * 2, size.days, double)
    baseline = stage("baseline")["peak_mb"]
    floor = stage("write", url, str(single))["seconds"]
    first = stage("import", url, str(single), "kpi-sheet", "TBENCH", "", "0")
    second = stage("import", url, str(double), "kpi-sheet", "TBENCH2", "", "0")
    label = f"{size.sellers:,} × {size.days}"
    return [
        Figure(
            f"KPI sheet import, {rows:,} rows ({label})",
            first["seconds"],
            "s",
            floor,
            "Arrow read + plain insert, same rows",
            IMPORT_PER_BARE_WRITE,
        ),
        Figure(
            f"  peak memory, {rows:,} rows",
            first["peak_mb"],
            "MB",
            baseline,
            "process with the same modules, idle",
            MEMORY_LIMIT_MB,
            absolute=True,
        ),
        Figure(
            f"  peak memory, {rows * 2:,} rows",
            second["peak_mb"],
            "MB",
            first["peak_mb"],
            f"the {rows:,}-row import's peak",
            MEMORY_GROWTH,
        ),
    ]


def kpi_query_figures(url: str, size: Size) -> list[Figure]:
    """`/kpi today` and `/kpi month` against the imported sheet."""
    figures: list[Figure] = []
    results = measure_queries(url, size.requests)
    for label, limit in (("/kpi today", KPI_TODAY_PER_FLOORS), ("/kpi month", None)):
        p50, sql_p50, bolt_p50 = results[label]
        figures.append(
            Figure(f"{label} p50", p50, "ms", sql_p50 + bolt_p50, "bare SQL + bare Bolt", limit)
        )
    return figures


def order_figures(url: str, work: Path, size: Size) -> list[Figure]:
    """The same order lines as CSV and as XLSX, dry runs, each beside a bare read; the CSV
    import's memory at N and 2N lines."""
    csv_path, xlsx_path = work / "orders.csv", work / "orders.xlsx"
    double_path = work / "orders-2x.csv"
    order_export(size.order_lines, csv_path)
    order_export(size.order_lines * 2, double_path)
    write_xlsx(csv_path, xlsx_path)
    seller = "7490000000007"  # a seller of the KPI sheet imported before
    csv_read = stage("read", str(csv_path))["seconds"]
    xlsx_read = stage("read", str(xlsx_path))["seconds"]
    csv_import = stage("import", url, str(csv_path), "orders", "TBENCH", seller, "1")
    double_import = stage("import", url, str(double_path), "orders", "TBENCH", seller, "1")
    xlsx_import = stage("import", url, str(xlsx_path), "orders", "TBENCH", seller, "1")
    lines = f"{size.order_lines:,} lines"
    return [
        Figure(
            f"order export CSV, {lines}, dry run",
            csv_import["seconds"],
            "s",
            csv_read,
            "Arrow read",
        ),
        Figure(
            f"  peak memory, {lines}",
            csv_import["peak_mb"],
            "MB",
            stage("baseline")["peak_mb"],
            "process with the same modules, idle",
            MEMORY_LIMIT_MB,
            absolute=True,
        ),
        Figure(
            f"  peak memory, {size.order_lines * 2:,} lines",
            double_import["peak_mb"],
            "MB",
            csv_import["peak_mb"],
            f"the {lines} import's peak",
            MEMORY_GROWTH,
        ),
        Figure(
            f"order export XLSX, {lines}, dry run",
            xlsx_import["seconds"],
            "s",
            csv_import["seconds"],
            "the CSV import of the same rows",
            XLSX_PER_CSV,
        ),
        Figure(
            "  the same XLSX import",
            xlsx_import["seconds"],
            "s",
            xlsx_read,
            "bare calamine read into Arrow",
        ),
    ]


def write_xlsx(source: Path, target: Path) -> None:
    """The CSV's rows as an XLSX of text cells, as Seller Center writes its exports."""
    import csv

    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Orders")
    with source.open(newline="") as rows:
        for row in csv.reader(rows):
            sheet.append(row)
    workbook.save(target)


def export_figures(size: Size) -> list[Figure]:
    from export_floor import export_and_floor, sample_notes

    export, bare = export_and_floor(sample_notes(size.notes))
    return [
        Figure(
            f"note export, {size.notes:,} notes, CPU time",
            export,
            "s",
            bare,
            "bare write-only openpyxl, same rows",
            EXPORT_PER_BARE_WRITE,
        )
    ]


def measure(size: Size, postgres: str | None, parts: list[str]) -> list[tuple[str, list[Figure]]]:
    """Each part's title and figures, in the order of PARTS."""
    sections: dict[str, list[Figure]] = {}
    if "imports" in parts or "kpi" in parts:
        with tempfile.TemporaryDirectory(prefix="shopbot-bench-") as directory:
            work = Path(directory)
            with scratch_database(postgres) as url:
                from storage.db import make_engine
                from storage.schema import upgrade

                engine = make_engine(url)
                upgrade(engine)
                engine.dispose()
                imported = kpi_import_figures(url, work, size)  # what /kpi asks about
                if "kpi" in parts:
                    sections["kpi"] = kpi_query_figures(url, size)
                if "imports" in parts:
                    sections["imports"] = imported + order_figures(url, work, size)
                else:
                    sections["kpi"] = imported + sections["kpi"]
    if "export" in parts:
        sections["export"] = export_figures(size)
    if "load" in parts:
        sections["load"] = run_script("load.py", size is SHORT, postgres)
    if "burst" in parts:
        sections["burst"] = run_script("burst.py", size is SHORT, postgres)
    for name in SCRIPTS:
        if name in parts:
            sections[name] = run_script(f"{name}.py", size is SHORT, postgres)
    return [(f"{name}: {PARTS[name]}", sections[name]) for name in PARTS if name in sections]


def chosen_parts(only: str | None, imports: bool) -> list[str]:
    if imports:
        return ["imports"]
    if not only:
        return list(PARTS)
    names = [name.strip() for name in only.split(",") if name.strip()]
    unknown = [name for name in names if name not in PARTS]
    if unknown:
        raise SystemExit(
            f"--only: no part named {', '.join(unknown)}; the parts: {', '.join(PARTS)}"
        )
    return names


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "stage":
        run_stage(sys.argv[2], sys.argv[3:])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--short", action="store_true", help="small data: a minute or two")
    parser.add_argument("--imports", action="store_true", help="only the imports' time and memory")
    parser.add_argument("--only", default=None, metavar="NAME[,NAME]", help=", ".join(PARTS))
    parser.add_argument("--postgres", default=None, metavar="ADMIN_URL")
    parser.add_argument("--margin", type=float, default=1.0, help="multiplies every target")
    args = parser.parse_args()
    size = SHORT if args.short else FULL
    started = time.perf_counter()
    parts = chosen_parts(args.only, args.imports)
    sections = measure(size, args.postgres, parts)
    print()
    form = ("short form" if args.short else "full form") + (
        ", imports only" if args.imports else ""
    )
    if args.only and not args.imports:
        form += f", only {', '.join(parts)}"
    database = "PostgreSQL" if args.postgres else "SQLite"
    print(f"shopbot benchmark ({form}, {database}, {time.perf_counter() - started:.0f} s)")
    print(table(sections, args.margin))
    met = all(f.met(args.margin) for _, figures in sections for f in figures)
    errors = errored(parts, sections)
    for error in errors:
        print(f"ERROR: {error}")
    sys.exit(0 if met and not errors else 1)


def errored(parts: list[str], sections: list[tuple[str, list[Figure]]]) -> list[str]:
    """What went wrong beyond a missed target: a part asked for that gave no figure, or a
    figure without a floor measured beside it (a script that raises stops the run itself)."""
    given = {title.split(":")[0]: figures for title, figures in sections}
    errors = [f"{name} gave no figure" for name in parts if not given.get(name)]
    errors += [
        f"{f.name.strip()}: no floor measured" for figures in given.values() for f in figures
        if not f.floor > 0
    ]  # fmt: skip
    return errors


if __name__ == "__main__":
    main()
