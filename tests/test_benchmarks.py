"""The benchmark command's short form runs every benchmark, prints its one table, and meets every
target with a generous margin (the machine running the tests is shared and small; the full
form, `make bench`, is the one whose figures count)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench" / "run.py"
MARGIN = 8  # times every target: a check that nothing got an order of magnitude slower
# Every part of the table, each under a line that names it: bench/run.py's own and each script's.
BENCHMARKS = (
    "imports",
    "kpi",
    "export",
    "load",
    "burst",
    "foundation",
    "feedback",
    "reviews",
    "sellers",
    "alerts",
    "match",
    "digest",
)
FIGURES = (
    "KPI sheet import",
    "peak memory",
    "/kpi today p50",
    "/kpi month p50",
    "order export CSV",
    "order export XLSX",
    "note export",
    "load during an import",
    "load: errors, notes lost or doubled",
    "burst of 50 notes during an import: p100 ack",
    "burst: errors, notes lost or doubled",
    "/shopbot help p50",
    "/feedback @handle <note> #tag p99",
    "/feedback search <words> p99",
    "/creator @handle p99",
    "/feedback export",
    "/review list p99",
    "/review show <n> p99",
    "/review report month p50",
    "-row tracker",
    "/seller <name> p99",
    "/seller gaps p99",
    "/seller search <words> p99",
    "after the import: every rule judged",
    "every later check",
    "App Home built + published p99",
    "/match <seller> p99",
    "/match @handle p99",
    "/match pipeline mine p99",
    "/creator levels p99",
    "creators",  # the creator import
    "one digest: tick, render, post p50",
    "channels, same digest, one tick",
)
# value, floor (each with its unit), ratio, then the target, the verdict and what the floor is
FIGURE_LINE = re.compile(
    r" (-?\d+\.\d\d)(?: s|ms|MB|  ) +(\d+\.\d\d)(?: s|ms|MB|  ) +(\d+\.\d\d)×  (.{17}) (.{6}) (.*)$"
)


@pytest.mark.timeout(900)
def test_the_short_benchmark_prints_every_figure_beside_its_floor() -> None:
    result = subprocess.run(
        [sys.executable, str(BENCH), "--short", "--margin", str(MARGIN)],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    table = result.stdout.split("shopbot benchmark (short form", 1)[1]
    header, *lines = table.splitlines()[1:]
    assert "floor" in header and "ratio" in header and "target" in header
    named = [line for line in lines if line.startswith("[")]
    assert [line[1:].split(":")[0] for line in named] == list(BENCHMARKS), named
    under: dict[str, int] = {}
    current = ""
    for line in lines:
        if line.startswith("["):
            current = line[1:].split(":")[0]
            continue
        match = FIGURE_LINE.search(line)
        assert match, f"not a figure beside its floor and ratio: {line!r}"
        floor, floor_name = float(match[2]), match[6].strip()
        assert floor > 0 and floor_name, line
        under[current] = under.get(current, 0) + 1
    assert set(under) == set(BENCHMARKS), under
    for figure in FIGURES:
        assert figure in table, table
    assert "MISSED" not in table, table
