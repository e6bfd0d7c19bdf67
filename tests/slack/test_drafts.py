"""Joint communications end to end from Slack, through the real Bolt app and the fake Web API.

An admin binds the joint channel, an author drafts, signers of each party approve on the card
in the channel (updated in place with chat.update for everyone), refusals and confirmations go
only to the clicker, and the draft form opens as a modal whose payload survives the round trip.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.core.engine import Bot
from storage.models import Approval, Draft
from tests.slack.conftest import ANNA, CHANNEL, ERIK, SlackDriver, sample, slack_driver
from tests.slack.fake_slack import TEAM, FakeSlack
from tests.slack.limits import block_kit_problems
from tests.slack.messages import blocks_of, button_click, buttons, mrkdwn_texts

JOINT = "C0GEMENSAM1"
KARIN = "U0KARIN0001"  # Karin Öberg, signer for the police
SARA = "U0SARA00001"  # Sara Nilsson, municipality staff, not a signer

TEXT = "Välkommen på trygghetsvandring i Broby torsdag 3 december kl. 18.00 <!channel>"


def _user(user_id: str, name: str, email: str) -> dict[str, Any]:
    return {
        "id": user_id,
        "team_id": TEAM,
        "name": name.split()[0].lower(),
        "locale": "sv-SE",
        "profile": {"email": email, "real_name": name},
    }


@pytest.fixture
async def slack(bot: Bot, fake_slack: FakeSlack) -> AsyncIterator[SlackDriver]:
    fake_slack.users[KARIN] = _user(KARIN, "Karin Öberg", "karin.oberg@example.org")
    fake_slack.users[SARA] = _user(SARA, "Sara Nilsson", "sara.nilsson@example.org")
    async with slack_driver(bot, fake_slack) as driver:
        yield driver


# --- helpers ----------------------------------------------------------------------------


def click(
    slack: SlackDriver,
    user: str,
    element: dict[str, Any],
    *,
    channel: str = JOINT,
    ts: str = "",
    trigger: str | None = None,
    ephemeral: bool = False,
) -> dict[str, Any]:
    """A click on a button of a message in the joint channel (unless told otherwise)."""
    return button_click(
        slack,
        user,
        element,
        channel=channel,
        channel_name="gemensam",
        ts=ts,
        trigger=trigger,
        ephemeral=ephemeral,
    )


def submit(
    slack: SlackDriver, user: str, view: dict[str, Any], values: dict[str, Any]
) -> dict[str, Any]:
    """A view_submission with each input's state in the shape of its element type."""
    state: dict[str, Any] = {}
    for block in view["blocks"]:
        name, kind = block["block_id"], block["element"]["type"]
        value = values.get(name)
        if kind in ("checkboxes", "multi_static_select"):
            chosen = [o for o in block["element"]["options"] if o["value"] in (value or [])]
            element: dict[str, Any] = {"type": kind, "selected_options": chosen}
        elif kind == "datetimepicker":
            element = {"type": kind, "selected_date_time": value}
        else:
            element = {"type": kind, "value": value}
        state[name] = {"value": element}
    payload = dict(sample("view_submission.payload.json"))
    payload.update(
        user={**payload["user"], "id": user},
        trigger_id=slack.trigger_id(),
        view={**payload["view"], **view, "state": {"values": state}},
    )
    return payload


async def bind_joint_channel(slack: SlackDriver) -> None:
    await slack.command("kanal gemensam", user=ANNA, channel=JOINT)
    assert "gemensam" in slack.fake.responses[-1]["text"].lower()


async def count(bot: Bot, model: type[Draft] | type[Approval]) -> int:
    async with bot.database.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


def updates(slack: SlackDriver) -> list[dict[str, Any]]:
    return [call.args for call in slack.fake.called("chat.update")]


# --- the story --------------------------------------------------------------------------


