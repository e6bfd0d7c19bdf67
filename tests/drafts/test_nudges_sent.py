"""Pending co-signatures: the scheduler sends the drafts feature's nudge to each signer once."""

from __future__ import annotations

from collections import Counter

from adapters.console import ConsoleMessenger
from bot.common.clock import FixedClock
from bot.core.engine import Bot
from bot.scheduler.dispatcher import Dispatcher
from bot.scheduler.planning import ensure_planned
from bot.scheduler.settings import SchedulerSettings
from tests.common.test_working_time import TZ, local
from tests.drafts_helpers import add_channel as add_joint_channel
from tests.drafts_helpers import press, say
from tests.scheduler.helpers import job_kinds, person_id, run_until


async def test_signers_of_the_waiting_party_are_nudged_once(bot: Bot, clock: FixedClock) -> None:
    await add_joint_channel(bot.database, "console", "gemensam", "gemensam", joint=True)
    signers = {
        name: await person_id(bot.database, name)
        for name in ("Karin Öberg", "Niklas Årcén", "Veronica Gustafsson", "Merete Tillman")
    }
    clock.set(local(2026, 11, 26, 10, 0))  # Thursday
    await say(bot, "Erik Holm", "utkast Budskap om julmarknaden.")
    await press(bot, "Merete Tillman", "draft.approve", {"draft": 1, "version": 1})
    messenger = bot.messengers["console"]
    assert isinstance(messenger, ConsoleMessenger)
    messenger.posted.clear()
    dispatcher = Dispatcher(bot, SchedulerSettings(rates={}), kinds=job_kinds())  # type: ignore[call-arg]
    await ensure_planned(bot.database, clock.now(), TZ)
    await run_until(dispatcher, clock, local(2026, 11, 30, 15, 59))
    assert [r for _, r in messenger.posted if "väntar på godkännande" in r.text] == []
    await run_until(dispatcher, clock, local(2026, 12, 4, 12, 0))
    # (Veronica also hears that the agreement ends in 30 days: that is another reminder.)
    nudges = [(w, r) for w, r in messenger.posted if "väntar på godkännande" in r.text]
    nudged = Counter(where for where, _ in nudges)
    police = [signers[n] for n in ("Karin Öberg", "Niklas Årcén", "Veronica Gustafsson")]
    assert set(nudged) == {f"direct:{p}" for p in police} and set(nudged.values()) == {1}
    assert "väntar på godkännande från Polisen" in nudges[0][1].text


async def test_no_nudge_once_the_party_has_approved(bot: Bot, clock: FixedClock) -> None:
    await add_joint_channel(bot.database, "console", "gemensam", "gemensam", joint=True)
    await person_id(bot.database, "Niklas Årcén")
    clock.set(local(2026, 11, 26, 10, 0))
    await say(bot, "Erik Holm", "utkast Budskap om julmarknaden.")
    await press(bot, "Merete Tillman", "draft.approve", {"draft": 1, "version": 1})
    dispatcher = Dispatcher(bot, SchedulerSettings(rates={}), kinds=job_kinds())  # type: ignore[call-arg]
    await ensure_planned(bot.database, clock.now(), TZ)
    await run_until(dispatcher, clock, local(2026, 11, 30, 12, 0))  # planned, not yet due
    await press(bot, "Niklas Årcén", "draft.approve", {"draft": 1, "version": 1})
    messenger = bot.messengers["console"]
    assert isinstance(messenger, ConsoleMessenger)
    messenger.posted.clear()
    await run_until(dispatcher, clock, local(2026, 12, 4, 12, 0))
    assert [r for _, r in messenger.posted if "väntar på godkännande" in r.text] == []
