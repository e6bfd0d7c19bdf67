"""The weekly digest reaches a Teams channel as a card, and its button opens the full lists.

The digest is planned and posted by the real scheduler through the real Teams adapter, so the
card the connector receives is the one staff see on Monday morning (and the one the
accessibility checks in tests/a11y look at).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.common.clock import FixedClock
from bot.scheduler.dispatcher import Dispatcher
from bot.scheduler.planning import ensure_planned
from bot.scheduler.settings import SchedulerSettings
from tests.scheduler.helpers import add_action_item, job_kinds, run_until
from tests.teams.conftest import ADELE, ADELE_AAD, CHANNEL, MEGAN, Teams
from tests.teams.test_meetings import buttons, click, in_channel, in_private

MONDAY_MORNING = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)  # 09.00 in Stockholm


async def test_the_weekly_digest_is_a_card_in_the_channel_with_its_full_lists(
    teams: Teams,
) -> None:
    clock = teams.bot.clock
    assert isinstance(clock, FixedClock)
    await in_channel(teams, MEGAN, "kanal sammanfattning", "d1")
    await in_private(teams, MEGAN, "möte brå 2/12 9.00 plats: Kommunhuset", "d2")
    draft = teams.message("utkast Trygghetsvandring i Broby på torsdag.", id="d3")
    draft["from"] = {"id": ADELE, "aadObjectId": ADELE_AAD}
    await teams.post(draft)
    await add_action_item(teams.bot, "Boka lokal", "Anna Lindqvist", date(2026, 11, 20))
    await add_action_item(teams.bot, "Skicka inbjudan", "Erik Holm", date(2026, 12, 2))

    before = len(teams.connector.calls)
    await ensure_planned(teams.bot.database, clock.now(), teams.bot.settings.tz)
    settings = SchedulerSettings(rates={})  # type: ignore[call-arg]
    dispatcher = Dispatcher(teams.bot, settings, kinds=job_kinds())
    await run_until(dispatcher, clock, MONDAY_MORNING)

    posted = [
        c
        for c in teams.connector.calls[before:]
        if c.method == "send" and c.conversation == CHANNEL and "Veckosammanfattning" in c.text
    ]
    assert len(posted) == 1
    [digest] = posted[0].cards
    assert "Veckosammanfattning, vecka 49" in posted[0].text
    assert "A1 Boka lokal – Anna Lindqvist, senast 20 november 2026 (försenad)" in posted[0].text
    assert "A2 Skicka inbjudan – Erik Holm, senast 2 december 2026" in posted[0].text
    assert "Utkast som väntar på godkännande" in posted[0].text

    assert posted[0].answered_id is not None
    full = buttons(digest)["Visa hela listorna"]
    body = await click(teams, MEGAN, full, posted[0].answered_id, "d4")
    # Only for the one who clicked: Teams shows it to them as a message, the card stays as it is.
    assert body["type"] == "application/vnd.microsoft.activity.message"
    assert body["value"].startswith("Veckosammanfattning, vecka 49")
    assert "Visa hela listorna" not in body["value"]
