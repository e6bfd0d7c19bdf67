"""Start-up stays lean: `samverkan serve` does not import what it does not need (issue 8).

Each check runs in a fresh interpreter, as a real start does: in this test process every module
is long imported by other tests.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest

from app.cli.main import LAZY_COMMANDS, main

ROOT = Path(__file__).resolve().parents[1]

# structlog imports rich when rich is installed, and rich imports pygments. rich comes only
# with the dev extras (import-linter's report), never with a production install, so pygments
# is checked only where rich is absent.
_DEV_ONLY_RICH = importlib.util.find_spec("rich") is not None

# Heavy or feature-only modules that neither start-up nor the hot request paths need. Each was
# loaded by `samverkan serve` before; each is now imported where it is used.
NOT_AT_START = (
    "alembic",  # schema check: app.cli.schema_check, Alembic only when not plainly up to date
    "mako",
    *(() if _DEV_ONLY_RICH else ("pygments",)),
    "dateparser",  # bot.common.when
    "holidays",  # bot.common.working_time
    "jsonschema",  # manifest teams
    "email_validator",  # import contacts
    "icalendar",  # export ics, the calendar feed
    "stdnum",  # personnummer check
    "babel",  # bot.common.i18n: the first message read, the first date shown
    "twitter_text",  # X length of a draft
    "slack_sdk.socket_mode",  # Socket Mode is off
    "slack_bolt.adapter.socket_mode",
    "slack_sdk.oauth.state_store.sqlalchemy",  # OAuth is off
    "rapidfuzz",  # only a misspelt forum or person name needs fuzzy matching
    "bot.agreement.file",  # seed only
    "bot.agreement.seed",
    "bot.directory.contacts_import",
    "bot.meetings.ics",
    "app.cli.manifest",
    "app.cli.transfer",
    "app.cli.calendar",
    "app.cli.chat",
    "adapters.calendar_feed",  # SAMVERKAN_CALENDAR_SECRET is not set
)

# Runs the real `samverkan serve` up to the moment it would start listening, then writes the
# names of every imported module to the file given and stops.
SERVE_UNTIL_LISTENING = """
import json, sys
from aiohttp import web

async def record_and_stop(self):
    with open(sys.argv[1], "w") as out:
        json.dump(sorted(sys.modules), out)
    raise SystemExit(0)

web.TCPSite.start = record_and_stop
from app.cli.main import main
main(["serve", "--port", "0"])
"""


def _loaded_by(script: str, tmp_path: Path, env: dict[str, str]) -> set[str]:
    out = tmp_path / "modules.json"
    result = subprocess.run(
        [sys.executable, "-c", script, str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return set(json.loads(out.read_text()))


def _environment(**settings: str) -> dict[str, str]:
    """This process's environment without any of the bot's own settings, plus `settings`."""
    ours = ("SLACK_", "TEAMS_", "MICROSOFT_", "SAMVERKAN_", "DATABASE_URL")
    return {k: v for k, v in os.environ.items() if not k.startswith(ours)} | settings


def _present(modules: set[str], name: str) -> bool:
    return name in modules or any(m.startswith(name + ".") for m in modules)


def test_serve_starts_without_heavy_modules(tmp_path: Path, sqlite_template: Path) -> None:
    database = tmp_path / "serve.sqlite3"
    shutil.copy(sqlite_template, database)
    # Slack over HTTP with one workspace's token and Teams, as the benchmark starts it.
    env = _environment(
        DATABASE_URL=f"sqlite+aiosqlite:///{database}",
        SLACK_SIGNING_SECRET="startup-test-signing-secret",
        SLACK_BOT_TOKEN="xoxb-startup-test",
        TEAMS_LOCAL_MODE="true",
        TEAMS_ALLOWED_TENANTS="tenant-startup-test",
    )
    modules = _loaded_by(SERVE_UNTIL_LISTENING, tmp_path, env)
    # The start-up really happened: both platforms' adapters and the command registry.
    for needed in ("adapters.slack.app", "adapters.teams", "bot.commands.contacts"):
        assert needed in modules
    loaded = [name for name in NOT_AT_START if _present(modules, name)]
    assert loaded == [], f"imported at start-up again: {loaded}"


def test_a_plain_cli_start_imports_no_subcommand(tmp_path: Path) -> None:
    script = """
import json, sys
from app.cli.main import main
with open(sys.argv[1], "w") as out:
    json.dump(sorted(sys.modules), out)
"""
    modules = _loaded_by(script, tmp_path, _environment())
    subcommands = {"app.cli.serve", "app.cli.jobs", "app.cli.digest", "app.cli.rooms"}
    assert not subcommands & modules
    assert not _present(modules, "alembic")


@pytest.mark.parametrize("name", sorted(LAZY_COMMANDS))
def test_every_lazy_subcommand_loads_under_its_own_name(name: str) -> None:
    with click.Context(main) as ctx:
        command = main.get_command(ctx, name)
    assert isinstance(command, click.Command)
    assert command.name == name
    assert command.help
