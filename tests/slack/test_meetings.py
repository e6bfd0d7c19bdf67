"""Forum meetings and attendance end to end from Slack, through the real Bolt app and fake API.

An admin binds the Brå channel, the secretary schedules with the slash command (or the modal),
the card is posted there, RSVP and attendance clicks update it in place with chat.update, a
keeper registers several people with the multi-user picker, and need-to-know meetings never
reach a general channel or an outsider's list.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from adapters.slack.modals import _with_emails
from adapters.slack.translate import SlackUser
from bot.common.clock import FixedClock
from bot.core.engine import Bot
from bot.core.request import ButtonPress, ChannelRef, PlatformUser, Request
from storage.models import Attendance, Identity, Meeting, PostedMessage, Rsvp
from tests.slack.conftest import ANNA, CHANNEL, ERIK, NOBODY, SlackDriver, sample, slack_driver
from tests.slack.fake_slack import TEAM, FakeSlack
from tests.slack.limits import block_kit_problems
from tests.slack.messages import blocks_of, button_click, buttons

BRA = "C0BRAKANAL1"
AVHOPP = "C0AVHOPP001"  # a private channel for the exit programme
KARIN = "U0KARIN0001"  # Karin Öberg, police
SARA = "U0SARA00001"  # Sara Nilsson, municipality
AHMED = "U0AHMED0001"  # Ahmed Karimi, police
LINNEA = "U0LINNEA001"  # Linnea Sjöberg, police
MARIA = "U0MARIA0001"  # Maria Ek, municipality, works with the exit programme

PEOPLE = {
    KARIN: ("Karin Öberg", "karin.oberg@example.org"),
    SARA: ("Sara Nilsson", "sara.nilsson@example.org"),
    AHMED: ("Ahmed Karimi", "ahmed.karimi@example.org"),
    LINNEA: ("Linnea Sjöberg", "linnea.sjoberg@example.org"),
    MARIA: ("Maria Ek", "maria.ek@example.org"),
}
FIRST_TS = "1764147600.000001"  # the fake's ts for the first message posted
WHEN = "torsdag 3 december 2026 kl. 09.00"


@pytest.fixture
async def slack(bot: Bot, fake_slack: FakeSlack) -> AsyncIterator[SlackDriver]:
    for user_id, (name, email) in PEOPLE.items():
        fake_slack.users[user_id] = {
            "id": user_id,
            "team_id": TEAM,
            "name": name.split()[0].lower(),
            "locale": "sv-SE",
            "profile": {"email": email, "real_name": name},
        }
    async with slack_driver(bot, fake_slack) as driver:
        yield driver


# --- helpers ----------------------------------------------------------------------------


def everything(args: dict[str, Any]) -> str:
    """The message as one string: fallback text and every block, to look for what it shows."""
    return args["text"] + json.dumps(blocks_of(args), ensure_ascii=False)


def click(
    slack: SlackDriver, user: str, element: dict[str, Any], ts: str, trigger: str | None = None
) -> dict[str, Any]:
    """A click on a button of a message in the Brå channel."""
    return button_click(
        slack, user, element, channel=BRA, channel_name="bra", ts=ts, trigger=trigger
    )


def submission(
    slack: SlackDriver, user: str, view: dict[str, Any], values: dict[str, Any]
) -> dict[str, Any]:
    """A view_submission with each input's state in the shape of its element type."""
    state: dict[str, Any] = {}
    for block in view["blocks"]:
        name, kind = block["block_id"], block["element"]["type"]
        value = values.get(name)
        if kind == "multi_users_select":
            element: dict[str, Any] = {"type": kind, "selected_users": value or []}
        elif kind == "static_select":
            element = {"type": kind, "selected_option": {"value": value} if value else None}
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


def updates(slack: SlackDriver) -> list[dict[str, Any]]:
    return [call.args for call in slack.fake.called("chat.update")]


def answer(slack: SlackDriver, user: str) -> dict[str, Any]:
    """The latest answer to a user's click, sent through the click's response_url."""
    answers = [r for r in slack.fake.responses if r["_url"] == user.lower()]
    assert answers, f"no answer to {user}"
    return answers[-1]


def ephemeral(slack: SlackDriver, user: str) -> str:
    """The latest only-to-you message posted with chat.postEphemeral (after a modal)."""
    posted = [c for c in slack.fake.called("chat.postEphemeral") if c.args["user"] == user]
    assert posted, f"no ephemeral message to {user}"
    return str(posted[-1].args["text"])


