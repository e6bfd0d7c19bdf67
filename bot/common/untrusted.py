"""What arrives from outside, made safe to use: JSON with a depth limit, text a database takes.

Platforms deliver what clients send, and clients can be modified: a button's value, a form's
hidden data and a message's text are all input. Adapters parse with `parse_json` (deeply
nested JSON would otherwise exhaust the stack); the core cleans every request with
`clean_request` before anything is stored or echoed.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import Any

from bot.core.request import ButtonPress, ChannelRef, PlatformUser, Request

# Deeper than any Slack or Teams payload (a Block Kit message is about 10 levels deep).
MAX_DEPTH = 32
# A pressed button or submitted form whose payload cannot be read: no route has this name,
# so the core answers as for any button it does not know ("can no longer be used").
UNREADABLE_ACTION = "unreadable"
# NUL (PostgreSQL refuses it in text) and UTF-16 surrogates: a Python string holds one only
# when it came alone (JSON `"\ud800"`), and no encoder, database or platform takes it.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_REPLACEMENT = {"\x00": ""}
_INT64 = 2**63


def too_deep(value: object, limit: int = MAX_DEPTH, *, ids: bool = False) -> bool:
    """Whether lists and objects nest deeper than `limit` (with `ids`: or hold an integer no
    database column holds, beyond 64 bits); walked without recursion."""
    level: list[tuple[object, int]] = [(value, 1)]
    while level:
        item, depth = level.pop()
        if ids and isinstance(item, int) and not -_INT64 <= item < _INT64:
            return True
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        level.extend((child, depth + 1) for child in children)
    return False


def parse_json(text: str | bytes, limit: int = MAX_DEPTH) -> Any:
    """`json.loads`, refusing (ValueError) what is malformed or nested deeper than `limit`."""
    try:
        value = json.loads(text)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None
    if too_deep(value, limit):
        raise ValueError("JSON nested too deeply")
    return value


def clean_text(text: str) -> str:
    """The text without NUL bytes, a lone surrogate shown as U+FFFD (the replacement sign)."""
    if not _UNSTORABLE.search(text):
        return text
    return _UNSTORABLE.sub(lambda m: _REPLACEMENT.get(m.group(0), "\ufffd"), text)


def clean_value(value: Any) -> Any:
    """Every string in a JSON-like value cleaned, keys included."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_value(k): clean_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean_value(item) for item in value]
    return value


def button_payload(raw: object) -> dict[str, Any] | None:
    """A button's or form's payload as sent back (JSON text or an object), or None when it is
    no JSON object (a list, null, a number, invalid JSON), nests too deeply or holds an
    integer beyond 64 bits."""
    if isinstance(raw, str | bytes):
        try:
            raw = parse_json(raw or "{}")
        except ValueError:
            return None
    if not isinstance(raw, dict) or too_deep(raw, ids=True):
        return None
    return raw


def row_id(value: object) -> int:
    """A database id from a payload (a number, or its digits as text); ValueError for
    anything else, including numbers no id column holds."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError("not an id")
    number = int(value)
    if not 0 < number < _INT64:
        raise ValueError("not an id")
    return number


def _clean_user(user: PlatformUser) -> PlatformUser:
    return replace(
        user,
        display_name=clean_text(user.display_name) if user.display_name else user.display_name,
        email=clean_text(user.email) if user.email else user.email,
    )


def _clean_channel(channel: ChannelRef) -> ChannelRef:
    return replace(channel, name=clean_text(channel.name)) if channel.name else channel


def clean_request(request: Request) -> Request:
    """The request with storable text, and an unreadable button payload marked as such."""
    press = request.press
    if press is not None:
        payload = button_payload(press.payload)
        press = (
            ButtonPress(UNREADABLE_ACTION)
            if payload is None
            else ButtonPress(clean_text(press.name), clean_value(payload))
        )
    return replace(
        request,
        text=clean_text(request.text),
        press=press,
        user=_clean_user(request.user),
        channel=_clean_channel(request.channel),
    )
