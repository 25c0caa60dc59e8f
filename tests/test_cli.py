"""The `shopbot` command line, run as a separate process the way an operator runs it."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

from sqlalchemy.engine import Engine

from devkit.sandbox import SlackRequestClient, SlackSandbox
from storage.schema import schema_state

SIGNING_SECRET = "c0ffee" * 6


def shopbot(
    *args: str, env: dict[str, str], cwd: Path, stdin: str = "", timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        env=env,
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def clean_env(**values: str) -> dict[str, str]:
    """The process environment without any shopbot or Slack setting, plus `values`."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "SHOPBOT_", "DATABASE_URL"))
    }
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[1])
    return {**env, **values}


def slack_env(sandbox: SlackSandbox, database_url: str) -> dict[str, str]:
    return clean_env(
        SLACK_BOT_TOKEN=sandbox.bot_token,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=sandbox.api_url,
        DATABASE_URL=database_url,
    )


def test_a_missing_setting_stops_with_one_line(tmp_path: Path) -> None:
    result = shopbot("run", env=clean_env(SLACK_SIGNING_SECRET=SIGNING_SECRET), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "shopbot: SLACK_BOT_TOKEN is not set: expected the bot token (xoxb-…)"
    ]


def test_an_invalid_setting_names_it_and_shows_no_secret(tmp_path: Path) -> None:
    env = clean_env(
        SLACK_BOT_TOKEN="xoxb-very-secret-token",
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SHOPBOT_TIMEZONE="Nowhere/Land",
    )
    result = shopbot("run", env=env, cwd=tmp_path)
    assert result.returncode == 2
    assert "SHOPBOT_TIMEZONE is invalid" in result.stderr
    assert "very-secret" not in result.stderr + result.stdout
    assert SIGNING_SECRET not in result.stderr + result.stdout


def test_run_refuses_an_out_of_date_schema_and_names_the_fix(
    tmp_path: Path, sandbox: SlackSandbox
) -> None:
    env = slack_env(sandbox, f"sqlite:///{tmp_path / 'old.db'}")
    result = shopbot("run", "--port", "0", env=env, cwd=tmp_path, timeout=30)
    assert result.returncode == 2
    assert "out of date" in result.stderr
    assert "`shopbot db upgrade`" in result.stderr
    assert sandbox.bot_token not in result.stderr


def test_db_upgrade_brings_the_schema_to_the_newest(tmp_path: Path) -> None:
    env = clean_env(DATABASE_URL=f"sqlite:///{tmp_path / 'new.db'}")
    before = shopbot("db", "current", env=env, cwd=tmp_path)
    assert "schema: empty" in before.stdout
    after = shopbot("db", "upgrade", env=env, cwd=tmp_path)
    assert after.returncode == 0
    current, newest = re.fullmatch(r"schema: (\S+) \(newest: (\S+)\)\n", after.stdout).groups()
    assert current == newest != "empty"


def test_run_serves_slack_and_stops_cleanly_on_sigterm(
    tmp_path: Path, sandbox: SlackSandbox, engine: Engine
) -> None:
    """HTTP mode: health check, a signed command, then SIGTERM while a listener is mid-call."""
    assert schema_state(engine).up_to_date
    env = slack_env(sandbox, engine.url.render_as_string(hide_password=False))
    process = subprocess.Popen(
        [sys.executable, "-m", "app", "run", "--port", "0"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("shopbot listening on port"), line + process.stderr.read()
        port = int(line.rsplit(" ", 1)[1])
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as health:
            assert health.status == 200
        client = SlackRequestClient(
            f"http://127.0.0.1:{port}/slack/events", SIGNING_SECRET, sandbox
        )
        assert "/shopbot status" in client.slash_command("/shopbot", "help").json()["text"]
        assert client.slash_command("/shopbot", "help", signed=False).status == 401

        sandbox.delay("views.publish", 1.5)
        event = {"type": "app_home_opened", "user": "U0MARIA", "tab": "home"}
        assert client.event(event).status == 200  # acknowledged; the listener is still working
        sandbox.wait_in_flight("views.publish")
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0
        published = sandbox.calls("views.publish")
        assert len(published) == 1 and published[0].ok, "work in progress was cut off"
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
    logs = process.stderr.read() if process.stderr else ""
    assert "stopped cleanly" in logs
    assert sandbox.bot_token not in logs and SIGNING_SECRET not in logs


def test_the_shell_takes_piped_input(tmp_path: Path, engine: Engine) -> None:
    env = clean_env(DATABASE_URL=engine.url.render_as_string(hide_password=False))
    script = "help\n/shopbot status\n/shopbot <!channel>\nnot a command\nexit\n/shopbot status\n"
    result = shopbot("shell", env=env, cwd=tmp_path, stdin=script)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "shopbot> help" in out
    assert "SHOPBOT COMMANDS" in out
    assert (
        "/shopbot — help for every command and the bot's status: `status` `language` `help`"
    ) in out
    assert "click N" in out and "set FIELD VALUE" in out  # the shell's own commands
    assert "SHOPBOT STATUS" in out
    assert "has no '&lt;!channel&gt;'" not in out  # entities are decoded for the terminal
    assert "has no <!channel>" in out or "has no `<!channel>`" in out
    assert "Type a slash command" in out
    assert out.count("SHOPBOT STATUS") == 1, "lines after exit must not run"


def test_the_shell_refuses_an_unmigrated_database(tmp_path: Path) -> None:
    env = clean_env(DATABASE_URL=f"sqlite:///{tmp_path / 'empty.db'}")
    result = shopbot("shell", env=env, cwd=tmp_path, stdin="exit\n")
    assert result.returncode == 2
    assert "shopbot db upgrade" in result.stderr


def test_demo_twice_loads_once_and_opens_the_shell(tmp_path: Path, engine: Engine) -> None:
    from devkit.demo.data import DEMO_TEAM_ID
    from storage.overview import data_overview

    env = clean_env(DATABASE_URL=engine.url.render_as_string(hide_password=False))
    first = shopbot("demo", "--no-shell", env=env, cwd=tmp_path, timeout=120)
    assert first.returncode == 0, first.stderr
    assert "added 160 sellers" in first.stdout
    loaded = data_overview(engine, DEMO_TEAM_ID)
    assert loaded.sellers >= 150 and loaded.creators == 300 and loaded.kpi_rows > 15_000

    second = shopbot("demo", env=env, cwd=tmp_path, stdin="/shopbot status\n", timeout=120)
    assert second.returncode == 0, second.stderr
    assert "nothing added" in second.stdout
    assert data_overview(engine, DEMO_TEAM_ID) == loaded
    assert f"Sellers: {loaded.sellers} in {loaded.categories} categories" in second.stdout
    assert f"({loaded.kpi_rows:,} seller-days)" in second.stdout


def test_the_shell_survives_a_closed_pipe(tmp_path: Path, engine: Engine) -> None:
    env = clean_env(DATABASE_URL=engine.url.render_as_string(hide_password=False))
    command = (
        f"printf '/shopbot help\\n/shopbot status\\n' | {sys.executable} -m app shell | head -1"
    )
    result = subprocess.run(
        command,
        shell=True,
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.stdout.startswith("shopbot> /shopbot help")
    assert "Traceback" not in result.stderr
