"""The Block Kit renderer: within every limit for long answers, and never trusting text."""

from __future__ import annotations

import json

from adapters.slack.render import escape, render, render_field_errors, render_home
from bot.core.reply import Button, FieldItem, Reply, Section
from tests.slack.limits import block_kit_problems


def big_forum_reply() -> Reply:
    contacts = [
        f"Kontakt nummer {n} med ett ganska långt namn, Kommunen · kontakt{n}@example.org · "
        f"070-000 00 {n:02d}"
        for n in range(200)
    ]
    return Reply(
        heading="Kontakter i Lokala Brottsförebyggande rådet (Brå) " * 5,
        text="Inledning. " * 1000,
        fields=[FieldItem(f"Fält {n}", "värde " * 500) for n in range(23)],
        sections=[Section("Kommunen", contacts[:100]), Section("Polisen", contacts[100:])],
        buttons=[
            Button("Visa fler kontakter för forumet " * 4, f"contacts.page.{n}") for n in range(30)
        ],
        context="Senast ändrad av Anna Lindqvist " * 200,
    )


def test_a_200_contact_forum_renders_within_every_block_kit_limit() -> None:
    messages = render(big_forum_reply())
    for message in messages:
        assert block_kit_problems(message.as_kwargs()) == []
    everything = "\n".join(json.dumps(m.blocks, ensure_ascii=False) for m in messages)
    for n in (0, 99, 100, 199):
        assert f"kontakt{n}@example.org" in everything  # nothing dropped
    # The buttons stay together with the last message.
    assert all(b["type"] != "actions" for m in messages[:-1] for b in m.blocks)
    assert sum(len(b["elements"]) for b in messages[-1].blocks if b["type"] == "actions") == 30


def test_more_than_50_blocks_are_split_across_messages() -> None:
    reply = Reply(
        heading="Alla grupper",
        sections=[Section(f"Grupp {n}", [f"Kontakt {n}"]) for n in range(120)],
        buttons=[Button("Visa fler", "contacts.more", {"page": 2})],
    )
    messages = render(reply)
    assert [len(m.blocks) for m in messages] == [50, 50, 22]
    for message in messages:
        assert block_kit_problems(message.as_kwargs()) == []
    assert "Grupp 119" in messages[-1].text
    assert messages[-1].blocks[-1]["type"] == "actions"


def test_every_message_has_a_plain_text_fallback() -> None:
    for message in render(big_forum_reply()):
        assert message.text.strip()
        assert len(message.text) <= 3000


def test_user_text_cannot_ping_broadcast_or_hide_a_link() -> None:
    hostile = "<!channel> <!here> <!everyone> <@U123> <#C123> <https://evil.example|Brå> & co"
    reply = Reply(
        heading=hostile,
        text=hostile,
        fields=[FieldItem(hostile, hostile)],
        sections=[Section(hostile, [hostile])],
        context=hostile,
    )
    [message] = render(reply)
    mrkdwn = [message.text]
    for block in message.blocks:
        if block["type"] == "section":
            mrkdwn += [block["text"]["text"]] if "text" in block else []
            mrkdwn += [f["text"] for f in block.get("fields", [])]
        if block["type"] == "context":
            mrkdwn += [e["text"] for e in block["elements"]]
    for text in mrkdwn:
        assert "<" not in text and ">" not in text
        assert "&lt;!channel&gt;" in text and "&amp; co" in text


def test_escaping_follows_slacks_three_rules() -> None:
    assert escape("a & b < c > d") == "a &amp; b &lt; c &gt; d"
    assert escape("*fet* _kursiv_ `kod`") == "*fet* _kursiv_ `kod`"


def test_field_errors_go_to_known_fields_and_unknown_ones_to_the_first() -> None:
    view = {"blocks": [{"type": "input", "block_id": "name"}, {"type": "input", "block_id": "x"}]}
    result = render_field_errors({"x": "Fel.", "other": "Annat fel."}, view)
    assert result == {"response_action": "errors", "errors": {"x": "Fel.", "name": "Annat fel."}}


def test_the_home_tab_stays_within_100_blocks() -> None:
    view = render_home([big_forum_reply()])
    assert view["type"] == "home"
    assert block_kit_problems({"view": view}) == []