async def test_a_draft_is_approved_by_both_parties_on_the_card_in_the_joint_channel(
    slack: SlackDriver, bot: Bot
) -> None:
    await bind_joint_channel(slack)

    # The author drafts from another channel; the card goes to the joint channel.
    await slack.command(f"utkast {TEXT}", user=ANNA, channel=CHANNEL)
    created = slack.fake.responses[-1]
    assert created["response_type"] == "ephemeral"
    assert created["text"].startswith("Utkast U1 är sparat")
    [posted] = slack.fake.called("chat.postMessage")
    assert posted.args["channel"] == JOINT
    card = blocks_of(posted.args)
    everything = json.dumps(card, ensure_ascii=False) + posted.args["text"]
    assert "<!channel>" not in everything and "&lt;!channel&gt;" in everything
    assert "Kommunen: väntar" in everything and "Polisen: väntar" in everything
    on_card = buttons(card)
    assert list(on_card) == ["Godkänn", "Begär ändring", "Redigera", "Dra tillbaka"]
    ts = "1764147600.000001"  # the fake's first message ts
    async with bot.database.sessions() as session:
        from storage.models import PostedMessage

        [copy] = (await session.scalars(select(PostedMessage))).all()
    assert copy.message_id == ts

    # The police signer approves: the card is updated in place for everyone.
    await slack.interact(click(slack, KARIN, on_card["Godkänn"], ts=ts))
    [first] = updates(slack)
    assert first["channel"] == JOINT and first["ts"] == ts
    assert "Polisen: godkänd av Karin Öberg 10.00" in first["text"]
    assert "Kommunen: väntar" in first["text"]
    answer = slack.fake.responses[-1]
    assert answer["_url"] == KARIN.lower() and answer["response_type"] == "ephemeral"
    assert answer["text"] == "Du har godkänt version 1 av U1 för Polisen."
    assert not answer.get("replace_original")  # the card itself is untouched by the answer

    # A non-signer's click is refused to them alone, and the card does not change.
    await slack.interact(click(slack, SARA, on_card["Godkänn"], ts=ts))
    refusal = slack.fake.responses[-1]
    assert refusal["_url"] == SARA.lower() and refusal["response_type"] == "ephemeral"
    assert refusal["text"].startswith("Bara godkännare kan godkänna")
    assert len(updates(slack)) == 1
    assert await count(bot, Approval) == 1

    # The municipality signer approves: approved by both parties, announced once.
    trigger = slack.trigger_id()
    await slack.interact(click(slack, ERIK, on_card["Godkänn"], ts=ts, trigger=trigger))
    second = updates(slack)[-1]
    assert second["ts"] == ts
    assert "godkänd av båda parter" in second["text"]
    assert "Kommunen: godkänd av Erik Holm 10.00" in second["text"]
    assert buttons(blocks_of(second)) == {}  # an approved draft takes no more decisions
    assert "&lt;!channel&gt;" in second["text"] and "<!channel>" not in json.dumps(second)
    done = slack.fake.responses[-1]
    assert done["response_type"] == "ephemeral" and "approved by both parties" in done["text"]
    posts = slack.fake.called("chat.postMessage")
    assert [p.args["channel"] for p in posts] == [JOINT, JOINT]
    assert "är godkänd av båda parter" in posts[-1].args["text"]

    # Slack retries the same click: no second decision, update, answer or announcement.
    seen = (len(updates(slack)), len(slack.fake.responses), len(posts))
    await slack.interact(click(slack, ERIK, on_card["Godkänn"], ts=ts, trigger=trigger))
    posts_after = slack.fake.called("chat.postMessage")
    assert (len(updates(slack)), len(slack.fake.responses), len(posts_after)) == seen
    assert await count(bot, Approval) == 2