async def count(bot: Bot, model: type[Meeting] | type[Attendance] | type[Rsvp]) -> int:
    async with bot.database.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def attendees(bot: Bot) -> list[str]:
    async with bot.database.sessions() as session:
        rows = (await session.scalars(select(Attendance))).all()
        return sorted(row.person.name for row in rows)


async def schedule_bra(slack: SlackDriver) -> tuple[str, dict[str, dict[str, Any]]]:
    """Bind the Brå channel and schedule M1 there; the posted card's ts and buttons."""
    await slack.command("kanal forum brå", user=ANNA, channel=BRA)
    assert "Brå" in slack.fake.responses[-1]["text"]
    await slack.command("möte brå 3/12 9.00 plats: Kommunhuset", user=ANNA, channel=CHANNEL)
    [posted] = slack.fake.called("chat.postMessage")
    assert posted.args["channel"] == BRA
    return FIRST_TS, buttons(blocks_of(posted.args))


def advance_to_meeting(bot: Bot) -> None:
    """To 08.45 local on 3 December: the attendance window opened a quarter of an hour ago."""
    assert isinstance(bot.clock, FixedClock)
    bot.clock.advance(timedelta(days=7) - timedelta(minutes=75))


# --- the story --------------------------------------------------------------------------


async def test_rsvp_and_attendance_clicks_update_the_card_in_place(
    slack: SlackDriver, bot: Bot
) -> None:
    ts, on_card = await schedule_bra(slack)
    scheduled = slack.fake.responses[-1]
    assert scheduled["response_type"] == "ephemeral"
    assert (
        f"Mötet M1 i Lokala Brottsförebyggande rådet (Brå) är planerat: {WHEN}."
        in (scheduled["text"])
    )
    [posted] = slack.fake.called("chat.postMessage")
    card = everything(posted.args)
    assert WHEN in card and "Kommunhuset" in card and "Möte M1" in card
    assert block_kit_problems(posted.args) == []
    assert list(on_card) == ["Jag kommer", "Kan inte", "Registrera närvaro", "Registrera flera"]
    async with bot.database.sessions() as session:
        [copy] = (await session.scalars(select(PostedMessage))).all()
    assert copy.message_id == ts

    # "Jag kommer": the card in the channel is updated for everyone, the answer to Karin alone.
    trigger = slack.trigger_id()
    await slack.interact(click(slack, KARIN, on_card["Jag kommer"], ts, trigger))
    [first] = updates(slack)
    assert first["channel"] == BRA and first["ts"] == ts
    assert "Kommer: 1. Kan inte: 0." in everything(first)
    reply = answer(slack, KARIN)
    assert reply["response_type"] == "ephemeral" and not reply.get("replace_original")
    assert reply["text"].startswith(f"Noterat: du kommer till M1 ({WHEN}).")
    # Slack delivers the same click again: no second effect, no second answer.
    answers = len(slack.fake.responses)
    await slack.interact(click(slack, KARIN, on_card["Jag kommer"], ts, trigger))
    assert len(updates(slack)) == 1 and len(slack.fake.responses) == answers

    await slack.interact(click(slack, SARA, on_card["Kan inte"], ts))
    assert "Kommer: 1. Kan inte: 1." in everything(updates(slack)[-1])
    assert await count(bot, Rsvp) == 2
    assert await count(bot, Attendance) == 0  # an RSVP is not attendance

    # Too early: refused to Karin, nothing written, the card unchanged.
    await slack.interact(click(slack, KARIN, on_card["Registrera närvaro"], ts))
    assert "kan registreras från torsdag 3 december 2026 kl. 08.30" in answer(slack, KARIN)["text"]
    assert len(updates(slack)) == 2 and await count(bot, Attendance) == 0

    # At the meeting: Karin is registered once, however often she clicks or Slack retries.
    advance_to_meeting(bot)
    trigger = slack.trigger_id()
    await slack.interact(click(slack, KARIN, on_card["Registrera närvaro"], ts, trigger))
    assert (
        answer(slack, KARIN)["text"]
        == "Närvaro registrerad på M1: Karin Öberg (ej medlem i forumet – räknas för Polisen)."
    )
    latest = everything(updates(slack)[-1])
    assert "Närvarande från Polisen" in latest and "Karin Öberg" in latest
    assert "Kommer: 1. Kan inte: 1." in latest
    answers, changes = len(slack.fake.responses), len(updates(slack))
    await slack.interact(click(slack, KARIN, on_card["Registrera närvaro"], ts, trigger))
    assert len(slack.fake.responses) == answers and len(updates(slack)) == changes
    await slack.interact(click(slack, KARIN, on_card["Registrera närvaro"], ts))
    assert (
        answer(slack, KARIN)["text"]
        == "Redan registrerad på M1: Karin Öberg (ej medlem i forumet – räknas för Polisen)."
    )
    assert await attendees(bot) == ["Karin Öberg"]


