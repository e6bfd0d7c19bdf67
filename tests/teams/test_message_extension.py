"""The message action "Gemensamt utkast" on a Teams post (real botbuilder, fake connector).

fetchTask answers with the draft form as a dialog, its text taken from the post; submitAction
makes the draft through the same route as the form `utkast` opens, and its card goes to the
joint channel. A refused field shows the form again with the error; nothing is saved.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from adapters.teams.extension import DRAFT_FROM_MESSAGE
from app.cli.manifest_teams import build_package
from storage.models import Draft
from tests.teams.conftest import ADELE, ADELE_AAD, CHANNEL, MEGAN, MEGAN_AAD, Teams

POST = "<p>Välkommen på trygghetsvandring i Broby</p><p>torsdag kl. 18.00 &amp; fika</p>"
AS_TYPED = "Välkommen på trygghetsvandring i Broby\ntorsdag kl. 18.00 & fika"


def _invoke(teams: Teams, name: str, value: dict[str, Any], event: str) -> dict[str, Any]:
    activity = teams.activity("action_execute_invoke", id=event, locale="sv-SE")
    activity.update(name=name, value=value, **{"from": {"id": ADELE, "aadObjectId": ADELE_AAD}})
    activity.pop("replyToId", None)
    return activity


def _fetch(teams: Teams, event: str = "x:fetch") -> dict[str, Any]:
    value = {
        "commandId": DRAFT_FROM_MESSAGE,
        "commandContext": "message",
        "context": {"theme": "default"},
        "messagePayload": {
            "id": "1715682000000",
            "messageType": "message",
            "body": {"contentType": "html", "content": POST},
        },
    }
    return _invoke(teams, "composeExtension/fetchTask", value, event)


def _dialog_card(body: dict[str, Any]) -> dict[str, Any]:
    task = body["task"]
    assert task["type"] == "continue"
    card: dict[str, Any] = task["value"]["card"]["content"]
    return card


def _submit(teams: Teams, card: dict[str, Any], values: dict[str, Any], event: str) -> Any:
    [send] = [a for a in card["actions"] if a["type"] == "Action.Submit"]
    value = {
        "commandId": DRAFT_FROM_MESSAGE,
        "commandContext": "message",
        "data": {**send["data"], **values},
    }
    return _invoke(teams, "composeExtension/submitAction", value, event)


async def _drafts(teams: Teams) -> int:
    async with teams.bot.database.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(Draft)) or 0)


async def test_the_action_opens_the_draft_form_with_the_posts_text(teams: Teams) -> None:
    status, body = await teams.post(_fetch(teams))

    assert status == 200
    card = _dialog_card(body)
    assert body["task"]["value"]["title"] == "Nytt gemensamt budskap"
    [text] = [e for e in card["body"] if e.get("id") == "text"]
    assert text["value"] == AS_TYPED  # the post as its writer typed it, markup gone
    assert [a["type"] for a in card["actions"]] == ["Action.Submit"]  # how a dialog submits


async def test_sending_the_dialog_makes_the_draft_as_utkast_does(teams: Teams) -> None:
    await teams.post(
        teams.message(
            "kanal gemensam", id="m1", **{"from": {"id": MEGAN, "aadObjectId": MEGAN_AAD}}
        )
    )
    _, opened = await teams.post(_fetch(teams))
    card = _dialog_card(opened)

    # An empty text is refused beside the field; nothing is saved.
    status, refused = await teams.post(_submit(teams, card, {"text": " "}, "x:s1"))
    assert status == 200 and await _drafts(teams) == 0
    again = _dialog_card(refused)["body"]
    at = next(i for i, e in enumerate(again) if e.get("id") == "text")
    assert again[at + 1]["color"] == "Attention"  # the error, right below the field

    status, done = await teams.post(
        _submit(teams, card, {"text": AS_TYPED, "targets": "facebook"}, "x:s2")
    )
    assert status == 200 and done["task"]["type"] == "message"
    assert "U1" in done["task"]["value"]
    assert await _drafts(teams) == 1
    posted = [c for c in teams.connector.of("send") if c.conversation == CHANNEL]
    assert posted and "trygghetsvandring i Broby" in posted[-1].text


def test_the_app_manifest_offers_the_action_on_posts() -> None:
    import json

    files = build_package("00000000-0000-4000-8000-000000000001", "https://bot.example.org")
    manifest = json.loads(files["manifest.json"])
    english = json.loads(files["en.json"])
    [command] = manifest["composeExtensions"][0]["commands"]
    assert (command["id"], command["type"], command["context"]) == (
        DRAFT_FROM_MESSAGE,
        "action",
        ["message"],
    )
    assert command["fetchTask"] is True and command["title"] == "Gemensamt utkast"
    assert english["composeExtensions[0].commands[0].title"] == "Joint draft"
