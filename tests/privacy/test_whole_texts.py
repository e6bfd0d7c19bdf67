"""Whole texts: what signers approve is what they saw, every character of it.

A draft may hold 5,000 characters. Its card in the joint channel shows all of them on Slack
and on Teams — in one line or many, with or without spaces — and Slack's edit form (whose
inputs hold 3,000 characters each) offers the whole text in parts and joins them again.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import select

from adapters.slack.render import render as slack_render
from adapters.teams.render import render as teams_render
from bot.core.engine import Bot
from bot.core.reply import Reply
from storage.models import DraftVersion
from tests.privacy.conftest import teams_click
from tests.slack.conftest import ANNA, CHANNEL, SlackDriver, slack_driver
from tests.slack.fake_slack import FakeSlack
from tests.slack.messages import blocks_of, buttons
from tests.slack.test_drafts import JOINT, KARIN, _user, bind_joint_channel, click, submit
from tests.teams.conftest import Teams
from tests.teams.fakes import card_texts

LIMIT = 5000


def _words(n: int) -> str:
    return " ".join(f"ord{i:04d}" for i in range(n))


def _texts() -> dict[str, str]:
    one_line = _words(700)[:LIMIT].rstrip()
    paragraphs = "\n".join(
        f"Stycke {i}: A&B <fler> *viktigt* _notera_ {_words(40)}" for i in range(12)
    )[:LIMIT]
    no_spaces = "".join(f"§{i:04d}" for i in range(999))  # 4,995 characters, no break at all
    return {"one line": one_line, "paragraphs": paragraphs, "no spaces": no_spaces}


TEXTS = _texts()


def visible(text: str) -> str:
    """The characters a reader sees, in order: blanks and line breaks aside."""
    return "".join(text.split())


def slack_shown(blocks: list[dict[str, Any]]) -> str:
    """A message's text as Slack draws it: every section, Slack's escaping undone."""
    texts = [b["text"]["text"] for b in blocks if b["type"] == "section" and "text" in b]
    return html.unescape("\n".join(texts))


def teams_shown(cards: list[dict[str, Any]]) -> str:
    """The cards' texts as Teams draws them: markdown escapes undone."""
    return re.sub(r"\\(.)", r"\1", "\n".join(card_texts(cards)))


@pytest.fixture
async def slack(bot: Bot, fake_slack: FakeSlack) -> AsyncIterator[SlackDriver]:
    fake_slack.users[KARIN] = _user(KARIN, "Karin Öberg", "karin.oberg@example.org")
    async with slack_driver(bot, fake_slack) as driver:
        yield driver


async def _version_texts(bot: Bot) -> list[str]:
    async with bot.database.sessions() as session:
        query = select(DraftVersion.text).order_by(DraftVersion.id)
        return list((await session.scalars(query)).all())


async def _new_draft_form(slack: SlackDriver) -> dict[str, Any]:
    await slack.command("utkast", user=ANNA, channel=CHANNEL)
    new = buttons(slack.fake.responses[-1]["blocks"])["Nytt utkast"]
    await slack.interact(click(slack, ANNA, new, channel=CHANNEL, ephemeral=True))
    view: dict[str, Any] = slack.fake.called("views.open")[-1].args["view"]
    return view


@pytest.mark.parametrize("name", list(TEXTS))
async def test_a_long_draft_appears_whole_on_the_slack_card(
    slack: SlackDriver, bot: Bot, name: str
) -> None:
    text = TEXTS[name]
    await bind_joint_channel(slack)
    view = await _new_draft_form(slack)
    # Written in the form's two inputs (3,000 characters each), as a user must.
    values = {"text": text[:3000], "text__part2": text[3000:], "targets": ["facebook"]}
    response = await slack.interact(submit(slack, ANNA, view, values))
    assert response.status == 200
    assert await _version_texts(bot) == [text]
    [posted] = [c for c in slack.fake.called("chat.postMessage") if c.args["channel"] == JOINT]
    assert visible(text) in visible(slack_shown(blocks_of(posted.args)))


@pytest.mark.parametrize("name", list(TEXTS))
async def test_a_long_draft_appears_whole_on_the_teams_card(
    teams: Teams, bot: Bot, name: str
) -> None:
    text = TEXTS[name]
    bind = teams.message("kanal gemensam", id="bind-1", locale="sv-SE")
    assert (await teams.post(bind))[0] in (200, 201)
    seen = len(teams.connector.calls)
    # The draft form's submission, as Teams sends it (Action.Execute with the inputs' data).
    data = {"text": text, "targets": "facebook"}
    status, _ = await teams.post(teams_click(teams, "draft.create", data, "long-1"))
    assert status == 200
    assert await _version_texts(bot) == [text]
    cards = [card for call in teams.connector.calls[seen:] for card in call.cards]
    shown = [teams_shown([card]) for card in cards]
    assert any(visible(text) in visible(one) for one in shown)


@pytest.mark.parametrize("name", list(TEXTS))
def test_both_renderers_keep_every_character_of_a_long_heading_and_text(name: str) -> None:
    heading = "Utkast U1: " + "Rubrik " * 24  # a 150-character title and its prefix
    reply = Reply(heading=heading, text=TEXTS[name])
    slack = "\n".join(slack_shown(m.blocks) for m in slack_render(reply))
    assert visible(heading) in visible(slack) and visible(TEXTS[name]) in visible(slack)
    teams = teams_shown(teams_render(reply))
    assert visible(heading) in visible(teams) and visible(TEXTS[name]) in visible(teams)


async def test_a_draft_longer_than_a_slack_input_is_edited_whole(
    slack: SlackDriver, bot: Bot
) -> None:
    text = TEXTS["paragraphs"]
    await bind_joint_channel(slack)
    form = await _new_draft_form(slack)
    values = {"text": text[:3000], "text__part2": text[3000:], "targets": ["facebook"]}
    await slack.interact(submit(slack, ANNA, form, values))
    [posted] = [c for c in slack.fake.called("chat.postMessage") if c.args["channel"] == JOINT]
    edit = buttons(blocks_of(posted.args))["Redigera"]
    await slack.interact(click(slack, ANNA, edit, ts="1764147600.000001"))
    view = slack.fake.called("views.open")[-1].args["view"]  # the fake checked its limits
    inputs = {b["block_id"]: b["element"] for b in view["blocks"]}
    first, second = inputs["text"], inputs["text__part2"]
    assert first["max_length"] == second["max_length"] == 3000
    assert first["initial_value"] + second["initial_value"] == text
    assert first["initial_value"].endswith("\n")  # cut at a line break, not inside a word
    values = {
        "text": first["initial_value"],
        "text__part2": second["initial_value"] + " Tillägg.",
        "targets": ["facebook"],
    }
    response = await slack.interact(submit(slack, ANNA, view, values))
    assert response.status == 200 and await response.text() == ""
    await slack.adapter.settle()
    assert await _version_texts(bot) == [text, text + " Tillägg."]


async def test_every_slack_text_input_carries_its_max_length(slack: SlackDriver) -> None:
    view = await _new_draft_form(slack)
    limits = {
        b["block_id"]: b["element"]["max_length"]
        for b in view["blocks"]
        if b["element"]["type"] == "plain_text_input"
    }
    assert limits == {"title": 150, "text": 3000, "text__part2": 3000}
    assert json.loads(view["private_metadata"])["action"] == "draft.create"
