"""botbuilder models to JSON without msrest's serializer: the same dict msrest would write."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from typing import Any

import pytest
from botbuilder.core import TurnContext
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    Attachment,
    CardAction,
    ChannelAccount,
    ConversationParameters,
    ConversationReference,
    HeroCard,
    Mention,
)
from botbuilder.schema.teams import TeamsChannelAccount, TeamsChannelData, TenantInfo
from msrest.serialization import Model

from adapters.teams.messenger import activity_for
from adapters.teams.render import render
from adapters.teams.wire import from_json, to_json
from bot.core.reply import Reply, Section
from tests.teams.conftest import Teams
from tests.teams.fakes import SAMPLES
from tests.teams.test_render import EVERYTHING


def _samples() -> list[dict[str, Any]]:
    return [json.loads(path.read_text(encoding="utf-8")) for path in sorted(SAMPLES.glob("*.json"))]


@pytest.mark.parametrize("kind", [Activity, ConversationReference])
def test_recorded_activities_come_out_as_msrest_writes_them(kind: type[Model]) -> None:
    for raw in _samples():
        model = kind().deserialize(raw)

        assert json.dumps(to_json(model)) == json.dumps(model.serialize())  # keys in order too


def test_a_reply_with_cards_comes_out_as_msrest_writes_it() -> None:
    incoming = Activity().deserialize(_samples()[0])
    reference = TurnContext.get_conversation_reference(incoming)
    long = Reply(text="x", sections=[Section(f"S{n}", ["rad " * 50] * 20) for n in range(30)])
    for reply in (EVERYTHING, long, Reply(text="Hej")):
        for card in render(reply):
            activity = TurnContext.apply_conversation_reference(activity_for(card), reference)

            assert to_json(activity) == activity.serialize()


def test_values_outside_the_plain_shapes_are_left_to_msrest() -> None:
    odd = Activity(
        type=ActivityTypes.message,  # an enum where a str is declared
        timestamp=datetime(2026, 11, 26, 9, 0, tzinfo=UTC),
        text=5,  # an int where a str is declared
        entities=[Mention(mentioned=ChannelAccount(id="29:x", name="Anna"), text="<at>A</at>")],
        attachments=[
            Attachment(
                content_type="application/vnd.microsoft.card.hero",
                content=HeroCard(title="t", buttons=[CardAction(type="imBack", value=[1, None])]),
            )
        ],
        channel_data=TeamsChannelData(tenant=TenantInfo(id="t")),
        value={"when": datetime(2026, 1, 2, tzinfo=UTC), "list": (1, 2), "none": None},
        from_property=TeamsChannelAccount(id="29:x", aad_object_id="aad", email="a@b.se"),
    )
    parameters = ConversationParameters(
        is_group=False, members=[ChannelAccount(id="29:x")], channel_data={"tenant": {"id": "t"}}
    )

    assert to_json(odd) == odd.serialize()
    assert to_json(parameters) == parameters.serialize()


def test_what_msrest_refuses_is_refused_with_msrest_s_error() -> None:
    wrong = Activity(from_property={"id": "a dict where a model belongs"})

    with pytest.raises(Exception) as ours:
        to_json(wrong)
    with pytest.raises(Exception) as theirs:
        wrong.serialize()
    assert type(ours.value) is type(theirs.value)


async def test_replies_are_sent_without_msrest_s_serializer(
    teams: Teams, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_args: Any, **_kwargs: Any) -> None:
        raise AssertionError("msrest serialised a reply")

    monkeypatch.setattr(Model, "serialize", refuse)

    status, _ = await teams.post(teams.message("hälsa", name="personal_message"))

    assert status == 201
    (reply,) = teams.connector.of("reply")
    assert reply.cards


def test_botbuilder_s_copy_of_an_outgoing_card_activity_shares_the_card() -> None:
    (card,) = render(EVERYTHING)
    activity = activity_for(card)

    copied = copy.deepcopy(activity)  # what TurnContext.send_activities does to every activity

    assert copied is not activity and copied.attachments is not activity.attachments
    assert copied.attachments[0].content is card  # the rendered card is not copied again
    assert to_json(copied) == activity.serialize()


@pytest.mark.parametrize("kind", [Activity, ConversationReference, TeamsChannelAccount])
def test_recorded_activities_are_read_as_msrest_reads_them(kind: type[Model]) -> None:
    for raw in _samples():
        ours, theirs = from_json(kind, copy.deepcopy(raw)), kind().deserialize(raw)

        assert ours == theirs
        assert json.dumps(to_json(ours)) == json.dumps(theirs.serialize())


def test_odd_values_are_read_by_msrest() -> None:
    raw = {
        "type": "message",
        "id": 7,  # a number where a string is declared: msrest makes it "7"
        "timestamp": "2026-11-26T10:00:00.123Z",  # a date: msrest's own parser
        "from": {"id": "29:x", "name": "Anna", "role": "user"},
        "recipient": "not an object",
        "entities": [{"type": "mention", "text": "<at>x</at>", "extra": [1, {"a": None}]}],
        "channelData": {"tenant": {"id": "t"}, "list": [True, 1.5]},
        "somethingNew": {"kept": True},
    }
    for kind in (Activity, ConversationReference):
        try:
            theirs: Any = kind().deserialize(copy.deepcopy(raw))
        except Exception as error:
            with pytest.raises(type(error)):
                from_json(kind, copy.deepcopy(raw))
            continue
        ours = from_json(kind, copy.deepcopy(raw))
        assert ours == theirs
        assert ours.serialize() == theirs.serialize()
