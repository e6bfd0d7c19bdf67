"""The real admin modal: `person ny` opens it, errors land on their fields, valid input saves."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.core.engine import Bot
from storage.models import Person
from tests.slack.conftest import ANNA, CHANNEL, ERIK, SlackDriver, sample
from tests.slack.test_interactivity import block_actions


def submitted(view: dict[str, Any], trigger: str, **values: str) -> dict[str, Any]:
    payload = dict(sample("view_submission.payload.json"))
    state: dict[str, Any] = {}
    for block in view["blocks"]:
        name = block["block_id"]
        if block["element"]["type"] == "static_select":
            chosen = {"value": values[name]} if name in values else None
            state[name] = {"value": {"type": "static_select", "selected_option": chosen}}
        else:
            state[name] = {"value": {"type": "plain_text_input", "value": values.get(name)}}
    payload.update(
        user={**payload["user"], "id": ANNA},
        trigger_id=trigger,
        view={**payload["view"], **view, "state": {"values": state}},
    )
    return payload


async def people_named(bot: Bot, name: str) -> int:
    async with bot.database.sessions() as session:
        return len((await session.scalars(select(Person).where(Person.name == name))).all())


async def test_person_add_modal_from_the_slash_command(slack: SlackDriver, bot: Bot) -> None:
    await slack.command("person ny")
    [opened] = slack.fake.called("views.open")
    view = opened.args["view"]
    assert [b["block_id"] for b in view["blocks"]] == [
        "name",
        "organisation",
        "title",
        "email",
        "phone",
    ]
    organisation = view["blocks"][1]["element"]
    assert organisation["type"] == "static_select"
    org_key = organisation["options"][0]["value"]

    bad = submitted(
        view, slack.trigger_id(), name="Lisa Ek", organisation=org_key, email="inte-en-adress"
    )
    response = await slack.interact(bad)
    answer = await response.json()
    assert answer["response_action"] == "errors"
    assert list(answer["errors"]) == ["email"]
    assert await people_named(bot, "Lisa Ek") == 0

    good = submitted(
        view, slack.trigger_id(), name="Lisa Ek", organisation=org_key, email="lisa@example.org"
    )
    response = await slack.interact(good)
    assert response.status == 200 and await response.text() == ""
    await slack.adapter.settle()
    assert await people_named(bot, "Lisa Ek") == 1
    [posted] = slack.fake.called("chat.postEphemeral")
    assert posted.args["channel"] == CHANNEL
    assert posted.args["text"] == "Lisa Ek är tillagd."

    # "Lägg till en till" opens the form again, with the button's own trigger.
    another = next(b for b in posted.args["blocks"] if b["type"] == "actions")["elements"][0]
    trigger = slack.trigger_id()
    await slack.interact(block_actions(slack, another, trigger))
    reopened = slack.fake.called("views.open")
    assert len(reopened) == 2 and reopened[1].args["trigger_id"] == trigger


async def test_person_add_is_for_admins_only(slack: SlackDriver) -> None:
    await slack.command("person add", user=ERIK)
    assert slack.fake.called("views.open") == []
    assert slack.fake.responses[0]["text"] == "Only administrators may use this command."


async def test_a_form_asked_for_in_a_mention_is_opened_with_a_button(slack: SlackDriver) -> None:
    from tests.slack.fake_slack import BOT_USER

    event = dict(sample("event_callback_app_mention.json")["event"])
    event["text"] = f"<@{BOT_USER}> person ny"
    await slack.event(event, "Ev0PERSONFORM1")
    assert slack.fake.called("views.open") == []  # an event brings no trigger
    [offered] = slack.fake.called("chat.postEphemeral")
    button = next(b for b in offered.args["blocks"] if b["type"] == "actions")["elements"][0]
    assert button["text"]["text"] == "Öppna formuläret"
    trigger = slack.trigger_id()
    await slack.interact(block_actions(slack, button, trigger))
    [opened] = slack.fake.called("views.open")
    assert opened.args["trigger_id"] == trigger
    assert opened.args["view"]["blocks"][0]["block_id"] == "name"
