"""The report's figures on the hand-computed year of tests/report/support.py, the same figures
as `representation`, need-to-know forums left out, and a constant number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.common.i18n import Translator
from bot.core.engine import Bot
from bot.directory.forums import load_forum_index
from bot.report.figures import Report
from bot.report.period import default_period, parse_report_period
from bot.report.service import build_report, resolve_period
from tests.conftest import NOW, Chat
from tests.meeting_support import add_meeting, attend, counting_queries
from tests.report.support import at, build


async def _report(bot: Bot, period: str, *, everything: bool = False) -> Report:
    tz = bot.settings.tz
    async with bot.database.sessions() as session:
        span = await resolve_period(session, period, NOW, tz)
        visible = (lambda _forum: True) if everything else None
        return await build_report(session, span, tz, NOW, visible=visible)


def _forum(report: Report, key: str):  # type: ignore[no-untyped-def]
    return next(f for f in report.representation if f.forum_key == key)


async def test_representation_by_hand(chat: Chat, bot: Bot) -> None:
    await build(bot.database)
    report = await _report(bot, "2026")
    bra = _forum(report, "bra")
    assert bra.held == 5
    parties = {p.org_key: p for p in bra.parties}
    assert (parties["kommun"].represented, parties["kommun"].rate) == (4, 80)
    assert (parties["polis"].represented, parties["polis"].rate) == (2, 40)
    assert [m.starts_at for m in parties["polis"].missing] == [
        at("2026-05-12"),
        at("2026-06-10"),
        at("2026-11-10"),
    ]
    assert bra.without_attendance == 1
    # The public report leaves the three restricted forums out (Spindel has no free text about
    # individuals, tillsyn and avhopp are need-to-know), and says so.
    assert {f.forum_key for f in report.representation} == {"bra"}
    assert report.forums_left_out == 3
    spider = _forum(await _report(bot, "2026", everything=True), "spindel")
    assert spider.held == 1
    assert {p.org_key: p.represented for p in spider.parties} == {"kommun": 0, "polis": 1}


async def test_the_figures_equal_representations_answer(chat: Chat, bot: Bot) -> None:
    await build(bot.database)
    report = await _report(bot, "2026")
    answer = await chat.text("Anna Lindqvist", "representation brå 2026")
    for party in _forum(report, "bra").parties:
        assert (
            f"{party.org_name} var representerad vid {party.represented} av {party.held} möten "
            f"i Brå 2026 ({party.rate} %)."
        ) in answer


async def test_other_sections_by_hand(chat: Chat, bot: Bot) -> None:
    fixture = await build(bot.database)
    report = await _report(bot, "2026")
    m = report.messages
    assert (m.drafted, m.approved, m.withdrawn, m.open, m.published) == (3, 1, 1, 1, 1)
    actions = {a.forum_key: (a.opened, a.closed, a.overdue) for a in report.actions}
    assert actions == {"bra": (2, 1, 1), None: (1, 0, 0)}  # Avhopparverksamhet left out
    by_id = {c.number: c for c in report.commitments}
    police = by_id[fixture.commitments["police"]]
    assert (police.status, police.outcome, police.target_count) == ("in_progress", 31, 40)
    assert sorted(c.party for c in report.commitments) == ["joint", "kommun", "polis"]
    [year] = report.cycle
    assert (year.year, year.done, year.late, len(year.missed), year.upcoming) == (2026, 1, 1, 5, 2)
    assert [p.key for p in year.missed] == [
        "tertial_1",
        "halvar_ks",
        "trygghetsmatning",
        "tertial_2",
        "lagesbild",
    ]
    assert report.renewal is not None and report.renewal.board_date is None


async def test_members_and_admins_see_need_to_know_forums(chat: Chat, bot: Bot) -> None:
    await build(bot.database)
    report = await _report(bot, "2026", everything=True)
    assert report.forums_left_out == 0
    assert _forum(report, "avhopp").held == 1
    assert {a.forum_key: a.overdue for a in report.actions}["avhopp"] == 1


@pytest.mark.parametrize(
    ("period", "held", "police", "cycle"),
    [
        ("2026-T1", 1, 1, (1, 1, 0, 0)),
        ("2026-T2", 2, 0, (0, 0, 3, 0)),
        ("2026-H1", 3, 1, (1, 1, 2, 0)),
        ("2025", 1, 1, None),
    ],
)
async def test_periods(
    chat: Chat, bot: Bot, period: str, held: int, police: int, cycle: tuple[int, ...] | None
) -> None:
    await build(bot.database)
    report = await _report(bot, period)
    bra = _forum(report, "bra")
    assert bra.held == held
    assert {p.org_key: p.represented for p in bra.parties}["polis"] == police
    if cycle is not None:
        [year] = report.cycle
        assert (year.done, year.late, len(year.missed), year.upcoming) == cycle


async def test_the_agreement_period_counts_each_year(chat: Chat, bot: Bot) -> None:
    await build(bot.database)
    report = await _report(bot, "överenskommelsen")
    assert report.years == (2023, 2024, 2025, 2026)
    assert report.label == "2023–2026"
    bra = _forum(report, "bra")
    assert bra.held == 6
    per_year = {y.year: (y.held, {p.org_key: p.represented for p in y.parties}) for y in bra.years}
    assert per_year[2025] == (1, {"kommun": 1, "polis": 1})
    assert per_year[2026] == (5, {"kommun": 4, "polis": 2})
    assert per_year[2023][0] == per_year[2024][0] == 0
    assert {y.year: y.without_attendance for y in bra.years}[2026] == 1
    assert [y.year for y in report.cycle] == [2023, 2024, 2025, 2026]
    same = await _report(bot, "2023..2026")
    assert _forum(same, "bra") == bra


def test_period_words() -> None:
    assert parse_report_period("2027..2026", None) is None
    assert parse_report_period("överenskommelsen", None) is None
    assert parse_report_period("2026-T4", None) is None
    span = parse_report_period("2026-t2", None)
    assert span is not None and span.years == (2026,) and span.label == "2026-T2"
    # Point 7 of the notes: January and February mean the year just ended.
    assert default_period(NOW.date().replace(month=2, day=10)).years == (2025,)
    assert default_period(NOW.date().replace(month=3, day=1)).years == (2026,)


async def test_a_constant_number_of_queries(chat: Chat, bot: Bot) -> None:
    await build(bot.database)
    tz = bot.settings.tz
    span = parse_report_period("2023..2026", None)
    assert span is not None

    async def count() -> int:
        async with bot.database.sessions() as session:
            index = await load_forum_index(session)
            with counting_queries(bot.database) as statements:
                await build_report(session, span, tz, NOW, index=index)
            return len(statements)

    small = await count()
    for week in range(60):
        meeting = await add_meeting(
            bot.database, "bra", at("2024-01-08") + timedelta(days=7 * week)
        )
        await attend(bot.database, meeting, "Anna Lindqvist", "Niklas Årcén")
    await build(bot.database, promises_year=2025)  # everything once more
    assert small > 0
    assert await count() == small


def test_translator_is_used_for_words() -> None:
    t = Translator("sv", NOW.tzinfo)  # type: ignore[arg-type]
    assert t("report.section.representation") == "Representation i forumen"
