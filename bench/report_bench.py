"""Time the whole-agreement follow-up report over the five-year data set: the figures, the
chart, the PDF/A, and the chat answer with its chart (`uppföljning överenskommelsen`).

Prints figures and the query count; asserts nothing (speed is not a test). Targets (issue 17):
the whole report with charts and PDF under 1.5 s, the chat answer with its chart under 1 s.
Each figure is the median of three runs after a warm-up, as CPU time of this process (the
machine is shared, so CPU time is the fair measure; it leaves out PostgreSQL's own work) and as
wall time, with the load average beside it. The chart and PDF caches are emptied before every
run, so the figures are those of a first ask; a repeated ask is measured on its own.

    .venv/bin/python -m bench.report_bench [--postgres URL] [--pdf FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import event

from bench.databases import DEFAULT_POSTGRES, both_databases
from bench.dataset import build_dataset
from bench.representation_bench import NOW
from bot.common.i18n import Translator
from bot.directory.forums import load_forum_index
from bot.report import chart, output, render_pdf
from bot.report.document import build
from bot.report.figures import Report
from bot.report.service import build_report, resolve_period
from storage.db import Database
from storage.migrate import upgrade

ROUNDS = 3
TZ = ZoneInfo("Europe/Stockholm")
PERIOD = "överenskommelsen"
CHAT_TARGET_MS = 1000
WHOLE_TARGET_MS = 1500


@dataclass(frozen=True)
class Timing:
    cpu_ms: float
    wall_ms: float
    load: float  # one-minute load average when the runs ended

    def __str__(self) -> str:
        return f"CPU {self.cpu_ms:.0f} ms, wall {self.wall_ms:.0f} ms (load {self.load:.2f})"


async def _median(work: Callable[[], Awaitable[Any]], *, cold: bool = True) -> Timing:
    """Median CPU and wall time of ROUNDS runs; `cold` empties the chart and PDF caches first."""
    await work()  # warm up: imports (matplotlib, WeasyPrint), fonts, connections
    cpu, wall = [], []
    for _ in range(ROUNDS):
        if cold:
            chart.clear_cache()
            render_pdf.clear_cache()
        started_cpu, started = time.process_time(), time.perf_counter()
        await work()
        cpu.append((time.process_time() - started_cpu) * 1000)
        wall.append((time.perf_counter() - started) * 1000)
    return Timing(statistics.median(cpu), statistics.median(wall), os.getloadavg()[0])


def _verdict(label: str, what: str, timing: Timing, target_ms: int) -> str:
    met = "MET" if timing.cpu_ms < target_ms else "MISSED"
    return (
        f"[{label}] verdict: {what} {met}: CPU {timing.cpu_ms:.0f} ms against {target_ms} ms "
        f"(wall {timing.wall_ms:.0f} ms at load {timing.load:.2f})"
    )


async def run(database: Database, label: str, pdf_file: Path | None) -> None:
    await upgrade(database)
    async with database.transaction() as session:
        data = await build_dataset(session, end=NOW)
    print(f"[{label}] data set: {data.meetings} meetings, {data.attendance} attendance rows")
    async with database.sessions() as session:
        span = await resolve_period(session, PERIOD, NOW, TZ)
    t = Translator("sv", TZ)

    async def figures() -> Report:
        async with database.sessions() as session:
            return await build_report(session, span, TZ, NOW, visible=lambda _f: True)

    async def whole_pdf() -> bytes:
        report = await figures()
        return (await asyncio.to_thread(output.render, report, t, "pdf")).data

    async def chat_answer() -> bytes:
        report = await figures()
        return await asyncio.to_thread(output.chart_png, t, build(report, t))

    async def chat_with_file() -> bytes:
        """What `uppföljning` attaches: the chart, then the PDF printed with the same chart."""
        report = await figures()

        def both() -> bytes:
            output.chart_png(t, build(report, t))
            return output.render(report, t, "pdf").data

        return await asyncio.to_thread(both)

    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    async with database.sessions() as session:
        index = await load_forum_index(session)
        event.listen(database.engine.sync_engine, "before_cursor_execute", count)
        try:
            report = await build_report(session, span, TZ, NOW, index=index)
        finally:
            event.remove(database.engine.sync_engine, "before_cursor_execute", count)
    bars = len(build(await figures(), t).bars)
    print(f"[{label}] period {report.label} ({PERIOD}), every forum: {bars} bars in the chart")
    print(f"[{label}] queries for the whole report: {len(statements)}")
    print(f"[{label}] figures only: {await _median(figures)}")
    chat = await _median(chat_answer)
    print(f"[{label}] chat answer (figures + chart PNG), first ask: {chat}")
    print(f"[{label}] chat answer, repeated ask: {await _median(chat_answer, cold=False)}")
    whole = await _median(whole_pdf)
    print(f"[{label}] whole report with chart and PDF/A: {whole}")
    sent = await _median(chat_with_file)
    print(f"[{label}] chat answer with its PDF file too: {sent}")
    print(
        f"[{label}] chat answer with its PDF file, repeated ask: "
        f"{await _median(chat_with_file, cold=False)}"
    )
    print(_verdict(label, "chat answer with its chart < 1 s", chat, CHAT_TARGET_MS))
    print(_verdict(label, "whole report with charts and PDF < 1.5 s", whole, WHOLE_TARGET_MS))
    print(_verdict(label, "chat answer as sent, PDF file included, < 1 s", sent, CHAT_TARGET_MS))
    if pdf_file is not None:
        pdf = await whole_pdf()
        await asyncio.to_thread(pdf_file.write_bytes, pdf)
        print(f"[{label}] wrote {pdf_file}")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES)
    parser.add_argument("--pdf", type=Path, help="Also write the five-year PDF here.")
    args = parser.parse_args()
    async for label, database in both_databases(args.postgres):
        await run(database, label, args.pdf if label == "sqlite" else None)


if __name__ == "__main__":
    asyncio.run(main())