async def test_the_draft_form_opens_as_a_modal_shows_errors_and_posts_the_card(
    slack: SlackDriver, bot: Bot
) -> None:
    await bind_joint_channel(slack)
    await slack.command("utkast", user=ANNA, channel=CHANNEL)
    listing = slack.fake.responses[-1]
    assert listing["response_type"] == "ephemeral"
    new = buttons(listing["blocks"])["Nytt utkast"]
    await slack.interact(click(slack, ANNA, new, channel=CHANNEL, ephemeral=True))
    [opened] = slack.fake.called("views.open")
    view = opened.args["view"]
    assert view["title"]["text"] == "Nytt gemensamt budskap"
    # The text (up to 5,000 characters) in two inputs of Slack's 3,000 each.
    blocks = [b["block_id"] for b in view["blocks"]]
    assert blocks == ["title", "text", "text__part2", "targets", "planned_at"]
    targets = view["blocks"][3]["element"]
    assert targets["type"] == "checkboxes"
    assert [o["value"] for o in targets["options"]] == [
        "facebook",
        "instagram",
        "x",
        "press",
        "web",
        "other",
    ]
    assert [o["value"] for o in targets["initial_options"]] == ["facebook", "instagram"]
    assert view["blocks"][4]["element"]["type"] == "datetimepicker"

    # A publication time in the past: the error is shown on that field, nothing is saved.
    yesterday = int(datetime(2026, 11, 25, 12, 0, tzinfo=UTC).timestamp())
    values = {"title": "Trygghetsvandring", "text": TEXT, "targets": ["x", "web"]}
    response = await slack.interact(submit(slack, ANNA, view, {**values, "planned_at": yesterday}))
    answer = await response.json()
    assert answer["response_action"] == "errors"
    assert list(answer["errors"]) == ["planned_at"]
    assert await count(bot, Draft) == 0
    assert slack.fake.called("chat.postMessage") == []

    # Valid: the modal closes, the card with the chosen targets goes to the joint channel.
    later = int(datetime(2026, 11, 30, 17, 0, tzinfo=UTC).timestamp())
    response = await slack.interact(submit(slack, ANNA, view, {**values, "planned_at": later}))
    assert response.status == 200 and await response.text() == ""
    await slack.adapter.settle()
    [posted] = slack.fake.called("chat.postMessage")
    assert posted.args["channel"] == JOINT
    text = posted.args["text"]
    assert "Utkast U1: Trygghetsvandring" in text
    assert "X:" in text and "Webbplats:" in text and "Facebook" not in text
    assert "30 nov" in text and "18.00" in text  # planned time shown in Stockholm time
    [saved] = slack.fake.called("chat.postEphemeral")
    assert saved.args["channel"] == CHANNEL and saved.args["user"] == ANNA
    assert saved.args["text"].startswith("Utkast U1 är sparat")


async def test_change_request_edit_and_withdraw_through_modals_and_buttons(
    slack: SlackDriver, bot: Bot
) -> None:
    await bind_joint_channel(slack)
    await slack.command(f"utkast {TEXT}", user=ANNA, channel=CHANNEL)
    [posted] = slack.fake.called("chat.postMessage")
    ts = "1764147600.000001"

    # Begär ändring: the core asks for a comment, the modal keeps which draft and version.
    change = buttons(blocks_of(posted.args))["Begär ändring"]
    await slack.interact(click(slack, KARIN, change, ts=ts))
    [opened] = slack.fake.called("views.open")
    view = opened.args["view"]
    assert view["title"]["text"] == "Begär ändring i U1"
    assert json.loads(view["private_metadata"])["payload"] == {"draft": 1, "version": 1}
    comment = "Skriv tiden tydligare <@U0999ZZZZZZ>"
    response = await slack.interact(submit(slack, KARIN, view, {"comment": comment}))
    assert response.status == 200 and await response.text() == ""
    await slack.adapter.settle()
    [changed] = updates(slack)
    assert changed["ts"] == ts and changed["channel"] == JOINT
    assert "Ändring begärd av Karin Öberg (Polisen)" in changed["text"]
    assert "&lt;@U0999ZZZZZZ&gt;" in changed["text"]
    assert "<@U0999ZZZZZZ>" not in json.dumps(changed)
    assert list(buttons(blocks_of(changed))) == ["Redigera", "Dra tillbaka"]
    [told] = slack.fake.called("chat.postEphemeral")
    assert told.args["user"] == KARIN and told.args["channel"] == JOINT
    assert told.args["text"].startswith("Du har begärt ändring i U1")

    # Redigera: the form comes filled in (text and targets), and saves a new version.
    edit = buttons(blocks_of(changed))["Redigera"]
    await slack.interact(click(slack, ANNA, edit, ts=ts))
    view = slack.fake.called("views.open")[-1].args["view"]
    assert json.loads(view["private_metadata"])["payload"] == {"draft": 1, "version": 1}
    fields = {b["block_id"]: b["element"] for b in view["blocks"]}
    assert fields["text"]["initial_value"] == TEXT
    assert [o["value"] for o in fields["targets"]["initial_options"]] == [
        "facebook",
        "instagram",
    ]
    new_text = "Välkommen på trygghetsvandring i Broby torsdag 3 december klockan 18.00."
    response = await slack.interact(
        submit(slack, ANNA, view, {"text": new_text, "targets": ["facebook"]})
    )
    assert await response.text() == ""
    await slack.adapter.settle()
    edited = updates(slack)[-1]
    assert edited["ts"] == ts
    assert new_text in edited["text"] and "Instagram" not in edited["text"]
    assert "U1 · version 2" in edited["text"]
    assert list(buttons(blocks_of(edited))) == [
        "Godkänn",
        "Begär ändring",
        "Redigera",
        "Dra tillbaka",
    ]

    # Dra tillbaka: refused to someone else, done by the author; the card says so.
    withdraw = buttons(blocks_of(edited))["Dra tillbaka"]
    await slack.interact(click(slack, SARA, withdraw, ts=ts))
    assert slack.fake.responses[-1]["text"].startswith("Bara författaren (Anna Lindqvist)")
    assert len(updates(slack)) == 2
    await slack.interact(click(slack, ANNA, withdraw, ts=ts))
    gone = updates(slack)[-1]
    assert "Tillbakadraget av Anna Lindqvist" in gone["text"]
    assert buttons(blocks_of(gone)) == {}
    assert len(slack.fake.called("chat.postMessage")) == 1  # always the same card, updated


