"""`förstärk <länk>`: ask the other party to share a post, and record who did."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.core.engine import Bot
from bot.core.reply import Visibility
from bot.drafts.amplify import amplify_requests_between
from storage.models import AuditEvent
from storage.models_publications import Amplification, AmplifyRequest
from tests.conftest import NOW
from tests.drafts_helpers import RecordingMessenger, add_channel, press, say, text_of

POST = "https://www.facebook.com/polisenhassleholm/posts/1234"


@pytest.fixture
async def joint(bot: Bot) -> RecordingMessenger:
    console = RecordingMessenger("console")
    bot.messengers["console"] = console
    await add_channel(bot.database, "console", "gemensam", "gemensam", joint=True)
    return console


async def count(bot: Bot, model: type[AmplifyRequest] | type[Amplification]) -> int:
    async with bot.database.sessions() as session:
        return int(await session.scalar(select(func.count(model.id))) or 0)


async def test_a_request_goes_to_the_joint_channel_with_a_button(
    bot: Bot, joint: RecordingMessenger
) -> None:
    replies = await say(bot, "Karin Öberg", f"förstärk {POST}")
    assert replies[0].visibility is Visibility.ONLY_TO_YOU
    assert "Förfrågan F1 är skickad till gemensam" in text_of(replies)
    [(_channel, _id, card)] = joint.posts
    assert "F1 · Polisen ber er dela ett inlägg" in card.plain_text()
    assert "Karin Öberg (Polisen) ber Kommunen att dela" in card.plain_text()
    assert POST in card.plain_text()
    [button] = card.buttons
    assert (button.label, button.route, button.payload) == (
        "Jag har delat",
        "amplify.shared",
        {"request": 1},
    )
    assert button.accessible_label == "Jag har delat inlägget i F1"
    # The same post again, while it is open: no second request.
    again = await say(bot, "Veronica Gustafsson", f"förstärk {POST}")
    assert "redan en öppen förfrågan" in text_of(again)
    assert await count(bot, AmplifyRequest) == 1 and len(joint.posts) == 1


async def test_the_other_party_shares_once_and_the_card_shows_who(
    bot: Bot, joint: RecordingMessenger
) -> None:
    await say(bot, "Karin Öberg", f"förstärk {POST}")
    listed = text_of(await say(bot, "Sara Nilsson", "förstärk"))
    assert "F1 – Polisen (Karin Öberg" in listed and "väntar på Kommunen" in listed

    own = await press(bot, "Veronica Gustafsson", "amplify.shared", {"request": 1})
    assert "Polisens eget" in text_of(own)
    thanks = await press(bot, "Sara Nilsson", "amplify.shared", {"request": 1})
    assert "Tack! Det är sparat att du delade inlägget i F1." in text_of(thanks)
    twice = await press(bot, "Sara Nilsson", "amplify.shared", {"request": 1})
    assert "redan sagt" in text_of(twice)
    assert await count(bot, Amplification) == 1
    # Every posted copy is updated in place with who shared it.
    [(_channel, message_id, card)] = joint.updates
    assert message_id == joint.posts[0][1]
    assert "Delat av Sara Nilsson" in card.plain_text()
    # Once every other party has shared, the request is no longer open.
    assert "Inga öppna förfrågningar" in text_of(await say(bot, "Sara Nilsson", "förstärk"))
    async with bot.database.sessions() as session:
        actions = (await session.scalars(select(AuditEvent.action))).all()
        records = await amplify_requests_between(session, NOW, NOW + timedelta(days=1))
    assert {"amplify.request", "amplify.shared"} <= set(actions)
    [record] = records
    assert (record.ref, record.url, record.organisation) == ("F1", POST, "Polisen")
    assert [(name, org) for name, org, _at in record.shared_by] == [("Sara Nilsson", "Kommunen")]


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("förstärk www.facebook.com/x", "ingen webbadress"),
        (f"förstärk {POST} tack", "Skriv bara länken"),
    ],
)
async def test_refusals_send_nothing(
    bot: Bot, joint: RecordingMessenger, message: str, expected: str
) -> None:
    assert expected in text_of(await say(bot, "Karin Öberg", message))
    assert await count(bot, AmplifyRequest) == 0 and joint.posts == []


async def test_a_stale_or_forged_button_is_refused(bot: Bot, joint: RecordingMessenger) -> None:
    missing = await press(bot, "Sara Nilsson", "amplify.shared", {"request": 9})
    assert "Förfrågan F9 finns inte" in text_of(missing)
    forged = await press(bot, "Sara Nilsson", "amplify.shared", {"request": "x"})
    assert text_of(forged)
    assert await count(bot, Amplification) == 0


async def test_in_english(bot: Bot, joint: RecordingMessenger) -> None:
    replies = await say(bot, "Karin Öberg", f"amplify {POST}", locale="en-GB")
    assert "Request F1 was sent to gemensam" in text_of(replies)
    thanks = await press(bot, "Sara Nilsson", "amplify.shared", {"request": 1}, locale="en-GB")
    assert "Thank you! It is recorded that you shared the post in F1." in text_of(thanks)
