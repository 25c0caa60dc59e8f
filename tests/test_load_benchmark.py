"""The load benchmark's short form on each database: clients sending KPI questions and notes
while an import writes in another process get every answer in time, and every note is stored
exactly once (bench/load.py prints the figures; its exit status says whether it met that)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import POSTGRES_ADMIN_URL, _postgres_available

BENCH = Path(__file__).resolve().parent.parent / "bench"


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_clients_during_an_import_get_every_answer_in_time_and_every_note_once(
    database: str,
) -> None:
    if database == "postgresql" and not _postgres_available():
        pytest.skip("PostgreSQL is not running")
    extra = ["--postgres", POSTGRES_ADMIN_URL] if database == "postgresql" else []
    result = subprocess.run(
        [sys.executable, str(BENCH / "load.py"), "--short", *extra],
        cwd=BENCH,
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = result.stdout[-2000:] + result.stderr[-2000:]
    assert result.returncode == 0, report
    assert "errors 0" in result.stdout and "0 stored twice" in result.stdout, report