async def test_keeper_registers_several_with_the_picker_and_by_mention(
    slack: SlackDriver, bot: Bot
) -> None:
    ts, on_card = await schedule_bra(slack)
    advance_to_meeting(bot)
    for user in (SARA, KARIN, AHMED):  # their first contact links them by e-mail
        await slack.command("möten", user=user, channel=CHANNEL)

    # Only the forum's chair or secretary (or an admin) gets the picker.
    await slack.interact(click(slack, SARA, on_card["Registrera flera"], ts))
    assert answer(slack, SARA)["text"].startswith("Bara ordförande eller sekreterare")
    assert slack.fake.called("views.open") == []

    await slack.interact(click(slack, ANNA, on_card["Registrera flera"], ts))
    [opened] = slack.fake.called("views.open")
    view: dict[str, Any] = opened.args["view"]
    assert view["title"]["text"] == "Registrera närvaro"
    [block] = view["blocks"]
    assert block["block_id"] == "people" and block["element"]["type"] == "multi_users_select"

    # A user the bot cannot identify is named on the field, and nothing is saved.
    response = await slack.interact(
        submission(slack, ANNA, view, {"people": [SARA, NOBODY, LINNEA]})
    )
    errors = (await response.json())["errors"]
    assert list(errors) == ["people"]
    assert "vet inte vem de här är: Okänd Person (U0NOBODY001)." in errors["people"]
    assert "Linnea" not in errors["people"] and "Inget har sparats" in errors["people"]
    assert await count(bot, Attendance) == 0 and updates(slack) == []

    # Linnea never wrote to the bot: Slack vouches for her e-mail, so the picker links her.
    response = await slack.interact(
        submission(slack, ANNA, view, {"people": [SARA, LINNEA, KARIN]})
    )
    assert await response.text() == ""  # the modal closes
    await slack.adapter.settle()
    assert ephemeral(slack, ANNA) == (
        "Närvaro registrerad på M1: Sara Nilsson (ej medlem i forumet – räknas för Kommunen), "
        "Linnea Sjöberg (ej medlem i forumet – räknas för Polisen), "
        "Karin Öberg (ej medlem i forumet – räknas för Polisen)."
    )
    card = everything(updates(slack)[-1])
    assert "Närvarande från Kommunen" in card and "Sara Nilsson" in card
    assert "Närvarande från Polisen" in card and "Linnea Sjöberg" in card
    async with bot.database.sessions() as session:
        linked = await session.scalar(select(Identity).where(Identity.user_id == LINNEA))
        assert linked is not None and linked.linked_by == "email" and linked.workspace == TEAM

    # Mentions in the slash command, in both of Slack's forms.
    await slack.command(f"närvaro M1 <@{AHMED}|ahmed> <@{KARIN}>", user=ANNA, channel=CHANNEL)
    mentioned = slack.fake.responses[-1]["text"]
    assert "Närvaro registrerad på M1: Ahmed Karimi (Polisen)." in mentioned
    assert (
        "Redan registrerad på M1: Karin Öberg (ej medlem i forumet – räknas för Polisen)."
        in mentioned
    )
    assert await attendees(bot) == ["Ahmed Karimi", "Karin Öberg", "Linnea Sjöberg", "Sara Nilsson"]

    # After the meeting, representation counts what was registered.
    assert isinstance(bot.clock, FixedClock)
    bot.clock.advance(timedelta(hours=3))
    await slack.command("representation brå", user=ANNA, channel=CHANNEL)
    figures = slack.fake.responses[-1]["text"]
    assert "Kommunen var representerad vid 1 av 1 möten i" in figures
    assert "Polisen var representerad vid 1 av 1 möten i" in figures


