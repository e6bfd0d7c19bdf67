"""The Slack Home tab's buttons for what staff do most, each through an existing route."""

from __future__ import annotations

import json
from typing import Any

from tests.slack.conftest import ANNA, SlackDriver, sample
from tests.slack.messages import buttons
from tests.slack.test_home_and_messenger import home_opened


async def _home_buttons(slack: SlackDriver) -> dict[str, dict[str, Any]]:
    await slack.event(home_opened(ANNA), "Ev0HOMEBTN001")
    [published] = slack.fake.called("views.publish")
    view = published.args["view"]
    view = json.loads(view) if isinstance(view, str) else view
    return buttons(view["blocks"])


def _press_on_home(slack: SlackDriver, element: dict[str, Any]) -> dict[str, Any]:
    """A block_actions payload from the Home tab: a view container, no channel, no
    response_url (Slack sends none for views)."""
    payload = dict(sample("block_actions.payload.json"))
    for key in ("channel", "message", "response_url"):
        payload.pop(key, None)
    payload.update(
        user={**payload["user"], "id": ANNA},
        container={"type": "view", "view_id": "V0HOME00001"},
        view={"id": "V0HOME00001", "type": "home"},
        trigger_id=slack.trigger_id(),
        actions=[
            {
                "action_id": element["action_id"],
                "block_id": "home",
                "text": element["text"],
                "value": element["value"],
                "type": "button",
                "action_ts": "1764147700.000100",
            }
        ],
    )
    return payload


async def test_the_home_tab_offers_the_common_actions(slack: SlackDriver) -> None:
    shown = await _home_buttons(slack)

    assert list(shown) == [
        "Nytt möte",
        "Kommande möten",
        "Nytt gemensamt utkast",
        "Mina påminnelser",
        "Mina åtgärder",
    ]


async def test_new_draft_and_new_meeting_open_their_forms(slack: SlackDriver) -> None:
    shown = await _home_buttons(slack)

    await slack.interact(_press_on_home(slack, shown["Nytt gemensamt utkast"]))
    await slack.interact(_press_on_home(slack, shown["Nytt möte"]))

    titles = []
    for call in slack.fake.called("views.open"):
        view = call.args["view"]
        view = json.loads(view) if isinstance(view, str) else view
        titles.append(view["title"]["text"])
    assert titles == ["Nytt gemensamt budskap", "Planera möte"]


async def test_my_reminders_are_answered_in_the_direct_chat(slack: SlackDriver) -> None:
    shown = await _home_buttons(slack)

    await slack.interact(_press_on_home(slack, shown["Mina påminnelser"]))

    [opened] = slack.fake.called("conversations.open")
    assert opened.args["users"] == ANNA
    [answer] = slack.fake.called("chat.postMessage")
    assert answer.args["channel"].startswith("D")
    assert "påminnelse" in answer.args["text"].lower()


async def test_a_home_button_altered_to_run_another_command_is_refused(
    slack: SlackDriver,
) -> None:
    shown = await _home_buttons(slack)
    altered = {**shown["Mina påminnelser"], "value": json.dumps({"command": "person"})}

    await slack.interact(_press_on_home(slack, altered))

    assert slack.fake.called("views.open") == []  # `person` (an admin's form) did not run
    [answer] = slack.fake.called("chat.postMessage")
    assert "påminnelse" not in answer.args["text"].lower()
