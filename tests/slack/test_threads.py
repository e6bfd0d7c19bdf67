"""A mention in a Slack thread is answered in that thread, ephemeral answers too (real Bolt)."""

from __future__ import annotations

import json
from typing import Any

from adapters.slack.translate import encode_action_id
from tests.slack.conftest import ANNA, CHANNEL, SlackDriver, sample
from tests.slack.fake_slack import BOT_USER
from tests.slack.messages import button_click

PARENT = "1764147000.000100"


def mention(text: str, *, thread: str | None, ts: str = "1764147600.000200") -> dict[str, Any]:
    event = dict(sample("event_callback_app_mention.json")["event"])
    event.update(text=f"<@{BOT_USER}> {text}", ts=ts, event_ts=ts)
    if thread is not None:
        event["thread_ts"] = thread
    return event


async def test_a_mention_in_a_thread_is_answered_in_that_thread(slack: SlackDriver) -> None:
    await slack.event(mention("hjälp", thread=PARENT), "Ev0THREAD0001")

    [answer] = slack.fake.called("chat.postEphemeral")
    assert (answer.args["channel"], answer.args["user"]) == (CHANNEL, ANNA)
    assert answer.args["thread_ts"] == PARENT  # in the thread, not below it in the channel
    assert "Samverkansboten – hjälp" in answer.args["text"]


async def test_a_mention_at_the_top_level_is_not_put_in_a_thread(slack: SlackDriver) -> None:
    await slack.event(mention("hjälp", thread=None), "Ev0THREAD0002")

    [answer] = slack.fake.called("chat.postEphemeral")
    assert "thread_ts" not in answer.args


async def test_a_button_in_a_thread_answers_in_the_thread(slack: SlackDriver) -> None:
    """A press whose response_url is used up is answered where its message is: the thread."""
    element = {
        "action_id": encode_action_id("draft.approve", 0),
        "text": {"type": "plain_text", "text": "Godkänn"},
        "value": json.dumps({"draft": 999, "version": 1}),
    }
    payload = button_click(slack, ANNA, element, channel=CHANNEL, channel_name="gemensam")
    payload["container"]["thread_ts"] = PARENT
    payload.pop("response_url")
    await slack.interact(payload)

    [answer] = slack.fake.called("chat.postEphemeral")
    assert answer.args["thread_ts"] == PARENT
    assert "U999" in answer.args["text"]  # the refusal: no such draft