async def test_need_to_know_meeting_reaches_no_general_channel_or_outsider(
    slack: SlackDriver, bot: Bot
) -> None:
    await slack.command("kanal forum brå", user=ANNA, channel=BRA)
    await slack.command("kanal gemensam", user=ANNA, channel=CHANNEL)
    await slack.command("möte avhopp 4/12 13.00 plats: Kommunhuset", user=MARIA, channel=BRA)
    scheduled = slack.fake.responses[-1]
    assert scheduled["response_type"] == "ephemeral"
    assert "M1" in scheduled["text"] and "inte publicerat någonstans" in scheduled["text"]
    assert slack.fake.called("chat.postMessage") == []
    assert await count(bot, Meeting) == 1

    await slack.command("möten", user=MARIA, channel=CHANNEL)
    assert "M1" in slack.fake.responses[-1]["text"]
    for outsider in (SARA, KARIN):
        await slack.command("möten", user=outsider, channel=CHANNEL)
        listed = slack.fake.responses[-1]["text"]
        assert "M1" not in listed and "Avhopp" not in listed and "Kommunhuset" not in listed
    await slack.command("närvaro M1", user=SARA, channel=CHANNEL)
    assert slack.fake.responses[-1]["text"].startswith("Jag hittar inget möte M1")

    # The forum's own bound channel is the one place its card may go.
    await slack.command("kanal forum avhopp", user=ANNA, channel=AVHOPP)
    await slack.command("möte avhopp 11/12 13.00", user=MARIA, channel=CHANNEL)
    [posted] = slack.fake.called("chat.postMessage")
    assert posted.args["channel"] == AVHOPP and "Möte M2" in everything(posted.args)


async def test_scheduling_modal_shows_errors_on_the_field_and_saves_nothing(
    slack: SlackDriver, bot: Bot
) -> None:
    await slack.command("kanal forum brå", user=ANNA, channel=BRA)
    await slack.command("möte", user=ANNA, channel=CHANNEL)
    [opened] = slack.fake.called("views.open")
    view: dict[str, Any] = opened.args["view"]
    assert [b["block_id"] for b in view["blocks"]] == ["forum", "when", "place"]
    assert "bra" in [o["value"] for o in view["blocks"][0]["element"]["options"]]

    async def refused(when: str) -> str:
        values = {"forum": "bra", "when": when, "place": "Kommunhuset"}
        response = await slack.interact(submission(slack, ANNA, view, values))
        body = await response.json()
        assert body["response_action"] == "errors" and list(body["errors"]) == ["when"]
        return str(body["errors"]["when"])

    assert "finns inte" in await refused("2027-03-28 02:30")  # the spring gap
    assert "inträffar två gånger" in await refused("2027-10-31 02:30")  # the autumn overlap
    assert "har redan varit" in await refused("2026-11-01 09:00")
    assert await count(bot, Meeting) == 0
    assert slack.fake.called("chat.postMessage") == []

    values = {"forum": "bra", "when": "3/12 9.00", "place": "Kommunhuset"}
    response = await slack.interact(submission(slack, ANNA, view, values))
    assert await response.text() == ""
    await slack.adapter.settle()
    assert await count(bot, Meeting) == 1
    assert f"planerat: {WHEN}" in ephemeral(slack, ANNA)
    [posted] = slack.fake.called("chat.postMessage")
    assert posted.args["channel"] == BRA and WHEN in everything(posted.args)


async def test_english_for_a_user_whose_slack_locale_is_en_us(slack: SlackDriver, bot: Bot) -> None:
    ts, on_card = await schedule_bra(slack)
    await slack.interact(click(slack, ERIK, on_card["Jag kommer"], ts))
    assert answer(slack, ERIK)["text"].startswith(
        "Noted: you are coming to M1 (Thursday 3 December 2026"
    )
    assert "Kommer: 1. Kan inte: 0." in everything(updates(slack)[-1])  # the channel's card
    await slack.command("meetings", user=ERIK, channel=CHANNEL)
    listed = slack.fake.responses[-1]["text"]
    assert listed.startswith("Upcoming meetings") and "M1" in listed
    await slack.command("meeting", user=ERIK, channel=CHANNEL)
    [opened] = slack.fake.called("views.open")
    assert opened.args["view"]["title"]["text"] == "Schedule a meeting"[:24]


def test_picker_emails_only_for_the_submitters_own_workspace() -> None:
    """A Slack Connect guest is resolved in their own team, so their e-mail is not sent."""
    request = Request(
        user=PlatformUser("slack", ANNA, TEAM),
        channel=ChannelRef("slack", BRA, TEAM),
        press=ButtonPress("attendance.many", {"meeting": 1, "people": [SARA, KARIN]}),
    )
    known = {
        SARA: SlackUser(SARA, TEAM, email="sara.nilsson@example.org"),
        KARIN: SlackUser(KARIN, "T0POLISEN1", email="karin.oberg@example.org"),
    }
    changed = _with_emails(request, {"people": [SARA, KARIN]}, known)
    assert changed.press is not None
    assert changed.press.payload["people_emails"] == {SARA: "sara.nilsson@example.org"}
    assert changed.press.payload["people"] == [SARA, KARIN]
