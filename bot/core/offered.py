"""Typing a button's words presses it: "ja" to "Menar du 2027?" is the Ja button.

People answer a question in words as often as with the button under it, on every platform;
the terminal had this first. The core remembers the buttons of the last answer each person
got in each conversation, for a while, and a message that is exactly one of their labels
(ignoring case, accents and spaces) is taken as that button's press. Anything else — a
command, or words that match no button or several — goes on as typed, and any answer without
buttons forgets the offer, so "ja" never presses a button from an older question.

The memory is this process's: with several replicas, a message that reaches another one is
read as typed (the unknown-command answer with its suggestion), as before this existed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from cachetools import TTLCache

from bot.common.text import fold
from bot.core.reply import Button, Reply
from bot.core.request import ButtonPress, Request

_Key = tuple[str, str, str, str]


def _key(request: Request) -> _Key:
    return (
        request.user.platform,
        request.user.workspace,
        request.channel.channel_id,
        request.user.user_id,
    )


class OfferedButtons:
    """The buttons each person was last offered, per conversation; bounded in size and time."""

    TTL = 15 * 60.0  # seconds; an answer typed later than this is read as a new message
    LIMIT = 10_000  # conversations remembered at once; the least recent are forgotten first

    def __init__(self) -> None:
        self._offers: TTLCache[_Key, tuple[Button, ...]] = TTLCache(
            maxsize=self.LIMIT, ttl=self.TTL
        )

    def remember(self, request: Request, replies: Iterable[Reply]) -> None:
        buttons = tuple(button for reply in replies for button in reply.buttons)
        if buttons:
            self._offers[_key(request)] = buttons
        else:
            self._offers.pop(_key(request), None)

    def as_press(self, request: Request) -> Request:
        """The request as the press of the one offered button its text names, else unchanged."""
        if request.press is not None or not request.text:
            return request
        offered = self._offers.get(_key(request))
        if not offered:
            return request
        words = fold(request.text)
        named = [button for button in offered if fold(button.label) == words]
        if len(named) != 1:
            return request
        button = named[0]
        press = ButtonPress(name=button.route, payload=dict(button.payload))
        return dataclasses.replace(request, text="", press=press)