async def test_a_held_draft_is_sent_after_skicka_anda(slack: SlackDriver, bot: Bot) -> None:
    await bind_joint_channel(slack)
    await slack.command("utkast Ring Tolvan på 121212-1212 om vandringen", user=ANNA)
    warning = slack.fake.responses[-1]
    assert warning["response_type"] == "ephemeral"
    assert warning["text"].startswith("Utkast U1 är pausat")
    assert slack.fake.called("chat.postMessage") == []  # nothing in the channel yet
    anyway = buttons(warning["blocks"])["Skicka ändå"]
    await slack.interact(click(slack, ANNA, anyway, channel=CHANNEL, ephemeral=True))
    [posted] = slack.fake.called("chat.postMessage")
    assert posted.args["channel"] == JOINT
    assert "121212-1212" in posted.args["text"]
    assert slack.fake.responses[-1]["text"].startswith("Du har bekräftat U1")


async def test_a_draft_of_the_longest_allowed_text_stays_one_message_within_limits(
    slack: SlackDriver, bot: Bot
) -> None:
    await bind_joint_channel(slack)
    paragraph = "Trygghetsvandring i Broby & <Knislinge> med kommunen och polisen. " * 15
    body = ("\n\n".join([paragraph] * 6))[:4990] + " SLUTORD"
    assert len(body) <= 5000
    await slack.command(f"utkast {body}", user=ANNA, channel=CHANNEL)
    [posted] = slack.fake.called("chat.postMessage")
    ts = "1764147600.000001"
    approve = buttons(blocks_of(posted.args))["Godkänn"]
    await slack.interact(click(slack, KARIN, approve, ts=ts))
    await slack.interact(click(slack, ERIK, approve, ts=ts))
    approved = updates(slack)[-1]
    assert "godkänd av båda parter" in approved["text"]
    for args in (posted.args, approved):
        assert block_kit_problems(args) == []
        blocks = blocks_of(args)
        assert len(blocks) <= 50 and blocks[0]["type"] == "header"
        shown = json.dumps(blocks, ensure_ascii=False)
        assert "SLUTORD" in shown and "&lt;Knislinge&gt;" in shown
        assert blocks[0]["text"]["type"] == "plain_text"  # shown as typed, never parsed
        assert all("<" not in text for text in mrkdwn_texts(blocks))
    # The approved card shows the text and a copy-ready version of it, both whole.
    assert json.dumps(blocks_of(approved), ensure_ascii=False).count("SLUTORD") == 2
    assert len(slack.fake.called("chat.postMessage")) == 2  # the card and one announcement
