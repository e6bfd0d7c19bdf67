"""The yearly cycle and the agreement's end reach the responsible people on working mornings."""

from __future__ import annotations

from datetime import UTC, datetime

from adapters.console import ConsoleMessenger
from bot.common.clock import FixedClock
from bot.core.engine import Bot
from bot.scheduler.dispatcher import Dispatcher
from bot.scheduler.planning import ensure_planned
from bot.scheduler.settings import SchedulerSettings
from tests.scheduler.helpers import job_kinds, person_id, run_until


async def test_a_month_of_cycle_and_agreement_end_reminders(bot: Bot, clock: FixedClock) -> None:
    anna = await person_id(bot.database, "Anna Lindqvist")  # bra_coordinator
    veronica = await person_id(bot.database, "Veronica Gustafsson")  # kommunpolis
    await person_id(bot.database, "Niklas Årcén")  # neither role
    dispatcher = Dispatcher(bot, SchedulerSettings(rates={}), kinds=job_kinds())  # type: ignore[call-arg]
    sent_at: list[tuple[datetime, str, str]] = []
    messenger = bot.messengers["console"]
    assert isinstance(messenger, ConsoleMessenger)
    original = messenger.send_direct

    async def record(identity, reply):  # type: ignore[no-untyped-def]
        sent_at.append((clock.now(), f"direct:{identity.person_id}", reply.plain_text()))
        return await original(identity, reply)

    messenger.send_direct = record  # type: ignore[method-assign]
    await ensure_planned(bot.database, clock.now(), bot.settings.tz)
    await run_until(dispatcher, clock, datetime(2027, 1, 2, tzinfo=UTC))

    def to(person: int) -> list[tuple[datetime, str]]:
        return [(at, text) for at, who, text in sent_at if who == f"direct:{person}"]

    anna_got = to(anna)
    veronica_got = to(veronica)
    # 1 December 08:00 Stockholm (07:00 UTC): the yearly follow-up, and 30 days left.
    december_first = datetime(2026, 12, 1, 7, 0, tzinfo=UTC)
    assert [at for at, _ in anna_got] == [december_first, december_first, _dec23()]
    assert any("Årlig uppföljning" in text for _, text in anna_got)
    assert "30 dagar" in anna_got[0][1] + anna_got[1][1]
    # Christmas Eve is a day off: the 7-day reminder comes on the 23rd, 8 days before.
    assert [at for at, _ in veronica_got] == [december_first, _dec23()]
    assert "kommunstyrelsen" in veronica_got[1][1] and "8 dagar" in veronica_got[1][1]
    assert len(sent_at) == 5  # nobody else, nothing twice, the 90-day date has passed


def _dec23() -> datetime:
    return datetime(2026, 12, 23, 7, 0, tzinfo=UTC)
