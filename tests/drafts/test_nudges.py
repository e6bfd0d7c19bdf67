"""What the reminders scheduler gets for pending co-signatures: who, since when, when due."""

from __future__ import annotations

from datetime import timedelta

from bot.common.clock import FixedClock
from bot.common.i18n import Translator
from bot.core.engine import Bot
from bot.drafts.nudge import nudge_reply, pending_parties, signers_of
from tests.common.test_working_time import TZ, local
from tests.drafts_helpers import RecordingMessenger, add_channel, press, say


async def test_a_party_that_has_not_approved_is_nudged_after_24_working_hours(
    bot: Bot, clock: FixedClock
) -> None:
    bot.messengers["console"] = RecordingMessenger("console")
    await add_channel(bot.database, "console", "gemensam", "gemensam", joint=True)
    clock.set(local(2026, 11, 26, 10, 0))  # Thursday
    await say(bot, "Erik Holm", "utkast Budskap om julmarknaden.")
    await press(bot, "Merete Tillman", "draft.approve", {"draft": 1, "version": 1})
    async with bot.database.sessions() as session:
        waiting = await pending_parties(session, TZ)
        assert [(w.organisation.key, w.due) for w in waiting] == [
            # 7 h Thursday, 9 h Friday, 8 h Monday → Monday 16:00.
            ("polis", local(2026, 11, 30, 16, 0))
        ]
        assert waiting[0].dedupe_key == "draft-nudge:1:v1:polis"
        assert all(w.due > local(2026, 11, 30, 15, 59) for w in waiting)
        due = [w for w in waiting if w.due <= local(2026, 11, 30, 16, 0)]
        assert len(due) == 1
        signers = [p.name for p in await signers_of(session, due[0].organisation)]
        assert signers == ["Karin Öberg", "Niklas Årcén", "Veronica Gustafsson"]
        text = nudge_reply(Translator("sv", TZ), due[0]).text
        assert "U1 ”Budskap om julmarknaden.” väntar på godkännande från Polisen" in text
    # A new version starts the wait again, for both parties.
    clock.set(local(2026, 11, 30, 12, 0))
    await press(bot, "Erik Holm", "draft.edit", {"draft": 1, "version": 1, "text": "Ny text."})
    async with bot.database.sessions() as session:
        again = await pending_parties(session, TZ, after=timedelta(hours=2))
    assert {(w.organisation.key, w.due) for w in again} == {
        ("kommun", local(2026, 11, 30, 14, 0)),
        ("polis", local(2026, 11, 30, 14, 0)),
    }
