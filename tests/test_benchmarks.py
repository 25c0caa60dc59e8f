"""The benchmark command's short form runs, prints its one table, and meets every target with a
generous margin (the machine running the tests is shared and small; the full form, `make
bench`, is the one whose figures count)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench" / "run.py"
MARGIN = 8  # times every target: a check that nothing got an order of magnitude slower
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
    assert "floor" in table and "ratio" in table
    for figure in FIGURES:
        assert figure in table, table
    assert "MISSED" not in table, table
