"""Approving and requesting changes by writing, through the real Bolt app (issue 18).

Two equal drafts: the police signer presses the card's buttons on U1 and types the commands
for U2 in the joint channel. Both cards are updated in place in the same way, the decisions are
stored alike (platform `slack`), and the typed answers add which version they were about.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import select

from bot.core.engine import Bot
from storage.models import Approval, PostedMessage
from tests.slack.conftest import ANNA, CHANNEL, SlackDriver, slack_driver
from tests.slack.fake_slack import FakeSlack
from tests.slack.messages import blocks_of, buttons
from tests.slack.test_drafts import (
    JOINT,
    KARIN,
    SARA,
    TEXT,
    _user,
    bind_joint_channel,
    click,
    submit,
    updates,
)


@pytest.fixture
async def signers(bot: Bot, fake_slack: FakeSlack) -> AsyncIterator[SlackDriver]:
    """The Slack driver with Karin Öberg (police signer) and Sara Nilsson (no signer)."""
    fake_slack.users[KARIN] = _user(KARIN, "Karin Öberg", "karin.oberg@example.org")
    fake_slack.users[SARA] = _user(SARA, "Sara Nilsson", "sara.nilsson@example.org")
    async with slack_driver(bot, fake_slack) as driver:
        yield driver


def _same(text: str) -> str:
    """A card with its draft's id (shown, and in its buttons' values) made comparable."""
    return re.sub(r'\bU[12]\b|"draft":[12]\b', "#", text)


async def _decisions(bot: Bot, draft: int) -> list[tuple[Any, ...]]:
    async with bot.database.sessions() as session:
        rows = await session.scalars(
            select(Approval).where(Approval.draft_id == draft).order_by(Approval.id)
        )
        return [(a.version, a.person_id, a.decision, a.comment, a.platform) for a in rows]


async def _two_drafts(slack: SlackDriver) -> dict[int, str]:
    """U1 and U2 with the same text; the ts of each card in the joint channel."""
    await bind_joint_channel(slack)
    for _ in range(2):
        await slack.command(f"utkast {TEXT}", user=ANNA, channel=CHANNEL)
    posted = slack.fake.called("chat.postMessage")
    assert [p.args["channel"] for p in posted] == [JOINT, JOINT]
    async with slack.adapter.bot.database.sessions() as session:
        copies = (await session.scalars(select(PostedMessage))).all()
    return {int(c.card.split(":")[1]): c.message_id for c in copies}


async def test_typed_approve_in_slack_does_what_the_button_does(
    signers: SlackDriver, bot: Bot
) -> None:
    slack = signers
    ts = await _two_drafts(slack)
    card = blocks_of(slack.fake.called("chat.postMessage")[0].args)

    await slack.interact(click(slack, KARIN, buttons(card)["Godkänn"], ts=ts[1]))
    pressed_update = updates(slack)[-1]
    pressed_answer = slack.fake.responses[-1]["text"]

    await slack.command("godkänn U2", user=KARIN, channel=JOINT)
    typed_update = updates(slack)[-1]
    typed_answer = slack.fake.responses[-1]["text"]

    assert pressed_update["ts"] == ts[1] and typed_update["ts"] == ts[2]
    assert _same(typed_update["text"]) == _same(pressed_update["text"])
    assert "Polisen: godkänd av Karin Öberg" in typed_update["text"]
    assert _same(repr(blocks_of(typed_update))) == _same(repr(blocks_of(pressed_update)))
    assert pressed_answer == "Du har godkänt version 1 av U1 för Polisen."
    assert typed_answer == (
        "Du har godkänt version 1 av U2 för Polisen.\n"
        "Version 1 börjar: ”Välkommen på trygghetsvandring i Broby torsdag 3 december …”"
    )
    assert await _decisions(bot, 2) == await _decisions(bot, 1) != []
    assert (await _decisions(bot, 1))[0][-1] == "slack"

    # The same refusal to someone who is no signer, typed or pressed, and nothing stored.
    await slack.command("godkänn U2", user=SARA, channel=JOINT)
    typed_refusal = slack.fake.responses[-1]["text"]
    await slack.interact(click(slack, SARA, buttons(card)["Godkänn"], ts=ts[1]))
    assert slack.fake.responses[-1]["text"] == typed_refusal
    assert typed_refusal.startswith("Bara godkännare kan godkänna")
    assert len(await _decisions(bot, 2)) == 1


async def test_typed_request_changes_in_slack_does_what_the_button_and_modal_do(
    signers: SlackDriver, bot: Bot
) -> None:
    slack = signers
    ts = await _two_drafts(slack)
    card = blocks_of(slack.fake.called("chat.postMessage")[0].args)
    comment = "Skriv ut platsen: Broby torg."

    await slack.interact(click(slack, KARIN, buttons(card)["Begär ändring"], ts=ts[1]))
    view = slack.fake.called("views.open")[-1].args["view"]
    await slack.interact(submit(slack, KARIN, view, {"comment": comment}))
    await slack.adapter.settle()
    pressed_update = updates(slack)[-1]

    await slack.command(f"begär ändring U2 {comment}", user=KARIN, channel=JOINT)
    typed_update = updates(slack)[-1]
    typed_answer = slack.fake.responses[-1]["text"]

    assert pressed_update["ts"] == ts[1] and typed_update["ts"] == ts[2]
    assert _same(typed_update["text"]) == _same(pressed_update["text"])
    assert "Ändring begärd av Karin Öberg (Polisen)" in typed_update["text"]
    assert typed_answer.startswith("Du har begärt ändring i U2")
    assert "Version 1 börjar: ”Välkommen" in typed_answer
    assert await _decisions(bot, 2) == await _decisions(bot, 1)
    assert (await _decisions(bot, 2))[0][2:] == ("request_changes", comment, "slack")

    # Without a comment the typed form opens the button's modal, for the current version.
    opened = len(slack.fake.called("views.open"))
    await slack.command("begär ändring U1", user=KARIN, channel=JOINT)
    views = slack.fake.called("views.open")
    assert len(views) == opened + 1
    assert views[-1].args["view"]["title"]["text"] == "Begär ändring i U1"
