"""Start-up polish: `samverkan jobs` readable, a hint that works as printed, CLI messages in
the operator's language, `export … | head` quiet, the Teams zip ignored by git."""

from __future__ import annotations

import asyncio
import fnmatch
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from click.testing import CliRunner, Result
from sqlalchemy import select, update

from app.cli.hint import samverkan_command
from app.cli.main import main
from app.operator_language import operator_language
from bot.scheduler.jobs import Target, schedule
from bot.scheduler.reach import UNREACHABLE
from storage.db import Database
from storage.models import Job, Person

ROOT = Path(__file__).resolve().parents[2]


def run(url: str, *args: str, **env: str) -> Result:
    return CliRunner().invoke(
        main, list(args), env={"DATABASE_URL": url, **env}, catch_exceptions=False
    )


def test_jobs_have_headers_names_and_say_what_waits(cli_database_url: str) -> None:
    assert run(cli_database_url, "db", "upgrade").exit_code == 0
    assert run(cli_database_url, "seed").exit_code == 0
    now = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)

    async def put() -> None:
        database = Database(cli_database_url)
        async with database.transaction() as session:
            sara = await session.scalar(select(Person.id).where(Person.name == "Sara Nilsson"))
            assert sara is not None
            await schedule(session, "reminder", now, {"text": "x"}, (Target.PERSON, sara), "a", now)
            await session.execute(
                update(Job).where(Job.dedupe_key == "a").values(last_error=UNREACHABLE)
            )
        await database.dispose()

    asyncio.run(put())
    listed = run(cli_database_url, "jobs", SAMVERKAN_LANGUAGE="sv").output.splitlines()
    assert listed[0].split() == [
        "Nr",
        "När",
        "(UTC)",
        "Status",
        "Sort",
        "Mottagare",
        "Försök",
        "Anmärkning",
    ]
    [row] = [line for line in listed if "reminder" in line]
    assert "Sara Nilsson" in row and "person:" not in row
    assert "kan inte levereras: mottagaren har ingen chatt med boten ännu" in row
    english = run(cli_database_url, "jobs", SAMVERKAN_LANGUAGE="en").output
    assert english.splitlines()[0].startswith("No.") and "undeliverable" in english


def test_export_into_a_closed_pipe_is_quiet(cli_database_url: str, tmp_path: Path) -> None:
    assert run(cli_database_url, "db", "upgrade").exit_code == 0
    assert run(cli_database_url, "seed").exit_code == 0
    env = {**os.environ, "DATABASE_URL": cli_database_url, "SAMVERKAN_LANGUAGE": "sv"}
    for args in (
        ["export", "audit", "--from", "2020-01-01", "--to", "2030-01-01"],
        ["export", "ics", "--forum", "bra"],
    ):
        process = subprocess.Popen(
            [sys.executable, "-m", "app.cli.main", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            cwd=ROOT,
        )
        assert process.stdout is not None and process.stderr is not None
        process.stdout.close()  # the reader is gone before the first line is written
        errors = process.stderr.read().decode()
        process.wait()
        assert "Broken pipe" not in errors and "Traceback" not in errors, errors
        assert "BrokenPipeError" not in errors


def test_the_operator_language_comes_from_the_environment() -> None:
    assert operator_language({}) == "sv"
    assert operator_language({"LANG": "en_US.UTF-8"}) == "en"
    assert operator_language({"LANG": "C.UTF-8"}) == "sv"
    assert operator_language({"LANG": "en_US.UTF-8", "SAMVERKAN_LANGUAGE": "sv"}) == "sv"
    assert operator_language({"SAMVERKAN_LOCALE": "en", "LANG": "sv_SE.UTF-8"}) == "en"


def test_cli_errors_follow_the_operator_language(cli_database_url: str) -> None:
    assert run(cli_database_url, "db", "upgrade").exit_code == 0
    swedish = run(cli_database_url, "say", "--as", "Nobody Atall", "hej", LANG="sv_SE.UTF-8")
    english = run(cli_database_url, "say", "--as", "Nobody Atall", "hej", LANG="en_US.UTF-8")
    assert swedish.exit_code != 0 and english.exit_code != 0
    assert swedish.output != english.output
    assert "Nobody Atall" in english.output


def test_the_hint_names_a_command_that_works_as_printed(tmp_path: Path) -> None:
    venv = tmp_path / ".venv"
    (venv / "bin").mkdir(parents=True)
    script = venv / "bin" / "samverkan"
    script.write_text("#!/bin/sh\n")
    assert samverkan_command(venv, tmp_path, lambda _name: None) == ".venv/bin/samverkan"
    assert samverkan_command(venv, tmp_path, lambda _name: str(script)) == "samverkan"
    elsewhere = tmp_path / "other"
    elsewhere.mkdir()
    assert samverkan_command(venv, elsewhere, lambda _name: None) == str(script.resolve())


def test_the_generated_teams_zip_is_ignored_by_git() -> None:
    from app.cli.manifest_teams import DEFAULT_OUTPUT

    patterns = [
        line.strip()
        for line in (ROOT / ".gitignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert any(fnmatch.fnmatch(DEFAULT_OUTPUT.name, p.lstrip("/")) for p in patterns)
    assert any(fnmatch.fnmatch("samverkansboten-teams-test.zip", p.lstrip("/")) for p in patterns)
