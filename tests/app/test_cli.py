"""The `samverkan` command line, run the way an administrator runs it."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from app.cli.main import main
from bot.common.config import BUNDLED_AGREEMENT
from storage.migrate import head_revision


def run(url: str, *args: str) -> Result:
    env = {"DATABASE_URL": url, "SAMVERKAN_LOCALE": "sv"}
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


@pytest.fixture
def ready_url(cli_database_url: str) -> str:
    assert run(cli_database_url, "db", "upgrade").exit_code == 0
    assert run(cli_database_url, "seed").exit_code == 0
    return cli_database_url


def test_help_lists_every_subcommand_with_a_description() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for name in ("db", "seed", "chat", "say", "serve", "manifest"):
        assert f"  {name} " in result.output


def test_upgrade_seed_and_say(cli_database_url: str) -> None:
    upgraded = run(cli_database_url, "db", "upgrade")
    assert upgraded.exit_code == 0 and f"revision {head_revision()}" in upgraded.output
    seeded = run(cli_database_url, "seed")
    assert seeded.exit_code == 0 and "created" in seeded.output
    again = run(cli_database_url, "seed")
    assert "0 created, 0 updated" in again.output
    said = run(cli_database_url, "say", "--as", "Veronica Gustafsson", "kontakter brå")
    assert said.exit_code == 0
    assert "Kontakter – Lokala Brottsförebyggande rådet (Brå)" in said.output


def test_say_exits_zero_for_refusals_and_unknown_commands(ready_url: str) -> None:
    refused = run(ready_url, "say", "--as", "Sara Nilsson", "kontakter avhopp")
    assert refused.exit_code == 0 and "visas bara för forumets medlemmar" in refused.output
    unknown = run(ready_url, "say", "--as", "Sara Nilsson", "flygplan")
    assert unknown.exit_code == 0 and "Jag känner inte till kommandot" in unknown.output


def test_say_shows_buttons_as_numbered_choices(ready_url: str) -> None:
    result = run(
        ready_url, "say", "--as", "Anna Lindqvist", "person ny Eva Strand, organisation: polis"
    )
    assert "Eva Strand är tillagd." in result.output
    assert "[1] Lägg till en till" in result.output


def test_say_saves_the_files_a_reply_carries_and_names_them(ready_url: str, tmp_path: Path) -> None:
    files = tmp_path / "filer"
    said = run(ready_url, "say", "--as", "Sara Nilsson", "--files", str(files), "uppföljning")
    assert said.exit_code == 0
    pdf, png = files / "uppfoljning-2026.pdf", files / "uppfoljning-2026.png"
    assert pdf.read_bytes().startswith(b"%PDF-") and png.read_bytes().startswith(b"\x89PNG")
    # The chart's line reads its alt text, as a screen reader would; each line says where.
    assert "📎 Representation per forum och part 2026: Inga hållna möten" in said.output
    assert "(uppfoljning-2026.pdf, " in said.output and f"→ {pdf}" in said.output
    again = run(ready_url, "say", "--as", "Sara Nilsson", "--files", str(files), "uppföljning")
    assert f"→ {files / 'uppfoljning-2026-2.pdf'}" in again.output  # nothing is overwritten
    assert sorted(p.name for p in files.iterdir()) == [
        "uppfoljning-2026-2.pdf",
        "uppfoljning-2026-2.png",
        "uppfoljning-2026.pdf",
        "uppfoljning-2026.png",
    ]


def test_say_as_an_unknown_person_fails_on_stderr(ready_url: str) -> None:
    result = run(ready_url, "say", "--as", "Nils Holgersson", "hjälp")
    assert result.exit_code != 0
    assert "Nils Holgersson" in result.stderr and result.stdout == ""


def test_say_with_an_unreachable_database_fails_clearly() -> None:
    result = run(
        "postgresql+asyncpg://postgres:hemligt@127.0.0.1:1/none", "say", "--as", "X", "hjälp"
    )
    assert result.exit_code != 0
    assert "Databasen går inte att nå" in result.stderr
    assert "hemligt" not in result.stderr  # the password is never printed


def test_seed_reports_validation_errors_and_writes_nothing(
    cli_database_url: str, tmp_path: Path
) -> None:
    run(cli_database_url, "db", "upgrade")
    broken = tmp_path / "broken.toml"
    broken.write_text(
        BUNDLED_AGREEMENT.read_text(encoding="utf-8").replace(
            'organisation = "polis"', 'organisation = "polisen"', 1
        ),
        encoding="utf-8",
    )
    result = run(cli_database_url, "seed", str(broken))
    assert result.exit_code == 1
    assert f"{broken}: " in result.stderr and "unknown organisation 'polisen'" in result.stderr
    asked = run(cli_database_url, "say", "--as", "Veronica Gustafsson", "hjälp")
    assert asked.exit_code != 0  # nobody was written, so nobody can ask


def test_seed_no_demo_and_prune(cli_database_url: str) -> None:
    run(cli_database_url, "db", "upgrade")
    run(cli_database_url, "seed")
    listed = run(cli_database_url, "seed", "--no-demo")
    assert "not in the file (kept; use --prune to remove): person Anna Lindqvist" in listed.output
    pruned = run(cli_database_url, "seed", "--no-demo", "--prune")
    assert "removed: person Anna Lindqvist" in pruned.output
    gone = run(cli_database_url, "say", "--as", "Anna Lindqvist", "hjälp")
    assert gone.exit_code != 0


def test_db_current(ready_url: str) -> None:
    result = run(ready_url, "db", "current")
    assert result.output.strip() == f"database: {head_revision()}; newest: {head_revision()}"


def test_chat_answers_each_line_and_presses_numbered_buttons(ready_url: str) -> None:
    env = {"DATABASE_URL": ready_url}
    lines = "person ny Eva Strand, organisation: polis\n1\navbryt\nspråk engelska\nforums\n"
    result = CliRunner().invoke(main, ["chat", "--as", "Anna Lindqvist"], input=lines, env=env)
    assert result.exit_code == 0, result.output
    assert "Du pratar med Samverkansboten som Anna Lindqvist." in result.output
    assert "Eva Strand är tillagd." in result.output
    assert "Lägg till person" in result.output  # button 1 opened the form
    assert "Du avbröt ”Lägg till person”. Inget är skickat." in result.output
    assert "Cooperation forums" in result.output


def test_commands_on_a_database_that_was_never_upgraded_say_what_to_do(
    cli_database_url: str,
) -> None:
    result = run(cli_database_url, "seed")
    assert result.exit_code != 0
    assert "Kör `samverkan db upgrade` först." in result.stderr
    assert "Traceback" not in result.output
