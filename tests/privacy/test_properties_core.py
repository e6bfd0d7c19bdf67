"""The core, driven by Hypothesis through the terminal adapter: any text, any button press.

The property: whatever arrives, the core answers with replies and never with its internal
error apology (which would mean an unexpected exception) — and nothing escapes it. Texts are
arbitrary, or a command word followed by arbitrary words, so every command's parsing is
reached; presses are every registered action with arbitrary JSON payloads.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.console import ConsoleSession, render_replies
from bot.core.engine import Bot
from bot.core.request import ButtonPress
from bot.features import default_catalog
from tests.conftest import Chat

TEXTS = 150
PRESSES = 150
INTERNAL = ("Något gick fel hos mig", "Something went wrong on my side")

_words = st.text(st.characters(blacklist_categories=["Cs"]), max_size=30)
_tricky = st.sampled_from(
    ["", " ", "\x00", "\ud800", "U1", "U" + "9" * 22, "9" * 22, "-1", "0", "1e20", "ja", "alla"]
)


_REGISTRY = default_catalog().registry
_COMMAND_WORDS = sorted({name for c in _REGISTRY.commands for name in c.names_sv})
_texts = st.one_of(
    st.text(max_size=200),
    st.tuples(
        st.sampled_from(_COMMAND_WORDS),
        st.lists(st.one_of(_words, _tricky), max_size=6).map(" ".join),
    ).map(" ".join),
)


_json = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.floats(allow_nan=False),
        _words,
        _tricky,
    ),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(_words, children, max_size=3),
    max_leaves=8,
)
_KEYS = [
    "draft", "version", "item", "job", "meeting", "coming", "forum", "owner", "due", "text",
    "at", "organisation", "comment", "title", "targets", "planned_at", "people", "when",
    "place", "series", "person", "status", "org", "page",
]  # fmt: skip
_payloads = st.dictionaries(st.one_of(st.sampled_from(_KEYS), _words), _json, max_size=5)


def _assert_answered(replies: list[Any]) -> None:
    text = render_replies(replies)
    assert not any(marker in text for marker in INTERNAL), text


@pytest.fixture
async def anna(chat: Chat) -> ConsoleSession:
    return await chat.session("Anna Lindqvist")  # an admin: every command is open to her


_slow_fixtures = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]


@settings(max_examples=TEXTS, deadline=None, suppress_health_check=_slow_fixtures)
@given(text=_texts)
async def test_any_text_is_answered_without_an_internal_error(
    bot: Bot, anna: ConsoleSession, text: str
) -> None:
    _assert_answered(await bot.handle(anna._request(text=text)))


@settings(max_examples=PRESSES, deadline=None, suppress_health_check=_slow_fixtures)
@given(name=st.sampled_from(sorted(_REGISTRY.routes)), payload=_payloads)
async def test_any_button_payload_is_answered_without_an_internal_error(
    bot: Bot, anna: ConsoleSession, name: str, payload: dict[str, Any]
) -> None:
    _assert_answered(await bot.handle(anna._request(press=ButtonPress(name, payload))))
