"""Start a joint message from where the text is: Slack's message and global shortcuts open
the draft form (pre-filled with the message), and sending it creates the draft as `utkast`
does (real Bolt, fake Slack on 127.0.0.1)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from adapters.slack.manifest import DRAFT_FROM_MESSAGE, NEW_DRAFT
from bot.core.engine import Bot
from storage.models import Draft
from tests.slack.conftest import ANNA, CHANNEL, SlackDriver
from tests.slack.fake_slack import TEAM
from tests.slack.test_drafts import JOINT, bind_joint_channel, submit

WORDS = "Välkommen på trygghetsvandring i Broby torsdag kl. 18.00 &amp; fika"


def shortcut(slack: SlackDriver, kind: str, callback: str, **extra: Any) -> dict[str, Any]:
    """A shortcut payload in Slack's format (`message_action` or `shortcut`)."""
    return {
        "type": kind,
        "callback_id": callback,
        "trigger_id": slack.trigger_id(),
        "action_ts": "1764147700.000100",
        "team": {"id": TEAM, "domain": "ostragoinge"},
        "user": {"id": ANNA, "username": "anna.svensson", "team_id": TEAM},
        "token": "Jhj5dZrVaK7ZwHHjRyZWjbDl",
        "is_enterprise_install": False,
        **extra,
    }


def text_of(view: dict[str, Any]) -> str:
    [block] = [b for b in view["blocks"] if b["block_id"] == "text"]
    return str(block["element"].get("initial_value", ""))


async def test_the_message_shortcut_opens_the_form_with_the_message_text(
    slack: SlackDriver, bot: Bot
) -> None:
    await bind_joint_channel(slack)
    message = {"type": "message", "user": "U0ERIK", "ts": "1764147600.000100", "text": WORDS}
    payload = shortcut(
        slack,
        "message_action",
        DRAFT_FROM_MESSAGE,
        channel={"id": CHANNEL, "name": "allmant"},
        message=message,
        message_ts=message["ts"],
        response_url=slack.fake.response_url(),
    )
    response = await slack.interact(payload)
    assert response.status == 200

    [opened] = slack.fake.called("views.open")
    view = opened.args["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert view["title"]["text"] == "Nytt gemensamt budskap"
    assert text_of(view) == WORDS.replace("&amp;", "&")  # as the writer typed it

    # Sent unchanged: the draft is made as by `utkast`, and its card goes to the joint channel.
    values = {"text": text_of(view), "targets": ["facebook"]}
    await slack.interact(submit(slack, ANNA, view, values))
    async with bot.database.sessions() as session:
        [draft] = (await session.scalars(select(Draft))).all()
    assert draft.author.name == "Anna Lindqvist"
    posted = [c.args for c in slack.fake.called("chat.postMessage") if c.args["channel"] == JOINT]
    assert posted and "trygghetsvandring i Broby" in posted[-1]["text"]


async def test_the_global_shortcut_opens_an_empty_draft_form(slack: SlackDriver) -> None:
    await slack.interact(shortcut(slack, "shortcut", NEW_DRAFT))

    [opened] = slack.fake.called("views.open")
    view = opened.args["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert view["title"]["text"] == "Nytt gemensamt budskap"
    assert text_of(view) == ""
