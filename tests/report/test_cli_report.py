"""`samverkan report`: every format written as the registrar would, from the same figures."""

from __future__ import annotations

import asyncio
from pathlib import Path

from click.testing import CliRunner, Result

from app.cli.main import main
from bot.common.config import Settings
from bot.core.engine import Bot
from tests.conftest import Chat
from tests.report.support import build

AS_OF = "2026-11-26T10:00"  # tests.conftest.NOW in Stockholm


async def _run(bot: Bot, *args: str) -> Result:
    settings = Settings(DATABASE_URL=bot.database.url)  # type: ignore[call-arg]
    runner = CliRunner()
    return await asyncio.to_thread(
        runner.invoke, main, list(args), obj={"settings": settings}, catch_exceptions=False
    )


async def test_markdown_to_stdout_leaves_need_to_know_forums_out(chat: Chat, bot: Bot) -> None:
    await build(bot.database)
    result = await _run(bot, "report", "--period", "2026", "--format", "md", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert "Polisen var representerad vid 2 av 5 möten i Brå (40 %)." in result.stdout
    assert "3 forum med begränsad insyn ingår inte" in result.stdout
    everything = await _run(
        bot, "report", "--period", "2026", "--format", "md", "--as-of", AS_OF, "--all-forums"
    )
    assert "Avhopparverksamhet" in everything.stdout
    assert "behovsprövad insyn" not in everything.stdout


async def test_pdf_and_chart_to_files(chat: Chat, bot: Bot, tmp_path: Path) -> None:
    await build(bot.database)
    pdf, png = tmp_path / "rapport.pdf", tmp_path / "diagram.png"
    result = await _run(
        bot,
        "report",
        "--period",
        "överenskommelsen",
        "--format",
        "pdf",
        "--output",
        str(pdf),
        "--chart",
        str(png),
        "--as-of",
        AS_OF,
    )
    assert result.exit_code == 0, result.output
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert png.read_bytes().startswith(b"\x89PNG")


async def test_csv_and_a_bad_period(chat: Chat, bot: Bot) -> None:
    await build(bot.database)
    result = await _run(bot, "report", "--period", "2026", "--format", "csv", "--as-of", AS_OF)
    assert result.stdout.splitlines()[0] == "section,forum,party,year,measure,value"
    assert "representation,bra,polis,2026,represented,2" in result.stdout
    bad = await _run(bot, "report", "--period", "förra året", "--format", "csv")
    assert bad.exit_code != 0
    assert "Jag kan inte läsa perioden" in bad.output
