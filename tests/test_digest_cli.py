"""`shopbot digest preview|send`, run as an operator runs them (a separate process)."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image
from sqlalchemy.engine import Engine

from devkit.demo.data import DEMO_TEAM_ID
from devkit.sandbox import SlackSandbox
from tests.digest_support import TEAM, import_kpis, posts, subscribe
from tests.test_cli import clean_env, shopbot, slack_env


def test_preview_writes_the_text_and_charts_to_a_folder(tmp_path: Path, engine: Engine) -> None:
    import_kpis(engine, DEMO_TEAM_ID)  # offline, the demo workspace is the one previewed
    env = clean_env(DATABASE_URL=engine.url.render_as_string(hide_password=False))
    result = shopbot(
        "digest", "preview", "--out", "out", "--week", "2026-10-14", env=env, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    written = [Path(line) for line in result.stdout.split()]
    week = "all-categories-2026-10-12-2026-10-18"
    assert [p.name for p in written] == [
        "digest.md",
        f"gmv-by-day-{week}.png",
        f"gmv-by-category-{week}.png",
    ]
    text = (tmp_path / "out" / "digest.md").read_text()
    assert text.startswith("**Weekly digest · all categories · 12 – 18 Oct 2026** (vs 5 – 11 Oct")
    assert "**GMV** $" in text and "Home & Living" in text and "&amp;" not in text
    assert f"![GMV per day, 12 – 18 Oct 2026](gmv-by-day-{week}.png)" in text
    for png in written[1:]:
        assert Image.open(io.BytesIO((tmp_path / png).read_bytes())).size == (960, 540)
    bad = shopbot("digest", "preview", "--week", "someday", env=env, cwd=tmp_path)
    assert bad.returncode == 2 and "--week" in bad.stderr


def test_send_posts_a_subscribed_channel_now(
    tmp_path: Path, engine: Engine, sandbox: SlackSandbox
) -> None:
    import_kpis(engine, TEAM)
    subscribe(engine, "C0KPI", channel_name="lifestyle-kpi")
    subscribe(engine, "C0GENERAL", channel_name="general", category="Kitchenware")
    env = slack_env(sandbox, engine.url.render_as_string(hide_password=False))
    result = shopbot("digest", "send", "#lifestyle-kpi", env=env, cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "#lifestyle-kpi: posted\n"), result.stderr
    assert len(posts(sandbox, "C0KPI")) == 1 and posts(sandbox, "C0GENERAL") == []
    everything = shopbot("digest", "send", "--all", env=env, cwd=tmp_path)
    assert "#general: posted" in everything.stdout
    unknown = shopbot("digest", "send", "#nowhere", env=env, cwd=tmp_path)
    assert unknown.returncode == 2 and "#nowhere has no digest subscription" in unknown.stderr
