"""`/feedback` and `/creator` in `shopbot shell` on the demo data, as a newcomer would try them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine

from devkit.demo.data import DEMO_TEAM_ID
from devkit.demo.seed import seed_demo
from tests.test_cli import clean_env, shopbot


def test_feedback_and_creator_in_the_shell_on_the_demo_data(tmp_path: Path, engine: Engine) -> None:
    seed_demo(engine, team_id=DEMO_TEAM_ID, today=date.today())
    with engine.connect() as connection:
        handle = connection.execute(
            text(
                "SELECT c.handle FROM creator c JOIN feedbacknote n ON n.creator_id = c.id "
                "WHERE c.team_id = :team GROUP BY c.handle ORDER BY count(*) DESC, c.handle "
                "LIMIT 1"
            ),
            {"team": DEMO_TEAM_ID},
        ).scalar_one()
    script = (
        f"/creator @{handle}\n"
        f"/feedback @{handle} loved the lamp <!channel> #samples\n"
        f"/feedback list @{handle} 3\n"
        "/feedback search damaged\n"
        "/feedback\n"
        "/feedback @ nobody\n"
        "/feedback report\n"
    )
    env = clean_env(DATABASE_URL=engine.url.render_as_string(hide_password=False))
    result = shopbot("shell", env=env, cwd=tmp_path, stdin=script, timeout=120)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    card = out.split(f"shopbot> /creator @{handle}")[1].split("shopbot>")[0]
    for part in ("Level", "Stage", "Owner", "Followers", "Level history:", "Latest notes"):
        assert part in card
    assert "[1 Add a note]  [2 Edit creator]  [3 All notes]" in card
    saved = out.split("shopbot> /feedback @")[1].split("shopbot>")[0]
    assert f"Saved a note about @{handle}" in saved
    assert "loved the lamp <!channel>" in saved  # shown as typed in the terminal
    assert "Samples · 🟢 Positive · #samples" in saved
    assert "[1 Edit]  [2 Delete]" in saved
    assert f"NOTES ABOUT @{handle.upper()}" in out and "Notes 1–3, newest first" in out
    assert "NOTES MATCHING “DAMAGED”" in out and "arrived damaged" in out
    assert "── modal: Creator feedback ──" in out and "1. Creator: [ @handle or name ▾ ]" in out
    assert "right after the @, with no space" in out
    assert "CREATOR FEEDBACK ·" in out and "── file: Feedback by topic and sentiment" in out
    saved_chart = next(tmp_path.glob("shopbot-files/*.png"))
    assert saved_chart.read_bytes().startswith(b"\x89PNG")
